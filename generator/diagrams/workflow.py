"""Turn a workflow into flow-chart SVGs: one per A4 page, steps down a spine, grouped by stage.

Purpose-built layout, because these charts are all alike: an ordered list of
steps with a few decisions and loops. Each row is one step: its stage band on
the left, its actor as a coloured tag, then the step as a numbered box (or a
diamond for a decision) holding the name and the time rule. The next step in
the list hangs straight below; every other edge (skips, loops, decision
branches) leaves to the right and runs in its own vertical track, so lines
never cross boxes. Text is wrapped with a fixed width table (CJK = 1 em, ASCII
from Noto Sans CJK SC Bold), so boxes grow instead of overflowing and the same
input always gives the same bytes. Long workflows split at stage boundaries
into pages of at most ``MAX_PAGE_HEIGHT``.

The chart is ``WIDTH`` user units wide and meant to be shown 156 mm wide (the
A4 type area): one unit is then 0.75 pt, and the smallest text (10 units) is
7.5 pt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from generator.models.content import ACTOR_GROUPS, Step, Workflow
from generator.periods import ordinal as chinese_ordinal

FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
WIDTH = 590.0
MAX_PAGE_HEIGHT = 780.0
PRINT_WIDTH_MM = 156.0

STAGE_X, STAGE_W = 4.0, 56.0
ACTOR_X, ACTOR_W = 66.0, 86.0
SPINE_X, SPINE_W = 160.0, 250.0
CENTRE_X = SPINE_X + SPINE_W / 2
SIDE_X = SPINE_X + SPINE_W
RIGHT = WIDTH - 6.0
HEADER_H, MARK_H = 22.0, 30.0
ROW_GAP, BAND_PAD, TRACK_GAP, LABEL_W = 22.0, 11.0, 10.0, 110.0
NOTE_W = SPINE_W / 2 - 8  # under a diamond: its time rule left of the arrow, the branch label right of it

NAME, TIME, ACTOR, STAGE, SMALL = 12.0, 10.0, 11.0, 11.5, 10.0
NAME_LEAD, SMALL_LEAD = 15.0, 12.5

RED, INK, GREY, TIME_INK = "#b71c1c", "#1f2937", "#4b5563", "#9a3412"
LABEL_INK, LOOP_INK = "#374151", "#c2410c"  # branch labels take the colour of their line
GROUP_COLOURS = {"个人": ("#e8f1fb", "#1d4ed8"), "支部": ("#fdecec", "#b71c1c"),
                 "上级": ("#f3ecfa", "#6b21a8"), "其他": ("#e9f6ec", "#15803d")}
ACTOR_COLOURS = {actor: GROUP_COLOURS[group] for group, actors in ACTOR_GROUPS.items() for actor in actors}

# Advance widths in em, from Noto Sans CJK SC Bold (the wider weight); anything else is 1 em.
_ASCII_EM = {**{c: 0.59 for c in "0123456789#$+<=>^~_"}, **{c: 0.38 for c in ".,:;'!|()[]{}-ijlI`"},
             **{c: 0.45 for c in "frt/\\\"*?"}, **{c: 0.65 for c in "abdeghknopqsuvxyzc"},
             **{c: 0.97 for c in "mwMW%@&"}, " ": 0.23}
_NO_START = set("，。、；：？！）》」』”’％…·—,.;:?!)%")
_NO_END = set("（《「『“‘(")
_TOKEN = re.compile(r"[A-Za-z0-9.%+/\-–]+|\s+|.")


def text_width(text: str, size: float) -> float:
    """Width of `text` at font size `size`, never less than Noto Sans CJK SC draws it."""
    return size * sum(_ASCII_EM.get(ch, 0.77 if ch.isascii() else 1.0) for ch in text)


def _tokens(text: str, size: float, room: float) -> list[str]:
    result = []
    for token in _TOKEN.findall(text):
        result.extend(token if text_width(token, size) > room else [token])
    return result


def wrap_text(text: str, size: float, room: float, first_room: float | None = None) -> list[str]:
    """Lines of `text` that each fit `room`, as even in length as the line count allows.

    Breaks fall between CJK characters but not inside Latin words or numbers,
    and no line starts with closing punctuation.
    """
    lines = _greedy(text, size, room, first_room)
    low, high = 0.5, 1.0
    for _ in range(8):  # the narrowest room that needs no more lines avoids a lonely last character
        middle = (low + high) / 2
        narrower = first_room * middle if first_room is not None else None
        if len(_greedy(text, size, room * middle, narrower)) == len(lines):
            high = middle
        else:
            low = middle
    return _greedy(text, size, room * high, first_room * high if first_room is not None else None)


def _greedy(text: str, size: float, room: float, first_room: float | None) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    limit = room if first_room is None else first_room
    for token in _tokens(text, size, min(room, limit)):
        if not current and token.isspace():
            continue
        if not current or text_width("".join(current) + token, size) <= limit:
            current.append(token)
            continue
        carry = [current.pop()] if token[0] in _NO_START and len(current) > 1 else []
        while len(current) > 1 and current[-1] in _NO_END:
            carry.insert(0, current.pop())
        lines.append("".join(current).rstrip())
        current, limit = carry + ([] if token.isspace() else [token]), room
    if current:
        lines.append("".join(current).rstrip())
    return lines or [""]


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
    height: float
    shapes: list[str] = field(default_factory=list)
    texts: list[TextLine] = field(default_factory=list)
    width: float = WIDTH     # drawn width; narrower without the 分支与回转 column
    offset: float = 0.0      # how far the drawing is shifted right, to stay centred when narrower


def _baseline(centre: float, size: float) -> float:
    """Baseline that centres a CJK em box (0.88 above, 0.12 below the baseline) on `centre`."""
    return centre + 0.38 * size


# --- rows: one step each ------------------------------------------------------------

@dataclass
class _Row:
    index: int
    step: Step
    name: list[str]
    time: list[str]
    down: tuple[str | None, str] | None           # (label, target id) of the edge straight below
    outs: list[tuple[str | None, str | None]]  # (label, target id) of the side exits; None ends the flow
    ins: int                                      # side edges that may arrive here
    tag: list[str]
    half_height: float = 0.0
    top: float = 0.0
    label: str = ""          # the number in its badge: 「23」, or 「23（一）」 for a sub-step

    @property
    def decision(self) -> bool:
        return self.step.choices is not None

    @property
    def height(self) -> float:
        return max(2 * self.half_height, _tag_height(self.tag))

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


def _tag_height(lines: list[str]) -> float:
    return 8 + 13 * len(lines)


def _time_text(step: Step) -> str:
    if step.time is None:
        return ""
    return ("时限（本地常见做法）：" if step.time.local else "时限：") + step.time.text


def _exit_gap(label: str | None) -> float:
    """Vertical room between a decision's side exits: the next exit's label sits above its line."""
    return SMALL_LEAD * (len(wrap_text(label, SMALL, LABEL_W)) if label else 1) + 6


def _diamond_half(name: list[str], outs: list, ins: int, extra: float = 0.0) -> float:
    widths = [text_width(line, NAME) + (18 + extra if i == 0 else 0) for i, line in enumerate(name)]
    block = NAME_LEAD * len(name)
    fit = (block / 2 + 4) / (1 - (max(widths) / 2 + 6) / (SPINE_W / 2))
    exits = sum(_exit_gap(label) for label, _ in outs[1:]) + (14 if len(outs) > 1 else 8)
    return max(fit, exits, 20 + 12 * ins + 6, 22.0)


def _rows(workflow: Workflow) -> list[_Row]:
    successors = workflow.successors()
    numbers = workflow.step_labels()
    ids = [step.id for step in workflow.steps]
    incoming = {step_id: 0 for step_id in ids}
    rows = []
    for index, step in enumerate(workflow.steps):
        labels = [c.label for c in step.choices] if step.choices else [None] * len(successors[step.id])
        following = ids[index + 1] if index + 1 < len(ids) else None
        pairs = list(zip(labels, successors[step.id]))
        down = next((p for p in pairs if p[1] == following and following is not None), None)
        outs = [p for p in pairs if p is not down]
        if not pairs and index + 1 < len(ids):
            outs = [(None, None)]  # an end in the middle of the list gets its own 结束 mark
        for _, target in outs:
            if target in incoming:
                incoming[target] += 1
        rows.append(_Row(index, step, [], [], down, outs, 0, wrap_text(step.actor, ACTOR, ACTOR_W - 8)))
    for row in rows:
        row.ins = incoming[row.step.id]
        row.label = numbers[row.step.id]
        _size_row(row)
    return rows


def _size_row(row: _Row) -> None:
    time = _time_text(row.step)
    extra = _badge_extra(row.label)
    if row.decision:
        row.name = wrap_text(row.step.name, NAME, 132, 114 - extra)
        row.time = wrap_text(time, TIME, NOTE_W) if time else []
        row.half_height = _diamond_half(row.name, row.outs, row.ins, extra)
    else:
        row.name = wrap_text(row.step.name, NAME, SPINE_W - 34, SPINE_W - 34 - extra)
        row.time = wrap_text(time, TIME, SPINE_W - 18) if time else []
        ports = len(row.outs) + row.ins
        height = 12 + NAME_LEAD * len(row.name) + (4 + SMALL_LEAD * len(row.time) if row.time else 0)
        row.half_height = max(height, 10 * ports + 8) / 2


# --- pages: stages packed into A4-sized chunks ---------------------------------------

def _blocks(rows: list[_Row]) -> list[list[_Row]]:
    """Runs of rows of one stage, split so that each fits on a page."""
    room = MAX_PAGE_HEIGHT - HEADER_H - 2 * MARK_H - 2 * BAND_PAD
    blocks: list[list[_Row]] = []
    for row in rows:
        last = blocks[-1] if blocks else None
        if last and last[-1].step.stage == row.step.stage and _stack(last + [row]) <= room:
            last.append(row)
        else:
            blocks.append([row])
    return blocks


def _gap_after(row: _Row) -> float:
    """Room below a row: more for a branch label on the edge straight down, or a decision's time rule."""
    label = len(wrap_text(row.down[0], SMALL, NOTE_W)) if row.down and row.down[0] else 0
    note = len(row.time) if row.decision else 0
    return max(ROW_GAP, 16 + SMALL_LEAD * max(label, note))


def _stack(rows: list[_Row]) -> float:
    return sum(row.height for row in rows) + sum(_gap_after(row) for row in rows[:-1])


def _band_height(workflow: Workflow, block: list[_Row]) -> float:
    """Height of a stage band at most: its rows, its padding, and room for the stage's name."""
    natural = _stack(block) + 2 * BAND_PAD + 2 * max(0.0, _gap_after(block[-1]) - 2 * BAND_PAD)
    return max(natural, len(_stage_lines(workflow, block, True)) * 14 + 16)


def _pages(workflow: Workflow, rows: list[_Row]) -> list[list[list[_Row]]]:
    pages: list[list[list[_Row]]] = []
    used = 0.0
    for block in _blocks(rows):
        height = _band_height(workflow, block)
        if pages and used + height <= MAX_PAGE_HEIGHT - HEADER_H - 2 * MARK_H:
            pages[-1].append(block)
            used += height
        else:
            pages.append([block])
            used = height
    return pages


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


def _pill(page: Page, x: float, centre: float, text: str, dashed: bool = False) -> float:
    """A rounded end or page mark starting at x; returns its right edge."""
    width = text_width(text, SMALL) + 16
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    page.shapes.append(f'<rect x="{_n(x)}" y="{_n(centre - 9)}" width="{_n(width)}" height="18" rx="9" '
                       f'fill="#f1f5f9" stroke="#475569" stroke-width="1"{dash}/>')
    page.texts.append(TextLine(x + width / 2, _baseline(centre, SMALL), text, SMALL, width - 8, "middle",
                               fill="#334155"))
    return x + width


def _label(page: Page, x: float, line_y: float, label: str, colour: str) -> float:
    """Branch label set just above a line starting at x, in the line's colour; returns its right edge."""
    lines = wrap_text(label, SMALL, LABEL_W)
    for offset, line in enumerate(reversed(lines)):
        page.texts.append(TextLine(x, line_y - 3 - offset * SMALL_LEAD, line, SMALL, LABEL_W, fill=colour))
    return x + max(text_width(line, SMALL) for line in lines)


def _badge_extra(label: str) -> float:
    """How much wider than the round badge (16 units) the badge of `label` is: a sub-step's 「23（一）」 needs a pill."""
    return 0.0 if len(label) <= 2 else text_width(label, SMALL) + 8 - 16


def _badge(page: Page, x: float, centre: float, label: str) -> None:
    """The step's number: a circle centred on x, or for a longer label a pill starting where the circle would."""
    extra = _badge_extra(label)
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

def _draw_tag(page: Page, row: _Row) -> None:
    fill, ink = ACTOR_COLOURS.get(row.step.actor, ("#f3f4f6", GREY))
    height = _tag_height(row.tag)
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


def _draw_box(page: Page, row: _Row) -> None:
    top, height = row.centre - row.half_height, 2 * row.half_height
    page.shapes.append(f'<rect x="{_n(SPINE_X)}" y="{_n(top)}" width="{_n(SPINE_W)}" height="{_n(height)}" rx="5" '
                       f'fill="#fff" stroke="{RED}" stroke-width="1.2"/>')
    used = 12 + NAME_LEAD * len(row.name) + (4 + SMALL_LEAD * len(row.time) if row.time else 0)
    y = top + (height - used) / 2 + 6
    _badge(page, SPINE_X + 14, y + NAME_LEAD / 2, row.label)
    extra = _badge_extra(row.label)
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


def _diamond_room(row: _Row, top: float, bottom: float) -> float:
    """Width of the diamond over the vertical extent [top, bottom], less a margin."""
    reach = max(abs(top - row.centre), abs(bottom - row.centre))
    return SPINE_W * (1 - reach / row.half_height) - 8


def _draw_diamond(page: Page, row: _Row) -> None:
    a, b, cy = SPINE_W / 2, row.half_height, row.centre
    page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(cy - b)}L{_n(CENTRE_X + a)} {_n(cy)}L{_n(CENTRE_X)} '
                       f'{_n(cy + b)}L{_n(CENTRE_X - a)} {_n(cy)}Z" fill="#fff7e6" stroke="#b45309" '
                       f'stroke-width="1.2"/>')
    y = cy - NAME_LEAD * len(row.name) / 2
    for number, line in enumerate(row.name):
        centre, width = y + NAME_LEAD / 2, text_width(line, NAME)
        room = _diamond_room(row, centre - 0.5 * NAME, centre + 0.5 * NAME)
        if number == 0:
            extra = _badge_extra(row.label)
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

@dataclass
class _Edge:
    source: _Row
    label: str | None
    target: _Row | None      # None: an end or a jump to another page
    jump: str | None = None  # text of the mark for an end or a jump
    track: int = 0
    out_y: float = 0.0
    out_x: float = 0.0
    in_y: float = 0.0
    in_x: float = 0.0

    @property
    def upward(self) -> bool:
        return self.target is not None and self.target.index <= self.source.index

    @property
    def span(self) -> tuple[int, int]:
        ends = sorted((self.source.index, self.target.index)) if self.target else (self.source.index,) * 2
        return ends[0], ends[1]


def _edges(rows: list[_Row], numbers: dict[str, str]) -> list[_Edge]:
    on_page = {row.step.id: row for row in rows}
    edges = []
    for row in rows:
        for label, target in row.outs:
            if target is None:
                edges.append(_Edge(row, label, None, "结束"))
            elif target in on_page:
                edges.append(_Edge(row, label, on_page[target]))
            else:
                edges.append(_Edge(row, label, None, f"转第{numbers.get(target, '?')}步"))
    return edges


def _assign_tracks(edges: list[_Edge]) -> int:
    """Give each routed edge the innermost free track; shorter spans get inner tracks."""
    taken: list[list[tuple[int, int]]] = []
    for edge in sorted((e for e in edges if e.target), key=lambda e: (e.span[1] - e.span[0], e.span)):
        low, high = edge.span
        track = next((t for t, spans in enumerate(taken) if all(high < a or low > b for a, b in spans)), len(taken))
        if track == len(taken):
            taken.append([])
        taken[track].append(edge.span)
        edge.track = track
    return len(taken)


def _place_ports(row: _Row, outs: list[_Edge], ins: list[_Edge]) -> None:
    """Where each side edge leaves or enters the row's shape, ordered so that lines cross as little as possible."""
    outs.sort(key=lambda e: (e.target is None, not e.upward, e.track if e.upward else -e.track))
    ins.sort(key=lambda e: (e.upward, e.track if not e.upward else -e.track))
    if row.decision:
        a, b, offset = SPINE_W / 2, row.half_height, 0.0
        for number, edge in enumerate(outs):
            offset += _exit_gap(edge.label) if number else 0.0
            edge.out_y, edge.out_x = row.centre + offset, CENTRE_X + a * (1 - offset / b)
        for number, edge in enumerate(ins):
            rise = 20 + 12 * number
            edge.in_y, edge.in_x = row.centre - rise, CENTRE_X + a * (1 - rise / b)
        return
    ports = len(ins) + len(outs)
    top, step = row.centre - row.half_height, 2 * row.half_height / (ports + 1)
    for number, edge in enumerate(ins):
        edge.in_y, edge.in_x = top + step * (number + 1), SIDE_X
    for number, edge in enumerate(outs):
        edge.out_y, edge.out_x = top + step * (len(ins) + number + 1), SIDE_X


def _draw_edges(page: Page, rows: list[_Row], numbers: dict[str, str]) -> None:
    edges = _edges(rows, numbers)
    tracks = _assign_tracks(edges)
    for row in rows:
        _place_ports(row, [e for e in edges if e.source is row], [e for e in edges if e.target is row])
    reach = SIDE_X + 8
    for edge in edges:
        start = max(edge.out_x, SIDE_X if edge.source.decision else 0.0) + 5
        colour = LOOP_INK if edge.upward else LABEL_INK
        right = _label(page, start, edge.out_y, edge.label, colour) if edge.label else edge.out_x + 6
        if edge.target is None:
            start = max(right + 4, edge.out_x + 16)
            page.shapes.append(_polyline([(edge.out_x, edge.out_y), (start, edge.out_y)], GREY, False))
            right = _pill(page, start, edge.out_y, edge.jump or "", edge.jump != "结束")
        reach = max(reach, right)
    first = reach + 8
    gap = TRACK_GAP if tracks < 2 else max(4.0, min(TRACK_GAP, (RIGHT - first) / (tracks - 1)))
    first = min(first, RIGHT - gap * max(tracks - 1, 0))
    for edge in (e for e in edges if e.target):
        x = first + gap * edge.track
        colour = LOOP_INK if edge.upward else GREY
        points = [(edge.out_x, edge.out_y), (x, edge.out_y), (x, edge.in_y), (edge.in_x, edge.in_y)]
        page.shapes.append(_polyline(points, colour, edge.upward))
        page.shapes.append(_arrow_head(edge.in_x, edge.in_y, -1, 0, colour))


def _draw_down(page: Page, row: _Row, end: float, head: bool = True) -> None:
    """The edge to the next step in the list, straight down to `end`, with its branch label if any."""
    if row.down is None:
        return
    start = row.centre + row.half_height
    page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(start)}V{_n(end - 1)}" stroke="{GREY}" stroke-width="1.1"/>')
    if head:
        page.shapes.append(_arrow_head(CENTRE_X, end, 0, 1, GREY))
    if row.down[0]:
        for number, line in enumerate(wrap_text(row.down[0], SMALL, NOTE_W)):
            page.texts.append(TextLine(CENTRE_X + 6, start + 11 + number * SMALL_LEAD, line, SMALL, NOTE_W,
                                       fill=LABEL_INK))


# --- pages ------------------------------------------------------------------------------------

def _stage_lines(workflow: Workflow, block: list[_Row], continued: bool) -> list[TextLine]:
    """The stage column's text, centred on 0 (shifted into place by the caller)."""
    index = next(i for i, stage in enumerate(workflow.stages) if stage.id == block[0].step.stage)
    name = workflow.stages[index].name + ("（续）" if continued else "")
    ordinal = chinese_ordinal(index + 1, "阶段")
    lines = [(ordinal, SMALL, RED)] + [(line, STAGE, INK) for line in wrap_text(name, STAGE, STAGE_W - 8)]
    top = -(len(lines) * 14) / 2
    return [TextLine(STAGE_X + STAGE_W / 2, _baseline(top + 14 * i + 7, size), text, size, STAGE_W - 8,
                     "middle", True, colour) for i, (text, size, colour) in enumerate(lines)]


def _header(page: Page) -> None:
    page.shapes.append(f'<rect x="0" y="0" width="{_n(page.width)}" height="{_n(HEADER_H - 4)}" fill="#f3f4f6"/>')
    columns = ((STAGE_X + STAGE_W / 2, "阶段"), (ACTOR_X + ACTOR_W / 2, "责任主体"), (CENTRE_X, "工作步骤及时限"))
    if page.width == WIDTH:
        columns += (((SIDE_X + RIGHT) / 2, "分支与回转"),)
    for centre, title in columns:
        page.texts.append(TextLine(centre, _baseline((HEADER_H - 4) / 2, SMALL), title, SMALL, 80, "middle", True,
                                   GREY))


def _bands(page: Page, workflow: Workflow, blocks: list[list[_Row]], continued: list[bool], top: float) -> float:
    """Place the rows of each stage band from `top` down, draw the bands; return the bottom."""
    previous_gap = 2 * BAND_PAD
    for block, carried in zip(blocks, continued):
        labels = _stage_lines(workflow, block, carried)
        extra = max(0.0, len(labels) * 14 + 16 - (2 * BAND_PAD + _stack(block)))
        y = top + max(BAND_PAD, previous_gap - BAND_PAD) + extra / 2
        for row in block:
            row.top = y
            y += row.height + _gap_after(row)
        previous_gap = _gap_after(block[-1])
        bottom = y - previous_gap + max(BAND_PAD, previous_gap - BAND_PAD) + extra / 2
        stage = [s.id for s in workflow.stages].index(block[0].step.stage)
        page.shapes.append(f'<rect x="0" y="{_n(top)}" width="{_n(page.width)}" height="{_n(bottom - top)}" '
                           f'fill="{"#fcf8f3" if stage % 2 == 0 else "#ffffff"}"/>')
        page.shapes.append(f'<rect x="{_n(STAGE_X)}" y="{_n(top + 3)}" width="{_n(STAGE_W)}" '
                           f'height="{_n(bottom - top - 6)}" rx="4" fill="#f6e7dc"/>')
        page.shapes.append(f'<path d="M0 {_n(bottom)}H{_n(page.width)}" stroke="#e7d3c3" stroke-width="0.8"/>')
        middle = (top + bottom) / 2
        page.texts.extend(TextLine(t.x, t.y + middle, t.content, t.size, t.room, t.anchor, t.bold, t.fill)
                          for t in labels)
        top = bottom
    return top


def _page_mark(page: Page, text: str, centre: float) -> None:
    _pill(page, CENTRE_X - (text_width(text, SMALL) + 16) / 2, centre, text, True)


def _layout_page(workflow: Workflow, blocks: list[list[_Row]], continued: list[bool],
                 numbers: dict[str, str], carried_in: bool, carries_on: bool, side: bool = True) -> Page:
    page = Page(0.0)
    if not side:   # no branch or loop anywhere in the workflow: leave out the 分支与回转 column, centre the rest
        page.width = SIDE_X + (WIDTH - RIGHT)
        page.offset = (WIDTH - page.width) / 2
    _header(page)
    bottom = _bands(page, workflow, blocks, continued, HEADER_H + (MARK_H if carried_in else 0))
    page.height = bottom + (MARK_H if carries_on else 0) + 4
    rows = [row for block in blocks for row in block]
    _draw_edges(page, rows, numbers)
    for row, below in zip(rows, rows[1:]):
        _draw_down(page, row, below.centre - below.half_height)
    if carried_in:
        first = rows[0]
        _page_mark(page, "接上页", HEADER_H + 11)
        page.shapes.append(f'<path d="M{_n(CENTRE_X)} {_n(HEADER_H + 20)}V{_n(first.centre - first.half_height - 1)}" '
                           f'stroke="{GREY}" stroke-width="1.1"/>')
        page.shapes.append(_arrow_head(CENTRE_X, first.centre - first.half_height, 0, 1, GREY))
    if carries_on:
        _draw_down(page, rows[-1], bottom + 9, head=False)
        _page_mark(page, "接下页", bottom + 17)
    for row in rows:
        _draw_tag(page, row)
        (_draw_diamond if row.decision else _draw_box)(page, row)
    return page


def layout_workflow(workflow: Workflow) -> list[Page]:
    """The laid-out pages of a workflow's chart (what `draw_workflow` turns into SVG)."""
    rows = _rows(workflow)
    numbers = {row.step.id: row.label for row in rows}
    pages = _pages(workflow, rows)
    side = any(row.outs for row in rows)
    result, seen_stages = [], set()
    for number, blocks in enumerate(pages):
        continued = []
        for block in blocks:
            continued.append(block[0].step.stage in seen_stages)
            seen_stages.add(block[0].step.stage)
        first, last = blocks[0][0], blocks[-1][-1]
        carried_in = number > 0 and pages[number - 1][-1][-1].down is not None
        carries_on = number + 1 < len(pages) and last.down is not None
        result.append(_layout_page(workflow, blocks, continued, numbers, carried_in and first.index > 0, carries_on,
                                   side))
    return result


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
    pages = layout_workflow(workflow)
    titles = [workflow.title] if len(pages) == 1 else [
        f"{workflow.title}（第{number}页，共{len(pages)}页）" for number in range(1, len(pages) + 1)]
    return [_svg(page, title) for page, title in zip(pages, titles)]
