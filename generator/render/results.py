"""Turn the public results view into the site's 考核结果 pages, charts and the data-format page.

Pages: an overview, one page per scheme (rules in force with their boundary
reading, history and distribution charts, links to the periods), one page per
scheme and period (the ranking table with tiers, coefficients, flags and
consequences), and the schema of the files under site/data/. Only the public
view reaches here: a member scheme shows per-branch aggregates only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2

from generator.periods import PERIOD_UNITS
from generator.diagrams.results_charts import draw_distribution_chart, draw_history_chart
from generator.compute.views import organization_view
from generator.export import export_columns
from generator.models.schemes import (
    AnyScheme, FiveStepScheme, GradingScheme, PointsScheme, RedFlagScheme, Scheme, TieredScheme, parse_threshold,
)

if TYPE_CHECKING:   # for the type checker only: the scoring engines (pandas) take a while to import
    from generator.compute.notices import Notice
    from generator.compute.scoring import Cell, ColumnView, PeriodView, ResultRow, SchemeView
    from generator.models import Project

# The column holding each kind's band for the distribution chart, and the bands best first.
DISTRIBUTION = {"tiered": "tier", "red_flag": "band", "grading": "grade"}
HISTORY = {"tiered": "total", "red_flag": "total", "five_step": "composite", "grading": "score"}
# The columns a period page shows (the data files have every public column).
PAGE_COLUMNS = {
    "tiered": ("rank", "branch", "subtotal_1", "subtotal_2", "subtotal_3", "total", "tier", "coefficient", "tags"),
    "red_flag": ("rank", "branch", "total", "band", "prize", "flag", "consequences"),
    "five_step": ("rank", "branch", "step_1", "step_2", "step_3", "step_4", "step_5", "composite"),
    "grading": ("rank", "branch", "score", "periods", "grade", "label", "action"),
}


def format_value(value: Cell, column: ColumnView) -> str:
    """A result cell as plain text: numbers without trailing zeros, money in 元, flags as 是/授旗.

    Plain text, not Markdown: the page environment escapes it for the table cell.
    """
    if value is None:
        return "—" if column["kind"] != "flag" else ""
    if value == "":
        return ""
    kind, key = column["kind"], column["key"]
    if kind == "flag":
        return ("授旗" if key == "flag" else "是") if value else ""
    if key == "coefficient":
        return f"{float(value):.1f}"
    if kind == "money":
        return f"{float(value):,.2f}".rstrip("0").rstrip(".") + "元"
    if kind == "number":
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(value)


def _reading(scheme: Scheme, text: str) -> str:
    return scheme.boundary.operator(text)


def _tiered_rules(scheme: TieredScheme) -> list[dict]:
    r, unit = scheme.rules, PERIOD_UNITS[scheme.period]
    rows = [{"name": t.name, "written": f"总分{t.when}", "reading": f"总分 {_reading(scheme, t.when)}",
             "effect": f"系数 {t.coefficient:.1f}"}
            for t in sorted(r.tiers, key=lambda t: parse_threshold(t.when).value)]
    rows.append({"name": "降档", "written": f"总分{r.penalty.total}或{r.key_tier}{r.penalty.key}",
                 "reading": f"总分 {_reading(scheme, r.penalty.total)} 或{r.key_tier} {_reading(scheme, r.penalty.key)}",
                 "effect": f"系数 {r.penalty.coefficient:.1f}；{r.penalty.action}"})
    levels = "；".join(f"连续第{n}个{unit}：{level}" for n, level in enumerate(r.escalation.levels, start=1))
    rows.append({"name": "不合格（问责升级）", "written": f"总分{r.escalation.total}或{r.key_tier}{r.escalation.key}",
                 "reading": f"总分 {_reading(scheme, r.escalation.total)} 或{r.key_tier} {_reading(scheme, r.escalation.key)}",
                 "effect": f"{levels}（提示等级；{'缺期中断连续' if r.escalation.gap_breaks else '缺期不中断'}）"})
    last = "排名末位或" if r.exposure.last_place else ""
    rows.append({"name": "面子挂钩", "written": f"{last}总分{r.exposure.total}",
                 "reading": f"{last}总分 {_reading(scheme, r.exposure.total)}", "effect": r.exposure.action})
    amounts = "、".join(f"{line} {amount:g}元" for line, amount in r.withheld.items())
    rows.append({"name": "返还金额", "written": "预留金额 × 系数（推定）", "reading": "—",
                 "effect": f"预留金额：{amounts}；各支部的金额属书记个人收入，不在网站公开"})
    return rows


def _red_flag_rules(scheme: RedFlagScheme) -> list[dict]:
    r = scheme.rules
    prizes = "/".join(f"{p:g}" for p in r.prizes)
    rows = [{"name": f"奖金{b.name}", "written": f"得分{b.when}", "reading": f"得分 {_reading(scheme, b.when)}",
             "effect": f"第1—{len(r.prizes)}名 {prizes}元 × {b.ratio:g}"}
            for b in sorted(r.bands, key=lambda b: -parse_threshold(b.when).value)]
    rows.append({"name": "不奖励", "written": "其余", "reading": "—", "effect": "0"})
    rows.append({"name": "流动红旗", "written": f"前{r.flags}名", "reading": f"名次 ≤ {r.flags}（并列的都授）", "effect": "授予流动红旗"})
    levels = "；".join(f"第{n}次{'及以上' if n == len(r.sanction.levels) else ''}：{level}"
                       for n, level in enumerate(r.sanction.levels, start=1))
    window = "当年" if r.sanction.window == "year" else "累计"
    last = "排名末位且" if r.sanction.last_place else ""
    rows.append({"name": "末位惩戒", "written": f"{last}得分{r.sanction.total}",
                 "reading": f"{last}得分 {_reading(scheme, r.sanction.total)}", "effect": f"按{window}次数：{levels}"})
    rows.append({"name": "年终", "written": "—", "reading": "—", "effect": r.year_end})
    return rows


def _points_rules(scheme: PointsScheme) -> list[dict]:
    r = scheme.rules
    weights = " + ".join(f"{tier} × {weight:g}" for tier, weight in r.weights.items())
    rows = [{"name": "最终积分", "written": weights, "reading": "各级先折算为百分制", "effect": "保留两位小数"}]
    for band in list(r.rewards) + list(r.penalties):
        c = band.consequences
        effect = "；".join(f"{who}：{text}" for who, text in
                           (("正式党员", c.full), ("预备党员", c.probationary), ("入党积极分子", c.activist)) if text)
        rows.append({"name": band.name, "written": band.when, "reading": _reading(scheme, band.when), "effect": effect})
    p = r.priority
    rows.append({"name": "优先", "written": f"支部内前 {p.share:.0%}", "reading":
                 f"人数{ {'floor': '向下取整', 'round': '四舍五入', 'ceil': '向上取整'}[p.rounding] }，至少 {p.minimum} 人，并列的一并计入",
                 "effect": p.label})
    return rows


def _grading_rules(scheme: GradingScheme) -> list[dict]:
    return [{"name": f"{g.grade}（{g.label}）", "written": g.when or "其余",
             "reading": _reading(scheme, g.when) if g.when else "—", "effect": g.action or ""}
            for g in scheme.rules.grades]


def _five_step_rules(scheme: FiveStepScheme) -> list[dict]:
    names = {item.id: item.name for item in scheme.items}
    return [{"name": step.name, "written": f"权重 {step.weight:g}",
             "reading": "、".join(f"{names.get(s, s)} × {w:g}" for s, w in step.sheets.items()) or "—",
             "effect": step.note or ""} for step in scheme.rules.steps]


def rules_rows(scheme: AnyScheme) -> list[dict]:
    """The rules in force, one row each, as the scheme's page lists them."""
    if scheme.kind == "tiered":
        return _tiered_rules(scheme)
    if scheme.kind == "red_flag":
        return _red_flag_rules(scheme)
    if scheme.kind == "points":
        return _points_rules(scheme)
    if scheme.kind == "grading":
        return _grading_rules(scheme)
    return _five_step_rules(scheme)


def boundary_sentence(scheme: Scheme) -> str:
    b = scheme.boundary
    above = "包括" if b.above_includes else "不包括"
    below = "包括" if b.below_includes else "不包括"
    return (f"本页的分数界限按以下读法：「以上」{above}本数，「以下」「以内」{below}本数；「低于」「不满」「不足」「超过」「高于」"
            f"不包括本数，「不低于」「不超过」包括本数（依据：{b.basis}）。分数保留两位小数后比较。")


def _charts(scheme: AnyScheme, view: SchemeView) -> dict[str, str]:
    """Chart file name → SVG for one scheme (none for member schemes)."""
    charts = {}
    kind, periods = scheme.kind, view["periods"]
    labels = [p["period"] for p in periods]
    key = HISTORY.get(kind)
    if key and len(periods) >= 2:
        branches = sorted({(row["branch_id"], row["branch"]) for p in periods for row in p["rows"]})
        values = {(p["period"], row["branch_id"]): row[key] for p in periods for row in p["rows"]}
        series = [(str(name), [_score(values.get((period, bid))) for period in labels]) for bid, name in branches]
        lines = [(parse_threshold(t.when).value, t.name) for t in scheme.rules.tiers] if scheme.kind == "tiered" else \
            [(parse_threshold(b.when).value, b.name) for b in scheme.rules.bands] if scheme.kind == "red_flag" else []
        charts["history.svg"] = draw_history_chart(labels, series, lines, "总分")
    band_key = DISTRIBUTION.get(kind)
    if band_key and periods:
        bands = _band_order(scheme)
        counts = {band: [sum(1 for row in p["rows"] if _band_of(row, kind, band_key) == band) for p in periods]
                  for band in bands}
        charts["distribution.svg"] = draw_distribution_chart(labels, bands, counts)
    return charts


def _score(value: Cell) -> float | None:
    """A score of the history chart: a number, or None where the branch has none."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _band_order(scheme: AnyScheme) -> list[str]:
    """The bands of the distribution chart, best first (the kinds of DISTRIBUTION)."""
    if scheme.kind == "tiered":
        tiers = [t.name for t in sorted(scheme.rules.tiers, key=lambda t: -parse_threshold(t.when).value)]
        return tiers + [f"降档（{scheme.rules.penalty.coefficient:.1f}）"]
    if scheme.kind == "red_flag":
        return [b.name for b in sorted(scheme.rules.bands, key=lambda b: -parse_threshold(b.when).value)] + ["无奖金"]
    if scheme.kind == "grading":
        return [f"{g.grade}（{g.label}）" for g in scheme.rules.grades]
    return []


def _band_of(row: dict, kind: str, key: str) -> str:
    if kind == "tiered":
        return f"降档（{row['coefficient']:.1f}）" if row["penalized"] else row["tier"]
    if kind == "red_flag":
        return row["band"] or "无奖金"
    return f"{row['grade']}（{row['label']}）"


TAGS: ColumnView = {"key": "tags", "title": "提示", "kind": "text", "privacy": "public", "description": ""}


def _page_columns(kind: str, view: SchemeView) -> list[ColumnView]:
    by_key = {column["key"]: column for column in view["columns"]} | {"tags": TAGS}
    return [by_key[key] for key in PAGE_COLUMNS.get(kind, ()) if key in by_key]


def _page_rows(kind: str, period: PeriodView) -> list[ResultRow]:
    """The period's rows; for 台阶考核 with short tags (降档, 面子挂钩, the level) for the table."""
    if kind != "tiered":
        return period["rows"]
    return [{**row, "tags": "、".join(tag for tag, on in (("降档", row["penalized"]), ("面子挂钩", row["exposure"]),
                                                         (str(row["escalation"]), bool(row["escalation"]))) if on)}
            for row in period["rows"]]


def render_results_pages(schemes: list[AnyScheme], view: list[SchemeView], notices: list[Notice], env: jinja2.Environment,
                         files: dict[str, str]) -> list:
    """Write the results pages into `files` (path → text); return the 考核结果 navigation entries."""
    env.filters["result"] = format_value
    by_id = {scheme.id: scheme for scheme in schemes}
    by_slug = {notice["slug"]: notice for notice in notices}
    nav: list = [{"概览": "results/index.md"}]
    for scheme_view in view:
        scheme = by_id[scheme_view["id"]]
        folder = f"results/{scheme.id}"
        charts = _charts(scheme, scheme_view)
        for name, svg in charts.items():
            files[f"{folder}/{name}"] = svg
        boundary = boundary_sentence(scheme)
        files[f"{folder}/index.md"] = env.get_template("results_scheme.md.j2").render(
            scheme=scheme, view=scheme_view, rules=rules_rows(scheme), charts=sorted(charts), boundary=boundary)
        entries: list = [f"{folder}/index.md"]
        for period in scheme_view["periods"]:
            files[f"{folder}/{period['period']}.md"] = env.get_template("results_period.md.j2").render(
                scheme=scheme, view=scheme_view, period=period, rows=_page_rows(scheme.kind, period), boundary=boundary,
                columns=_page_columns(scheme.kind, scheme_view), notice=by_slug.get(f"{scheme.id}-{period['period']}"),
                escalation_note=scheme.rules.escalation.note if scheme.kind == "tiered" else None)
            entries.append({period["label"]: f"{folder}/{period['period']}.md"})
        nav.append({scheme.name: entries})
    files["results/index.md"] = env.get_template("results.md.j2").render(views=view, schemes=by_id)
    files["results/data.md"] = env.get_template("results_data.md.j2").render(views=view, export_columns=export_columns)
    nav.append({"结果数据下载": "results/data.md"})
    return nav


def render_assessment_pages(project: Project, view: list[SchemeView], notices: list[Notice], env: jinja2.Environment,
                            files: dict[str, str], notice_pdfs: frozenset[str] | None = None) -> list:
    """The 考核结果 and 公示 sections: results pages, notices and the feed; returns their navigation.

    `view` is the public results view and `notices` the notices, as the pipeline computed them.
    """
    from generator.render.notices import render_notice_pages   # it imports format_value from here

    results_nav = render_results_pages(list(project.schemes), view, notices, env, files)
    notices_nav = render_notice_pages(notices, organization_view(project.organization), env, files, notice_pdfs)
    return [{"考核结果": results_nav}, {"公示": notices_nav}]
