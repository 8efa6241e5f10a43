"""Turn print jobs (one per branch) into the branches' 《党支部工作手册》 PDFs, rendered in parallel.

Each worker process imports WeasyPrint once and renders whole handbooks; with
one job or one worker everything runs in this process. Workers write to hidden
temporary files; only when every handbook has succeeded are they renamed to
`<branch-id>.pdf`, so a failure leaves no partial set behind. The result is
sorted by branch id and never depends on the order in which jobs finish.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from generator.errors import UserError
from generator.pdf.typeset import STYLESHEETS, typeset_handbook

PROGRESS_LABEL = "正在生成 PDF"


@dataclass(frozen=True)
class HandbookJob:
    """One branch's handbook: its id (the file name) and the plain, picklable template context."""

    branch_id: str
    context: dict


class HandbookFailed(Exception):
    """Rendering one branch's handbook failed; the message names the branch."""


def _check_theme(theme_dir: Path) -> None:
    missing = [name for name in STYLESHEETS if not (theme_dir / name).is_file()]
    if missing:
        raise UserError(f"打印样式文件夹 {theme_dir} 中缺少 {'、'.join(missing)}; "
                        "可从示例组织的 theme/print/ 复制一份")


def _load_weasyprint() -> None:
    """Worker initializer: pay the WeasyPrint import (0.5–0.8 s) once per process, not per job."""
    import weasyprint  # noqa: F401


def _staged_path(out_dir: Path, branch_id: str) -> Path:
    return out_dir / f".{branch_id}.pdf.partial"


def _print_one(job: HandbookJob, out_dir: Path, theme_dir: Path, source_date_epoch: str | None) -> str:
    """Render one handbook to its staged file; runs in a worker or in this process."""
    pdf = typeset_handbook(job.context, theme_dir, source_date_epoch)
    _staged_path(out_dir, job.branch_id).write_bytes(pdf)
    return job.branch_id


class _NoProgress:
    def update(self, steps: int) -> None:
        pass


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Any]:
    if not show:
        yield _NoProgress()
        return
    with click.progressbar(length=total, label=PROGRESS_LABEL, file=sys.stderr) as bar:
        yield bar


def _run_in_process(jobs: list[HandbookJob], args: tuple, bar: Any) -> None:
    for job in jobs:
        try:
            _print_one(job, *args)
        except Exception as error:
            raise HandbookFailed(f"生成支部「{job.branch_id}」的工作手册 PDF 时出错: {error}") from error
        bar.update(1)


def _run_in_pool(jobs: list[HandbookJob], args: tuple, bar: Any, workers: int) -> None:
    with ProcessPoolExecutor(max_workers=workers, initializer=_load_weasyprint) as pool:
        futures: dict[Future, str] = {pool.submit(_print_one, job, *args): job.branch_id for job in jobs}
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as error:
                for pending in futures:
                    pending.cancel()
                raise HandbookFailed(f"生成支部「{futures[future]}」的工作手册 PDF 时出错: {error}") from error
            bar.update(1)


def print_handbooks(jobs: list[HandbookJob], out_dir: Path, theme_dir: Path, workers: int = 2,
                    show_progress: bool = True) -> list[Path]:
    """Render site/pdf/<branch-id>.pdf for each job into out_dir; return the paths (sorted by id)."""
    ids = [job.branch_id for job in jobs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate branch ids in print jobs: {sorted({i for i in ids if ids.count(i) > 1})}")
    _check_theme(theme_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    args = (out_dir, theme_dir, os.environ.get("SOURCE_DATE_EPOCH") or None)
    try:
        with _progress(len(jobs), show_progress) as bar:
            if workers <= 1 or len(jobs) <= 1:
                _run_in_process(jobs, args, bar)
            else:
                _run_in_pool(jobs, args, bar, min(workers, len(jobs)))
    except BaseException:
        for branch_id in ids:
            _staged_path(out_dir, branch_id).unlink(missing_ok=True)
        raise
    paths = []
    for branch_id in sorted(ids):
        target = out_dir / f"{branch_id}.pdf"
        os.replace(_staged_path(out_dir, branch_id), target)
        paths.append(target)
    return paths
