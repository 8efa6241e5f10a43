"""Turn a handbook context into its outline: the ordered parts and sections of the printed book.

The table of contents, the PDF bookmarks and the body are all rendered from
this one outline, so the three cannot disagree. The book has the usual four
parts (`HANDBOOK_PARTS`): 任务职责 and 管理制度 hold the shared chapters, 程序流程
the chapters filed there and every workflow with its diagram and step table,
基础资料 the branch's own data (one template macro per section) and the blank
record forms for the year. The first three parts are the same in every
branch's book (`Part.shared`); a shared part without content is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.models.content import HANDBOOK_PARTS
from generator.periods import chinese_numeral

if TYPE_CHECKING:   # the print workers import this module; the context types would bring the scoring engines
    from generator.pdf.context_types import FormSection, PrintChapter, PrintContext, PrintWorkflow

BRANCH_PART = HANDBOOK_PARTS[-1]
DATA_GROUP, FORMS_GROUP = "基本情况", "工作记录"

# (macro name in branch_sections.html.j2, section title, starts a new page)
BRANCH_SECTIONS = (
    ("basic", "党支部基本情况表", True),
    ("profile", "党员队伍基本情况", True),
    ("committee", "支部委员会成员及分工", True),
    ("groups", "党小组划分", False),
    ("roster", "党员花名册", True),
    ("applicants", "发展党员情况", True),
    ("checklist", "定期定量工作指标一览表", True),
    ("goals", "年度目标与公开承诺", True),
    ("honours", "荣誉录", False),
    ("assessments", "考核情况", False),
    ("rules", "制度建设", False),
    ("news", "工作动态", False),
)


@dataclass(frozen=True)
class Section:
    """A level-2 entry: one shared chapter, one workflow, one table of branch data, or one record form."""

    title: str
    anchor: str
    new_page: bool
    kind: str                     # "chapter" | "workflow" | "data" | "form"
    macro: str | None = None
    html: str | None = None
    data: PrintWorkflow | FormSection | None = None
    group: str | None = None      # sub-heading of the table of contents
    toc_note: str = ""            # shown after the title in the contents, e.g. 「12份」


@dataclass(frozen=True)
class Part:
    """A level-1 entry, such as 「第一部分　任务职责」."""

    number: str
    title: str
    anchor: str
    sections: tuple[Section, ...]
    shared: bool = field(default=True)

    @property
    def heading(self) -> str:
        return f"第{self.number}部分\u3000{self.title}"


def _anchor(prefix: str, name: str) -> str:
    """An HTML id that cannot clash with ids written inside chapter Markdown."""
    return f"bb-{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _chapters(chapters: list[PrintChapter], part: str, number: int) -> list[Section]:
    return [Section(c["title"], _anchor("ch", f"{number}-{index}-{c['slug']}"), True, "chapter", html=c["html"])
            for index, c in enumerate((c for c in chapters if c["part"] == part), start=1)]


def _workflows(workflows: list[PrintWorkflow]) -> list[Section]:
    return [Section(w["title"], _anchor("wf", w["id"]), True, "workflow", data=w) for w in workflows]


def _branch_sections(context: PrintContext, number: int) -> list[Section]:
    sections = _chapters(context["shared"]["chapters"], BRANCH_PART, number)
    sections += [Section(title, _anchor("sec", macro), new_page, "data", macro=macro, group=DATA_GROUP)
                 for macro, title, new_page in BRANCH_SECTIONS]
    sections += [Section(form["title"], _anchor("form", form["kind"]), True, "form", data=form, group=FORMS_GROUP,
                         toc_note=f"{form['count']}{form['unit']}" if form["count"] > 1 else "")
                 for form in context["forms"]]
    return sections


def handbook_outline(context: PrintContext) -> tuple[Part, ...]:
    """The parts of one branch's handbook, in print order; the last is the branch's own."""
    shared = context["shared"]
    unknown = sorted({c["part"] for c in shared["chapters"]} - set(HANDBOOK_PARTS))
    if unknown:
        raise ValueError(f"unknown handbook parts in chapters: {unknown}")
    parts: list[Part] = []
    for title in HANDBOOK_PARTS[:-1]:
        number = len(parts) + 1
        sections = _chapters(shared["chapters"], title, number)
        if title == "程序流程":
            sections += _workflows(shared["workflows"])
        if sections:
            parts.append(Part(chinese_numeral(number), title, _anchor("part", str(number)), tuple(sections)))
    number = len(parts) + 1
    parts.append(Part(chinese_numeral(number), BRANCH_PART, _anchor("part", str(number)),
                      tuple(_branch_sections(context, number)), shared=False))
    return tuple(parts)
