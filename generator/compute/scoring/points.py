"""Turn a year of 党员积分 (daily points and the annual review) into final points, bands and the priority list.

The rules (docs/domain.md, 党员积分): final = 70% daily + 30% annual review
(each tier first scaled to 100); the highest reward band reached applies with
the measures of every lower band (cumulative); the most severe penalty band
reached applies; measures depend on the person's status (入党积极分子 / 预备党员 /
正式党员) and disciplinary sanctions only ever read 「提请按程序处理」. The top
20% of each branch (floor, at least 1, ties at the cut-off included) get
priority.

Every per-person column is `internal`: individual points never reach the
public site. The per-branch summary holds aggregates only.
"""

from __future__ import annotations

import math

import pandas as pd

from generator.compute.scoring.common import (
    Column, competition_rank, highest_band, meets, rounded, tier_maximum, tier_sum,
)
from generator.models.schemes import PointsBand, PointsScheme, PriorityRule

STATUS_FIELDS = {"入党积极分子": "activist", "预备党员": "probationary", "正式党员": "full"}


def points_columns(scheme: PointsScheme) -> tuple[Column, ...]:
    parts = tuple(Column(f"part_{n}", f"{tier}（百分制）", "number", "internal")
                  for n, tier in enumerate(scheme.rules.weights, start=1))
    return (Column("branch_id", "支部编号"), Column("branch", "支部"),
            Column("member", "姓名", privacy="internal"), Column("status", "身份", privacy="internal"),
            *parts,
            Column("final", "最终积分", "number", "internal", "各级按权重加权，保留两位小数"),
            Column("rank", "支部内名次", "integer", "internal"),
            Column("priority", "优先", "flag", "internal", scheme.rules.priority.label),
            Column("reward", "表彰档次", privacy="internal"), Column("penalty", "惩戒档次", privacy="internal"),
            Column("consequences", "措施", privacy="internal"))


def points_summary_columns(scheme: PointsScheme) -> tuple[Column, ...]:
    rewards = tuple(Column(f"reward_{n}", f"{band.name}人数", "integer", description=f"最终积分{band.when}")
                    for n, band in enumerate(scheme.rules.rewards, start=1))
    return (Column("branch_id", "支部编号"), Column("branch", "支部"),
            Column("people", "参评人数", "integer"), Column("average", "平均积分", "number"),
            Column("priority_count", "优先人数", "integer", description=scheme.rules.priority.label),
            *rewards)


def final_points(items: pd.DataFrame, scheme: PointsScheme) -> pd.DataFrame:
    """Each weighted tier scaled to 100 (part_1, part_2 …) and the weighted final points."""
    result = pd.DataFrame(index=items.index)
    final = pd.Series(0.0, index=items.index)
    for n, (tier, weight) in enumerate(scheme.rules.weights.items(), start=1):
        top = tier_maximum(scheme, tier)
        part = tier_sum(items, scheme, tier) / top * 100 if top else pd.Series(0.0, index=items.index)
        result[f"part_{n}"] = rounded(part)
        final = final + weight * part
    result["final"] = rounded(final)
    return result


def measures_for(band_names: list[str], bands: list[PointsBand], status: str) -> list[str]:
    attribute = STATUS_FIELDS[status]
    texts = [getattr(band.consequences, attribute) for band in bands if band.name in band_names]
    return [text for text in texts if text]


def priority_size(people: int, rule: PriorityRule) -> int:
    """max(minimum, rounding(share × people)), never more than the people there are."""
    rounding = {"floor": math.floor, "ceil": math.ceil, "round": lambda x: math.floor(x + 0.5)}[rule.rounding]
    return min(people, max(rule.minimum, rounding(rule.share * people + 1e-9)))


def priority_flags(final: pd.Series, branches: pd.Series, rule: PriorityRule) -> tuple[pd.Series, pd.Series]:
    """Rank within each branch and the priority flag (rank within the size; ties included)."""
    ranks = final.groupby(branches).transform(competition_rank).astype(int)
    sizes = branches.map(branches.value_counts().map(lambda n: priority_size(int(n), rule)))
    return ranks, ranks <= sizes


def bands_for(final: pd.Series, status: pd.Series, scheme: PointsScheme) -> pd.DataFrame:
    rules, boundary = scheme.rules, scheme.boundary
    result = pd.DataFrame(index=final.index)
    result["reward"] = highest_band(final, [(b.name, b.when) for b in rules.rewards], boundary)
    result["penalty"] = highest_band(final, [(b.name, b.when) for b in rules.penalties], boundary)
    names = [band.name for band in rules.rewards]
    texts = []
    for reward, penalty, who in zip(result["reward"], result["penalty"], status):
        reached = names[:names.index(reward) + 1] if reward else []
        texts.append("；".join(measures_for(reached, rules.rewards, who)
                              + measures_for([penalty] if penalty else [], rules.penalties, who)))
    result["consequences"] = texts
    return result


def compute_points(people: pd.DataFrame, items: pd.DataFrame, scheme: PointsScheme) -> pd.DataFrame:
    """`people` has branch_id, member and status per row; `items` the item scores with the same index."""
    result = people.join(final_points(items, scheme))
    result["rank"], result["priority"] = priority_flags(result["final"], result["branch_id"], scheme.rules.priority)
    return result.join(bands_for(result["final"], result["status"], scheme))


def summarize_points(results: pd.DataFrame, scheme: PointsScheme) -> pd.DataFrame:
    """Per branch: people, average, priority count and reward counts — no individual value."""
    grouped = results.groupby("branch_id", sort=True)
    summary = pd.DataFrame({"people": grouped.size(), "average": rounded(grouped["final"].mean()),
                            "priority_count": grouped["priority"].sum().astype(int)})
    for n, band in enumerate(scheme.rules.rewards, start=1):
        reached = meets(results["final"], band.when, scheme.boundary)
        summary[f"reward_{n}"] = reached.groupby(results["branch_id"]).sum().astype(int)
    return summary
