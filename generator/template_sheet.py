"""Turn a scheme and a period into an Excel entry sheet that users fill in and drop back into ``scores/``.

One row per participating branch (or, for a member scheme, per member and
入党积极分子 of the participating branches), one column per scored item. The
header and the key columns are locked (sheet protection without a password);
score cells are unlocked and carry data validation for the item's range, so
Excel and LibreOffice refuse out-of-range numbers as they are typed. A second
sheet explains the items; `read_table` reads only the first. Every text from
the project (branch names, item names …) goes in as text, never as a formula
(`generator.export.append_row`).
"""

from __future__ import annotations

import datetime as dt
import re

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.compute.scoring.periods import PERIOD_PATTERNS, period_label
from generator.errors import UserError
from generator.export import append_row, sheet_title, workbook_bytes
from generator.models import Project
from generator.models.schemes import Scheme, SchemeItem
from generator.validate.project import BRANCH_COLUMN, MEMBER_COLUMN
from generator.validate.schemes import participants

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
KEY_FILL = PatternFill("solid", fgColor="F2F2F2")


def template_name(scheme: Scheme, period: str) -> str:
    """The file name; the loader strips the scheme prefix, so it can go into scores/<scheme>/ as it is."""
    return f"{scheme.id}-{period}.xlsx"


def entry_rows(project: Project, scheme: Scheme) -> list[list[str]]:
    """The locked key cells of each row: 支部编号, 支部名称 (and 姓名 for member schemes)."""
    rows = []
    for branch in participants(scheme, list(project.branches)):
        if scheme.subject == "branch":
            rows.append([branch.id, branch.short_name])
            continue
        people = [m.name for m in branch.members]
        people += [a.name for a in branch.applicants if a.stage in ("入党积极分子", "发展对象") and a.name not in people]
        rows.extend([branch.id, branch.short_name, name] for name in people)
    return rows


def _validation(item: SchemeItem, column: str, last_row: int) -> DataValidation:
    top = f"{item.max_points:g}"
    rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=top, allow_blank=True,
                          showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                          errorTitle="得分超出范围", error=f"「{item.name}」({item.id}) 的得分应为 0–{top} 的数字。",
                          promptTitle=item.id[:32], prompt=f"{item.name}: 0–{top} 分"[:255])
    rule.add(f"{column}2:{column}{max(last_row, 2)}")
    return rule


def _entry_sheet(book: Workbook, scheme: Scheme, period: str, rows: list[list[str]]) -> None:
    sheet = book.active
    sheet.title = sheet_title(period_label(period), ())
    keys = [BRANCH_COLUMN, "支部名称"] + ([MEMBER_COLUMN] if scheme.subject == "member" else [])
    items = scheme.scored_items()
    append_row(sheet, keys + [item.id for item in items])
    for row in rows:
        append_row(sheet, row + [None] * len(items))
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(horizontal="center")
    for number, item in enumerate(items, start=len(keys) + 1):
        column = get_column_letter(number)
        sheet[f"{column}1"].comment = Comment(f"{item.name}\n{item.tier or ''} 满分 {item.max_points:g}", "branchbook")
        sheet.add_data_validation(_validation(item, column, len(rows) + 1))
        sheet.column_dimensions[column].width = 8
        for cells in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cells[0].protection = Protection(locked=False)
    for number in range(1, len(keys) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = 18 if number < 3 else 10
        for cells in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            cells[0].fill = KEY_FILL
    sheet.freeze_panes = sheet.cell(row=2, column=len(keys) + 1).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _notes_sheet(book: Workbook, scheme: Scheme, period: str) -> None:
    sheet = book.create_sheet(sheet_title("填写说明", book.sheetnames))
    append_row(sheet, [f"{scheme.name} {period_label(period)} 分数录入表"])
    append_row(sheet, [f"填写第一个工作表中的得分 (不得分填 0), 保存后放入 scores/{scheme.id}/ 文件夹, "
                       "文件名保持不变; 然后运行 branchbook check 检查。"])
    append_row(sheet, [])
    append_row(sheet, ["指标编号", "指标名称", "级别", "满分", "考核标准", "考核部门"])
    for item in scheme.scored_items():
        append_row(sheet, [item.id, item.name, item.tier or "", item.max_points, item.standard or "",
                           item.department or ""])
    sheet["A1"].font = Font(bold=True, size=14)
    for column, width in zip("ABCDEF", (10, 28, 10, 8, 60, 16)):
        sheet.column_dimensions[column].width = width


def build_template(project: Project, scheme_id: str, period: str, today: dt.date) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the entry sheet; UserError for an unknown scheme or a bad period."""
    schemes = {scheme.id: scheme for scheme in project.schemes}
    scheme = schemes.get(scheme_id)
    if scheme is None:
        raise UserError(f"没有编号为「{scheme_id}」的考核方案; 已有: {'、'.join(sorted(schemes))}")
    if scheme.kind == "grading":
        raise UserError(f"「{scheme.name}」按其他方案的结果评级, 不需要录入分数")
    pattern, example = PERIOD_PATTERNS[scheme.period]
    if not re.match(pattern, period):
        raise UserError(f"考核期「{period}」格式不对; 「{scheme.name}」的考核期应写作「{example}」这样的形式")
    book = Workbook()
    _entry_sheet(book, scheme, period, entry_rows(project, scheme))
    _notes_sheet(book, scheme, period)
    return template_name(scheme, period), workbook_bytes(book, dt.datetime.combine(today, dt.time()))
