"""Turn the five score sheets of the 五步考评 into step scores, a weighted composite and a ranking.

The rules (docs/domain.md, 五步考评): steps 目标考核, 专项述职, 民主测评, 民意调查,
述职评议; sheets 自查评分表, 考核评分表, 民主测评表, 民意调查表, 述职评分表. Each
sheet is scaled to 100, each step is the weighted mean of its sheets, the
composite is the weighted sum of the steps. The weights are configurable;
the source gives none.
"""

from __future__ import annotations

import pandas as pd

from generator.compute.scoring.common import Column, competition_rank, rounded
from generator.models.schemes import FiveStepScheme


def five_step_columns(scheme: FiveStepScheme) -> tuple[Column, ...]:
    steps = tuple(Column(f"step_{n}", step.name, "number", description=f"权重 {step.weight:g}")
                  for n, step in enumerate(scheme.rules.steps, start=1) if step.weight > 0)
    return (Column("branch_id", "支部编号"), Column("branch", "支部"), *steps,
            Column("composite", "综合得分", "number", description="各环节得分按权重相加，保留两位小数"),
            Column("rank", "名次", "integer", description="综合得分从高到低（1, 2, 2, 4）"))


def step_scores(items: pd.DataFrame, scheme: FiveStepScheme) -> pd.DataFrame:
    maxima = {item.id: item.max_points for item in scheme.scored_items() if item.max_points is not None}
    result = pd.DataFrame(index=items.index)
    composite = pd.Series(0.0, index=items.index)
    for n, step in enumerate(scheme.rules.steps, start=1):
        if step.weight == 0:
            continue
        score = sum((weight * items[sheet] / maxima[sheet] * 100 for sheet, weight in step.sheets.items()),
                    pd.Series(0.0, index=items.index))
        result[f"step_{n}"] = rounded(score)
        composite = composite + step.weight * score
    result["composite"] = rounded(composite)
    return result


def compute_five_step(items: pd.DataFrame, scheme: FiveStepScheme) -> pd.DataFrame:
    result = step_scores(items, scheme)
    result["rank"] = competition_rank(result["composite"])
    return result
