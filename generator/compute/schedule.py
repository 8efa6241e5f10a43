"""Turn the 定期定量工作指标一览表 into one branch's schedule for the year: every occurrence of every item.

The checklist says how often an item recurs (`per_year`); the branch decides
how many of them it holds: a 党小组会 per 党小组, no 支委会 for a branch that
only has a 书记 (fewer than 7 正式党员 elect no committee). The branch is
recognized by the workflow an item is linked to, so renaming an item in the
checklist changes nothing. Occurrences are spread evenly over the year: the
k-th of n falls in the k-th n-th of the year (a quarterly item in months 1–3,
4–6 …). The record forms, the 卷内目录 and the 一览表 all count from here, so the
three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.models import Branch
from generator.models.content import Checklist, ChecklistItem
from generator.periods import HALVES, QUARTERS

GROUP_MEETING = "dangxiaozu-hui"
COMMITTEE_MEETING = "zhiwei-hui"
MIN_COMMITTEE = 3   # a 支部委员会 has at least 3 members; below that the branch has only a 书记


@dataclass(frozen=True)
class Occurrence:
    """One time an item is due: its number within the item, the months it falls in, and for whom."""

    number: int
    label: str
    first_month: int
    last_month: int
    group: str | None = None

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)


@dataclass(frozen=True)
class ScheduledItem:
    item: ChecklistItem
    occurrences: tuple[Occurrence, ...]
    note: str | None = None

    @property
    def count(self) -> int:
        return len(self.occurrences)


def period_label(index: int, count: int) -> str:
    """「3月」「第二季度」「下半年」「全年」, or 「第5次」 when the count does not divide the year evenly."""
    if count == 12:
        return f"{index + 1}月"
    if count == 4:
        return QUARTERS[index]
    if count == 2:
        return HALVES[index]
    if count == 1:
        return "全年"
    return f"第{index + 1}次"


def spread(count: int, group: str | None = None) -> tuple[Occurrence, ...]:
    """`count` occurrences spread evenly over the twelve months."""
    result = []
    for index in range(count):
        first = 1 + index * 12 // count
        last = max(first, (index + 1) * 12 // count)
        result.append(Occurrence(index + 1, period_label(index, count), first, last, group))
    return tuple(result)


def has_committee(branch: Branch) -> bool:
    return len(branch.committee.members) >= MIN_COMMITTEE


def _scheduled(item: ChecklistItem, branch: Branch) -> ScheduledItem:
    if item.workflow == GROUP_MEETING:
        if not branch.groups:
            return ScheduledItem(item, (), "本支部未划分党小组")
        occurrences = tuple(occurrence for group in branch.groups for occurrence in spread(item.per_year, group.name))
        return ScheduledItem(item, occurrences, f"{len(branch.groups)}个党小组各{item.per_year}次")
    if item.workflow == COMMITTEE_MEETING and not has_committee(branch):
        return ScheduledItem(item, (), "本支部不设支部委员会，由书记主持工作")
    return ScheduledItem(item, spread(item.per_year))


def branch_schedule(checklist: Checklist | None, branch: Branch) -> tuple[ScheduledItem, ...]:
    """Every checklist item with this branch's occurrences, in checklist order (按需 items have none)."""
    if checklist is None:
        return ()
    return tuple(_scheduled(item, branch) for item in checklist.items)
