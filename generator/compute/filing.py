"""Turn a branch's year (schedule, workflows, applicants, honours, assessments) into the 卷内目录 of its five boxes.

Each box's inventory lists, in this order: the yearly documents named in
``content/boxes.yml``; one row per occurrence of every scheduled item filed in
the box (dated with its month or period, named after the documents its workflow
files there); the documents of an event due this year (换届 when the committee's
term ends); per applicant (一人一档) the records their 发展党员 steps have
produced so far, are producing, and will produce next; the year's honours and
assessment results. The 责任者 of a workflow document follows who carries out
the step: the person for 申请人 … , the branch for its organs, the higher
committee for 基层党委 ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from generator.compute.recruitment import MILESTONES, recruitment_status
from generator.compute.schedule import ScheduledItem
from generator.models import Branch, Organization, Workflow
from generator.models.boxes import BoxDocument, BoxesConfig, FilingBox
from generator.models.content import ACTOR_GROUPS, Step
from generator.models.project import ScoreSheet
from generator.models.schemes import Scheme
from generator.periods import dotted_date, dotted_months, period_label, period_year

RECRUITMENT_WORKFLOW = "fazhan-dangyuan"
DONE, ONGOING, NEXT = "已形成", "进行中", "下一步"


@dataclass(frozen=True)
class InventoryRow:
    """One line of a 卷内目录; a heading row groups the rows of one applicant."""

    title: str
    author: str = ""
    date: str = ""
    note: str = ""
    heading: bool = False

    def as_dict(self) -> InventoryLine:
        return InventoryLine(title=self.title, author=self.author, date=self.date, note=self.note, heading=self.heading)


class InventoryLine(TypedDict):
    """An `InventoryRow` as plain data (the print context)."""

    title: str
    author: str
    date: str
    note: str
    heading: bool


@dataclass(frozen=True)
class Inventory:
    number: int
    box: FilingBox
    spine_width_mm: float
    rows: tuple[InventoryRow, ...]

    @property
    def documents(self) -> int:
        """How many documents are pre-listed (heading rows excluded)."""
        return sum(not row.heading for row in self.rows)


@dataclass(frozen=True)
class FilingYear:
    """Everything about the branch's year that the inventories draw on."""

    organization: Organization
    branch: Branch
    schedule: tuple[ScheduledItem, ...]
    workflows: dict[str, Workflow]
    scores: tuple[ScoreSheet, ...] = ()
    schemes: dict[str, Scheme] | None = None


def _actor_author(step: Step, year: FilingYear, person: str = "") -> str:
    group = next((g for g, actors in ACTOR_GROUPS.items() if step.actor in actors), "支部")
    if group == "个人":
        return person or year.branch.short_name
    if group == "上级":
        return year.organization.short_name
    return year.branch.short_name


def _author(rule: BoxDocument, year: FilingYear) -> str:
    return {"本支部": year.branch.short_name, "上级": year.organization.short_name, "个人": ""}[rule.author]


def _period_date(year: int, first: int, last: int, count: int) -> str:
    return str(year) if count == 1 else dotted_months(year, first, last)


def _outputs(workflow: Workflow | None, box: str) -> list[tuple[Step, str]]:
    if workflow is None:
        return []
    seen, result = set(), []
    for step in workflow.steps:
        for document in step.outputs:
            if document.box == box and document.name not in seen:
                seen.add(document.name)
                result.append((step, document.name))
    return result


def _subject(workflow: Workflow) -> str:
    """「支部委员会会议工作流程」→「支部委员会会议」: what the documents of one run are about."""
    return re.sub(r"(工作)?流程$", "", workflow.title)


def _scheduled_rows(box: FilingBox, year: FilingYear) -> list[tuple[int, int, InventoryRow]]:
    """(first month, checklist position, row) for every occurrence of an item filed in this box."""
    overrides = {rule.schedule: rule for rule in box.documents if rule.schedule}
    rows = []
    for position, scheduled in enumerate(year.schedule):
        item = scheduled.item
        rule = overrides.get(item.name)
        if (item.box != box.name and rule is None) or (rule is not None and rule.skip):
            continue
        workflow = year.workflows.get(item.workflow or "")
        outputs = _outputs(workflow, box.name)
        name = (rule.name if rule and rule.name
                else f"{_subject(workflow)}：{'、'.join(n for _, n in outputs)}" if workflow and outputs else item.name)
        author = _author(rule, year) if rule else year.branch.short_name
        for occurrence in scheduled.occurrences:
            title = f"{occurrence.group}：{name}" if occurrence.group else name
            date = _period_date(year.organization.year, occurrence.first_month, occurrence.last_month,
                                len(scheduled.occurrences) // max(1, len({o.group for o in scheduled.occurrences})))
            rows.append((occurrence.first_month, position, InventoryRow(title, author, date)))
    return rows


def _term_ends(year: FilingYear) -> bool:
    return year.branch.committee.term_end.year == year.organization.year


def _rule_rows(box: FilingBox, year: FilingYear, when: str) -> list[InventoryRow]:
    rows: list[InventoryRow] = []
    for rule in box.documents:
        if rule.schedule or rule.when != when or (when == "换届" and not _term_ends(year)):
            continue
        if rule.workflow:
            note = f"本届任期{year.branch.committee.term_end:%Y.%m.%d}届满" if when == "换届" else ""
            rows.extend(InventoryRow(name, _actor_author(step, year), note=note)
                        for step, name in _outputs(year.workflows.get(rule.workflow), box.name))
        else:
            rows.append(InventoryRow(rule.name or "", _author(rule, year), str(year.organization.year)))
    return rows


def _applicant_rows(box: FilingBox, year: FilingYear) -> list[InventoryRow]:
    """一人一档: per applicant, the records of the 发展党员 steps reached, in progress and next.

    A sub-step (「23（一）」) goes with its main step: done when that is done, in progress while it is next.
    """
    workflow = year.workflows.get(RECRUITMENT_WORKFLOW)
    if workflow is None:
        return []
    numbers, labels = workflow.step_numbers(), workflow.step_labels()
    rows = []
    for applicant in year.branch.applicants:
        status = recruitment_status(applicant, year.organization.as_of)
        dated = {number: getattr(applicant, name) for number, name in MILESTONES.items()}
        ongoing = {number for number, _ in status["in_progress"]}
        rows.append(InventoryRow(f"{applicant.name}（{status['stage']}，第{status['step']}步）", heading=True))
        for step in workflow.steps:
            number, substep = numbers[step.id], step.part_of is not None
            if number <= status["step"]:
                state, date = DONE, "" if substep else dotted_date(dated.get(number))
            elif number in ongoing or (substep and number == status["next_step"]):
                state, date = ONGOING, ""
            elif number == status["next_step"]:
                state = NEXT
                date = f"最迟{dotted_date(status['latest'])}" if status["latest"] else (
                    f"不早于{dotted_date(status['earliest'])}" if status["earliest"] else "")
            else:
                continue
            names = [d.name for d in step.outputs if d.box == box.name]
            if names:
                rows.append(InventoryRow(f"{applicant.name}　{'、'.join(names)}（第{labels[step.id]}步）",
                                         _actor_author(step, year, applicant.name), date, state))
    return rows


def _honour_rows(year: FilingYear) -> list[InventoryRow]:
    return [InventoryRow(f"荣誉证书、表彰文件：{h.title}" + (f"（{h.recipient}）" if h.recipient else ""),
                         h.awarded_by, str(h.year))
            for h in year.branch.honours if h.year == year.organization.year]


def _assessment_rows(year: FilingYear) -> list[InventoryRow]:
    rows = []
    for sheet in year.scores:
        if not sheet.period.startswith(str(year.organization.year)):
            continue
        if any(row.branch_id == year.branch.id for row in sheet.rows):
            scheme = (year.schemes or {}).get(sheet.scheme_id)
            name = scheme.name if scheme else sheet.scheme_id
            rows.append(InventoryRow(f"「{name}」考核结果（{period_label(sheet.period)}）",
                                     year.organization.short_name, str(period_year(sheet.period))))
    return rows


def box_inventory(number: int, box: FilingBox, config: BoxesConfig, year: FilingYear) -> Inventory:
    """The pre-filled 卷内目录 of one box."""
    rows = _rule_rows(box, year, "每年")
    rows += [row for _, _, row in sorted(_scheduled_rows(box, year), key=lambda entry: entry[:2])]
    rows += _rule_rows(box, year, "换届")
    if box.applicants:
        rows += _applicant_rows(box, year)
    if box.honours:
        rows += _honour_rows(year)
    if box.assessments:
        rows += _assessment_rows(year)
    return Inventory(number, box, config.width_of(box), tuple(rows))


def box_inventories(config: BoxesConfig, year: FilingYear) -> tuple[Inventory, ...]:
    """The five boxes' inventories, numbered in the order of ``content/boxes.yml``."""
    return tuple(box_inventory(number, box, config, year) for number, box in enumerate(config.boxes, start=1))
