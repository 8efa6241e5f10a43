"""No *never* field reaches any output; *internal* fields reach only the branch's PDF in print/.

Checked on the shared build of the small fixture (`built_small`), whose canary branch has a member
with canary personal data (tests/support.py).
"""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from tests.support import CANARY_NAME, CANARY_SECRETS, pdf_text

TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".svg", ".css", ".txt", ".csv", ".md"}


def site_texts(site: Path) -> dict[str, str]:
    """Every file of the built site as text: text files as they are, PDFs as extracted text."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in TEXT_SUFFIXES:
            texts[str(path.relative_to(site))] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".pdf":
            texts[str(path.relative_to(site))] = pdf_text(path, "mutool")
    return texts


def output_texts(root: Path) -> dict[str, str]:
    """site_texts of both output folders, keyed by path relative to the project (site/…, print/…)."""
    return {f"{folder}/{name}": text
            for folder in ("site", "print") for name, text in site_texts(root / folder).items()}


def test_canary_personal_fields_appear_nowhere(built_small):
    texts = output_texts(built_small)
    assert "site/search/search_index.json" in texts or "site/search/search_index.js" in texts
    for canary in CANARY_SECRETS:
        leaks = [name for name, text in texts.items() if canary in text]
        assert leaks == [], f"{canary} leaked into {leaks}"


def test_roster_name_is_in_the_pdf_but_not_in_public_files(built_small):
    texts = output_texts(built_small)
    assert CANARY_NAME in texts["print/canary/手册.pdf"]     # roster, sign-in lists, 党费 register
    assert "print/canary/五盒.pdf" in texts                  # checked for leaks like every other file
    public = [name for name, text in texts.items() if name.startswith("site/") and CANARY_NAME in text]
    assert public == []


def test_no_member_personal_field_reaches_any_output_nor_a_roster_name_the_site(built_small):
    project = pipeline.load_project(built_small)
    texts = output_texts(built_small)
    everything = "\n".join(texts.values())
    public = "\n".join(text for name, text in texts.items() if name.startswith("site/"))
    checked = set()
    for branch in project.branches:
        for member in branch.members:
            for value in (member.id_number, member.phone, member.address):
                if value:
                    checked.add(branch.id)
                    assert value not in everything, f"{branch.id}: personal field of {member.name} leaked"
            # Roster names may coincide with committee names, which are public by design.
            committee = {person.name for person in branch.committee.members}
            honoured = {h.recipient for h in branch.honours}
            if member.name not in committee | honoured:
                assert f">{member.name}<" not in public, f"{branch.id}: roster name {member.name} is public"
    # Every branch's roster carries personal fields: an inline roster, a CSV one, the canary's.
    assert checked == {branch.id for branch in project.branches}
