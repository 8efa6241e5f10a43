"""Recruitment pipeline: where each applicant stands, the next step's dates by hand, and what is flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.compute.recruitment import (
    FULL_MEETING, RULES, STEP_NAMES, SUBSTEPS, add_period, probation_end, recruitment_status, stage_counts,
)
from generator.load.yaml_source import load_yaml, parse_yaml
from generator.models.branch import Applicant
from generator.models.content import Workflow
from generator.validate.messages import validate_as

REPO = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat


def person(**dates: str) -> Applicant:
    data = {"name": "林晓", "gender": "女", "birth_date": "1998-05-04", "applied_on": "2024-01-10"}
    return Applicant.model_validate(data | dates)


def flags(status: dict) -> list[tuple[str, int]]:
    return [(flag["kind"], flag["step"]) for flag in status["flags"]]


# --- civil-law period arithmetic -----------------------------------------------------------

@pytest.mark.parametrize("start, duration, end", [
    ("2024-01-31", "1个月", "2024-02-29"),   # no 31st in February: its last day, leap year
    ("2023-01-31", "1个月", "2023-02-28"),   # ... and in a common year
    ("2024-02-29", "1年", "2025-02-28"),     # no 29 February in 2025
    ("2024-02-29", "4年", "2028-02-29"),
    ("2025-08-31", "3个月", "2025-11-30"),
    ("2025-11-30", "3个月", "2026-02-28"),
    ("2025-12-15", "1个月", "2026-01-15"),   # across the year end
    ("2024-02-28", "1个月", "2024-03-28"),   # the corresponding day, not the month end
    ("2024-03-15", "7天", "2024-03-22"),
    ("2024-03-15", "1周", "2024-03-22"),
])
def test_period_ends_on_the_corresponding_day_or_the_month_end(start, duration, end):
    assert add_period(D(start), duration) == D(end)


def test_working_days_are_not_guessed_without_a_calendar():
    assert add_period(D("2026-09-25"), "5个工作日") is None


# --- where a person stands and what comes next -------------------------------------------------

def test_applicant_waits_for_the_talk_within_one_month_to_a_leap_day():
    status = recruitment_status(person(applied_on="2024-01-31"), D("2024-02-10"))
    assert (status["stage"], status["step"], status["next_step"]) == ("入党申请人", 1, 2)
    assert (status["next_name"], status["earliest"], status["latest"]) == ("党组织派人谈话", None, D("2024-02-29"))
    assert status["flags"] == []


def test_talk_not_recorded_after_the_deadline_is_overdue():
    status = recruitment_status(person(applied_on="2026-01-31"), D("2026-03-02"))
    assert status["latest"] == D("2026-02-28")
    assert status["flags"] == [{
        "kind": "逾期", "step": 2, "local": False,
        "text": "未记录「党组织派人谈话」的日期；按时限应在 2026年2月28日前完成，已过 2 天"
                "（党组织收到入党申请书后 1 个月内派人谈话）"}]


def test_talk_recorded_late_is_overdue_and_on_the_last_day_is_not():
    late = recruitment_status(person(applied_on="2025-03-10", talked_on="2025-04-11"), D("2025-05-01"))
    assert flags(late) == [("逾期", 2)]
    assert "「党组织派人谈话」（2025年4月11日）晚于时限 2025年4月10日" in late["flags"][0]["text"]
    on_time = recruitment_status(person(applied_on="2025-03-10", talked_on="2025-04-10"), D("2025-05-01"))
    assert on_time["flags"] == []


def test_activist_of_a_leap_day_may_become_a_candidate_on_28_february():
    status = recruitment_status(person(talked_on="2024-01-20", activist_on="2024-02-29"), D("2024-10-01"))
    assert (status["stage"], status["step"], status["step_name"]) == ("入党积极分子", 3, "推荐和确定入党积极分子")
    assert status["in_progress"] == [(4, "上级党委备案"), (5, "指定培养联系人"), (6, "培养教育考察")]
    assert (status["next_step"], status["earliest"], status["latest"]) == (7, D("2025-02-28"), None)


def test_local_rule_gives_the_earliest_activist_date_and_says_it_is_local():
    status = recruitment_status(person(applied_on="2025-11-30", talked_on="2025-12-05"), D("2026-01-10"))
    assert (status["next_step"], status["earliest"], status["rule_is_local"]) == (3, D("2026-02-28"), True)


def test_candidate_less_than_a_year_after_activist_is_out_of_order():
    early = recruitment_status(person(activist_on="2024-06-20", candidate_on="2025-06-19"), D("2025-07-01"))
    assert flags(early) == [("顺序异常", 7)]
    assert early["flags"][0]["text"] == ("「确定发展对象」（2025年6月19日）早于最早日期 2025年6月20日"
                                         "（经过 1 年以上培养教育和考察方可确定为发展对象）")
    exactly = recruitment_status(person(activist_on="2024-06-20", candidate_on="2025-06-20"), D("2025-07-01"))
    assert exactly["flags"] == []


def test_approval_is_due_within_three_months_of_the_branch_meeting():
    dates = {"activist_on": "2024-04-10", "candidate_on": "2025-04-15", "admitted_on": "2025-11-30"}
    status = recruitment_status(person(**dates), D("2026-02-28"))
    assert (status["stage"], status["step"], status["next_step"]) == ("预备党员", 15, 17)
    assert status["latest"] == D("2026-02-28") and status["flags"] == []
    late = recruitment_status(person(**dates), D("2026-03-01"))
    assert flags(late) == [("逾期", 17)]
    approved = recruitment_status(person(**dates, approved_on="2026-02-27"), D("2026-03-01"))
    assert approved["flags"] == [] and approved["next_step"] == 22


def test_probation_of_a_leap_day_ends_on_28_february_and_the_review_is_then_due():
    dates = {"applied_on": "2022-03-01", "activist_on": "2022-09-01", "candidate_on": "2023-09-05",
             "admitted_on": "2024-02-29", "approved_on": "2024-04-10"}
    assert probation_end(person(**dates)) == D("2025-02-28")
    before = recruitment_status(person(**dates), D("2025-02-27"))
    assert before["flags"] == [] and before["probation_end"] == D("2025-02-28")
    due = recruitment_status(person(**dates, full_applied_on="2025-02-20"), D("2025-02-28"))
    assert (due["next_step"], due["earliest"]) == (23, D("2025-02-28"))
    assert due["flags"] == [{"kind": "到期", "step": 23, "local": False,
                             "text": "预备期已于 2025年2月28日期满，应及时召开支部党员大会讨论转正"}]


def test_after_the_application_for_full_membership_the_substeps_of_step_23_are_in_progress():
    dates = {"applied_on": "2022-03-01", "activist_on": "2022-09-01", "candidate_on": "2023-09-05",
             "admitted_on": "2024-07-01", "approved_on": "2024-08-01", "full_applied_on": "2025-06-20"}
    status = recruitment_status(person(**dates), D("2025-06-25"))
    assert (status["step"], status["next_step"], status["next_name"]) == (22, 23, "支部党员大会讨论转正")
    assert status["in_progress"] == []
    assert status["preparing"] == [("23（一）", "党小组提出意见"), ("23（二）", "党支部征求党员和群众意见"),
                                   ("23（三）", "支部委员会审查转正")]
    assert recruitment_status(person(**dates, full_meeting_on="2025-07-02"), D("2025-07-05"))["preparing"] == []


def test_review_before_the_probation_ends_is_out_of_order():
    dates = {"applied_on": "2022-03-01", "activist_on": "2022-09-01", "candidate_on": "2023-09-05",
             "admitted_on": "2024-02-29", "approved_on": "2024-04-10", "full_meeting_on": "2025-02-27"}
    assert flags(recruitment_status(person(**dates), D("2025-03-10"))) == [("顺序异常", 23)]


def test_full_approval_more_than_three_months_after_the_review_is_overdue():
    dates = {"applied_on": "2023-01-05", "activist_on": "2023-06-01", "candidate_on": "2024-06-05",
             "admitted_on": "2024-11-30",
             "approved_on": "2025-01-10", "full_meeting_on": "2025-11-30"}
    waiting = recruitment_status(person(**dates), D("2026-01-05"))
    assert (waiting["next_step"], waiting["latest"]) == (24, D("2026-02-28"))
    late = recruitment_status(person(**dates, full_approved_on="2026-03-01"), D("2026-03-05"))
    assert late["stage"] == "正式党员" and flags(late) == [("逾期", 24)]
    assert (late["next_step"], late["next_name"]) == (25, "材料归档")


def test_extended_probation_moves_the_review_and_must_be_half_a_year_to_a_year():
    dates = {"applied_on": "2022-01-05", "activist_on": "2022-06-01", "candidate_on": "2023-06-05",
             "admitted_on": "2024-07-01",
             "approved_on": "2024-08-01"}
    extended = person(**dates, probation_extended_to="2026-01-01")
    assert probation_end(extended) == D("2026-01-01")
    assert recruitment_status(extended, D("2025-12-01"))["flags"] == []
    too_short = recruitment_status(person(**dates, probation_extended_to="2025-12-31"), D("2025-12-01"))
    assert too_short["flags"] == [{"kind": "顺序异常", "step": 24, "local": False,
                                   "text": "延长预备期至 2025年12月31日，应在 2026年1月1日至2026年7月1日之间"
                                           "（延长时间不少于半年、不超过 1 年）"}]
    early_review = recruitment_status(person(**dates, probation_extended_to="2026-01-01",
                                             full_meeting_on="2025-12-20"), D("2026-01-05"))
    assert flags(early_review) == [("顺序异常", 23)]


def test_dates_after_the_reference_day_are_flagged_and_not_counted():
    status = recruitment_status(person(talked_on="2024-01-20", activist_on="2024-07-01"), D("2024-06-01"))
    assert (status["stage"], status["step"]) == ("入党申请人", 2)
    assert status["flags"][0] == {"kind": "顺序异常", "step": 3, "local": False,
                                  "text": "「推荐和确定入党积极分子」的日期 2024年7月1日晚于统计日期 2024年6月1日"}


def test_stage_counts_on_a_day():
    people = [person(), person(activist_on="2024-05-01"), person(activist_on="2024-05-01", candidate_on="2025-05-02"),
              person(activist_on="2024-05-01", candidate_on="2025-05-02", admitted_on="2025-08-01"),
              person(applied_on="2025-09-01")]
    assert stage_counts(people, D("2025-08-01")) == {"入党申请人": 1, "入党积极分子": 1, "发展对象": 1,
                                                    "预备党员": 1, "正式党员": 0}
    assert stage_counts(people, D("2025-05-01")) == {"入党申请人": 1, "入党积极分子": 3, "发展对象": 0,
                                                    "预备党员": 0, "正式党员": 0}


# --- impossible dates are located input errors ------------------------------------------------

APPLICANT = """\
name: 林晓
gender: 女
birth_date: 2008-05-04
applied_on: 2026-05-03
talked_on: 2026-05-20
activist_on: 2026-05-10
admitted_on: 2027-09-01
"""


def test_impossible_dates_are_located_at_the_later_date():
    doc, _ = parse_yaml(APPLICANT, "branches/hongguang.yml", first_line=10)
    _, problems = validate_as(Applicant, doc.data, doc.locate)
    assert [str(p) for p in problems] == [
        "branches/hongguang.yml:13:13: 错误: 「递交申请日期」（applied_on）：递交入党申请书时应年满 18 周岁 [value.invalid]",
        "branches/hongguang.yml:15:14: 错误: 「确定积极分子日期」（activist_on）：不应早于「谈话日期」（2026-05-20） [value.invalid]",
        "branches/hongguang.yml:16:14: 错误: 「接收预备党员日期」（admitted_on）：应先填写「确定发展对象日期」（candidate_on） "
        "[value.invalid]",
    ]


# --- the rules here are the rules of the 发展党员 workflow -------------------------------------------

def test_rules_and_step_names_match_the_fazhan_dangyuan_workflow():
    path = REPO / "content" / "workflows" / "fazhan-dangyuan.yml"
    doc, _ = load_yaml(path, path.name)
    workflow = Workflow.model_validate(doc.data)
    main = workflow.main_steps()
    numbers = workflow.step_numbers()
    assert len(main) == len(STEP_NAMES) == 25 and len(workflow.steps) == 28
    for rule in RULES:
        step = main[rule.step - 1]
        assert step.time is not None, rule
        assert (numbers[step.time.after], step.time.min, step.time.max, step.time.local) == \
            (rule.after, rule.min, rule.max, rule.local), (rule, step.time)
    for name, step in zip(STEP_NAMES, main):
        assert step.name.replace("进行", "").replace("开展", "") in name or name in step.name, (name, step.name)
    # the procedures of 细则第三十三条 are the sub-steps of step 23 and have no number of their own
    groups = workflow.substeps()
    assert {numbers[main_id] for main_id in groups} == set(SUBSTEPS) == {FULL_MEETING}
    for number, names in SUBSTEPS.items():
        steps = groups[main[number - 1].id]
        assert len(steps) == len(names) == 3
        for name, step in zip(names, steps):
            assert step.name in name, (name, step.name)
