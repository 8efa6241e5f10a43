"""`branchbook template`: a Chinese-headed Excel entry sheet that, filled in and saved (openpyxl or LibreOffice), reads back cleanly."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import UserError
from generator.load.project import load_sources
from generator.template_sheet import build_template, entry_rows
from generator.models.columns import item_headers
from generator.validate.project import validate_project
from tests.support import copy_sample, copy_small, edit, problems_of

TODAY = dt.date(2026, 12, 15)


@pytest.fixture()
def sample(tmp_path):
    return copy_sample(tmp_path / "org")


@pytest.fixture()
def small(tmp_path):
    return copy_small(tmp_path / "org")


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


def varied(column: str, maximum: float) -> float:
    """A different share of the maximum in neighbouring columns, so that a column read as another shows."""
    return maximum * (openpyxl.utils.column_index_from_string(column) % 4) / 4


def varied_values(scheme, keys: int = 2) -> dict[str, float]:
    """What `varied` writes into each scored item's column of an entry sheet with `keys` key columns."""
    return {item.id: item.max_points * ((number + keys + 1) % 4) / 4
            for number, item in enumerate(scheme.scored_items())}


def scores_of(root, scheme_id: str, period: str) -> list[tuple]:
    project = validate_project(load_sources(root))
    sheet = next(s for s in project.scores if s.scheme_id == scheme_id and s.period == period)
    return [(row.branch_id, row.member, row.values) for row in sheet.rows]


def offered(project, scheme_id: str, period: str) -> list[list[str]]:
    """The rows the entry sheet of a scheme and period offers (one per branch or scored person)."""
    return entry_rows(project, next(s for s in project.schemes if s.id == scheme_id), period)


def write_filled_template(root, scheme_id: str, period: str, value=varied):
    project = validate_project(load_sources(root))
    name, content = build_template(project, scheme_id, period, TODAY)
    path = root / "scores" / scheme_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    fill(path, value)
    return project, path


def test_template_has_one_row_per_branch_locked_keys_and_range_checks(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "tiered", "2027Q1", TODAY)
    assert name == "tiered-2027Q1.xlsx"
    path = sample / name
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "2027年第一季度"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["支部编号", "支部名称", "落实党建工作责任制"] and len(header) == 2 + 27      # 自主项 are not scored
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == sorted(b.id for b in project.branches)
    assert sheet.protection.sheet is True
    assert sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    rules = {str(rule.sqref): (rule.type, rule.formula1, rule.formula2) for rule in sheet.data_validations.dataValidation}
    assert rules["C2:C14"] == ("decimal", "0", "5")
    assert sheet["C1"].comment.text.startswith("指标编号：K01\n") and "满分 5" in sheet["C1"].comment.text
    assert build_template(project, "tiered", "2027Q1", TODAY)[1] == content          # byte-stable


def test_every_header_is_chinese_and_names_its_item(small):
    project = validate_project(load_sources(small))
    _, path = write_filled_template(small, "tiered", "2026Q2")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    scheme = next(s for s in project.schemes if s.id == "tiered")
    header = [cell.value for cell in sheet[1]]
    assert header == ["支部编号", "支部名称", *(item.name for item in scheme.scored_items())]
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in header)
    assert not {item.id for item in scheme.items} & set(header)
    comments = [sheet.cell(1, column).comment.text.splitlines()[0] for column in range(3, len(header) + 1)]
    assert comments == [f"指标编号：{item.id}" for item in scheme.scored_items()]
    notes = openpyxl.load_workbook(path).worksheets[1]
    listed = {row[0]: row[1] for row in notes.iter_rows(min_row=6, values_only=True)}
    assert listed == {item.id: item.name for item in scheme.scored_items()}


def test_entry_sheet_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(small):
    project = validate_project(load_sources(small))
    _, content = build_template(project, "tiered", "2026Q2", TODAY)
    path = small / "sheet.xlsx"
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "C2"
    assert sheet.oddHeader.center.text == "清单管理、台阶考核 2026年第二季度分数录入表"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.row_dimensions[1].height >= 45          # the longest names wrap over several lines
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    assert re.search(r'<definedName name="_xlnm.Print_Titles" localSheetId="0">[^<]*\$1:\$1</definedName>', workbook)


def test_filled_template_dropped_into_scores_reads_back_without_error(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "tiered", "2027Q1", TODAY)
    path = sample / "scores" / "tiered" / name
    path.write_bytes(content)
    assert any("[scores.empty-row]" in line for line in problems_of(sample))           # not filled in yet
    fill(path)
    project = validate_project(load_sources(sample))
    sheet = next(s for s in project.scores if s.scheme_id == "tiered" and s.period == "2027Q1")
    assert len(sheet.rows) == len(offered(project, "tiered", "2027Q1")) and sheet.rows[0].values["K01"] == 4.0


def test_name_headers_read_back_as_the_same_scores_as_id_headers(small):
    project, path = write_filled_template(small, "tiered", "2026Q2")
    by_names = scores_of(small, "tiered", "2026Q2")
    scheme = next(s for s in project.schemes if s.id == "tiered")
    assert by_names == [("hongguang", None, varied_values(scheme)), ("qingshan", None, varied_values(scheme))]
    book = openpyxl.load_workbook(path)
    for cell, item in zip(book.worksheets[0][1][2:], scheme.scored_items(), strict=True):
        cell.value = item.id
    book.save(path)
    assert scores_of(small, "tiered", "2026Q2") == by_names


def test_headers_with_full_width_parentheses_spaces_or_name_and_id_are_read(small):
    table = small / "scores" / "tiered" / "2026Q1.csv"
    before = scores_of(small, "tiered", "2026Q1")
    edit(table, "支部编号,支部名称,K01,K02,", " 支部编号 ,支部名称,  落实党建工作责任制 ,「三会一课」制度落实（K02）,")
    edit(table, ",K08,", ",围绕中心服务大局（安全生产、重点任务）,")
    edit(table, ",K09,", ",党费收缴、使用和管理 (K09),")
    assert scores_of(small, "tiered", "2026Q1") == before


def test_a_column_headed_by_an_items_id_and_another_by_its_name_is_an_error(small):
    table = small / "scores" / "tiered" / "2026Q1.csv"
    text = table.read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",落实党建工作责任制"] + [line + ",5" for line in text[1:]]
    table.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert problems_of(small) == [
        "scores/tiered/2026Q1.csv:1:30: 错误: 「落实党建工作责任制」和第 C 列的「K01」是同一个指标「落实党建工作责任制」（K01）；"
        "每个指标只能有一列，请删去其中一列 [scores.duplicate-item]"]


def test_a_name_two_items_share_heads_their_sheet_columns_with_the_id_and_is_refused_alone(small):
    scheme_file = small / "content" / "schemes" / "tiered.yml"
    edit(scheme_file, "name: 「三会一课」制度落实", "name: 落实党建工作责任制")
    project = validate_project(load_sources(small))
    scheme = next(s for s in project.schemes if s.id == "tiered")
    headers = item_headers(scheme)
    assert (headers["K01"], headers["K02"], headers["K03"]) == (
        "落实党建工作责任制（K01）", "落实党建工作责任制（K02）", "党风廉政建设「两个责任」")
    _, path = write_filled_template(small, "tiered", "2026Q2")
    assert [cell.value for cell in openpyxl.load_workbook(path).worksheets[0][1][2:4]] == [headers["K01"], headers["K02"]]
    assert scores_of(small, "tiered", "2026Q2")[0][2] == varied_values(scheme)
    path.unlink()
    edit(small / "scores" / "tiered" / "2026Q1.csv", ",K01,", ",落实党建工作责任制,")
    assert problems_of(small) == [
        "scores/tiered/2026Q1.csv:1: 错误: 缺少计分指标「落实党建工作责任制」（K01）列 [scores.missing-item]",
        "scores/tiered/2026Q1.csv:1:3: 错误: 「落实党建工作责任制」是方案「清单管理、台阶考核」中 2 个指标（K01、K02）的名称，"
        "不知道是哪一个；请改用指标编号（如「K01」）或「名称（编号）」（如「落实党建工作责任制（K01）」）作列名 "
        "[scores.ambiguous-item]"]


def test_a_branch_founded_after_the_period_has_no_row(small):
    edit(small / "branches" / "qingshan.yml", "founded: 2003-05-20", "founded: 2025-11-01")
    project = validate_project(load_sources(small))

    def rows(period: str) -> list[str]:
        sheet = openpyxl.load_workbook(io.BytesIO(build_template(project, "tiered", period, TODAY)[1])).worksheets[0]
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert rows("2025Q3") == ["hongguang"]
    assert rows("2025Q4") == ["hongguang", "qingshan"]


def test_out_of_range_value_in_the_template_is_located_by_cell(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "red-flag", "2026Q4", TODAY)
    path = sample / "scores" / "red-flag" / name
    path.write_bytes(content)
    fill(path, lambda column, maximum: maximum + 1 if column == "C" else maximum)
    found = problems_of(sample)
    assert found[0] == ("scores/red-flag/red-flag-2026Q4.xlsx[2026年第四季度]!C2: 错误: 「党组织建设」（R01）得分应为 0–20，"
                        "实际为 21 [scores.out-of-range]")
    assert len(found) == len(offered(project, "red-flag", "2026Q4"))                   # one for each branch's row


def test_member_template_lists_members_and_activists(sample):
    project = validate_project(load_sources(sample))
    name, content = build_template(project, "points", "2027", TODAY)
    path = sample / "scores" / "points" / name
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["支部编号", "支部名称", "姓名", "底线约束", "民主生活", "示范引领", "年度民主评议"]
    fill(path)
    assert len(validate_project(load_sources(sample)).scores) > 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) 未安装")
def test_template_saved_again_by_libreoffice_reads_back(sample, tmp_path):
    project, filled = write_filled_template(sample, "five-step", "2027", lambda column, maximum: maximum * 0.8)
    expected = scores_of(sample, "five-step", "2027")
    assert len(expected) == len(offered(project, "five-step", "2027"))
    assert expected[0][2] == {"ZC": 80.0, "KH": 80.0, "CP": 80.0, "DC": 80.0, "SZ": 80.0}
    source = tmp_path / "in" / filled.name
    source.parent.mkdir()
    filled.replace(source)
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / filled.name, filled)
    sheet = openpyxl.load_workbook(filled).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["支部编号", "支部名称", "自查评分表", "考核评分表", "民主测评表",
                                                 "民意调查表", "述职评分表"]
    assert (int(sheet.page_setup.paperSize), sheet.page_setup.orientation) == (9, "landscape")
    assert sheet.print_title_rows == "$1:$1"
    assert scores_of(sample, "five-step", "2027") == expected


def test_unknown_scheme_and_bad_period_are_user_errors(sample):
    project = validate_project(load_sources(sample))
    with pytest.raises(UserError, match="没有编号为「tierd」的考核方案"):
        build_template(project, "tierd", "2026Q1", TODAY)
    with pytest.raises(UserError, match="应写作「2026Q1」"):
        build_template(project, "tiered", "2026", TODAY)
    with pytest.raises(UserError, match="应写作「2026Q1」"):
        build_template(project, "tiered", "0000Q1", TODAY)
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


def test_template_command_without_arguments_lists_the_projects_schemes(small, monkeypatch):
    edit(small / "content" / "schemes" / "tiered.yml", "id: tiered", "id: taijie")
    (small / "scores" / "tiered").rename(small / "scores" / "taijie")
    monkeypatch.chdir(small)
    result = CliRunner().invoke(main, ["template"], prog_name="branchbook")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "本组织的考核方案（方案编号　名称：考核期的写法）：",
        "  taijie  清单管理、台阶考核：按季度考核，考核期如 2026Q1",
        "生成录入表：branchbook template 方案编号 考核期，如 branchbook template taijie 2026Q1"]
    assert not list(small.glob("*.xlsx"))
    help_text = CliRunner().invoke(main, ["template", "--help"], prog_name="branchbook").output
    assert "不带参数运行「branchbook" in help_text and "列出本组织的全部方案编号" in help_text


def test_template_help_lists_the_scheme_ids_of_the_organization_it_is_run_for(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main
    from tests.support import copy_small

    root = copy_small(tmp_path / "org")
    for args in (["template", "--project", str(root), "--help"], ["--project", str(root), "template", "--help"]):
        shown = CliRunner().invoke(main, args).output
        assert "本组织的方案：" in shown and "tiered  清单管理、台阶考核" in shown and "red-flag" not in shown
    elsewhere = CliRunner().invoke(main, ["template", "--project", str(tmp_path), "--help"]).output
    assert "这里会列出本组织的方案编号" in elsewhere
