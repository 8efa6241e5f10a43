"""Turn a handbook context into its outline: the ordered parts and sections of the printed book.

The table of contents, the PDF bookmarks and the body are all rendered from
this one outline, so the three cannot disagree. Part one is the branch's own
data (one template macro per section); the following parts hold the shared
chapters in the order of `HANDBOOK_PARTS`. A part without chapters is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.models.content import HANDBOOK_PARTS

CHINESE_NUMERALS = "一二三四五六七八九十"
BRANCH_PART_TITLE = "本支部基础资料"

# (macro name in branch_sections.html.j2, section title, starts a new page)
BRANCH_SECTIONS = (
    ("basic", "党支部基本情况表", True),
    ("profile", "队伍基本情况", True),
    ("committee", "支部委员会及分工", True),
    ("groups", "党小组划分", False),
    ("roster", "党员花名册", True),
    ("applicants", "发展党员情况", True),
    ("goals", "年度目标", False),
    ("commitments", "公开承诺", False),
    ("honours", "荣誉录", False),
    ("news", "工作动态", False),
    ("rules", "制度建设", False),
)


@dataclass(frozen=True)
class Section:
    """A level-2 entry: one branch table or one shared chapter."""

    title: str
    anchor: str
    new_page: bool
    macro: str | None = None
    html: str | None = None


@dataclass(frozen=True)
class Part:
    """A level-1 entry, such as 「第二部分　任务职责」."""

    number: str
    title: str
    anchor: str
    sections: tuple[Section, ...]

    @property
    def heading(self) -> str:
        return f"第{self.number}部分\u3000{self.title}"


def _anchor(prefix: str, name: str) -> str:
    """An HTML id that cannot clash with ids written inside chapter Markdown."""
    return f"bb-{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _branch_part() -> Part:
    sections = tuple(Section(title, _anchor("sec", macro), new_page, macro=macro)
                     for macro, title, new_page in BRANCH_SECTIONS)
    return Part(CHINESE_NUMERALS[0], BRANCH_PART_TITLE, _anchor("part", "1"), sections)


def _chapter_parts(chapters: list[dict]) -> list[Part]:
    parts = []
    for part_title in HANDBOOK_PARTS:
        in_part = [c for c in chapters if c["part"] == part_title]
        if not in_part:
            continue
        number = len(parts) + 2
        sections = tuple(Section(c["title"], _anchor("ch", f"{number}-{index}-{c['slug']}"), True, html=c["html"])
                         for index, c in enumerate(in_part, start=1))
        parts.append(Part(CHINESE_NUMERALS[number - 1], part_title, _anchor("part", str(number)), sections))
    return parts


def handbook_outline(context: dict) -> tuple[Part, ...]:
    """The parts of one branch's handbook, in print order."""
    unknown = sorted({c["part"] for c in context["chapters"]} - set(HANDBOOK_PARTS))
    if unknown:
        raise ValueError(f"unknown handbook parts in chapters: {unknown}")
    return (_branch_part(), *_chapter_parts(context["chapters"]))
