"""公示 notices: title pattern, the working-day period, the organization's channel, archive order, feed, PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
import xml.etree.ElementTree as ET

import pytest

from generator.compute.notices import project_notices
from generator.compute.scoring import compute_results, results_view
from generator.compute.views import organization_view
from generator.render.feed import notices_feed

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def notices(sample_project):
    return project_notices(sample_project, results_view(compute_results(sample_project), "public"))


def test_notices_are_newest_first_with_the_usual_title(notices):
    assert [n["slug"] for n in notices][:3] == ["grading-2026", "five-step-2026", "tiered-2026Q4"]
    assert all(n["title"].startswith("关于") and n["title"].endswith("结果的公示") for n in notices)
    dates = [n["published"] for n in notices]
    assert dates == sorted(dates, reverse=True)


def test_q3_notice_period_channel_and_issuer(notices, sample_project):
    notice = next(n for n in notices if n["slug"] == "tiered-2026Q3")
    assert notice["title"] == "关于2026年第三季度清单管理、台阶考核结果的公示"
    assert (notice["start"], notice["end"]) == (dt.date(2026, 10, 1), dt.date(2026, 10, 13))
    assert notice["period_text"] == "2026年10月1日至2026年10月13日（5个工作日）"
    assert notice["channel"] == {"contact": "党工委组织部", "phone": "0571-86009100", "email": "zzb@yunxi.example.cn",
                                 "address": "云溪新区云溪大道1号新区政务中心A座5楼党工委组织部"}
    assert (notice["issuer"], notice["date_text"]) == ("中共云溪新区工作委员会", "2026年9月30日")
    assert [c["key"] for c in notice["columns"]] == ["rank", "branch", "subtotal_1", "subtotal_2", "subtotal_3",
                                                     "total", "tier", "coefficient"]
    table = next(s for s in sample_project.scores if s.scheme_id == "tiered" and s.period == "2026Q3")
    assert len(notice["rows"]) == len(table.rows) > 2


def test_red_flag_notice_shows_the_tie_and_the_prizes(notices):
    notice = next(n for n in notices if n["slug"] == "red-flag-2026Q3")
    assert [(r["rank"], r["branch"], r["prize"], r["flag"]) for r in notice["rows"]][:2] == [
        (1, "红光社区党支部", 600, True), (1, "上洋村党支部", 600, True)]
    assert notice["end"] == dt.date(2026, 10, 10)          # 9/29, 9/30, 10/8, 10/9 and the working Saturday 10/10


def test_no_notice_for_member_points(notices):
    assert not any(n["scheme_id"] == "points" for n in notices)


def test_atom_feed_is_well_formed_stable_and_newest_first(notices, sample_project):
    organization = organization_view(sample_project.organization)
    text = notices_feed(notices, organization)
    assert text == notices_feed(notices, organization)
    feed = ET.fromstring(text.encode("utf-8"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(notices)
    assert entries[0].find(f"{ATOM}title").text == notices[0]["title"]
    assert feed.find(f"{ATOM}updated").text == "2026-12-24T00:00:00+08:00"
    assert entries[0].find(f"{ATOM}link").get("href") == "grading-2026.html"
    assert all(e.find(f"{ATOM}id").text.startswith("urn:uuid:") for e in entries)


def test_notice_pdf_is_one_a4_document_with_title_period_and_issuer(notices, sample_project, tmp_path):
    from generator.pdf.notice import print_notices
    from tests.support import REPO

    notice = next(n for n in notices if n["slug"] == "tiered-2026Q3")
    [path] = print_notices([notice], organization_view(sample_project.organization), tmp_path, REPO / "theme/print")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info and "CreationDate:    Wed Sep 30" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for expected in ("关于2026年第三季度清单管理、台阶考核结果的公示", "2026年10月1日至2026年10月13日（5个工作日）",
                     "0571-86009100", "中共云溪新区工作委员会", "2026年9月30日", "蓝鲸物流党支部"):
        assert expected in flat
    again = print_notices([notice], organization_view(sample_project.organization), tmp_path / "again",
                          REPO / "theme/print")[0]
    assert again.read_bytes() == path.read_bytes()
