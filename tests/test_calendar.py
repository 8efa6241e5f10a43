"""Working days and 公示 periods from the holiday-calendar data; a year without data is a located error."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from generator.compute.calendar import MissingCalendarYear, is_working_day, notice_period, work_calendar
from generator.load.yaml_source import load_yaml
from generator.models.calendar import CalendarYear
from tests.support import REPO, edit, problems_of, write_project


def calendar_2026():
    doc, problems = load_yaml(REPO / "content/calendar/2026.yml", "content/calendar/2026.yml")
    assert problems == []
    return work_calendar([CalendarYear.model_validate(doc.data)])


def test_a_notice_of_2026_09_30_for_5_working_days_ends_10_13_or_10_12():
    calendar = calendar_2026()
    next_day = notice_period(dt.date(2026, 9, 30), 5, "次日", calendar)
    assert (next_day.start, next_day.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 13))
    same_day = notice_period(dt.date(2026, 9, 30), 5, "当日", calendar)
    assert (same_day.start, same_day.end) == (dt.date(2026, 9, 30), dt.date(2026, 10, 12))


@pytest.mark.parametrize("day, working", [
    ("2026-10-01", False), ("2026-10-07", False), ("2026-10-08", True), ("2026-10-10", True),   # 10月10日 Saturday works
    ("2026-10-11", False), ("2026-09-20", True), ("2026-02-14", True), ("2026-02-16", False),
    ("2026-01-04", True), ("2026-05-09", True), ("2026-06-19", False), ("2026-09-25", False), ("2026-07-01", True)])
def test_holidays_and_makeup_working_days_of_2026(day, working):
    assert is_working_day(dt.date.fromisoformat(day), calendar_2026()) is working


def test_a_period_reaching_a_year_without_data_raises():
    with pytest.raises(MissingCalendarYear) as raised:
        notice_period(dt.date(2026, 12, 28), 5, "次日", calendar_2026())
    assert raised.value.year == 2027


def test_posting_on_a_holiday_counts_from_the_first_working_day():
    period = notice_period(dt.date(2026, 10, 3), 1, "当日", calendar_2026())
    assert period.end == dt.date(2026, 10, 8)


def test_calendar_model_refuses_a_weekday_as_makeup_day():
    with pytest.raises(ValidationError, match="不是周六或周日"):
        CalendarYear(year=2026, basis="x", holidays=[{"name": "元旦", "start": "2026-01-01", "end": "2026-01-01"}],
                     workdays=[{"date": "2026-01-05"}])


def _with_notice(root, published: str) -> None:
    (root / "content/calendar").mkdir()
    (root / "content/calendar/2026.yml").write_text((REPO / "content/calendar/2026.yml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q4.csv").write_text("支部编号,K01,K02\nhongguang,5,4\n", encoding="utf-8")
    with (root / "content/schemes/tiered.yml").open("a", encoding="utf-8") as scheme:
        scheme.write(f"notice:\n  published:\n    2026Q4: {published}\n")


def test_a_notice_reaching_into_2027_is_a_located_problem(tmp_path):
    root = write_project(tmp_path)
    _with_notice(root, "2026-12-28")
    assert problems_of(root) == [
        "content/schemes/tiered.yml:10:13: 错误: 2026年12月28日发布的公示，5个工作日的公示期要用到 2027 年的节假日安排，"
        "但 content/calendar/ 中没有 2027.yml；请按国务院办公厅的通知添加 [notice.no-calendar]"]


def test_a_calendar_file_must_be_named_after_its_year(tmp_path):
    root = write_project(tmp_path)
    _with_notice(root, "2026-12-21")
    (root / "content/calendar/2026.yml").rename(root / "content/calendar/2025.yml")
    found = problems_of(root)
    assert found[0] == ("content/calendar/2025.yml:5:7: 错误: 年度 2026 与文件名「2025」不一致；"
                        "应保存为 content/calendar/2026.yml [calendar.wrong-file]")
    edit(root / "content/calendar/2025.yml", "year: 2026", "year: 2025")
    assert "[value.invalid]" in problems_of(root)[0]
