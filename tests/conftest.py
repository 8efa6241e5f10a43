"""Shared fixtures and checks: the shared builds, one Chromium per module, and no unexpected warnings.

Helpers live in tests/support.py; test modules import them from there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Self

import pytest

from tests.support import REPO, copy_sample, copy_small, extend_small, shared_build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (review the diff!)")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# ---- shared projects and builds ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def sample_project():
    """The repository's own sample organization, validated."""
    from generator import pipeline

    return pipeline.load_project(REPO)


def _build_small(root) -> None:
    from generator import pipeline

    extend_small(copy_small(root))
    pipeline.build(root, with_pdf=True, workers=2, show_progress=False)


@pytest.fixture(scope="session")
def built_small(tmp_path_factory: pytest.TempPathFactory):
    """The small fixture extended by `support.extend_small`, built once with site and PDFs; the project root.

    One build per test run, shared by all xdist workers: read it, never change it.
    """
    return shared_build(tmp_path_factory, "small-pdf", _build_small)


def _build_sample_site(root) -> None:
    from generator import pipeline

    copy_sample(root)
    pipeline.build(root, with_pdf=False, show_progress=False)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory):
    """The repository's 13-branch sample built without PDFs, once per test run; the project root (read-only)."""
    return shared_build(tmp_path_factory, "sample-site", _build_sample_site)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module (tests/browser.py has its path and flags)."""
    from playwright.sync_api import sync_playwright

    from tests import browser

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


# ---- no unexpected warnings ----------------------------------------------------------------------------
#
# Like WeasyPrint's own `assert_no_logs`: a warning logged by our code (the `branchbook` logger and the
# package's module loggers), by WeasyPrint or by MkDocs while a test is set up, runs or is torn down fails
# that test. A test that expects warnings says so with `@pytest.mark.allow_warnings` (every warning) or
# `@pytest.mark.allow_warnings("regex", ...)` (warnings whose message matches one of them).

WATCHED_LOGGERS = ("branchbook", "generator", "weasyprint", "mkdocs")


class WarningRecorder(logging.Handler):
    """Keeps every record at WARNING or above that reaches the watched loggers while attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Self:
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for name in WATCHED_LOGGERS:
            logging.getLogger(name).removeHandler(self)


def unexpected_warnings(records: Iterable[logging.LogRecord], allowed: Iterable[str] | None) -> list[str]:
    """The records (as 'logger: LEVEL: message') that `allowed` does not cover.

    `allowed` is None when nothing is allowed, an empty list when everything is, or regexes one of
    which a message must match. A record reaching several watched loggers is counted once.
    """
    patterns = None if allowed is None else [re.compile(pattern) for pattern in allowed]
    seen, found = set(), []
    for record in records:
        if id(record) in seen:
            continue
        seen.add(id(record))
        message = record.getMessage()
        if patterns is not None and (not patterns or any(p.search(message) for p in patterns)):
            continue
        found.append(f"{record.name}: {record.levelname}: {message}")
    return found


def _allowed(item: pytest.Item) -> list[str] | None:
    markers = list(item.iter_markers("allow_warnings"))
    if not markers:
        return None
    patterns = [pattern for marker in markers for pattern in marker.args]
    return [] if any(not marker.args for marker in markers) else patterns


def _watch(item: pytest.Item, when: str):
    with WarningRecorder() as recorder:
        result = yield
    found = unexpected_warnings(recorder.records, _allowed(item))
    if found:
        pytest.fail(f"unexpected warnings during {when} (mark the test allow_warnings if they are expected):\n"
                    + "\n".join(found), pytrace=False)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    return (yield from _watch(item, "setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    return (yield from _watch(item, "call"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    return (yield from _watch(item, "teardown"))
