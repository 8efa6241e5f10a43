"""No public page, notice, feed or export holds an individual member's points or an internal result (canaries).

A copy of the sample gets the canary branch of conftest, enrolled in the
党员积分 scheme with odd, recognisable scores for its members, and an odd
withheld amount for 二线 secretaries so that a pay-back (internal) is
recognisable too. The internal results must hold the canaries — proof that
they were computed — and no public file may.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.compute.notices import project_notices
from generator.compute.scoring import compute_results, results_view
from generator.compute.views import organization_view
from generator.pdf.notice import print_notices
from tests.conftest import CANARY_BRANCH, CANARY_ID_NUMBER, CANARY_NAME, CANARY_PHONE, copy_sample
from tests.test_privacy import pdf_text

# 甄守拙: daily 33.17 + 27.31 + 21.13 = 81.61, review 77.77 → final 0.7 × 81.61 + 0.3 × 77.77 = 80.46
POINTS_ROWS = ("canary,测试党支部,贺知章,36,27,27,90\r\n"
               f"canary,测试党支部,{CANARY_NAME},33.17,27.31,21.13,77.77\r\n"
               "canary,测试党支部,柳如眉,28,21,21,70\r\n")
POINT_CANARIES = ("80.46", "81.61", "77.77", "33.17", "27.31", "21.13")
PAYBACK_CANARY = "2439.9"            # ruifeng (二线), coefficient 0.9 × withheld 2711


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("canary"))
    (root / "branches/canary.yml").write_text(CANARY_BRANCH, encoding="utf-8")
    points = root / "content/schemes/points.yml"
    points.write_text(points.read_text(encoding="utf-8").replace(
        "branches: [zhiyuan-xuesheng, zhiyuan-jiaogong, shuiwu]", "branches: [zhiyuan-xuesheng, zhiyuan-jiaogong, shuiwu, canary]"),
        encoding="utf-8")
    with (root / "scores/points/2026.csv").open("a", encoding="utf-8", newline="") as sheet:
        sheet.write(POINTS_ROWS)
    tiered = root / "content/schemes/tiered.yml"
    tiered.write_text(tiered.read_text(encoding="utf-8").replace("二线: 2000", "二线: 2711"), encoding="utf-8")
    pipeline.build(root, with_pdf=False, show_progress=False)
    project = pipeline.load_project(root)
    public = results_view(compute_results(project), "public")
    print_notices(project_notices(project, public), organization_view(project.organization),
                  root / "site/pdf/notices", root / "theme/print")
    return root


def public_texts(site: Path) -> dict[str, str]:
    """Every public file as text: pages, search index, feed, data files (XLSX unzipped), SVG text, notice PDFs."""
    texts = {}
    for path in sorted(site.rglob("*")):
        name = str(path.relative_to(site))
        if path.suffix in (".html", ".json", ".js", ".xml", ".csv", ".md", ".txt"):
            texts[name] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".svg":       # text nodes only: path coordinates are numbers too
            texts[name] = " ".join(re.findall(r">([^<>]+)<", path.read_text(encoding="utf-8")))
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as book:
                texts[name] = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        elif path.suffix == ".pdf" and "notices" in path.parts:
            texts[name] = pdf_text(path)
    return texts


def test_the_canaries_were_computed_internally(canary_site):
    project = pipeline.load_project(canary_site)
    internal = results_view(compute_results(project), "internal")
    points = next(v for v in internal if v["id"] == "points")
    canary = next(r for r in points["periods"][0]["rows"] if r["member"] == CANARY_NAME)
    assert (canary["final"], canary["part_1"], canary["part_2"]) == (80.46, 81.61, 77.77)
    tiered = next(v for v in internal if v["id"] == "tiered")
    assert next(r for r in tiered["periods"][0]["rows"] if r["branch_id"] == "ruifeng")["payback"] == 2439.9


def test_public_outputs_exist_where_the_canaries_could_leak(canary_site):
    texts = public_texts(canary_site / "site")
    for name in ("data/results.json", "data/results.xlsx", "data/points.csv", "notices/feed.xml",
                 "results/points/2026.html", "pdf/notices/tiered-2026Q3.pdf", "search/search_index.json"):
        assert name in texts, name
    assert "测试党支部" in texts["results/points/2026.html"]            # the canary branch is summarised …
    assert "测试党支部" in texts["data/points.csv"]


def test_no_individual_points_or_internal_result_is_public(canary_site):
    texts = public_texts(canary_site / "site")
    for canary in (*POINT_CANARIES, PAYBACK_CANARY, CANARY_NAME, CANARY_ID_NUMBER, CANARY_PHONE):
        leaks = [name for name, text in texts.items() if canary in text]
        assert leaks == [], f"{canary} leaked into {leaks}"


def test_public_exports_have_no_internal_columns(canary_site):
    texts = public_texts(canary_site / "site")
    for column in ("payback", "member", "final", "返还金额", "最终积分", "姓名"):
        leaks = [name for name in ("data/results.json", "data/results.xlsx", "data/tiered.csv", "data/points.csv")
                 if column in texts[name]]
        assert leaks == [], f"column {column} in {leaks}"
