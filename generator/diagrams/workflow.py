"""Turn a workflow into flow-chart SVGs: one per A4 page, steps down a spine, grouped by stage.

Purpose-built, because these charts are all alike: an ordered list of steps
with a few decisions and loops. `generator.diagrams.workflow_layout` places
the rows, stage bands, pages and side edges; this module draws them: each
step's actor as a coloured tag, the step as a numbered box (or a diamond for a
decision) holding its name and time rule, the edge to the next step straight
down, and the other edges (skips, loops dashed, decision branches with their
labels, ends and jumps to another page as rounded marks) to the right. Text
widths come from `generator.diagrams.text_fit`, numbers have fixed
formatting, so the same input always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from generator.diagrams.text_fit import text_width
from generator.diagrams.workflow_layout import (
    ACTOR,
    ACTOR_W,
    ACTOR_X,
    CENTRE_X,
    HEADER_H,
    LABEL_W,
    NAME,
    NAME_LEAD,
    NOTE_W,
    PRINT_WIDTH_MM,
    RIGHT,
    SIDE_X,
    SMALL,
    SMALL_LEAD,
    SPINE_W,
    SPINE_X,
    STAGE_W,
    STAGE_X,
    TIME,
    WIDTH,
    Band,
    PageLayout,
    Row,
    badge_extra,
    down_label,
    layout_workflow,
    mark_width,
    tag_height,
)
from generator.models.content import ACTOR_GROUPS, Workflow

__all__ = ["PRINT_WIDTH_MM", "WIDTH", "ChartFeatures", "Page", "TextLine", "chart_features", "chart_pages",
           "draw_workflow"]

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"

RED, INK, GREY, TIME_INK = "#b71c1c", "#1f2937", "#4b5563", "#9a3412"
LABEL_INK, LOOP_INK = "#374151", "#c2410c"  # branch labels take the colour of their line
GROUP_COLOURS = {"个人": ("#e8f1fb", "#1d4ed8"), "支部": ("#fdecec", "#b71c1c"),
                 "上级": ("#f3ecfa", "#6b21a8"), "其他": ("#e9f6ec", "#15803d")}
ACTOR_COLOURS = {actor: GROUP_COLOURS[group] for group, actors in ACTOR_GROUPS.items() for actor in actors}


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class TextLine:
    """One drawn line of text and the width it must fit in."""

    x: float
    y: float
    content: str
    size: float
    room: float
    anchor: str = "start"
    bold: bool = False
    fill: str = INK

    def svg(self) -> str:
        extra = (' font-weight="bold"' if self.bold else "") + (
            f' text-anchor="{self.anchor}"' if self.anchor != "start" else "")
        return (f'<text x="{_n(self.x)}" y="{_n(self.y)}" font-size="{_n(self.size)}" fill="{self.fill}"{extra}>'
                f"{escape(self.content, quote=False)}</text>")


@dataclass
class Page:
    """One drawn page: SVG shapes (drawn first) and text lines (drawn over them)."""

    height: float
    shapes: list[str] = field(default_factory=list)
    texts: list[TextLine] = field(default_factory=list)
    width: float = WIDTH     # drawn width; narrower without the 分支与回转 column
    offset: float = 0.0      # how far the drawing is shifted right, to stay centred when narrower


def _baseline(centre: float, size: float) -> float:
    """Baseline that centres a CJK em box (0.88 above, 0.12 below the baseline) on `centre`."""
    return centre + 0.38 * size


# --- drawing primitives -----------------------------------------------------------------

def _arrow_head(x: float, y: float, dx: float, dy: float, colour: str) -> str:
    """A filled triangle with its tip at (x, y), pointing along (dx, dy) (a unit axis direction)."""
    back_x, back_y, side_x, side_y = x - 7 * dx, y - 7 * dy, 3.5 * dy, 3.5 * dx
    return (f'<path d="M{_n(x)} {_n(y)}L{_n(back_x + side_x)} {_n(back_y + side_y)}'
            f'L{_n(back_x - side_x)} {_n(back_y - side_y)}Z" fill="{colour}"/>')


def _polyline(points: list[tuple[float, float]], colour: str, dashed: bool) -> str:
    d = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points)
    dash = ' stroke-dasharray="4 2.5"' if dashed else ""
    return (f'<path d="{d}" fill="none" stroke="#fff" stroke-width="4"/>'
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.1"{dash}/>')


def _pill(page: Page, x: float, centre: float, text: str, dashed: bool = False) -> None:
    """A rounded end or page mark starting at x."""
    width = mark_width(text)
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    page.shapes.append(f'<rect x="{_n(x)}" y="{_n(centre - 9)}" width="{_n(width)}" height="18" rx="9" '
                       f'fill="#f1f5f9" stroke="#475569" stroke-width="1"{dash}/>')
    page.texts.append(TextLine(x + width / 2, _baseline(centre, SMALL), text, SMALL, width - 8, "middle",
                               fill="#334155"))


def _label(page: Page, x: float, line_y: float, lines: list[str], colour: str) -> None:
    """Branch label set just above a line starting at x, in the line's colour."""
    for offset, line in enumerate(reversed(lines)):
        page.texts.append(TextLine(x, line_y - 3 - offset * SMALL_LEAD, line, SMALL, LABEL_W, fill=colour))


def _badge(page: Page, x: float, centre: float, label: str) -> None:
    """The step's number: a circle centred on x, or for a longer label a pill starting where the circle would."""
    extra = badge_extra(label)
    if not extra:
        page.shapes.append(f'<circle cx="{_n(x)}" cy="{_n(centre)}" r="8" fill="{RED}"/>')
        page.texts.append(TextLine(x, _baseline(centre, SMALL) - 0.4, label, SMALL, 15, "middle", True, "#fff"))
        return
    width = 16 + extra
    page.shapes.append(f'<rect x="{_n(x - 8)}" y="{_n(centre - 8)}" width="{_n(width)}" height="16" rx="8" '
                       f'fill="{RED}"/>')
    page.texts.append(TextLine(x - 8 + width / 2, _baseline(centre, SMALL) - 0.4, label, SMALL, width - 1, "middle",
                               True, "#fff"))


# --- one row: tag, box or diamond, texts --------------------------------------------------

def _draw_tag(page: Page, row: Row) -> None:
    fill, ink = ACTOR_COLOURS.get(row.step.actor, ("#f3f4f6", GREY))
    height = tag_height(row.tag)
    top = row.centre - height / 2
    page.shapes.append(f'<rect x="{_n(ACTOR_X)}" y="{_n(top)}" width="{_n(ACTOR_W)}" height="{_n(height)}" rx="4" '
                       f'fill="{fill}" stroke="{ink}" stroke-width="0.8"/>')
    left = CENTRE_X - SPINE_W / 2 if row.decision else SPINE_X
    page.shapes.append(f'<path d="M{_n(ACTOR_X + ACTOR_W)} {_n(row.centre)}H{_n(left)}" stroke="{ink}" '
                       f'stroke-width="0.8" stroke-dasharray="2 2"/>')
    for number, line in enumerate(row.tag):
        centre = top + 4 + 13 * number + 6.5
        page.texts.append(TextLine(ACTOR_X + ACTOR_W / 2, _baseline(centre, ACTOR), line, ACTOR, ACTOR_W - 8,
                                   "middle", True, ink))


def _draw_box(page: Page, row: Row) -> None:
    top, height = row.centre - row.half_height, 2 * row.half_height
    page.shapes.append(f'<rect x="{_n(SPINE_X)}" y="{_n(top)}" width="{_n(SPINE_W)}" height="{_n(height)}" rx="5" '
                       f'fill="#fff" stroke="{RED}" stroke-width="1.2"/>')
    used = 12 + NAME_LEAD * len(row.name) + (4 + SMALL_LEAD * len(row.time) if row.time else 0)
    y = top + (height - used) / 2 + 6
    _badge(page, SPINE_X + 14, y + NAME_LEAD / 2, row.label)
    extra = badge_extra(row.label)
    for number, line in enumerate(row.name):
        shift = extra if number == 0 else 0.0
        page.texts.append(TextLine(SPINE_X + 28 + shift, _baseline(y + NAME_LEAD / 2, NAME), line, NAME,
                                   SPINE_W - 34 - shift))
        y += NAME_LEAD
    if row.time:
        y += 2
        page.shapes.append(f'<path d="M{_n(SPINE_X + 8)} {_n(y)}H{_n(SPINE_X + SPINE_W - 8)}" stroke="#e5c7c7" '
                           f'stroke-width="0.8"/>')
        y += 2
    for line in row.time:
        page.texts.append(TextLine(SPINE_X + 10, _baseline(y + SMALL_LEAD / 2, TIME), line, TIME, SPINE_W - 18,
                                   fill=TIME_INK))
        y += SMALL_LEAD


def _diamond_room(row: Row, top: float, bottom: float) -> float:
    """Width of the diamond over the vertical extent [top, bottom], less a margin."""
    reach = max(abs(top - row.centre), abs(bottom - row.centre))
    return SPINE_W * (1 - reach / row.half_height) - 8


def _draw_diamond(page: Page, row: Row) -> None:
    a, b, cy = SPINE_W / 2, row.half_height, row.centre
    page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(cy - b)}L{_n(CENTRE_X + a)} {_n(cy)}L{_n(CENTRE_X)} '
                       f'{_n(cy + b)}L{_n(CENTRE_X - a)} {_n(cy)}Z" fill="#fff7e6" stroke="#b45309" '
                       f'stroke-width="1.2"/>')
    y = cy - NAME_LEAD * len(row.name) / 2
    for number, line in enumerate(row.name):
        centre, width = y + NAME_LEAD / 2, text_width(line, NAME)
        room = _diamond_room(row, centre - 0.5 * NAME, centre + 0.5 * NAME)
        if number == 0:
            extra = badge_extra(row.label)
            start = CENTRE_X - (width + 18 + extra) / 2
            _badge(page, start + 8, centre, row.label)
            page.texts.append(TextLine(start + 18 + extra, _baseline(centre, NAME), line, NAME, room - 18 - extra))
        else:
            page.texts.append(TextLine(CENTRE_X, _baseline(centre, NAME), line, NAME, room, "middle"))
        y += NAME_LEAD
    for number, line in enumerate(row.time):
        page.texts.append(TextLine(CENTRE_X - 6, cy + b + 11 + number * SMALL_LEAD, line, TIME, NOTE_W, "end",
                                   fill=TIME_INK))


# --- edges --------------------------------------------------------------------------------

def _draw_edges(page: Page, layout: PageLayout) -> None:
    """Branch labels and end or jump marks first, then the routed lines in their tracks."""
    for edge in layout.edges:
        colour = LOOP_INK if edge.upward else LABEL_INK
        if edge.label:
            _label(page, edge.label_x, edge.out_y, edge.label_lines, colour)
        if edge.target is None:
            page.shapes.append(_polyline([(edge.out_x, edge.out_y), (edge.x, edge.out_y)], GREY, False))
            _pill(page, edge.x, edge.out_y, edge.jump or "", edge.jump != "结束")
    for edge in (e for e in layout.edges if e.target):
        colour = LOOP_INK if edge.upward else GREY
        points = [(edge.out_x, edge.out_y), (edge.x, edge.out_y), (edge.x, edge.in_y), (edge.in_x, edge.in_y)]
        page.shapes.append(_polyline(points, colour, edge.upward))
        page.shapes.append(_arrow_head(edge.in_x, edge.in_y, -1, 0, colour))


def _draw_down(page: Page, row: Row, end: float, head: bool = True) -> None:
    """The edge to the next step in the list, straight down to `end`, with its branch label if any."""
    if row.down is None:
        return
    start = row.centre + row.half_height
    page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(start)}V{_n(end - 1)}" stroke="{GREY}" stroke-width="1.1"/>')
    if head:
        page.shapes.append(_arrow_head(CENTRE_X, end, 0, 1, GREY))
    for number, line in enumerate(down_label(row)):
        page.texts.append(TextLine(CENTRE_X + 6, start + 11 + number * SMALL_LEAD, line, SMALL, NOTE_W,
                                   fill=LABEL_INK))


# --- pages ------------------------------------------------------------------------------------

def _header(page: Page, side: bool) -> None:
    page.shapes.append(f'<rect x="0" y="0" width="{_n(page.width)}" height="{_n(HEADER_H - 4)}" fill="#f3f4f6"/>')
    columns = [(STAGE_X + STAGE_W / 2, "阶段"), (ACTOR_X + ACTOR_W / 2, "责任主体"), (CENTRE_X, "工作步骤及时限")]
    if side:
        columns.append(((SIDE_X + RIGHT) / 2, "分支与回转"))
    for centre, title in columns:
        page.texts.append(TextLine(centre, _baseline((HEADER_H - 4) / 2, SMALL), title, SMALL, 80, "middle", True,
                                   GREY))


def _draw_band(page: Page, band: Band) -> None:
    """A stage band's background, its stage column and the stage's name centred in it."""
    top, bottom = band.top, band.bottom
    page.shapes.append(f'<rect x="0" y="{_n(top)}" width="{_n(page.width)}" height="{_n(bottom - top)}" '
                       f'fill="{"#fcf8f3" if band.stage % 2 == 0 else "#ffffff"}"/>')
    page.shapes.append(f'<rect x="{_n(STAGE_X)}" y="{_n(top + 3)}" width="{_n(STAGE_W)}" '
                       f'height="{_n(bottom - top - 6)}" rx="4" fill="#f6e7dc"/>')
    page.shapes.append(f'<path d="M0 {_n(bottom)}H{_n(page.width)}" stroke="#e7d3c3" stroke-width="0.8"/>')
    middle = (top + bottom) / 2
    first = -(len(band.lines) * 14) / 2
    for number, (text, size) in enumerate(band.lines):
        y = _baseline(first + 14 * number + 7, size)
        page.texts.append(TextLine(STAGE_X + STAGE_W / 2, y + middle, text, size, STAGE_W - 8, "middle", True,
                                   RED if number == 0 else INK))


def _page_mark(page: Page, text: str, centre: float) -> None:
    _pill(page, CENTRE_X - mark_width(text) / 2, centre, text, True)


def _draw_page(layout: PageLayout) -> Page:
    page = Page(layout.height, width=layout.width, offset=layout.offset)
    _header(page, layout.side)
    for band in layout.bands:
        _draw_band(page, band)
    rows = layout.rows
    _draw_edges(page, layout)
    for row, below in zip(rows, rows[1:]):
        _draw_down(page, row, below.centre - below.half_height)
    if layout.carried_in:
        first = rows[0]
        _page_mark(page, "接上页", HEADER_H + 11)
        page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(HEADER_H + 20)}V{_n(first.centre - first.half_height - 1)}" '
                           f'stroke="{GREY}" stroke-width="1.1"/>')
        page.shapes.append(_arrow_head(CENTRE_X, first.centre - first.half_height, 0, 1, GREY))
    if layout.carries_on:
        _draw_down(page, rows[-1], layout.bottom + 9, head=False)
        _page_mark(page, "接下页", layout.bottom + 17)
    for row in rows:
        _draw_tag(page, row)
        (_draw_diamond if row.decision else _draw_box)(page, row)
    return page


def chart_pages(workflow: Workflow) -> list[Page]:
    """The drawn pages of a workflow's chart, as shapes and text lines (what `draw_workflow` writes as SVG)."""
    return [_draw_page(layout) for layout in layout_workflow(workflow)]


@dataclass(frozen=True)
class ChartFeatures:
    """What a workflow's chart draws that its legend explains."""

    decision: bool   # a diamond: a step that decides between branches
    loop: bool       # a dashed arrow back to an earlier step on the same page


def chart_features(workflow: Workflow) -> ChartFeatures:
    """The shapes the legend under a workflow's chart names: only those its pages draw."""
    edges = [edge for layout in layout_workflow(workflow) for edge in layout.edges]
    return ChartFeatures(any(step.choices is not None for step in workflow.steps), any(edge.upward for edge in edges))


def _svg(page: Page, title: str) -> str:
    height = _n(page.height)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(WIDTH)}" height="{height}" '
            f'viewBox="0 0 {_n(WIDTH)} {height}" font-family="{FONT}" role="img" '
            f'aria-label="{escape(title)}">\n<title>{escape(title, quote=False)}</title>')
    body = page.shapes + [text.svg() for text in page.texts]
    if page.offset:
        body = [f'<g transform="translate({_n(page.offset)} 0)">', *body, "</g>"]
    return "\n".join([head, *body, "</svg>"]) + "\n"


def draw_workflow(workflow: Workflow) -> list[str]:
    """SVG texts of the workflow's flow chart, one per A4-sized page (one for a short workflow)."""
    pages = chart_pages(workflow)
    titles = [workflow.title] if len(pages) == 1 else [
        f"{workflow.title}（第{number}页，共{len(pages)}页）" for number in range(1, len(pages) + 1)]
    return [_svg(page, title) for page, title in zip(pages, titles)]
