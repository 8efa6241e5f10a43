"""Turn 流动红旗 indicator scores into totals, ranks, prizes, flags and counted sanctions.

The rules (docs/domain.md, 流动红旗): rank all branches on the 100-point total;
the prizes of ranks 1–3 are scaled by the branch's own score band (full from
95, half in [85, 95), none below); tied branches share the rank and each gets
its prize; the flag goes to the ranks within `flags`. The last place below 85
is counted per calendar year: 1st 表态发言, 2nd 取消年终参评资格, 3rd and later
纪工委问责 (the defaults; the levels are data).
"""

from __future__ import annotations

import pandas as pd

from generator.compute.scoring.common import (
    Column, competition_rank, highest_band, meets, rounded, split_periods, stack_periods,
)
from generator.periods import period_index, period_year
from generator.models.schemes import Boundary, RedFlagRules, RedFlagScheme, parse_threshold


def red_flag_columns(scheme: RedFlagScheme) -> tuple[Column, ...]:
    return (Column("branch_id", "支部编号"), Column("branch", "支部"),
            Column("total", "总分", "number", description="各指标得分之和，保留两位小数"),
            Column("rank", "名次", "integer", description="总分从高到低，并列占同一名次（1, 2, 2, 4）"),
            Column("band", "奖金档次", description="按本支部得分确定"),
            Column("prize", "奖金", "money", description="名次奖金 × 档次比例（元）"),
            Column("flag", "流动红旗", "flag", description=f"名次在前 {scheme.rules.flags} 名之内"),
            Column("sanctioned", "末位惩戒", "flag", description=f"排名末位且得分{scheme.rules.sanction.total}"),
            Column("occurrence", "惩戒次数", "integer", description="计数范围内第几次末位惩戒"),
            Column("consequences", "处理", description="按次数确定的处理"))


def prizes(scores: pd.DataFrame, rules: RedFlagRules, boundary: Boundary) -> pd.DataFrame:
    """Add band and prize to a frame with `total` and `rank`."""
    bands = sorted(rules.bands, key=lambda band: parse_threshold(band.when).value)
    result = scores.copy()
    result["band"] = highest_band(result["total"], [(b.name, b.when) for b in bands], boundary)
    ratio = result["band"].map({b.name: b.ratio for b in bands}).astype(float).fillna(0.0)
    amount = result["rank"].map(lambda rank: rules.prizes[rank - 1] if rank <= len(rules.prizes) else 0.0)
    result["prize"] = (amount.astype(float) * ratio).round(2)
    result["band"] = result["band"].where(result["prize"] > 0, None)
    return result


def score_period(items: pd.DataFrame, scheme: RedFlagScheme) -> pd.DataFrame:
    rules, boundary = scheme.rules, scheme.boundary
    scored_ids = [item.id for item in scheme.scored_items() if item.id in items.columns]
    result = pd.DataFrame(index=items.index)
    result["total"] = rounded(items[scored_ids].sum(axis=1))
    result["rank"] = competition_rank(result["total"])
    result = prizes(result, rules, boundary)
    result["flag"] = result["rank"] <= rules.flags
    last = result["rank"] == result["rank"].max() if rules.sanction.last_place else True
    result["sanctioned"] = last & meets(result["total"], rules.sanction.total, boundary)
    return result


def count_occurrences(history: pd.DataFrame, window: str) -> pd.Series:
    """How many sanctions each branch has had so far in its window (this one included); 0 when not sanctioned."""
    order = history.assign(position=history["period"].map(period_index)).sort_values("position", kind="stable")
    window_of = order["period"].map(period_year) if window == "year" else pd.Series(0, index=order.index)
    counts = order.groupby([order["branch_id"], window_of])["sanctioned"].cumsum()
    return counts.where(order["sanctioned"], 0).astype(int).reindex(history.index)


def compute_red_flag(periods: dict[str, pd.DataFrame], scheme: RedFlagScheme) -> dict[str, pd.DataFrame]:
    if not periods:
        return {}
    history = stack_periods({period: score_period(items, scheme) for period, items in periods.items()})
    history["occurrence"] = count_occurrences(history, scheme.rules.sanction.window)
    levels = scheme.rules.sanction.levels
    history["consequences"] = [f"第{n}次末位：{levels[min(n, len(levels)) - 1]}" if n else ""
                               for n in history["occurrence"]]
    return split_periods(history)
