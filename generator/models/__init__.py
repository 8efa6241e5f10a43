"""Describe the data formats users edit, as pydantic models with Chinese titles and privacy classes.

Not a stage but what the stages share: `generator.validate` turns parsed
sources into these models (a `Project`), every later stage reads them, and
`generator.render.reference` turns them into the site's data-format reference.
Each personal field's privacy class (`common.field(..., privacy=...)`) decides
which outputs may carry it (docs/domain.md, Privacy classes).
"""

from generator.models.branch import Applicant, Branch, Member
from generator.models.content import Checklist, Workflow
from generator.models.organization import Organization
from generator.models.project import Chapter, Project, ScoreRow, ScoreSheet
from generator.models.schemes import AnyScheme, Scheme

__all__ = ["AnyScheme", "Applicant", "Branch", "Chapter", "Checklist", "Member", "Organization", "Project",
           "Scheme", "ScoreRow", "ScoreSheet", "Workflow"]
