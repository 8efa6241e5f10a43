"""Ten different mistakes in a copy of the sample: ten located Chinese messages, exit 1, the old site untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.support import copy_sample

HERE = Path(__file__).parent / "bad_input"


def apply(mistake: dict, root: Path) -> None:
    if "copy" in mistake:
        shutil.copy2(root / mistake["copy"], root / mistake["to"])
    elif "xlsx" in mistake:
        book = openpyxl.load_workbook(root / mistake["xlsx"])
        cell = book.worksheets[0][mistake["cell"]]
        cell.value = mistake["error"]
        cell.data_type = "e"
        book.save(root / mistake["xlsx"])
    else:
        path = root / mistake["file"]
        encoding = mistake.get("encoding", "utf-8-sig")
        text = path.read_bytes().decode(encoding)
        if "delete_line_starting" in mistake:
            lines = text.splitlines(keepends=True)
            doomed = next(i for i, line in enumerate(lines) if line.startswith(mistake["delete_line_starting"]))
            text = "".join(lines[:doomed] + lines[doomed + 1:])
        else:
            assert mistake["find"] in text, f"{mistake['what']}: {mistake['find']!r} not in {path}"
            text = text.replace(mistake["find"], mistake["replace"], 1)
        path.write_bytes(text.encode(encoding))


def test_ten_mistakes_give_ten_located_messages_and_keep_the_old_site(tmp_path):
    root = copy_sample(tmp_path / "org")
    old_site = root / "site"
    old_site.mkdir()
    (old_site / "index.html").write_text("上次生成的网站", encoding="utf-8")
    mistakes = yaml.safe_load((HERE / "mistakes.yml").read_text(encoding="utf-8"))
    assert len(mistakes) == 10
    for mistake in mistakes:
        apply(mistake, root)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    built = runner.invoke(main, ["build", "--project", str(root)], catch_exceptions=False)
    expected = (HERE / "expected.txt").read_text(encoding="utf-8")
    assert checked.exit_code == 1 and built.exit_code == 1
    assert checked.output == expected
    assert built.output == expected
    assert len(expected.splitlines()) == 11  # ten problems and the summary line
    assert sorted(p.name for p in old_site.iterdir()) == ["index.html"]
    assert (old_site / "index.html").read_text(encoding="utf-8") == "上次生成的网站"
    assert not (root / "site.old").exists()
