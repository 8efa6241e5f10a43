"""The check of tests/conftest.py: a warning from our code, WeasyPrint or MkDocs fails the test that caused it."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import WarningRecorder, unexpected_warnings

pytest_plugins = ["pytester"]

INNER_CONFTEST = """
from tests.conftest import pytest_runtest_call, pytest_runtest_setup, pytest_runtest_teardown  # noqa: F401  (hooks)

def pytest_configure(config):
    config.addinivalue_line("markers", "allow_warnings(*patterns): expected warnings")
"""

INNER_TESTS = """
import logging
import pytest

def test_quiet():
    logging.getLogger("generator.pipeline").info("不是警告")

def test_our_warning():
    logging.getLogger("branchbook").warning("故意引入的警告")

def test_weasyprint_warning():
    logging.getLogger("weasyprint").warning("Ignored `hyphens: auto` at 3:5")

def test_mkdocs_error():
    logging.getLogger("mkdocs.structure.pages").error("Doc file 'a.md' contains a link 'b.md'")

def test_another_library_is_not_watched():
    logging.getLogger("fontTools.subset").warning("whatever")

@pytest.fixture(scope="module")
def noisy_build():
    logging.getLogger("generator.site").warning("在模块夹具中")

def test_a_warning_in_a_module_fixture(noisy_build):
    pass

@pytest.mark.allow_warnings
def test_allowed_entirely():
    logging.getLogger("branchbook").warning("本测试预期的警告")

@pytest.mark.allow_warnings("预期")
def test_allowed_by_pattern():
    logging.getLogger("branchbook").warning("本测试预期的警告")

@pytest.mark.allow_warnings("预期")
def test_not_allowed_by_that_pattern():
    logging.getLogger("branchbook").warning("另一个警告")
"""


@pytest.mark.allow_warnings   # the inner tests run in this process: their warnings reach this test's check too
def test_a_deliberate_warning_fails_its_test_unless_allowed(pytester: pytest.Pytester):
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    outcomes = {report.nodeid.split("::")[-1]: report.outcome
                for report in result.reprec.getreports("pytest_runtest_logreport") if report.failed}
    assert outcomes == {"test_our_warning": "failed", "test_weasyprint_warning": "failed",
                        "test_mkdocs_error": "failed", "test_a_warning_in_a_module_fixture": "failed",
                        "test_not_allowed_by_that_pattern": "failed"}
    result.assert_outcomes(passed=4, failed=4, errors=1)      # the fixture's warning is an error of its setup
    result.stdout.fnmatch_lines(["*unexpected warnings during call*", "*branchbook: WARNING: 故意引入的警告*"])


def test_unexpected_warnings_counts_each_record_once_and_honours_the_patterns():
    record = logging.LogRecord("generator.site", logging.WARNING, __file__, 1, "链接「%s」不存在", ("a.md",), None)
    other = logging.LogRecord("weasyprint", logging.ERROR, __file__, 2, "Failed to load image", (), None)
    records = [record, record, other]          # one record reaching two watched loggers
    assert unexpected_warnings(records, None) == ["generator.site: WARNING: 链接「a.md」不存在",
                                                  "weasyprint: ERROR: Failed to load image"]
    assert unexpected_warnings(records, []) == []
    assert unexpected_warnings(records, ["不存在"]) == ["weasyprint: ERROR: Failed to load image"]


def test_the_recorder_keeps_warnings_and_above_of_the_watched_loggers_only():
    with WarningRecorder() as recorder:
        logging.getLogger("generator.pipeline").info("信息")
        logging.getLogger("unwatched.library").warning("not ours")
    assert recorder.records == []
    assert all(recorder not in logging.getLogger(name).handlers for name in ("branchbook", "mkdocs"))
