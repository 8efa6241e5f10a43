"""Every command of the real command line has Chinese help: walked from `generator.cli.main`, no list kept here."""

from __future__ import annotations

import copy
import re

import click
import pytest
from click.testing import CliRunner

from generator.cli import ChineseCommand, chinese_option, main
from tests.support import walk

CJK = re.compile(r"[\u4e00-\u9fff]")
# What click writes in English when a command or option bypasses the Chinese classes of generator.cli:
# headings, the help and version options' texts, option extras ([default: 2; 1<=x<=8], [required]).
CLICK_ENGLISH = re.compile(r"\b(?:Usage|Options|Commands|Arguments|Show this message|Show the version|default|"
                           r"required|env var)\b|\d<=x|x<=\d|x>=\d|x>\d|x<\d", re.IGNORECASE)
# click's metavars for its parameter types; the CLI's own argument names are taken out before this is searched.
CLICK_METAVARS = re.compile(r"\b(?:TEXT|INTEGER|FLOAT|BOOLEAN|PATH|FILE|FILENAME|DIRECTORY|UUID|CHOICE)\b")


def _context(root: click.Group, path: tuple[str, ...]) -> click.Context:
    """A context for the command at `path` under `root`, with its parents' contexts (as click makes them for --help)."""
    ctx = root.context_class(root, info_name="branchbook")
    for name in path:
        command = ctx.command.commands[name]
        ctx = command.context_class(command, info_name=name, parent=ctx)
    return ctx


def _argument_names(root: click.Group) -> set[str]:
    """The argument names (SCHEME, DIRECTORY …) of every command: help texts and usage lines show them as they are."""
    return {param.human_readable_name for _, command in walk(root) for param in command.params
            if isinstance(param, click.Argument)}


def help_problems(root: click.Group) -> list[str]:
    """What is not Chinese in the help of `root` and of every command under it, one line per gap."""
    problems = []
    arguments = _argument_names(root)
    for path, command in walk(root):
        shown = " ".join(("branchbook", *path))
        if command.hidden:
            continue
        help_text = command.help or ""
        if not CJK.search(help_text):
            problems.append(f"{shown}: the command's help is not Chinese: {help_text!r}")
        ctx = _context(root, path)
        for param in command.get_params(ctx):
            if isinstance(param, click.Argument):
                if param.human_readable_name not in help_text:
                    problems.append(f"{shown}: the command's help does not mention the argument "
                                    f"{param.human_readable_name}")
            elif isinstance(param, click.Option) and not param.hidden and not CJK.search(param.help or ""):
                problems.append(f"{shown}: option {'/'.join(param.opts)} has no Chinese help: {param.help!r}")

        result = CliRunner().invoke(root, [*path, "--help"], prog_name="branchbook")
        if result.exit_code != 0:
            problems.append(f"{shown} --help: exit code {result.exit_code}: {result.output!r}")
            continue
        output = result.output
        english = CLICK_ENGLISH.findall(output)
        for name in arguments:
            output = re.sub(rf"\b{re.escape(name)}\b", "", output)
        english += CLICK_METAVARS.findall(output)
        if english:
            problems.append(f"{shown} --help: click's English words {sorted(set(english))}")
        if isinstance(command, click.Group):
            listed = _listed_commands(result.output)
            for name, sub in sorted(command.commands.items()):
                if not sub.hidden and name not in listed:
                    problems.append(f"{shown} --help: does not list the command {name}")
    return problems


def _listed_commands(output: str) -> set[str]:
    """The command names in the 命令： section of a group's help."""
    section = output.split("\n命令：\n", 1)
    if len(section) < 2:
        return set()
    names = set()
    for line in section[1].splitlines():
        if not line.startswith("  "):
            break
        if not line.startswith("   "):  # a wrapped description is indented further
            names.add(line.split()[0])
    return names


def _copy_of_main() -> click.Group:
    """A copy of the real group whose command table can be changed without touching `main`."""
    group = copy.copy(main)
    group.commands = dict(main.commands)
    return group


# ---- the real command line ---------------------------------------------------

def test_the_walk_finds_the_real_commands():
    paths = [path for path, _ in walk(main)]
    assert paths[0] == () and {"build", "check", "init", "serve", "template"} <= {p[-1] for p in paths[1:]}
    # Every top-level command is reached, and so are the commands inside a group (branchbook new branch).
    assert {p[0] for p in paths[1:]} == set(main.commands) and ("new", "branch") in paths


def test_every_command_option_and_argument_has_chinese_help_and_the_group_lists_every_command():
    assert help_problems(main) == []


@pytest.mark.parametrize("path", [path for path, _ in walk(main)], ids=lambda p: " ".join(p) or "branchbook")
def test_help_output_is_chinese(path):
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="branchbook")
    assert result.exit_code == 0
    assert result.output.startswith(f"用法：{' '.join(('branchbook', *path))} [选项]")
    assert "\n选项：\n" in result.output and "显示本说明并退出。" in result.output


# ---- the check catches what it should -------------------------------------------

def test_a_command_added_without_help_is_reported():
    group = _copy_of_main()

    @group.command(cls=ChineseCommand)
    @chinese_option("--fast", is_flag=True, help="Go fast.")
    @click.argument("target")
    def export(fast: bool, target: str) -> None:
        pass

    assert help_problems(group) == [
        "branchbook export: the command's help is not Chinese: ''",
        "branchbook export: option --fast has no Chinese help: 'Go fast.'",
        "branchbook export: the command's help does not mention the argument TARGET",
    ]
    assert help_problems(main) == []  # the real group is unchanged


def test_a_plain_click_command_shows_click_english_and_is_reported():
    group = _copy_of_main()
    group.add_command(click.Command("export", help="导出数据。",
                                    params=[click.Option(["--count"], type=click.IntRange(1, 9), default=3,
                                                         show_default=True, help="份数。")]))
    problems = help_problems(group)
    assert problems[:1] == ["branchbook export: option --help has no Chinese help: 'Show this message and exit.'"]
    assert len(problems) == 2 and problems[1].startswith("branchbook export --help: click's English words ")
    for word in ("Usage", "Options", "Show this message", "default", "INTEGER"):
        assert repr(word) in problems[1], word


def test_a_command_whose_help_became_english_is_reported(monkeypatch):
    monkeypatch.setattr(main.commands["check"], "help", "Only check the data.")
    assert help_problems(main) == ["branchbook check: the command's help is not Chinese: 'Only check the data.'"]


def test_a_command_missing_from_the_group_help_is_reported(monkeypatch):
    group = _copy_of_main()
    monkeypatch.setattr(group, "list_commands", lambda ctx: sorted(set(group.commands) - {"serve"}))
    assert help_problems(group) == ["branchbook --help: does not list the command serve"]
