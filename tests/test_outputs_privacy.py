"""What each output folder may contain: `site/` nothing internal, no output anything of privacy class *never*.

The values looked for are derived from the loaded project and the models'
privacy classes, not typed in: every roster and applicant name that the public
views do not show, and every value of a `never` field. Each file is searched
as raw bytes (UTF-8 and UTF-16) and as the text a reader gets from it: PDF text
by pdftotext, HTML with character references resolved, JSON with \\u escapes
resolved and the search index's word breaks removed, the sheets inside XLSX.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import pytest
from pydantic import BaseModel

from generator import pipeline
from generator.compute.scoring import compute_results, results_view
from generator.models.common import privacy_of
from generator.periods import chinese_date
from generator.outputs import OUTPUTS, PRINT, PRINT_INDEX, SITE
from generator.pdf.print_sets import BOXES_FILE, HANDBOOK_FILE
from generator.pdf.results import RESULTS_FOLDER
from tests.conftest import copy_small, pdf_text

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u00ad\ufeff]+")


# ---- What must not appear ---------------------------------------------------


def _walk(value, privacy: str = "public"):
    """(privacy, value) for every leaf of the project's models; a leaf inherits the strictest class above it."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            own = privacy_of(type(value), name)
            strictest = max(privacy, own, key=("public", "internal", "never").index)
            yield from _walk(getattr(value, name), strictest)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _walk(getattr(value, item.name), privacy)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item, privacy)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, privacy)
    elif value is not None and not isinstance(value, (bool, int, float, Path)):
        yield privacy, value


def _forms(value) -> set[str]:
    """The ways a value can be written in an output."""
    if isinstance(value, dt.date):
        return {value.isoformat(), chinese_date(value)}
    return {str(value)}


def never_values(project) -> set[str]:
    """Every value of a *never* field, except dates that are also legitimately shown as another field's value."""
    leaves = list(_walk(project))
    shown = {form for privacy, value in leaves if privacy != "never" for form in _forms(value)}
    return {form for privacy, value in leaves if privacy == "never"
            for form in _forms(value) if form not in shown and len(form) >= 4}


def internal_names(project) -> set[str]:
    """Roster, applicant and (member-scheme) score-row names that no public field contains."""
    models = dataclasses.replace(project, scores=())       # score sheets carry no privacy classes
    public_text = "\n".join(str(value) for privacy, value in _walk(models) if privacy == "public")
    names = {member.name for branch in project.branches for member in branch.members}
    names |= {applicant.name for branch in project.branches for applicant in branch.applicants}
    for scheme in results_view(compute_results(project), "internal"):
        if scheme["subject"] == "member":
            names |= {row["member"] for period in scheme["periods"] for row in period["rows"] if row.get("member")}
    return {name for name in names if name not in public_text}


# ---- The check --------------------------------------------------------------


_TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".svg", ".css", ".txt", ".csv", ".md"}


def _readings(path: Path, data: bytes) -> list[str]:
    """What a reader gets out of one file, whitespace and zero-width breaks removed (binary files: nothing)."""
    readings = []
    if path.suffix in _TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        readings += [text, html.unescape(text), _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)]
        if path.suffix == ".json":
            readings.append(json.dumps(json.loads(text), ensure_ascii=False))
    elif path.suffix == ".pdf":
        readings.append(pdf_text(path))
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            readings += [html.unescape(book.read(name).decode("utf-8", errors="replace")) for name in book.namelist()]
    return [_INVISIBLE.sub("", reading) for reading in readings]


def find_leaks(tree: Path, values: set[str]) -> dict[str, list[str]]:
    """value → the files under `tree` (relative paths) that contain it as raw bytes or in any reading."""
    leaks: dict[str, list[str]] = {}
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        data = path.read_bytes()
        readings = _readings(path, data)
        for value in values:
            squeezed = _INVISIBLE.sub("", value)
            if (value.encode("utf-8") in data or value.encode("utf-16-be") in data
                    or any(squeezed in reading for reading in readings)):
                leaks.setdefault(value, []).append(path.relative_to(tree).as_posix())
    return leaks


# ---- The built fixture ------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_small(tmp_path_factory.mktemp("privacy") / "org")
    pipeline.build(root, with_pdf=True, workers=2, show_progress=False)
    return root


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


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [value for name, value in attrs if name in ("href", "src") and value]


def _local_target(page: Path, link: str, root: Path | None = None) -> Path | None:
    """The file a local link points to; root-relative links (the 404 page's) count from `root`."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = root if path.startswith("/") and root is not None else page.parent
    return (base / path.lstrip("/")).resolve()


def link_problems(site: Path) -> tuple[int, list[str], list[str]]:
    """(local links checked, links to nothing, links leaving the site or into print/) of a built site."""
    site = site.resolve()
    broken, outside, checked = [], [], 0
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.targets:
            target = _local_target(page, link, site)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)} → {link}"
            if "print" in Path(unquote(urlsplit(link).path)).parts or not target.is_relative_to(site):
                outside.append(where)
            elif not (target.is_file() or (target / "index.html").is_file()):
                broken.append(where)
    return checked, broken, outside


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
        parser = _Links()
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
    parser = _Links()
    parser.feed(page)
    targets = [_local_target(index, link) for link in parser.targets]
    assert all(target is not None for target in targets)
    expected = {(built / PRINT.folder / branch.id / name).resolve()
                for branch in project.branches for name in (HANDBOOK_FILE, BOXES_FILE)}
    results = {path.resolve() for path in (built / PRINT.folder / RESULTS_FOLDER).glob("*.pdf")}
    assert results and set(targets) == expected | results      # the organization department's results PDFs too
    assert all(path.stat().st_size > 10_000 for path in expected)
    for branch in project.branches:
        assert branch.short_name in page
