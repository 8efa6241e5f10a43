"""清单管理、台阶考核: tiers, coefficient, penalty, escalation streaks, 面子挂钩 and pay-back at every boundary."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from generator.compute.scoring.common import competition_rank, meets
from generator.compute.scoring.tiered import (
    assign_tiers, compute_tiered, escalation_level, exposure, failing_streaks, payback, score_period,
)
from generator.models.schemes import Boundary, TieredRules, TieredScheme, parse_threshold

RULES = TieredRules()
BOUNDARY = Boundary()


def scheme(**rules) -> TieredScheme:
    """A small scheme with one item per scored tier: K (重点项, 45), B (基础项, 55), C (创新项, 10)."""
    return TieredScheme(id="tiered", name="台阶考核", kind="tiered", period="quarter", rules=rules,
                        items=[{"id": "K", "name": "重点项合计", "tier": "重点项", "max_points": 45},
                               {"id": "B", "name": "基础项合计", "tier": "基础项", "max_points": 55},
                               {"id": "C", "name": "创新项合计", "tier": "创新项", "max_points": 10},
                               {"id": "Z", "name": "自主项", "tier": "自主项"}])


def tiers_of(total: float, key: float) -> pd.Series:
    frame = pd.DataFrame({"total": [total], "key_points": [key]}, index=["x"])
    return assign_tiers(frame, RULES, BOUNDARY).iloc[0]


@pytest.mark.parametrize("total, key, tier, coefficient, penalized", [
    (110, 45, "第三台阶", 1.0, False),
    (90, 41, "第三台阶", 1.0, False),       # 90 is in tier 3 (「80-90分(不含90分)」)
    (89.99, 41, "第二台阶", 0.9, False),
    (80, 40, "第二台阶", 0.9, False),       # 80 is in tier 2; key 40 is not 「低于40」
    (79.99, 41, "第一台阶", 0.8, False),
    (70, 40, "第一台阶", 0.8, False),       # 70 is not 「低于70」
    (69.99, 41, "未达台阶", 0.7, True),
    (85, 39.5, "第二台阶", 0.7, True),      # the key-item rule applies even with a total ≥ 70
    (95, 39.99, "第三台阶", 0.7, True),
])
def test_tier_and_coefficient_at_each_boundary(total, key, tier, coefficient, penalized):
    row = tiers_of(total, key)
    assert (row["tier"], row["coefficient"], bool(row["penalized"])) == (tier, coefficient, penalized)


def test_totals_sum_the_scored_tiers_only():
    items = pd.DataFrame({"K": [40.0, 39.5], "B": [44.0, 40.5], "C": [2.0, 5.0], "Z": [9.0, 9.0]}, index=["a", "b"])
    result = score_period(items, scheme())
    assert_series_equal(result["total"], pd.Series([86.0, 85.0], index=["a", "b"], name="total"))
    assert list(result["coefficient"]) == [0.9, 0.7]    # b: total 85 but 重点项 39.5


def test_floating_point_sums_are_compared_after_rounding():
    items = pd.DataFrame({"K": [40.1], "B": [39.79], "C": [0.11]}, index=["a"])   # 80.00000000000001 or 79.99999999
    assert score_period(items, scheme()).loc["a", "tier"] == "第二台阶"


def test_competition_ranking_shares_ranks_and_skips():
    assert list(competition_rank(pd.Series([90, 85, 85, 70.0]))) == [1, 2, 2, 4]
    assert list(competition_rank(pd.Series([80.004, 80.0]))) == [1, 1]      # equal after rounding


@pytest.mark.parametrize("total, key, failing", [
    (60, 35, False), (59.99, 45, True), (90, 34.99, True), (60, 34.99, True), (100, 35, False)])
def test_failing_quarter_boundaries(total, key, failing):
    frame = pd.DataFrame({"K": [key], "B": [total - key], "C": [0.0]}, index=["a"])
    assert bool(score_period(frame, scheme()).loc["a", "failing"]) is failing


def history(rows: list[tuple[str, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["branch_id", "period", "failing"])


def test_streaks_of_two_and_three_give_免职_and_撤职():
    frame = history([("a", "2026Q1", True), ("a", "2026Q2", True), ("a", "2026Q3", True), ("a", "2026Q4", True)])
    streaks = failing_streaks(frame)
    assert list(streaks) == [1, 2, 3, 4]
    assert list(escalation_level(streaks, RULES.escalation.levels)) == ["诫勉谈话", "免职", "撤职", "撤职"]


def test_a_passing_quarter_breaks_the_streak():
    frame = history([("a", "2026Q1", True), ("a", "2026Q2", False), ("a", "2026Q3", True), ("a", "2026Q4", True)])
    assert list(failing_streaks(frame)) == [1, 0, 1, 2]


def test_a_missing_period_breaks_the_streak_unless_configured():
    frame = history([("a", "2026Q1", True), ("a", "2026Q3", True), ("b", "2025Q4", True), ("b", "2026Q1", True)])
    assert list(failing_streaks(frame)) == [1, 1, 1, 2]          # 2025Q4 → 2026Q1 is consecutive
    assert list(failing_streaks(frame, gap_breaks=False)) == [1, 2, 1, 2]


def test_streaks_run_across_the_periods_of_compute_tiered():
    periods = {q: pd.DataFrame({"K": [34.0, 42.0], "B": [25.0, 45.0], "C": [0.0, 5.0]}, index=["lanjing", "ok"])
               for q in ("2026Q1", "2026Q2", "2026Q3")}
    result = compute_tiered(periods, scheme(), {"lanjing": "地面", "ok": None})
    assert [result[q].loc["lanjing", "escalation"] for q in ("2026Q1", "2026Q2", "2026Q3")] == ["诫勉谈话", "免职", "撤职"]
    assert result["2026Q3"].loc["lanjing", "consequences"].endswith("提示撤职（连续第3个季度不合格）")
    assert result["2026Q3"].loc["ok", "escalation"] is None


def test_exposure_for_last_place_or_below_the_minimum_standard():
    frame = pd.DataFrame({"total": [95.0, 72.0, 69.5, 69.5], "rank": [1, 2, 3, 3]}, index=list("abcd"))
    assert list(exposure(frame, RULES, BOUNDARY)) == [False, False, True, True]
    frame = pd.DataFrame({"total": [95.0, 72.0]}, index=list("ab")).assign(rank=[1, 2])
    assert list(exposure(frame, RULES, BOUNDARY)) == [False, True]    # last place at 72


def test_payback_is_withheld_amount_times_coefficient():
    coefficients = pd.Series([0.8, 0.9, 1.0, 0.7])
    lines = pd.Series(["一线", "二线", "地面", None])
    assert_series_equal(payback(coefficients, lines, RULES), pd.Series([2400.0, 1800.0, 1000.0, float("nan")]))
    custom = TieredRules(withheld={"一线": 3000, "二线": 2500, "地面": 1000})
    assert payback(pd.Series([0.9]), pd.Series(["二线"]), custom)[0] == 2250


@pytest.mark.parametrize("text, value, symbol", [
    ("70以上", 70, "≥ 70"), ("低于40", 40, "< 40"), ("85以下", 85, "≤ 85"), ("不满60", 60, "< 60"),
    ("超过85", 85, "> 85"), ("95分以上", 95, "≥ 95"), ("不低于80", 80, "≥ 80")])
def test_thresholds_read_as_written_under_the_convention(text, value, symbol):
    assert parse_threshold(text).value == value
    assert BOUNDARY.operator(text) == symbol


def test_the_convention_itself_is_data():
    exclusive = Boundary(above_includes=False, below_includes=False)
    assert exclusive.operator("70以上") == "> 70" and exclusive.operator("85以下") == "< 85"
    assert exclusive.operator("低于40") == "< 40"          # 「低于」 never includes the number
    assert list(meets(pd.Series([70.0, 70.01]), "70以上", exclusive)) == [False, True]


@pytest.mark.parametrize("text", ["70", "大约70", "以上70", "低于70以下", ""])
def test_malformed_thresholds_are_refused(text):
    with pytest.raises(ValueError, match="不是分数界限"):
        parse_threshold(text)


def test_a_bare_number_as_a_tier_threshold_reads_as_that_number_or_more():
    assert TieredRules(tiers=[{"name": "一", "when": 70, "coefficient": 1}]).tiers[0].when == "70以上"
    with pytest.raises(ValueError, match="不是分数界限"):      # the number written as text is no threshold
        TieredRules(tiers=[{"name": "一", "when": "70", "coefficient": 1}])
