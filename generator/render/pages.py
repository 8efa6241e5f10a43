"""Turn a validated project into the site's Markdown pages, images and navigation.

Only public views reach the templates here (see `generator.compute.views`), so
no page can show a roster name or a personal field. The result is a mapping of
relative path → text, written to disk by the pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from generator.periods import chinese_date, ordinal
from generator.compute.views import branch_view, organization_view
from generator.diagrams.profile_chart import draw_profile_chart
from generator.diagrams.orgchart import draw_org_chart
from generator.diagrams.workflow import chart_features, draw_workflow
from generator.models import Project
from generator.models.branch import SIX_HAVES
from generator.models.common import BRANCH_TYPES
from generator.models.content import HANDBOOK_PARTS, WORKFLOW_CATEGORIES
from generator.render.chapters import render_chapter_body
from generator.render.reference import format_reference, input_limits, text_variables
from generator.render.results import render_assessment_pages

if TYPE_CHECKING:   # for the type checker only: the scoring engines (pandas) take a while to import
    from generator.compute.notices import Notice
    from generator.compute.scoring import SchemeView

SITE_BRANCH_NAME = "本支部"


@dataclass
class SitePages:
    files: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)


# Every user string reaches a page as text, never as markup. In Markdown that
# means escaping, besides HTML's & < >, the punctuation that Python-Markdown or
# the site's extensions read as syntax: links and images ([ ] !), emphasis,
# code, attribute lists ({ }), tables (|), headings (#), mark/caret/tilde
# (= ^ ~). All of these are in Python-Markdown's backslash-escapable set, so
# the page shows them literally without the backslash. "]" becomes a character
# reference instead: the block parser reads "[…]:" as a reference definition
# before any backslash escape is seen.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[#!|~^=])")
# Characters that only mean something at the start of a line: list markers
# (- + and "1." / "1)") take a backslash; "?" (details) and ":" (definition
# lists) are not backslash-escapable and become character references.
_LINE_START = re.compile(r"^(?:([-+])|(\d+)([.)])(?=\s|$)|([?:]))")
# Line breaks would let a value start a new Markdown block.
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*")
# What a YAML string may not contain unescaped: characters outside YAML's printable set, and the
# line breaks other than \n (which json.dumps already escapes) that YAML would fold into a space.
_YAML_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _plain(value: Any) -> str:
    return chinese_date(value) if isinstance(value, dt.date) else ("" if value is None else str(value))


def _line_start(match: re.Match) -> str:
    marker, digits, dot, other = match.groups()
    if marker:
        return "\\" + marker
    if digits:
        return f"{digits}\\{dot}"
    return f"&#{ord(other)};"


def markdown_text(value: Any) -> Markup:
    """A value as literal text anywhere in a Markdown line (paragraph, heading, list item, table cell, link text, alt).

    Already-safe markup (`Markup`, from `|e` or `|safe`) passes through unchanged.
    """
    if isinstance(value, Markup):
        return value
    text = _LINE_BREAKS.sub(" ", _plain(value)).strip(" \t")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("]", "&#93;")
    return Markup(_LINE_START.sub(_line_start, text, count=1))


def table_cell(value: Any) -> Markup:
    """A value made safe for one Markdown table cell (the same escaping as any Markdown text)."""
    return markdown_text(value)


def inline_code(value: Any) -> Markup:
    """A value inside a Markdown code span, which shows its content literally (Markdown escapes & and < there)."""
    return Markup(_LINE_BREAKS.sub(" ", _plain(value)).replace("`", "'"))


def html_title(value: Any) -> str:
    """A page or section title as MkDocs and Material use it: HTML, shown as is, so escaped text."""
    return str(escape(_plain(value)))


def yaml_title(value: Any) -> Markup:
    """A front matter value: the escaped title as a double-quoted YAML string, so it stays one string."""
    quoted = json.dumps(html_title(value), ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted))


def escape_nav(nav: Any) -> Any:
    """The MkDocs navigation with every title escaped (Material renders nav titles as HTML)."""
    if isinstance(nav, list):
        return [escape_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html_title(title): escape_nav(target) for title, target in nav.items()}
    return nav


def template_environment() -> jinja2.Environment:
    """The Markdown pages' environment: every `{{ value }}` is literal text in Markdown unless marked.

    In raw HTML blocks (which Markdown leaves alone) use `|e` for plain HTML
    escaping; in front matter use `|yaml_title`; `|safe` only for Markdown or
    HTML we generate ourselves (the sanitizer in generator.site still checks it).
    """
    env = jinja2.Environment(loader=jinja2.PackageLoader("generator.render", "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, autoescape=True, finalize=markdown_text)
    env.filters["date"] = chinese_date
    env.filters["ordinal"] = ordinal
    env.filters["cell"] = table_cell
    env.filters["text"] = markdown_text
    env.filters["code"] = inline_code
    env.filters["yaml_title"] = yaml_title
    env.globals.update(SIX_HAVES=SIX_HAVES, WORKFLOW_CATEGORIES=WORKFLOW_CATEGORIES)
    return env


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
            body = render_chapter_body(chapter.body, SITE_BRANCH_NAME, project.organization)
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
            workflow=workflow, diagrams=diagrams, chart=chart_features(workflow))
        entries.setdefault(workflow.category, []).append({workflow.title: f"workflows/{workflow.id}.md"})
    return [{"工作流程": ["workflows/index.md",
                          *({category: entries[category]} for category in WORKFLOW_CATEGORIES if category in entries)]}]


def render_site_pages(project: Project, results: list[SchemeView], notices: list[Notice],
                      notice_pdfs: frozenset[str] | None = None) -> SitePages:
    """Every Markdown page and image of the public site, and the navigation.

    `results` is the public results view and `notices` the notices made from it, both computed by the
    pipeline (`generator.pipeline.assess`). `notice_pdfs` are the notices (by slug) whose PDF the site
    will hold; None means every notice's, as in a build with PDFs.
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
        models=format_reference(), limits=input_limits(), variables=text_variables())
    workflow_nav = _workflow_pages(project, env, pages)
    assessment_nav = render_assessment_pages(project, results, notices, env, pages.files, notice_pdfs)
    pages.nav = escape_nav([{"首页": "index.md"},
                 {"支部名录": "branches/index.md"},
                 {"资料下载": "downloads.md"},
                 *workflow_nav,
                 *chapter_nav,
                 *assessment_nav,
                 {"数据格式说明": "reference/formats.md"}])
    return pages
