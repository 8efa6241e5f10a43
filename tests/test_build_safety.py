"""Builds that lose nothing: killed, raced, interrupted or repeated, `site/` and `print/` stay whole.

Builds run as separate processes (`python -m generator`, which is what the
`branchbook` command runs), so that kills, signals, locks and hash seeds are
real. All builds use SOURCE_DATE_EPOCH, so every complete build of the small
fixture is byte-identical and a tree left by a killed build must equal the
manifest (file list and hashes) of a known complete build.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import publish
from generator.build_cache import SITE_MANIFEST
from generator.cli import main
from generator.outputs import OUTPUTS, PRINT, SITE
from tests.support import copy_small, keep_only_branch

EPOCH = "1767225600"          # 2026-01-01
BUSY = re.compile(r"另一个 branchbook 正在生成此文件夹（进程 (\d+)），请等它完成后再试。")
ENGLISH = ("Traceback", "Aborted!", "KeyboardInterrupt", "Usage:", "Error:", "Try ", "Options:")


def environment(seed: str = "0", **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != publish.KILL_AT_ENV}
    return {**env, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": seed, **extra}


def start(root: Path, *options: str, seed: str = "0", **extra: str) -> subprocess.Popen:
    """A build of `root` in its own process group (like a command started from a terminal)."""
    return subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(root), "--workers", "1",
                             *options], env=environment(seed, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def default_interrupt() -> None:
    """In the child before exec: take Ctrl+C as a terminal would deliver it, even if this test runs with it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finish(process: subprocess.Popen, timeout: float = 240) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


def manifest(tree: Path) -> dict[str, str] | None:
    """Relative path → SHA-256 of every file in `tree`; None when the tree does not exist."""
    if not tree.exists():
        return None
    return {path.relative_to(tree).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(tree.rglob("*")) if path.is_file()}


def manifests(root: Path) -> dict[str, dict[str, str] | None]:
    return {output.folder: manifest(root / output.folder) for output in OUTPUTS}


def staging_left(root: Path) -> list[str]:
    state = root / publish.STATE_DIR
    kept = (publish.LOCK_FILE, SITE_MANIFEST)          # the lock, and the build cache's manifest of site/
    return sorted(path.name for path in state.iterdir() if path.name not in kept) if state.is_dir() else []


def running_in_group(group: int) -> list[int]:
    """Processes (not zombies) of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def staged(root: Path) -> set[str]:
    """The staging folders of builds (running, or left by killed ones)."""
    return {path.name for path in (root / publish.STATE_DIR).glob(f"{publish.STAGING_PREFIX}*")}


def printing(root: Path, stale: set[str] = frozenset()) -> bool:
    """A build has reached the PDF stage (its staged print folder exists); `stale`: staging folders to ignore."""
    return any(path.parent.name not in stale
               for path in (root / publish.STATE_DIR).glob(f"{publish.STAGING_PREFIX}*/{PRINT.folder}"))


@pytest.fixture(scope="module")
def complete(tmp_path_factory) -> tuple[Path, list[dict], float]:
    """Two clean builds with PDFs in separate folders and processes, with different hash seeds, run side by side;
    the first folder, both manifests, and the seconds the first build took until it started printing.

    The project is the small fixture's qingshan alone: one print set keeps every build here short.
    """
    base = tmp_path_factory.mktemp("complete")
    roots = [keep_only_branch(copy_small(base / name), "qingshan") for name in ("first", "second")]
    started = time.monotonic()
    processes = [start(root, seed=seed) for root, seed in zip(roots, ("1", "2"), strict=True)]
    wait_for(lambda: printing(roots[0]) or processes[0].poll() is not None, timeout=240)
    site_seconds = time.monotonic() - started
    for process in processes:
        code, output = finish(process)
        assert code == 0, output
    return roots[0], [manifests(root) for root in roots], site_seconds


def clone(complete, target: Path) -> Path:
    """A copy of the completely built project folder."""
    shutil.copytree(complete[0], target, symlinks=True)
    return target


def test_two_clean_builds_are_byte_identical(complete):
    first, second = complete[1]
    assert first[SITE.folder] and first[PRINT.folder]
    for output in OUTPUTS:
        differing = sorted(name for name in set(first[output.folder]) | set(second[output.folder])
                           if first[output.folder].get(name) != second[output.folder].get(name))
        assert differing == [], f"{output.folder}/ differs between two builds: {differing}"


def test_killed_builds_leave_the_previous_outputs_whole(complete, tmp_path):
    """SIGKILL at random instants: most while the site is built, some while PDFs are printed.

    Site kills fall in the first 60% of the site stage as `complete` measured it (so the instants follow the
    machine's speed, with room for a faster moment); a kill in the print stage waits for the staged print
    folder, then a random part of a second or two.
    """
    root = clone(complete, tmp_path / "org")
    expected, site_seconds = complete[1][0], complete[2]
    rng = random.Random(20260101)
    instants = [("site", rng.uniform(0.1, 0.6) * site_seconds) for _ in range(6)]
    instants += [("print", rng.uniform(0, 2)) for _ in range(2)]
    rng.shuffle(instants)
    killed, stale_seen = {"site": 0, "print": 0}, False
    for stage, instant in instants:
        stale = staged(root)                     # left by the builds killed before: this one removes them
        process = start(root, "--force")         # a full build every time, not one the build cache makes short
        try:
            if stage == "print":
                wait_for(lambda: printing(root, stale) or process.poll() is not None)  # noqa: B023  (called at once, in this iteration)
            process.wait(timeout=instant)
        except subprocess.TimeoutExpired:
            killed["print" if printing(root, stale) else "site"] += 1
            os.killpg(process.pid, signal.SIGKILL)
        code, output = finish(process)
        assert code in (0, -signal.SIGKILL), output
        assert manifests(root) == expected, f"outputs changed by a build killed after {instant:.2f} s ({stage})"
        stale_seen = stale_seen or any(name.startswith(publish.STAGING_PREFIX) for name in staging_left(root))
    assert sum(killed.values()) == len(instants) and killed["site"] >= 2 and killed["print"] >= 2, killed
    assert stale_seen
    code, output = finish(start(root, "--no-pdf"))
    assert code == 0, output
    assert staging_left(root) == []           # the next start removed what the killed builds left
    assert manifests(root) == expected


def test_a_build_killed_between_publishing_print_and_site_is_completed_at_the_next_start(complete, tmp_path):
    root = clone(complete, tmp_path / "org")
    old = complete[1][0]
    organization = root / "content" / "organization.yml"
    text = organization.read_text(encoding="utf-8")
    short_name = re.search(r"short_name: *(\S+)", text).group(1)
    organization.write_text(text.replace(short_name, "新名称党工委", 1), encoding="utf-8")

    code, _ = finish(start(root, **{publish.KILL_AT_ENV: "after-first-tree"}))
    assert code == -signal.SIGKILL
    assert manifests(root)[SITE.folder] == old[SITE.folder]                        # the old site, whole
    new_print = manifest(root / PRINT.folder)
    assert new_print != old[PRINT.folder] and set(new_print) == set(old[PRINT.folder])   # the new print set, whole
    assert "新名称党工委" in (root / PRINT.folder / "index.html").read_text(encoding="utf-8")

    with publish.project_lock(root):
        publish.prepare(root)
    assert staging_left(root) == []
    site = manifest(root / SITE.folder)
    assert set(site) == set(old[SITE.folder]) and site != old[SITE.folder]         # the same build's site, whole
    assert "新名称党工委" in (root / SITE.folder / "index.html").read_text(encoding="utf-8")
    assert manifest(root / PRINT.folder) == new_print


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "renames"])
@pytest.mark.parametrize("step", publish.PUBLISH_STEPS)
def test_publish_killed_at_any_step_leaves_whole_trees_and_recovers(tmp_path, step, exchange):
    root = tmp_path / "org"
    staged = root / publish.STATE_DIR / "build-test"
    for tree, version in ((root, "old"), (staged, "new")):
        for name in ("site", "print"):
            for number in range(5):
                (tree / name / f"part{number}").mkdir(parents=True)
                (tree / name / f"part{number}" / "file.txt").write_text(f"{version} {name}", encoding="utf-8")
    program = ("import sys; from pathlib import Path; import generator.publish as p\n"
               f"p._renameat2 = p._renameat2 if {exchange} else None\n"
               "p.publish(Path(sys.argv[1]), Path(sys.argv[2]), ['print', 'site'])\n")
    result = subprocess.run([sys.executable, "-c", program, str(root), str(staged)], capture_output=True, text=True,
                            env=environment(**{publish.KILL_AT_ENV: step}))
    assert result.returncode == -signal.SIGKILL, result.stderr

    def versions() -> dict[str, set[str]]:
        return {name: {path.read_text(encoding="utf-8").split()[0] for path in (root / name).rglob("*.txt")}
                for name in ("site", "print")}

    def whole(name: str) -> bool:
        return len(list((root / name).rglob("*.txt"))) == 5

    assert all(whole(name) and len(found) == 1 for name, found in versions().items()), versions()
    with publish.project_lock(root):
        publish.prepare(root)
    expected = "old" if step == "before-journal" else "new"
    assert versions() == {"site": {expected}, "print": {expected}}
    assert all(whole(name) for name in ("site", "print"))
    assert staging_left(root) == []


def test_a_second_build_waits_then_stops_with_the_lock_message(complete, tmp_path):
    root = clone(complete, tmp_path / "org")
    expected = complete[1][0]
    first = start(root, "--force")
    try:
        wait_for(lambda: printing(root))
        # Stopped, the first build keeps its lock however fast it would have finished its print sets.
        os.killpg(first.pid, signal.SIGSTOP)
        code, output = finish(start(root, "--no-pdf"), timeout=60)
        assert code == 1
        assert BUSY.search(output) and BUSY.search(output).group(1) == str(first.pid), output
        assert not any(word in output for word in ENGLISH), output
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        finish(first)
    assert manifests(root) == expected


def test_two_builds_started_at_once_neither_crashes_and_the_result_is_whole(complete, tmp_path):
    root = clone(complete, tmp_path / "org")
    expected = complete[1][0]
    results = [finish(process) for process in [start(root, "--no-pdf"), start(root, "--no-pdf")]]
    assert any(code == 0 for code, _ in results), results
    for code, output in results:
        assert code == 0 or (code == 1 and BUSY.search(output)), output
        assert "Traceback" not in output and "OSError" not in output
    assert manifests(root) == expected
    assert staging_left(root) == []


def test_a_folder_branchbook_did_not_make_is_not_replaced(tmp_path):
    from generator import pipeline
    from generator.errors import UserError

    root = copy_small(tmp_path / "org")
    (root / PRINT.folder).mkdir()
    (root / PRINT.folder / "notes.txt").write_text("my own notes", encoding="utf-8")
    with pytest.raises(UserError, match="不是 branchbook 生成的文件夹"):
        pipeline.build(root, with_pdf=True, workers=1, show_progress=False)
    assert (root / PRINT.folder / "notes.txt").read_text(encoding="utf-8") == "my own notes"
    assert not (root / SITE.folder).exists() and staging_left(root) == []


def test_check_needs_no_lock(complete):
    with publish.project_lock(complete[0]):
        result = CliRunner().invoke(main, ["check", "--project", str(complete[0])], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_ctrl_c_stops_cleanly_and_keeps_the_previous_outputs(complete, tmp_path):
    root = clone(complete, tmp_path / "org")
    expected = complete[1][0]
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(root), "--workers", "2",
                                "--force"],
                               env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=default_interrupt)
    wait_for(lambda: printing(root))
    time.sleep(1.0)                                   # the PDF workers are busy
    os.killpg(process.pid, signal.SIGINT)             # what the terminal sends on Ctrl+C: the whole group
    code, output = finish(process, timeout=30)
    assert code == 130, output
    assert "已中断，上次生成的网站保持不变。" in output
    assert not any(word in output for word in ENGLISH), output
    assert manifests(root) == expected
    assert staging_left(root) == []
    wait_for(lambda: not running_in_group(process.pid), timeout=10)     # no PDF worker outlived the build


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="branchbook", catch_exceptions=False)


@pytest.mark.parametrize("args, message", [
    (("build", "--workers", "9"), "错误：--workers 的值无效：「9」不是 1 到 8 之间的整数。"),
    (("serve", "--port", "99999"), "错误：--port 的值无效：「99999」不是 1 到 65535 之间的整数。"),
    (("build", "--bogus"), "错误：没有「--bogus」这个选项。"),
    (("biuld",), "错误：没有「biuld」这个命令。是否指「build」？"),
    (("template", "tiered"), "错误：缺少参数 PERIOD。"),
])
def test_command_line_mistakes_are_explained_in_chinese(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "用法：branchbook" in result.output and "请运行「branchbook" in result.output
    assert not any(word in result.output for word in ENGLISH), result.output


def test_help_is_chinese_throughout():
    for args in (("--help",), ("build", "--help")):
        output = run(*args).output
        assert "用法：" in output and "选项：" in output and "显示本说明并退出。" in output
        assert not any(word in output for word in (*ENGLISH, "Show this", "default", "Commands", "INTEGER")), output
    assert "命令：" in run("--help").output
    assert "[默认：2；范围：1–8]" in re.sub(r"\s+", "", run("build", "--help").output)


def test_project_is_accepted_before_and_after_the_command(tmp_path):
    root = copy_small(tmp_path / "org")
    before, after = run("--project", str(root), "check"), run("check", "--project", str(root))
    assert before.exit_code == after.exit_code == 0, before.output
    assert before.output == after.output and before.output.startswith("校验通过")
    elsewhere = run("--project", str(tmp_path / "missing"), "check", "--project", str(root))
    assert elsewhere.exit_code == 0, elsewhere.output      # the option after the command wins
