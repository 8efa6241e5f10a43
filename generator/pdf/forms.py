"""Turn a branch's year schedule and roster into the blank record forms of its handbook, with their copies.

A form is tied to a checklist item by the item's workflow (``MEETING_FORMS``,
``REGISTER_FORMS``), so the number of copies is the item's count in this
branch's schedule: 4 支部党员大会, 12 支委会 (none without a committee), 12 党小组会
per 党小组 … Forms are pre-filled where the data allows: who should attend and
the sign-in names, the 党费 register with one row per member per month (a
member admitted during the year from the month of admission), the 民主评议 and
学时 registers with the roster, 谈心谈话 with the pairs the rules require.

Meeting forms are laid out page by page (``forms.css`` uses the same
millimetre sizes as ``PageBudget``), so each copy takes a known number of pages
and the sign-in list moves to a page of its own only when it does not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from typing import NotRequired, TypedDict

from generator.compute.schedule import Occurrence, ScheduledItem
from generator.compute.views import View

# workflow id → (form title, kind); the kind picks the template macro.
MEETING_FORMS = {
    "dangyuan-dahui": ("支部党员大会会议记录", "assembly"),
    "zhiwei-hui": ("支部委员会会议记录", "committee"),
    "dangxiaozu-hui": ("党小组会会议记录", "group"),
    "dangke": ("党课记录", "lecture"),
    "zhuti-dangri": ("主题党日活动记录", "partyday"),
    "zuzhi-shenghuohui": ("组织生活会记录", "review"),
}
REGISTER_FORMS = {
    "minzhu-pingyi": ("民主评议党员情况登记表", "appraisal"),
    "tanxin-tanhua": ("谈心谈话记录", "talks"),
    "dangyuan-xuexi-peixun": ("党员学习培训登记", "training"),
    "dangfei-shoujiao": ("党费收缴登记", "dues"),
}
MEETING_ORDER = ("dangyuan-dahui", "zhiwei-hui", "dangxiaozu-hui", "dangke", "zhuti-dangri", "zuzhi-shenghuohui")
REGISTER_ORDER = ("minzhu-pingyi", "tanxin-tanhua", "dangyuan-xuexi-peixun", "dangfei-shoujiao")
TRAINING_HOURS, LEADER_TRAINING_HOURS = 32, 56   # 《中国共产党党员教育管理工作条例》: per year
SIGNIN_PER_ROW = 4
TALK_SPARE_ROWS = 6


@dataclass(frozen=True)
class PageBudget:
    """Heights in mm of the parts of a meeting form; the same numbers are in forms.css."""

    type_area: float = 225.0
    title: float = 20.0          # form title and its subtitle line
    field_row: float = 9.0       # one row of the heading table
    tall_row: float = 16.0       # 缺席人员及原因 …
    topics: float = 25.0         # 会议议题 (three written lines)
    label: float = 9.0           # a caption such as 「会议记录」
    line: float = 8.0            # one ruled writing line
    vote: float = 18.0           # 表决情况
    decision_lines: int = 4      # 决议 lines
    signatures: float = 14.0     # 主持人 / 记录人 signatures
    signin_row: float = 8.0
    slack: float = 6.0           # rounding of borders and the like

    def lines(self, used: float) -> int:
        return max(0, int((self.type_area - self.slack - used) // self.line))


BUDGET = PageBudget()
# Heading-table rows of each kind: (normal rows, tall rows, has a 议题 block); see forms.html.j2.
HEAD_ROWS = {"assembly": (5, 1, True), "committee": (5, 1, True), "group": (5, 1, True),
             "lecture": (5, 1, False), "partyday": (5, 1, False), "review": (5, 1, True)}
VOTING_KINDS = {"assembly", "committee", "group", "review"}


class Person(TypedDict):
    """A name on a form, with 「预备」 or a committee role after it (or nothing)."""

    name: str
    mark: str


class MeetingCopy(TypedDict):
    """One copy of a meeting form: one meeting of the year."""

    number: int
    label: str                          # the occurrence: 「第一季度」, 「3月」 …
    group: str | None                   # the 党小组 of a group meeting
    bookmark: str
    subtitle: str
    expected: int                       # who should attend
    chair: str
    note: str                           # the quorum rule, if any
    lines_first: int                    # ruled writing lines on page 1 and page 2
    lines_second: int
    signin_page: bool                   # the sign-in list has a page of its own
    signin: list[list[Person | None]]   # four names to a row
    voting: bool
    count: int                          # copies of this form in the year


class DuesMonth(TypedDict):
    """One collection of the 党费 register: the members on the roster by then."""

    number: int
    label: str
    bookmark: str
    rows: list[Person]
    joined: list[str]                   # admitted during the collection's months


class TalkRow(TypedDict):
    talker: str
    partner: str
    kind: str                           # 「支委之间」, 「支委与党员」 or "" (a spare row)


class TrainingRow(TypedDict):
    name: str
    hours: int                          # the yearly hours required of this member


class Appraisal(TypedDict):
    rows: list[Person]
    total: int
    full: int                           # 正式党员, who are appraised
    excellent_max: int                  # at most a third of them rated 优秀


class PlanMonth(TypedDict):
    name: str                           # 「3月」
    due: list[str]


class YearPlan(TypedDict):
    """The regular work of the year, as the 年度工作计划 lists it."""

    monthly: list[str]
    yearly: list[str]
    months: list[PlanMonth]


class PlanSection(TypedDict):
    """The 年度工作计划 (kind 「plan」)."""

    kind: str
    title: str
    count: int
    unit: str
    copies: list[MeetingCopy]           # none
    months: YearPlan


class MeetingSection(TypedDict):
    """A meeting form (the kinds of `MEETING_FORMS`) with a copy per meeting."""

    kind: str
    title: str
    copies: list[MeetingCopy]
    count: int
    unit: str
    basis: str | None
    frequency: str
    why_none: str | None                # why a form due in the year has no copies here


class RegisterSection(TypedDict):
    """A register (the kinds of `REGISTER_FORMS`); each kind adds its own keys."""

    kind: str
    title: str
    count: int
    unit: str
    basis: str | None
    frequency: str
    why_none: str | None                # why a form due in the year has no copies here
    copies: list[DuesMonth]             # dues: one per collection; the others none
    rows: NotRequired[list[TalkRow] | list[TrainingRow] | list[Person]]   # talks, training, appraisal
    sessions: NotRequired[list[str]]    # training
    total: NotRequired[int]             # appraisal: see `Appraisal`
    full: NotRequired[int]
    excellent_max: NotRequired[int]


class SummarySection(TypedDict):
    """The 年度工作总结 (kind 「summary」)."""

    kind: str
    title: str
    count: int
    unit: str
    copies: list[MeetingCopy]           # none


# A record form of the handbook: each has kind, title, count, unit and copies.
FormSection = PlanSection | MeetingSection | RegisterSection | SummarySection


def _first_page_lines(kind: str) -> int:
    rows, tall, topics = HEAD_ROWS[kind]
    used = BUDGET.title + rows * BUDGET.field_row + tall * BUDGET.tall_row + (BUDGET.topics if topics else 0)
    return BUDGET.lines(used + BUDGET.label)


def _second_page(kind: str, signers: int) -> tuple[int, bool]:
    """Writing lines on page 2, and whether the sign-in list gets a page of its own."""
    closing = BUDGET.label + BUDGET.decision_lines * BUDGET.line + BUDGET.signatures
    if kind in VOTING_KINDS:
        closing += BUDGET.vote
    if kind == "review":   # its third page holds the 整改清单 and the sign-in list
        return BUDGET.lines(BUDGET.label + closing), True
    signin = BUDGET.label + -(-signers // SIGNIN_PER_ROW) * BUDGET.signin_row
    with_signin = BUDGET.lines(BUDGET.label + closing + signin)
    if with_signin >= 5:
        return with_signin, False
    return BUDGET.lines(BUDGET.label + closing), True


def _signin_rows(people: list[Person]) -> list[list[Person | None]]:
    """Names in reading order, four to a row; the last row padded with blanks."""
    padded: list[Person | None] = [*people, *[None] * (-len(people) % SIGNIN_PER_ROW)]
    return [padded[i:i + SIGNIN_PER_ROW] for i in range(0, len(padded), SIGNIN_PER_ROW)]


def _people(members: list[View]) -> list[Person]:
    return [{"name": m["name"], "mark": "预备" if m["status"] == "预备" else ""} for m in members]


def _meeting_copy(kind: str, occurrence: Occurrence, branch: View, year: int, count: int) -> MeetingCopy:
    members = branch["members"]
    chair, expected, note = "", len(members), ""
    people: list[Person]
    if kind == "committee":
        people = [{"name": p["name"], "mark": p["role"]} for p in branch["committee"]["members"]]
        expected = len(people)
        note = f"支委会须有半数以上委员到会（本届支委{expected}人，至少{expected // 2 + 1}人到会）"
    elif kind == "group":
        group = next(g for g in branch["groups"] if g["name"] == occurrence.group)
        people = _people([m for m in members if m["group"] == occurrence.group])
        expected, chair = len(people), f"{group['leader']}（组长）"
    else:
        people = _people(members)
    if kind == "assembly":
        full = sum(m["status"] == "正式" for m in members)
        note = (f"有表决权的正式党员{full}人，到会须超过半数（至少{full // 2 + 1}人）；"
                "预备党员列席，没有表决权")
    lines_second, signin_page = _second_page(kind, len(people))
    subtitle = f"{year}年　第{occurrence.number}次（{occurrence.label}）"
    if occurrence.group:
        subtitle = f"{occurrence.group}　{subtitle}"
    return {"number": occurrence.number, "label": occurrence.label, "group": occurrence.group,
            "bookmark": f"{occurrence.group + ' ' if occurrence.group else ''}第{occurrence.number}次（{occurrence.label}）",
            "subtitle": subtitle, "expected": expected, "chair": chair, "note": note,
            "lines_first": _first_page_lines(kind), "lines_second": lines_second,
            "signin_page": signin_page, "signin": _signin_rows(people), "voting": kind in VOTING_KINDS,
            "count": count}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _dues_months(branch: View, year: int, months: list[Occurrence]) -> list[DuesMonth]:
    """One table per collection: every member on the roster by then (预备党员 pay from admission)."""
    result: list[DuesMonth] = []
    for occurrence in months:
        end = _month_end(year, occurrence.last_month)
        payers = [m for m in branch["members"] if m["joined_on"] <= end]
        result.append({"number": occurrence.number, "label": occurrence.label,
                       "bookmark": f"{year}年{occurrence.label}", "rows": _people(payers),
                       "joined": [m["name"] for m in payers if m["joined_on"].year == year
                                  and m["joined_on"].month in occurrence.months]})
    return result


def _talk_rows(branch: View) -> list[TalkRow]:
    """Committee member pairs, then every other member with a committee member still to be named."""
    committee = [p["name"] for p in branch["committee"]["members"]]
    rows: list[TalkRow] = [{"talker": a, "partner": b, "kind": "支委之间"} for a, b in combinations(committee, 2)]
    rows += [{"talker": "", "partner": m["name"], "kind": "支委与党员"}
             for m in branch["members"] if m["name"] not in committee]
    spare: TalkRow = {"talker": "", "partner": "", "kind": ""}
    return rows + [spare] * TALK_SPARE_ROWS


def _training_rows(branch: View) -> list[TrainingRow]:
    leaders = {p["name"] for p in branch["committee"]["members"]}
    return [{"name": m["name"], "hours": LEADER_TRAINING_HOURS if m["name"] in leaders else TRAINING_HOURS}
            for m in branch["members"]]


def _appraisal(branch: View) -> Appraisal:
    full = [m for m in branch["members"] if m["status"] == "正式"]
    return {"rows": _people(branch["members"]), "total": len(branch["members"]), "full": len(full),
            "excellent_max": len(full) // 3}


def _meeting_section(workflow: str, scheduled: ScheduledItem, branch: View, year: int) -> MeetingSection:
    title, kind = MEETING_FORMS[workflow]
    copies = [_meeting_copy(kind, occurrence, branch, year, scheduled.count) for occurrence in scheduled.occurrences]
    return {"kind": kind, "title": title, "copies": copies, "count": len(copies), "unit": "份",
            "basis": scheduled.item.basis, "frequency": scheduled.item.frequency, "why_none": scheduled.note}


def _register_section(workflow: str, scheduled: ScheduledItem, branch: View, year: int) -> RegisterSection:
    title, kind = REGISTER_FORMS[workflow]
    section: RegisterSection = {"kind": kind, "title": title, "count": 1, "unit": "份", "basis": scheduled.item.basis,
                               "frequency": scheduled.item.frequency, "why_none": scheduled.note, "copies": []}
    if kind == "dues":
        section["copies"] = _dues_months(branch, year, list(scheduled.occurrences))
        section["count"] = len(section["copies"])
        section["unit"] = "个月"
    elif kind == "talks":
        section["rows"] = _talk_rows(branch)
    elif kind == "training":
        section["rows"] = _training_rows(branch)
        section["sessions"] = [o.label for o in scheduled.occurrences]
    elif kind == "appraisal":
        appraisal = _appraisal(branch)   # its keys in this order, after the common ones
        section["rows"], section["total"] = appraisal["rows"], appraisal["total"]
        section["full"], section["excellent_max"] = appraisal["full"], appraisal["excellent_max"]
    return section


def record_forms(schedule: tuple[ScheduledItem, ...], branch: View, year: int) -> list[FormSection]:
    """The blank record forms of one branch's handbook, in the order of a working year.

    `branch` is the internal view (names, status, group, joined_on of each member).
    A meeting form whose item is not in the schedule, or not due in this branch,
    is left out; the 年度工作计划 and 年度工作总结 are always there.
    """
    by_workflow = {s.item.workflow: s for s in schedule if s.item.workflow}
    plan: PlanSection = {"kind": "plan", "title": f"{year}年度工作计划", "count": 1, "unit": "份", "copies": [],
                         "months": _plan_months(schedule)}
    forms: list[FormSection] = [plan]
    for workflow in MEETING_ORDER:
        scheduled = by_workflow.get(workflow)
        if scheduled is not None and scheduled.count:
            forms.append(_meeting_section(workflow, scheduled, branch, year))
    for workflow in REGISTER_ORDER:
        scheduled = by_workflow.get(workflow)
        if scheduled is not None and (scheduled.count or workflow != "dangfei-shoujiao"):
            forms.append(_register_section(workflow, scheduled, branch, year))
    summary: SummarySection = {"kind": "summary", "title": f"{year}年度工作总结", "count": 1, "unit": "份", "copies": []}
    forms.append(summary)
    return forms


SHORTENED_VERBS = ("召开", "开展", "组织", "制定", "形成")


def short_name(name: str) -> str:
    """「召开支部委员会会议」→「支部委员会会议」: the item without its verb, for the crowded plan table."""
    for verb in SHORTENED_VERBS:
        if name.startswith(verb) and len(name) > len(verb) + 1:
            return name[len(verb):]
    return name


def _plan_months(schedule: tuple[ScheduledItem, ...]) -> YearPlan:
    """The regular work of the year for the 年度工作计划: what recurs every month, what once a year, and by month
    the rest (an item due once a quarter or half-year is listed in the period's last month)."""
    monthly = [s for s in schedule if s.occurrences and len({o.first_month for o in s.occurrences}) == 12]
    yearly = [s for s in schedule if s.occurrences and len({o.first_month for o in s.occurrences}) == 1]
    rest = [s for s in schedule if s not in monthly and s not in yearly]
    months: list[PlanMonth] = [{"name": f"{month}月", "due": [short_name(s.item.name) for s in rest
                                              if month in {o.last_month for o in s.occurrences}]}
              for month in range(1, 13)]
    return {"monthly": [short_name(s.item.name) for s in monthly],
            "yearly": [short_name(s.item.name) for s in yearly], "months": months}
