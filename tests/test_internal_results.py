"""The engine's internal results in print: the handbook's 考核情况 and the results PDFs in print/考核结果/.

The shared build of the small fixture (`built_small`; tests/support.py: extend_small) gives each
branch an assessment line, drops one branch's 重点项 below 40 (降档 at a total ≥ 70), and adds the
repository's 党员积分 scheme with a score row for every scored person. Every expected figure comes from
the engine itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import pipeline
from generator.compute.scoring import compute_results, results_view
from generator.outputs import PRINT, PRINT_INDEX, SITE
from generator.pdf.print_sets import HANDBOOK_FILE
from generator.pdf.results import (
    RESULTS_FOLDER,
    priority_marker,
    results_documents,
    typeset_results,
)
from generator.render.results import format_value
from tests.support import LINES, find_leaks, internal_names, pdf_text

MONEY = {"key": "payback", "kind": "money"}
COEFFICIENT = {"key": "coefficient", "kind": "number"}


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def built(built_small) -> Path:
    return built_small


@pytest.fixture(scope="module")
def project(built):
    return pipeline.load_project(built)


@pytest.fixture(scope="module")
def view(project) -> dict[str, dict]:
    return {scheme["id"]: scheme for scheme in results_view(compute_results(project), "internal")}


def _results_pdf(built: Path, slug: str) -> str:
    return _squeezed(pdf_text(built / PRINT.folder / RESULTS_FOLDER / f"{slug}.pdf", "mutool"))   # row by row


def test_the_fixture_exercises_pay_back_penalty_and_priority(view):
    rows = {row["branch_id"]: row for row in view["tiered"]["periods"][0]["rows"]}
    assert rows["qingshan"]["penalized"] and rows["qingshan"]["total"] >= 70      # 重点项 < 40 alone
    assert rows["qingshan"]["coefficient"] != rows["hongguang"]["coefficient"]
    assert not rows["hongguang"]["penalized"]
    assert all(row["payback"] for row in rows.values())
    members = view["points"]["periods"][0]["rows"]
    assert {row["branch_id"] for row in members} == set(LINES)
    assert 0 < sum(row["priority"] for row in members) < len(members)


def test_pay_back_table_has_withheld_times_coefficient_from_the_engine(built, project, view):
    text = _results_pdf(built, "tiered-2026Q1")
    assert "内部资料" in text and "支部书记考核收入返还表" in text
    withheld = next(s for s in project.schemes if s.id == "tiered").rules.withheld
    for row in view["tiered"]["periods"][0]["rows"]:
        branch = project.branch(row["branch_id"])
        secretary = next(m.name for m in branch.committee.members if m.role == "书记")
        amount = withheld[row["line"]]
        assert row["payback"] == pytest.approx(amount * row["coefficient"])
        cells = [row["branch"], secretary, row["line"], format_value(amount, MONEY),
                 format_value(row["coefficient"], COEFFICIENT), format_value(row["payback"], MONEY)]
        assert "".join(cells) in text, cells
        assert row["tier"] in text


def test_points_pdf_lists_each_members_points_band_and_priority(built, project, view):
    text = _results_pdf(built, "points-2026")
    assert "内部资料" in text
    rule = next(s for s in project.schemes if s.id == "points").rules.priority
    marker = priority_marker(rule.share)
    columns = {c["key"]: c for c in view["points"]["columns"]}
    rows = view["points"]["periods"][0]["rows"]
    for row in rows:
        parts = [format_value(row[k], columns[k]) for k in columns if k.startswith("part_")]
        cells = [str(row["rank"]), row["member"], *parts, format_value(row["final"], columns["final"]),
                 row["reward"] or "", row["penalty"] or "", marker if row["priority"] else ""]
        # The status column sits between the name and the parts: match it loosely.
        pattern = re.escape("".join(cells[:2])) + r"(正式党员|预备党员|入党积极分子)" + re.escape("".join(cells[2:]))
        assert re.search(pattern, text), cells
    assert text.count(marker) >= sum(row["priority"] for row in rows)


def test_handbook_shows_the_engines_tier_coefficient_and_members(built, project, view):
    for branch in project.branches:
        text = _squeezed(pdf_text(built / PRINT.folder / branch.id / HANDBOOK_FILE, "mutool"))
        section = text[text.index("考核情况清单管理、台阶考核"):]
        row = next(r for r in view["tiered"]["periods"][0]["rows"] if r["branch_id"] == branch.id)
        of = len(view["tiered"]["periods"][0]["rows"])
        expected = (format_value(row["total"], {"key": "total", "kind": "number"}) + row["tier"]
                    + format_value(row["coefficient"], COEFFICIENT) + f"{row['rank']}/{of}")
        assert expected in section, expected
        if row["penalized"]:
            assert "降档" in section
        members = [r for r in view["points"]["periods"][0]["rows"] if r["branch_id"] == branch.id]
        for member in members:
            assert member["member"] in section
        others = [r["member"] for r in view["points"]["periods"][0]["rows"]
                  if r["branch_id"] != branch.id and r["member"] not in {m.name for m in branch.members}]
        assert not [name for name in others if name in section]


def test_print_index_lists_the_results_pdfs(built, view):
    page = (built / PRINT.folder / PRINT_INDEX).read_text(encoding="utf-8")
    for scheme in view.values():
        for period in scheme["periods"]:
            name = f"{scheme['id']}-{period['period']}.pdf"
            assert f'href="%E8%80%83%E6%A0%B8%E7%BB%93%E6%9E%9C/{name}"' in page
            assert (built / PRINT.folder / RESULTS_FOLDER / name).stat().st_size > 5_000


def test_nothing_of_the_internal_results_reaches_the_site(built, project, view):
    site = built / SITE.folder
    assert not list(site.rglob(f"*{RESULTS_FOLDER}*"))
    assert not [p for p in site.rglob("*.pdf") if p.stem in {"tiered-2026Q1", "points-2026"} and "notices" not in p.parts]
    # Committee members' names are public (org chart); every other scored member's name must stay off the site.
    names = {row["member"] for row in view["points"]["periods"][0]["rows"]} & internal_names(project)
    withheld = {format_value(amount, MONEY) for amount in next(
        s for s in project.schemes if s.id == "tiered").rules.withheld.values()}   # the public rules show these
    paybacks = {format_value(row["payback"], MONEY) for row in view["tiered"]["periods"][0]["rows"]} - withheld
    assert len(names) > 20 and paybacks
    assert find_leaks(site, names | paybacks | {"支部书记考核收入返还表"}) == {}


def test_results_pdf_bytes_are_deterministic(built, project, view):
    documents = results_documents(project, list(view.values()))
    document = next(d for d in documents if d["slug"] == "tiered-2026Q1")
    organization = {"name": project.organization.name, "short_name": project.organization.short_name}
    theme = built / "theme" / "print"
    first = typeset_results(document, organization, "2026年12月1日", theme, "1767225600")
    second = typeset_results(document, organization, "2026年12月1日", theme, "1767225600")
    assert first == second and first.startswith(b"%PDF")
