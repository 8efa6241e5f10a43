"""Turn a validated project into the plain, picklable print context of each branch: handbook and five boxes.

The shared content (chapters, workflows with their diagrams) is prepared once
and the same object goes into every branch's context; print workers lay it out
once and reuse the pages (see `generator.pdf.handbook`). Everything personal comes
from the internal view (`generator.compute.views`), never from the models.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import markdown

from generator.compute.filing import FilingYear, Inventory, box_inventories
from generator.compute.recruitment import STEP_NAMES, recruitment_status
from generator.compute.schedule import ScheduledItem, branch_schedule
from generator.compute.scoring import SchemeView, compute_results, results_view
from generator.compute.views import branch_view, organization_view
from generator.diagrams.workflow import PRINT_WIDTH_MM, WIDTH, chart_features, draw_workflow
from generator.models import Branch, Project, Workflow
from generator.models.boxes import BoxesConfig
from generator.models.content import WORKFLOW_CATEGORIES, Step
from generator.pdf.context_types import (
    BoxesContext, Diagram, PrintChapter, PrintContext, PrintInventory, PrintStage, PrintStep, PrintWorkflow,
    RecruitmentRow, ScheduleRow, SharedContent,
)
from generator.pdf.forms import record_forms
from generator.pdf.labels import sheets, spine_layout
from generator.pdf.results import branch_assessments
from generator.periods import ordinal
from generator.render.chapters import render_chapter_body
from generator.render.sanitize import sanitize_html

# In print the chapters speak of 「本支部」: the text is then the same in every
# branch's handbook, so the shared parts are laid out once for all of them.
PRINT_BRANCH_NAME = "本支部"
_HEIGHT = "height=\""


def _diagram(svg: str) -> Diagram:
    start = svg.index(_HEIGHT) + len(_HEIGHT)
    height = float(svg[start:svg.index('"', start)])
    return {"uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"),
            "height_mm": round(height * PRINT_WIDTH_MM / WIDTH, 2)}


def _flow_text(step: Step, numbers: dict[str, str]) -> str:
    if step.choices:
        return "；".join(f"{c.label}→{'第' + numbers.get(c.to, '?') + '步' if c.to else '结束'}" for c in step.choices)
    if step.next is not None:
        return ("转第" + "、".join(numbers.get(n, "?") for n in step.next) + "步") if step.next else "流程结束"
    return ""


def workflow_print(workflow: Workflow) -> PrintWorkflow:
    """A workflow as the handbook prints it: facts, diagram pages, and a step table per stage."""
    numbers = workflow.step_labels()  # 「23」 for a main step, 「23（一）」 for a sub-step
    stages: list[PrintStage] = []
    for index, stage in enumerate(workflow.stages):
        steps: list[PrintStep] = [
                 {"number": numbers[s.id], "substep": s.part_of is not None, "name": s.name, "actor": s.actor,
                  "flow": _flow_text(s, numbers),
                  "time": s.time.text if s.time else "", "local": bool(s.time and s.time.local),
                  "outputs": [{"name": d.name, "box": d.box} for d in s.outputs], "notes": s.notes or "",
                  "basis": s.basis_text()}
                 for s in workflow.steps if s.stage == stage.id]
        stages.append({"heading": f"{ordinal(index + 1, '阶段')}　{stage.name}", "steps": steps})
    chart = chart_features(workflow)   # what the legend under the diagram names
    return {"id": workflow.id, "title": workflow.title, "category": workflow.category, "summary": workflow.summary,
            "frequency": workflow.frequency, "basis": workflow.basis_text(), "inferred": workflow.inferred,
            "revision_note": workflow.revision_note or "",
            "size": workflow.size_text(spaced=False),
            "diagrams": [_diagram(svg) for svg in draw_workflow(workflow)], "stages": stages,
            "decision": chart.decision, "loop": chart.loop}


def shared_content(project: Project) -> SharedContent:
    """The chapters and workflows every handbook carries, with a key that changes when they do."""
    chapters: list[PrintChapter] = [{"slug": c.slug, "title": c.meta.title, "part": c.meta.part,
                 "html": sanitize_html(markdown.markdown(
                     render_chapter_body(c.body, PRINT_BRANCH_NAME, project.organization),
                     extensions=["tables", "attr_list"]))}
                for c in project.chapters]
    ordered = sorted(project.workflows, key=lambda w: (WORKFLOW_CATEGORIES.index(w.category), w.order, w.id))
    workflows = [workflow_print(w) for w in ordered]
    key = hashlib.sha256(json.dumps([chapters, workflows], ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"key": key, "chapters": chapters, "workflows": workflows}


def _schedule_rows(schedule: tuple[ScheduledItem, ...]) -> list[ScheduleRow]:
    """The 定期定量工作指标一览表 of this branch, with the months each occurrence falls in."""
    rows: list[ScheduleRow] = []
    for scheduled in schedule:
        item = scheduled.item
        spans = sorted({(o.first_month, o.last_month) for o in scheduled.occurrences})
        rows.append({"name": item.name, "category": item.category, "frequency": item.frequency,
                     "per_year": item.per_year, "count": scheduled.count, "box": item.box,
                     "basis": item.basis or "", "note": scheduled.note or "", "spans": spans})
    return rows


def _recruitment(branch: Branch, as_of: dt.date) -> list[RecruitmentRow]:
    rows: list[RecruitmentRow] = []
    for applicant in branch.applicants:
        status = recruitment_status(applicant, as_of)
        steps = [(str(n), name) for n, name in status["in_progress"]] or status["preparing"]
        doing = ("" if not steps else f"第{steps[0][0]}步{steps[0][1]}" if len(steps) == 1
                 else f"第{steps[0][0]}—{steps[-1][0]}步")
        rows.append({**status, "in_progress": doing})
    return rows


def _inventory(inventory: Inventory, config: BoxesConfig, branch_name: str) -> PrintInventory:
    box = inventory.box
    return {"number": inventory.number, "name": box.name, "title": box.title, "contents": box.contents,
            "retention": box.retention or "", "spine_width_mm": inventory.spine_width_mm,
            "spine": spine_layout(inventory.spine_width_mm, config.spine_height_mm, branch_name,
                                  box.name).as_dict(),
            "rows": [row.as_dict() for row in inventory.rows], "documents": inventory.documents,
            "blank_rows": box.blank_rows}


def boxes_context(project: Project, branch: Branch, schedule: tuple[ScheduledItem, ...]) -> BoxesContext:
    config = project.boxes or BoxesConfig.default()
    year = FilingYear(project.organization, branch, schedule, {w.id: w for w in project.workflows},
                      project.scores, {s.id: s for s in project.schemes})
    inventories = [_inventory(i, config, branch.short_name) for i in box_inventories(config, year)]
    return {"spine_height_mm": config.spine_height_mm, "cover_width_mm": config.cover_width_mm,
            "cover_height_mm": config.cover_height_mm, "inventories": inventories,
            "spine_sheets": sheets([i["spine_width_mm"] for i in inventories])}


def print_context(project: Project, branch: Branch, shared: SharedContent, generated_on: str,
                  results: list[SchemeView] | None = None) -> PrintContext:
    """Everything one branch's handbook and five-box PDFs show.

    `results` is the internal results view (`results_view(..., "internal")`); computed here when not given.
    """
    if results is None:
        results = results_view(compute_results(project), "internal")
    organization = project.organization
    view = branch_view(branch, organization, "internal")
    schedule = branch_schedule(project.checklist, branch)
    return {"organization": organization_view(organization), "branch": view, "year": organization.year,
            "generated_on": generated_on, "shared": shared,
            "checklist_title": project.checklist.title if project.checklist else "定期定量工作指标一览表",
            "schedule": _schedule_rows(schedule), "recruitment": _recruitment(branch, organization.as_of),
            "step_names": list(STEP_NAMES), "assessment_history": branch_assessments(project, results, branch.id),
            "forms": record_forms(schedule, view, organization.year),
            "boxes": boxes_context(project, branch, schedule)}
