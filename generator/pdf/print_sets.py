"""Turn print jobs (one per branch) into each branch's print set, rendered in parallel:
`<branch-id>/手册.pdf` (the 《党支部工作手册》) and `<branch-id>/五盒.pdf` (labels, inventories, handover sheet).

The jobs run on an executor (`generator.pdf.executors`): worker processes on
this machine by default, or the workers of a Dask cluster when a scheduler is
given; with one job or one worker everything runs in this process. Each task
returns the PDF bytes, written here to hidden temporary files; only when every
set has succeeded are they moved into place, so a failure leaves no partial set
behind. The result is sorted by branch id and never depends on the order in
which jobs finish or on where they ran.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.build_time import source_date_epoch as read_source_date_epoch
from generator.logs import log
from generator.pdf.executors import PrintFailed, PrintTask, executor_for, split_jobs
from generator.pdf.typeset import STYLESHEETS, require_stylesheets

if TYPE_CHECKING:
    from generator.pdf.context_types import PrintContext

PROGRESS_LABEL = "正在生成 PDF"
HANDBOOK_FILE = "手册.pdf"
BOXES_FILE = "五盒.pdf"
SET_FILES = (HANDBOOK_FILE, BOXES_FILE)


@dataclass(frozen=True)
class HandbookJob:
    """One branch's print set: its id (the folder name) and the plain, picklable print context."""

    branch_id: str
    context: PrintContext


@dataclass(frozen=True)
class PrintedSet:
    branch_id: str
    handbook: Path
    boxes: Path
    warnings: tuple[str, ...] = ()     # WeasyPrint's while typesetting it, in Chinese; already logged


class HandbookFailed(Exception):
    """Rendering one branch's print set failed; the message names the branch."""


def _staged_path(out_dir: Path, branch_id: str, name: str) -> Path:
    return out_dir / f".{branch_id}.{name}.partial"


class _NoProgress:
    def update(self, steps: int) -> None:
        pass


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Any]:
    if not show:
        yield _NoProgress()
        return
    with click.progressbar(length=total, label=PROGRESS_LABEL, show_pos=True, file=sys.stderr) as bar:
        yield bar


def _failure(branch_id: str, error: BaseException) -> HandbookFailed:
    return HandbookFailed(f"生成支部「{branch_id}」的工作手册和资料盒 PDF 时出错: {error}")


def _publish(out_dir: Path, branch_id: str, warnings: tuple[str, ...]) -> PrintedSet:
    folder = out_dir / branch_id
    folder.mkdir(exist_ok=True)
    for name in SET_FILES:
        os.replace(_staged_path(out_dir, branch_id, name), folder / name)
    return PrintedSet(branch_id, folder / HANDBOOK_FILE, folder / BOXES_FILE, warnings)


def print_handbooks(jobs: list[HandbookJob], out_dir: Path, theme_dir: Path, workers: int = 2,
                    show_progress: bool = True, scheduler: str | None = None) -> list[PrintedSet]:
    """Render out_dir/<branch-id>/手册.pdf and 五盒.pdf for each job; return the sets (sorted by id).

    `workers` worker processes on this machine, or the Dask cluster whose scheduler is `scheduler`
    (an address such as tcp://host:8786; None or "local" for this machine).
    """
    ids = [job.branch_id for job in jobs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate branch ids in print jobs: {sorted({i for i in ids if ids.count(i) > 1})}")
    require_stylesheets(theme_dir, STYLESHEETS)
    out_dir.mkdir(parents=True, exist_ok=True)
    shared, tasks = split_jobs(jobs)
    tasks.sort(key=_work, reverse=True)     # the biggest sets first, so that no worker is left with one at the end
    source_date_epoch = read_source_date_epoch()
    executor = executor_for(workers, len(tasks), scheduler)
    warnings: dict[str, tuple[str, ...]] = {}
    try:
        with executor, _progress(len(jobs), show_progress) as bar:
            for printed in executor.run(tasks, shared, theme_dir, source_date_epoch):
                _staged_path(out_dir, printed.branch_id, HANDBOOK_FILE).write_bytes(printed.handbook)
                _staged_path(out_dir, printed.branch_id, BOXES_FILE).write_bytes(printed.boxes)
                warnings[printed.branch_id] = printed.warnings
                for message in printed.warnings:      # from worker processes, which have no logging of ours
                    log.warning("%s", message)
                bar.update(1)
    except PrintFailed as failed:
        _remove_staged(out_dir, ids)
        raise _failure(failed.branch_id, failed.error) from failed.error
    except BaseException:
        _remove_staged(out_dir, ids)
        raise
    return [_publish(out_dir, branch_id, warnings[branch_id]) for branch_id in sorted(ids)]


def _work(task: PrintTask) -> int:
    """How much a print set is to typeset, roughly: its members (rosters, registers, sign-in lists) and copies of
    record forms (two or three pages each)."""
    context: Any = task.context
    try:
        return len(context["branch"]["members"]) + sum(len(form["copies"]) for form in context["forms"])
    except (KeyError, TypeError):       # a context the task itself will reject, naming the branch
        return 0


def _remove_staged(out_dir: Path, ids: list[str]) -> None:
    for branch_id in ids:
        for name in SET_FILES:
            _staged_path(out_dir, branch_id, name).unlink(missing_ok=True)
