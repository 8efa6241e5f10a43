"""No public page, notice, feed or export holds an individual member's points or an internal result (canaries).

The shared build of the small fixture (`built_small`; tests/support.py: extend_small) has the canary
branch enrolled in the 党员积分 scheme with odd, recognisable scores for its members, and an odd
withheld amount for 二线 secretaries so that its pay-back (internal) is recognisable too. The internal
results must hold the canaries — proof that they were computed — and no public file may.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.compute.scoring import compute_results, results_view
from tests.support import (
    CANARY_ID_NUMBER,
    CANARY_NAME,
    CANARY_PHONE,
    CANARY_POINT_VALUES,
    SECOND_LINE_WITHHELD,
    pdf_text,
)


@pytest.fixture(scope="module")
def canary_site(built_small) -> Path:
    return built_small


@pytest.fixture(scope="module")
def internal(canary_site) -> dict[str, dict]:
    return {scheme["id"]: scheme for scheme in results_view(compute_results(pipeline.load_project(canary_site)),
                                                            "internal")}


@pytest.fixture(scope="module")
def payback_canary(internal) -> str:
    """The canary branch's pay-back as the results show it: coefficient × the odd withheld amount."""
    row = next(r for r in internal["tiered"]["periods"][0]["rows"] if r["branch_id"] == "canary")
    assert row["line"] == "二线" and row["payback"] == pytest.approx(row["coefficient"] * SECOND_LINE_WITHHELD)
    return f"{row['payback']:g}"


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


def test_the_canaries_were_computed_internally(internal, payback_canary):
    canary = next(r for r in internal["points"]["periods"][0]["rows"] if r["member"] == CANARY_NAME)
    assert (canary["final"], canary["part_1"], canary["part_2"]) == (80.46, 81.61, 77.77)
    assert payback_canary == "2439.9"         # 第二台阶: 0.9 × 2711


def test_public_outputs_exist_where_the_canaries_could_leak(canary_site):
    texts = public_texts(canary_site / "site")
    for name in ("data/results.json", "data/results.xlsx", "data/points.csv", "notices/feed.xml",
                 "results/points/2026.html", "pdf/notices/tiered-2026Q1.pdf", "search/search_index.js"):
        assert name in texts, name
    assert "测试党支部" in texts["results/points/2026.html"]            # the canary branch is summarised …
    assert "测试党支部" in texts["data/points.csv"]


def test_no_individual_points_or_internal_result_is_public(canary_site, payback_canary):
    texts = public_texts(canary_site / "site")
    for canary in (*CANARY_POINT_VALUES, payback_canary, CANARY_NAME, CANARY_ID_NUMBER, CANARY_PHONE):
        leaks = [name for name, text in texts.items() if canary in text]
        assert leaks == [], f"{canary} leaked into {leaks}"


def test_public_exports_have_no_internal_columns(canary_site):
    texts = public_texts(canary_site / "site")
    for column in ("payback", "member", "final", "返还金额", "最终积分", "姓名"):
        leaks = [name for name in ("data/results.json", "data/results.xlsx", "data/tiered.csv", "data/points.csv")
                 if column in texts[name]]
        assert leaks == [], f"column {column} in {leaks}"
