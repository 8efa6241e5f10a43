"""Turn a branch's aggregate profile into a small SVG chart of its member structure, and the SVG helpers the charts share.

The chart is written as SVG text directly, like the org chart
(`generator.diagrams.orgchart`): three panels of horizontal bars (age,
education, 党龄), text as text, fonts named by family only, numbers with fixed
formatting and every text escaped, so it is small, crisp, searchable, cheap to
draw and byte-stable for the same input. Text widths are estimated
(`text_fit.ROUGH`: a CJK glyph is one em, other characters about half of one),
which is enough to lay out labels that the chart itself chooses the room for.
"""

from __future__ import annotations

from html import escape

from generator.diagrams.orgchart import FONT
from generator.diagrams.text_fit import ROUGH

RED = "#b71c1c"
GREY = "#9e9e9e"
INK = "#222"
AXIS = "#444"
PANELS = (("age_bands", "年龄结构"), ("education", "学历结构"), ("party_age", "党龄结构（正式党员）"))


def fit(text: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis when it would be wider than `width`."""
    if ROUGH.width(text, size) <= width:
        return text
    while text and ROUGH.width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def num(value: float) -> str:
    """A coordinate with one decimal: fixed formatting keeps the bytes stable."""
    return f"{value:.1f}"


def label(x: float, y: float, content: str, size: float, anchor: str = "start", fill: str = INK,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size:g}" fill="{fill}" text-anchor="{anchor}"{weight}>'
            f'{escape(content)}</text>')


def line(x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS, width: float = 1, dash: str = "") -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{stroke}" '
            f'stroke-width="{width:g}"{dashes}/>')


def rect(x: float, y: float, width: float, height: float, fill: str, stroke: str = "none") -> str:
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}" fill="{fill}" '
            f'stroke="{stroke}"/>')


def document(width: float, height: float, title: str, body: list[str]) -> str:
    """The SVG document: fixed size, an accessible name and a <title>, no scripts and no external resources."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" role="img" aria-label="{escape(title)}" font-family="{FONT}">\n'
            f'<title>{escape(title)}</title>\n' + "\n".join(body) + "\n</svg>\n")


BAR_HEIGHT = 16
ROW = 26
BAR_ROOM = 120     # the longest bar
VALUE_ROOM = 30    # the count after a bar
PANEL_GAP = 28
TOP = 30           # the panel titles


def draw_profile_chart(profile: dict) -> str:
    """SVG text with one horizontal bar panel per structure (age, education, 党龄): each category's count."""
    rows = max(len(profile[key]) for key, _ in PANELS)
    height = TOP + rows * ROW + 8
    body, x = [], 8.0
    for key, title in PANELS:
        counts = profile[key]
        labels = [str(name) for name in counts]
        label_room = max([ROUGH.width(name, 12) for name in labels] + [0]) + 10
        axis = x + label_room
        top = max(counts.values(), default=0) or 1
        body.append(label(x, 18, title, 13, bold=True))
        for index, (name, count) in enumerate(zip(labels, counts.values())):
            middle = TOP + index * ROW + ROW / 2
            body.append(label(axis - 6, middle + 4, name, 12, anchor="end"))
            length = BAR_ROOM * count / top
            if length:
                body.append(rect(axis, middle - BAR_HEIGHT / 2, length, BAR_HEIGHT, RED))
            body.append(label(axis + length + 4, middle + 4, f"{count}", 11))
        body.append(line(axis, TOP, axis, TOP + len(labels) * ROW))
        x = axis + BAR_ROOM + VALUE_ROOM + PANEL_GAP
    return document(x - PANEL_GAP + 8, height, "队伍结构：" + "、".join(title for _, title in PANELS), body)
