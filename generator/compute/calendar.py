"""Turn holiday-calendar data into working days and 公示 periods with explicit start and end dates.

A working day is Monday to Friday, except statutory holidays, plus the
official 调休 weekend working days. Only years with calendar data can be
counted: asking about any other year raises `MissingCalendarYear`, which
validation turns into a located error — never a guess (docs/domain.md,
公示 and working days).

Start conventions (same section): 「次日」 — the period runs from the day after
posting (民法典第二百零一条), and the first working day counted is the first
one on or after that day; 「当日」 — the posting day itself is day 1 when it is
a working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from generator.models.calendar import CalendarYear

START_CONVENTIONS = {"次日": "自发布次日起算", "当日": "发布当日计入"}


class MissingCalendarYear(Exception):
    """A date falls in a year for which there is no holiday data."""

    def __init__(self, year: int) -> None:
        super().__init__(f"没有 {year} 年的节假日安排数据")
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    years: frozenset[int]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]


@dataclass(frozen=True)
class NoticePeriod:
    published: dt.date
    start: dt.date
    end: dt.date
    working_days: int
    convention: str


def work_calendar(years: Iterable[CalendarYear]) -> WorkCalendar:
    years = list(years)
    holidays = {span.start + dt.timedelta(days=offset)
                for year in years for span in year.holidays
                for offset in range((span.end - span.start).days + 1)}
    workdays = {day.date for year in years for day in year.workdays}
    return WorkCalendar(frozenset(year.year for year in years), frozenset(holidays), frozenset(workdays))


def is_working_day(day: dt.date, calendar: WorkCalendar) -> bool:
    if day.year not in calendar.years:
        raise MissingCalendarYear(day.year)
    if day in calendar.workdays:
        return True
    return day.weekday() < 5 and day not in calendar.holidays


def notice_period(published: dt.date, working_days: int, convention: str, calendar: WorkCalendar) -> NoticePeriod:
    """The 公示期 of `working_days` working days for a notice posted on `published`."""
    start = published + dt.timedelta(days=1 if convention == "次日" else 0)
    day, counted = start, 0
    while True:
        if is_working_day(day, calendar):
            counted += 1
            if counted == working_days:
                return NoticePeriod(published, start, day, working_days, convention)
        day += dt.timedelta(days=1)
