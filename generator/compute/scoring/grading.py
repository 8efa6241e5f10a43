"""Turn another scheme's results of a year into ABCD 创优评级 grades with configurable cut-offs.

The source gives the grades (A 优, B 良, C 一般, D 差; D must rectify) but no
cut-offs (docs/domain.md, ABCD 创优评级); the defaults are marked as not from
the source. The graded score is the average (or the latest) of the source
scheme's period totals in the year.
"""

from __future__ import annotations

import pandas as pd

from generator.compute.scoring.common import Column, competition_rank, meets, rounded
from generator.models.schemes import GradingScheme


def grading_columns(scheme: GradingScheme, source_name: str) -> tuple[Column, ...]:
    measure = {"average": "年度各期总分的平均", "latest": "年度最后一期的总分"}[scheme.rules.measure]
    return (Column("branch_id", "支部编号"), Column("branch", "支部"),
            Column("score", "评级得分", "number", description=f"「{source_name}」{measure}，保留两位小数"),
            Column("periods", "考核期数", "integer", description="该年度参与计算的考核期数"),
            Column("rank", "名次", "integer", description="评级得分从高到低（1, 2, 2, 4）"),
            Column("grade", "等级"), Column("label", "等级名称"), Column("action", "要求"))


def graded_score(totals: pd.DataFrame, measure: str) -> pd.DataFrame:
    """`totals` has branch_id, period and total → score and the number of periods per branch."""
    ordered = totals.sort_values("period")
    grouped = ordered.groupby("branch_id", sort=True)["total"]
    score = grouped.mean() if measure == "average" else grouped.last()
    return pd.DataFrame({"score": rounded(score), "periods": grouped.size()})


def assign_grades(scores: pd.Series, scheme: GradingScheme) -> pd.DataFrame:
    """The first grade (from the top) whose threshold the score meets; the last grade takes the rest."""
    grades = scheme.rules.grades
    chosen = pd.Series(len(grades) - 1, index=scores.index)
    for position in reversed(range(len(grades) - 1)):
        when = grades[position].when          # set on every grade but the last (GradingRules checks it)
        if when is not None:
            chosen = chosen.mask(meets(scores, when, scheme.boundary), position)
    return pd.DataFrame({"grade": chosen.map(lambda n: grades[n].grade), "label": chosen.map(lambda n: grades[n].label),
                         "action": chosen.map(lambda n: grades[n].action or "")}, index=scores.index)


def compute_grading(totals: pd.DataFrame, scheme: GradingScheme) -> pd.DataFrame:
    result = graded_score(totals, scheme.rules.measure)
    result["rank"] = competition_rank(result["score"])
    return result.join(assign_grades(result["score"], scheme))
