"""Shared fixtures: a copy of the sample organization, built once per test session."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import pipeline

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PARTS = ("content", "branches", "scores", "theme", "mkdocs.yml")

# A branch added to the sample copy whose member carries canary personal data.
CANARY_ID_NUMBER = "330106198002290010"
CANARY_PHONE = "13957190042"
CANARY_ADDRESS = "云溪新区金雀巷甲7号金丝楼3单元1402室"
CANARY_NAME = "甄守拙"
CANARY_BRANCH = f"""\
id: canary
name: 中共云溪新区测试支部委员会
short_name: 测试党支部
type: 其他
parent: 中共云溪新区工作委员会
founded: 2010-07-01
office:
  phone: 0571-86660000
committee:
  term_start: 2024-01-10
  term_end: 2027-01-09
  members:
    - name: 贺知章
      role: 书记
      duties: 主持支部全面工作
members:
  - name: 贺知章
    gender: 男
    birth_date: 1975-03-01
    ethnicity: 汉族
    education: 本科
    joined_on: 2000-07-01
    full_member_on: 2001-07-01
    status: 正式
  - name: {CANARY_NAME}
    gender: 男
    birth_date: 1980-02-29
    ethnicity: 汉族
    education: 大专
    joined_on: 2006-06-30
    full_member_on: 2007-06-30
    status: 正式
    id_number: "{CANARY_ID_NUMBER}"
    phone: "{CANARY_PHONE}"
    address: {CANARY_ADDRESS}
  - name: 柳如眉
    gender: 女
    birth_date: 1988-08-08
    ethnicity: 满族
    education: 研究生
    joined_on: 2012-05-04
    full_member_on: 2013-05-04
    status: 正式
"""


@functools.lru_cache(maxsize=None)
def pdf_text(path: Path, tool: str = "pdftotext") -> str:
    """A PDF's text as poppler or MuPDF extracts it; cached because handbooks are long."""
    command = (["pdftotext", "-q", str(path), "-"] if tool == "pdftotext"
               else ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)])
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (review the diff!)")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


SMALL = Path(__file__).resolve().parent / "fixtures" / "small"


def copy_small(target: Path) -> Path:
    """A copy of the small fixture organization (two branches) with the repository's theme: a buildable project."""
    shutil.copytree(SMALL, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(REPO / "theme", target / "theme", dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def sample_project():
    """The repository's own sample organization, validated."""
    return pipeline.load_project(REPO)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample plus the canary branch, built with site and PDFs; returns the project root."""
    root = copy_sample(tmp_path_factory.mktemp("sample"))
    (root / "branches" / "canary.yml").write_text(CANARY_BRANCH, encoding="utf-8")
    pipeline.build(root, with_pdf=True, workers=2, show_progress=False)
    return root


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
