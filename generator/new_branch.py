"""Write a new branch into an organization folder: a commented branch file and an Excel roster to fill in.

`write_new_branch` is what `branchbook new branch ID` runs (and `branchbook init`, for its example
branch). It writes

* ``branches/<ID>.yml``: every field of `Branch` a secretary fills, each with a Chinese comment and an
  example; optional parts are commented out. The values are placeholders that validate, so the new
  branch passes ``branchbook check`` as it is and the user starts from no problems;
* ``branches/<ID>-members.xlsx``: the roster, one header row of the `Member` field titles (the names
  `validate.project` reads), drop-down lists for the fields with a fixed vocabulary (read from the
  model's ``Literal`` annotations), date columns formatted and checked as dates, the ID-number and phone
  columns formatted as text (so Excel keeps every digit and a leading 0), a frozen header, A4 landscape
  printing with the header repeated, and a second sheet 填写说明.

A branch must have 3 正式党员 and its 书记 must be one of them, so an empty roster would not pass
``check``: the roster gets three example rows, named 「示例…」 (`models.columns.EXAMPLE_MARK`; ``check``
notes any left over), and the branch file names the first as 书记.

The parent organization's name comes from ``content/organization.yml``, which also marks the folder as
an organization folder. The file's bytes depend only on the inputs (`export.workbook_bytes`, dated at
the organization's 统计截止日期).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import yaml
from pydantic.fields import FieldInfo

from generator.errors import UserError
from generator.load.project import YAML_SUFFIXES
from generator.load.yaml_source import YamlDocument, load_yaml
from generator.models.branch import SIX_HAVES, Branch, Member
from generator.models.columns import EXAMPLE_MARK, IGNORED_COLUMNS
from generator.models.common import BRANCH_TYPES, ID_PATTERN, PATTERN_HINTS
from generator.validate.messages import validate_as

ORGANIZATION_FILE = "content/organization.yml"
ROSTER_SHEET = "党员名册"
NOTES_SHEET = "填写说明"
NOTE_COLUMN = IGNORED_COLUMNS[1]          # 备注: for the secretary's own notes; the roster reader skips it
ROSTER_ROWS = 1000                        # rows that the drop-down lists and the date checks cover
DEFAULT_TYPE = "其他"
DEFAULT_NAME = f"中共{EXAMPLE_MARK}支部委员会"

# The example rows: clearly placeholders, valid, 3 正式党员 (the least a branch has).
EXAMPLE_MEMBERS: tuple[dict[str, Any], ...] = (
    {"name": f"{EXAMPLE_MARK}党员甲", "gender": "男", "birth_date": dt.date(1975, 3, 1), "ethnicity": "汉族",
     "education": "本科", "joined_on": dt.date(2001, 7, 1), "full_member_on": dt.date(2002, 7, 1), "status": "正式"},
    {"name": f"{EXAMPLE_MARK}党员乙", "gender": "女", "birth_date": dt.date(1982, 9, 15), "ethnicity": "汉族",
     "education": "大专", "joined_on": dt.date(2008, 6, 20), "full_member_on": dt.date(2009, 6, 20), "status": "正式"},
    {"name": f"{EXAMPLE_MARK}党员丙", "gender": "男", "birth_date": dt.date(1990, 12, 5), "ethnicity": "汉族",
     "education": "高中/中专", "joined_on": dt.date(2015, 5, 10), "full_member_on": dt.date(2016, 5, 10),
     "status": "正式"},
)
EXAMPLE_NOTE = "示例行：请改成本支部党员的信息，或删除本行"

_NAME_FORMS = ((re.compile(r"^中共(.+)总支部委员会$"), r"\1党总支"), (re.compile(r"^中共(.+)支部委员会$"), r"\1党支部"),
               (re.compile(r"^中共(.+?)(?:党)?支部$"), r"\1党支部"))


def roster_file_name(branch_id: str) -> str:
    return f"{branch_id}-members.xlsx"


def short_name_of(name: str) -> str:
    """The usual short form of a full name: 中共青石村支部委员会 → 青石村党支部 (otherwise the name itself)."""
    for pattern, short in _NAME_FORMS:
        if pattern.match(name):
            return pattern.sub(short, name)
    return name


# ---- the organization folder -----------------------------------------------------

def _organization(root: Path) -> dict[str, Any]:
    """content/organization.yml as data; UserError when the folder is not an organization folder."""
    path = root / ORGANIZATION_FILE
    if not path.is_file():
        raise UserError(f"{root} 不是组织文件夹（其中没有 {ORGANIZATION_FILE}）；请用 --project 指定组织文件夹，"
                        "或先用「branchbook init 新文件夹」新建一个")
    doc, problems = load_yaml(path, ORGANIZATION_FILE)
    if doc is None or not isinstance(doc.data, dict):
        found = "；".join(str(problem) for problem in problems) or "文件内容应为「键: 值」形式的一组数据"
        raise UserError(f"无法读取 {ORGANIZATION_FILE}：{found}")
    if not isinstance(doc.data.get("name"), str) or not doc.data["name"].strip():
        raise UserError(f"{ORGANIZATION_FILE} 中没有组织名称（name）；请先填写上级党组织的全称")
    return doc.data


def _as_of(organization: dict[str, Any]) -> dt.date:
    """The organization's 统计截止日期 (as written), else the end of its year, else a fixed day."""
    as_of = organization.get("as_of")
    if isinstance(as_of, dt.date):
        return as_of
    year = organization.get("year")
    return dt.date(year, 12, 31) if isinstance(year, int) and 2000 <= year <= 2100 else dt.date(2026, 1, 1)


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _refuse_taken(root: Path, folder: Path, branch_id: str) -> None:
    for path in (folder / f"{branch_id}.yml", folder / f"{branch_id}.yaml", folder / roster_file_name(branch_id)):
        if path.exists():
            raise UserError(f"{_shown(root, path)} 已存在；支部「{branch_id}」已经建立，"
                            "请直接修改这个文件，或换一个支部编号")
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in YAML_SUFFIXES or not path.is_file():
            continue
        doc, _ = load_yaml(path, _shown(root, path))
        if doc is not None and isinstance(doc.data, dict) and str(doc.data.get("id")) == branch_id:
            raise UserError(f"支部编号「{branch_id}」已被 {_shown(root, path)} 使用；每个支部的编号应不同，请换一个编号")


def _check_id(branch_id: str) -> None:
    if re.fullmatch(ID_PATTERN, branch_id):
        return
    fixed = re.sub(r"[^a-z0-9]+", "-", branch_id.lower()).strip("-")[:40]
    hint = f"；是否用「{fixed}」？" if re.fullmatch(ID_PATTERN, fixed) else "，如「qingshi」「dx-2」"
    raise UserError(f"支部编号「{branch_id}」不能使用：支部编号{PATTERN_HINTS[ID_PATTERN]}{hint}")


# ---- the branch file ---------------------------------------------------------------

def _scalar(value: str) -> str:
    """`value` as a YAML scalar on one line: plain where YAML reads it back unchanged, else quoted."""
    text = yaml.safe_dump(value, allow_unicode=True, width=10 ** 6, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _width(text: str) -> int:
    """Columns `text` takes in an editor: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _line(code: str, comment: str, column: int = 36) -> str:
    """`code` with its comment from `column` on (or two spaces after a longer code)."""
    return f"{code}{' ' * max(2, column - _width(code))}# {comment}"


def branch_text(branch_id: str, name: str, short_name: str, branch_type: str, parent: str, year: int,
                founded: dt.date) -> str:
    """The commented branch file (see the module docstring)."""
    first, second = EXAMPLE_MEMBERS[0]["name"], EXAMPLE_MEMBERS[1]["name"]
    types = "、".join(BRANCH_TYPES)
    term_start, term_end = dt.date(year, 1, 1), dt.date(year + 3, 1, 1) - dt.timedelta(days=1)
    roster = roster_file_name(branch_id)
    lines = [
        f"# 党支部文件：{short_name}",
        "# 由 branchbook new branch 生成。「示例」开头的内容和 0000 开头的电话都是占位，请改成本支部的实际情况；",
        "# 每一项的含义见网站「数据格式说明」页面的「支部文件」一节。「#」后面是说明，程序不读取。",
        "# 日期写作「年-月-日」，如 2024-03-01。改完后运行 branchbook check 检查。",
        "",
        _line(f"id: {branch_id}", "支部编号：小写英文字母、数字和连字符，用作文件名和网址；与文件名一致，不要修改"),
        _line(f"name: {_scalar(name)}", "党组织全称：与印章一致，如「中共青石村支部委员会」"),
        _line(f"short_name: {_scalar(short_name)}", "简称：如「青石村党支部」"),
        _line(f"type: {branch_type}", f"单位类别：{types}"),
        _line(f"parent: {_scalar(parent)}", "上级党组织全称"),
        _line(f"founded: {founded.isoformat()}", "成立时间：党组织成立（批准）的日期"),
        _line("unit:", "所在单位（可不填）：党支部所在单位的名称，如「青石村村民委员会」"),
        _line("assessment_line:", "考核类别（可不填）：台阶考核中的书记类别，填「一线」「二线」或「地面」"),
        "",
        _line("office:", "联系方式：党组织的办公电话、邮箱和地址（公示的反映渠道），不要填个人手机"),
        _line('  phone: "0000-00000000"', "办公电话，如 \"0571-86001234\"（加上引号）"),
        _line("  email:", "电子邮箱（可不填）：党组织公务邮箱，如 zzb@example.cn"),
        _line("  address:", "办公地址（可不填）"),
        _line("  contact_person:", "联系人（可不填）：对外联系人或职务，如「组织委员」"),
        "",
        _line("committee:", "支部委员会：本届任期和支委成员（不足 7 名正式党员的支部只设书记）"),
        _line(f"  term_start: {term_start.isoformat()}", "本届任期开始：本届支委会选举产生的日期"),
        _line(f"  term_end: {term_end.isoformat()}", "本届任期届满：村、社区一般 5 年，其他一般 3 年"),
        _line("  members:", "支委成员：姓名须与党员名册中的一致"),
        f"    - name: {first}",
        _line("      role: 书记", "职务：书记、副书记、组织委员、宣传委员、纪检委员、青年委员、统战委员、保密委员或委员"),
        _line("      duties: 主持支部全面工作", "分工"),
        f"#     - name: {second}",
        "#       role: 组织委员",
        "#       duties: 负责组织发展、党员管理和党费收缴",
        "",
        _line(f"members_file: {roster}", "党员名册文件：与本文件同在 branches/ 中的 Excel 名册（也可以是 CSV 文件）"),
        "",
        "# 以下各项可不填：需要时去掉行首的「# 」，再改成本支部的内容（注意保持缩进）。",
        "",
        "# 党小组：组长须在党员名册中；名册「所在党小组」一列填这里的党小组名称",
        "# groups:",
        "#   - name: 第一党小组",
        f"#     leader: {second}",
        _line("#     grid: 东片网格", "网格（可不填）：党小组对应的网格或班组"),
        "",
        "# 发展党员：入党申请人、积极分子、发展对象和预备党员；日期按已经走到的步骤填写",
        "# applicants:",
        f"#   - name: {EXAMPLE_MARK}申请人",
        "#     gender: 女",
        _line("#     birth_date: 1998-05-01", "出生日期：只用于核对年满 18 周岁，任何输出中都不显示"),
        _line("#     education: 本科", "学历（可不填）"),
        _line(f"#     applied_on: {year - 1}-03-01", "递交入党申请书的日期（第1步）"),
        _line(f"#     talked_on: {year - 1}-03-20", "党组织派人谈话的日期（第2步，收到申请后 1 个月内）"),
        _line(f"#     activist_on: {year - 1}-06-01", "确定为入党积极分子的日期（第3步）"),
        _line("#     candidate_on:", "确定为发展对象的日期（第7步，确定积极分子 1 年以后）"),
        _line("#     pre_reviewed_on:", "上级党委预审的日期（第13步）"),
        _line("#     admitted_on:", "支部大会接收为预备党员的日期（第15步）"),
        _line("#     approved_on:", "上级党委审批的日期（第17步）"),
        _line("#     full_applied_on:", "提出转正申请的日期（第22步）"),
        _line("#     full_meeting_on:", "支部大会讨论转正的日期（第23步）"),
        _line("#     full_approved_on:", "上级党委审批转正的日期（第24步）"),
        _line("#     probation_extended_to:", "延长预备期的，延长后的预备期满日"),
        _line(f"#     contacts: [{first}, {second}]", "培养联系人：1–2 名正式党员"),
        "",
        "# 活动阵地及「六有」情况",
        "# activity_room:",
        "#   name: 党员之家",
        _line("#   location: 办公楼二楼", "位置：活动室所在位置（单位地址，不是个人住址）"),
        _line("#   area_m2: 60", "面积（平方米）"),
        _line(f"#   six_haves: [{', '.join(SIX_HAVES)}]", "六有：已具备的项目"),
        _line("#   equipment: [空调, 书柜, 投影仪]", "设施设备"),
        "",
        "# 制度建设：本支部执行的制度名称",
        "# rules:",
        "#   - 三会一课制度",
        "#   - 组织生活会制度",
        "",
        "# 年度目标",
        "# goals:",
        f"#   - year: {year}",
        "#     title: 发展党员 1 名",
        _line("#     measures: 在青年骨干中培养入党积极分子", "措施（可不填）"),
        "",
        "# 公开承诺",
        "# commitments:",
        "#   - title: 群众事项当日受理",
        _line("#     detail: 一周内答复", "具体内容与时限（可不填）"),
        "",
        "# 荣誉录：支部和党员获得的荣誉",
        "# honours:",
        f"#   - year: {year - 1}",
        "#     title: 先进基层党组织",
        _line(f"#     awarded_by: {_scalar(parent)}", "授予单位"),
        _line("#     recipient:", "获得者：个人荣誉填写姓名（荣誉录公开），支部荣誉不填"),
        "",
        "# 工作动态",
        "# news:",
        f"#   - date: {year - 1}-12-20",
        "#     title: 召开组织生活会",
        _line("#     text: 支部全体党员参加", "简要内容（可不填）"),
    ]
    return "\n".join(lines) + "\n"


def _check_branch(text: str, shown_as: str, as_of: dt.date) -> None:
    """The written branch, with the example members, must pass the model: it is what the user starts from."""
    data = yaml.safe_load(text)
    data.pop("members_file")
    data["members"] = [dict(member) for member in EXAMPLE_MEMBERS]
    doc = YamlDocument(shown_as, data)
    _, problems = validate_as(Branch, data, doc.locate, {"as_of": as_of})
    if problems:
        raise UserError("无法新建支部：" + "；".join(problem.message.removeprefix("「支部编号」（id）：")
                                                   for problem in problems))


# ---- the roster workbook -------------------------------------------------------------

def _vocabulary(annotation: Any) -> tuple[str, ...]:
    """The values of a Literal annotation (also inside `X | None`), in the model's order."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(typing.get_args(annotation))
    return tuple(value for arg in typing.get_args(annotation) for value in _vocabulary(arg))


def _has_date(annotation: Any) -> bool:
    return annotation is dt.date or any(_has_date(arg) for arg in typing.get_args(annotation))


if TYPE_CHECKING:    # openpyxl is imported where a workbook is made: it costs a noticeable start-up time
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet


def _length_limits(info: FieldInfo) -> tuple[int | None, int | None]:
    low = next((m.min_length for m in info.metadata if hasattr(m, "min_length")), None)
    high = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
    return low, high


TEXT_FIELDS = ("id_number", "phone")     # formatted as text: Excel keeps all 18 digits and a leading 0
_WIDTHS = {"name": 12, "birth_date": 12, "joined_on": 12, "full_member_on": 12, "group": 14, "position": 24,
           "id_number": 21, "phone": 15, "address": 30}


def _column_kind(name: str, info: FieldInfo) -> tuple[str, tuple[str, ...]]:
    """('list', values) / ('date', ()) / ('text', ()) for a Member field."""
    values = _vocabulary(info.annotation)
    if values:
        return "list", values
    if _has_date(info.annotation):
        return "date", ()
    return "text", ()


class _Prompt(TypedDict):
    showInputMessage: bool
    promptTitle: str
    prompt: str


class _Error(TypedDict):
    showErrorMessage: bool
    errorStyle: Literal["stop"]
    errorTitle: str


def _validation(name: str, info: FieldInfo, letter: str, required: bool) -> DataValidation:
    from openpyxl.worksheet.datavalidation import DataValidation

    kind, values = _column_kind(name, info)
    cells = f"{letter}2:{letter}{ROSTER_ROWS + 1}"
    must = "必填" if required else "可不填"
    prompt = _Prompt(showInputMessage=True, promptTitle=f"{info.title}（{must}）"[:32],
                     prompt=(info.description or "")[:255])
    error = _Error(showErrorMessage=True, errorStyle="stop", errorTitle=f"「{info.title}」填写有误"[:32])
    if kind == "list":
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                              error=f"请从下拉列表中选择：{'、'.join(values)}", **prompt, **error)
    elif kind == "date":
        rule = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)", formula2="TODAY()",
                              allow_blank=True, error="请填写日期，如 2005-07-01（年-月-日），不能晚于今天",
                              **prompt, **error)
    elif name == "id_number":
        rule = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True,
                              error="公民身份号码应为 18 位", **prompt, **error)
    elif _length_limits(info) != (None, None):
        low, high = _length_limits(info)
        rule = DataValidation(type="textLength", operator="between", formula1=str(low or 0), formula2=str(high or 255),
                              allow_blank=True, error=f"应为 {low or 0}–{high or 255} 个字", **prompt, **error)
    else:
        rule = DataValidation(allow_blank=True, **prompt)   # any value: only the prompt
    rule.add(cells)
    return rule


def _roster_sheet(sheet: Worksheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from generator.export import append_row, print_header_and_footer

    fields = list(Member.model_fields.items())
    append_row(sheet, [info.title for _, info in fields] + [NOTE_COLUMN])
    for example in EXAMPLE_MEMBERS:
        append_row(sheet, [example.get(name) for name, _ in fields] + [EXAMPLE_NOTE])
    required_fill, optional_fill = PatternFill("solid", fgColor="F2DCDB"), PatternFill("solid", fgColor="F2F2F2")
    thin = Side(style="thin", color="999999")
    for number, (name, info) in enumerate(fields, start=1):
        letter = get_column_letter(number)
        header = sheet.cell(row=1, column=number)
        header.fill = required_fill if info.is_required() else optional_fill
        column = sheet.column_dimensions[letter]
        kind, values = _column_kind(name, info)
        column.width = _WIDTHS.get(name, max(_width(text) for text in (info.title or name, *values)) + 4)
        number_format = "yyyy-mm-dd" if kind == "date" else "@" if name in TEXT_FIELDS else None
        if number_format:
            column.number_format = number_format   # for the cells the user types in
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=number).number_format = number_format
        sheet.add_data_validation(_validation(name, info, letter, info.is_required()))
    note_letter = get_column_letter(len(fields) + 1)
    sheet.column_dimensions[note_letter].width = 36
    sheet.cell(row=1, column=len(fields) + 1).fill = optional_fill
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    _a4_landscape(sheet)
    sheet.print_options.gridLines = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    print_header_and_footer(sheet, "党员花名册（内部资料）")


def _notes_sheet(sheet: Worksheet, branch_id: str) -> None:
    from openpyxl.styles import Alignment, Font

    from generator.export import append_row

    lines = [
        "党员名册填写说明",
        f"1. 在「{ROSTER_SHEET}」工作表中每行填写一名党员。第一行是表头：列名可以保持不变，也可以用常见的列名"
        "（如「身份证号」「出生年月」「文化程度」「入党时间」），程序都能识别；程序不认识的列会被忽略，并在检查时提示。",
        f"2. 前三行「{EXAMPLE_MARK}党员」是示例：请改成本支部党员的信息，或删除后另行填写；同时把同一文件夹中"
        f"支部文件 {branch_id}.yml 里支委成员的姓名改成名册中的姓名。党支部应有 3 名以上正式党员。",
        "3. 日期按「年-月-日」填写，如 2005-07-01；性别、学历、党员类别从下拉列表中选择；预备党员不填「转正日期」。",
        "4. 「公民身份号码」「联系电话」两列已设为文本格式，直接输入即可，不会丢失末几位数字或开头的 0。",
        "5. 公民身份号码、联系电话、家庭住址和出生日期只用于核对和计算（如年龄），不会出现在网站和打印的手册中；"
        "党员姓名等只印在支部内部存档的手册里。本文件含个人信息，请妥善保管，不要转发。",
        f"6. 「{NOTE_COLUMN}」列只供自己记录，程序不读取。表头颜色较深的列为必填。",
        f"7. 填好后保存（保持 .xlsx 格式，文件名 {roster_file_name(branch_id)} 不变），然后运行 branchbook check 检查。",
        "",
    ]
    for line in lines:
        append_row(sheet, [line])
    append_row(sheet, ["列名", "是否必填", "说明", "填写方式"])
    for name, info in Member.model_fields.items():
        kind, values = _column_kind(name, info)
        how = {"list": "从下拉列表选择：" + "、".join(values), "date": "日期，年-月-日"}.get(
            kind, "文字（这一列已设为文本格式）" if name in TEXT_FIELDS else "文字")
        append_row(sheet, [info.title, "必填" if info.is_required() else "可不填", info.description, how])
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows(min_row=len(lines) + 1, max_row=len(lines) + 1):
        for cell in row:
            cell.font = Font(bold=True)
    for number in range(2, len(lines)):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=4)
        sheet.cell(row=number, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[number].height = 48
    for letter, width in zip("ABCD", (14, 10, 60, 40)):
        sheet.column_dimensions[letter].width = width
    _a4_landscape(sheet)


def _a4_landscape(sheet) -> None:
    """Print on A4 landscape, as wide as the page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def roster_workbook(branch_id: str, moment: dt.datetime) -> bytes:
    """The roster workbook's bytes (see the module docstring); they depend only on the id and `moment`."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from generator.export import workbook_bytes

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)     # a new workbook has one worksheet
    sheet.title = ROSTER_SHEET
    _roster_sheet(sheet)
    _notes_sheet(book.create_sheet(NOTES_SHEET), branch_id)
    return workbook_bytes(book, moment)


# ---- the command -------------------------------------------------------------------

def write_new_branch(root: Path, branch_id: str, *, name: str | None = None, short_name: str | None = None,
                     branch_type: str | None = None, into: Path | None = None) -> list[Path]:
    """Write ``<branch_id>.yml`` and ``<branch_id>-members.xlsx`` for the organization at `root`.

    They go into `into` (default ``root/branches``, created if missing; `init` puts its commented example
    into a folder the build does not read). `name` is the 党组织全称 (default a 示例 placeholder),
    `short_name` the 简称 (default derived from the name, see `short_name_of`), `branch_type` the 单位类别
    (default 其他). The parent is the name in ``content/organization.yml``. Returns the two paths written.
    Raises `UserError` (Chinese) for an invalid id or type, an id already used in `into`, or a `root`
    without ``content/organization.yml``; nothing is written then.
    """
    _check_id(branch_id)
    organization = _organization(root)
    branch_type = branch_type or DEFAULT_TYPE
    if branch_type not in BRANCH_TYPES:
        raise UserError(f"单位类别「{branch_type}」不对；应为{''.join(f'「{t}」' for t in BRANCH_TYPES)}之一")
    name = (name or "").strip() or DEFAULT_NAME
    short_name = (short_name or "").strip() or short_name_of(name)
    folder = root / "branches" if into is None else into
    _refuse_taken(root, folder, branch_id)
    as_of = _as_of(organization)
    year = organization["year"] if isinstance(organization.get("year"), int) else as_of.year
    # Founded at the 统计截止日期: a placeholder that is not after it, and that asks for no row in the score
    # tables of the periods before it (a branch founded later needs none).
    founded = as_of
    shown = _shown(root, folder / f"{branch_id}.yml")
    text = branch_text(branch_id, name, short_name, branch_type, organization["name"].strip(), year, founded)
    _check_branch(text, shown, as_of)
    roster = roster_workbook(branch_id, dt.datetime.combine(as_of, dt.time()))
    folder.mkdir(parents=True, exist_ok=True)
    branch_path, roster_path = folder / f"{branch_id}.yml", folder / roster_file_name(branch_id)
    branch_path.write_text(text, encoding="utf-8")
    roster_path.write_bytes(roster)
    return [branch_path, roster_path]

