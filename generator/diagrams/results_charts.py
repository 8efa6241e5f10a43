"""Turn assessment results into SVG charts: the branches' scores across periods, and the band distribution per period.

Written as SVG text directly with the helpers of `generator.diagrams.profile_chart`
(escaped text, estimated widths, fixed number formatting), so the charts are
byte-stable, cheap to draw and stay readable whatever the number of branches:

- history, up to `SMALL_MULTIPLES` branches: one small panel per branch with its
  score in each period and the scheme's rule lines (what a reader of a few
  branches compares: each branch's course);
- history, more branches: one panel that summarises every period's scores —
  the middle half of the branches (25th–75th percentile) as a box, the 10th–90th
  percentile as a whisker, the lowest and highest score as dots and the median
  joined across periods — against the rule lines. Panels for hundreds of
  branches could not be read; each branch's own scores are on the period pages;
- distribution: stacked bars of the number of branches in each band per period.
"""

from __future__ import annotations

import math

from generator.diagrams.profile_chart import (
    GREY,
    INK,
    RED,
    document,
    fit,
    label,
    line,
    num,
    rect,
)
from generator.diagrams.text_fit import ROUGH

# From the best band to the worst: deep red → pale, then grey for the penalty band.
BAND_COLOURS = ("#7f1212", "#b71c1c", "#e57373", "#f4b6b6", "#bdbdbd", "#757575")
PALE = "#f4b6b6"
SMALL_MULTIPLES = 24   # most branches drawn one panel each; more are summarised per period

PANEL_WIDTH, PANEL_HEIGHT = 210, 150
COLUMNS = 4
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 34, 26, 22   # inside a panel: y labels, title, x labels


def _range(series: list[tuple[str, list[float | None]]], lines: list[tuple[float, str]]) -> tuple[float, float]:
    values = [v for _, vs in series for v in vs if v is not None] + [value for value, _ in lines]
    if not values:
        return 0.0, 100.0
    return min(values) - 5, max(values) + 5


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 × a power of ten apart) between low and high."""
    raw = (high - low) / count if high > low else 1
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + n * step for n in range(int((high - first) // step) + 1)]


def _x_labels(periods: list[str], xs: list[float], room: float, y: float, size: float) -> list[str]:
    """Period codes under the axis, every k-th one when they would overlap."""
    widest = max(ROUGH.width(p, size) for p in periods) + 4
    every = max(1, math.ceil(widest / room)) if len(periods) > 1 else 1
    return [label(x, y, period, size, anchor="middle") for n, (x, period) in enumerate(zip(xs, periods))
            if n % every == 0]


def _rule_caption(lines: list[tuple[float, str]], value_label: str) -> str:
    return "虚线：" + "、".join(f"{name} {value:g}" for value, name in sorted(lines, reverse=True)) if lines else value_label


def _small_multiples(periods: list[str], series: list[tuple[str, list[float | None]]],
                     lines: list[tuple[float, str]], value_label: str) -> str:
    columns = min(COLUMNS, len(series)) or 1
    rows = math.ceil(len(series) / columns) or 1
    low, high = _range(series, lines)
    ticks = _ticks(low, high)
    header = 26
    body = [label(8, 17, f"{value_label}（{_rule_caption(lines, value_label)}）" if lines else value_label, 12)]
    plot_width = PANEL_WIDTH - PLOT_LEFT - 12
    plot_height = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    inset = 14   # keeps the first and last points clear of the y labels and of the next panel
    step = (plot_width - 2 * inset) / max(len(periods) - 1, 1)
    for index, (name, points) in enumerate(series):
        left = 8 + (index % columns) * PANEL_WIDTH
        top = header + (index // columns) * PANEL_HEIGHT
        x0, y0 = left + PLOT_LEFT, top + PLOT_TOP

        def y_of(value: float, y0: float = y0) -> float:
            return y0 + plot_height * (high - value) / (high - low)

        xs = [x0 + (inset + n * step if len(periods) > 1 else plot_width / 2) for n in range(len(periods))]
        body.append(label(x0 - 26, top + 15, fit(name, 12, PANEL_WIDTH - 12), 12, bold=True))
        body.append(line(x0, y0, x0, y0 + plot_height))
        body.append(line(x0, y0 + plot_height, x0 + plot_width, y0 + plot_height))
        body += [label(x0 - 4, y_of(t) + 3, f"{t:g}", 9, anchor="end") for t in ticks]
        body += [line(x0, y_of(value), x0 + plot_width, y_of(value), GREY, 0.8, "4 3") for value, _ in lines]
        present = [(x, v) for x, v in zip(xs, points) if v is not None]
        if len(present) > 1:
            body.append(f'<polyline points="{" ".join(f"{num(x)},{num(y_of(v))}" for x, v in present)}" '
                        f'fill="none" stroke="{RED}" stroke-width="1.6"/>')
        for x, value in present:
            body.append(f'<circle cx="{num(x)}" cy="{num(y_of(value))}" r="3" fill="{RED}"/>')
            body.append(label(x, y_of(value) - 6, f"{value:g}", 9, anchor="middle"))
        body += _x_labels(periods, xs, step, y0 + plot_height + 14, 9)
    width = 8 + columns * PANEL_WIDTH
    return document(width, header + rows * PANEL_HEIGHT + 4, f"各支部历次{value_label}", body)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie, interpolating linearly between neighbours."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _summary(periods: list[str], series: list[tuple[str, list[float | None]]],
             lines: list[tuple[float, str]], value_label: str) -> str:
    low, high = _range(series, lines)
    ticks = _ticks(low, high)
    rule_room = max([ROUGH.width(f"{name} {value:g}", 11) for value, name in lines] + [0]) + 10
    slot = max(90.0, max(ROUGH.width(p, 11) for p in periods) + 24)
    left, top, plot_height = 48.0, 58.0, 240.0
    plot_width = slot * len(periods)
    width = left + plot_width + rule_room + 8
    height = top + plot_height + 52

    def y_of(value: float) -> float:
        return top + plot_height * (high - value) / (high - low)

    body = [label(8, 18, f"各期{value_label}分布（共 {len(series)} 个支部；各支部的{value_label}见各期结果）", 13, bold=True),
            label(8, 38, "方框：中间一半支部（25%—75%）；竖线：10%—90%；圆点：最低和最高；折线：中位数", 11, fill="#555")]
    body += [line(left, y_of(t), left + plot_width, y_of(t), "#e0e0e0", 0.8) for t in ticks]
    body += [label(left - 6, y_of(t) + 4, f"{t:g}", 10, anchor="end") for t in ticks]
    for value, name in lines:
        body.append(line(left, y_of(value), left + plot_width, y_of(value), GREY, 1, "5 3"))
        body.append(label(left + plot_width + 6, y_of(value) + 4, f"{name} {value:g}", 11, fill="#555"))
    body.append(line(left, top, left, top + plot_height))
    body.append(line(left, top + plot_height, left + plot_width, top + plot_height))
    medians = []
    for n, period in enumerate(periods):
        values = [point for _, points in series if (point := points[n]) is not None]
        centre = left + slot * (n + 0.5)
        body.append(label(centre, top + plot_height + 16, period, 11, anchor="middle"))
        body.append(label(centre, top + plot_height + 32, f"{len(values)} 个支部", 10, anchor="middle", fill="#555"))
        if not values:
            continue
        p10, p25, p50, p75, p90 = (percentile(values, s) for s in (0.1, 0.25, 0.5, 0.75, 0.9))
        box = min(36.0, slot * 0.45)
        body.append(line(centre, y_of(p90), centre, y_of(p10), INK, 1))
        body.append(rect(centre - box / 2, y_of(p75), box, max(y_of(p25) - y_of(p75), 1), PALE, RED))
        body.append(line(centre - box / 2, y_of(p50), centre + box / 2, y_of(p50), RED, 2.5))
        for extreme in (min(values), max(values)):
            body.append(f'<circle cx="{num(centre)}" cy="{num(y_of(extreme))}" r="2.5" fill="none" stroke="{INK}"/>')
        body.append(label(centre + box / 2 + 4, y_of(p50) + 4, f"{p50:.1f}".rstrip("0").rstrip("."), 10, fill=RED))
        medians.append((centre, y_of(p50)))
    if len(medians) > 1:
        body.append(f'<polyline points="{" ".join(f"{num(x)},{num(y)}" for x, y in medians)}" fill="none" '
                    f'stroke="{RED}" stroke-width="1.2" stroke-dasharray="2 2"/>')
    return document(width, height, f"各期{value_label}分布", body)


def draw_history_chart(periods: list[str], series: list[tuple[str, list[float | None]]],
                       lines: list[tuple[float, str]], value_label: str) -> str:
    """The branches' scores across periods: small multiples for a few branches, a per-period summary for many.

    `series` is (branch name, one value per period or None when it has none);
    `lines` are (score, label) such as (70, "第一台阶").
    """
    if len(series) <= SMALL_MULTIPLES:
        return _small_multiples(periods, series, lines, value_label)
    return _summary(periods, series, lines, value_label)


def draw_distribution_chart(periods: list[str], bands: list[str], counts: dict[str, list[int]]) -> str:
    """Stacked bars: how many branches fall in each band (best first) in each period, with a legend."""
    totals = [sum(counts.get(band, [0] * len(periods))[n] for band in bands) for n in range(len(periods))]
    top_total = max(totals + [1])
    slot = max(70.0, max([ROUGH.width(p, 11) for p in periods] + [0]) + 20)
    left, top, plot_height = 44.0, 16.0, 180.0
    plot_width = slot * len(periods)
    legend_x = left + plot_width + 20
    legend_width = max([ROUGH.width(band, 11) for band in bands] + [0]) + 24
    width = legend_x + legend_width + 8
    height = max(top + plot_height + 30, top + 18 * len(bands) + 10)
    ticks = _ticks(0, top_total * 1.1, 4)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / (top_total * 1.1))

    body = [line(left, y_of(t), left + plot_width, y_of(t), "#e0e0e0", 0.8) for t in ticks if t == int(t)]
    body += [label(left - 6, y_of(t) + 4, f"{t:g}", 10, anchor="end") for t in ticks if t == int(t)]
    body.append(label(12, top + plot_height / 2, "支部数", 11, anchor="middle").replace(
        "<text ", f'<text transform="rotate(-90 12 {num(top + plot_height / 2)})" ', 1))
    bar = min(44.0, slot * 0.55)
    for n, period in enumerate(periods):
        centre = left + slot * (n + 0.5)
        bottom = 0
        for colour, band in zip(BAND_COLOURS, bands):
            height_of = counts.get(band, [0] * len(periods))[n]
            if not height_of:
                continue
            y_top, y_bottom = y_of(bottom + height_of), y_of(bottom)
            body.append(rect(centre - bar / 2, y_top, bar, y_bottom - y_top, colour))
            if y_bottom - y_top >= 11:
                body.append(label(centre, (y_top + y_bottom) / 2 + 4, f"{height_of}", 10, anchor="middle",
                                  fill="#fff" if colour in BAND_COLOURS[:2] else INK))
            bottom += height_of
        body.append(label(centre, top + plot_height + 16, period, 11, anchor="middle"))
    body.append(line(left, top, left, top + plot_height))
    body.append(line(left, top + plot_height, left + plot_width, top + plot_height))
    for n, (colour, band) in enumerate(zip(BAND_COLOURS, bands)):
        y = top + 18 * n
        body.append(rect(legend_x, y, 12, 12, colour))
        body.append(label(legend_x + 18, y + 10, band, 11))
    return document(width, height, "各期档次分布：" + "、".join(bands), body)
