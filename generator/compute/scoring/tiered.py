"""Turn quarterly 清单管理、台阶考核 item scores into totals, tiers, coefficients, escalation levels and pay-back.

The rules (docs/domain.md, 台阶考核): total = the scored tiers (重点项 + 基础项 +
创新项; 自主项 unscored); the tier follows the total; the coefficient drops to
the penalty value when the total or the 重点项 subtotal is too low (either is
enough); a failing
quarter (total < 60 or 重点项 < 35) starts or extends a streak, and the streak
length picks the level (诫勉谈话 → 免职 → 撤职) — a level for the committee to
act on, never an outcome. 面子挂钩 applies to the last place or a total below
the minimum standard score. Pay-back = withheld amount × coefficient.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

from generator.compute.scoring.common import (
    Column, competition_rank, highest_band, join_texts, meets, rounded, split_periods, stack_periods, tier_sum,
)
from generator.periods import PERIOD_UNITS, period_index
from generator.models.common import AssessmentLine
from generator.models.schemes import Boundary, TieredRules, TieredScheme, parse_threshold


def tiered_columns(scheme: TieredScheme) -> tuple[Column, ...]:
    rules = scheme.rules
    subtotals = tuple(Column(f"subtotal_{n}", tier, "number", description=f"{tier}得分合计")
                      for n, tier in enumerate(rules.scored_tiers, start=1))
    return (Column("branch_id", "支部编号"), Column("branch", "支部"), *subtotals,
            Column("total", "总分", "number", description="计分级别得分之和，保留两位小数"),
            Column("rank", "名次", "integer", description="总分从高到低，并列占同一名次，下一名次顺延（1, 2, 2, 4）"),
            Column("tier", "台阶", description="按总分确定的台阶"),
            Column("coefficient", "系数", "number", description="书记收入考核系数；降档时为降档系数"),
            Column("penalized", "降档", "flag", description=f"总分{rules.penalty.total}或{rules.key_tier}{rules.penalty.key}"),
            Column("exposure", "面子挂钩", "flag", description="排名末位或总分低于最低标准分"),
            Column("failing", "不合格", "flag",
                   description=f"总分{rules.escalation.total}或{rules.key_tier}{rules.escalation.key}"),
            Column("streak", "连续不合格期数", "integer", description="截至本期连续不合格的季度数"),
            Column("escalation", "提示处理等级", description="按连续不合格期数提示，由党组织按程序研究决定"),
            Column("consequences", "处理提示", description="本期适用的全部要求"),
            Column("line", "考核类别", description="一线、二线或地面（支部文件的 assessment_line）"),
            Column("payback", "返还金额", "money", privacy="internal",
                   description="预留金额 × 系数（元）；属书记个人收入，不公开"))


def tier_scores(items: pd.DataFrame, scheme: TieredScheme) -> pd.DataFrame:
    """Item scores (one row per branch, one column per item) → subtotal per scored tier and the total."""
    result = pd.DataFrame(index=items.index)
    for n, tier in enumerate(scheme.rules.scored_tiers, start=1):
        result[f"subtotal_{n}"] = rounded(tier_sum(items, scheme, tier))
    # Items without a tier count too; items of a tier not listed (自主项) do not.
    counted = [item.id for item in scheme.scored_items()
               if (item.tier is None or item.tier in scheme.rules.scored_tiers) and item.id in items.columns]
    result["total"] = rounded(items[counted].sum(axis=1))
    result["key_points"] = rounded(tier_sum(items, scheme, scheme.rules.key_tier))
    return result


def assign_tiers(scores: pd.DataFrame, rules: TieredRules, boundary: Boundary) -> pd.DataFrame:
    """Add tier, coefficient and the penalty flag to a frame with `total` and `key_points`."""
    ordered = sorted(rules.tiers, key=lambda tier: parse_threshold(tier.when).value)
    result = scores.copy()
    tier = highest_band(result["total"], [(t.name, t.when) for t in ordered], boundary)
    result["tier"] = tier.fillna(rules.below_tiers)
    coefficients = {t.name: t.coefficient for t in ordered}
    penalized = (meets(result["total"], rules.penalty.total, boundary)
                 | meets(result["key_points"], rules.penalty.key, boundary))
    result["penalized"] = penalized | tier.isna()
    result["coefficient"] = tier.map(coefficients).where(~result["penalized"], rules.penalty.coefficient).astype(float)
    return result


def failing_streaks(history: pd.DataFrame, gap_breaks: bool = True) -> pd.Series:
    """Consecutive failing periods up to each row, per branch.

    `history` has columns branch_id, period and failing (bool). A period with no
    row for the branch breaks the streak unless `gap_breaks` is False.
    """
    order = history.assign(position=history["period"].map(period_index)).sort_values(["branch_id", "position"])
    streaks: dict[Hashable, int] = {}
    previous: dict[str, tuple[int, int]] = {}   # branch id → (position, streak) of its last period so far
    for index, branch_id, position, failing in zip(order.index, order["branch_id"], order["position"], order["failing"]):
        last = previous.get(branch_id)
        adjacent = last is not None and (position == last[0] + 1 or not gap_breaks)
        streak = 0 if not failing else last[1] + 1 if last is not None and adjacent else 1
        previous[branch_id] = (position, streak)
        streaks[index] = streak
    return pd.Series(streaks, dtype=int).reindex(history.index)


def escalation_level(streaks: pd.Series, levels: list[str]) -> pd.Series:
    """Streak length → level name (the last level repeats for longer streaks); None for 0."""
    names = [levels[min(n, len(levels)) - 1] if n > 0 else None for n in streaks]
    return pd.Series(names, index=streaks.index, dtype=object)


def exposure(scores: pd.DataFrame, rules: TieredRules, boundary: Boundary) -> pd.Series:
    """面子挂钩: last place (ties at the bottom included), or a total below the minimum standard."""
    last = scores["rank"] == scores["rank"].max() if rules.exposure.last_place else False
    return last | meets(scores["total"], rules.exposure.total, boundary)


def payback(coefficients: pd.Series, lines: pd.Series, rules: TieredRules) -> pd.Series:
    """Withheld amount of the branch's line × coefficient; NaN where the branch has no line."""
    withheld = lines.map(rules.withheld).astype(float)   # no line, or one without an amount: NaN
    return (withheld * coefficients).round(2)


def score_period(items: pd.DataFrame, scheme: TieredScheme) -> pd.DataFrame:
    """One period: subtotals, total, rank, tier, coefficient, penalty, 面子挂钩, failing."""
    rules, boundary = scheme.rules, scheme.boundary
    scores = tier_scores(items, scheme)
    scores["rank"] = competition_rank(scores["total"])
    scores = assign_tiers(scores, rules, boundary)
    scores["exposure"] = exposure(scores, rules, boundary)
    scores["failing"] = (meets(scores["total"], rules.escalation.total, boundary)
                         | meets(scores["key_points"], rules.escalation.key, boundary))
    return scores


def consequences(table: pd.DataFrame, rules: TieredRules, unit: str = "季度") -> pd.Series:
    parts = pd.DataFrame(index=table.index)
    parts["penalty"] = table["penalized"].map(lambda hit: f"降档：{rules.penalty.action}" if hit else None)
    parts["exposure"] = table["exposure"].map(lambda hit: f"面子挂钩：{rules.exposure.action}" if hit else None)
    parts["escalation"] = [f"提示{level}（连续第{streak}个{unit}不合格）" if isinstance(level, str) else None
                           for level, streak in zip(table["escalation"], table["streak"])]
    return join_texts(parts)


def compute_tiered(periods: dict[str, pd.DataFrame], scheme: TieredScheme,
                   lines: Mapping[str, AssessmentLine | None]) -> dict[str, pd.DataFrame]:
    """Every period's results; streaks run across the periods given (sorted by period)."""
    if not periods:
        return {}
    history = stack_periods({period: score_period(items, scheme) for period, items in periods.items()})
    history["streak"] = failing_streaks(history, scheme.rules.escalation.gap_breaks)
    history["escalation"] = escalation_level(history["streak"], scheme.rules.escalation.levels)
    history["line"] = history["branch_id"].map(lines)
    history["payback"] = payback(history["coefficient"], history["line"], scheme.rules)
    history["consequences"] = consequences(history, scheme.rules, PERIOD_UNITS[scheme.period])
    return split_periods(history)
