"""Turn parsed sources into a validated `Project`, or raise `ProblemsFound` with every mistake.

Each file is validated against its model; then the checks that span files run
(duplicate ids, people named in a committee but missing from the roster, score
tables naming unknown branches or items). Everything is collected before failing.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import typing
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from pydantic import ValidationError

from generator.compute.participants import scored_people
from generator.errors import Location, Problem, ProblemsFound
from generator.load.project import ChapterSource, ScoreSource, Sources, collector_paused
from generator.load.tables import CELL_PROBLEMS, TABLE_SUFFIXES, Table, TableRow
from generator.load.yaml_source import YamlDocument
from generator.models import Branch, Chapter, Checklist, Member, Organization, Project, Scheme, Workflow
from generator.models.boxes import BoxesConfig
from generator.models.columns import (
    BRANCH_COLUMN, EXAMPLE_MARK, IGNORED_COLUMNS, MEMBER_COLUMN, header_key, items_by_name, name_alone, score_fixed_columns,
    score_key_columns,
)
from generator.models.common import WINDOWS_RESERVED_NAMES
from generator.models.content import HANDBOOK_PARTS, ChapterMeta
from generator.models.organization import PLACEHOLDER_PHONE, SUMMARY_PLACEHOLDER
from generator.models.project import ScoreRow, ScoreSheet
from generator.models.schemes import KIND_SCHEMES, SchemeItem, scheme_model
from generator.periods import PERIOD_PATTERNS
from generator.validate.chapters import chapter_problems
from generator.validate.messages import LIKELY_ID, ModelT, describe, suggestion, validate_as
from generator.validate.schemes import calendar_years, check_schemes
from generator.validate.wording import fill_wording, parent_problems
from generator.validate.workflows import workflow_problems


log = logging.getLogger(__name__)


def _document(doc: YamlDocument, model: type[ModelT], problems: list[Problem],
              context: dict[str, Any] | None = None) -> ModelT | None:
    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.locate(), "yaml.not-mapping", "文件内容应为「键: 值」形式的一组数据"))
        return None
    value, found = validate_as(model, doc.data, doc.locate, context)
    problems.extend(found)
    return value


# --- members from a roster table -------------------------------------------------

MemberLocator = Callable[[int, str], Location]  # (member's index in the roster, field name) → where it is written


def _annotation_has(annotation: Any, kind: type) -> bool:
    return annotation is kind or any(_annotation_has(arg, kind) for arg in typing.get_args(annotation))


# Fields read from a table cell: dates (an XLSX date cell may arrive as its serial number) and plain
# text (an XLSX cell may hold the number 3 where 「3」 is meant). The ID number and phone have their own
# checks for numbers, which may have lost digits.
_DATE_FIELDS = frozenset(name for name, info in Member.model_fields.items() if _annotation_has(info.annotation, dt.date))
_TEXT_FIELDS = frozenset(name for name, info in Member.model_fields.items()
                         if _annotation_has(info.annotation, str) and name not in ("id_number", "phone"))


# Headers that rosters kept by hand or exported from other systems use for a Member field, besides the
# field's own title and key. Each belongs to one field; headers are compared as `_header_forms` gives them.
MEMBER_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("党员姓名",),
    "birth_date": ("出生年月", "出生年月日", "出生时间", "生日"),
    "education": ("文化程度", "学历层次", "最高学历"),
    "joined_on": ("入党时间", "入党年月", "入党年月日"),
    "full_member_on": ("转正时间", "转正年月", "转正年月日"),
    "status": ("人员类别", "党员类型", "党员身份"),
    "group": ("党小组", "所属党小组", "党小组名称"),
    "position": ("工作单位及职务", "单位及职务", "单位职务", "工作单位", "工作岗位及职务", "职务", "岗位"),
    "id_number": ("身份证号", "身份证号码", "公民身份证号码", "公民身份号", "身份证", "证件号码"),
    "phone": ("手机号码", "手机号", "手机", "电话", "电话号码", "联系方式"),
    "address": ("住址", "家庭地址", "现住址", "居住地址", "现居住地址"),
}
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")


def _header_forms(header: str) -> list[str]:
    """How a header is compared: full-width letters and brackets made half-width, without spaces (a title Excel
    wraps over two lines, 公民身份⏎号码, is still that title), a 「*」 marking a required column or a trailing
    colon; then also without a bracketed note (出生日期（年月日）, 联系电话(手机))."""
    text = "".join(unicodedata.normalize("NFKC", header).split()).strip("*:")
    plain = _BRACKETED.sub("", text).strip("*:")
    return [text.lower()] + ([plain.lower()] if plain and plain != text else [])


def _member_header_names() -> dict[str, str]:
    """Each accepted header form → the Member field it names: the key, the title and the synonyms."""
    names: dict[str, str] = {}
    for name, info in Member.model_fields.items():
        for header in (name, info.title or name, *MEMBER_HEADER_SYNONYMS.get(name, ())):
            form = _header_forms(header)[0]
            assert names.setdefault(form, name) == name, f"roster header {header!r} names two fields"
    return names


_MEMBER_HEADERS = _member_header_names()


def _member_columns(table: Table, problems: list[Problem]) -> dict[str, str]:
    """Map the table's headers (Chinese titles, common synonyms or English keys) to Member field names.

    A header that names no field is ignored, with one note per file naming them all; one that looks like
    the title of a field the table lacks is a mistake (a typo loses that column's data), and so is a second
    header for a field.
    """
    found: list[tuple[str, Location, str | None]] = []
    for header, location in table.header_locations.items():
        if _header_forms(header)[0] in IGNORED_COLUMNS:
            continue
        found.append((header, location, next((_MEMBER_HEADERS[form] for form in _header_forms(header)
                                               if form in _MEMBER_HEADERS), None)))
    mapping: dict[str, str] = {}
    for header, location, name in found:
        if name is None:
            continue
        if name in mapping.values():
            first = next(h for h, n in mapping.items() if n == name)
            title = Member.model_fields[name].title
            if {header, first} <= {name, title}:
                message = f"「{header}」与「{first}」是同一列（{title}，{name}）；请删去其中一列"
            else:
                message = f"「{header}」与「{first}」都读作「{title}」（{name}）；请删去其中一列，或把两列合并为一列"
            problems.append(Problem(location, "roster.duplicate-column", message))
        else:
            mapping[header] = name
    # Suggested only among the fields the table lacks: 「出生地」 next to a 出生日期 column is another column.
    lacking = [form for form, name in _MEMBER_HEADERS.items() if name not in mapping.values() and not form.isascii()]
    ignored: list[tuple[str, Location]] = []
    for header, location, name in found:
        if name is not None:
            continue
        hint = suggestion(_header_forms(header)[0], lacking)
        if hint:
            problems.append(Problem(location, "roster.unknown-column", f"名册中有未知列「{header}」{hint}"))
        else:
            ignored.append((header, location))
    if ignored:
        log.warning("%s：名册中的%s列不是名册的字段，已忽略；如果其中有应读入的内容，请把列名改为网站「数据格式说明」页面"
                    "「党员」一节中的中文名称 [roster.ignored-columns]", ignored[0][1],
                    "".join(f"「{header}」" for header, _ in ignored))
    header_line = min((location.line or 1 for location in table.header_locations.values()), default=1)
    sheet = next((location.sheet for location in table.header_locations.values()), None)
    for name, info in Member.model_fields.items():
        if info.is_required() and name not in mapping.values():
            problems.append(Problem(Location(table.path, header_line, None, sheet), "roster.missing-column",
                                    f"名册缺少「{info.title}」（{name}）列；请在表头添加这一列（可用中文列名「{info.title}」）"))
    return mapping


# How other systems write a value of a fixed vocabulary (人员类别 「正式党员」), as the Member field has it.
_VALUE_FORMS = {"status": {"正式党员": "正式", "预备党员": "预备"}}


def _cell_value(name: str, value: Any, table: Table) -> Any:
    """A cell's value as the Member field expects it (see _DATE_FIELDS, _TEXT_FIELDS and _VALUE_FORMS)."""
    if isinstance(value, str) and name in _VALUE_FORMS:
        return _VALUE_FORMS[name].get(value.strip(), value)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    # A serial below 1 is a time of day, not a date; the model then refuses the number with a hint.
    if name in _DATE_FIELDS and table.excel_epoch is not None and 1 <= value < 2958466:
        try:
            return from_excel(value, table.excel_epoch).date()
        except (ValueError, OverflowError):  # beyond year 9999 in the 1904 calendar: the model refuses the number
            return value
    if name in _TEXT_FIELDS:
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _members_from_table(table: Table, problems: list[Problem],
                        context: dict[str, Any]) -> tuple[list[Member], MemberLocator]:
    columns = _member_columns(table, problems)
    missing = {name for name, info in Member.model_fields.items() if info.is_required()} - set(columns.values())
    headers = {name: header for header, name in columns.items()}
    members = []
    for row in table.rows:
        data = {name: _cell_value(name, value, table)
                for h, name in columns.items() if (value := row.value(h)) is not None}

        def locate(loc: tuple, at_key: bool = False, row: TableRow = row) -> Location:
            return row.locate(headers[loc[0]]) if loc and loc[0] in headers else row.location

        try:
            members.append(Member.model_validate(data, context=context))
        except ValidationError as error:
            # A column missing from the header is one problem (above), not one per row.
            for item in error.errors(include_url=False):
                if item["type"] == "missing" and item["loc"] and item["loc"][0] in missing:
                    continue
                code, message = describe(Member, item)
                problems.append(Problem(locate(tuple(item["loc"])), code, message))

    def locate_member(index: int, name: str) -> Location:
        row = table.rows[index]
        return row.locate(headers[name]) if name in headers else row.location

    examples = [index for index, member in enumerate(members) if member.name.startswith(EXAMPLE_MARK)]
    if examples:
        log.warning("%s：名册中还有 %d 行示例（%s）；请换成本支部党员的信息 [roster.example-rows]",
                    locate_member(examples[0], "name"), len(examples), "、".join(members[i].name for i in examples))
    return members, locate_member


# --- branches ---------------------------------------------------------------------

def _roster_problems(branch: Branch, doc: YamlDocument, locate_member: MemberLocator) -> list[Problem]:
    names = {member.name for member in branch.members}
    groups = {group.name for group in branch.groups}
    problems = []
    if branch.members or branch.members_file:
        for index, person in enumerate(branch.committee.members):
            if person.name not in names:
                problems.append(Problem(doc.locate(("committee", "members", index, "name")), "branch.unknown-person",
                                        f"支委成员「{person.name}」不在本支部党员名册中{suggestion(person.name, sorted(names))}"))
        for index, group in enumerate(branch.groups):
            if group.leader not in names:
                problems.append(Problem(doc.locate(("groups", index, "leader")), "branch.unknown-person",
                                        f"党小组组长「{group.leader}」不在本支部党员名册中{suggestion(group.leader, sorted(names))}"))
    probationary = {member.name for member in branch.members if member.status == "预备"}
    for index, person in enumerate(branch.committee.members):
        if person.name in probationary:
            problems.append(Problem(doc.locate(("committee", "members", index, "name")), "branch.probationary-committee",
                                    f"支委成员「{person.name}」是预备党员；预备党员没有表决权、选举权和被选举权"))
    full_members = names - probationary
    for index, applicant in enumerate(branch.applicants):
        for number, contact in enumerate(applicant.contacts):
            if (branch.members or branch.members_file) and contact not in full_members:
                problems.append(Problem(doc.locate(("applicants", index, "contacts", number)), "branch.bad-contact",
                                        f"培养联系人「{contact}」应为本支部正式党员"))
    for index, member in enumerate(branch.members):
        if member.group and member.group not in groups:
            problems.append(Problem(locate_member(index, "group"), "branch.unknown-group",
                                    f"党员「{member.name}」所在党小组「{member.group}」未在「党小组」中定义"
                                    f"{suggestion(member.group, sorted(groups))}"))
    problems.extend(_duplicate_members(branch.members, locate_member))
    full = sum(1 for member in branch.members if member.status == "正式")
    if (branch.members or branch.members_file) and full < 3:
        roster = ("members_file",) if branch.members_file else ("members",)
        problems.append(Problem(doc.locate(roster), "branch.too-few-members",
                                f"党支部应有 3 名以上正式党员，名册中只有 {full} 名"))
    return problems


def _duplicate_members(members: list[Member] | tuple[Member, ...], locate_member: MemberLocator) -> list[Problem]:
    """One person entered twice: the same 公民身份号码, or (where one of them has none) the same name and birth date."""
    by_number: dict[str, int] = {}
    by_person: dict[tuple[str, dt.date], list[int]] = {}
    problems = []
    for index, member in enumerate(members):
        first, why = None, ""
        if member.id_number and member.id_number in by_number:
            first, why = by_number[member.id_number], "公民身份号码相同"
        else:
            earlier = [i for i in by_person.get((member.name, member.birth_date), [])
                       if not member.id_number or not members[i].id_number]
            if earlier:
                first, why = earlier[0], "姓名和出生日期相同"
        if first is not None:
            where = locate_member(first, "name")
            problems.append(Problem(locate_member(index, "name"), "roster.duplicate-member",
                                    f"党员「{member.name}」重复登记：与第 {where.line} 行{why}；"
                                    "同一名党员只能登记一次，请删除重复的一行"))
            continue
        if member.id_number:
            by_number[member.id_number] = index
        by_person.setdefault((member.name, member.birth_date), []).append(index)
    return problems


def _roster_file_problem(doc: YamlDocument, name: str, tables: dict[str, Table], reported: set[str]) -> Problem | None:
    """Why the members_file gave no table; None when the file's own problem is already reported."""
    if f"branches/{name}" in reported:
        return None
    where = doc.locate(("members_file",))
    if "/" in name or "\\" in name:
        return Problem(where, "branch.missing-roster",
                       f"「党员名册文件」（members_file）只填文件名，如「{name.replace(chr(92), '/').rsplit('/', 1)[-1]}」；"
                       "名册文件应放在 branches/ 目录中，与支部文件在一起")
    if not name.lower().endswith(TABLE_SUFFIXES):
        return Problem(where, "branch.missing-roster",
                       f"名册文件「{name}」应为 .csv 或 .xlsx 文件；请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或「Excel 工作簿」")
    return Problem(where, "branch.missing-roster",
                   f"找不到名册文件 branches/{name}（应与本文件在同一目录，为 .csv 或 .xlsx）{suggestion(name, sorted(tables))}")


def _branch(doc: YamlDocument, tables: dict[str, Table], problems: list[Problem], context: dict[str, Any],
            reported: set[str], rosters: dict[str, str]) -> tuple[Branch | None, MemberLocator | None]:
    """The branch with its members (from its roster file if it has one) and where each member is written.

    `reported` are the paths of files whose problems are already reported; `rosters` maps each roster file
    name to the branch file that uses it.
    """
    branch = _document(doc, Branch, problems, context)
    if branch is None:
        return None, None

    def in_branch_file(index: int, name: str) -> Location:
        return doc.locate(("members", index, name))

    locate_member: MemberLocator = in_branch_file

    if branch.members_file:
        if branch.members:
            problems.append(Problem(doc.locate(("members_file",)), "branch.two-rosters",
                                    "「党员名册」（members）和「党员名册文件」（members_file）只能填一个"))
            return None, None
        if branch.members_file in rosters:
            problems.append(Problem(doc.locate(("members_file",)), "branch.shared-roster",
                                    f"名册文件 branches/{branch.members_file} 已是 {rosters[branch.members_file]} 的名册；"
                                    "每个支部应有自己的名册文件"))
            return None, None
        rosters[branch.members_file] = doc.path
        table = tables.get(branch.members_file)
        if table is None:
            problem = _roster_file_problem(doc, branch.members_file, tables, reported)
            if problem is not None:
                problems.append(problem)
            return None, None
        count = len(problems)
        members, locate_member = _members_from_table(table, problems, context)
        if len(problems) > count:
            return None, None
        branch = branch.model_copy(update={"members": members})
    problems.extend(_roster_problems(branch, doc, locate_member))
    return branch, locate_member


def _members_in_two_branches(parsed: list[tuple[Branch | None, MemberLocator | None, YamlDocument]]) -> list[Problem]:
    """A 公民身份号码 in the rosters of two branches: a member belongs to one branch."""
    seen: dict[str, tuple[Branch, MemberLocator, int]] = {}  # where each number is first written, located if needed
    problems = []
    for branch, locate_member, _ in parsed:
        if branch is None or locate_member is None:
            continue
        for index, member in enumerate(branch.members):
            if not member.id_number:
                continue
            first = seen.setdefault(member.id_number, (branch, locate_member, index))
            if first[0].id != branch.id:
                other, locate_other, other_index = first
                at = locate_other(other_index, "id_number")
                problems.append(Problem(locate_member(index, "id_number"), "roster.member-in-two-branches",
                                        f"党员「{member.name}」的公民身份号码与支部「{other.id}」名册中的党员"
                                        f"（{at.path} 第 {at.line} 行）相同；一名党员只能在一个支部登记"))
    return problems


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


IdentifiedT = TypeVar("IdentifiedT", bound=_Identified)


def _unique(items: list[tuple[IdentifiedT, YamlDocument]], what: str, code: str,
            problems: list[Problem]) -> list[IdentifiedT]:
    seen: dict[str, str] = {}
    kept = []
    for item, doc in items:
        if item.id in seen:
            problems.append(Problem(doc.locate(("id",)), code, f"{what}「{item.id}」与 {seen[item.id]} 重复"))
            continue
        seen[item.id] = doc.path
        kept.append(item)
    return sorted(kept, key=lambda item: item.id)


# --- chapters -----------------------------------------------------------------------

def _chapter(source: ChapterSource, organization: Organization | None, problems: list[Problem]) -> Chapter | None:
    meta = _document(source.meta, ChapterMeta, problems)
    found = chapter_problems(source, organization)  # renders it once in the chapter sandbox
    if found:
        problems.extend(found)
        return None
    if meta is None:
        return None
    slug = source.path.rsplit("/", 1)[-1].removesuffix(".md")
    return Chapter(slug, meta, source.body, source.path)


_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def _chapter_name_problems(chapters: list[ChapterSource]) -> list[Problem]:
    """Chapter file names become page names: they must also work on Windows and macOS (case-insensitive)."""
    problems = []
    seen: dict[str, str] = {}
    for source in sorted(chapters, key=lambda c: c.path):
        name = source.path.rsplit("/", 1)[-1]
        slug = name[:-3] if name.lower().endswith(".md") else name
        where = Location(source.path, 1)
        if slug.lower() in WINDOWS_RESERVED_NAMES:
            problems.append(Problem(where, "chapter.bad-name",
                                    f"文件名「{slug}」是 Windows 的保留设备名，网站复制到 Windows 电脑后这一页无法打开；请给文件改名"))
        elif _WINDOWS_FORBIDDEN.search(slug) or slug.endswith((".", " ")):
            problems.append(Problem(where, "chapter.bad-name",
                                    f"文件名「{slug}」含有 Windows 文件名不允许的字符（< > : \" | ? * \\）或以点、空格结尾；请给文件改名"))
        if slug.lower() in seen:
            problems.append(Problem(where, "chapter.duplicate-name",
                                    f"文件名与 {seen[slug.lower()]} 只有大小写不同；在 Windows 和 macOS 上它们是同一个文件，"
                                    "生成的页面会互相覆盖，请给其中一个改名"))
        else:
            seen[slug.lower()] = source.path
    return problems


# --- score tables -------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_PLAIN_SCORE = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")  # what `_score_number` reads as itself: no sign, no width


def _score_number(value: Any, location: Location, item: SchemeItem, problems: list[Problem]) -> float | None:
    """A score: a number in a cell, or text that is a plain decimal number.

    Full-width digits and points (９．５, typed with a Chinese input method) read
    as 9.5. Refused: a comma (「9,5」 could be 9.5 or 95), exponents, NaN and
    infinity, true/false and dates, and a negative sign (-0 included).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, negative = float(value), math.copysign(1, value) < 0
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else None
        if text is not None and "," in text:
            decimal = text.replace(",", ".")
            reading = f"写作 {decimal}" if text.count(",") == 1 and _DECIMAL.fullmatch(decimal) else "写作「.」"
            problems.append(Problem(location, "scores.decimal-comma",
                                    f"「{item.name}」（{item.id}）得分「{value}」中有逗号：小数点应{reading}，"
                                    "数字中也不要用千位分隔符"))
            return None
        if text is None or not _DECIMAL.fullmatch(text):
            shown = value.isoformat() if isinstance(value, dt.date) else value
            problems.append(Problem(location, "scores.not-number",
                                    f"「{item.name}」（{item.id}）得分应为数字，实际为「{shown}」"))
            return None
        number, negative = float(text), text.startswith("-")
    if not math.isfinite(number):
        problems.append(Problem(location, "scores.not-number",
                                f"「{item.name}」（{item.id}）得分应为数字，实际为「{value}」"))
        return None
    top = item.max_points
    if negative or (top is not None and number > top):
        limit = f"0–{top:g}" if top is not None else "不小于 0"
        problems.append(Problem(location, "scores.out-of-range",
                                f"「{item.name}」（{item.id}）得分应为 {limit}，实际为 {number:g}"))
        return None
    return number


def _row_span(rows: list[TableRow]) -> str:
    lines = [row.line for row in rows]
    if len(lines) == 1:
        return f"第 {lines[0]} 行"
    return f"第 {min(lines)}–{max(lines)} 行中的 {len(lines)} 行"


def _unknown_branch_problems(unknown: dict[str, list[TableRow]], known: list[str]) -> list[Problem]:
    """One problem per score table for every row whose branch id is unknown, at the first such row.

    A single mistyped id keeps the short message; rows left over from a removed branch (often
    dozens in a table of members' points) are listed together with what to do.
    """
    if not unknown:
        return []
    first = min((rows[0] for rows in unknown.values()), key=lambda row: row.line)
    if len(unknown) == 1 and len(next(iter(unknown.values()))) == 1:
        branch_id = next(iter(unknown))
        hint = suggestion(branch_id, known, LIKELY_ID) or "；如果这个支部已撤销，请删除这一行，改了编号的请改为新编号"
        return [Problem(first.locate(BRANCH_COLUMN), "scores.unknown-branch", f"未知支部编号「{branch_id}」{hint}")]
    listed = "、".join(f"「{branch_id}」（{_row_span(rows)}{suggestion(branch_id, known, LIKELY_ID)}）"
                      for branch_id, rows in unknown.items())
    return [Problem(first.locate(BRANCH_COLUMN), "scores.unknown-branch",
                    f"本表中有未知的支部编号：{listed}；已撤销的支部请删除这些行，改了编号的支部请改为新编号")]


def _item_columns(scheme: Scheme, table: Table, problems: list[Problem]) -> dict[str, SchemeItem]:
    """Header → item for the table's item columns, each headed by the item's id, its name or 「name（id）」.

    A header naming an item that an earlier column already names (its id in one, its name in the
    other), an unknown header and a name that several items share are reported at the header cell.
    """
    names = items_by_name(scheme)
    accepted: dict[str, SchemeItem] = {}
    for each in scheme.items:
        accepted[header_key(f"{each.name}({each.id})")] = each
        if name_alone(scheme, each, names):
            accepted[header_key(each.name)] = each
    for each in scheme.items:                  # an id is always that item, even where it is another's name
        accepted[header_key(each.id)] = each
    fixed = score_fixed_columns(scheme)
    columns: dict[str, SchemeItem] = {}
    first: dict[str, tuple[str, Location]] = {}   # item id → the header and cell that named it first
    for header, location in table.header_locations.items():
        if header in fixed:
            continue
        item = accepted.get(header_key(header))
        shared = names.get(header_key(header), [])
        if item is None and len(shared) > 1:
            ids = "、".join(other.id for other in shared)
            problems.append(Problem(location, "scores.ambiguous-item",
                                    f"「{header}」是方案「{scheme.name}」中 {len(shared)} 个指标（{ids}）的名称，"
                                    f"不知道是哪一个；请改用指标编号（如「{shared[0].id}」）或「名称（编号）」"
                                    f"（如「{shared[0].name}（{shared[0].id}）」）作列名"))
            continue
        if item is None:
            choices = sorted({other.id for other in scheme.items} | {other.name for other in scheme.items})
            problems.append(Problem(location, "scores.unknown-item",
                                    f"「{header}」不是方案「{scheme.name}」的指标{suggestion(header, choices)}"))
            continue
        if item.id in first:
            earlier, where = first[item.id]
            problems.append(Problem(location, "scores.duplicate-item",
                                    f"「{header}」和第 {get_column_letter(where.col or 1)} 列的「{earlier}」是同一个指标"
                                    f"「{item.name}」（{item.id}）；每个指标只能有一列，请删去其中一列"))
            continue
        first[item.id] = (header, location)
        columns[header] = item
    return columns


def _score_sheet(source: ScoreSource, schemes: dict[str, Scheme], branches: dict[str, Branch],
                 broken: set[str], as_of: dt.date, problems: list[Problem]) -> ScoreSheet | None:
    """Validate one score table; rows of `broken` branches (already reported) are skipped quietly.

    A member scheme's rows name the people `scored_people` lists on `as_of`.
    """
    table = source.table
    scheme = schemes.get(source.scheme_id)
    if scheme is None:
        problems.append(Problem(Location(table.path, 1), "scores.unknown-scheme",
                                f"文件夹「{source.scheme_id}」不是已定义的考核方案{suggestion(source.scheme_id, sorted(schemes))}"))
        return None
    pattern, example = PERIOD_PATTERNS[scheme.period]
    if not re.match(pattern, source.period):
        problems.append(Problem(Location(table.path, 1), "scores.bad-period",
                                f"文件名「{source.period}」应为考核期，如「{example}」"))
    for heading in score_key_columns(scheme):
        if heading not in table.header_locations:
            problems.append(Problem(Location(table.path, 1), "scores.missing-column", f"缺少「{heading}」列"))
            return None
    columns = _item_columns(scheme, table, problems)
    problems.extend(_missing_items(scheme, columns, table))
    rows: list[ScoreRow] = []
    seen: dict[tuple[str, str | None], int] = {}   # (branch id, member) → the line of its first row
    unknown: dict[str, list[TableRow]] = {}
    people = {branch_id: scored_people(branch, as_of) for branch_id, branch in branches.items()
              if scheme.subject == "member"}
    for row in table.rows:
        branch_id = str(row.value(BRANCH_COLUMN) or "")
        if branch_id in broken:
            continue
        if not branch_id:
            problems.append(Problem(row.locate(BRANCH_COLUMN), "scores.no-branch-id", "这一行没有填写「支部编号」"))
            continue
        if branch_id not in branches:
            unknown.setdefault(branch_id, []).append(row)
            continue
        member = str(row.value(MEMBER_COLUMN) or "") if scheme.subject == "member" else None
        if member == "":
            problems.append(Problem(row.locate(MEMBER_COLUMN), "scores.missing-value", "这一行没有填写「姓名」"))
            continue
        if member is not None and member not in people[branch_id]:
            problems.append(Problem(row.locate(MEMBER_COLUMN), "scores.unknown-member",
                                    f"支部「{branch_id}」的党员名册和入党积极分子中没有「{member}」"))
            continue
        key = (branch_id, member)
        if key in seen:
            problems.append(Problem(row.locate(BRANCH_COLUMN), "scores.duplicate-row",
                                    f"「{branch_id}{' ' + member if member else ''}」重复，已在第 {seen[key]} 行出现"))
            continue
        seen[key] = row.line
        values = _row_values(row, columns, f"{branch_id}{' ' + member if member else ''}", problems)
        rows.append(ScoreRow(branch_id, values, member))
    problems.extend(_unknown_branch_problems(unknown, sorted(branches)))
    return ScoreSheet(scheme.id, source.period, table.path, tuple(rows))


def _missing_items(scheme: Scheme, columns: dict[str, SchemeItem], table: Table) -> list[Problem]:
    present = {item.id for item in columns.values()}
    return [Problem(Location(table.path, 1), "scores.missing-item",
                    f"缺少计分指标「{item.name}」（{item.id}）列")
            for item in scheme.scored_items() if item.id not in present]


def _row_values(row: TableRow, columns: dict[str, SchemeItem], who: str, problems: list[Problem]) -> dict[str, float]:
    """The row's numbers; a blank scored cell is an error (write 0 for no points), a blank row one error."""
    scored = {header: item for header, item in columns.items() if item.max_points is not None}
    if scored and all(row.value(header) is None for header in scored):
        problems.append(Problem(row.location, "scores.empty-row", f"「{who}」的得分尚未填写"))
        return {}
    values = {}
    # Where problems are already reported (e.g. a cell holding an Excel error, read as blank).
    already: set[Location] | None = None
    for header, item in columns.items():
        value = row.value(header)
        if value is None:
            if header not in scored:
                continue
            if already is None:
                already = {problem.location for problem in problems}
            if row.locate(header) not in already:
                problems.append(Problem(row.locate(header), "scores.missing-value",
                                        f"「{who}」的「{item.name}」（{item.id}）未填写；不得分请填 0"))
            continue
        if value.__class__ is str and _PLAIN_SCORE.fullmatch(value):  # the commonest cell, read without its location
            number = float(value)
            if item.max_points is None or number <= item.max_points:
                values[item.id] = number
                continue
        parsed = _score_number(value, row.locate(header), item, problems)
        if parsed is not None:
            values[item.id] = parsed
    return values


# --- the five filing boxes ------------------------------------------------------------

def _boxes(doc: YamlDocument, checklist: Checklist | None, workflows: list[Workflow], failed_workflows: set[str],
           problems: list[Problem]) -> BoxesConfig | None:
    """content/boxes.yml, with its rules checked against the checklist's items and the workflow ids."""
    boxes = _document(doc, BoxesConfig, problems)
    if boxes is None:
        return None
    items = sorted(item.name for item in checklist.items) if checklist else []
    known = sorted(w.id for w in workflows)
    for b, box in enumerate(boxes.boxes):
        for d, rule in enumerate(box.documents):
            if rule.schedule and rule.schedule not in items:
                problems.append(Problem(doc.locate(("boxes", b, "documents", d, "schedule")), "boxes.unknown-item",
                                        f"定期定量工作指标一览表中没有事项「{rule.schedule}」{suggestion(rule.schedule, items)}"))
            if rule.workflow and rule.workflow not in known and rule.workflow not in failed_workflows:
                problems.append(Problem(doc.locate(("boxes", b, "documents", d, "workflow")), "boxes.unknown-workflow",
                                        f"未知流程编号「{rule.workflow}」{suggestion(rule.workflow, known)}"))
    return boxes


# --- the whole project ----------------------------------------------------------------

def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _broken_branch_ids(sources: Sources, failed: list[YamlDocument]) -> set[str]:
    """Ids (and file names) of branch files that could not be read or validated.

    Their score rows are skipped quietly: the branch file's problem is already
    reported, and one mistake should give one message.
    """
    parsed_stems = {doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] for doc in sources.branches}
    unparsed = set(sources.branch_file_stems) - parsed_stems
    failed_stems = {doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] for doc in failed}
    failed_ids = {str(doc.data["id"]) for doc in failed if isinstance(doc.data, dict) and doc.data.get("id")}
    return unparsed | failed_stems | failed_ids


def _note_placeholders(doc: YamlDocument | None, organization: Organization | None) -> None:
    """A note for each text `init` left for the organization to write (they would be published as they are)."""
    if doc is None or organization is None:
        return
    if SUMMARY_PLACEHOLDER in organization.summary:
        log.warning("%s：组织概况还是新建时的占位文字，它会显示在网站首页；请改写为本单位的实际情况 [organization.placeholder]",
                    doc.locate(("summary",)))
    if organization.office.phone == PLACEHOLDER_PHONE:
        log.warning("%s：办公电话还是占位的 %s，它会印在公示的反映渠道中；请填写组织部门的办公电话 [organization.placeholder]",
                    doc.locate(("office", "phone")), PLACEHOLDER_PHONE)


def validate_project(sources: Sources) -> Project:
    """Validate every source; raise `ProblemsFound` listing all problems if any."""
    with collector_paused():  # validation makes many long-lived objects and no reference cycles
        return _validate_project(sources)


def _validate_project(sources: Sources) -> Project:
    problems = list(sources.problems)
    organization = _document(sources.organization, Organization, problems) if sources.organization else None
    _note_placeholders(sources.organization, organization)
    # The organization's words fill the variables of the content texts before any of them is validated.
    problems.extend(fill_wording(sources, organization))
    # Dates of what has happened (births, joining, founding) may not be after the organization's 统计截止日期.
    context = {"as_of": organization.as_of} if organization is not None else {}
    reported = {problem.location.path for problem in sources.problems}
    rosters: dict[str, str] = {}
    parsed = [(*_branch(doc, sources.branch_tables, problems, context, reported, rosters), doc)
              for doc in sources.branches]
    problems.extend(_members_in_two_branches(parsed))
    problems.extend(parent_problems([(b, doc) for b, _, doc in parsed if b is not None], organization))
    branches = _unique([(b, doc) for b, _, doc in parsed if b is not None], "支部编号", "branch.duplicate-id", problems)
    chapters = [c for source in sources.chapters if (c := _chapter(source, organization, problems)) is not None]
    checked = [(w, doc) for doc in sources.workflows if (w := _document(doc, Workflow, problems)) is not None]
    problems.extend(problem for w, doc in checked for problem in workflow_problems(w, doc))
    workflows = _unique(checked, "流程编号", "workflow.duplicate-id", problems)
    # References to a workflow whose file failed are not reported again: that file's problem is.
    validated = {doc.path for _, doc in checked}
    failed = [doc for doc in sources.workflows if doc.path not in validated]
    failed_workflows = {_stem(doc.path) for doc in failed} | {
        str(doc.data["id"]) for doc in failed if isinstance(doc.data, dict) and doc.data.get("id")}
    failed_workflows |= {_stem(p.location.path) for p in sources.problems if p.location.path.startswith("content/workflows/")}
    failed_workflows -= {w.id for w in workflows}
    checklist = _document(sources.checklist, Checklist, problems) if sources.checklist else None
    if checklist is not None and sources.checklist is not None:
        known = sorted(w.id for w in workflows)
        for index, item in enumerate(checklist.items):
            if item.workflow and item.workflow not in known and item.workflow not in failed_workflows:
                problems.append(Problem(sources.checklist.locate(("items", index, "workflow")), "checklist.unknown-workflow",
                                        f"未知流程编号「{item.workflow}」{suggestion(item.workflow, known)}"))
    # A scheme of no known kind never validates (its `kind` is wrong): each one kept has its kind's rules.
    checked_schemes = [(s, doc) for doc in sources.schemes
                       if isinstance(s := _document(doc, scheme_model(doc.data), problems), KIND_SCHEMES)]
    schemes = _unique(checked_schemes, "方案编号", "scheme.duplicate-id", problems)
    scheme_docs = {s.id: doc for s, doc in reversed(checked_schemes)}
    by_id = {branch.id: branch for branch in branches}
    broken = _broken_branch_ids(sources, [doc for branch, _, doc in parsed if branch is None]) - set(by_id)
    # Sheets of a scheme whose own file failed are skipped: that file's problems are already reported.
    failed_schemes = {str(doc.data.get("id")) for doc in sources.schemes if isinstance(doc.data, dict)} - set(scheme_docs)
    # So are the folders named after a scheme file that could not be read or validated.
    kept_paths = {doc.path for doc in scheme_docs.values()}
    failed_schemes |= {path.rsplit("/", 1)[-1].rsplit(".", 1)[0] for path in
                       {doc.path for doc in sources.schemes if doc.path not in kept_paths}
                       | {p.location.path for p in sources.problems if p.location.path.startswith("content/schemes/")}}
    as_of = organization.as_of if organization is not None else dt.date.max  # with no organization, no cut-off
    sheets = [sheet for source in sources.scores if source.scheme_id not in failed_schemes
              and (sheet := _score_sheet(source, {s.id: s for s in schemes}, by_id, broken, as_of, problems)) is not None]
    boxes = _boxes(sources.boxes, checklist, workflows, failed_workflows, problems) if sources.boxes else None
    calendars = calendar_years(sources.calendars, problems)
    # A calendar file with a mistake is reported once, not again by every notice that needs its year.
    broken_years = {int(stem) for problem in problems if problem.location.path.startswith("content/calendar/")
                    and (stem := problem.location.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]).isdigit()}
    mistyped = {p.location.path for p in problems if p.code in ("scores.unknown-branch", "scores.no-branch-id")}
    # A score table that could not be read has its own message; its period's notice is not reported again.
    unread = {(parts[1], parts[2].rsplit(".", 1)[0].removeprefix(f"{parts[1]}-"))
              for problem in sources.problems if len(parts := problem.location.path.split("/")) == 3 and parts[0] == "scores"}
    problems.extend(check_schemes(scheme_docs, schemes, branches, sheets, calendars, broken, mistyped, broken_years,
                                  unread))
    problems.extend(_chapter_name_problems(sources.chapters))
    # A table cell already reported (an Excel error, a formula without a value …) is read as empty: drop what
    # later checks say about that same empty cell.
    cells = {problem.location for problem in problems if problem.code in CELL_PROBLEMS}
    problems = [problem for problem in problems if problem.code in CELL_PROBLEMS or problem.location not in cells]
    # So is a CSV row with more cells than the header: its values are shifted, and only that is reported.
    shifted = {(p.location.path, p.location.line) for p in problems if p.code == "table.extra-cells"}
    problems = [problem for problem in problems if problem.code.startswith("table.")
                or (problem.location.path, problem.location.line) not in shifted]
    if problems or organization is None:
        raise ProblemsFound(problems)
    chapters.sort(key=lambda c: (HANDBOOK_PARTS.index(c.meta.part), c.meta.order, c.slug))
    return Project(sources.root, organization, tuple(branches), tuple(chapters), tuple(workflows),
                   checklist, tuple(schemes), tuple(sorted(sheets, key=lambda s: (s.scheme_id, s.period))), boxes=boxes,
                   calendars=tuple(sorted(calendars, key=lambda c: c.year)))
