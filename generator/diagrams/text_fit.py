"""Turn a text and a font size into its estimated width, and a text and a width into wrapped lines.

The one place that knows how wide Chinese and Latin text is, for everything we
lay out ourselves: the workflow and org charts, the profile and results
charts (SVG), and the five-box labels and inventories (PDF row heights). An
estimate is a `Metrics`: advance widths in em per character, so the same
input always gives the same number (no font is opened while drawing).

- `SANS_BOLD` is measured from Noto Sans CJK SC Bold, the wider weight: ASCII
  from a table, CJK one em. Never narrower than Noto Sans CJK draws the text
  (tests/test_workflows.py checks it against the font), so a box sized by it
  never overflows. The workflow charts and the spine labels' year use it.
- `ROUGH` counts everything from U+2E80 (CJK radicals onwards) as one em and
  everything before it as 0.55: enough for labels that the chart itself
  chooses the room for (org chart, profile and results charts).
- `ROUGH_TEXT` is `ROUGH` for running text in the print body font: a space is
  0.3 em, other ASCII 0.55, all else one em (the five-box inventory rows).

`wrap_text` breaks a text into lines that fit a width by `SANS_BOLD`: between
CJK characters but not inside Latin words or numbers, never with closing
punctuation at a line start, and as even in length as the line count allows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metrics:
    """Advance widths in em: `table` for the characters it lists, `narrow` for others below `wide_from`, 1 em above."""

    narrow: float
    wide_from: int = 0x80
    table: Mapping[str, float] = field(default_factory=dict)

    def ems(self, text: str) -> float:
        """Width of `text` in em."""
        table, narrow, wide_from = self.table, self.narrow, self.wide_from
        return sum(table.get(ch, narrow if ord(ch) < wide_from else 1.0) for ch in text)

    def width(self, text: str, size: float) -> float:
        """Width of `text` at font size `size`, in the unit of `size`."""
        return size * self.ems(text)


# Advance widths in em, from Noto Sans CJK SC Bold (the wider weight); other ASCII 0.77, anything else 1 em.
_SANS_BOLD_ASCII = {**{c: 0.59 for c in "0123456789#$+<=>^~_"}, **{c: 0.38 for c in ".,:;'!|()[]{}-ijlI`"},
                    **{c: 0.45 for c in "frt/\\\"*?"}, **{c: 0.65 for c in "abdeghknopqsuvxyzc"},
                    **{c: 0.97 for c in "mwMW%@&"}, " ": 0.23}
SANS_BOLD = Metrics(0.77, table=_SANS_BOLD_ASCII)
ROUGH = Metrics(0.55, wide_from=0x2E80)
ROUGH_TEXT = Metrics(0.55, table={" ": 0.3})

_NO_START = set("，。、；：？！）》」』”’％…·—,.;:?!)%")
_NO_END = set("（《「『“‘(")
_TOKEN = re.compile(r"[A-Za-z0-9.%+/\-–]+|\s+|.")


def text_width(text: str, size: float) -> float:
    """Width of `text` at font size `size`, never less than Noto Sans CJK SC draws it (`SANS_BOLD`)."""
    return SANS_BOLD.width(text, size)


def wrap_text(text: str, size: float, room: float, first_room: float | None = None) -> list[str]:
    """Lines of `text` that each fit `room` (the first one `first_room`), as even in length as the line count allows.

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


def _tokens(text: str, size: float, room: float) -> list[str]:
    """Latin words, numbers, runs of space and single characters; a word wider than `room` as its characters."""
    result: list[str] = []
    for token in _TOKEN.findall(text):
        result.extend(token if text_width(token, size) > room else [token])
    return result


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
