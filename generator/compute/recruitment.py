"""Turn an applicant's recorded dates into where they stand in the 25 steps of 发展党员, what comes next and when.

Pure functions, no I/O. The time rules are those of 《中国共产党发展党员工作细则》
(2014) plus the common local rules the handbook's 发展党员 workflow marks as
such; `tests/test_recruitment.py` checks that both say the same.

Periods follow the civil-law convention (民法典 第二百零一、二百零二条): the day
of the event is not counted, and a period of months or years ends on the
corresponding day of the last month, or on that month's last day when it has
no such day. So 1个月 from 01-31 ends on 02-28 (02-29 in a leap year), 1年 from
2024-02-29 ends on 2025-02-28, and 1年 of 培养考察 from 2024-03-01 is complete on
2025-03-01 — the same reading that makes a 预备党员 admitted on 2023-07-01 due
for 转正 on 2024-07-01. A deadline falling on a holiday is *not* moved to the
next working day (第二百零三条 would allow it): without the holiday calendar the
earlier, safe date is shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypedDict

from generator.periods import chinese_date
from generator.models.branch import PIPELINE_STAGES, Applicant
from generator.models.content import duration_parts, substep_label

STEP_NAMES = (
    "递交入党申请书", "党组织派人谈话", "推荐和确定入党积极分子", "上级党委备案", "指定培养联系人",
    "培养教育考察", "确定发展对象", "报上级党委备案", "确定入党介绍人", "进行政治审查", "开展集中培训",
    "支部委员会审查", "上级党委预审", "填写入党志愿书", "支部党员大会讨论", "上级党委派人谈话",
    "上级党委审批", "再上一级党委组织部门备案", "编入党支部和党小组", "入党宣誓", "继续教育考察",
    "提出转正申请", "支部党员大会讨论转正", "上级党委审批转正", "材料归档",
)
# Numbers of the steps the code reasons about (the main steps of the workflow, from 1).
FULL_MEETING, FULL_APPROVAL, ARCHIVE = 23, 24, len(STEP_NAMES)
# Main step → the names of its sub-steps: the procedures of 细则第三十三条 that prepare the 支部大会 on 转正.
# They have no recorded dates and no number of their own; while their main step is next they are in progress.
SUBSTEPS: dict[int, tuple[str, ...]] = {FULL_MEETING: ("党小组提出意见", "党支部征求党员和群众意见", "支部委员会审查转正")}
PHASES = ((1, "申请入党"), (3, "入党积极分子的确定和培养教育"), (7, "发展对象的确定和考察"),
          (12, "预备党员的接收"), (19, "预备党员的教育考察和转正"))

# Step number → the Applicant field holding the date it was reached.
MILESTONES = {1: "applied_on", 2: "talked_on", 3: "activist_on", 7: "candidate_on", 13: "pre_reviewed_on",
              15: "admitted_on", 17: "approved_on", 22: "full_applied_on", FULL_MEETING: "full_meeting_on",
              FULL_APPROVAL: "full_approved_on"}
PROBATION = "1年"
EXTENSION_MIN, EXTENSION_MAX = "6个月", "1年"

FlagKind = Literal["逾期", "顺序异常", "到期"]


class Flag(TypedDict):
    """A date that breaks a time rule (顺序异常), a step past its deadline (逾期) or a 转正 that is due (到期)."""

    kind: FlagKind
    step: int
    local: bool     # the rule broken is a common local rule, not one of 细则
    text: str       # 中文说明, with the rule in brackets


class RecruitmentFields(TypedDict):
    """What a `RecruitmentStatus` says besides the steps in progress (the print context words those its own way)."""

    name: str
    stage: str                              # 入党申请人 … 正式党员, counting only dates up to that day
    phase: str                              # the 细则 chapter of the current step
    step: int                               # the last step with a recorded date (1 when none)
    step_name: str
    step_date: dt.date | None
    preparing: list[tuple[str, str]]        # (label such as 「23（一）」, name) of the next step's sub-steps
    next_step: int | None
    next_name: str | None
    earliest: dt.date | None                # when the next step may be taken at the earliest
    latest: dt.date | None                  # and at the latest
    rule: str | None                        # the time rule of the next step
    rule_is_local: bool
    probation_end: dt.date | None
    flags: list[Flag]


class RecruitmentStatus(RecruitmentFields):
    """Where an applicant stands on a day: what `recruitment_status` gives the print context and the filing lists."""

    in_progress: list[tuple[int, str]]      # (number, name) of the main steps between the current and the next one


@dataclass(frozen=True)
class Rule:
    """A computable time rule: step `step` at least `min` / at most `max` after step `after`."""

    step: int
    after: int
    text: str
    min: str | None = None
    max: str | None = None
    local: bool = False


RULES = (
    Rule(2, 1, "党组织收到入党申请书后 1 个月内派人谈话", max="1个月"),
    Rule(3, 1, "递交入党申请书 3 个月以上方可确定为入党积极分子", min="3个月", local=True),
    Rule(7, 3, "经过 1 年以上培养教育和考察方可确定为发展对象", min="1年"),
    Rule(15, 13, "预审后 1 个月内召开支部党员大会", max="1个月", local=True),
    Rule(17, 15, "支部大会通过后 3 个月内审批（特殊情况不超过 6 个月）", max="3个月"),
    Rule(FULL_MEETING, 15, "预备期满（1 年）后讨论转正，不得提前", min=PROBATION),
    Rule(FULL_APPROVAL, FULL_MEETING, "支部大会讨论后 3 个月内审批", max="3个月"),
)


def add_period(start: dt.date, duration: str) -> dt.date | None:
    """The last day of a period of `duration` (「3个月」「1年」「7天」「2周」) counted from the day after `start`.

    Working days need the holiday calendar, so 「5个工作日」 gives None.
    """
    amount, unit = duration_parts(duration)
    if unit == "天":
        return start + dt.timedelta(days=amount)
    if unit == "周":
        return start + dt.timedelta(weeks=amount)
    if unit in ("个月", "年"):
        year, month = divmod(start.month - 1 + amount * (12 if unit == "年" else 1), 12)
        year += start.year
        return dt.date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))
    return None


def _dated(applicant: Applicant, as_of: dt.date) -> dict[int, dt.date]:
    """Step number → recorded date, for steps reached on or before `as_of`."""
    dates = {step: getattr(applicant, name) for step, name in MILESTONES.items()}
    return {step: date for step, date in dates.items() if date is not None and date <= as_of}


def probation_end(applicant: Applicant) -> dt.date | None:
    """The day the 预备期 is complete: 1 year after the 支部大会, or the extended end."""
    if applicant.admitted_on is None:
        return None
    return applicant.probation_extended_to or add_period(applicant.admitted_on, PROBATION)


def _window(rule: Rule, dates: dict[int, dt.date], applicant: Applicant) -> tuple[dt.date | None, dt.date | None]:
    start = dates.get(rule.after)
    if start is None:
        return None, None
    earliest = add_period(start, rule.min) if rule.min else None
    if rule.step == FULL_MEETING:
        earliest = probation_end(applicant)
    return earliest, add_period(start, rule.max) if rule.max else None


def _fixed_period(start: dt.date, duration: str) -> dt.date:
    """`add_period` for the durations this module names itself, all in months or years."""
    end = add_period(start, duration)
    assert end is not None, f"{duration} is not a calendar period"
    return end


def _flag(kind: FlagKind, step: int, text: str, rule: Rule | None = None) -> Flag:
    suffix = f"（{rule.text}{'；本地常见做法' if rule.local else ''}）" if rule else ""
    return {"kind": kind, "step": step, "local": bool(rule and rule.local), "text": text + suffix}


def _recorded_flags(dates: dict[int, dt.date], applicant: Applicant) -> list[Flag]:
    """Steps whose recorded dates break a time rule."""
    flags = []
    for rule in RULES:
        date = dates.get(rule.step)
        earliest, latest = _window(rule, dates, applicant)
        name = STEP_NAMES[rule.step - 1]
        if date is not None and earliest is not None and date < earliest:
            flags.append(_flag("顺序异常", rule.step, f"「{name}」（{chinese_date(date)}）早于最早日期 {chinese_date(earliest)}", rule))
        if date is not None and latest is not None and date > latest:
            flags.append(_flag("逾期", rule.step, f"「{name}」（{chinese_date(date)}）晚于时限 {chinese_date(latest)}", rule))
    return flags


def _extension_flags(applicant: Applicant) -> list[Flag]:
    if applicant.probation_extended_to is None or applicant.admitted_on is None:
        return []
    normal = _fixed_period(applicant.admitted_on, PROBATION)
    shortest, longest = _fixed_period(normal, EXTENSION_MIN), _fixed_period(normal, EXTENSION_MAX)
    if shortest <= applicant.probation_extended_to <= longest:
        return []
    return [_flag("顺序异常", FULL_APPROVAL,
                  f"延长预备期至 {chinese_date(applicant.probation_extended_to)}，应在 {chinese_date(shortest)}至"
                  f"{chinese_date(longest)}之间（延长时间不少于半年、不超过 1 年）")]


def _future_flags(applicant: Applicant, as_of: dt.date) -> list[Flag]:
    return [_flag("顺序异常", step,
                  f"「{STEP_NAMES[step - 1]}」的日期 {chinese_date(getattr(applicant, name))}晚于统计日期 {chinese_date(as_of)}")
            for step, name in MILESTONES.items()
            if getattr(applicant, name) is not None and getattr(applicant, name) > as_of]


def _next_step(current: int) -> int | None:
    later = [step for step in (*MILESTONES, ARCHIVE) if step > current]
    return later[0] if later else None


def _phase(step: int) -> str:
    return [name for first, name in PHASES if first <= step][-1]


def _pending(next_step: int | None, dates: dict[int, dt.date], applicant: Applicant,
             as_of: dt.date) -> tuple[dt.date | None, dt.date | None, Rule | None, list[Flag]]:
    """Earliest and latest date of the next step, its rule, and a flag when it is overdue."""
    rule = next((r for r in RULES if r.step == next_step), None)
    if rule is None:
        return None, None, None, []
    earliest, latest = _window(rule, dates, applicant)
    if latest is None or as_of <= latest:
        return earliest, latest, rule, []
    late = (f"未记录「{STEP_NAMES[rule.step - 1]}」的日期；按时限应在 {chinese_date(latest)}前完成，"
            f"已过 {(as_of - latest).days} 天")
    return earliest, latest, rule, [_flag("逾期", rule.step, late, rule)]


def _due_flags(dates: dict[int, dt.date], applicant: Applicant, as_of: dt.date) -> list[Flag]:
    """The 预备期 is over but the 支部大会 has not yet discussed 转正."""
    end = probation_end(applicant)
    if 15 not in dates or FULL_MEETING in dates or end is None or as_of < end:
        return []
    return [_flag("到期", FULL_MEETING, f"预备期已于 {chinese_date(end)}期满，应及时召开支部党员大会讨论转正")]


def recruitment_status(applicant: Applicant, as_of: dt.date) -> RecruitmentStatus:
    """Where the applicant stands on `as_of`: current and next step, the next step's dates, and flags."""
    dates = _dated(applicant, as_of)
    current = max(dates) if dates else 1
    upcoming = _next_step(current)
    earliest, latest, rule, due = _pending(upcoming, dates, applicant, as_of)
    flags = (_future_flags(applicant, as_of) + _recorded_flags(dates, applicant) + _extension_flags(applicant)
             + due + _due_flags(dates, applicant, as_of))
    return {
        "name": applicant.name,
        "stage": stage_on(applicant, as_of),
        "phase": _phase(current),
        "step": current,
        "step_name": STEP_NAMES[current - 1],
        "step_date": dates.get(current),
        "in_progress": [(n, STEP_NAMES[n - 1]) for n in range(current + 1, upcoming or current + 1)],
        "preparing": [(substep_label(upcoming, position), name)
                      for position, name in enumerate(SUBSTEPS.get(upcoming, ()), start=1)] if upcoming else [],
        "next_step": upcoming,
        "next_name": STEP_NAMES[upcoming - 1] if upcoming else None,
        "earliest": earliest,
        "latest": latest,
        "rule": rule.text if rule else None,
        "rule_is_local": bool(rule and rule.local),
        "probation_end": probation_end(applicant),
        "flags": sorted(flags, key=lambda f: (f["step"], f["kind"])),
    }


def stage_on(applicant: Applicant, as_of: dt.date) -> str:
    """The applicant's stage counting only dates on or before `as_of`."""
    dates = _dated(applicant, as_of)
    for step, stage in ((FULL_APPROVAL, "正式党员"), (15, "预备党员"), (7, "发展对象"), (3, "入党积极分子")):
        if step in dates:
            return stage
    return "入党申请人"


def stage_counts(applicants: Iterable[Applicant], as_of: dt.date) -> dict[str, int]:
    """How many applicants are at each pipeline stage on `as_of` (those already 正式党员 counted apart)."""
    counts = dict.fromkeys((*PIPELINE_STAGES, "正式党员"), 0)
    for applicant in applicants:
        if applicant.applied_on <= as_of:
            counts[stage_on(applicant, as_of)] += 1
    return counts
