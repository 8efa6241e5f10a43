"""What a user sees from each command: Chinese help, exit codes, messages, and nothing lost on failure."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.support import REPO, edit, write_project


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def small_project(root):
    """The tiny valid project of test_validate, with the repository's theme and MkDocs config."""
    write_project(root)
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_check_passes_on_the_sample():
    result = run("check", "--project", str(REPO))
    assert result.exit_code == 0
    assert result.output.startswith("校验通过：")


def test_check_lists_problems_and_exits_1(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "type: 城市社区", "tpye: 城市社区")
    result = run("check", "--project", str(root))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.splitlines() == [
        "branches/hongguang.yml:1:1: 错误: 缺少必填字段「单位类别」（type） [field.missing]",
        "branches/hongguang.yml:4:1: 错误: 未知字段「tpye」，是否指「type」（单位类别）？ [field.unknown]",
        "共 2 处错误，涉及 1 个文件；未生成任何输出。",
    ]


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    root = small_project(tmp_path)
    assert run("build", "--no-pdf", "--project", str(root)).exit_code == 0
    before = {p.relative_to(root): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert (root / "site" / "index.html").is_file() and (root / "site" / "branches" / "hongguang.html").is_file()
    edit(root / "branches/hongguang.yml", "founded: 1998-07-01", "founded: 1998-02-30")
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1
    assert "[value.bad-date]" in result.output
    after = {p.relative_to(root): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_init_sample_copies_the_demo_and_refuses_a_full_folder(tmp_path):
    target = tmp_path / "neworg"
    result = run("init", "--sample", str(target))
    assert result.exit_code == 0, result.output
    for part in ("content/organization.yml", "branches", "scores", "theme", "mkdocs.yml"):
        assert (target / part).exists()
    ignored = (target / ".gitignore").read_text(encoding="utf-8").split()
    assert "/site/" in ignored and "/print/" in ignored     # outputs, the print sets with personal data
    assert run("check", "--project", str(target)).exit_code == 0
    for flags in ((), ("--sample",)):
        again = run("init", *flags, "--name", "中共青石镇委员会", str(target))
        assert again.exit_code == 1
        assert "已存在且不为空" in again.output


def test_init_without_a_name_outside_a_terminal_says_which_option_to_give(tmp_path):
    result = run("init", str(tmp_path / "neworg"))
    assert result.exit_code == 1
    assert "--name" in result.output and "党组织全称" in result.output
    assert not (tmp_path / "neworg").exists()


@pytest.mark.allow_warnings("同一条提示|另一条提示")
def test_a_warning_repeated_within_one_command_is_shown_once(capsys):
    """The same theme warning comes from every branch's print set; the user reads it once per command."""
    from generator import cli
    from generator.logs import log

    cli._show_warnings_as_notes()
    for message in ("同一条提示", "同一条提示", "另一条提示"):
        log.warning(message)
    err = capsys.readouterr().err
    assert err.count("提示：同一条提示") == 1 and err.count("提示：另一条提示") == 1
    cli._show_warnings_as_notes()                 # the next command shows it again
    log.warning("同一条提示")
    assert capsys.readouterr().err.count("提示：同一条提示") == 1
