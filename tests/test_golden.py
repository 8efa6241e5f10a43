"""The sample's generated site pages match the reviewed golden copies (update with --update-golden)."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.pipeline import site_pages

GOLDEN = Path(__file__).parent / "golden" / "site"
# Our own text output: the pages and every SVG (org charts, workflow diagrams, profile and results charts).
COMPARED = (".md", ".svg")


def test_site_pages_match_golden(sample_project, update_golden):
    files = {path: text for path, text in site_pages(sample_project).files.items()
             if path.endswith(COMPARED)}
    if update_golden:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, text in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    golden = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(golden), "pages added or removed: run pytest --update-golden and review"
    for path in sorted(files):
        if files[path] != golden[path]:
            diff = "\n".join(difflib.unified_diff(golden[path].splitlines(), files[path].splitlines(),
                                                  f"golden/{path}", f"generated/{path}", lineterm="", n=2))
            raise AssertionError(f"{path} differs from golden (run pytest --update-golden and review):\n{diff}")


def test_rendering_twice_gives_identical_pages(sample_project):
    first = site_pages(sample_project).files
    second = site_pages(sample_project).files
    assert first == second
