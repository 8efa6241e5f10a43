"""Turn a branch's public structure (committee and 党小组) into an 组织网络图 SVG.

A purpose-built three-row tree: the branch on top, the committee members with
their roles below it, the 党小组 with their leaders at the bottom. Output is
plain SVG text with no scripts, fonts named by family only, and fixed number
formatting, so the same input always gives the same bytes.
"""

from __future__ import annotations

from html import escape

from generator.diagrams.text_fit import ROUGH

BOX_HEIGHT = 54
ROW_GAP = 46
BOX_GAP = 14
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
RED = "#b71c1c"


def _width(lines: list[str], size: int) -> int:
    """Box width that fits the longest line (`text_fit.ROUGH`: CJK glyphs one em, others about half)."""
    longest = max(ROUGH.ems(line) for line in lines)
    return int(longest * size) + 24


def _box(x: float, y: float, width: int, lines: list[str], accent: bool) -> str:
    fill, stroke, color = (RED, RED, "#fff") if accent else ("#fff", RED, "#222")
    parts = [f'<rect x="{x:.1f}" y="{y:.1f}" width="{width}" height="{BOX_HEIGHT}" rx="6" '
             f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>']
    first = y + (BOX_HEIGHT / 2) - (len(lines) - 1) * 9 + 5
    for index, line in enumerate(lines):
        size, weight = (15, "bold") if index == 0 else (13, "normal")
        parts.append(f'<text x="{x + width / 2:.1f}" y="{first + index * 19:.1f}" font-size="{size}" '
                     f'font-weight="{weight}" fill="{color}" text-anchor="middle">{escape(line)}</text>')
    return "\n".join(parts)


def _row(items: list[list[str]], y: float, total_width: float, accent: bool) -> tuple[list[str], list[float]]:
    widths = [_width(lines, 15) for lines in items]
    span = sum(widths) + BOX_GAP * (len(items) - 1)
    x = (total_width - span) / 2
    shapes, centres = [], []
    for lines, width in zip(items, widths):
        shapes.append(_box(x, y, width, lines, accent))
        centres.append(x + width / 2)
        x += width + BOX_GAP
    return shapes, centres


def _connect(parent_x: float, parent_bottom: float, child_xs: list[float], child_top: float) -> str:
    middle = (parent_bottom + child_top) / 2
    lines = [f'<line x1="{parent_x:.1f}" y1="{parent_bottom:.1f}" x2="{parent_x:.1f}" y2="{middle:.1f}"/>']
    if len(child_xs) > 1:
        lines.append(f'<line x1="{min(child_xs):.1f}" y1="{middle:.1f}" x2="{max(child_xs):.1f}" y2="{middle:.1f}"/>')
    lines += [f'<line x1="{x:.1f}" y1="{middle:.1f}" x2="{x:.1f}" y2="{child_top:.1f}"/>' for x in child_xs]
    return "\n".join(lines)


def draw_org_chart(short_name: str, committee: list[dict], groups: list[dict]) -> str:
    """SVG text of the 组织网络图 from the public committee and group lists."""
    rows = [[[short_name, "支部委员会"]],
            [[person["role"], person["name"]] for person in committee]]
    if groups:
        rows.append([[group["name"], f"组长：{group['leader']}"] for group in groups])
    widths = [sum(_width(lines, 15) for lines in row) + BOX_GAP * (len(row) - 1) for row in rows]
    total_width = max(widths) + 40
    shapes, connectors, previous = [], [], None
    for index, row in enumerate(rows):
        y = 20 + index * (BOX_HEIGHT + ROW_GAP)
        row_shapes, centres = _row(row, y, total_width, accent=index == 0)
        shapes += row_shapes
        if previous is not None:
            parent = previous[0] if index == 1 else (total_width / 2)
            connectors.append(_connect(parent, y - ROW_GAP, centres, y))
        previous = centres
    height = 20 + len(rows) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + 20
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width:.0f} {height}" '
            f'width="{total_width:.0f}" height="{height}" role="img" aria-label="{escape(short_name)}组织网络图" '
            f'font-family="{FONT}">\n'
            f'<g stroke="{RED}" stroke-width="1.5" fill="none">\n' + "\n".join(connectors) + "\n</g>\n"
            + "\n".join(shapes) + "\n</svg>\n")
