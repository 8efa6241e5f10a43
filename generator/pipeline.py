"""Turn a project folder into the published site and PDFs: the one orchestrator.

    load → validate → compute results → render pages → build site → data exports
      → print PDFs (handbooks, notices) → publish

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

from generator.compute.notices import project_notices
from generator.compute.scoring import compute_results, results_view
from generator.compute.views import organization_view
from generator.environment import check_environment
from generator.errors import UserError
from generator.export import write_exports
from generator.load.project import load_sources
from generator.models import Project
from generator.pdf.context import print_context, shared_content
from generator.pdf.handbook import HandbookJob, print_handbooks
from generator.pdf.notice import print_notices
from generator.models.common import chinese_date
from generator.render.pages import render_site_pages
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
    """One print job per branch (handbook and five boxes, internal view); the shared chapters are prepared once."""
    shared = shared_content(project)
    generated_on = chinese_date(build_date())
    return [HandbookJob(branch.id, print_context(project, branch, shared, generated_on)) for branch in project.branches]


def _write_pages(files: dict[str, str], docs_dir: Path) -> None:
    for relative, text in sorted(files.items()):
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def render_docs(project: Project, docs_dir: Path, results: tuple | None = None) -> list:
    """Write the site's Markdown pages into `docs_dir`; return the navigation."""
    pages = render_site_pages(project, results)
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
        results = compute_results(project)
        nav = render_docs(project, docs_dir, results)
        build_site(root, docs_dir, staged_site, nav)
        public_results = results_view(results, "public")
        write_exports(public_results, build_date(), staged_site / "data")
        pdfs = 0
        if with_pdf:
            sets = print_handbooks(handbook_jobs(project), staged_site / "pdf", root / "theme" / "print",
                                   workers=workers, show_progress=show_progress)
            pdfs = 2 * len(sets)   # 手册.pdf and 五盒.pdf per branch
            pdfs += len(print_notices(project_notices(project, public_results), organization_view(project.organization),
                                      staged_site / "pdf" / "notices", root / "theme" / "print"))
        elif (site_dir / "pdf").is_dir():
            shutil.copytree(site_dir / "pdf", staged_site / "pdf")
        pages = sum(1 for _ in staged_site.rglob("*.html"))
        _publish(staged_site, site_dir)
    return BuildResult(site_dir, pages, pdfs, report.warnings)
