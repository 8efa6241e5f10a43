"""Describe the data formats users edit, as pydantic models with Chinese titles and privacy classes."""

from generator.models.branch import Applicant, Branch, Member
from generator.models.content import Checklist, Workflow
from generator.models.organization import Organization
from generator.models.project import Chapter, Project, ScoreRow, ScoreSheet
from generator.models.schemes import Scheme

__all__ = ["Applicant", "Branch", "Chapter", "Checklist", "Member", "Organization", "Project",
           "Scheme", "ScoreRow", "ScoreSheet", "Workflow"]
