"""Turn a CSV or XLSX file into rows of cells that each know their location.

What is accepted, and how it is read:

* CSV text in UTF-8 (with or without a byte-order mark), GB18030 (what Chinese
  Excel saves as 「CSV (逗号分隔)」) or UTF-16 (Excel's 「Unicode 文本」, which is
  tab-separated). The delimiter is a tab when the first line has tabs and no
  commas, otherwise a comma. Quotes are read strictly (RFC 4180): an unclosed
  quote is reported instead of swallowing the rest of the file into one cell.
* The first worksheet of an XLSX workbook. A merged range holds its top-left
  value in every cell (a 所在党小组 merged over the group's rows means that group
  on each row). A formula cell gives the value Excel saved with it; a formula
  without a saved value (a file written by a program and never opened in
  Excel) and a cell holding an Excel error (#DIV/0!, #N/A …) are reported.
* The first non-empty row is the header, after a title row above it (one
  text, often merged across the columns); empty rows are skipped. A row with
  fewer cells than the header has empty cells for the columns it lacks, as an
  XLSX row whose last cells are blank has. A cell beyond the header or under an
  empty header cell, and a header name given twice, are reported.
* The limits of `generator.load.limits`: the file size (checked before
  reading), what an XLSX unpacks to and the merged ranges it declares (checked
  before openpyxl builds its cells), the cells of a table and the characters
  of a cell.

A whole-file problem (unreadable, wrong format, too large) gives no table; a
cell problem leaves the cell empty, and `CELL_PROBLEMS` lets later checks skip
cells that already have their message.
"""

from __future__ import annotations

import array
import collections
import collections.abc
import csv
import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem
from generator.load.limits import (
    MAX_CELL_CHARS, MAX_TABLE_BYTES, MAX_TABLE_CELLS, MAX_XLSX_UNPACKED_BYTES, read_bounded, too_large,
)

TABLE_SUFFIXES = (".csv", ".xlsx")
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}

# Problems that concern one cell, whose value is then read as empty: later
# checks do not report that cell again.
CELL_PROBLEMS = frozenset({"table.cell-error", "table.cell-too-long", "table.formula-no-value"})

_SAVE_AS_CSV = "在 Excel 中选「另存为」，文件类型选「CSV UTF-8（逗号分隔）」"


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's value and where it is; the location is made on demand (a table may have many cells)."""

    value: Any
    path: str
    line: int
    col: int
    sheet: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.path, self.line, self.col, self.sheet)


@dataclass(frozen=True, slots=True)
class _Layout:
    """What the rows of one table share: the file, the sheet and each named column's name and number."""

    path: str
    sheet: str | None
    columns: tuple[tuple[str, int], ...]      # (header name, 1-based column number), in the table's order
    slots: dict[str, int]                     # header name → its place in `columns` and in each row's values


class TableRow:
    """One data row: a value for every named column (possibly empty), and where the row starts.

    A table stores one tuple of values per row; rows and their cells are made when asked for, so that a
    large table holds no object per cell.
    """

    __slots__ = ("_layout", "line", "values")

    def __init__(self, layout: _Layout, line: int, values: tuple[Any, ...]) -> None:
        self._layout, self.line, self.values = layout, line, values

    @property
    def location(self) -> Location:
        return Location(self._layout.path, self.line, 1, self._layout.sheet)

    @property
    def cells(self) -> dict[str, Cell]:
        """Cells by header name: every named column has one, possibly empty."""
        layout = self._layout
        return {name: Cell(value, layout.path, self.line, col, layout.sheet)
                for (name, col), value in zip(layout.columns, self.values)}

    def value(self, column: str) -> Any:
        slot = self._layout.slots.get(column)
        return None if slot is None else self.values[slot]

    def locate(self, column: str) -> Location:
        slot = self._layout.slots.get(column)
        if slot is None:
            return self.location
        return Location(self._layout.path, self.line, self._layout.columns[slot][1], self._layout.sheet)

    def __repr__(self) -> str:
        return f"TableRow({self.location}, {dict(zip(self._layout.slots, self.values))})"


class TableRows(collections.abc.Sequence):
    """The data rows of a table, kept compactly: a line number and a tuple of values per row."""

    def __init__(self, layout: _Layout, lines: array.array, values: list[tuple[Any, ...]]) -> None:
        self._layout, self._lines, self._values = layout, lines, values

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return TableRow(self._layout, self._lines[index], self._values[index])

    def __iter__(self) -> Iterator[TableRow]:
        layout = self._layout
        return (TableRow(layout, line, values) for line, values in zip(self._lines, self._values))


@dataclass
class Table:
    path: str
    header: list[str]
    header_locations: dict[str, Location]
    rows: Sequence[TableRow]
    # Where Excel counts its date serial numbers from; None for a CSV file (which has no dates, only text).
    excel_epoch: dt.datetime | None = None


@dataclass
class _Grid:
    """What a reader found: (line, values by column) rows, or `fatal` when the file gave no table.

    The rows are read from the file as they are iterated (so that it is never held as cells twice);
    `fatal` and `problems` are complete once they have been.
    """

    rows: Iterable[tuple[int, list[Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False
    sheet: str | None = None
    epoch: dt.datetime | None = None
    kind: str = "csv"

    def fail(self, problem: Problem) -> _Grid:
        self.problems.append(problem)
        self.fatal = True
        return self


_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # a byte-order mark or zero-width space left inside by editors


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().strip(_INVISIBLE).strip()
        return value or None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _too_long(location: Location, length: int) -> Problem:
    return Problem(location, "table.cell-too-long",
                   f"单元格太长（{length:,} 个字符）：一个单元格最多 {MAX_CELL_CHARS:,} 个字符；"
                   "请删去多余的内容（如果这一格不该这么长，可能是前面有引号没有闭合）")


# --- CSV --------------------------------------------------------------------------------

def _byte_location(raw: bytes, offset: int, shown_as: str, encoding: str = "utf-8") -> Location:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode(encoding, errors="replace")) + 1
    return Location(shown_as, raw.count(b"\n", 0, offset) + 1, column)


def _looks_like_utf16(raw: bytes) -> str | None:
    """'le' or 'be' for mostly-ASCII UTF-16 without a byte-order mark (every other byte is NUL)."""
    sample = raw[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) < 4 or max(even, odd) < len(sample) // 4 or min(even, odd) > max(even, odd) // 10:
        return None
    return "le" if odd > even else "be"


def _decode_csv(raw: bytes, shown_as: str) -> tuple[str | None, Problem | None]:
    """The file's text, or the one problem that explains why it is not CSV text we can read."""
    start = Location(shown_as, 1)
    utf16 = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    if utf16 is None and b"\x00" in raw[:4096] and (order := _looks_like_utf16(raw)):
        utf16 = f"utf-16-{order}"
    if utf16:
        try:
            return raw.decode(utf16), None
        except UnicodeDecodeError:
            return None, Problem(start, "table.encoding",
                                 f"文件像是 UTF-16 编码（Excel 的「Unicode 文本」），但内容不完整或已损坏；请{_SAVE_AS_CSV}")
    if raw.startswith(b"PK\x03\x04"):
        return None, Problem(start, "table.binary",
                             "这是一个 Excel 工作簿（.xlsx）或其他压缩文件，不是 CSV 文本；如果是 Excel 工作簿，"
                             f"请把文件扩展名改为 .xlsx（支部文件中的 members_file 也相应修改），或{_SAVE_AS_CSV}")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return None, Problem(start, "table.binary",
                             f"这是旧版 Excel（.xls）等 Office 文件，不是 CSV 文本；请{_SAVE_AS_CSV}，或另存为 .xlsx 工作簿")
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, Problem(_byte_location(raw, nul, shown_as), "table.binary",
                             "文件含有空字节（NUL），不是 CSV 文本；请检查是否放错了文件，"
                             f"或在 Excel 中打开后{_SAVE_AS_CSV.removeprefix('在 Excel 中')}")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as as_utf8:
        # Text that reads as UTF-8 Chinese up to here is UTF-8 with a foreign part: GB18030 would read
        # the whole file, garbled. GBK text seldom forms even one UTF-8 character of the CJK range.
        if sum(1 for char in raw[:as_utf8.start].decode("utf-8-sig") if char >= "\u0800") >= 2:
            return None, _encoding_problem(raw, as_utf8.start, -1, shown_as)
        try:
            return raw.decode("gb18030"), None
        except UnicodeDecodeError as as_gb:
            return None, _encoding_problem(raw, as_utf8.start, as_gb.start, shown_as)


def _encoding_problem(raw: bytes, utf8_at: int, gb_at: int, shown_as: str) -> Problem:
    """Located where the likelier encoding (the one that read further) fails."""
    offset, encoding = (utf8_at, "utf-8") if utf8_at >= gb_at else (gb_at, "gb18030")
    location = _byte_location(raw, offset, shown_as, encoding)
    byte = f"0x{raw[offset]:02X}"
    if any(b >= 0x80 for b in raw[:offset]):
        message = (f"文件混用了多种编码：前面的文字是 {'UTF-8' if encoding == 'utf-8' else 'GB18030'}，"
                   f"从这里起（字节 {byte}）却不是；可能是从其他文件粘贴进来的文字，请重新输入这部分文字后{_SAVE_AS_CSV}")
    else:
        message = f"无法识别文件编码：这里的字节 {byte} 既不是 UTF-8 也不是 GB18030 编码的文字；请{_SAVE_AS_CSV}"
    return Problem(location, "table.encoding", message)


def _scan_record(text: str, delimiter: str) -> tuple[int, str | None]:
    """(column, what is wrong) for a record's text: 'open' quote never closed, or text 'after' a closing quote."""
    column, in_quotes, at_start, i = 1, False, True, 0
    while i < len(text):
        char = text[i]
        if in_quotes:
            if char == '"':
                if text[i + 1:i + 2] == '"':
                    i += 2
                    continue
                in_quotes = False
                if text[i + 1:i + 2] not in ("", delimiter, "\r", "\n"):
                    return column, "after"
        elif char == delimiter:
            column, at_start = column + 1, True
            i += 1
            continue
        elif char in "\r\n":
            break
        elif char == '"' and at_start:
            in_quotes = True
        at_start = False
        i += 1
    return column, "open" if in_quotes else None


def _quote_problem(text: str, line: int, delimiter: str, shown_as: str) -> Problem:
    """The located message for a csv.Error raised on the record that starts at `line`."""
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=line - 1)
    column, kind = _scan_record(lines[-1] if len(lines) == line else "", delimiter)
    location = Location(shown_as, line, column)
    if kind == "open":
        return Problem(location, "table.unclosed-quote",
                       "引号没有闭合：这个单元格以英文引号「\"」开头，但直到文件末尾都没有对应的结束引号，"
                       "后面的内容都会被读进这一格；请补上结束引号，或删去这个引号")
    return Problem(location, "table.bad-quote",
                   "引号用法不对：英文引号「\"」括起的内容后面应紧接着逗号或换行；如果单元格的内容本身有引号，"
                   "请把它写成两个引号「\"\"」，或改用中文引号「“”」")


# A line as io.StringIO(newline="") gives it to the csv reader: ended by \r\n, \r or \n, the ending kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _read_csv(raw: bytes, shown_as: str) -> _Grid:
    grid = _Grid()
    text, problem = _decode_csv(raw, shown_as)
    if problem is not None:
        return grid.fail(problem)
    assert text is not None     # _decode_csv gives the text or the problem
    first_line = text[:text.find("\n")] if "\n" in text else text
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    grid.rows = _csv_records(text, delimiter, shown_as, grid)
    return grid


def _csv_records(text: str, delimiter: str, shown_as: str, grid: _Grid) -> Iterator[tuple[int, list[Any]]]:
    """(line, values) of each record, read one at a time; a mistake that ends the reading fails `grid`."""
    # Lines are cut from the text as they are read (io.StringIO would copy the whole text at 4 bytes a character).
    reader = csv.reader((match.group() for match in _LINE.finditer(text)), delimiter=delimiter, strict=True)
    invisible = any(character in text for character in _INVISIBLE)
    cells = 0
    while True:
        line = reader.line_num + 1
        # The file is at most MAX_TABLE_BYTES, so no field is longer; csv's own limit would stop
        # before a long cell could be located. Cell length is checked below instead.
        previous_limit = csv.field_size_limit(MAX_TABLE_BYTES + 1)
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            grid.fail(_quote_problem(text, line, delimiter, shown_as))
            return
        finally:
            csv.field_size_limit(previous_limit)
        values: list[Any] = []
        if not invisible and max(map(len, record), default=0) <= MAX_CELL_CHARS:
            values = [value.strip() or None for value in record]  # what `_clean` gives these cells, without a call each
        else:
            for col, value in enumerate(record, start=1):
                if len(value) > MAX_CELL_CHARS:
                    grid.problems.append(_too_long(Location(shown_as, line, col), len(value)))
                    values.append(None)
                    continue
                values.append(_clean(value))
        cells += len(values)
        if cells > MAX_TABLE_CELLS:
            grid.fail(Problem(Location(shown_as, line), "table.too-many-cells",
                              f"表格太大：到第 {line} 行已超过 {MAX_TABLE_CELLS:,} 个单元格；请拆分表格"))
            return
        yield line, values


# --- XLSX -------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})"')


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - ord("A") + 1
    return index


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_PIECE = 1 << 20  # bytes of a worksheet's XML scanned at a time


@dataclass(frozen=True, slots=True)
class _Merge:
    """A merged range: its first and last row and column (1-based)."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def area(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)


def _sheet_facts(archive: zipfile.ZipFile, part: str) -> tuple[list[_Merge], bool]:
    """The merged ranges a worksheet declares and whether it has a formula, scanned piece by piece
    (a worksheet's XML may unpack to many times the file's size)."""
    merges, formula, tail = [], False, b""
    with archive.open(part) as stream:
        while piece := stream.read(_PIECE):
            text = tail + piece
            for match in _MERGE.finditer(text):
                if match.end() <= len(tail):
                    continue  # found in the previous piece
                left, top, right, bottom = match.groups()
                rows, columns = sorted((int(top), int(bottom))), sorted((_column_index(left), _column_index(right)))
                merges.append(_Merge(rows[0], columns[0], rows[1], columns[1]))
            formula = formula or _FORMULA.search(text) is not None
            tail = text[-4096:]
    return merges, formula


def _not_a_workbook(raw: bytes, shown_as: str) -> Problem:
    start = Location(shown_as, 1)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return Problem(start, "table.unreadable",
                       "这是旧版 Excel（.xls）文件或设置了打开密码的工作簿，无法读取；"
                       "请在 Excel 中去掉密码，另存为「Excel 工作簿（*.xlsx）」")
    sample = raw[:4096]
    if raw and b"\x00" not in sample:
        try:
            sample.decode("utf-8")
            text = True
        except UnicodeDecodeError as error:
            text = error.start > len(sample) - 4  # a character cut at the end of the sample
        if text or _decodes(sample, "gb18030"):
            return Problem(start, "table.unreadable",
                           "这是一个文本文件（可能是 CSV），不是 Excel 工作簿；如果是 CSV，请把文件扩展名改为 .csv"
                           "（支部文件中的 members_file 也相应修改）")
    return Problem(start, "table.unreadable",
                   "不是有效的 Excel 工作簿（.xlsx）：文件可能已损坏、不完整，或是改了扩展名的其他文件；"
                   "请在 Excel 中打开后重新「另存为」Excel 工作簿（*.xlsx）")


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _corrupt(shown_as: str) -> Problem:
    return Problem(Location(shown_as, 1), "table.unreadable",
                   "无法打开这个 Excel 工作簿：文件已损坏或不完整；请在 Excel 中打开后重新「另存为」Excel 工作簿（*.xlsx）")


def _column_name(index: int) -> str:
    """The 1-based column `index` as messages name it: its letters (1 → A, 27 → AA), past ZZZ its number."""
    from openpyxl.utils import get_column_letter  # imported here: openpyxl costs a noticeable start-up time

    try:
        return get_column_letter(index)
    except ValueError:  # a CSV file can be wider than a spreadsheet
        return str(index)


def _open_book(raw: bytes, data_only: bool) -> Any:
    """The workbook in openpyxl's read-only mode: its cells are parsed from the XML as they are iterated."""
    import openpyxl  # imported here: it costs a noticeable start-up time

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation, styles …)
        return openpyxl.load_workbook(io.BytesIO(raw), data_only=data_only, read_only=True)


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", value)  # an array formula keeps its text in .text
    text = str(text) if text is not None else "="
    return text if len(text) <= 40 else text[:37] + "…"


def _too_many_cells(shown_as: str, sheet: str | None, rows: int, columns: int) -> Problem:
    corner = f"{_column_name(columns)}{rows}"
    return Problem(Location(shown_as, 1, None, sheet), "table.too-many-cells",
                   f"表格太大：工作表的已用区域是 A1:{corner}，共 {rows * columns:,} 个单元格，超过 "
                   f"{MAX_TABLE_CELLS:,} 个；如果下方或右侧有不需要的内容或格式，请删除那些行和列")


class _UsedRange:
    """The used range of the rows read so far (any cell the XML has, even without a value)."""

    def __init__(self) -> None:
        self.rows = self.columns = 0

    def grows_past_the_limit(self, line: int, row: tuple[Any, ...]) -> bool:
        if row:
            self.rows, self.columns = line, max(self.columns, len(row))
        return self.rows * self.columns > MAX_TABLE_CELLS


def _read_xlsx(raw: bytes, shown_as: str) -> _Grid:
    """The first worksheet, whose rows are read as they are iterated (openpyxl's read-only mode).

    That mode keeps no cell objects but does not read merged ranges: they, and whether the sheet has a
    formula, are scanned from the sheet's XML first. The used range is checked against the cell limit as
    the sheet declares it, and again as the rows are read (a sheet's declared size may be missing or wrong).
    """
    grid = _Grid(kind="xlsx")
    if not raw.startswith(b"PK\x03\x04"):
        return grid.fail(_not_a_workbook(raw, shown_as))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_XLSX_UNPACKED_BYTES:
                return grid.fail(too_large(Location(shown_as, 1), unpacked, MAX_XLSX_UNPACKED_BYTES, "XLSX 文件解压后的内容"))
            if "xl/workbook.xml" not in archive.namelist():
                return grid.fail(Problem(Location(shown_as, 1), "table.unreadable",
                                         "这是一个压缩文件（可能是 Word 文档或其他格式），不是 Excel 工作簿；请检查是否放错了文件"))
    except Exception:  # zipfile and zlib raise many kinds for a damaged archive
        return grid.fail(_corrupt(shown_as))
    try:
        book = _open_book(raw, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return grid.fail(_corrupt(shown_as))
    if not book.worksheets:
        book.close()
        return grid.fail(Problem(Location(shown_as, 1), "table.empty", "工作簿中没有工作表"))
    sheet = book.worksheets[0]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            merges, has_formulas = _sheet_facts(archive, sheet._worksheet_path)  # the sheet's part in the archive
    except Exception:
        book.close()
        return grid.fail(_corrupt(shown_as))
    grid.sheet, grid.epoch = sheet.title, book.epoch
    merged_area = sum(merge.area for merge in merges)
    declared = (max([sheet.max_row or 1, *(merge.bottom for merge in merges)]),
                max([sheet.max_column or 1, *(merge.right for merge in merges)]))
    if merged_area > MAX_TABLE_CELLS:
        book.close()
        return grid.fail(Problem(Location(shown_as, 1), "table.too-many-cells",
                                 f"表格太大：合并单元格共覆盖 {merged_area:,} 个单元格，超过 {MAX_TABLE_CELLS:,} 个；"
                                 "请取消不需要的合并单元格"))
    if declared[0] * declared[1] > MAX_TABLE_CELLS:
        book.close()
        return grid.fail(_too_many_cells(shown_as, sheet.title, *declared))
    grid.rows = _xlsx_records(raw, book, has_formulas, merges, declared, shown_as, grid)
    return grid


def _sheet_rows(book: Any, shown_as: str, grid: _Grid) -> Iterator[tuple[Any, ...]]:
    """The first worksheet's rows 1, 2 … (a row the XML leaves out is empty), with openpyxl's warnings silenced;
    a damaged sheet fails `grid`. Its declared size is set aside, so that no cell beyond it is cut off."""
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = sheet.iter_rows()
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation, styles …)
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # openpyxl and the XML parser raise many kinds for a damaged sheet
                grid.fail(_corrupt(shown_as))
                return
        yield row


def _xlsx_records(raw: bytes, book: Any, has_formulas: bool, merges: list[_Merge], declared: tuple[int, int],
                  shown_as: str, grid: _Grid) -> Iterator[tuple[int, list[Any]]]:
    """(row, values by column) of the first worksheet, one row at a time.

    A formula cell gives the value Excel saved with it. Those values come from the workbook opened with
    `data_only`, which no longer tells which cells are formulas: where they are is read in a pass of its own.
    """
    books = [book]
    try:
        formulas: dict[tuple[int, int], Any] = {}
        if has_formulas:
            used = _UsedRange()
            for r, row in enumerate(_sheet_rows(book, shown_as, grid), start=1):
                if used.grows_past_the_limit(r, row):
                    grid.fail(_too_many_cells(shown_as, grid.sheet, max(used.rows, declared[0]),
                                              max(used.columns, declared[1])))
                    return
                formulas.update(((r, c), cell.value) for c, cell in enumerate(row, start=1) if cell.data_type == "f")
            if grid.fatal:
                return
            try:
                books.append(_open_book(raw, data_only=True))
            except Exception:
                grid.fail(_corrupt(shown_as))
                return
        yield from _xlsx_values(books[-1], formulas, merges, declared, shown_as, grid)
    finally:
        for opened in books:
            opened.close()


def _xlsx_values(book: Any, formulas: dict[tuple[int, int], Any], merges: list[_Merge], declared: tuple[int, int],
                 shown_as: str, grid: _Grid) -> Iterator[tuple[int, list[Any]]]:
    """The rows' values. A merged range holds its top-left value in every cell (the file's values in the other
    cells are dropped, as Excel does); a formula without a saved value, an Excel error and a cell too long are
    reported and read as empty."""
    title = grid.sheet
    starts: dict[int, list[_Merge]] = {}
    for merge in merges:
        starts.setdefault(merge.top, []).append(merge)
    last_merged = max((merge.bottom for merge in merges), default=0)
    active: list[_Merge] = []
    top_left: dict[_Merge, Any] = {}
    used = _UsedRange()
    rows = _sheet_rows(book, shown_as, grid)
    r = 0
    while (row := next(rows, None)) is not None or (not grid.fatal and r < last_merged):
        r += 1
        row = row or ()
        if used.grows_past_the_limit(r, row):
            grid.fail(_too_many_cells(shown_as, title, max(used.rows, declared[0]), max(used.columns, declared[1])))
            return
        active = [merge for merge in active if merge.bottom >= r] + starts.get(r, [])
        covered = {c: merge for merge in active for c in range(merge.left, merge.right + 1)
                   if (r, c) != (merge.top, merge.left)}
        line: list[Any] = [None] * max(len(row), max(covered, default=0))
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if c in covered or (value is None and not formulas):
                continue
            if formulas and value is None and (r, c) in formulas:
                formula = formulas[(r, c)]
                grid.problems.append(Problem(
                    Location(shown_as, r, c, title), "table.formula-no-value",
                    f"单元格是公式「{_formula_text(formula)}」，但文件中没有保存它的计算结果（文件可能由程序生成，"
                    "从未在 Excel 中打开过）；请在 Excel 或 WPS 中打开并保存一次，或直接填写数值"))
            elif value is None:
                continue
            elif cell.data_type == "e" or (isinstance(value, str) and value.strip() in _EXCEL_ERRORS):
                grid.problems.append(Problem(Location(shown_as, r, c, title), "table.cell-error",
                                             f"单元格含有 Excel 错误值「{value}」，请修正公式或改为数值"))
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                grid.problems.append(_too_long(Location(shown_as, r, c, title), len(value)))
            else:
                line[c - 1] = value
        for merge in starts.get(r, []):
            top_left[merge] = line[merge.left - 1] if merge.left <= len(line) else None
        for c, merge in covered.items():
            line[c - 1] = top_left.get(merge)
        line = [_clean(value) for value in line]
        while line and line[-1] is None:
            line.pop()
        yield r, line


# --- the table ----------------------------------------------------------------------------

def _header_name(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def _is_title(values: list[Any]) -> bool:
    """A row with one text in it (also when merged across the columns): a table's title above its header."""
    return len({value for value in values if value is not None}) == 1


def read_table(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    """Read the first sheet (or the CSV); the first non-empty row is the header."""
    raw, problems = read_bounded(path, shown_as, MAX_TABLE_BYTES, "表格文件")
    if raw is None:
        return None, problems
    grid = _read_xlsx(raw, shown_as) if path.suffix.lower() == ".xlsx" else _read_csv(raw, shown_as)
    del raw  # a CSV file's rows are read from its text, one at a time
    problems = grid.problems
    if grid.fatal:
        return None, problems

    def at(line: int, col: int | None = None) -> Location:
        return Location(shown_as, line, col, grid.sheet)

    records = ((line, values) for line, values in grid.rows if values.count(None) < len(values))
    first, second = next(records, None), next(records, None)
    if first is not None and second is not None and _is_title(first[1]) and not _is_title(second[1]):
        first, second = second, next(records, None)
    if first is None:
        if not problems and not grid.fatal:
            problems.append(Problem(at(1), "table.empty", "表格为空，至少应有表头和一行数据"))
        return None, problems
    header_line, header_values = first
    header = [_header_name(value) for value in header_values]
    columns: list[tuple[int, str]] = []
    header_locations: dict[str, Location] = {}
    found: list[Problem] = []  # after the problems of the cells, as they are found reading every row
    for index, name in enumerate(header):
        if not name:
            continue
        if name in header_locations:
            first_at = header_locations[name]
            found.append(Problem(at(header_line, index + 1), "table.duplicate-column",
                                 f"列名「{name}」重复：第 {_column_name(first_at.col or 1)} 列已是「{name}」；"
                                 "每一列的列名应不同，请删去或改名其中一列"))
            continue
        header_locations[name] = at(header_line, index + 1)
        columns.append((index, name))
    if second is None:
        if grid.fatal:
            return None, problems
        return None, problems + found + [Problem(at(header_line), "table.no-rows", "表格只有表头，没有数据行")]
    width = len(header)
    blank = [index for index, name in enumerate(header) if not name]
    leading = [index for index, _ in columns] == list(range(width))  # every column named, none twice
    unnamed: dict[int, list[int]] = {}  # column index → lines with a value under an empty header cell
    # A CSV row longer than the header, when the other rows are not, or with something in its extra cells, has a
    # comma too many (or the header one name too few): its values are shifted. Editors that pad every row to
    # the widest one make all rows equally long, which is harmless.
    lengths: collections.Counter[int] = collections.Counter()
    longer: list[tuple[int, int, bool]] = []  # (line, cells, whether one beyond the header is filled)
    lines = array.array("L")
    stored: list[tuple[Any, ...]] = []
    texts: dict[str, str] = {}  # one object for each text that occurs in several cells (a status, a date, a score)
    for line, values in itertools.chain([second], records):
        count = len(values)
        lengths[count] += 1
        if count > width:
            filled = any(value is not None for value in values[width:])
            if grid.kind == "csv":
                longer.append((line, count, filled))
            elif filled:
                for index in range(width, count):
                    if values[index] is not None:
                        unnamed.setdefault(index, []).append(line)
        for index in blank:
            if index < count and values[index] is not None:
                unnamed.setdefault(index, []).append(line)
        cells = values[:width] if leading and count >= width else [values[index] if index < count else None
                                                                   for index, _ in columns]
        stored.append(tuple([texts.setdefault(value, value) if value.__class__ is str else value for value in cells]))
        lines.append(line)
    if grid.fatal:
        return None, problems
    usual = max(width, lengths.most_common(1)[0][0])
    for line, count, filled in longer:
        if filled or count > usual:
            found.append(Problem(at(line, width + 1), "table.extra-cells",
                                 f"这一行有 {count} 个单元格，比表头的 {width} 列多；可能是某个值中含有"
                                 "英文逗号却没有加引号（可改用中文逗号「，」），或者表头少了列名"))
    for index, lines_of in sorted(unnamed.items()):
        letter = _column_name(index + 1)
        where = f"第 {lines_of[0]} 行" + (f"等 {len(lines_of)} 行" if len(lines_of) > 1 else "")
        found.append(Problem(at(lines_of[0], index + 1), "table.no-header",
                             f"第 {letter} 列没有列名（表头这一格是空的），但{where}填写了内容；"
                             "请在表头补上列名，或删除这一列的内容"))
    layout = _Layout(shown_as, grid.sheet, tuple((name, index + 1) for index, name in columns),
                     {name: slot for slot, (_, name) in enumerate(columns)})
    return Table(shown_as, header, header_locations, TableRows(layout, lines, stored), grid.epoch), problems + found
