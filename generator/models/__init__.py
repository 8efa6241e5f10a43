"""Describe the data formats users edit, as pydantic models with Chinese titles and privacy classes.

Not a stage but what the stages share: `generator.validate` turns parsed
sources into these models (a `Project`), every later stage reads them, and
`generator.render.reference` turns them into the site's data-format reference.
Each personal field's privacy class (`common.field(..., privacy=...)`) decides
which outputs may carry it (docs/domain.md, Privacy classes).

Modules:
  common.py        the strict base model, privacy-classified fields, vocabularies
  organization.py  the organization that owns the handbook (content/organization.yml)
  branch.py        a branch, its members and applicants (branches/<id>.yml and its roster)
  content.py       the shared content of content/: chapter front matter, workflows, the checklist
  schemes.py       the assessment schemes (content/schemes/*.yml), with typed rules per kind
  boxes.py         the five filing boxes (content/boxes.yml)
  calendar.py      one year's holiday arrangement (content/calendar/<year>.yml)
  columns.py       the column headings of the tables users fill in: rosters and score tables
  project.py       a validated project: everything the later stages need
"""

from generator.models.branch import Applicant, Branch, Member
from generator.models.content import Checklist, Workflow
from generator.models.organization import Organization
from generator.models.project import Chapter, Project, ScoreRow, ScoreSheet
from generator.models.schemes import AnyScheme, Scheme

__all__ = ["AnyScheme", "Applicant", "Branch", "Chapter", "Checklist", "Member", "Organization", "Project",
           "Scheme", "ScoreRow", "ScoreSheet", "Workflow"]
