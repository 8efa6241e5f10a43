"""Describe the print context (`generator.pdf.context`): what one branch's handbook and five-box PDFs show.

TypedDicts, so that the context stays plain dicts and lists at run time: the
print templates read it, the worker processes receive it pickled, and the
build cache hashes it as canonical JSON. The models' own data arrives as views
(`generator.compute.views.View`), typed no closer than their fields.
"""

from __future__ import annotations

from typing import TypedDict

from generator.compute.filing import InventoryLine
from generator.compute.recruitment import RecruitmentFields
from generator.compute.views import View
from generator.pdf.forms import FormSection
from generator.pdf.results import BranchAssessment



class Diagram(TypedDict):
    uri: str            # the SVG as a data: URI
    height_mm: float    # its printed height at the page's width


class StepOutput(TypedDict):
    name: str
    box: str


class PrintStep(TypedDict):
    number: str         # 「23」, or 「23（一）」 for a sub-step
    substep: bool
    name: str
    actor: str
    flow: str           # where the workflow goes on: 「转第5步」, the choices, 「流程结束」
    time: str
    local: bool         # the time rule is a common local rule
    outputs: list[StepOutput]
    notes: str
    basis: str


class PrintStage(TypedDict):
    heading: str
    steps: list[PrintStep]


class PrintWorkflow(TypedDict):
    """A workflow as the handbook prints it: facts, diagram pages and a step table per stage."""

    id: str
    title: str
    category: str
    summary: str | None
    frequency: str | None
    basis: str
    inferred: bool
    revision_note: str
    size: str
    diagrams: list[Diagram]
    stages: list[PrintStage]
    decision: bool      # what the legend under the diagram names
    loop: bool


class PrintChapter(TypedDict):
    slug: str
    title: str
    part: str
    html: str           # sanitized


class SharedContent(TypedDict):
    """The chapters and workflows every handbook carries, laid out once for all branches."""

    key: str            # changes when they do
    chapters: list[PrintChapter]
    workflows: list[PrintWorkflow]


class ScheduleRow(TypedDict):
    """A row of the 定期定量工作指标一览表."""

    name: str
    category: str
    frequency: str
    per_year: int
    count: int
    box: str
    basis: str
    note: str
    spans: list[tuple[int, int]]    # (first month, last month) of each occurrence


class RecruitmentRow(RecruitmentFields):
    """An applicant's status as the handbook prints it."""

    in_progress: str    # 「第5步指定培养联系人」, 「第4—6步」 or ""


class PrintInventory(TypedDict):
    """One box: its label, spine and 卷内目录."""

    number: int
    name: str
    title: str
    contents: str
    retention: str
    spine_width_mm: float
    spine: dict[str, float]         # `generator.pdf.labels.SpineLayout` as font sizes in mm
    rows: list[InventoryLine]
    documents: int
    blank_rows: int


class BoxesContext(TypedDict):
    spine_height_mm: float
    cover_width_mm: float
    cover_height_mm: float
    inventories: list[PrintInventory]
    spine_sheets: list[list[int]]   # which labels go on each A4 sheet


class PrintContext(TypedDict):
    """Everything one branch's handbook and five-box PDFs show."""

    organization: View
    branch: View                    # the internal view, with its profile
    year: int
    generated_on: str
    shared: SharedContent
    checklist_title: str
    schedule: list[ScheduleRow]
    recruitment: list[RecruitmentRow]
    step_names: list[str]
    assessment_history: list[BranchAssessment]
    forms: list[FormSection]        # the record forms (`generator.pdf.forms.record_forms`)
    boxes: BoxesContext
