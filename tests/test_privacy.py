"""No *never* field reaches any output; *internal* fields reach only the branch's PDF in print/."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from tests.conftest import CANARY_ADDRESS, CANARY_ID_NUMBER, CANARY_NAME, CANARY_PHONE, pdf_text

TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".svg", ".css", ".txt", ".csv", ".md"}


def site_texts(site: Path) -> dict[str, str]:
    """Every file of the built site as text: text files as they are, PDFs as extracted text."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in TEXT_SUFFIXES:
            texts[str(path.relative_to(site))] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".pdf":
            texts[str(path.relative_to(site))] = pdf_text(path)
    return texts


def output_texts(root: Path) -> dict[str, str]:
    """site_texts of both output folders, keyed by path relative to the project (site/…, print/…)."""
    return {f"{folder}/{name}": text
            for folder in ("site", "print") for name, text in site_texts(root / folder).items()}


def test_canary_personal_fields_appear_nowhere(built_sample):
    texts = output_texts(built_sample)
    assert "site/search/search_index.json" in texts or "site/search/search_index.js" in texts
    for canary in (CANARY_ID_NUMBER, CANARY_PHONE, CANARY_ADDRESS, "金丝楼", "1980-02-29", "1980年2月29日"):
        leaks = [name for name, text in texts.items() if canary in text]
        assert leaks == [], f"{canary} leaked into {leaks}"


def test_roster_name_is_in_the_pdf_but_not_in_public_files(built_sample):
    texts = output_texts(built_sample)
    assert CANARY_NAME in texts["print/canary/手册.pdf"]     # roster, sign-in lists, 党费 register
    assert "print/canary/五盒.pdf" in texts                  # checked for leaks like every other file
    public = [name for name, text in texts.items() if name.startswith("site/") and CANARY_NAME in text]
    assert public == []


def test_no_sample_member_personal_field_reaches_the_site(built_sample):
    project = pipeline.load_project(built_sample)
    texts = output_texts(built_sample)
    everything = "\n".join(texts.values())
    public = "\n".join(text for name, text in texts.items() if name.startswith("site/"))
    checked = 0
    for branch in project.branches:
        for member in branch.members:
            for value in (member.id_number, member.phone, member.address):
                if value:
                    checked += 1
                    assert value not in everything, f"{branch.id}: personal field of {member.name} leaked"
            # Roster names may coincide with committee names, which are public by design.
            committee = {person.name for person in branch.committee.members}
            honoured = {h.recipient for h in branch.honours}
            if member.name not in committee | honoured:
                assert f">{member.name}<" not in public, f"{branch.id}: roster name {member.name} is public"
    assert checked > 100
