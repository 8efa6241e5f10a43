"""Turn the organization variables in the YAML content texts into the organization's own words.

The library texts that `branchbook init` copies for a new organization name
no organization: a scheme's department reads ``"{{ 上级党组织简称 }}组织部"``, a
checklist item ``报{{ 上级党组织简称 }}备案``. `fill_wording` fills these in once,
right after content/organization.yml is validated and before the content models
are built, so every later reader (site, PDFs, notices, exports, search) sees the
final words. It uses the chapters' sandbox and variables
(`generator.render.chapters.TEXT_VARIABLES`), and only for text that contains
``{{`` or ``{%``; a mistake is a located problem like a chapter's.

A branch's `parent` is printed on its handbook's cover, so `parent_problems`
checks that it names this organization (or a 党总支 between them).
"""

from __future__ import annotations

from typing import Any

from generator.errors import Problem
from generator.load.project import Sources
from generator.load.yaml_source import DataPath, YamlDocument
from generator.models import Branch, Organization
from generator.render.chapters import chapter_variables, render_with
from generator.validate.chapters import template_problem

# A branch may also belong to a general branch (党总支) of the organization: its full or short name ends so.
GENERAL_BRANCH_ENDINGS = ("党总支", "总支部委员会")


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def _worded_documents(sources: Sources) -> list[YamlDocument]:
    """The content files whose texts may use the variables: workflows, schemes, the checklist and the boxes."""
    return [*sources.workflows, *sources.schemes, *(doc for doc in (sources.checklist, sources.boxes) if doc)]


def _filled(doc: YamlDocument, value: Any, at: DataPath, variables: dict[str, str], problems: list[Problem]) -> Any:
    if isinstance(value, dict):
        return {key: _filled(doc, item, (*at, key), variables, problems) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(doc, item, (*at, index), variables, problems) for index, item in enumerate(value)]
    if not isinstance(value, str) or not has_template(value):
        return value
    try:
        return render_with(value, variables)
    except Exception as error:  # the text's own Jinja failed: a user's mistake, reported at the value
        problems.append(template_problem(error, lambda line: doc.locate(at), "文字", "wording"))
        return value


def fill_wording(sources: Sources, organization: Organization | None) -> list[Problem]:
    """Fill the variables into the texts of the YAML content files (in place); the mistakes found.

    Without a valid organization, stand-ins take its values, so that the texts' own mistakes are still reported.
    """
    variables = chapter_variables(organization)
    problems: list[Problem] = []
    for doc in _worded_documents(sources):
        doc.data = _filled(doc, doc.data, (), variables, problems)
    return problems


def parent_problems(branches: list[tuple[Branch, YamlDocument]], organization: Organization | None) -> list[Problem]:
    """A branch whose 上级党组织 is neither this organization nor one of its 党总支."""
    if organization is None:
        return []
    allowed = (organization.name, organization.short_name)
    problems = []
    for branch, doc in branches:
        if branch.parent in allowed or branch.parent.endswith(GENERAL_BRANCH_ENDINGS):
            continue
        problems.append(Problem(
            doc.locate(("parent",)), "branch.other-parent",
            f"「上级党组织」（parent）「{branch.parent}」与 content/organization.yml 中的党组织全称"
            f"「{organization.name}」不一致，而它会印在手册封面和支部页面上；请改为「{organization.name}」"
            f"（若支部隶属于本组织的党总支，填党总支的全称，如「中共××总支部委员会」）"))
    return problems
