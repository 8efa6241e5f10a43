"""Reading rosters and score tables: what is accepted and how (the refusals are in tests/bad_input/corpus/)."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from generator import pipeline
from generator.errors import Location, Problem, ProblemsFound
from generator.load import tables
from generator.load.tables import read_table
from generator.models.common import free_file_name, parse_chinese_date
from generator.models.schemes import SchemeItem
from generator.validate.project import _score_number
from tests.support import copy_small

HEADER = ["姓名", "性别", "出生日期", "民族", "学历", "入党日期", "转正日期", "党员类别"]
ROWS = [
    ["吴长青", "男", "1970-04-12", "汉族", "高中/中专", "1995-06-30", "1996-06-30", "正式"],
    ["林晓燕", "女", "1986-09-03", "汉族", "大专", "2010-07-01", "2011-07-01", "正式"],
    ["周桂芳", "女", "1962-11-23", "汉族", "初中及以下", "1988-07-01", "1989-07-01", "正式"],
]


def _xlsx(path: Path, rows: list[list], epoch=None, merge: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "名册"
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def _use_xlsx_roster(root: Path, rows: list[list], **options) -> None:
    _xlsx(root / "branches" / "qingshan-members.xlsx", rows, **options)
    branch = root / "branches" / "qingshan.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("qingshan-members.csv", "qingshan-members.xlsx"),
                      encoding="utf-8")


def _members(root: Path, branch_id: str = "qingshan") -> list:
    return list(pipeline.load_project(root).branch(branch_id).members)


# --- XLSX ------------------------------------------------------------------------------------

def test_merged_cells_hold_the_top_left_value_in_every_cell(tmp_path):
    rows = [["姓名", "所在党小组", "工作岗位"], ["甲", "第一党小组", "村民"], ["乙", None, "村民"], ["丙", None, None]]
    table, problems = read_table(_xlsx(tmp_path / "t.xlsx", rows, merge=("B2:B4", "C3:C4")), "t.xlsx")
    assert problems == []
    assert [row.value("所在党小组") for row in table.rows] == ["第一党小组"] * 3
    assert [row.value("工作岗位") for row in table.rows] == ["村民", "村民", "村民"]
    assert table.rows[2].locate("所在党小组") == Location("t.xlsx", 4, 2, "名册")


def test_xlsx_date_serials_are_dates_in_either_excel_calendar(tmp_path):
    for epoch, serial in ((None, 25670), (CALENDAR_MAC_1904, 24208)):  # both 1970-04-12
        root = copy_small(tmp_path / f"org-{serial}")
        _use_xlsx_roster(root, [HEADER, [*ROWS[0][:2], serial, *ROWS[0][3:]], *ROWS[1:]], epoch=epoch)
        assert _members(root)[0].birth_date == dt.date(1970, 4, 12)


def test_xlsx_numbers_in_text_columns_are_text_and_a_mobile_number_is_kept(tmp_path):
    root = copy_small(tmp_path / "org")
    _use_xlsx_roster(root, [HEADER + ["工作岗位", "联系电话"], ROWS[0] + [110, 13800001111], *ROWS[1:]])
    first = _members(root)[0]
    assert (first.position, first.phone) == ("110", "13800001111")


def _edit_sheet_xml(path: Path, old: bytes, new: bytes) -> None:
    """Change the first worksheet's XML inside the workbook, as Excel (or a hostile file) could have written it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old in parts[sheet]
    parts[sheet] = parts[sheet].replace(old, new)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_formula_with_a_saved_value_gives_that_value(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["支部编号", "K01"], ["hongguang", "=2+2"]])
    _edit_sheet_xml(path, b"<f>2+2</f><v />", b"<f>2+2</f><v>4</v>")  # the value Excel saves with the formula
    table, problems = read_table(path, "t.xlsx")
    assert problems == [] and table.rows[0].value("K01") == 4


def test_declared_merges_too_large_are_refused_before_openpyxl_builds_them(tmp_path):
    path = _xlsx(tmp_path / "t.xlsx", [["姓名"], ["甲"]])
    _edit_sheet_xml(path, b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="A2:ZZ900000"/></mergeCells>')
    started = time.monotonic()
    table, problems = read_table(path, "t.xlsx")
    assert table is None and [p.code for p in problems] == ["table.too-many-cells"]
    assert time.monotonic() - started < 5


def test_what_an_xlsx_unpacks_to_is_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED_BYTES", 1000)
    table, problems = read_table(_xlsx(tmp_path / "t.xlsx", [["姓名"], ["甲"]]), "t.xlsx")
    assert table is None and [p.code for p in problems] == ["file.too-large"]


# --- CSV ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
def test_csv_encodings_that_are_read(tmp_path, encoding):
    delimiter = "\t" if encoding.startswith("utf-16") else ","
    text = "\n".join(delimiter.join(row) for row in [HEADER, *ROWS]) + "\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    table, problems = read_table(path, "t.csv")
    assert problems == []
    assert table.header == HEADER and [row.value("姓名") for row in table.rows] == ["吴长青", "林晓燕", "周桂芳"]


def test_short_rows_have_empty_cells_located_at_their_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1\n2,3,4\n", encoding="utf-8")
    table, problems = read_table(path, "t.csv")
    assert problems == []
    assert [(row.value("c"), row.locate("c")) for row in table.rows] == [
        (None, Location("t.csv", 2, 3)), ("4", Location("t.csv", 3, 3))]


def test_rows_padded_to_one_width_by_an_editor_are_not_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2,,\n3,4,,\n", encoding="utf-8")
    assert read_table(path, "t.csv")[1] == []


@pytest.mark.parametrize("width, name", [(3, "C"), (28, "AB"), (18_278, "ZZZ"), (18_279, "18279")])
def test_a_column_is_named_by_its_letters_and_past_the_last_letters_by_its_number(tmp_path, width, name):
    path = tmp_path / "t.csv"
    path.write_text(",".join([f"c{i}" for i in range(1, width)] + [""]) + "\n" + "1," * (width - 1) + "2\n",
                    encoding="utf-8")
    [problem] = read_table(path, "t.csv")[1]
    assert problem.code == "table.no-header" and problem.location == Location("t.csv", 2, width)
    assert problem.message.startswith(f"第 {name} 列没有列名（表头这一格是空的）")


def test_quoted_cells_may_hold_commas_line_breaks_and_doubled_quotes(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n"青山村,一组","第一行\n第二行"\n"说""好""的",x\n', encoding="utf-8")
    table, problems = read_table(path, "t.csv")
    assert problems == []
    assert [(row.value("a"), row.value("b")) for row in table.rows] == [
        ("青山村,一组", "第一行\n第二行"), ('说"好"的', "x")]


def test_a_byte_order_mark_left_inside_a_file_is_not_part_of_a_name(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("姓名\n甲\n".encode("utf-8-sig") + "乙\n".encode("utf-8-sig"))
    assert [row.value("姓名") for row in read_table(path, "t.csv")[0].rows] == ["甲", "乙"]


def test_table_cells_beyond_the_cell_count_limit_are_refused_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_TABLE_CELLS", 1000)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "1,2\n" * 600, encoding="utf-8")
    table, problems = read_table(path, "t.csv")
    assert table is None and problems == [Problem(Location("t.csv", 501), "table.too-many-cells",
                                                  "表格太大：到第 501 行已超过 1,000 个单元格；请拆分表格")]


def test_a_csv_with_many_rows_is_read_quickly(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",".join(HEADER) + "\n" + (",".join(ROWS[1]) + "\n") * 20_000, encoding="utf-8")
    started = time.monotonic()
    table, problems = read_table(path, "t.csv")
    assert problems == [] and len(table.rows) == 20_000
    assert time.monotonic() - started < 5


# --- values --------------------------------------------------------------------------------------

ITEM = SchemeItem(id="K01", name="落实党建工作责任制", max_points=5)


@pytest.mark.parametrize("value, number", [
    ("4", 4.0), ("4.5", 4.5), (".5", 0.5), ("5.", 5.0), ("+3", 3.0), (" 2 ", 2.0), ("４．５", 4.5), ("０", 0.0),
    (4, 4.0), (4.5, 4.5), (0, 0.0)])
def test_scores_that_are_numbers(value, number):
    problems: list[Problem] = []
    assert _score_number(value, Location("t.csv", 2, 3), ITEM, problems) == number and problems == []


@pytest.mark.parametrize("value, code", [
    ("NaN", "scores.not-number"), ("nan", "scores.not-number"), ("inf", "scores.not-number"),
    ("-inf", "scores.not-number"), ("Infinity", "scores.not-number"), ("1e1", "scores.not-number"),
    ("0x5", "scores.not-number"), ("4分", "scores.not-number"), ("٣", "scores.not-number"), (True, "scores.not-number"),
    (dt.date(2026, 1, 5), "scores.not-number"), ("9,5", "scores.decimal-comma"), ("1,000", "scores.decimal-comma"),
    ("４，５", "scores.decimal-comma"), ("-0", "scores.out-of-range"), ("-0.0", "scores.out-of-range"),
    (-0.0, "scores.out-of-range"), ("5.01", "scores.out-of-range")])
def test_scores_that_are_refused(value, code):
    problems: list[Problem] = []
    assert _score_number(value, Location("t.csv", 2, 3), ITEM, problems) is None
    assert [p.code for p in problems] == [code]


def test_a_decimal_comma_suggests_the_decimal_point():
    problems: list[Problem] = []
    _score_number("9,5", Location("t.csv", 2, 3), SchemeItem(id="K01", name="x", max_points=10), problems)
    assert "写作 9.5" in problems[0].message


@pytest.mark.parametrize("value", [45000, "45000", 86400, "86400", 19860903, "19860903", 1.5, "12.5"])
def test_numbers_are_never_read_as_dates(value):
    with pytest.raises(ValueError):
        parse_chinese_date(value)


@pytest.mark.parametrize("value, date", [("2026/3/5", dt.date(2026, 3, 5)), ("2026年3月5日", dt.date(2026, 3, 5)),
                                         (dt.datetime(2026, 3, 5, 9, 30), dt.date(2026, 3, 5))])
def test_spreadsheet_date_forms_still_parse(value, date):
    assert parse_chinese_date(value) == date


def test_a_mobile_number_that_yaml_read_as_a_number_is_kept_as_text(tmp_path):
    root = copy_small(tmp_path / "org")
    branch = root / "branches" / "hongguang.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace('phone: "13916480894"', "phone: 13916480894"),
                      encoding="utf-8")
    assert _members(root, "hongguang")[0].phone == "13916480894"


@pytest.mark.parametrize("name", ["index", "con", "nul", "com1", "lpt9"])
def test_ids_that_name_generated_files_are_refused(name):
    with pytest.raises(ValueError):
        free_file_name(name, {"index": "已有页面"})


@pytest.mark.parametrize("name", ["console", "com10", "lpt", "indexes", "hongguang"])
def test_ordinary_ids_are_free(name):
    assert free_file_name(name, {"index": "已有页面"}) == name


def test_the_small_fixture_and_its_roster_still_validate():
    project = pipeline.load_project(Path(__file__).parent / "fixtures" / "small")
    assert len(project.branch("qingshan").members) == 4


def test_mistakes_in_several_tables_are_all_reported_together(tmp_path):
    root = copy_small(tmp_path / "org")
    roster = root / "branches" / "qingshan-members.csv"
    roster.write_text(roster.read_text(encoding="utf-8").replace("1986-09-03", "31658"), encoding="utf-8")
    scores = root / "scores" / "tiered" / "2026Q1.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace("hongguang,红光社区党支部,4,", "hongguang,红光社区党支部,NaN,"),
                      encoding="utf-8")
    with pytest.raises(ProblemsFound) as found:
        pipeline.load_project(root)
    assert [(p.location, p.code) for p in found.value.problems] == [
        (Location("branches/qingshan-members.csv", 3, 3), "value.invalid"),
        (Location("scores/tiered/2026Q1.csv", 2, 3), "scores.not-number")]


def test_cells_are_light():
    """A table's cells make their locations on demand: a table of many cells stays small in memory."""
    cell = tables.Cell("甲", "t.csv", 2, 1)
    assert not hasattr(cell, "__dict__") and cell.location == Location("t.csv", 2, 1)


def test_a_title_row_above_the_header_is_read_past(tmp_path):
    rows = [["青山村党支部党员名册"] + [None] * 7, HEADER, *ROWS]
    table, problems = read_table(_xlsx(tmp_path / "t.xlsx", rows, merge=("A1:H1",)), "t.xlsx")
    assert problems == [] and table.header == HEADER and len(table.rows) == 3
    assert table.header_locations["姓名"] == Location("t.xlsx", 2, 1, "名册")


def test_serial_number_and_notes_columns_and_wrapped_titles_in_a_roster(tmp_path):
    root = copy_small(tmp_path / "org")
    header = ["序号", *HEADER[:-1], "党员\n类别", "备注"]
    _use_xlsx_roster(root, [header, *([n, *row, "已交党费"] for n, row in enumerate(ROWS, start=1))])
    assert [m.status for m in _members(root)] == ["正式", "正式", "正式"]
