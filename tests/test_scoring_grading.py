"""ABCD 创优评级 and 五步考评: configurable cut-offs, the averaged source, weighted steps."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from generator.compute.scoring.five_step import compute_five_step
from generator.compute.scoring.grading import compute_grading
from generator.models.schemes import FiveStepScheme, GradingScheme


def grading(**rules) -> GradingScheme:
    return GradingScheme(id="grading", name="创优评级", kind="grading", period="year", rules=rules)


@pytest.mark.parametrize("score, grade", [(103, "A"), (90, "A"), (89.99, "B"), (80, "B"), (79.99, "C"), (60, "C"), (59.99, "D")])
def test_default_cut_offs(score, grade):
    totals = pd.DataFrame({"branch_id": ["a"], "period": ["2026Q1"], "total": [score]})
    assert compute_grading(totals, grading()).loc["a", "grade"] == grade


def test_grade_is_from_the_average_of_the_year_and_d_must_rectify():
    totals = pd.DataFrame({"branch_id": ["a"] * 4 + ["b"] * 2,
                           "period": ["2026Q1", "2026Q2", "2026Q3", "2026Q4"] * 1 + ["2026Q1", "2026Q2"],
                           "total": [80, 56, 53, 74, 95, 85]})
    result = compute_grading(totals, grading())
    assert (result.loc["a", "score"], result.loc["a", "periods"], result.loc["a", "grade"]) == (65.75, 4, "C")
    assert (result.loc["b", "score"], result.loc["b", "rank"]) == (90.0, 1)
    latest = compute_grading(totals, grading(measure="latest"))
    assert (latest.loc["a", "score"], latest.loc["a", "grade"], latest.loc["a", "action"]) == (74, "C", "")
    assert compute_grading(totals.assign(total=50), grading()).loc["a", "action"] == "限期整改，动态管理"


def test_cut_offs_are_configurable_and_the_last_grade_takes_the_rest():
    custom = grading(grades=[{"grade": "A", "label": "优", "when": "超过95"}, {"grade": "B", "label": "其他"}])
    totals = pd.DataFrame({"branch_id": ["a", "b"], "period": ["2026Q1"] * 2, "total": [95, 95.5]})
    assert list(compute_grading(totals, custom)["grade"]) == ["B", "A"]
    with pytest.raises(ValidationError, match="只有最后一个等级"):
        grading(grades=[{"grade": "A", "label": "优"}, {"grade": "B", "label": "良"}])


def five_step(**rules) -> FiveStepScheme:
    items = [{"id": sheet, "name": sheet, "max_points": 100} for sheet in ("ZC", "KH", "CP", "DC", "SZ")]
    return FiveStepScheme(id="five-step", name="五步考评", kind="five_step", period="year", items=items, rules=rules)


def test_five_step_composite_is_the_weighted_sum_of_steps():
    items = pd.DataFrame({"ZC": [100.0, 90], "KH": [90.0, 90], "CP": [80.0, 90], "DC": [70.0, 90], "SZ": [60.0, 90]},
                         index=["a", "b"])
    result = compute_five_step(items, five_step())
    # 目标考核 0.2 × 100 + 0.8 × 90 = 92; composite 0.4 × 92 + 0.15 × 80 + 0.15 × 70 + 0.3 × 60 = 77.3
    assert (result.loc["a", "step_1"], result.loc["a", "composite"]) == (92.0, 77.3)
    assert (result.loc["b", "composite"], list(result["rank"])) == (90.0, [2, 1])
    assert "step_2" not in result.columns                    # 专项述职 has no score of its own


def test_five_step_weights_must_add_up():
    with pytest.raises(ValidationError, match="权重之和应为 1"):
        five_step(steps=[{"name": "目标考核", "weight": 0.5, "sheets": {"KH": 1}}])
