"""Turn a project folder into the published site and print sets: the one orchestrator.

    load → validate → compute results → render pages → build site → data exports
      → print PDFs (handbooks and results into print/, notices into the site) → publish

`generator.outputs` says which folder is for whom: `site/` is public, `print/`
internal. Everything is built in a staging folder under the project lock;
only a complete build replaces `site/` and `print/` (see `generator.publish`),
so a failed, interrupted or killed build leaves the previous ones untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from generator.compute.notices import project_notices
from generator.compute.scoring import compute_results, results_view
from generator.compute.views import organization_view
from generator.preflight import check_environment
from generator.errors import UserError
from generator.export import write_exports
from generator.load.project import load_sources
from generator.models import Project
from generator.pdf.context import print_context, shared_content
from generator.pdf.print_sets import HandbookJob, print_handbooks
from generator.pdf.notice import print_notices
from generator.pdf.results import RESULTS_FOLDER, print_results, results_documents
from generator.outputs import NOTICE_PDFS, OUTPUTS, PRINT, SITE, write_print_index
from generator.publish import link_tree, prepare, project_lock, publish, staging
from generator.periods import chinese_date
from generator.render.pages import render_site_pages
from generator.site import build_site
from generator.validate.project import validate_project


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: int
    warnings: tuple[str, ...]
    print_dir: Path | None = None     # set when this build printed the internal sets


def load_project(root: Path) -> Project:
    """Load and validate; raises ProblemsFound with every mistake in the inputs."""
    return validate_project(load_sources(root))


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def handbook_jobs(project: Project, results: list[dict] | None = None) -> list[HandbookJob]:
    """One print job per branch (handbook and five boxes, internal view); the shared chapters are prepared once.

    `results` is the internal results view (computed when not given): the handbooks' 考核情况.
    """
    shared = shared_content(project)
    generated_on = chinese_date(build_date())
    if results is None:
        results = results_view(compute_results(project), PRINT.audience)
    return [HandbookJob(branch.id, print_context(project, branch, shared, generated_on, results))
            for branch in project.branches]


def print_internal_results(project: Project, results: list[dict], print_dir: Path, theme_dir: Path) -> list[dict]:
    """The organization department's results PDFs in print/考核结果/; index entries (scheme, label, path)."""
    documents = results_documents(project, results)
    print_results(documents, organization_view(project.organization), chinese_date(build_date()),
                  print_dir / RESULTS_FOLDER, theme_dir)
    return [{"scheme": d["scheme"], "label": d["label"], "path": f"{RESULTS_FOLDER}/{d['file']}"}
            for d in sorted(documents, key=lambda d: d["slug"])]


def _write_pages(files: dict[str, str], docs_dir: Path) -> None:
    for relative, text in sorted(files.items()):
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def render_docs(project: Project, docs_dir: Path, results: tuple | None = None,
                notice_pdfs: frozenset[str] | None = None) -> list:
    """Write the site's Markdown pages into `docs_dir`; return the navigation (see `render_site_pages`)."""
    pages = render_site_pages(project, results, notice_pdfs)
    _write_pages(pages.files, docs_dir)
    return pages.nav


def _kept_notice_pdfs(site_dir: Path) -> frozenset[str]:
    """The notices whose PDF a build without PDFs carries over from the previous site."""
    folder = site_dir / NOTICE_PDFS
    return frozenset(path.stem for path in folder.glob("*.pdf")) if folder.is_dir() else frozenset()


def _check_replaceable(root: Path, folders: list[str]) -> None:
    """Refuse to replace an output folder that branchbook did not make (every tree it publishes has index.html)."""
    for name in folders:
        folder = root / name
        if not os.path.lexists(folder):
            continue
        if not folder.is_dir() or (any(folder.iterdir()) and not (folder / "index.html").is_file()):
            raise UserError(f"{folder} 已存在，但不是 branchbook 生成的文件夹（其中没有 index.html）；"
                            f"为免覆盖其中的文件，请把它改名或移走后再生成。")


def build(root: Path, with_pdf: bool = True, workers: int = 2, show_progress: bool = True) -> BuildResult:
    """The whole build; the previous `site/` and `print/` stay untouched unless everything succeeds.

    Without PDFs, `print/` is left as it is and the site keeps the previous notice PDFs (as hard links).
    """
    report = check_environment(for_pdf=with_pdf)
    if report.errors:
        raise UserError("\n".join(report.errors))
    project = load_project(root)
    site_dir, print_dir = root / SITE.folder, root / PRINT.folder
    with project_lock(root):
        prepare(root)
        _check_replaceable(root, [output.folder for output in OUTPUTS if with_pdf or output is not PRINT])
        with staging(root) as staged:
            docs_dir, staged_site, staged_print = staged / "docs", staged / SITE.folder, staged / PRINT.folder
            results = compute_results(project)
            nav = render_docs(project, docs_dir, results, None if with_pdf else _kept_notice_pdfs(site_dir))
            build_site(root, docs_dir, staged_site, nav, project.organization.site_title)
            public_results = results_view(results, SITE.audience)
            write_exports(public_results, build_date(), staged_site / "data")
            pdfs = 0
            trees = [SITE.folder]
            if with_pdf:
                internal_results = results_view(results, PRINT.audience)
                sets = print_handbooks(handbook_jobs(project, internal_results), staged_print,
                                       root / "theme" / "print", workers=workers, show_progress=show_progress)
                printed_results = print_internal_results(project, internal_results, staged_print,
                                                         root / "theme" / "print")
                write_print_index(project, [s.branch_id for s in sets], build_date(), staged_print, printed_results)
                pdfs = 2 * len(sets) + len(printed_results)   # 手册.pdf and 五盒.pdf per branch, the results PDFs
                pdfs += len(print_notices(project_notices(project, public_results),
                                          organization_view(project.organization),
                                          staged_site / NOTICE_PDFS, root / "theme" / "print"))
                trees.insert(0, PRINT.folder)
            elif (site_dir / NOTICE_PDFS).is_dir():
                link_tree(site_dir / NOTICE_PDFS, staged_site / NOTICE_PDFS)
            pages = sum(1 for _ in staged_site.rglob("*.html"))
            publish(root, staged, trees)
    return BuildResult(site_dir, pages, pdfs, report.warnings, print_dir if with_pdf else None)
