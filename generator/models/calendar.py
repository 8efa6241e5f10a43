"""Describe one year's holiday arrangement as users write it in ``content/calendar/<year>.yml``.

The calendar is data, updated each year when the State Council's holiday
notice appears (usually in November); it is never computed from rules
(docs/domain.md, 公示 and working days). Weekends are working days only when
listed as 调休 days.
"""

from __future__ import annotations

from pydantic import model_validator

from generator.models.common import Date, Model, field


class HolidaySpan(Model):
    name: str = field("节日", "如「国庆节」")
    start: Date = field("放假开始", "放假第一天")
    end: Date = field("放假结束", "放假最后一天（含）")


class MakeupWorkday(Model):
    date: Date = field("日期", "调休上班的周六或周日")
    note: str | None = field("说明", "如「国庆节调休」", default=None)


class CalendarYear(Model):
    year: int = field("年度", "与文件名一致，如 2026", ge=2000, le=2100)
    basis: str = field("依据", "国务院办公厅当年部分节假日安排的通知")
    holidays: list[HolidaySpan] = field("放假", "全部放假日期段", min_length=1)
    workdays: list[MakeupWorkday] = field("调休上班", "需要上班的周末", default_factory=list)

    @model_validator(mode="after")
    def _dates_in_year(self) -> CalendarYear:
        for span in self.holidays:
            if span.end < span.start:
                raise ValueError(f"「{span.name}」放假结束日期早于开始日期")
            if span.start.year != self.year or span.end.year != self.year:
                raise ValueError(f"「{span.name}」的日期不在 {self.year} 年内")
        for day in self.workdays:
            if day.date.year != self.year:
                raise ValueError(f"调休上班日 {day.date} 不在 {self.year} 年内")
            if day.date.weekday() < 5:
                raise ValueError(f"调休上班日 {day.date} 不是周六或周日")
        return self
