"""Turn a validated project into the site's Markdown pages, images and navigation.

Only public views reach the templates here (see `generator.compute.views`), so
no page can show a roster name or a personal field. The result is a mapping of
relative path → text, written to disk by the pipeline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jinja2

from generator.models.common import chinese_date
from generator.compute.views import branch_view, organization_view
from generator.diagrams.charts import draw_profile_chart
from generator.diagrams.orgchart import draw_org_chart
from generator.diagrams.workflow import draw_workflow
from generator.models import Project
from generator.models.common import BRANCH_TYPES
from generator.models.content import HANDBOOK_PARTS
from generator.render.reference import format_reference
from generator.render.results import render_assessment_pages

SITE_BRANCH_NAME = "本支部"


@dataclass
class SitePages:
    files: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)


def table_cell(value: Any) -> str:
    """A value made safe for one Markdown table cell."""
    text = chinese_date(value) if isinstance(value, dt.date) else ("" if value is None else str(value))
    return text.replace("|", "\\|").replace("\n", " ")


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("generator.render", "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = chinese_date
    env.filters["cell"] = table_cell
    return env


def render_chapter_body(body: str, branch_name: str) -> str:
    """A chapter's Markdown with its Jinja variables filled in."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(body).render(branch_name=branch_name)


def _branch_pages(project: Project, env: jinja2.Environment, pages: SitePages) -> list[dict]:
    organization = organization_view(project.organization)
    summaries = []
    for branch in project.branches:
        view = branch_view(branch, project.organization, "public")
        pages.files[f"branches/{branch.id}-org.svg"] = draw_org_chart(
            view["short_name"], view["committee"]["members"], view["groups"])
        pages.files[f"branches/{branch.id}-profile.svg"] = draw_profile_chart(view["profile"])
        pages.files[f"branches/{branch.id}.md"] = env.get_template("branch.md.j2").render(
            branch=view, organization=organization)
        secretary = next(m["name"] for m in view["committee"]["members"] if m["role"] == "书记")
        summaries.append({"id": branch.id, "short_name": view["short_name"], "type": view["type"],
                          "members": view["profile"]["total"], "secretary": secretary,
                          "profile": view["profile"]})
    return summaries


def _chapter_pages(project: Project, env: jinja2.Environment, pages: SitePages) -> list:
    nav = []
    for part in HANDBOOK_PARTS:
        chapters = [c for c in project.chapters if c.meta.part == part]
        if not chapters:
            continue
        entries = []
        for chapter in chapters:
            path = f"chapters/{chapter.slug}.md"
            body = render_chapter_body(chapter.body, SITE_BRANCH_NAME)
            pages.files[path] = env.get_template("chapter.md.j2").render(meta=chapter.meta, body=body)
            entries.append({chapter.meta.title: path})
        nav.append({part: entries})
    return nav


def _workflow_pages(project: Project, env: jinja2.Environment, pages: SitePages) -> list:
    """The workflow library: an index and one page per workflow with its diagram pages."""
    if not project.workflows:
        return []
    pages.files["workflows/index.md"] = env.get_template("workflows.md.j2").render(workflows=project.workflows)
    entries: dict[str, list] = {}
    for workflow in sorted(project.workflows, key=lambda w: (w.order, w.id)):
        diagrams = []
        for number, svg in enumerate(draw_workflow(workflow), start=1):
            diagrams.append(f"{workflow.id}-{number}.svg")
            pages.files[f"workflows/{diagrams[-1]}"] = svg
        pages.files[f"workflows/{workflow.id}.md"] = env.get_template("workflow.md.j2").render(
            workflow=workflow, diagrams=diagrams)
        entries.setdefault(workflow.category, []).append({workflow.title: f"workflows/{workflow.id}.md"})
    return [{"工作流程": ["workflows/index.md",
                          *({category: entries[category]} for category in ("常规流程", "特色流程") if category in entries)]}]


def render_site_pages(project: Project, results: tuple | None = None) -> SitePages:
    """Every Markdown page and image of the public site, and the navigation.

    `results` are the computed assessment results (computed here when not given).
    """
    env = template_environment()
    pages = SitePages()
    summaries = _branch_pages(project, env, pages)
    organization = organization_view(project.organization)
    types = [t for t in BRANCH_TYPES if any(s["type"] == t for s in summaries)]
    context = {"organization": organization, "branches": summaries, "types": types}
    pages.files["index.md"] = env.get_template("index.md.j2").render(**context)
    pages.files["branches/index.md"] = env.get_template("directory.md.j2").render(**context)
    pages.files["downloads.md"] = env.get_template("downloads.md.j2").render(**context)
    chapter_nav = _chapter_pages(project, env, pages)
    pages.files["reference/formats.md"] = env.get_template("reference.md.j2").render(
        models=format_reference())
    workflow_nav = _workflow_pages(project, env, pages)
    assessment_nav = render_assessment_pages(project, results, env, pages.files)
    pages.nav = [{"首页": "index.md"},
                 {"支部名录": "branches/index.md"},
                 {"资料下载": "downloads.md"},
                 *workflow_nav,
                 *chapter_nav,
                 *assessment_nav,
                 {"数据格式说明": "reference/formats.md"}]
    return pages
