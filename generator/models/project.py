"""Describe a validated project: everything the later stages need, in plain objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.models.boxes import BoxesConfig
from generator.models.branch import Branch
from generator.models.calendar import CalendarYear
from generator.models.content import ChapterMeta, Checklist, Workflow
from generator.models.organization import Organization
from generator.models.schemes import AnyScheme


@dataclass(frozen=True)
class Chapter:
    slug: str
    meta: ChapterMeta
    body: str
    path: str


@dataclass(frozen=True)
class ScoreRow:
    branch_id: str
    values: dict[str, float]
    member: str | None = None


@dataclass(frozen=True)
class ScoreSheet:
    scheme_id: str
    period: str
    path: str
    rows: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class Project:
    root: Path
    organization: Organization
    branches: tuple[Branch, ...]
    chapters: tuple[Chapter, ...] = ()
    workflows: tuple[Workflow, ...] = ()
    checklist: Checklist | None = None
    schemes: tuple[AnyScheme, ...] = ()
    scores: tuple[ScoreSheet, ...] = field(default=())
    calendars: tuple[CalendarYear, ...] = ()
    boxes: BoxesConfig | None = None

    def branch(self, branch_id: str) -> Branch:
        return next(b for b in self.branches if b.id == branch_id)
