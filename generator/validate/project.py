"""Turn parsed sources into a validated `Project`, or raise `ProblemsFound` with every mistake.

Each file is validated against its model; then the checks that span files run
(duplicate ids, people named in a committee but missing from the roster, score
tables naming unknown branches or items). Everything is collected before failing.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from generator.errors import Location, Problem, ProblemsFound
from generator.load.project import ChapterSource, ScoreSource, Sources
from generator.load.tables import Table
from generator.load.yaml_source import YamlDocument
from generator.models import Branch, Chapter, Checklist, Member, Organization, Project, Scheme, Workflow
from generator.models.boxes import BoxesConfig
from generator.models.content import HANDBOOK_PARTS, ChapterMeta
from generator.models.project import ScoreRow, ScoreSheet
from generator.models.schemes import scheme_model
from generator.compute.scoring.periods import PERIOD_PATTERNS
from generator.validate.messages import validate_as
from generator.validate.schemes import calendar_years, check_schemes
from generator.validate.workflows import workflow_problems

BRANCH_COLUMN = "支部编号"
MEMBER_COLUMN = "姓名"


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f", 是否指「{close[0]}」?" if close else ""


def _document(doc: YamlDocument, model: type, problems: list[Problem]) -> Any:
    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.locate(), "yaml.not-mapping", "文件内容应为「键: 值」形式的一组数据"))
        return None
    value, found = validate_as(model, doc.data, doc.locate)
    problems.extend(found)
    return value


# --- members from a roster table -------------------------------------------------

def _member_columns(table: Table, problems: list[Problem]) -> dict[str, str]:
    """Map the table's headers (Chinese titles or English keys) to Member field names."""
    by_title = {info.title: name for name, info in Member.model_fields.items()}
    mapping = {}
    for header, location in table.header_locations.items():
        if header in Member.model_fields:
            mapping[header] = header
        elif header in by_title:
            mapping[header] = by_title[header]
        else:
            hint = _did_you_mean(header, list(by_title))
            problems.append(Problem(location, "roster.unknown-column", f"名册中有未知列「{header}」{hint}"))
    return mapping


def _members_from_table(table: Table, problems: list[Problem]) -> list[Member]:
    columns = _member_columns(table, problems)
    members = []
    for row in table.rows:
        data = {columns[h]: cell.value for h, cell in row.cells.items() if h in columns and cell.value is not None}
        by_field = {columns[h]: row.locate(h) for h in row.cells if h in columns}

        def locate(loc: tuple, at_key: bool = False, by_field: dict = by_field,
                   row_location: Location = row.location) -> Location:
            return by_field.get(loc[0], row_location) if loc else row_location

        member, found = validate_as(Member, data, locate)
        problems.extend(found)
        if member is not None:
            members.append(member)
    return members


# --- branches ---------------------------------------------------------------------

def _roster_problems(branch: Branch, doc: YamlDocument) -> list[Problem]:
    names = {member.name for member in branch.members}
    groups = {group.name for group in branch.groups}
    problems = []
    if branch.members or branch.members_file:
        for index, person in enumerate(branch.committee.members):
            if person.name not in names:
                problems.append(Problem(doc.locate(("committee", "members", index, "name")), "branch.unknown-person",
                                        f"支委成员「{person.name}」不在本支部党员名册中{_did_you_mean(person.name, sorted(names))}"))
        for index, group in enumerate(branch.groups):
            if group.leader not in names:
                problems.append(Problem(doc.locate(("groups", index, "leader")), "branch.unknown-person",
                                        f"党小组组长「{group.leader}」不在本支部党员名册中{_did_you_mean(group.leader, sorted(names))}"))
    probationary = {member.name for member in branch.members if member.status == "预备"}
    for index, person in enumerate(branch.committee.members):
        if person.name in probationary:
            problems.append(Problem(doc.locate(("committee", "members", index, "name")), "branch.probationary-committee",
                                    f"支委成员「{person.name}」是预备党员; 预备党员没有表决权、选举权和被选举权"))
    full_members = names - probationary
    for index, applicant in enumerate(branch.applicants):
        for number, contact in enumerate(applicant.contacts):
            if (branch.members or branch.members_file) and contact not in full_members:
                problems.append(Problem(doc.locate(("applicants", index, "contacts", number)), "branch.bad-contact",
                                        f"培养联系人「{contact}」应为本支部正式党员"))
    for index, member in enumerate(branch.members):
        if member.group and member.group not in groups:
            problems.append(Problem(doc.locate(("members", index, "group")), "branch.unknown-group",
                                    f"党员「{member.name}」所在党小组「{member.group}」未在「党小组」中定义"))
    full = sum(1 for member in branch.members if member.status == "正式")
    if (branch.members or branch.members_file) and full < 3:
        roster = ("members_file",) if branch.members_file else ("members",)
        problems.append(Problem(doc.locate(roster), "branch.too-few-members",
                                f"党支部应有 3 名以上正式党员, 名册中只有 {full} 名"))
    return problems


def _branch(doc: YamlDocument, tables: dict[str, Table], problems: list[Problem]) -> Branch | None:
    branch = _document(doc, Branch, problems)
    if branch is None:
        return None
    if branch.members_file:
        if branch.members:
            problems.append(Problem(doc.locate(("members_file",)), "branch.two-rosters",
                                    "「党员名册」(members) 和「党员名册文件」(members_file) 只能填一个"))
            return None
        table = tables.get(branch.members_file)
        if table is None:
            problems.append(Problem(doc.locate(("members_file",)), "branch.missing-roster",
                                    f"找不到名册文件 branches/{branch.members_file} (应与本文件在同一目录, 为 .csv 或 .xlsx)"))
            return None
        count = len(problems)
        members = _members_from_table(table, problems)
        if len(problems) > count:
            return None
        branch = branch.model_copy(update={"members": members})
    problems.extend(_roster_problems(branch, doc))
    return branch


def _unique(items: list[tuple[Any, YamlDocument]], what: str, code: str, problems: list[Problem]) -> list[Any]:
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

def _chapter(source: ChapterSource, problems: list[Problem]) -> Chapter | None:
    meta = _document(source.meta, ChapterMeta, problems)
    try:
        Environment().parse(source.body)
    except TemplateSyntaxError as error:
        problems.append(Problem(Location(source.path, source.body_first_line + (error.lineno or 1) - 1),
                                "chapter.template", f"模板语法错误: {error.message}"))
        return None
    if meta is None:
        return None
    slug = source.path.rsplit("/", 1)[-1].removesuffix(".md")
    return Chapter(slug, meta, source.body, source.path)


# --- score tables -------------------------------------------------------------------

def _score_number(value: Any, location: Location, item, problems: list[Problem]) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", ""))
        except ValueError:
            problems.append(Problem(location, "scores.not-number",
                                    f"「{item.name}」({item.id}) 得分应为数字, 实际为「{value}」"))
            return None
    top = item.max_points
    if number < 0 or (top is not None and number > top):
        limit = f"0–{top:g}" if top is not None else "不小于 0"
        problems.append(Problem(location, "scores.out-of-range",
                                f"「{item.name}」({item.id}) 得分应为 {limit}, 实际为 {number:g}"))
        return None
    return number


def _score_sheet(source: ScoreSource, schemes: dict[str, Scheme], branches: dict[str, Branch],
                 broken: set[str], problems: list[Problem]) -> ScoreSheet | None:
    """Validate one score table; rows of `broken` branches (already reported) are skipped quietly."""
    table = source.table
    scheme = schemes.get(source.scheme_id)
    if scheme is None:
        problems.append(Problem(Location(table.path, 1), "scores.unknown-scheme",
                                f"文件夹「{source.scheme_id}」不是已定义的考核方案{_did_you_mean(source.scheme_id, sorted(schemes))}"))
        return None
    pattern, example = PERIOD_PATTERNS[scheme.period]
    if not re.match(pattern, source.period):
        problems.append(Problem(Location(table.path, 1), "scores.bad-period",
                                f"文件名「{source.period}」应为考核期, 如「{example}」"))
    by_key = {item.id: item for item in scheme.items} | {item.name: item for item in scheme.items}
    keys = [BRANCH_COLUMN] + ([MEMBER_COLUMN] if scheme.subject == "member" else [])
    for key in keys:
        if key not in table.header_locations:
            problems.append(Problem(Location(table.path, 1), "scores.missing-column", f"缺少「{key}」列"))
            return None
    columns = {}
    for header, location in table.header_locations.items():
        if header in keys or header == "支部名称":
            continue
        if header not in by_key:
            problems.append(Problem(location, "scores.unknown-item",
                                    f"「{header}」不是方案「{scheme.name}」的指标{_did_you_mean(header, sorted(by_key))}"))
            continue
        columns[header] = by_key[header]
    problems.extend(_missing_items(scheme, columns, table))
    rows, seen = [], {}
    for row in table.rows:
        branch_id = str(row.value(BRANCH_COLUMN) or "")
        if branch_id in broken:
            continue
        if branch_id not in branches:
            problems.append(Problem(row.locate(BRANCH_COLUMN), "scores.unknown-branch",
                                    f"未知支部编号「{branch_id}」{_did_you_mean(branch_id, sorted(branches))}"))
            continue
        member = str(row.value(MEMBER_COLUMN)) if scheme.subject == "member" else None
        if member is not None and member not in _people(branches[branch_id]):
            problems.append(Problem(row.locate(MEMBER_COLUMN), "scores.unknown-member",
                                    f"支部「{branch_id}」的党员名册和入党积极分子中没有「{member}」"))
            continue
        key = (branch_id, member)
        if key in seen:
            problems.append(Problem(row.locate(BRANCH_COLUMN), "scores.duplicate-row",
                                    f"「{branch_id}{' ' + member if member else ''}」重复, 已在第 {seen[key]} 行出现"))
            continue
        seen[key] = row.location.line
        values = _row_values(row, columns, f"{branch_id}{' ' + member if member else ''}", problems)
        rows.append(ScoreRow(branch_id, values, member))
    return ScoreSheet(scheme.id, source.period, table.path, tuple(rows))


def _people(branch: Branch) -> set[str]:
    """Who may have a row in a member scheme: the roster and the 入党积极分子 / 发展对象."""
    activists = {a.name for a in branch.applicants if a.stage in ("入党积极分子", "发展对象")}
    return {member.name for member in branch.members} | activists


def _missing_items(scheme: Scheme, columns: dict, table: Table) -> list[Problem]:
    present = {item.id for item in columns.values()}
    return [Problem(Location(table.path, 1), "scores.missing-item",
                    f"缺少计分指标「{item.name}」({item.id}) 列")
            for item in scheme.scored_items() if item.id not in present]


def _row_values(row, columns: dict, who: str, problems: list[Problem]) -> dict[str, float]:
    """The row's numbers; a blank scored cell is an error (write 0 for no points), a blank row one error."""
    scored = {header: item for header, item in columns.items() if item.max_points is not None}
    if scored and all(row.value(header) is None for header in scored):
        problems.append(Problem(row.location, "scores.empty-row", f"「{who}」的得分尚未填写"))
        return {}
    values = {}
    already = {problem.location for problem in problems}  # e.g. a cell holding an Excel error, read as blank
    for header, item in columns.items():
        value = row.value(header)
        if value is None:
            if header in scored and row.locate(header) not in already:
                problems.append(Problem(row.locate(header), "scores.missing-value",
                                        f"「{who}」的「{item.name}」({item.id}) 未填写; 不得分请填 0"))
            continue
        number = _score_number(value, row.locate(header), item, problems)
        if number is not None:
            values[item.id] = number
    return values


# --- the five filing boxes ------------------------------------------------------------

def _boxes(doc: YamlDocument, checklist: Checklist | None, workflows: list[Workflow],
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
                                        f"定期定量工作指标一览表中没有事项「{rule.schedule}」{_did_you_mean(rule.schedule, items)}"))
            if rule.workflow and rule.workflow not in known:
                problems.append(Problem(doc.locate(("boxes", b, "documents", d, "workflow")), "boxes.unknown-workflow",
                                        f"未知流程编号「{rule.workflow}」{_did_you_mean(rule.workflow, known)}"))
    return boxes


# --- the whole project ----------------------------------------------------------------

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


def validate_project(sources: Sources) -> Project:
    """Validate every source; raise `ProblemsFound` listing all problems if any."""
    problems = list(sources.problems)
    organization = _document(sources.organization, Organization, problems) if sources.organization else None
    parsed = [(_branch(doc, sources.branch_tables, problems), doc) for doc in sources.branches]
    branches = _unique([(b, doc) for b, doc in parsed if b is not None], "支部编号", "branch.duplicate-id", problems)
    chapters = [c for source in sources.chapters if (c := _chapter(source, problems)) is not None]
    checked = [(w, doc) for doc in sources.workflows if (w := _document(doc, Workflow, problems)) is not None]
    problems.extend(problem for w, doc in checked for problem in workflow_problems(w, doc))
    workflows = _unique(checked, "流程编号", "workflow.duplicate-id", problems)
    checklist = _document(sources.checklist, Checklist, problems) if sources.checklist else None
    if checklist is not None:
        known = sorted(w.id for w in workflows)
        for index, item in enumerate(checklist.items):
            if item.workflow and item.workflow not in known:
                problems.append(Problem(sources.checklist.locate(("items", index, "workflow")), "checklist.unknown-workflow",
                                        f"未知流程编号「{item.workflow}」{_did_you_mean(item.workflow, known)}"))
    checked_schemes = [(s, doc) for doc in sources.schemes
                       if (s := _document(doc, scheme_model(doc.data), problems)) is not None]
    schemes = _unique(checked_schemes, "方案编号", "scheme.duplicate-id", problems)
    scheme_docs = {s.id: doc for s, doc in reversed(checked_schemes)}
    by_id = {branch.id: branch for branch in branches}
    broken = _broken_branch_ids(sources, [doc for branch, doc in parsed if branch is None]) - set(by_id)
    # Sheets of a scheme whose own file failed are skipped: that file's problems are already reported.
    failed_schemes = {str(doc.data.get("id")) for doc in sources.schemes if isinstance(doc.data, dict)} - set(scheme_docs)
    sheets = [s for source in sources.scores if source.scheme_id not in failed_schemes
              and (s := _score_sheet(source, {s.id: s for s in schemes}, by_id, broken, problems)) is not None]
    boxes = _boxes(sources.boxes, checklist, workflows, problems) if sources.boxes else None
    calendars = calendar_years(sources.calendars, problems)
    mistyped = {p.location.path for p in problems if p.code == "scores.unknown-branch"}
    problems.extend(check_schemes(scheme_docs, schemes, branches, sheets, calendars, broken, mistyped))
    if problems or organization is None:
        raise ProblemsFound(problems)
    chapters.sort(key=lambda c: (HANDBOOK_PARTS.index(c.meta.part), c.meta.order, c.slug))
    return Project(sources.root, organization, tuple(branches), tuple(chapters), tuple(workflows),
                   checklist, tuple(schemes), tuple(sorted(sheets, key=lambda s: (s.scheme_id, s.period))), boxes=boxes,
                   calendars=tuple(sorted(calendars, key=lambda c: c.year)))
