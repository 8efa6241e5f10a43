"""Turn print jobs (one per branch) into each branch's print set, rendered in parallel:
`<branch-id>/手册.pdf` (the 《党支部工作手册》) and `<branch-id>/五盒.pdf` (labels, inventories, handover sheet).

Each worker process imports WeasyPrint once, keeps the shared parts of the
handbook laid out (see `generator.pdf.handbook`) and renders whole print sets;
with one job or one worker everything runs in this process. Workers write to
hidden temporary files; only when every set has succeeded are they moved into
place, so a failure leaves no partial set behind. The result is sorted by
branch id and never depends on the order in which jobs finish.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from generator.interrupts import interrupts_ignored
from generator.pdf.handbook import typeset_handbook
from generator.pdf.boxes import typeset_boxes
from generator.pdf.typeset import STYLESHEETS, require_stylesheets

PROGRESS_LABEL = "正在生成 PDF"
HANDBOOK_FILE = "手册.pdf"
BOXES_FILE = "五盒.pdf"
SET_FILES = (HANDBOOK_FILE, BOXES_FILE)


@dataclass(frozen=True)
class HandbookJob:
    """One branch's print set: its id (the folder name) and the plain, picklable print context."""

    branch_id: str
    context: dict


@dataclass(frozen=True)
class PrintedSet:
    branch_id: str
    handbook: Path
    boxes: Path


class HandbookFailed(Exception):
    """Rendering one branch's print set failed; the message names the branch."""


def _check_theme(theme_dir: Path) -> None:
    require_stylesheets(theme_dir, STYLESHEETS)


def _load_weasyprint() -> None:
    """Worker initializer: leave Ctrl+C to the main process (it stops the workers), and pay the WeasyPrint
    import (0.5–0.8 s) once per process, not per job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now instead of waiting for their running jobs (after Ctrl+C)."""
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)     # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _staged_path(out_dir: Path, branch_id: str, name: str) -> Path:
    return out_dir / f".{branch_id}.{name}.partial"


def _print_one(job: HandbookJob, out_dir: Path, theme_dir: Path, source_date_epoch: str | None) -> str:
    """Render one print set to its staged files; runs in a worker or in this process."""
    book = typeset_handbook(job.context, theme_dir, source_date_epoch)
    _staged_path(out_dir, job.branch_id, HANDBOOK_FILE).write_bytes(book.pdf)
    boxes = typeset_boxes(job.context, theme_dir, book.pages, source_date_epoch)
    _staged_path(out_dir, job.branch_id, BOXES_FILE).write_bytes(boxes)
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


def _failure(branch_id: str, error: Exception) -> HandbookFailed:
    return HandbookFailed(f"生成支部「{branch_id}」的工作手册和资料盒 PDF 时出错: {error}")


def _run_in_process(jobs: list[HandbookJob], args: tuple, bar: Any) -> None:
    for job in jobs:
        try:
            _print_one(job, *args)
        except Exception as error:
            raise _failure(job.branch_id, error) from error
        bar.update(1)


def _run_in_pool(jobs: list[HandbookJob], args: tuple, bar: Any, workers: int) -> None:
    with ProcessPoolExecutor(max_workers=workers, initializer=_load_weasyprint) as pool:
        with interrupts_ignored():      # workers are forked here: they start ignoring Ctrl+C, like the initializer
            futures: dict[Future, str] = {pool.submit(_print_one, job, *args): job.branch_id for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    future.result()
                except Exception as error:
                    for pending in futures:
                        pending.cancel()
                    raise _failure(futures[future], error) from error
                bar.update(1)
        except KeyboardInterrupt:
            _stop_workers(pool)
            raise


def _publish(out_dir: Path, branch_id: str) -> PrintedSet:
    folder = out_dir / branch_id
    folder.mkdir(exist_ok=True)
    for name in SET_FILES:
        os.replace(_staged_path(out_dir, branch_id, name), folder / name)
    return PrintedSet(branch_id, folder / HANDBOOK_FILE, folder / BOXES_FILE)


def print_handbooks(jobs: list[HandbookJob], out_dir: Path, theme_dir: Path, workers: int = 2,
                    show_progress: bool = True) -> list[PrintedSet]:
    """Render out_dir/<branch-id>/手册.pdf and 五盒.pdf for each job; return the sets (sorted by id)."""
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
            for name in SET_FILES:
                _staged_path(out_dir, branch_id, name).unlink(missing_ok=True)
        raise
    return [_publish(out_dir, branch_id) for branch_id in sorted(ids)]
