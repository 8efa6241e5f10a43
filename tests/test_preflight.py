"""Start-up checks name the Debian package to install, in Chinese."""

from __future__ import annotations

from click.testing import CliRunner

from generator import preflight
from generator.cli import main
from tests.support import REPO


def test_this_machine_has_what_pdfs_need():
    report = preflight.check_environment(for_pdf=True)
    assert report.errors == () and report.warnings == ()


def test_missing_cjk_font_stops_a_pdf_build_and_names_the_package(monkeypatch):
    monkeypatch.setattr(preflight, "installed_families", lambda: {"DejaVu Sans"})
    report = preflight.check_environment(for_pdf=True)
    assert len(report.errors) == 1
    assert "未找到中文字体" in report.errors[0] and "apt-get install fonts-noto-cjk" in report.errors[0]
    assert preflight.check_environment(for_pdf=False).errors == ()


def test_missing_harfbuzz_subsetting_only_warns(monkeypatch):
    monkeypatch.setattr(preflight, "has_harfbuzz_subset", lambda: False)
    report = preflight.check_environment(for_pdf=True)
    assert report.errors == ()
    assert report.warnings == ("未安装 HarfBuzz 字体子集化库，生成 PDF 将慢约 6 倍。请安装：apt-get install libharfbuzz-subset0",)


def test_build_without_fonts_exits_1_with_the_advice(monkeypatch, tmp_path):
    monkeypatch.setattr(preflight, "installed_families", lambda: set())
    result = CliRunner().invoke(main, ["build", "--project", str(REPO)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("错误: 未找到中文字体 Noto Serif CJK SC、Noto Sans CJK SC")
    assert "fonts-noto-cjk" in result.output
