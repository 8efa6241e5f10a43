"""`branchbook template`: an Excel entry sheet that, filled in and saved (openpyxl or LibreOffice), reads back cleanly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import UserError
from generator.load.project import load_sources
from generator.template_sheet import build_template
from generator.validate.project import validate_project
from tests.conftest import copy_sample
from tests.test_validate import problems_of

TODAY = dt.date(2026, 12, 15)


@pytest.fixture()
def sample(tmp_path):
    return copy_sample(tmp_path / "org")


def fill(path, value=lambda column, maximum: maximum * 0.8):
    """Fill every score cell as a user would: numbers inside each item's range."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    maxima = {}
    for rule in sheet.data_validations.dataValidation:
        column = str(rule.sqref).split(":")[0].rstrip("0123456789")
        maxima[column] = float(rule.formula2)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column_letter in maxima:
                cell.value = value(cell.column_letter, maxima[cell.column_letter])
    book.save(path)


def test_template_has_one_row_per_branch_locked_keys_and_range_checks(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "tiered", "2027Q1", TODAY)
    assert name == "tiered-2027Q1.xlsx"
    path = sample / name
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "2027年第一季度"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["支部编号", "支部名称", "K01"] and len(header) == 2 + 27      # 自主项 are not scored
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == sorted(b.id for b in project.branches)
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    rules = {str(rule.sqref): (rule.type, rule.formula1, rule.formula2) for rule in sheet.data_validations.dataValidation}
    assert rules["C2:C14"] == ("decimal", "0", "5")
    assert "满分 5" in sheet["C1"].comment.text
    assert build_template(project, "tiered", "2027Q1", TODAY)[1] == content          # byte-stable


def test_filled_template_dropped_into_scores_reads_back_without_error(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "tiered", "2027Q1", TODAY)
    path = sample / "scores" / "tiered" / name
    path.write_bytes(content)
    assert any("[scores.empty-row]" in line for line in problems_of(sample))           # not filled in yet
    fill(path)
    project = validate_project(load_sources(sample))
    sheet = next(s for s in project.scores if s.scheme_id == "tiered" and s.period == "2027Q1")
    assert len(sheet.rows) == 13 and sheet.rows[0].values["K01"] == 4.0


def test_out_of_range_value_in_the_template_is_located_by_cell(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "red-flag", "2026Q4", TODAY)
    path = sample / "scores" / "red-flag" / name
    path.write_bytes(content)
    fill(path, lambda column, maximum: maximum + 1 if column == "C" else maximum)
    found = problems_of(sample)
    assert found[0] == ("scores/red-flag/red-flag-2026Q4.xlsx[2026年第四季度]!C2: 错误: 「党组织建设」(R01) 得分应为 0–20, "
                        "实际为 21 [scores.out-of-range]")
    assert len(found) == 4                                                              # the four village/community branches


def test_member_template_lists_members_and_activists(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "points", "2027", TODAY)
    path = sample / "scores" / "points" / name
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["支部编号", "支部名称", "姓名", "D1", "D2", "D3", "R1"]
    fill(path)
    assert len(validate_project(load_sources(sample)).scores) > 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) 未安装")
def test_template_saved_again_by_libreoffice_reads_back(sample, tmp_path):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "five-step", "2027", TODAY)
    filled = tmp_path / "in" / name
    filled.parent.mkdir()
    filled.write_bytes(content)
    fill(filled)
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(filled)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / name, sample / "scores" / "five-step" / name)
    project = validate_project(load_sources(sample))
    sheet = next(s for s in project.scores if s.scheme_id == "five-step" and s.period == "2027")
    assert len(sheet.rows) == 13 and sheet.rows[0].values == {"ZC": 80.0, "KH": 80.0, "CP": 80.0, "DC": 80.0, "SZ": 80.0}


def test_unknown_scheme_and_bad_period_are_user_errors(sample):
    project = validate_project(load_sources(sample))
    with pytest.raises(UserError, match="没有编号为「tierd」的考核方案"):
        build_template(project, "tierd", "2026Q1", TODAY)
    with pytest.raises(UserError, match="应写作「2026Q1」"):
        build_template(project, "tiered", "2026", TODAY)
    with pytest.raises(UserError, match="不需要录入分数"):
        build_template(project, "grading", "2026", TODAY)


def test_template_command_writes_the_file_and_refuses_to_overwrite(sample, monkeypatch):
    monkeypatch.chdir(sample)
    runner = CliRunner()
    result = runner.invoke(main, ["template", "--project", str(sample), "tiered", "2027Q1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("已生成录入表 tiered-2027Q1.xlsx。")
    assert (sample / "tiered-2027Q1.xlsx").is_file()
    again = runner.invoke(main, ["template", "--project", str(sample), "tiered", "2027Q1"])
    assert again.exit_code == 1 and "已存在" in again.output
