"""Turn a scheme and the branches into who takes part: its branches, those a period's table needs, and its people.

One home for the question every stage that handles score tables asks: the
reader of the tables and the check for missing rows (`generator.validate`),
the Excel entry sheets (`generator.template_sheet`) and the points engine
(`generator.compute.scoring`). A member scheme (党员积分, docs/domain.md) scores
the roster's 正式党员 and 预备党员 and the applicants who are 入党积极分子 or
发展对象 on the organization's `as_of` day, the latter by the rules for
入党积极分子.
"""

from __future__ import annotations

import datetime as dt

from generator.compute.recruitment import stage_on
from generator.models.branch import Branch
from generator.models.schemes import Scheme

# The pipeline stages at which an applicant has a row in a member scheme, and the status the scheme's rules use.
SCORED_STAGES = ("入党积极分子", "发展对象")
APPLICANT_STATUS = "入党积极分子"


def participants(scheme: Scheme, branches: list[Branch]) -> list[Branch]:
    """The branches a scheme covers: by type and by id (everyone when neither is given), less those excluded."""
    chosen = scheme.participants
    everyone = not chosen.types and not chosen.branches
    return [b for b in branches if (everyone or b.type in chosen.types or b.id in chosen.branches)
            and b.id not in chosen.exclude]


def branches_due(scheme: Scheme, branches: list[Branch], last_day: dt.date) -> list[Branch]:
    """The participating branches a period ending on `last_day` needs a row for: those founded by then."""
    return [branch for branch in participants(scheme, branches) if branch.founded <= last_day]


def scored_people(branch: Branch, as_of: dt.date) -> dict[str, str]:
    """Who may have a row in a member scheme's table, name → status (正式党员, 预备党员 or 入党积极分子).

    The roster first, in its order; then the applicants at a `SCORED_STAGES` stage on `as_of`.
    """
    people = {member.name: "正式党员" if member.status == "正式" else "预备党员" for member in branch.members}
    for applicant in branch.applicants:
        if applicant.name not in people and stage_on(applicant, as_of) in SCORED_STAGES:
            people[applicant.name] = APPLICANT_STATUS
    return people
