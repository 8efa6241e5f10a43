"""Run print tasks — one branch's print set each — in this process, in worker processes, or on a Dask cluster.

A print task is a pure function of its inputs: the branch's print context, the
shared content (chapters and workflows, the same for every branch), the print
theme's files and the fonts installed where it runs. It returns the bytes of
the two PDFs, so it can run on any machine with the fonts and the same version
of branchbook, and the output does not depend on where it ran:

- `InProcess` — one job, or `--workers 1`;
- `LocalPool` — worker processes on this machine (the default), alive for the
  whole print stage so that each pays the WeasyPrint import and keeps its laid
  out shared pages and form bodies (`generator.pdf.handbook`, `generator.pdf.layers`);
  the shared content goes to each worker once, not with every task. Workers are
  started fresh ("spawn"), not forked: a forked worker would begin with a copy
  of the build's whole memory (the project, the site) and touch it over time;
- `DaskCluster` — the workers of a Dask distributed cluster (`--scheduler
  tcp://host:8786`, or `build: scheduler:` in content/organization.yml; needs
  the extra `pip install "branchbook[cluster]"`). The shared content and the
  theme's files are sent to the workers once (`Client.scatter`); a worker
  writes the theme into a folder of its own, checks that it runs the same
  program and has the same fonts as this machine, and returns the PDFs.

Every executor yields `PrintedFiles` as tasks finish and raises `PrintFailed`
naming the branch when one fails; the caller writes the files.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast

from generator.errors import UserError
from generator.interrupts import interrupts_ignored
from generator.logs import library_messages
from generator.models.organization import LOCAL_SCHEDULER, scheduler_address_problem

if TYPE_CHECKING:
    from generator.pdf.context_types import PrintContext

CLUSTER_EXTRA = 'pip install "branchbook[cluster]"'
CONNECT_TIMEOUT_S = 20
WORKERS_TIMEOUT_S = 60
# The font families the print theme names (theme/print/fonts.css): a worker must find the same files.
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai")


@dataclass(frozen=True)
class PrintTask:
    """One branch's print set: its id and its print context without the shared content (`shared_key` names it)."""

    branch_id: str
    context: dict
    shared_key: str


@dataclass(frozen=True)
class PrintedFiles:
    branch_id: str
    handbook: bytes
    boxes: bytes
    pages: int
    warnings: tuple[str, ...] = ()     # WeasyPrint's, prefixed in Chinese (`generator.logs.library_messages`)


class PrintFailed(Exception):
    def __init__(self, branch_id: str, error: BaseException) -> None:
        super().__init__(f"{branch_id}: {error}")
        self.branch_id = branch_id
        self.error = error


def split_jobs(jobs: list[Any]) -> tuple[dict[str, dict], list[PrintTask]]:
    """Shared content by key, and one task per job (`HandbookJob`-like: `branch_id`, `context` with "shared")."""
    shared: dict[str, dict] = {}
    tasks = []
    for job in jobs:
        content = job.context["shared"]
        key = content.get("key") or hashlib.sha256(repr(content).encode("utf-8")).hexdigest()
        shared.setdefault(key, content)
        tasks.append(PrintTask(job.branch_id, {k: v for k, v in job.context.items() if k != "shared"}, key))
    return shared, tasks


_RENDER_LOCK = threading.Lock()      # a process renders one print set at a time (the layout caches are per process)


def render_print_set(task: PrintTask, shared: dict[str, dict], theme_dir: Path,
                     source_date_epoch: str | None) -> PrintedFiles:
    """The PDFs of one print set: what every executor runs."""
    from generator.pdf.boxes import typeset_boxes
    from generator.pdf.handbook import typeset_handbook

    with _RENDER_LOCK, library_messages() as warnings:
        context = cast("PrintContext", dict(task.context, shared=shared[task.shared_key]))
        book = typeset_handbook(context, theme_dir, source_date_epoch)
        boxes = typeset_boxes(context, theme_dir, book.pages, source_date_epoch)
    return PrintedFiles(task.branch_id, book.pdf, boxes, book.pages, tuple(warnings))


class _Executor:
    """What every executor is: a context manager (for what it holds while the print stage runs) with `run`."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class InProcess(_Executor):
    """Print the sets one after the other in this process."""

    def run(self, tasks: list[PrintTask], shared: dict[str, dict], theme_dir: Path,
            source_date_epoch: str | None) -> Iterator[PrintedFiles]:
        for task in tasks:
            try:
                yield render_print_set(task, shared, theme_dir, source_date_epoch)
            except Exception as error:
                raise PrintFailed(task.branch_id, error) from error


_WORKER_INPUTS: dict[str, Any] = {}


def _start_worker(shared: dict[str, dict], theme_dir: Path) -> None:
    """Worker initializer: leave Ctrl+C to the main process (it stops the workers), pay the WeasyPrint import
    (0.5–0.8 s) once per process, and keep the inputs every task of the build shares."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401  (imported for its start-up cost, not for a name)

    _WORKER_INPUTS.update(shared=shared, theme_dir=theme_dir)


def _render_in_worker(task: PrintTask, source_date_epoch: str | None) -> PrintedFiles:
    return render_print_set(task, _WORKER_INPUTS["shared"], _WORKER_INPUTS["theme_dir"], source_date_epoch)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now instead of waiting for their running jobs (after Ctrl+C)."""
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)     # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


class LocalPool(_Executor):
    """Worker processes on this machine, started for the print stage and kept until it ends."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, tasks: list[PrintTask], shared: dict[str, dict], theme_dir: Path,
            source_date_epoch: str | None) -> Iterator[PrintedFiles]:
        with ProcessPoolExecutor(max_workers=min(self.workers, len(tasks)), initializer=_start_worker,
                                 initargs=(shared, theme_dir), mp_context=multiprocessing.get_context("spawn")) as pool:
            with interrupts_ignored():      # workers start here and inherit the ignored Ctrl+C until the initializer
                futures: dict[Future, str] = {pool.submit(_render_in_worker, task, source_date_epoch): task.branch_id
                                              for task in tasks}
            try:
                for future in as_completed(futures):
                    try:
                        result = future.result()
                    except Exception as error:
                        for pending in futures:
                            pending.cancel()
                        raise PrintFailed(futures[future], error) from error
                    yield result
            except BaseException:
                _stop_workers(pool)
                raise


# ---- Dask ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFiles:
    """The print theme's files (relative path → bytes), sent with the tasks to workers on other machines."""

    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def read(cls, theme_dir: Path) -> ThemeFiles:
        return cls(tuple((path.relative_to(theme_dir).as_posix(), path.read_bytes())
                         for path in sorted(theme_dir.rglob("*")) if path.is_file()))

    @property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for name, content in self.files:
            digest.update(f"{name}\0{len(content)}\0".encode() + content)
        return digest.hexdigest()

    def folder(self) -> Path:
        """The theme written into this machine's temporary folder (once per theme; named by its digest)."""
        target = Path(tempfile.gettempdir()) / f"branchbook-theme-{self.digest[:16]}"
        if not target.is_dir():
            staging = Path(tempfile.mkdtemp(prefix=".branchbook-theme-", dir=target.parent))
            for name, content in self.files:
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                (staging / name).write_bytes(content)
            try:
                staging.rename(target)
            except OSError:                 # another worker of this machine was quicker
                shutil.rmtree(staging, ignore_errors=True)
        return target


@lru_cache(maxsize=1)
def program_fingerprint() -> tuple[str, str, str]:
    """(branchbook version, WeasyPrint version, digest of the program's code and templates) of this installation."""
    package = Path(__file__).parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0" + path.read_bytes())

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return version("branchbook"), version("weasyprint"), digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def font_fingerprint() -> tuple[tuple[str, str, int], ...]:
    """(family, font file name, size) of the file fontconfig picks for each family the theme names."""
    found = []
    for family in FONT_FAMILIES:
        try:
            result = subprocess.run(["fc-match", "--format=%{file}", f"{family}:lang=zh-cn"], capture_output=True,
                                    text=True, check=False)
        except OSError:                     # no fontconfig tools: nothing to compare
            return ()
        path = Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None
        found.append((family, path.name if path else "", path.stat().st_size if path and path.is_file() else 0))
    return tuple(found)


def render_on_worker(task: PrintTask, shared: dict[str, dict], theme: ThemeFiles, source_date_epoch: str | None,
                     program: tuple[str, str, str], fonts: tuple[tuple[str, str, int], ...]) -> PrintedFiles:
    """The Dask task: the same print set as on this machine, or a Chinese error saying why it would differ."""
    host = socket.gethostname()
    if program_fingerprint() != program:
        raise RuntimeError(f"工作节点 {host} 上的 branchbook 或 WeasyPrint 与发起生成的机器不同"
                           f"（工作节点：{program_fingerprint()}，本机：{program}）；请在所有机器上安装同一版本")
    if font_fingerprint() != fonts:
        raise RuntimeError(f"工作节点 {host} 上的字体与发起生成的机器不同（工作节点：{font_fingerprint()}，本机：{fonts}）；"
                           "请在所有机器上安装同样的字体包：apt-get install fonts-noto-cjk fonts-lxgw-wenkai")
    return render_print_set(task, shared, theme.folder(), source_date_epoch)


def _distributed():
    try:
        import distributed
    except ImportError as error:
        raise UserError(f"要把打印任务交给 Dask 集群，需要先在本机安装集群支持：{CLUSTER_EXTRA}") from error
    return distributed


class DaskCluster(_Executor):
    """The workers of a Dask distributed cluster, reached through its scheduler."""

    def __init__(self, address: str) -> None:
        self.address = address.strip()
        self.client: Any = None   # a distributed.Client once connected (the extra may be absent)

    def __enter__(self) -> DaskCluster:
        distributed = _distributed()
        try:
            self.client = distributed.Client(self.address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise UserError(f"无法连接 Dask 调度器 {self.address}（{error}）；"
                            "请确认调度器已经启动（dask scheduler），地址和端口无误，且本机能访问它") from error
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except (OSError, TimeoutError) as error:
            self.client.close()
            raise UserError(f"Dask 调度器 {self.address} 上没有可用的工作节点；请在装有字体的机器上启动"
                            f"「dask worker {self.address} --nthreads 1」") from error
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()

    def run(self, tasks: list[PrintTask], shared: dict[str, dict], theme_dir: Path,
            source_date_epoch: str | None) -> Iterator[PrintedFiles]:
        distributed = _distributed()
        client = self.client
        # one future each (a list, so that Dask does not scatter the dictionary's values one by one)
        shared_future, theme_future = client.scatter([shared, ThemeFiles.read(theme_dir)], broadcast=True, hash=False)
        program, fonts = program_fingerprint(), font_fingerprint()
        token = hashlib.sha256(f"{os.getpid()}\0{id(tasks)}\0{program}".encode()).hexdigest()[:12]
        futures = {client.submit(render_on_worker, task, shared_future, theme_future, source_date_epoch, program,
                                 fonts, key=f"branchbook-print-{token}-{index}", pure=False): task.branch_id
                   for index, task in enumerate(tasks)}
        try:
            for future in distributed.as_completed(futures, loop=client.loop):
                try:
                    result = future.result()
                except Exception as error:
                    raise PrintFailed(futures[future], error) from error
                finally:
                    future.release()
                yield result
        except BaseException:
            client.cancel(list(futures))
            raise


def chosen_scheduler(option: str | None, configured: str | None) -> str | None:
    """The scheduler a build uses: the command line's (`local` for none), else the configured one."""
    chosen = option if option is not None else configured
    return None if chosen is None or chosen.strip() == LOCAL_SCHEDULER else chosen.strip()


def executor_for(workers: int, tasks: int, scheduler: str | None) -> InProcess | LocalPool | DaskCluster:
    """Dask when a scheduler is given (not `local`), else worker processes when there is more than one job."""
    if scheduler and scheduler.strip() != LOCAL_SCHEDULER:
        problem = scheduler_address_problem(scheduler)
        if problem:
            raise UserError(problem)
        return DaskCluster(scheduler)
    if workers <= 1 or tasks <= 1:
        return InProcess()
    return LocalPool(workers)
