"""Turn the public results view into the site's data files: JSON, CSV and XLSX under ``site/data/``.

Only the public view reaches this module (see `generator.compute.scoring.results_view`),
so an export can hold no individual member points and no pay-back amount.
Files are byte-stable: JSON with sorted keys, CSV in UTF-8 with a byte-order
mark (so Excel opens it as Chinese), XLSX with fixed document dates and zip
timestamps.

Headers: the CSV and XLSX files are for people and have Chinese headers
(`export_columns`: 考核期, 支部编号, 支部名称, the tier, step or band names, 总分 …,
each unique in its table); the JSON is for programs and keys its values by the
columns' English keys, listing each column's key, title and header.

Spreadsheet safety (also for the entry sheets of `generator.template_sheet`):
a text cell that a spreadsheet program would read as a formula — it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — is written as
text, never as a formula: in CSV with a leading apostrophe, in XLSX as a
string cell marked "quote prefix" (Excel's own way of saying "typed as
text"). Numbers stay numbers. Sheet titles lose the characters Excel forbids,
fit its 31 characters and are unique.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:    # for the type checker only: openpyxl and the scoring engines (pandas) take a while to import
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.compute.scoring import Cell, ColumnView, ResultRow, SchemeView

DATA_FORMAT_VERSION = 1
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LENGTH = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]\x00-\x1f]")


def formula_like(value: Any) -> bool:
    """Whether a cell value is text a spreadsheet program would take for a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: Any) -> Any:
    """A value for a CSV export: formula-like text gets a leading apostrophe, everything else is unchanged."""
    return "'" + value if formula_like(value) else value


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet with every text stored as text (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    # The cells are made here and appended as they are: looking the new row up again (`sheet[sheet.max_row]`)
    # scans every cell of the sheet, which made writing a sheet quadratic in its rows.
    # (`append` gives each cell its row and column.)
    cells = [Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
             for v in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if formula_like(cell.value):
                cell.quotePrefix = True
    sheet.append(cells)


def sheet_title(name: str, taken: Iterable[str]) -> str:
    """A sheet title Excel accepts: no \\ * ? : / [ ], at most 31 characters, unlike the `taken` ones."""
    base = _SHEET_TITLE_FORBIDDEN.sub("-", name).strip().strip("'") or "工作表"
    used = {title.casefold() for title in taken} | {"history"}   # Excel reserves 「History」
    title, number = base[:SHEET_TITLE_LENGTH], 1
    while title.casefold() in used:
        number += 1
        suffix = f"（{number}）"
        title = base[:SHEET_TITLE_LENGTH - len(suffix)] + suffix
    return title


def print_header_and_footer(sheet: Worksheet, header: str) -> None:
    """The printed page's header (centred) and its page numbers below: 第 1 页，共 3 页."""
    for item, text in ((sheet.oddHeader, header), (sheet.oddFooter, "第 &P 页，共 &N 页")):
        part = item.center if item is not None else None
        assert part is not None     # a new sheet has every part of its header and footer
        part.text = text


def workbook_bytes(book: Workbook, moment: dt.datetime) -> bytes:
    """An openpyxl workbook as XLSX bytes that depend only on its content and `moment`."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = book.properties.modified = moment.replace(tzinfo=None)
    raw = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the wall-clock time into docProps/core.xml.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            copy.compress_type, copy.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            target.writestr(copy, source.read(info.filename))
    return stable.getvalue()


# Headers that differ from the column's title on the results pages: the entry sheets' own words.
_HEADER_TITLES = {"branch": "支部名称"}
# Columns whose title comes from the scheme's data (a tier, step or band name): they give way on a clash.
_FROM_DATA = re.compile(r"_\d+$")


class ExportColumn(TypedDict):
    """A results column (`ColumnView`) with its header in the data files."""

    key: str
    title: str
    kind: str
    privacy: str
    description: str
    header: str     # the Chinese header of the CSV and XLSX files, unique in its table


# The columns every long table starts with.
PERIOD_COLUMNS: list[ColumnView] = [
    {"key": "period", "title": "考核期", "kind": "text", "privacy": "public", "description": ""},
    {"key": "period_label", "title": "考核期名称", "kind": "text", "privacy": "public", "description": ""}]


def _headers(columns: list[ColumnView]) -> list[str]:
    """Unique Chinese headers: the columns' titles; a clash gets 「（2）」「（3）」…, first on a title from the scheme's data."""
    titles = [_HEADER_TITLES.get(column["key"], column["title"]) or column["key"] for column in columns]
    fixed = {title for column, title in zip(columns, titles) if not _FROM_DATA.search(column["key"])}
    taken: set[str] = set()
    headers = []
    for column, title in zip(columns, titles):
        header, number = title, 1
        while header in taken or (_FROM_DATA.search(column["key"]) and header in fixed):
            number += 1
            header = f"{title}（{number}）"
        taken.add(header)
        headers.append(header)
    return headers


def export_columns(scheme: SchemeView) -> list[ExportColumn]:
    """The columns of one scheme's CSV and XLSX table, in order: key, title, kind, description and `header`."""
    columns, _ = _table(scheme)
    return [{**column, "header": header} for column, header in zip(columns, _headers(columns))]


def _table(scheme: SchemeView) -> tuple[list[ColumnView], list[ResultRow]]:
    """Columns and rows of one scheme's long table: one row per period and branch."""
    member = scheme["subject"] == "member"
    columns = scheme["summary_columns"] if member else scheme["columns"]
    rows: list[ResultRow] = [{"period": period["period"], "period_label": period["label"], **row}
                             for period in scheme["periods"] for row in (period["summary"] if member else period["rows"])]
    return PERIOD_COLUMNS + columns, rows


def results_json(view: list[SchemeView], generated_on: dt.date) -> str:
    schemes = []
    for scheme in view:
        _, rows = _table(scheme)
        schemes.append({"id": scheme["id"], "name": scheme["name"], "kind": scheme["kind"],
                        "columns": [{"key": c["key"], "title": c["title"], "header": c["header"],
                                     "kind": c["kind"]} for c in export_columns(scheme)],
                        "rows": rows})
    data = {"format_version": DATA_FORMAT_VERSION, "generated_on": generated_on.isoformat(), "schemes": schemes}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def scheme_csv(scheme: SchemeView) -> str:
    """One scheme's table as CSV: the Chinese headers of `export_columns`, one row per period and branch."""
    _, rows = _table(scheme)
    columns = export_columns(scheme)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(column["header"]) for column in columns])
    for row in rows:
        writer.writerow(["" if row.get(c["key"]) is None else csv_cell(_cell(row[c["key"]])) for c in columns])
    return "\ufeff" + buffer.getvalue()


def _cell(value: Cell) -> Cell:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def results_workbook(view: list[SchemeView], moment: dt.datetime) -> bytes:
    """One sheet per scheme, Chinese headers, one row per period and branch."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])       # the empty sheet a new workbook starts with
    for scheme in view:
        _, rows = _table(scheme)
        columns = export_columns(scheme)
        sheet = book.create_sheet(sheet_title(scheme["name"], book.sheetnames))
        append_row(sheet, [column["header"] for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, [_cell(row.get(column["key"])) for column in columns])
        sheet.freeze_panes = "A2"
    return workbook_bytes(book, moment)


def data_files(view: list[SchemeView], generated_on: dt.date) -> dict[str, bytes]:
    """Relative path under site/data → file bytes."""
    moment = dt.datetime.combine(generated_on, dt.time())
    files = {"results.json": results_json(view, generated_on).encode("utf-8"),
             "results.xlsx": results_workbook(view, moment)}
    for scheme in view:
        files[f"{scheme['id']}.csv"] = scheme_csv(scheme).encode("utf-8")
    return files


def write_exports(view: list[SchemeView], generated_on: dt.date, data_dir: Path) -> list[Path]:
    """Write site/data/: results.json, results.xlsx and one CSV per scheme."""
    data_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in sorted(data_files(view, generated_on).items()):
        (data_dir / name).write_bytes(content)
        written.append(data_dir / name)
    return written
