"""Turn a CSV or XLSX file into rows of cells that each know their location.

CSV files come from many editors: UTF-8, UTF-8 with a byte-order mark, or
GB18030 as Chinese Excel saves "CSV (逗号分隔)". XLSX cells holding an Excel
error (#DIV/0!, #N/A …) are reported, not read as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem

TABLE_SUFFIXES = (".csv", ".xlsx")
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


@dataclass(frozen=True)
class Cell:
    value: Any
    location: Location


@dataclass
class TableRow:
    """One data row: cells by header name, and where the row starts."""

    location: Location
    cells: dict[str, Cell]

    def value(self, column: str) -> Any:
        cell = self.cells.get(column)
        return None if cell is None else cell.value

    def locate(self, column: str) -> Location:
        cell = self.cells.get(column)
        return self.location if cell is None else cell.location


@dataclass
class Table:
    path: str
    header: list[str]
    header_locations: dict[str, Location]
    rows: list[TableRow]


def _decode_csv(raw: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _read_csv(path: Path, shown_as: str) -> tuple[list[list[tuple[Any, Location]]], list[Problem]]:
    text = _decode_csv(path.read_bytes())
    if text is None:
        return [], [Problem(Location(shown_as, 1), "table.encoding",
                            "无法识别文件编码; CSV 应保存为 UTF-8 或 GB18030 (Excel「CSV (逗号分隔)」)")]
    rows = []
    for number, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        rows.append([(_clean(value), Location(shown_as, number, col))
                     for col, value in enumerate(record, start=1)])
    return rows, []


def _read_xlsx(path: Path, shown_as: str) -> tuple[list[list[tuple[Any, Location]]], list[Problem]]:
    import openpyxl  # imported here: it costs a noticeable start-up time

    try:
        # Not read-only: read-only mode drops blank cells, which would shift later columns.
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return [], [Problem(Location(shown_as, 1), "table.unreadable",
                            "无法打开 Excel 文件; 请确认它是 .xlsx 格式且未损坏")]
    sheet = book.worksheets[0]
    rows, problems = [], []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            location = Location(shown_as, cell.row, cell.column, sheet.title)
            value = cell.value
            if cell.data_type == "e" or (isinstance(value, str) and value in _EXCEL_ERRORS):
                problems.append(Problem(location, "table.cell-error",
                                        f"单元格含有 Excel 错误值「{value}」, 请修正公式或改为数值"))
                value = None
            cells.append((_clean(value), location))
        rows.append(cells)
    book.close()
    return rows, problems


def read_table(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    """Read the first sheet (or the CSV); the first non-empty row is the header."""
    reader = _read_xlsx if path.suffix.lower() == ".xlsx" else _read_csv
    raw_rows, problems = reader(path, shown_as)
    raw_rows = [row for row in raw_rows if any(value is not None for value, _ in row)]
    if not raw_rows:
        if not problems:
            problems.append(Problem(Location(shown_as, 1), "table.empty", "表格为空, 至少应有表头和一行数据"))
        return None, problems
    header_cells = raw_rows[0]
    header = [str(value) if value is not None else "" for value, _ in header_cells]
    header_locations = {name: location for name, (_, location) in zip(header, header_cells) if name}
    rows = []
    for raw in raw_rows[1:]:
        cells = {name: Cell(value, location)
                 for name, (value, location) in zip(header, raw) if name}
        rows.append(TableRow(raw[0][1], cells))
    return Table(shown_as, header, header_locations, rows), problems
