"""Turn a branch roster into the aggregate 队伍基本情况 (counts and structure) that may be published.

Only counts leave this module: no name, no date of a person. Ages and 党龄 are
taken at the organization's `as_of` date so the same inputs give the same output.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from generator.compute.recruitment import stage_counts
from generator.models.branch import PIPELINE_STAGES, Branch
from generator.models.common import EDUCATION_LEVELS, GENDERS

AGE_BANDS = (("35岁及以下", 0, 35), ("36–45岁", 36, 45), ("46–60岁", 46, 60), ("61岁及以上", 61, 200))
PARTY_AGE_BANDS = (("5年以下", 0, 4), ("5–9年", 5, 9), ("10–19年", 10, 19), ("20–29年", 20, 29), ("30年及以上", 30, 200))


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (a birthday on 29 February counts on 1 March)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


@dataclass(frozen=True)
class Profile:
    total: int
    full: int
    probationary: int
    gender: dict[str, int]
    age_bands: dict[str, int]
    average_age: float | None
    education: dict[str, int]
    party_age: dict[str, int]
    ethnic_minority: int
    pipeline: dict[str, int]
    groups: int


def _bands(values: list[int], bands: tuple) -> dict[str, int]:
    return {label: sum(low <= v <= high for v in values) for label, low, high in bands}


def compute_profile(branch: Branch, as_of: dt.date) -> Profile:
    members = branch.members
    ages = [years_between(m.birth_date, as_of) for m in members]
    party_ages = [years_between(m.full_member_on, as_of) for m in members if m.full_member_on]
    education = Counter(m.education for m in members)
    stages = stage_counts(branch.applicants, as_of)
    return Profile(
        total=len(members),
        full=sum(m.status == "正式" for m in members),
        probationary=sum(m.status == "预备" for m in members),
        gender={g: sum(m.gender == g for m in members) for g in GENDERS},
        age_bands=_bands(ages, AGE_BANDS),
        average_age=round(sum(ages) / len(ages), 1) if ages else None,
        education={level: education.get(level, 0) for level in EDUCATION_LEVELS},
        party_age=_bands(party_ages, PARTY_AGE_BANDS),
        ethnic_minority=sum(m.ethnicity != "汉族" for m in members),
        pipeline={stage: stages[stage] for stage in PIPELINE_STAGES},
        groups=len(branch.groups),
    )
