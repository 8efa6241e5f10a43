"""The built sample site: complete, offline, and searchable in Chinese from file://."""

from __future__ import annotations

import re

import pytest

from generator import pipeline
from tests import browser

EXTERNAL_URL = re.compile(r"https?://([^/\s\"'<>()\\]*)", re.IGNORECASE)
needs_chromium = pytest.mark.skipif(not browser.chromium_available(), reason="Debian chromium is not installed")


def test_every_branch_has_a_page_and_an_internal_print_set(built_sample):
    site, printed = built_sample / "site", built_sample / "print"
    assert (site / "index.html").is_file()
    index = (printed / "index.html").read_text(encoding="utf-8")
    for branch in pipeline.load_project(built_sample).branches:
        page = (site / "branches" / f"{branch.id}.html").read_text(encoding="utf-8")
        assert branch.short_name in page
        for name, encoded in (("手册.pdf", "%E6%89%8B%E5%86%8C.pdf"), ("五盒.pdf", "%E4%BA%94%E7%9B%92.pdf")):
            assert encoded not in page and name not in page
            assert (printed / branch.id / name).stat().st_size > 10_000
            assert f'href="{branch.id}/{encoded}"' in index
        assert not (site / "pdf" / branch.id).exists()


def test_no_built_file_references_an_external_host(built_sample):
    hosts = {}
    for path in (built_sample / "site").rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            for host in EXTERNAL_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
                if host.lower() != "www.w3.org":
                    hosts.setdefault(host, str(path.relative_to(built_sample)))
    assert hosts == {}


@needs_chromium
def test_search_for_activists_lists_the_recruitment_pages(built_sample):
    site = built_sample / "site"
    found = browser.search_site(site, "积极分子")
    assert "chapters/fazhan-dangyuan.html" in found
    for url in found:
        text = (site / url).read_text(encoding="utf-8")
        assert "积极分子" in text, f"{url} listed for 积极分子 but does not contain it"


@needs_chromium
def test_search_for_party_dues_finds_the_dues_rules(built_sample):
    found = browser.search_site(built_sample / "site", "党费")
    assert "chapters/dangfei.html" in found


@needs_chromium
def test_pages_load_from_file_without_network_requests(built_sample):
    site = built_sample / "site"
    for page in ("index.html", "branches/index.html", "branches/hongguang.html"):
        requests = browser.collect_requests(site / page, search="党费")
        assert [url for url in requests if not url.startswith("file:")] == []


@needs_chromium
def test_directory_filter_shows_only_the_chosen_type(built_sample):
    rows = browser.choose_and_list_visible(built_sample / "site" / "branches" / "index.html",
                                           "#branch-type-filter", "农村", "tr[data-type]")
    assert sorted(row.split()[0] for row in rows) == ["上洋村党支部", "竹坞村党支部"]


@needs_chromium
def test_search_finds_a_workflow_by_step_and_by_document(built_sample):
    site = built_sample / "site"
    assert "workflows/fazhan-dangyuan.html" in browser.search_site(site, "政治审查")
    assert "workflows/fazhan-dangyuan.html" in browser.search_site(site, "入党志愿书")


def test_every_workflow_page_shows_diagram_step_table_and_basis(built_sample):
    site = built_sample / "site"
    for workflow in pipeline.load_project(built_sample).workflows:
        page = (site / "workflows" / f"{workflow.id}.html").read_text(encoding="utf-8")
        assert f'src="{workflow.id}-1.svg"' in page
        assert (site / "workflows" / f"{workflow.id}-1.svg").is_file()
        assert workflow.basis[0].document.split("》")[0].lstrip("《") in page
        for step in workflow.steps:
            assert step.name in page, f"{workflow.id}: step {step.name} missing from the table"
