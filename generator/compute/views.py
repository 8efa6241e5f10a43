"""Turn validated models into plain-data views for one audience: the public site or internal print.

This is where privacy is enforced. A view is built by walking the model and
keeping only the fields whose privacy class the audience may see; ``never``
fields are dropped for every audience. Renderers receive views, never models,
so a template cannot reach a field its audience may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from pydantic import BaseModel

from generator.compute.profile import compute_profile, years_between
from generator.compute.recruitment import stage_on
from generator.models import Branch, Organization
from generator.models.common import VISIBLE_TO, Audience, privacy_of

# A model as plain data (field name → value, nested models as views too), with only the fields one
# audience may see. Its keys are the model's fields, so it is typed no closer than that.
View = dict[str, Any]


def view_of(value: Any, audience: Audience) -> Any:
    """Plain data of `value` with only the fields `audience` may see."""
    if isinstance(value, BaseModel):
        result = {}
        for name in type(value).model_fields:
            if privacy_of(type(value), name) in VISIBLE_TO[audience]:
                result[name] = view_of(getattr(value, name), audience)
        return result
    if isinstance(value, (list, tuple)):
        return [view_of(item, audience) for item in value]
    if isinstance(value, dict):
        return {key: view_of(item, audience) for key, item in value.items()}
    return value


def _internal_people(branch: Branch, as_of: dt.date, data: View) -> View:
    """Add what internal print may show instead of a birth date: age and birth year."""
    for member, row in zip(branch.members, data["members"]):
        row["age"] = years_between(member.birth_date, as_of)
        row["birth_year"] = member.birth_date.year
    for applicant, row in zip(branch.applicants, data["applicants"]):
        row["age"] = years_between(applicant.birth_date, as_of)
        row["stage"] = stage_on(applicant, as_of)
    return data


def branch_view(branch: Branch, organization: Organization, audience: Audience) -> View:
    """The branch as `audience` may see it, with its aggregate profile."""
    data = view_of(branch, audience)
    if audience == "internal":
        data = _internal_people(branch, organization.as_of, data)
    data["profile"] = asdict(compute_profile(branch, organization.as_of))
    return data


def organization_view(organization: Organization) -> View:
    return view_of(organization, "public")
