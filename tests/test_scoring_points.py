"""党员积分制: 70/30 weighting, reward tiers (cumulative), penalty bands by status, top 20% with ties."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from generator.compute.scoring.points import compute_points, final_points, priority_size, summarize_points
from generator.models.schemes import ByStatus, PointsScheme, PriorityRule


def scheme(**rules) -> PointsScheme:
    return PointsScheme(id="points", name="党员积分", kind="points", period="year", subject="member", rules=rules,
                        items=[{"id": "D", "name": "日常", "tier": "日常积分", "max_points": 100},
                               {"id": "R", "name": "评议", "tier": "民主评议", "max_points": 100}])


def compute(finals: list[float], status: str = "正式党员", branch: str = "b") -> pd.DataFrame:
    people = pd.DataFrame({"branch_id": [branch] * len(finals), "member": [f"p{n}" for n in range(len(finals))],
                           "status": [status] * len(finals)})
    items = pd.DataFrame({"D": finals, "R": finals})
    return compute_points(people, items, scheme())


def test_final_is_70_percent_daily_plus_30_percent_review():
    items = pd.DataFrame({"D": [80.0, 70.0, 100.0], "R": [90.0, 70.0, 0.0]})
    assert list(final_points(items, scheme())["final"]) == [83.0, 70.0, 70.0]   # 0.7 × 70 + 0.3 × 70 is 70, not 69.99…


def test_daily_parts_are_scaled_to_100_before_weighting():
    two_parts = PointsScheme(id="p", name="p", kind="points", period="year", subject="member",
                             items=[{"id": "D1", "name": "a", "tier": "日常积分", "max_points": 40},
                                    {"id": "D2", "name": "b", "tier": "日常积分", "max_points": 60},
                                    {"id": "R", "name": "c", "tier": "民主评议", "max_points": 50}])
    items = pd.DataFrame({"D1": [36.0], "D2": [54.0], "R": [40.0]})          # daily 90, review 80
    assert final_points(items, two_parts)["final"][0] == 87.0


@pytest.mark.parametrize("final, penalty", [
    (70, None), (69.99, "一级惩戒"), (60, "一级惩戒"), (59.99, "二级惩戒"), (50, "二级惩戒"), (49.99, "三级惩戒"), (0, "三级惩戒")])
def test_penalty_bands_at_70_60_50(final, penalty):
    assert compute([final])["penalty"][0] == penalty


@pytest.mark.parametrize("final, reward, measures", [
    (79.99, None, 0), (80, "一级表彰", 1), (89.99, "一级表彰", 1), (90, "二级表彰", 2), (95, "三级表彰", 3), (100, "三级表彰", 3)])
def test_reward_tiers_are_cumulative(final, reward, measures):
    row = compute([final]).iloc[0]
    assert row["reward"] == reward
    assert len([part for part in row["consequences"].split("；") if part]) == measures


def test_consequences_depend_on_status_and_sanctions_are_only_proposed():
    assert compute([45], "正式党员")["consequences"][0].startswith("提请按程序处理")
    assert compute([45], "预备党员")["consequences"][0] == "延期转正，或提请按程序不予转正"
    assert compute([55], "入党积极分子")["consequences"][0].startswith("延期发展")
    assert compute([92], "入党积极分子")["consequences"][0] == "在支部大会上表扬；优先发展，事迹记入发展档案"


def test_a_sanction_written_as_an_outcome_is_refused():
    with pytest.raises(ValidationError, match="提请按程序处理"):
        ByStatus(full="给予警告处分")
    assert ByStatus(full="提请按程序给予警告处分").full


@pytest.mark.parametrize("people, size", [(1, 1), (4, 1), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3), (37, 7)])
def test_top_20_percent_floor_at_least_one(people, size):
    assert priority_size(people, PriorityRule()) == size


def test_ties_at_the_cut_off_are_included():
    finals = [99, 98, 97, 97, 90, 80, 80, 70, 60, 50]            # 10 people → 2, but places 3 and 4 tie … not at the cut-off
    assert list(compute(finals)["priority"]) == [True, True] + [False] * 8
    finals = [99, 97, 97, 90, 80, 80, 70, 60, 50, 40]            # the 2nd place is tied: both are in
    assert list(compute(finals)["priority"]) == [True, True, True] + [False] * 7


def test_priority_is_counted_per_branch():
    people = pd.DataFrame({"branch_id": ["a"] * 5 + ["b"] * 10, "member": [f"p{n}" for n in range(15)],
                           "status": ["正式党员"] * 15})
    finals = [90, 80, 70, 60, 50] + [95, 94, 93, 92, 91, 90, 89, 88, 87, 86]
    result = compute_points(people, pd.DataFrame({"D": finals, "R": finals}), scheme())
    assert result.groupby("branch_id")["priority"].sum().to_dict() == {"a": 1, "b": 2}
    summary = summarize_points(result, scheme())
    assert summary.loc["b", "people"] == 10 and summary.loc["b", "priority_count"] == 2
    assert summary.loc["a", "average"] == 70 and summary.loc["a", "reward_1"] == 2   # 90 and 80 reach 「80以上」
