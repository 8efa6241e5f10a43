"""Turn a box's spine texts and the spine's size into the type sizes of its label, and labels into A4 sheets.

WeasyPrint has no vertical writing mode, and rotating a line turns Chinese
characters on their side, which is wrong on a spine. So the label is one
column of upright characters, one per line (the template gives each
character its own block). Sizes are computed here rather than left to CSS so
that every label fits its spine exactly: each character is a square of its
font size and takes `LEADING` times that in height; digits of the year stay
on one line. Everything is in millimetres, and the template writes the sizes
in mm, so the printed label has the size it says.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagrams.text_fit import SANS_BOLD

LEADING = 1.12
PAD_X, PAD_Y, GAP = 2.0, 5.0, 4.5       # side and end padding, space around the rules
RULE = 0.4
LABEL_GAP_MM = 4.0                      # between neighbouring labels on a sheet
SHEET_WIDTH_MM = 210.0 - 2 * 10.0       # A4 less the sheet margins of boxes.css
DIGIT_EM = SANS_BOLD.ems("0")           # advance of a digit of the year, set in the h1 font (Noto Sans CJK SC Bold)


@dataclass(frozen=True)
class SpineLayout:
    width: float
    height: float
    branch: float       # font size of the branch name, mm
    box: float          # font size of the box name
    suffix: float       # 「资料盒」
    year: float         # the year's digits
    number: float       # the box number

    def as_dict(self) -> dict[str, float]:
        return {name: round(getattr(self, name), 2) for name in self.__dataclass_fields__}


def _needed(branch_chars: int, box_chars: int, sizes: dict[str, float]) -> float:
    """Height the column takes, from top to bottom padding."""
    return (2 * PAD_Y + 4 * GAP + 2 * RULE
            + branch_chars * LEADING * sizes["branch"]
            + box_chars * LEADING * sizes["box"] + 3 * LEADING * sizes["suffix"]
            + LEADING * sizes["year"] + 2 * LEADING * sizes["suffix"]
            + 1.5 * sizes["number"] + LEADING * sizes["suffix"] * 2)


def spine_layout(width: float, height: float, branch_name: str, box_name: str) -> SpineLayout:
    """Type sizes that fill a `width` × `height` mm spine without overflowing it."""
    inner = width - 2 * PAD_X
    sizes = {"branch": min(0.42 * inner, 7.5), "box": min(0.72 * inner, 17.0), "suffix": min(0.36 * inner, 6.5),
             "year": min(inner / (4 * DIGIT_EM + 0.3), 9.0), "number": min(0.55 * inner, 14.0)}
    fixed = 2 * PAD_Y + 4 * GAP + 2 * RULE
    needed = _needed(len(branch_name), len(box_name), sizes)
    if needed > height:
        scale = (height - fixed) / (needed - fixed)
        sizes = {key: value * scale for key, value in sizes.items()}
    return SpineLayout(width, height, **sizes)


def sheets(widths: list[float], sheet_width: float = SHEET_WIDTH_MM, gap: float = LABEL_GAP_MM) -> list[list[int]]:
    """Label indexes grouped into A4 sheets, as many side by side as the sheet width holds."""
    result: list[list[int]] = [[]]
    used = 0.0
    for index, width in enumerate(widths):
        needed = width if not result[-1] else used + gap + width
        if result[-1] and needed > sheet_width:
            result.append([])
            needed = width
        result[-1].append(index)
        used = needed
    return result
