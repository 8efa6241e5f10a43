"""What each output folder may contain: `site/` nothing internal, no output anything of privacy class *never*.

The values looked for are derived from the loaded project and the models'
privacy classes, not typed in: every roster and applicant name that the public
views do not show, and every value of a `never` field. Each file is searched
as raw bytes (UTF-8 and UTF-16) and as the text a reader gets from it: PDF text
by MuPDF, HTML with character references resolved, JSON with \\u escapes
resolved and the search index's word breaks removed, the sheets inside XLSX.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import pytest

from generator import pipeline
from generator.outputs import OUTPUTS, PRINT, PRINT_INDEX, SITE
from generator.pdf.print_sets import BOXES_FILE, HANDBOOK_FILE
from generator.pdf.results import RESULTS_FOLDER
from tests.support import Links, copy_small, find_leaks, internal_names, link_problems, local_target, never_values

# ---- The built fixture ------------------------------------------------------


@pytest.fixture(scope="module")
def built(built_small) -> Path:
    """The shared build of the small fixture with PDFs (tests/support.py: extend_small)."""
    return built_small


@pytest.fixture(scope="module")
def project(built):
    return pipeline.load_project(built)


def test_the_audience_table_names_both_folders():
    assert {output.folder: output.audience for output in OUTPUTS} == {"site": "public", "print": "internal"}


def test_no_internal_value_is_anywhere_on_the_public_site(built, project):
    names = internal_names(project)
    assert len(names) >= 20         # 31 members and the applicants, less the committee and honoured members
    assert find_leaks(built / SITE.folder, names) == {}


def test_the_check_finds_internal_names_in_the_print_sets(built, project):
    names = internal_names(project)
    found = find_leaks(built / PRINT.folder, names)
    assert len(found) >= len(names) * 0.8, sorted(names - set(found))
    first_branch = project.branches[0]
    member = next(m.name for m in first_branch.members if m.name in names)
    assert f"{first_branch.id}/{HANDBOOK_FILE}" in found[member]


def test_no_never_value_is_in_any_output(built, project):
    values = never_values(project)
    assert any(re.fullmatch(r"\d{17}[\dX]", value) for value in values)          # ID numbers
    assert any(re.fullmatch(r"1\d{10}", value) for value in values)              # mobile phones
    assert any("年" in value for value in values)                                # birth dates, Chinese form
    for output in OUTPUTS:
        assert find_leaks(built / output.folder, values) == {}, output.folder


def test_a_template_that_shows_the_roster_is_caught(tmp_path, monkeypatch, project):
    """A public page fed the internal view and listing the roster: the same check reports its names."""
    from generator.compute import views
    from generator.render import pages

    original_environment = pages.template_environment

    def leaky_environment():
        env = original_environment()
        source = env.loader.get_source(env, "branch.md.j2")[0]
        leak = "\n本支部党员：{% for m in branch.members %}{{ m.name }} {% endfor %}\n"
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({"branch.md.j2": source + leak}), env.loader])
        return env

    monkeypatch.setattr(pages, "template_environment", leaky_environment)
    monkeypatch.setattr(pages, "branch_view", lambda branch, organization, audience:
                        views.branch_view(branch, organization, "internal"))
    root = copy_small(tmp_path / "org")
    pipeline.build(root, with_pdf=False, show_progress=False)
    leaks = find_leaks(root / SITE.folder, internal_names(project))
    assert leaks
    assert all(any(path.startswith("branches/") for path in paths) for paths in leaks.values())


# ---- Links ------------------------------------------------------------------


def test_every_local_link_of_the_site_exists_and_none_leads_into_print(built):
    checked, broken, outside = link_problems(built / SITE.folder)
    assert checked > 500
    assert outside == []
    assert broken == []


def test_a_first_build_without_pdfs_links_nothing_that_does_not_exist(tmp_path):
    root = copy_small(tmp_path / "org")
    pipeline.build(root, with_pdf=False, show_progress=False)
    checked, broken, outside = link_problems(root / SITE.folder)
    assert checked > 500 and broken == [] and outside == []
    notices = sorted((root / SITE.folder / "notices").glob("*-*.html"))
    assert notices and all("PDF 尚未生成" in page.read_text(encoding="utf-8") for page in notices)


def test_no_public_page_offers_the_print_sets(built, project):
    site = built / SITE.folder
    offering = []
    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        offering += [f"{page.relative_to(site)} → {link}" for link in parser.targets
                     if unquote(urlsplit(link).path).endswith((HANDBOOK_FILE, BOXES_FILE))]
    assert offering == []
    assert not any((site / "pdf" / branch.id).exists() for branch in project.branches)
    downloads = (site / "downloads.html").read_text(encoding="utf-8")
    assert "print/" in downloads and "results/data.html" in downloads and "notices/index.html" in downloads


def test_the_print_index_lists_every_branch_with_its_two_pdfs_and_a_warning(built, project):
    index = built / PRINT.folder / PRINT_INDEX
    page = index.read_text(encoding="utf-8")
    assert "个人信息" in page and "网络服务器" in page
    parser = Links()
    parser.feed(page)
    targets = [local_target(index, link) for link in parser.targets]
    assert all(target is not None for target in targets)
    expected = {(built / PRINT.folder / branch.id / name).resolve()
                for branch in project.branches for name in (HANDBOOK_FILE, BOXES_FILE)}
    results = {path.resolve() for path in (built / PRINT.folder / RESULTS_FOLDER).glob("*.pdf")}
    assert results and set(targets) == expected | results      # the organization department's results PDFs too
    assert all(path.stat().st_size > 10_000 for path in expected)
    for branch in project.branches:
        assert branch.short_name in page
