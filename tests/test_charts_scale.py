"""The results and profile charts are plain SVG that names what it shows, escapes user text and is byte-stable.

For many branches the history chart summarises each period instead of drawing
one panel per branch; these tests check what each form shows, not its looks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.diagrams.profile_chart import draw_profile_chart
from generator.diagrams.results_charts import (
    SMALL_MULTIPLES,
    draw_distribution_chart,
    draw_history_chart,
    percentile,
)

PERIODS = ["2026Q1", "2026Q2", "2026Q3"]
LINES = [(90.0, "第一台阶"), (80.0, "第二台阶")]
NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    """Every text element's content, with entities resolved by an XML parser (so the SVG must be well-formed)."""
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{NS}text")]


def test_history_chart_for_a_few_branches_names_each_branch_escaped_and_is_stable():
    series = [("青石村<b>党支部</b>", [91.0, None, 85.5]), ("柳岸社区 & 党支部", [70.0, 72.0, 79.5]),
              ("梅溪中学党支部", [None, 60.0, 65.0])]
    svg = draw_history_chart(PERIODS, series, LINES, "总分")
    assert svg == draw_history_chart(PERIODS, series, LINES, "总分")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp; 党支部" in svg
    shown = texts(svg)
    for name, values in series:
        assert name in shown
        assert all(f"{v:g}" in shown for v in values if v is not None)
    assert set(PERIODS) <= set(shown)
    assert any("第一台阶 90" in text for text in shown)


def test_history_chart_for_many_branches_summarises_each_period_with_its_median_and_count():
    count = SMALL_MULTIPLES + 6
    series = [(f"支部{n}", [50.0 + n, 60.0 + n, None if n % 2 else 70.0]) for n in range(count)]
    svg = draw_history_chart(PERIODS, series, LINES, "总分")
    assert svg == draw_history_chart(PERIODS, series, LINES, "总分")
    shown = texts(svg)
    assert not any(text.startswith("支部") for text in shown)   # no panel per branch
    assert any(f"共 {count} 个支部" in text for text in shown)
    assert [f"{count} 个支部", f"{count} 个支部", f"{count // 2} 个支部"] == [t for t in shown if t.endswith(" 个支部")]
    median = percentile([50.0 + n for n in range(count)], 0.5)
    assert f"{median:.1f}".rstrip("0").rstrip(".") in shown


def test_percentile_interpolates_between_neighbours():
    assert percentile([10, 20, 30, 40], 0.5) == 25
    assert percentile([5], 0.9) == 5
    assert percentile([1, 2, 3, 4, 5], 0.25) == 2


def test_distribution_chart_shows_every_band_and_count():
    bands = ["第一台阶", "第二台阶", "降档 <0.7>"]
    svg = draw_distribution_chart(PERIODS, bands, {"第一台阶": [3, 4, 5], "第二台阶": [7, 0, 2], "降档 <0.7>": [1, 1, 0]})
    shown = texts(svg)
    assert set(bands) <= set(shown) and set(PERIODS) <= set(shown)
    assert {"3", "4", "5", "7", "2"} <= set(shown)
    assert "&lt;0.7&gt;" in svg


def test_profile_chart_shows_its_panel_titles_category_labels_and_counts_as_text():
    profile = {"age_bands": {"35岁及以下": 11, "36—45岁": 7, "46—60岁": 0},
               "education": {"大专": 2, "本科": 14, "研究生": 3},
               "party_age": {"5年以下": 6, "5—9年": 9, "10年及以上": 13}}
    svg = draw_profile_chart(profile)
    assert svg == draw_profile_chart(profile)
    shown = texts(svg)
    assert {"年龄结构", "学历结构", "党龄结构（正式党员）"} <= set(shown)
    for counts in profile.values():
        assert set(counts) <= set(shown)
        assert {str(value) for value in counts.values()} <= set(shown)
    assert "<script" not in svg and "href" not in svg
