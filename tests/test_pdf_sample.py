"""Every PDF of the built sample: CJK fonts embedded and subsetted, text extractable by poppler and MuPDF, bookmarks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pipeline
from tests.conftest import pdf_text


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


def test_fonts_are_embedded_and_subsetted(built_sample):
    for branch, path in branch_pdfs(built_sample):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, path
        assert any("CJK" in row for row in rows), f"{path}: no CJK font"
        for row in rows:
            columns = row.split()
            emb, sub = columns[-5], columns[-4]
            assert (emb, sub) == ("yes", "yes"), f"{path}: {row}"


@pytest.mark.parametrize("tool", ["pdftotext", "mutool"])
def test_chinese_text_extracts_with_poppler_and_mupdf(built_sample, tool):
    for branch, path in branch_pdfs(built_sample):
        text = squeeze(pdf_text(path, tool))
        assert squeeze(branch.short_name) in text, f"{tool}: {path}"
        assert "党支部" in text


def test_every_pdf_has_bookmarks(built_sample):
    for branch, path in branch_pdfs(built_sample):
        outline = PdfReader(path).outline
        assert len(outline) >= 2, path
