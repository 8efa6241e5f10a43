"""Turn a project folder into the published site and print sets: the one orchestrator.

    读取与校验 load, validate → 计算 results, views, notices → 生成页面 Markdown pages
      → 生成网站 MkDocs → 导出数据 site/data → 生成 PDF print sets, results and notices → 发布 publish

Every stage receives what it works on from here: results, their views and the
notices are computed once (`assess`) and passed down, and the build time
(SOURCE_DATE_EPOCH) is read once (`generator.build_time`). Each stage's time is
logged to the `branchbook` logger (`generator.logs`; shown by `build --verbose`).

`generator.outputs` says which folder is for whom: `site/` is public, `print/`
internal. Everything is built in a staging folder under the project lock;
only a complete build replaces `site/` and `print/` (see `generator.publish`),
so a failed, interrupted or killed build leaves the previous ones untouched.
What did not change since the previous build is linked from it instead of
being made again (`generator.build_cache`); `force=True` makes everything anew.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.build_cache import (
    PRINT_MANIFEST, SITE_MANIFEST, TreeCache, digest, folder_digest, font_fingerprint, program_fingerprint,
    read_manifest, tree_files,
)
from generator.build_time import BuildTime, read_build_time
from generator.compute.notices import Notice, project_notices
from generator.compute.scoring import SchemeResults, SchemeView, compute_results, results_view
from generator.compute.views import organization_view
from generator.preflight import check_environment
from generator.errors import UserError
from generator.export import write_exports
from generator.loading import load_project  # the stage 读取与校验; also `check`'s, without the renderers
from generator.logs import captured_warnings, library_warnings, log, stage
from generator.models import Project
from generator.pdf.context import print_context, shared_content
from generator.pdf.executors import chosen_scheduler
from generator.pdf.print_sets import HandbookJob, print_handbooks
from generator.pdf.notice import print_notices
from generator.pdf.results import RESULTS_FOLDER, print_results, results_documents
from generator.outputs import NOTICE_PDFS, OUTPUTS, PRINT, SITE, PrintedResults, write_print_index
from generator.publish import STATE_DIR, link_tree, prepare, project_lock, publish, staging
from generator.periods import chinese_date
from generator.render.pages import SitePages, render_site_pages
from generator.site import CONFIG_NAME, build_site

EXPORTS = "data"        # inside SITE: the public data exports


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    pdfs: int
    warnings: tuple[str, ...]
    print_dir: Path | None = None     # set when this build printed the internal sets
    reused_pdfs: int = 0              # of `pdfs`, those linked unchanged from the previous build
    made: tuple[str, ...] = ()        # the products made anew (build_cache names: "site", "set/<id>" …)
    reused: tuple[str, ...] = ()      # the products linked from the previous build


@dataclass(frozen=True)
class Assessment:
    """The results computed once per build, with the view of each audience and the notices."""

    results: tuple[SchemeResults, ...]  # the scoring engines' output (`compute_results`)
    public: list[SchemeView]            # for site/ (pages, exports, notices)
    internal: list[SchemeView]          # for print/ (handbooks' 考核情况, results PDFs)
    notices: list[Notice] = field(default_factory=list)


def build_date():
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    return read_build_time().date


def assess(project: Project, results: tuple[SchemeResults, ...] | None = None) -> Assessment:
    """Compute the results (unless given) and derive both views and the notices from them."""
    if results is None:
        results = compute_results(project)
    public = results_view(results, SITE.audience)
    return Assessment(results, public, results_view(results, PRINT.audience), project_notices(project, public))


def handbook_jobs(project: Project, results: list[SchemeView] | None = None,
                  generated_on: str | None = None) -> list[HandbookJob]:
    """One print job per branch (handbook and five boxes, internal view); the shared chapters are prepared once.

    `results` is the internal results view (the handbooks' 考核情况), `generated_on` the printed build date;
    both are computed when not given.
    """
    shared = shared_content(project)
    if generated_on is None:
        generated_on = chinese_date(build_date())
    if results is None:
        results = assess(project).internal
    return [HandbookJob(branch.id, print_context(project, branch, shared, generated_on, results))
            for branch in project.branches]


def site_pages(project: Project, results: tuple[SchemeResults, ...] | None = None,
               notice_pdfs: frozenset[str] | None = None) -> SitePages:
    """The site's Markdown pages and navigation (see `render_site_pages`), the results computed here."""
    assessment = assess(project, results)
    return render_site_pages(project, assessment.public, assessment.notices, notice_pdfs)


def _write_pages(files: dict[str, str], docs_dir: Path) -> None:
    for relative, text in sorted(files.items()):
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def render_docs(project: Project, docs_dir: Path, results: tuple[SchemeResults, ...] | None = None,
                notice_pdfs: frozenset[str] | None = None) -> list:
    """Write the site's Markdown pages into `docs_dir`; return the navigation (see `render_site_pages`)."""
    pages = site_pages(project, results, notice_pdfs)
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


def _file_digest_or_none(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


# ---- Stages with their products ---------------------------------------------


def _site(root: Path, pages: SitePages, staged: Path, cache: TreeCache, program: str, when: BuildTime,
          site_name: str) -> None:
    """The MkDocs site, reused as a whole when its pages, navigation, title, theme and mkdocs.yml are the same."""
    key = digest(program, "site", pages.files, pages.nav, site_name, folder_digest(root / "theme"),
                 _file_digest_or_none(root / CONFIG_NAME), when)
    if cache.reuse("site", key):
        log.info("生成网站：页面、主题和网站配置都没有改动，沿用上次生成的网站")
        return
    docs_dir = staged / "docs"
    _write_pages(pages.files, docs_dir)
    with captured_warnings() as warnings:
        build_site(root, docs_dir, cache.staged, pages.nav, site_name)
    cache.made("site", key, tree_files(cache.staged), warnings)


def _exports(assessment: Assessment, cache: TreeCache, program: str, when: BuildTime) -> None:
    key = digest(program, "exports", assessment.public, when.date)
    if not cache.reuse("exports", key):
        written = write_exports(assessment.public, when.date, cache.staged / EXPORTS)
        cache.made("exports", key, [path.relative_to(cache.staged).as_posix() for path in written])


def _print_sets(jobs: list[HandbookJob], cache: TreeCache, pdf_key: str, theme_dir: Path, workers: int,
                show_progress: bool, scheduler: str | None = None) -> list[str]:
    """Each branch's 手册.pdf and 五盒.pdf, made for the branches whose print context changed; the branch ids."""
    shared_keys: dict[int, str] = {}
    keys, pending = {}, []
    for job in jobs:
        shared = job.context.get("shared")
        if id(shared) not in shared_keys:
            shared_keys[id(shared)] = digest(shared)
        keys[job.branch_id] = digest(pdf_key, "set", {**job.context, "shared": shared_keys[id(shared)]})
        if not cache.reuse(f"set/{job.branch_id}", keys[job.branch_id]):
            pending.append(job)
    log.info("生成 PDF：%d 个支部的打印文件要重新生成，%d 个没有改动，沿用上次的", len(pending), len(jobs) - len(pending))
    if pending:
        for printed in print_handbooks(pending, cache.staged, theme_dir, workers=workers,
                                       show_progress=show_progress, scheduler=scheduler):
            files = [path.relative_to(cache.staged).as_posix() for path in (printed.handbook, printed.boxes)]
            cache.made(f"set/{printed.branch_id}", keys[printed.branch_id], files, printed.warnings)
    return sorted(job.branch_id for job in jobs)


def _results_pdfs(project: Project, assessment: Assessment, cache: TreeCache, pdf_key: str, theme_dir: Path,
                  when: BuildTime) -> list[PrintedResults]:
    """The organization department's results PDFs in print/考核结果/; index entries (scheme, label, path)."""
    documents = results_documents(project, assessment.internal)
    organization = organization_view(project.organization)
    generated_on = chinese_date(when.date)
    pending = []
    for document in documents:
        key = digest(pdf_key, "results", document, organization, generated_on)
        if not cache.reuse(f"results/{document['file']}", key):
            pending.append((document, key))
    print_results([document for document, _ in pending], organization, generated_on,
                  cache.staged / RESULTS_FOLDER, theme_dir, when.source_date_epoch)
    for document, key in pending:
        cache.made(f"results/{document['file']}", key, [f"{RESULTS_FOLDER}/{document['file']}"])
    return [{"scheme": d["scheme"], "label": d["label"], "path": f"{RESULTS_FOLDER}/{d['file']}"}
            for d in sorted(documents, key=lambda d: d["slug"])]


def _notice_pdfs(project: Project, assessment: Assessment, cache: TreeCache, pdf_key: str, theme_dir: Path,
                 when: BuildTime) -> int:
    """The 公示 PDFs in site/pdf/notices/; their number."""
    organization = organization_view(project.organization)
    pending = []
    for notice in assessment.notices:
        key = digest(pdf_key, "notice", notice, organization)
        if not cache.reuse(f"notice/{notice['slug']}", key):
            pending.append((notice, key))
    print_notices([notice for notice, _ in pending], organization, cache.staged / NOTICE_PDFS, theme_dir,
                  when.source_date_epoch)
    for notice, key in pending:
        cache.made(f"notice/{notice['slug']}", key, [f"{NOTICE_PDFS}/{notice['slug']}.pdf"])
    return len(assessment.notices)


def _keep_notice_pdfs(site_dir: Path, cache: TreeCache) -> None:
    """A build without PDFs: the previous notice PDFs, as hard links, and their manifest entries."""
    if (site_dir / NOTICE_PDFS).is_dir():
        link_tree(site_dir / NOTICE_PDFS, cache.staged / NOTICE_PDFS)
    for name in sorted(cache.previous):
        if name.startswith("notice/"):
            cache.keep(name)


# ---- The build --------------------------------------------------------------


def build(root: Path, with_pdf: bool = True, workers: int = 2, show_progress: bool = True,
          force: bool = False, scheduler: str | None = None) -> BuildResult:
    """The whole build; the previous `site/` and `print/` stay untouched unless everything succeeds.

    Without PDFs, `print/` is left as it is and the site keeps the previous notice PDFs (as hard links).
    Products whose inputs did not change are linked from the previous build unless `force` is set.
    The print sets go to the Dask cluster of `scheduler` (or of build.scheduler in organization.yml;
    "local" for this machine), see `generator.pdf.executors`.
    """
    with library_warnings():
        return _build(root, with_pdf, workers, show_progress, force, scheduler)


def _build(root: Path, with_pdf: bool, workers: int, show_progress: bool, force: bool,
           scheduler: str | None = None) -> BuildResult:
    with stage("读取与校验"):
        report = check_environment(for_pdf=with_pdf)
        if report.errors:
            raise UserError("\n".join(report.errors))
        project = load_project(root)
        when = read_build_time()
    site_dir, print_dir, theme_dir = root / SITE.folder, root / PRINT.folder, root / "theme" / "print"
    with project_lock(root):
        prepare(root)
        _check_replaceable(root, [output.folder for output in OUTPUTS if with_pdf or output is not PRINT])
        with staging(root) as staged:
            staged_site, staged_print = staged / SITE.folder, staged / PRINT.folder
            with stage("计算"):
                assessment = assess(project)
                program = program_fingerprint()
            previous_site = {} if force else read_manifest(root / STATE_DIR / SITE_MANIFEST)
            site_cache = TreeCache(site_dir, staged_site, previous_site)
            with stage("生成页面"):
                pages = render_site_pages(project, assessment.public, assessment.notices,
                                          None if with_pdf else _kept_notice_pdfs(site_dir))
            with stage("生成网站"):
                _site(root, pages, staged, site_cache, program, when, project.organization.site_title)
            with stage("导出数据"):
                _exports(assessment, site_cache, program, when)
            pdfs, trees, caches = 0, [SITE.folder], [site_cache]
            if with_pdf:
                print_cache = TreeCache(print_dir, staged_print,
                                        {} if force else read_manifest(print_dir / PRINT_MANIFEST))
                caches.append(print_cache)
                with stage("生成 PDF"):
                    pdf_key = digest(program, font_fingerprint(), folder_digest(theme_dir), when)
                    jobs = handbook_jobs(project, assessment.internal, chinese_date(when.date))
                    settings = project.organization.build
                    branch_ids = _print_sets(jobs, print_cache, pdf_key, theme_dir, workers, show_progress,
                                             chosen_scheduler(scheduler, settings.scheduler if settings else None))
                    printed_results = _results_pdfs(project, assessment, print_cache, pdf_key, theme_dir, when)
                    notices = _notice_pdfs(project, assessment, site_cache, pdf_key, theme_dir, when)
                    write_print_index(project, branch_ids, when.date, staged_print, printed_results)
                print_cache.write_manifest(staged_print / PRINT_MANIFEST)
                pdfs = 2 * len(branch_ids) + len(printed_results) + notices
                trees.insert(0, PRINT.folder)
            else:
                _keep_notice_pdfs(site_dir, site_cache)
            site_cache.write_manifest(staged / SITE_MANIFEST)
            pages_count = sum(1 for _ in staged_site.rglob("*.html"))
            with stage("发布"):
                publish(root, staged, trees, state_files=[SITE_MANIFEST])
    made = tuple(name for cache in caches for name in cache.made_now)
    reused = tuple(name for cache in caches for name in cache.reused)
    reused_pdfs = sum(2 if name.startswith("set/") else 1 for name in reused if name.split("/")[0] in
                      ("set", "results", "notice"))
    return BuildResult(site_dir, pages_count, pdfs, report.warnings, print_dir if with_pdf else None,
                       reused_pdfs, made, reused)
