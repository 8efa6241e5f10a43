"""Turn scores and thresholds into the shared pieces of every scheme: rounding, bands, ranks, columns.

Scores are compared after rounding to two decimals, so that 0.7 × 70 + 0.3 × 70
is 70 and not 69.99999999999999; the rounded value is also what the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from generator.models.common import Privacy
from generator.models.schemes import AnyScheme, Boundary, Scheme, parse_threshold

DECIMALS = 2
ColumnKind = Literal["text", "number", "integer", "money", "flag"]


@dataclass(frozen=True)
class Column:
    """One column of a results table: its key (JSON/CSV), Chinese title, kind and privacy class."""

    key: str
    title: str
    kind: ColumnKind = "text"
    privacy: Privacy = "public"
    description: str = ""


@dataclass(frozen=True, eq=False)
class PeriodResult:
    period: str
    label: str
    table: pd.DataFrame                 # one row per branch (or per person for member schemes)
    summary: pd.DataFrame | None = None  # member schemes: one row per branch, aggregates only


@dataclass(frozen=True, eq=False)
class SchemeResults:
    scheme: AnyScheme
    columns: tuple[Column, ...]
    periods: tuple[PeriodResult, ...]
    summary_columns: tuple[Column, ...] = ()


def rounded(values: pd.Series) -> pd.Series:
    return values.astype(float).round(DECIMALS)


def meets(values: pd.Series, threshold: str, boundary: Boundary) -> pd.Series:
    """Which values satisfy a threshold such as 「70以上」 or 「低于40」, under the boundary convention."""
    parts = parse_threshold(threshold)
    values = rounded(values)
    inclusive = boundary.includes(parts)
    if parts.direction == "above":
        return values >= parts.value if inclusive else values > parts.value
    return values <= parts.value if inclusive else values < parts.value


def competition_rank(values: pd.Series) -> pd.Series:
    """Highest first; ties share the best rank and the next rank is skipped (1, 2, 2, 4)."""
    return rounded(values).rank(method="min", ascending=False).astype(int)


def highest_band(values: pd.Series, bands: list[tuple[str, str]], boundary: Boundary) -> pd.Series:
    """The last band in `bands` (label, threshold) that each value satisfies; None where none does."""
    result = pd.Series([None] * len(values), index=values.index, dtype=object)
    for label, threshold in bands:
        result = result.mask(meets(values, threshold, boundary), label)
    return result


def tier_sum(items: pd.DataFrame, scheme: Scheme, tier: str) -> pd.Series:
    """Sum of the scored items of one tier (0 where a tier has no items)."""
    ids = [item.id for item in scheme.scored_items() if item.tier == tier and item.id in items.columns]
    return items[ids].sum(axis=1) if ids else pd.Series(0.0, index=items.index)


def tier_maximum(scheme: Scheme, tier: str) -> float:
    return sum(item.max_points or 0 for item in scheme.scored_items() if item.tier == tier)


def stack_periods(scored: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every period's table stacked into one, with `period` and `branch_id` columns: for rules across periods."""
    return pd.concat([frame.assign(period=period).rename_axis("branch_id").reset_index()
                      for period, frame in scored.items()], ignore_index=True)


def split_periods(stacked: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A `stack_periods` table split back into one table per period (index branch_id), in period order."""
    return {str(period): frame.drop(columns="period").set_index("branch_id")
            for period, frame in stacked.groupby("period", sort=True)}


def join_texts(parts: pd.DataFrame) -> pd.Series:
    """Row-wise 「；」-joined non-empty texts of the given columns."""
    return parts.apply(lambda row: "；".join(str(text) for text in row if isinstance(text, str) and text), axis=1)
