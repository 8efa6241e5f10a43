"""Spreadsheets carry text as text: no formula from a branch name, safe sheet titles, stable XLSX bytes, Chinese headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import openpyxl
import pytest

from generator import pipeline
from generator.compute.scoring import compute_results, results_view
from generator.export import (
    FORMULA_PREFIXES, csv_cell, data_files, export_columns, results_workbook, scheme_csv, sheet_title,
)
from generator.template_sheet import build_template
from tests.support import copy_small

HOSTILE_NAME = '=HYPERLINK("http://127.0.0.1:9/x","点击")'
HOSTILE_SCHEME = "清单管理?[台阶]考核:*/\\这是一个足足超过三十一个字符的很长很长的方案名称"
EPOCH = "1767312000"        # 2026-01-02 00:00:00 UTC


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """The small fixture with a formula as a branch's short name and a scheme name Excel forbids, built without PDFs."""
    root = copy_small(tmp_path_factory.mktemp("sheets") / "org")
    branch = root / "branches" / "hongguang.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace(
        "short_name: 红光社区党支部", f"short_name: '{HOSTILE_NAME}'"), encoding="utf-8")
    scheme = root / "content" / "schemes" / "tiered.yml"
    text = scheme.read_text(encoding="utf-8")
    assert "name: 清单管理、台阶考核" in text
    scheme.write_text(text.replace("name: 清单管理、台阶考核", f'name: "{HOSTILE_SCHEME}"'.replace("\\", "\\\\")),
                      encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        pipeline.build(root, with_pdf=False, show_progress=False)
    return root


def _sheet_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.startswith("xl/worksheets/sheet")]


def _hostile_cells(book: openpyxl.Workbook) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value == HOSTILE_NAME]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "-"])
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert text.startswith(FORMULA_PREFIXES)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -0.5, 12, 0, "红光社区党支部", "1-2", "a=b", "", None])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert csv_cell(value) == value


def test_sheet_titles_are_valid_short_and_unique():
    first = sheet_title(HOSTILE_SCHEME, [])
    assert not re.search(r"[\\*?:/\[\]]", first) and len(first) <= 31
    second = sheet_title(HOSTILE_SCHEME, [first])
    assert second != first and len(second) <= 31 and second.endswith("（2）")
    assert sheet_title(HOSTILE_SCHEME, [first, second]).endswith("（3）")
    assert sheet_title("'历年'", []) == "历年"
    assert sheet_title("History", []) == "History（2）"
    assert sheet_title("?", []) == "-"


def test_csv_export_neutralises_the_formula(root):
    text = (root / "site" / "data" / "tiered.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    hongguang = next(row for row in rows if row["支部编号"] == "hongguang")
    assert hongguang["支部名称"] == "'" + HOSTILE_NAME
    assert re.fullmatch(r"\d+(\.\d+)?", hongguang["总分"])       # numbers are not touched
    assert not any(value.startswith("'") for row in rows for key, value in row.items() if key != "支部名称")


def test_xlsx_export_stores_the_formula_as_text(root):
    data = (root / "site" / "data" / "results.xlsx").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = _hostile_cells(book)
    assert cells
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert all("<f>" not in xml and "<f " not in xml for xml in _sheet_xml(data))
    assert any(cell.data_type == "n" for row in book.worksheets[0].iter_rows(min_row=2) for cell in row)
    title = book.sheetnames[0]
    assert len(title) <= 31 and not re.search(r"[\\*?:/\[\]]", title) and title.startswith("清单管理")


def test_xlsx_export_has_the_build_date_and_the_same_bytes_every_time(root, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    built = (root / "site" / "data" / "results.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == ["2026-01-02T00:00:00Z"] * 2
    view = results_view(compute_results(pipeline.load_project(root)), "public")
    assert data_files(view, pipeline.build_date())["results.xlsx"] == built


def test_entry_sheet_stores_the_formula_as_text(root):
    project = pipeline.load_project(root)
    _, data = build_template(project, "tiered", "2026Q2", dt.date(2026, 1, 2))
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = _hostile_cells(book)
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert all("<f>" not in xml and "<f " not in xml for xml in _sheet_xml(data))
    assert book.worksheets[1]["A1"].value.startswith(HOSTILE_SCHEME)


TIERED_HEADERS = ["考核期", "考核期名称", "支部编号", "支部名称", "重点项", "基础项", "创新项", "总分", "名次", "台阶", "系数",
                  "降档", "面子挂钩", "不合格", "连续不合格期数", "提示处理等级", "处理提示", "考核类别"]


def test_csv_and_xlsx_exports_have_the_same_chinese_headers_and_json_keeps_the_keys(root):
    text = (root / "site" / "data" / "tiered.csv").read_bytes().decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == TIERED_HEADERS
    book = openpyxl.load_workbook(io.BytesIO((root / "site" / "data" / "results.xlsx").read_bytes()))
    assert [cell.value for cell in book.worksheets[0][1]] == TIERED_HEADERS
    data = json.loads((root / "site" / "data" / "results.json").read_text(encoding="utf-8"))
    tiered = data["schemes"][0]
    assert [column["header"] for column in tiered["columns"]] == TIERED_HEADERS
    keys = [column["key"] for column in tiered["columns"]]
    assert keys[:5] == ["period", "period_label", "branch_id", "branch", "subtotal_1"]
    assert tiered["rows"] and all(set(row) == set(keys) for row in tiered["rows"])
    assert "payback" not in keys                                                 # the public view only


def _scheme(columns: list[tuple[str, str]], rows: list[dict]) -> dict:
    return {"id": "x", "name": "方案", "kind": "five_step", "subject": "branch",
            "columns": [{"key": key, "title": title, "kind": "text", "privacy": "public", "description": ""}
                        for key, title in columns],
            "summary_columns": [], "periods": [{"period": "2026", "label": "2026年度", "rows": rows, "summary": []}]}


def test_headers_are_unique_the_schemes_own_names_giving_way_and_formulas_are_text():
    scheme = _scheme([("branch_id", "支部编号"), ("branch", "支部"), ("step_1", "名次"), ("step_2", "=1+1"),
                      ("step_3", "=1+1"), ("step_4", "支部名称"), ("composite", "综合得分"), ("rank", "名次")],
                     [{"branch_id": "a", "branch": "甲", "step_1": 1, "step_2": 2, "step_3": 3, "step_4": 4,
                       "composite": 5, "rank": 1}])
    headers = [column["header"] for column in export_columns(scheme)]
    assert headers == ["考核期", "考核期名称", "支部编号", "支部名称", "名次（2）", "=1+1", "=1+1（2）", "支部名称（2）",
                       "综合得分", "名次"]
    assert headers == [column["header"] for column in export_columns(scheme)]     # deterministic
    rows = list(csv.reader(io.StringIO(scheme_csv(scheme).lstrip("\ufeff"))))
    assert rows[0] == [*headers[:5], "'=1+1", "'=1+1（2）", *headers[7:]]
    assert rows[1] == ["2026", "2026年度", "a", "甲", "1", "2", "3", "4", "5", "1"]
    sheet = openpyxl.load_workbook(io.BytesIO(results_workbook([scheme], dt.datetime(2026, 1, 2)))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == headers
    assert sheet["F1"].data_type == "s" and sheet["F1"].quotePrefix and sheet["G1"].quotePrefix
