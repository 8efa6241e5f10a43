"""Removing a branch from an organization: one message per affected file, each naming the fix."""

from __future__ import annotations

from collections import Counter

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import copy_sample


def test_deleting_a_branch_gives_one_message_per_affected_file_each_naming_the_fix(tmp_path):
    root = copy_sample(tmp_path / "org")
    (root / "branches" / "shuiwu.yml").unlink()
    (root / "branches" / "shuiwu-members.csv").unlink()
    result = CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ": 错误: " in line]
    files = Counter(line.split(":", 1)[0].split("[", 1)[0] for line in problems)
    assert problems and max(files.values()) == 1, result.output
    # every score table and scheme that named the branch is reported, and nothing else
    mentioning = {path.relative_to(root).as_posix() for folder in ("scores", "content/schemes")
                  for path in (root / folder).rglob("*")
                  if path.is_file() and path.suffix in (".csv", ".yml") and b"shuiwu" in path.read_bytes()}
    assert mentioning <= set(files), (mentioning, files)
    for line in problems:
        assert "「shuiwu」" in line and "删除" in line, line
        assert "是否指" not in line        # 「zhuwu」 is not a likely reading of 「shuiwu」


def test_a_mistyped_branch_id_still_gets_its_suggestion(tmp_path):
    root = copy_sample(tmp_path / "org")
    table = root / "scores" / "tiered" / "2026Q4.csv"
    table.write_bytes(table.read_bytes().replace(b"\nhongguang,", b"\nhongguagn,", 1))
    result = CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "未知支部编号「hongguagn」, 是否指「hongguang」?" in result.output
