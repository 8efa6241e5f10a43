"""The repository's 13-branch sample as a site: complete, offline, and searchable in Chinese from file://.

The sample's smoke test: it is built once per test run without PDFs (`sample_site`, shared with
test_search.py); the print sets are checked on the shared build of the small fixture.
"""

from __future__ import annotations

import re

import pytest

from generator import pipeline
from tests import browser

EXTERNAL_URL = re.compile(r"https?://([^/\s\"'<>()\\]*)", re.IGNORECASE)
needs_chromium = pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium is not installed")


def test_every_branch_has_a_page_and_an_internal_print_set(built_small):
    site, printed = built_small / "site", built_small / "print"
    assert (site / "index.html").is_file()
    index = (printed / "index.html").read_text(encoding="utf-8")
    for branch in pipeline.load_project(built_small).branches:
        page = (site / "branches" / f"{branch.id}.html").read_text(encoding="utf-8")
        assert branch.short_name in page
        for name, encoded in (("手册.pdf", "%E6%89%8B%E5%86%8C.pdf"), ("五盒.pdf", "%E4%BA%94%E7%9B%92.pdf")):
            assert encoded not in page and name not in page
            assert (printed / branch.id / name).stat().st_size > 10_000
            assert f'href="{branch.id}/{encoded}"' in index
        assert not (site / "pdf" / branch.id).exists()


def test_the_sample_builds_a_page_for_every_branch(sample_site):
    project = pipeline.load_project(sample_site)
    assert len(project.branches) > 2                     # the sample, not the small fixture
    for branch in project.branches:
        page = (sample_site / "site" / "branches" / f"{branch.id}.html").read_text(encoding="utf-8")
        assert branch.short_name in page


def test_no_built_file_references_an_external_host(sample_site):
    hosts = {}
    for path in (sample_site / "site").rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            for host in EXTERNAL_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
                if host.lower() != "www.w3.org":
                    hosts.setdefault(host, str(path.relative_to(sample_site)))
    assert hosts == {}


@needs_chromium
def test_search_for_activists_lists_the_recruitment_pages(sample_site, chromium):
    site = sample_site / "site"
    found = browser.search_site(site, "积极分子", chromium=chromium)
    assert "chapters/fazhan-dangyuan.html" in found
    for url in found:
        text = (site / url).read_text(encoding="utf-8")
        assert "积极分子" in text, f"{url} listed for 积极分子 but does not contain it"


@needs_chromium
def test_search_for_party_dues_finds_the_dues_rules(sample_site, chromium):
    found = browser.search_site(sample_site / "site", "党费", chromium=chromium)
    assert "chapters/dangfei.html" in found


@needs_chromium
def test_pages_load_from_file_without_network_requests(sample_site, chromium):
    site = sample_site / "site"
    for page in ("index.html", "branches/index.html", "branches/hongguang.html"):
        requests = browser.collect_requests(site / page, search="党费", chromium=chromium)
        assert [url for url in requests if not url.startswith("file:")] == []


@needs_chromium
def test_directory_filter_shows_only_the_chosen_type(sample_site, chromium):
    project = pipeline.load_project(sample_site)
    rural = sorted(branch.short_name for branch in project.branches if branch.type == "农村")
    assert rural and len(rural) < len(project.branches)
    rows = browser.choose_and_list_visible(sample_site / "site" / "branches" / "index.html",
                                           "#branch-type-filter", "农村", "tr[data-type]", chromium=chromium)
    assert sorted(row.split()[0] for row in rows) == rural


@needs_chromium
def test_search_finds_a_workflow_by_step_and_by_document(sample_site, chromium):
    site = sample_site / "site"
    assert "workflows/fazhan-dangyuan.html" in browser.search_site(site, "政治审查", chromium=chromium)
    assert "workflows/fazhan-dangyuan.html" in browser.search_site(site, "入党志愿书", chromium=chromium)


def test_every_workflow_page_shows_diagram_step_table_and_basis(sample_site):
    site = sample_site / "site"
    for workflow in pipeline.load_project(sample_site).workflows:
        page = (site / "workflows" / f"{workflow.id}.html").read_text(encoding="utf-8")
        assert f'src="{workflow.id}-1.svg"' in page
        assert (site / "workflows" / f"{workflow.id}-1.svg").is_file()
        assert workflow.basis[0].document.split("》")[0].lstrip("《") in page
        for step in workflow.steps:
            assert step.name in page, f"{workflow.id}: step {step.name} missing from the table"
