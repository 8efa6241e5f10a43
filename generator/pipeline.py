"""Turn a project folder into the published site and PDFs: the one orchestrator.

    load → validate → compute views → render pages → build site → print PDFs → publish

Everything is built in a staging folder; only a complete build replaces
`site/`, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import markdown

from generator.compute.views import branch_view, organization_view
from generator.environment import check_environment
from generator.errors import UserError
from generator.load.project import load_sources
from generator.models import Project
from generator.pdf.handbook import HandbookJob, print_handbooks
from generator.render.pages import chinese_date, render_chapter_body, render_site_pages
from generator.site import build_site
from generator.validate.project import validate_project

STAGING = ".branchbook"


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: int
    warnings: tuple[str, ...]


def load_project(root: Path) -> Project:
    """Load and validate; raises ProblemsFound with every mistake in the inputs."""
    return validate_project(load_sources(root))


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def handbook_jobs(project: Project) -> list[HandbookJob]:
    """One print job per branch, with the internal view and the chapters as HTML."""
    organization = organization_view(project.organization)
    jobs = []
    for branch in project.branches:
        chapters = [{"slug": c.slug, "title": c.meta.title, "part": c.meta.part,
                     "html": markdown.markdown(render_chapter_body(c.body, branch.short_name),
                                               extensions=["tables", "attr_list"])}
                    for c in project.chapters]
        context = {"organization": organization,
                   "branch": branch_view(branch, project.organization, "internal"),
                   "chapters": chapters, "year": project.organization.year,
                   "generated_on": chinese_date(build_date())}
        jobs.append(HandbookJob(branch.id, context))
    return jobs


def _write_pages(files: dict[str, str], docs_dir: Path) -> None:
    for relative, text in sorted(files.items()):
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def render_docs(project: Project, docs_dir: Path) -> list:
    """Write the site's Markdown pages into `docs_dir`; return the navigation."""
    pages = render_site_pages(project)
    _write_pages(pages.files, docs_dir)
    return pages.nav


def _publish(staged_site: Path, site_dir: Path) -> None:
    """Replace `site_dir` with the staged build in two renames."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f"{site_dir.name}.old-{os.getpid()}")
        site_dir.rename(old)
    staged_site.rename(site_dir)
    if old is not None:
        shutil.rmtree(old)


def build(root: Path, with_pdf: bool = True, workers: int = 2, show_progress: bool = True) -> BuildResult:
    """The whole build; the previous `site/` stays untouched unless everything succeeds."""
    report = check_environment(for_pdf=with_pdf)
    if report.errors:
        raise UserError("\n".join(report.errors))
    project = load_project(root)
    site_dir = root / "site"
    (root / STAGING).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-", dir=root / STAGING) as staging:
        docs_dir, staged_site = Path(staging) / "docs", Path(staging) / "site"
        nav = render_docs(project, docs_dir)
        build_site(root, docs_dir, staged_site, nav)
        pdfs = 0
        if with_pdf:
            pdfs = len(print_handbooks(handbook_jobs(project), staged_site / "pdf", root / "theme" / "print",
                                       workers=workers, show_progress=show_progress))
        elif (site_dir / "pdf").is_dir():
            shutil.copytree(site_dir / "pdf", staged_site / "pdf")
        pages = sum(1 for _ in staged_site.rglob("*.html"))
        _publish(staged_site, site_dir)
    return BuildResult(site_dir, pages, pdfs, report.warnings)
