"""Turn assessment results into SVG charts: each branch's history across periods, and the band distribution per period.

matplotlib draws with the CJK font and keeps text as text (the rcParams of
`generator.diagrams.charts`: fonttype none, fixed hash salt, no date), so the
SVG is crisp, searchable and byte-stable for the same input.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from generator.diagrams import charts  # noqa: E402,F401  (applies the shared rcParams)

RED = "#b71c1c"
GREY = "#9e9e9e"
# From the best band to the worst: deep red → pale, then grey for the penalty band.
BAND_COLOURS = ("#7f1212", "#b71c1c", "#e57373", "#f4b6b6", "#bdbdbd", "#757575")


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def draw_history_chart(periods: list[str], series: list[tuple[str, list[float | None]]],
                       lines: list[tuple[float, str]], value_label: str) -> str:
    """Small multiples: one panel per branch with its score in each period and the rule lines.

    `series` is (branch name, one value per period or None when it has none);
    `lines` are (score, label) such as (70, "第一台阶").
    """
    columns = min(4, len(series)) or 1
    rows = math.ceil(len(series) / columns) or 1
    values = [v for _, vs in series for v in vs if v is not None]
    low = min(values + [line for line, _ in lines]) - 5 if values else 0
    high = max(values + [line for line, _ in lines]) + 5 if values else 100
    figure, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 1.9 * rows), sharex=True, sharey=True,
                                squeeze=False)
    positions = list(range(len(periods)))
    for axis, (name, points) in zip(axes.flat, series):
        for value, label in lines:
            axis.axhline(value, color=GREY, linewidth=0.6, linestyle="--")
        xs = [x for x, v in zip(positions, points) if v is not None]
        ys = [v for v in points if v is not None]
        axis.plot(xs, ys, color=RED, marker="o", markersize=3.5, linewidth=1.4)
        for x, y in zip(xs, ys):
            axis.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7)
        axis.set_title(name, fontsize=9, loc="left")
        axis.set_ylim(low, high)
        axis.set_xticks(positions, periods, fontsize=7)
        axis.tick_params(axis="y", labelsize=7)
    for axis in list(axes.flat)[len(series):]:
        axis.set_visible(False)
    if lines:
        axes.flat[0].set_ylabel(value_label, fontsize=8)
    figure.tight_layout()
    return _svg(figure)


def draw_distribution_chart(periods: list[str], bands: list[str], counts: dict[str, list[int]]) -> str:
    """Stacked bars: how many branches fall in each band (best first) in each period."""
    figure, axis = plt.subplots(figsize=(max(4.0, 1.3 * len(periods) + 2.5), 2.8))
    bottoms = [0] * len(periods)
    for colour, band in zip(BAND_COLOURS, bands):
        heights = counts.get(band, [0] * len(periods))
        bars = axis.bar(periods, heights, bottom=bottoms, color=colour, width=0.55, label=band)
        axis.bar_label(bars, labels=[str(h) if h else "" for h in heights], label_type="center", fontsize=8,
                       color="white" if colour in BAND_COLOURS[:2] else "black")
        bottoms = [b + h for b, h in zip(bottoms, heights)]
    axis.set_ylabel("支部数", fontsize=9)
    axis.set_ylim(0, max(bottoms + [1]) * 1.1)
    axis.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    figure.tight_layout()
    return _svg(figure)
