"""Turn a workflow into the geometry of its flow chart: rows, stage bands, pages, and the routes of side edges.

Each row is one step: its stage band on the left, its actor as a tag, then the
step as a numbered box (or a diamond for a decision) holding the name and the
time rule; texts are wrapped by `generator.diagrams.text_fit`, so boxes grow
instead of overflowing. The next step in the list hangs straight below; every
other edge (skips, loops, decision branches) leaves to the right and runs in
its own vertical track, the innermost free one, so lines never cross boxes.
Long workflows split at stage boundaries into pages of at most
``MAX_PAGE_HEIGHT``. `generator.diagrams.workflow` draws the result.

The chart is ``WIDTH`` user units wide and meant to be shown 156 mm wide (the
A4 type area): one unit is then 0.75 pt, and the smallest text (10 units) is
7.5 pt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagrams.text_fit import text_width, wrap_text
from generator.models.content import Step, Workflow
from generator.periods import ordinal as chinese_ordinal

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

NAME, TIME, ACTOR, STAGE, SMALL = 12.0, 10.0, 11.0, 11.5, 10.0   # font sizes
NAME_LEAD, SMALL_LEAD = 15.0, 12.5


# --- rows: one step each ------------------------------------------------------------

@dataclass
class Row:
    """One step's row: its wrapped texts, its edges and, once its page is laid out, its position."""

    index: int
    step: Step
    name: list[str]
    time: list[str]
    down: tuple[str | None, str | None] | None    # (label, target id) of the edge straight below
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
        return max(2 * self.half_height, tag_height(self.tag))

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


def tag_height(lines: list[str]) -> float:
    """Height of an actor tag of `lines`."""
    return 8 + 13 * len(lines)


def time_text(step: Step) -> str:
    if step.time is None:
        return ""
    return ("时限（本地常见做法）：" if step.time.local else "时限：") + step.time.text


def badge_extra(label: str) -> float:
    """How much wider than the round badge (16 units) the badge of `label` is: a sub-step's 「23（一）」 needs a pill."""
    return 0.0 if len(label) <= 2 else text_width(label, SMALL) + 8 - 16


def mark_width(text: str) -> float:
    """Width of a rounded end or page mark holding `text`."""
    return text_width(text, SMALL) + 16


def _exit_gap(label: str | None) -> float:
    """Vertical room between a decision's side exits: the next exit's label sits above its line."""
    return SMALL_LEAD * (len(wrap_text(label, SMALL, LABEL_W)) if label else 1) + 6


def _diamond_half(name: list[str], outs: list, ins: int, extra: float = 0.0) -> float:
    widths = [text_width(line, NAME) + (18 + extra if i == 0 else 0) for i, line in enumerate(name)]
    block = NAME_LEAD * len(name)
    fit = (block / 2 + 4) / (1 - (max(widths) / 2 + 6) / (SPINE_W / 2))
    exits = sum(_exit_gap(label) for label, _ in outs[1:]) + (14 if len(outs) > 1 else 8)
    return max(fit, exits, 20 + 12 * ins + 6, 22.0)


def _rows(workflow: Workflow) -> list[Row]:
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
        rows.append(Row(index, step, [], [], down, outs, 0, wrap_text(step.actor, ACTOR, ACTOR_W - 8)))
    for row in rows:
        row.ins = incoming[row.step.id]
        row.label = numbers[row.step.id]
        _size_row(row)
    return rows


def _size_row(row: Row) -> None:
    time = time_text(row.step)
    extra = badge_extra(row.label)
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


def down_label(row: Row) -> list[str]:
    """The branch label on the edge straight below `row`, wrapped beside the arrow."""
    return wrap_text(row.down[0], SMALL, NOTE_W) if row.down and row.down[0] else []


# --- pages: stages packed into A4-sized chunks ---------------------------------------

def stage_lines(workflow: Workflow, block: list[Row], continued: bool) -> list[tuple[str, float]]:
    """(text, font size) of the stage column's lines: the stage's ordinal, then its wrapped name."""
    index = next(i for i, stage in enumerate(workflow.stages) if stage.id == block[0].step.stage)
    name = workflow.stages[index].name + ("（续）" if continued else "")
    ordinal = chinese_ordinal(index + 1, "阶段")
    return [(ordinal, SMALL)] + [(line, STAGE) for line in wrap_text(name, STAGE, STAGE_W - 8)]


def _blocks(rows: list[Row]) -> list[list[Row]]:
    """Runs of rows of one stage, split so that each fits on a page."""
    room = MAX_PAGE_HEIGHT - HEADER_H - 2 * MARK_H - 2 * BAND_PAD
    blocks: list[list[Row]] = []
    for row in rows:
        last = blocks[-1] if blocks else None
        if last and last[-1].step.stage == row.step.stage and _stack(last + [row]) <= room:
            last.append(row)
        else:
            blocks.append([row])
    return blocks


def _gap_after(row: Row) -> float:
    """Room below a row: more for a branch label on the edge straight down, or a decision's time rule."""
    label = len(down_label(row))
    note = len(row.time) if row.decision else 0
    return max(ROW_GAP, 16 + SMALL_LEAD * max(label, note))


def _stack(rows: list[Row]) -> float:
    return sum(row.height for row in rows) + sum(_gap_after(row) for row in rows[:-1])


def _band_height(workflow: Workflow, block: list[Row]) -> float:
    """Height of a stage band at most: its rows, its padding, and room for the stage's name."""
    natural = _stack(block) + 2 * BAND_PAD + 2 * max(0.0, _gap_after(block[-1]) - 2 * BAND_PAD)
    return max(natural, len(stage_lines(workflow, block, True)) * 14 + 16)


def _pages(workflow: Workflow, rows: list[Row]) -> list[list[list[Row]]]:
    pages: list[list[list[Row]]] = []
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


@dataclass
class Band:
    """One stage's rows on a page, from `top` to `bottom`, with the lines of its stage column."""

    rows: list[Row]
    stage: int                       # index into the workflow's stages
    lines: list[tuple[str, float]]   # see `stage_lines`
    top: float
    bottom: float


def _place_bands(workflow: Workflow, blocks: list[list[Row]], continued: list[bool], top: float) -> list[Band]:
    """Place the rows of each stage band from `top` down."""
    bands = []
    previous_gap = 2 * BAND_PAD
    for block, carried in zip(blocks, continued):
        lines = stage_lines(workflow, block, carried)
        extra = max(0.0, len(lines) * 14 + 16 - (2 * BAND_PAD + _stack(block)))
        y = top + max(BAND_PAD, previous_gap - BAND_PAD) + extra / 2
        for row in block:
            row.top = y
            y += row.height + _gap_after(row)
        previous_gap = _gap_after(block[-1])
        bottom = y - previous_gap + max(BAND_PAD, previous_gap - BAND_PAD) + extra / 2
        stage = [s.id for s in workflow.stages].index(block[0].step.stage)
        bands.append(Band(block, stage, lines, top, bottom))
        top = bottom
    return bands


# --- edges --------------------------------------------------------------------------------

@dataclass
class Edge:
    """A side edge: a skip, a loop or a decision's branch, or an end or a jump to another page."""

    source: Row
    label: str | None
    target: Row | None      # None: an end or a jump to another page
    jump: str | None = None  # text of the mark for an end or a jump
    track: int = 0
    out_y: float = 0.0
    out_x: float = 0.0
    in_y: float = 0.0
    in_x: float = 0.0
    label_lines: list[str] = field(default_factory=list)
    label_x: float = 0.0     # where the branch label starts, just above the line
    x: float = 0.0           # the x of its vertical track, or where the mark of an end or jump starts

    @property
    def upward(self) -> bool:
        return self.target is not None and self.target.index <= self.source.index

    @property
    def span(self) -> tuple[int, int]:
        ends = sorted((self.source.index, self.target.index)) if self.target else (self.source.index,) * 2
        return ends[0], ends[1]


def _edges(rows: list[Row], numbers: dict[str, str]) -> list[Edge]:
    on_page = {row.step.id: row for row in rows}
    edges = []
    for row in rows:
        for label, target in row.outs:
            if target is None:
                edges.append(Edge(row, label, None, "结束"))
            elif target in on_page:
                edges.append(Edge(row, label, on_page[target]))
            else:
                edges.append(Edge(row, label, None, f"转第{numbers.get(target, '?')}步"))
    return edges


def _assign_tracks(edges: list[Edge]) -> int:
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


def _place_ports(row: Row, outs: list[Edge], ins: list[Edge]) -> None:
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


def _route(rows: list[Row], numbers: dict[str, str]) -> list[Edge]:
    """The side edges of a page's placed rows, with their ports, labels, marks and tracks.

    Tracks run right of everything the edges carry (labels, end and jump
    marks), as close together as the room left of ``RIGHT`` needs.
    """
    edges = _edges(rows, numbers)
    tracks = _assign_tracks(edges)
    for row in rows:
        _place_ports(row, [e for e in edges if e.source is row], [e for e in edges if e.target is row])
    reach = SIDE_X + 8
    for edge in edges:
        edge.label_x = max(edge.out_x, SIDE_X if edge.source.decision else 0.0) + 5
        if edge.label:
            edge.label_lines = wrap_text(edge.label, SMALL, LABEL_W)
            right = edge.label_x + max(text_width(line, SMALL) for line in edge.label_lines)
        else:
            right = edge.out_x + 6
        if edge.target is None:
            edge.x = max(right + 4, edge.out_x + 16)
            right = edge.x + mark_width(edge.jump or "")
        reach = max(reach, right)
    first = reach + 8
    gap = TRACK_GAP if tracks < 2 else max(4.0, min(TRACK_GAP, (RIGHT - first) / (tracks - 1)))
    first = min(first, RIGHT - gap * max(tracks - 1, 0))
    for edge in edges:
        if edge.target:
            edge.x = first + gap * edge.track
    return edges


# --- pages ------------------------------------------------------------------------------------

@dataclass
class PageLayout:
    """One page of the chart: its stage bands with placed rows, its side edges, and the marks to other pages."""

    bands: list[Band]
    edges: list[Edge]
    height: float
    carried_in: bool          # 「接上页」 at the top: the first row continues the previous page
    carries_on: bool          # 「接下页」 at the bottom
    width: float = WIDTH      # drawn width; narrower without the 分支与回转 column
    offset: float = 0.0       # how far the drawing is shifted right, to stay centred when narrower

    @property
    def rows(self) -> list[Row]:
        return [row for band in self.bands for row in band.rows]

    @property
    def bottom(self) -> float:
        """The bottom of the last stage band."""
        return self.bands[-1].bottom

    @property
    def side(self) -> bool:
        """Whether the page has the 分支与回转 column."""
        return self.width == WIDTH


def _lay_out_page(workflow: Workflow, blocks: list[list[Row]], continued: list[bool], numbers: dict[str, str],
                  carried_in: bool, carries_on: bool, side: bool) -> PageLayout:
    # No branch or loop anywhere in the workflow: leave out the 分支与回转 column and centre the rest.
    width = WIDTH if side else SIDE_X + (WIDTH - RIGHT)
    bands = _place_bands(workflow, blocks, continued, HEADER_H + (MARK_H if carried_in else 0))
    height = bands[-1].bottom + (MARK_H if carries_on else 0) + 4
    edges = _route([row for band in bands for row in band.rows], numbers)
    return PageLayout(bands, edges, height, carried_in, carries_on, width, (WIDTH - width) / 2)


def layout_workflow(workflow: Workflow) -> list[PageLayout]:
    """The pages of a workflow's chart, laid out (what `generator.diagrams.workflow` draws)."""
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
        result.append(_lay_out_page(workflow, blocks, continued, numbers, carried_in and first.index > 0, carries_on,
                                    side))
    return result
