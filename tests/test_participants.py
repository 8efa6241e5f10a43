"""Who takes part in a scheme, and an applicant's stage, are decided once and respect the `as_of` day."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import pipeline
from generator.compute.participants import branches_due, participants, scored_people
from generator.compute.profile import compute_profile
from generator.compute.views import branch_view
from tests.support import SMALL

AS_OF = dt.date(2026, 1, 1)   # the small fixture's organization.as_of


@pytest.fixture(scope="module")
def project():
    loaded = pipeline.load_project(SMALL)
    assert loaded.organization.as_of == AS_OF
    return loaded


def _later(branch, name: str, **dates: dt.date):
    """The branch with applicant `name`'s dates changed (to dates after `as_of`, in these tests)."""
    applicants = [a.model_copy(update=dates) if a.name == name else a for a in branch.applicants]
    return branch.model_copy(update={"applicants": applicants})


def test_member_scheme_people_are_the_roster_then_the_activists_and_candidates(project):
    branch = project.branch("hongguang")
    people = scored_people(branch, AS_OF)
    assert list(people)[:len(branch.members)] == [m.name for m in branch.members]
    # 李明轩 is a 发展对象 and 张雨萱 an 入党积极分子, both scored as activists; 赵子豪 has only applied.
    assert {name: people[name] for name in list(people)[len(branch.members):]} == {
        "李明轩": "入党积极分子", "张雨萱": "入党积极分子"}
    assert set(people.values()) <= {"正式党员", "预备党员", "入党积极分子"}
    # 张雨萱 became an activist on 2025-09-18: a day before, she is still an applicant and has no row.
    assert "张雨萱" not in scored_people(branch, dt.date(2025, 9, 17))
    assert scored_people(branch, dt.date(2025, 9, 18))["张雨萱"] == "入党积极分子"


def test_a_stage_reached_after_as_of_does_not_count_yet(project):
    branch = project.branch("hongguang")
    later = _later(branch, "李明轩", activist_on=dt.date(2026, 3, 1), candidate_on=dt.date(2026, 6, 1))
    assert "李明轩" not in scored_people(later, AS_OF)
    before, after = compute_profile(branch, AS_OF).pipeline, compute_profile(later, AS_OF).pipeline
    assert (after["发展对象"], after["入党申请人"]) == (before["发展对象"] - 1, before["入党申请人"] + 1)
    rows = branch_view(later, project.organization, "internal")["applicants"]
    assert next(row["stage"] for row in rows if row["name"] == "李明轩") == "入党申请人"


def test_an_application_after_as_of_is_not_in_the_profile(project):
    branch = project.branch("hongguang")
    later = _later(branch, "赵子豪", applied_on=dt.date(2026, 2, 1))
    assert sum(compute_profile(later, AS_OF).pipeline.values()) == sum(compute_profile(branch, AS_OF).pipeline.values()) - 1


def test_branches_due_leave_out_branches_founded_after_the_period(project):
    scheme = next(s for s in project.schemes if s.kind == "tiered")
    taking_part = participants(scheme, list(project.branches))
    assert taking_part and branches_due(scheme, list(project.branches), dt.date.max) == taking_part
    first = min(b.founded for b in taking_part)
    assert branches_due(scheme, list(project.branches), first - dt.timedelta(days=1)) == []
    assert [b.founded for b in branches_due(scheme, list(project.branches), first)] == [first]
