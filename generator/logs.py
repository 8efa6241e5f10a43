"""The one `branchbook` logger: each stage's wall and CPU time, and the libraries' warnings in Chinese.

Messages are Chinese and meant for the user: the command line prints warnings
as 「提示：…」 lines and, with `build --verbose`, the information lines (each
stage's time, what the build cache reused). MkDocs' warnings reach this logger
translated (`generator.site`), WeasyPrint's with a Chinese prefix before the
library's own text (`library_warnings`), so no English-only line is printed.
"""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("branchbook")

# A library's logger → the Chinese words put before its (English) message.
LIBRARY_PREFIXES = {"weasyprint": "排版 PDF 时 WeasyPrint 报告（原文）："}


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended (e.g. PDF workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Log the wall and CPU time of one stage of the build: 「生成 PDF：12.3 秒（CPU 20.1 秒）」.

    The CPU time counts this process and the children that ended during the stage, so it can exceed
    the wall time when worker processes run in parallel.
    """
    start, cpu = time.perf_counter(), cpu_seconds()
    try:
        yield
    finally:
        log.info("%s：%.1f 秒（CPU %.1f 秒）", name, time.perf_counter() - start, cpu_seconds() - cpu)


class _Forward(logging.Handler):
    """A library's warning, prefixed, to the branchbook logger."""

    def __init__(self, prefix: str) -> None:
        super().__init__(logging.WARNING)
        self.prefix = prefix

    def emit(self, record: logging.LogRecord) -> None:
        log.warning("%s%s", self.prefix, record.getMessage().strip())


class _Keep(_Forward):
    """A library's warning, prefixed, kept in a list instead of shown."""

    def __init__(self, prefix: str, messages: list[str]) -> None:
        super().__init__(prefix)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{self.prefix}{record.getMessage().strip()}")


@contextmanager
def _libraries_routed(handler_for: Callable[[str], logging.Handler]) -> Iterator[None]:
    """While inside: each library of `LIBRARY_PREFIXES` logs to `handler_for(its prefix)` only."""
    saved = []
    for name, prefix in LIBRARY_PREFIXES.items():
        logger = logging.getLogger(name)
        saved.append((logger, list(logger.handlers), logger.propagate))
        logger.handlers = [handler_for(prefix)]
        logger.propagate = False
    try:
        yield
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers = handlers
            logger.propagate = propagate


@contextmanager
def library_warnings() -> Iterator[None]:
    """While inside: the warnings of the libraries in `LIBRARY_PREFIXES` go to the branchbook logger only.

    Worker processes do not inherit this (they are spawned): they keep the warnings with
    `library_messages` and send them back with their results.
    """
    with _libraries_routed(_Forward):
        yield


@contextmanager
def library_messages() -> Iterator[list[str]]:
    """While inside: the libraries' warnings, prefixed in Chinese, are kept in the list yielded and not shown.

    For work done in a worker process, which sends them back for the main process to log.
    """
    messages: list[str] = []
    with _libraries_routed(lambda prefix: _Keep(prefix, messages)):
        yield messages


class _Capture(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """The warnings logged while inside (they are still shown): a product that is reused shows them again."""
    messages: list[str] = []
    handler = _Capture(messages)
    log.addHandler(handler)
    try:
        yield messages
    finally:
        log.removeHandler(handler)
