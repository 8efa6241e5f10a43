"""Every PDF of a build (the shared build of the small fixture): CJK fonts embedded and subsetted, text
extractable by poppler and MuPDF, bookmarks in each branch's print set."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from generator import pipeline
from generator.pdf.print_sets import HANDBOOK_FILE
from tests.support import SUBSET_TAG, pdf_fonts, pdf_text


def branch_pdfs(built: Path) -> list[tuple[object, Path]]:
    project = pipeline.load_project(built)
    pdf_dir = built / "print"
    pairs = []
    for branch in project.branches:
        found = sorted([*pdf_dir.glob(f"{branch.id}.pdf"), *pdf_dir.glob(f"{branch.id}/*.pdf")])
        assert found, f"no PDF for {branch.id}"
        pairs += [(branch, path) for path in found]
    return pairs


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_fonts_are_embedded_and_subsetted(built_small):
    every = sorted([*(built_small / "print").rglob("*.pdf"), *(built_small / "site").rglob("*.pdf")])
    assert {path for _, path in branch_pdfs(built_small)} < set(every)      # results and notices too
    for path in every:
        fonts = pdf_fonts(path)
        assert any("CJK" in name for name, _ in fonts), f"{path}: no CJK font: {fonts}"
        assert [(name, embedded) for name, embedded in fonts if not (embedded and SUBSET_TAG.match(name))] == [], path


def test_the_font_reader_agrees_with_pdffonts(built_small):
    """pdf_fonts (pypdf) lists what poppler's pdffonts does, on the smallest print set (pdffonts is slow)."""
    path = min((built_small / "print").rglob("*.pdf"), key=lambda pdf: pdf.stat().st_size)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert sorted((row.split()[0], row.split()[-5] == "yes") for row in rows) == sorted(pdf_fonts(path))


def test_chinese_text_extracts_with_mupdf(built_small):
    for branch, path in branch_pdfs(built_small):
        text = squeeze(pdf_text(path, "mutool"))
        assert squeeze(branch.short_name) in text, path
        assert "党支部" in text


def test_chinese_text_extracts_with_poppler(built_small):
    """Every five-box set whole, and each handbook's cover and first pages (with the branch's full name):
    poppler takes seconds a handbook (test_pdf.py extracts one whole handbook with it, part by part)."""
    for branch, path in branch_pdfs(built_small):
        handbook = path.name == HANDBOOK_FILE
        command = ["pdftotext", "-q", *(["-l", "12"] if handbook else []), str(path), "-"]
        text = squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        assert squeeze(branch.name if handbook else branch.short_name) in text, path
        assert "党支部" in text


def test_every_pdf_has_bookmarks(built_small):
    for _branch, path in branch_pdfs(built_small):
        outline = PdfReader(path).outline
        assert len(outline) >= 2, path
