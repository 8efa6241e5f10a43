"""The handbook's record forms: how many copies the year's schedule asks for, and what each is pre-filled with.

These check the plain data the templates receive (no PDF is laid out); test_pdf.py counts the same copies in
the printed book.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.compute.schedule import branch_schedule, period_label, spread
from generator.compute.views import branch_view
from generator.load.project import load_sources
from generator.pdf.forms import BUDGET, LEADER_TRAINING_HOURS, TRAINING_HOURS, record_forms
from generator.validate.project import validate_project

FIXTURE = Path(__file__).parent / "fixtures" / "pdf"


@pytest.fixture(scope="module")
def project():
    return validate_project(load_sources(FIXTURE))


def _forms(project, checklist=None, **changes) -> dict[str, dict]:
    branch = project.branches[0].model_copy(update=changes)
    view = branch_view(branch, project.organization, "internal")
    forms = record_forms(branch_schedule(checklist or project.checklist, branch), view, project.organization.year)
    return {form["kind"]: form for form in forms}


def test_copies_follow_the_checklist(project):
    forms = _forms(project)
    assert {kind: form["count"] for kind, form in forms.items()} == {
        "plan": 1, "assembly": 4, "committee": 12, "group": 36, "lecture": 4, "partyday": 12, "review": 1,
        "appraisal": 1, "talks": 1, "training": 1, "dues": 12, "summary": 1}


def test_changing_a_frequency_in_the_checklist_changes_the_copies(project):
    items = [item.model_copy(update={"per_year": 6}) if item.workflow == "zhiwei-hui" else item
             for item in project.checklist.items]
    forms = _forms(project, checklist=project.checklist.model_copy(update={"items": items}))
    assert forms["committee"]["count"] == 6
    assert [copy["label"] for copy in forms["committee"]["copies"]] == ["第1次", "第2次", "第3次", "第4次", "第5次", "第6次"]


def test_no_committee_and_no_groups_mean_no_such_forms(project):
    branch = project.branches[0]
    forms = _forms(project, groups=[], committee=branch.committee.model_copy(update={"members": branch.committee.members[:1]}))
    assert "committee" not in forms and "group" not in forms
    assert forms["assembly"]["count"] == 4


def test_meeting_forms_are_prefilled_with_who_should_come(project):
    forms = _forms(project)
    committee = forms["committee"]["copies"][0]
    assert committee["expected"] == 5
    assert [p["name"] for row in committee["signin"] for p in row if p] == ["王建国", "刘芳", "陈志强", "吴桂兰", "黄晓燕"]
    assert "至少3人到会" in committee["note"]
    group = forms["group"]["copies"][0]
    assert group["subtitle"].startswith("第一党小组") and group["chair"] == "赵德明（组长）"
    assembly = forms["assembly"]["copies"][0]
    assert assembly["expected"] == 27 and "有表决权的正式党员25人" in assembly["note"]
    marks = {p["name"]: p["mark"] for row in assembly["signin"] for p in row if p}
    assert sum(mark == "预备" for mark in marks.values()) == 2


def test_sign_in_list_gets_its_own_page_only_when_it_does_not_fit(project):
    forms = _forms(project)
    assert not forms["committee"]["copies"][0]["signin_page"]        # five names fit under the decision
    assert forms["review"]["copies"][0]["signin_page"]              # 组织生活会: with the 整改清单
    for form in forms.values():
        for copy in form["copies"]:
            if "lines_first" in copy:
                assert copy["lines_first"] >= 10 and copy["lines_second"] >= 5


def test_dues_register_has_every_member_every_month_and_new_members_from_their_month(project):
    forms = _forms(project)
    members = [m.name for m in project.branches[0].members]
    months = forms["dues"]["copies"]
    assert [m["label"] for m in months] == [f"{n}月" for n in range(1, 13)]
    assert all([p["name"] for p in month["rows"]] == members for month in months)
    newcomer = project.branches[0].members[-1].model_copy(update={"name": "新党员", "joined_on": dt.date(2026, 6, 20),
                                                                  "full_member_on": None, "status": "预备"})
    months = _forms(project, members=[*project.branches[0].members, newcomer])["dues"]["copies"]
    assert ["新党员" in [p["name"] for p in month["rows"]] for month in months] == [False] * 5 + [True] * 7
    assert months[5]["joined"] == ["新党员"]


def test_talks_pair_every_committee_member_and_reach_every_member(project):
    rows = _forms(project)["talks"]["rows"]
    pairs = [row for row in rows if row["kind"] == "支委之间"]
    assert len(pairs) == 5 * 4 // 2
    partners = [row["partner"] for row in rows if row["kind"] == "支委与党员"]
    assert len(partners) == 27 - 5


def test_training_register_asks_56_hours_of_committee_members(project):
    rows = {row["name"]: row["hours"] for row in _forms(project)["training"]["rows"]}
    assert rows["王建国"] == LEADER_TRAINING_HOURS and rows["冯晓丽"] == TRAINING_HOURS


def test_appraisal_caps_excellent_at_a_third_and_does_not_grade_probationers(project):
    form = _forms(project)["appraisal"]
    assert form["excellent_max"] == 25 // 3
    assert sum(row["mark"] == "预备" for row in form["rows"]) == 2


def test_plan_lists_the_regular_work_month_by_month(project):
    months = _forms(project)["plan"]["months"]
    assert "支部委员会会议" in months["monthly"] and "党小组会" in months["monthly"]
    assert "组织生活会" in months["yearly"]
    assert months["months"][2]["due"][:2] == ["支部党员大会", "上党课"]      # March ends the first quarter
    assert months["months"][0]["due"] == []


def test_occurrences_spread_evenly_over_the_year():
    assert [(o.first_month, o.last_month) for o in spread(4)] == [(1, 3), (4, 6), (7, 9), (10, 12)]
    assert [o.label for o in spread(2)] == ["上半年", "下半年"]
    assert period_label(4, 6) == "第5次" and spread(0) == ()


def test_page_budget_leaves_room_for_writing():
    assert BUDGET.lines(0) == (BUDGET.type_area - BUDGET.slack) // BUDGET.line
