"""Turn a validated project's score sheets into results per scheme and period, and results into audience views.

`compute_results` is the one entry: it builds item tables from the score
sheets and hands them to the engine of each scheme's kind (one module per
family). `results_view` keeps only the columns an audience may see — the same
privacy classes as the data models: individual member points and a
secretary's pay-back are `internal` and never reach the public site.
"""

from __future__ import annotations

import math
from typing import Literal, TypedDict

import numpy as np
import pandas as pd

from generator.compute.participants import scored_people
from generator.compute.scoring.common import Column, ColumnKind, PeriodResult, SchemeResults
from generator.compute.scoring.five_step import compute_five_step, five_step_columns
from generator.compute.scoring.grading import compute_grading, grading_columns
from generator.periods import period_label, period_year
from generator.compute.scoring.points import (
    compute_points, points_columns, points_summary_columns, summarize_points,
)
from generator.compute.scoring.red_flag import compute_red_flag, red_flag_columns
from generator.compute.scoring.tiered import compute_tiered, tiered_columns
from generator.models import Project, ScoreSheet
from generator.models.common import VISIBLE_TO, Audience, Privacy
from generator.models.schemes import (
    SCHEME_KINDS, FiveStepScheme, GradingScheme, PointsScheme, RedFlagScheme, Scheme, SchemeKind, TieredScheme,
)

__all__ = ["Cell", "Column", "ColumnView", "PeriodResult", "PeriodView", "ResultRow", "SchemeResults", "SchemeView",
           "compute_results", "results_view"]


def item_table(sheet: ScoreSheet, scheme: Scheme) -> pd.DataFrame:
    """One row per branch (index branch_id), one column per scored item; blank scores count 0."""
    ids = [item.id for item in scheme.scored_items()]
    frame = pd.DataFrame([row.values for row in sheet.rows], index=[row.branch_id for row in sheet.rows],
                         columns=ids, dtype=float)
    return frame.fillna(0.0).rename_axis("branch_id")


def _names(project: Project) -> dict[str, str]:
    return {branch.id: branch.short_name for branch in project.branches}


def _with_names(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    table = table.rename_axis("branch_id").reset_index() if "branch_id" not in table.columns else table
    table.insert(1, "branch", table["branch_id"].map(names))
    return table


def _periods(frames: dict[str, pd.DataFrame], names: dict[str, str]) -> tuple[PeriodResult, ...]:
    return tuple(PeriodResult(period, period_label(period), _with_names(frame, names))
                 for period, frame in sorted(frames.items()))


def _branch_scheme(scheme: TieredScheme | RedFlagScheme | FiveStepScheme, sheets: list[ScoreSheet], project: Project) -> SchemeResults:
    items = {sheet.period: item_table(sheet, scheme) for sheet in sheets}
    names = _names(project)
    if scheme.kind == "tiered":
        lines = {branch.id: branch.assessment_line for branch in project.branches}
        return SchemeResults(scheme, tiered_columns(scheme), _periods(compute_tiered(items, scheme, lines), names))
    if scheme.kind == "red_flag":
        return SchemeResults(scheme, red_flag_columns(scheme), _periods(compute_red_flag(items, scheme), names))
    frames = {period: compute_five_step(table, scheme) for period, table in items.items()}
    return SchemeResults(scheme, five_step_columns(scheme), _periods(frames, names))


def _points_scheme(scheme: PointsScheme, sheets: list[ScoreSheet], project: Project) -> SchemeResults:
    names, periods = _names(project), []
    ids = [item.id for item in scheme.scored_items()]
    statuses = {branch.id: scored_people(branch, project.organization.as_of) for branch in project.branches}
    for sheet in sorted(sheets, key=lambda s: s.period):
        members = [row.member or "" for row in sheet.rows]    # validation gave every row of a member scheme its member
        people = pd.DataFrame({"branch_id": [row.branch_id for row in sheet.rows], "member": members,
                               "status": [statuses[row.branch_id][member] for row, member in zip(sheet.rows, members)]})
        items = pd.DataFrame([row.values for row in sheet.rows], columns=ids, dtype=float).fillna(0.0)
        table = compute_points(people, items, scheme)
        summary = _with_names(summarize_points(table, scheme), names)
        periods.append(PeriodResult(sheet.period, period_label(sheet.period), _with_names(table, names), summary))
    return SchemeResults(scheme, points_columns(scheme), tuple(periods), points_summary_columns(scheme))


def _grading_scheme(scheme: GradingScheme, computed: dict[str, SchemeResults], project: Project) -> SchemeResults:
    source = computed[scheme.rules.source]
    score_key = "composite" if source.scheme.kind == "five_step" else "total"
    totals = pd.concat([result.table[["branch_id", score_key]].rename(columns={score_key: "total"})
                        .assign(period=result.period) for result in source.periods], ignore_index=True) \
        if source.periods else pd.DataFrame(columns=["branch_id", "total", "period"])
    periods = []
    for year in sorted({period_year(p) for p in totals["period"]}):
        of_year = totals[totals["period"].map(period_year) == year]
        table = _with_names(compute_grading(of_year, scheme), _names(project))
        periods.append(PeriodResult(str(year), period_label(str(year)), table))
    return SchemeResults(scheme, grading_columns(scheme, source.scheme.name), tuple(periods))


def compute_results(project: Project) -> tuple[SchemeResults, ...]:
    """Results of every scheme, in the order tiered, red_flag, points, grading, five_step (then by id)."""
    computed: dict[str, SchemeResults] = {}
    schemes = sorted(project.schemes, key=lambda s: (s.kind == "grading", SCHEME_KINDS.index(s.kind), s.id))
    for scheme in schemes:
        sheets = [sheet for sheet in project.scores if sheet.scheme_id == scheme.id]
        if scheme.kind == "grading":
            computed[scheme.id] = _grading_scheme(scheme, computed, project)
        elif scheme.kind == "points":   # the one kind scored per member
            computed[scheme.id] = _points_scheme(scheme, sheets, project)
        else:
            computed[scheme.id] = _branch_scheme(scheme, sheets, project)
    order = sorted(computed.values(), key=lambda r: (SCHEME_KINDS.index(r.scheme.kind), r.scheme.id))
    return tuple(order)


# --- views ------------------------------------------------------------------------------
# Plain dicts and lists (TypedDicts, so that templates, JSON and pickling see ordinary data).

Cell = str | int | float | bool | None
ResultRow = dict[str, Cell]             # column key → cell


class ColumnView(TypedDict):
    """A `Column` as plain data."""

    key: str
    title: str
    kind: ColumnKind
    privacy: Privacy
    description: str


class PeriodView(TypedDict):
    period: str                         # 「2026Q1」, 「2026」
    label: str                          # 「2026年第一季度」
    rows: list[ResultRow]               # by rank, then branch id; none for a member scheme in the public view
    summary: list[ResultRow]            # member schemes: one row per branch


class SchemeView(TypedDict):
    """One scheme's results as an audience may see them."""

    id: str
    name: str
    kind: SchemeKind
    subject: Literal["branch", "member"]
    columns: list[ColumnView]
    summary_columns: list[ColumnView]
    periods: list[PeriodView]


def plain(value: object) -> Cell:
    """A table cell as plain JSON-able Python: NaN → None, numpy scalars → int/float/bool."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if value is None or isinstance(value, (str, int)):   # bool is an int
        return value
    raise TypeError(f"a results table holds {value!r}, not a number, text or flag")


def _column_view(column: Column) -> ColumnView:
    return ColumnView(key=column.key, title=column.title, kind=column.kind, privacy=column.privacy,
                      description=column.description)


def _rows(table: pd.DataFrame, columns: list[Column]) -> list[ResultRow]:
    order = [key for key in ("rank", "branch_id") if key in table.columns]
    ordered = table.sort_values(order, kind="stable") if order else table
    keys = [column.key for column in columns]
    return [{key: plain(row[key]) for key in keys} for _, row in ordered.iterrows()]


def _columns(columns: tuple[Column, ...], audience: Audience) -> list[Column]:
    return [column for column in columns if column.privacy in VISIBLE_TO[audience]]


def results_view(results: tuple[SchemeResults, ...], audience: Audience = "public") -> list[SchemeView]:
    """Plain data of every scheme's results with only the columns `audience` may see.

    For member schemes the public view has no per-person rows at all, only the
    per-branch summary.
    """
    views = []
    for result in results:
        columns = _columns(result.columns, audience)
        member = result.scheme.subject == "member"
        periods: list[PeriodView] = []
        for period in result.periods:
            rows = [] if member and audience == "public" else _rows(period.table, columns)
            summary = _rows(period.summary, list(result.summary_columns)) if period.summary is not None else []
            periods.append({"period": period.period, "label": period.label, "rows": rows, "summary": summary})
        views.append(SchemeView(id=result.scheme.id, name=result.scheme.name, kind=result.scheme.kind,
                                subject=result.scheme.subject,
                                columns=[] if member and audience == "public" else [_column_view(c) for c in columns],
                                summary_columns=[_column_view(c) for c in result.summary_columns], periods=periods))
    return views
