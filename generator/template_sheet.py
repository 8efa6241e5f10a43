"""Turn a scheme and a period into an Excel entry sheet that users fill in and drop back into ``scores/``.

One row per participating branch (or, for a member scheme, per member and
入党积极分子 of the participating branches), one column per scored item; a
branch founded after the end of the period has no row (it needs none). The
header row is Chinese: 支部编号, 支部名称 (姓名) and each item's name as
`generator.models.columns.item_headers` gives it, which is also how the score
table reader finds the item again; the item's id is in the header cell's
comment and in the input message of its cells. The header and the key columns
are locked (sheet protection without a password); score cells are unlocked
and carry data validation for the item's range, so Excel and LibreOffice
refuse out-of-range numbers as they are typed. The sheet prints on A4
landscape, one page wide, with the header row on every page. A second sheet
explains the items; `read_table` reads only the first. Every text from the
project (branch names, item names …) goes in as text, never as a formula
(`generator.export.append_row`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generator.periods import PERIOD_PATTERNS, period_label, period_last_day
from generator.errors import UserError
from generator.export import append_row, print_header_and_footer, sheet_title, workbook_bytes
from generator.models import Project
from generator.models.schemes import Scheme, SchemeItem
from generator.compute.participants import branches_due, scored_people
from generator.models.columns import BRANCH_COLUMN, BRANCH_NAME_COLUMN, MEMBER_COLUMN, item_headers

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
ITEM_WIDTH = 8                  # characters of Excel's default font; a Chinese character takes two
KEY_WIDTHS = {BRANCH_COLUMN: 16, BRANCH_NAME_COLUMN: 20, MEMBER_COLUMN: 10}
LINE_HEIGHT = 15                # points per line of the header row
MAX_HEADER_LINES = 8
PRINT_TEXT_LENGTH = 120
_CYCLES = {"quarter": "按季度", "bimonth": "按双月", "year": "按年度"}


def template_name(scheme: Scheme, period: str) -> str:
    """The file name; the loader strips the scheme prefix, so it can go into scores/<scheme>/ as it is."""
    return f"{scheme.id}-{period}.xlsx"


def entry_rows(project: Project, scheme: Scheme, period: str | None = None) -> list[list[str]]:
    """The locked key cells of each row: 支部编号, 支部名称 (and 姓名 for member schemes).

    With a period, branches founded after its last day are left out (a score table needs no row for them).
    """
    last_day = period_last_day(period) if period is not None else dt.date.max
    rows = []
    for branch in branches_due(scheme, list(project.branches), last_day):
        if scheme.subject == "branch":
            rows.append([branch.id, branch.short_name])
            continue
        people = scored_people(branch, project.organization.as_of)
        rows.extend([branch.id, branch.short_name, name] for name in people)
    return rows


def key_columns(scheme: Scheme) -> list[str]:
    """The locked columns before the items, headed as the score table reader expects them."""
    return [BRANCH_COLUMN, BRANCH_NAME_COLUMN] + ([MEMBER_COLUMN] if scheme.subject == "member" else [])


def _display_width(text: str) -> int:
    """Width in Excel's character units: two for a Chinese (wide) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _header_lines(text: str, width: int) -> int:
    return min(MAX_HEADER_LINES, max(1, math.ceil(_display_width(text) / max(width - 1, 1))))


def _print_text(text: str) -> str:
    """Text for a page header or footer: 「&」 starts a code there, and Excel takes at most 255 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:PRINT_TEXT_LENGTH].replace("&", "&&")


def _validation(item: SchemeItem, column: str, last_row: int) -> DataValidation:
    top = f"{item.max_points:g}"
    rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=top, allow_blank=True,
                          showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                          errorTitle="得分超出范围", error=f"「{item.name}」（{item.id}）的得分应为 0–{top} 的数字。"[:255],
                          promptTitle=item.id[:32], prompt=f"{item.name}（{item.id}）：0–{top} 分"[:255])
    rule.add(f"{column}2:{column}{max(last_row, 2)}")
    return rule


def _print_setup(sheet: Worksheet, title: str, landscape: bool, title_rows: str | None) -> None:
    """A4, one page wide (as many pages long as needed), centred, the title above and page numbers below."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    print_header_and_footer(sheet, _print_text(title))


def _entry_sheet(book: Workbook, scheme: Scheme, period: str, rows: list[list[str]]) -> None:
    sheet = book.worksheets[0]      # the one sheet a new workbook starts with
    sheet.title = sheet_title(period_label(period), ())
    keys = key_columns(scheme)
    items = scheme.scored_items()
    headers = item_headers(scheme)
    append_row(sheet, keys + [headers[item.id] for item in items])
    for row in rows:
        append_row(sheet, row + [None] * len(items))
    lines = 1
    for cell in sheet[1]:
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, item in enumerate(items, start=len(keys) + 1):
        column = get_column_letter(number)
        sheet[f"{column}1"].comment = Comment(f"指标编号：{item.id}\n{item.name}\n{item.tier or ''} 满分 {item.max_points:g}",
                                              "branchbook")
        sheet.add_data_validation(_validation(item, column, len(rows) + 1))
        sheet.column_dimensions[column].width = ITEM_WIDTH
        lines = max(lines, _header_lines(headers[item.id], ITEM_WIDTH))
        for cells in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cells[0].protection = Protection(locked=False)
            cells[0].border = BORDER
    for number, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = KEY_WIDTHS[key]
        for cells in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cells[0].fill, cells[0].border = KEY_FILL, BORDER
    sheet.row_dimensions[1].height = LINE_HEIGHT * lines
    sheet.freeze_panes = sheet.cell(row=2, column=len(keys) + 1).coordinate
    _print_setup(sheet, f"{scheme.name} {period_label(period)}分数录入表", landscape=True, title_rows="1:1")
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _notes_sheet(book: Workbook, scheme: Scheme, period: str) -> None:
    sheet = book.create_sheet(sheet_title("填写说明", book.sheetnames))
    title = f"{scheme.name} {period_label(period)}分数录入表"
    append_row(sheet, [title])
    append_row(sheet, [(f"填写第一个工作表中的得分（不得分填 0），保存后放入 scores/{scheme.id}/ 文件夹，"
                        "文件名保持不变；然后运行 branchbook check 检查。")])
    append_row(sheet, [("第一行的列名是指标名称（指标编号在列名的批注中）；请不要修改、增删列名。"
                        "自己制作的分数表，列名可以写指标名称，也可以写指标编号。")])
    append_row(sheet, [])
    append_row(sheet, ["指标编号", "列名（指标名称）", "级别", "满分", "考核标准", "考核部门"])
    headers = item_headers(scheme)
    for item in scheme.scored_items():
        append_row(sheet, [item.id, headers[item.id], item.tier or "", item.max_points, item.standard or "",
                           item.department or ""])
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for column, width in zip("ABCDEF", (10, 28, 10, 8, 60, 16)):
        sheet.column_dimensions[column].width = width
    _print_setup(sheet, title, landscape=False, title_rows="5:5")


def _period_example(scheme: Scheme, year: int) -> str:
    return PERIOD_PATTERNS[scheme.period][1].replace("2026", str(year))


def scheme_list(project: Project) -> str:
    """What `branchbook template` prints without arguments: the project's scheme ids and how to write a period."""
    year = project.organization.year
    schemes = sorted(project.schemes, key=lambda scheme: scheme.id)
    width = max((len(scheme.id) for scheme in schemes), default=0)
    lines = ["本组织的考核方案（方案编号　名称：考核期的写法）："]
    for scheme in schemes:
        if scheme.kind == "grading":
            how = "按其他方案的结果评级，不需要录入表"
        else:
            how = f"{_CYCLES[scheme.period]}考核，考核期如 {_period_example(scheme, year)}"
        lines.append(f"  {scheme.id:<{width}}  {scheme.name}：{how}")
    if not schemes:
        lines.append("  （没有考核方案：在 content/schemes/ 中添加方案文件）")
    example = next((scheme for scheme in schemes if scheme.kind != "grading"), None)
    if example is not None:
        lines.append(f"生成录入表：branchbook template 方案编号 考核期，"
                     f"如 branchbook template {example.id} {_period_example(example, year)}")
    return "\n".join(lines)


def build_template(project: Project, scheme_id: str, period: str, today: dt.date) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the entry sheet; UserError for an unknown scheme or a bad period."""
    schemes = {scheme.id: scheme for scheme in project.schemes}
    scheme = schemes.get(scheme_id)
    if scheme is None:
        raise UserError(f"没有编号为「{scheme_id}」的考核方案；已有：{'、'.join(sorted(schemes))}")
    if scheme.kind == "grading":
        raise UserError(f"「{scheme.name}」按其他方案的结果评级，不需要录入分数")
    pattern, example = PERIOD_PATTERNS[scheme.period]
    if not re.match(pattern, period) or int(period[:4]) < 1:
        raise UserError(f"考核期「{period}」格式不对；「{scheme.name}」的考核期应写作「{example}」这样的形式")
    book = Workbook()
    _entry_sheet(book, scheme, period, entry_rows(project, scheme, period))
    _notes_sheet(book, scheme, period)
    return template_name(scheme, period), workbook_bytes(book, dt.datetime.combine(today, dt.time()))
