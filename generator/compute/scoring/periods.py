"""Turn period codes (2026Q3, 2026B2, 2026) into labels, years, last days and an order for streaks."""

from __future__ import annotations

import calendar
import datetime as dt
import re

PERIOD_PATTERNS = {"quarter": (r"^\d{4}Q[1-4]$", "2026Q1"),
                   "bimonth": (r"^\d{4}B[1-6]$", "2026B1"),
                   "year": (r"^\d{4}$", "2026")}
PERIOD_UNITS = {"quarter": "季度", "bimonth": "期", "year": "年度"}
CHINESE_NUMBERS = "一二三四五六"
_PERIOD = re.compile(r"^(\d{4})(?:([QB])([1-6]))?$")


def period_parts(period: str) -> tuple[int, str, int]:
    """2026Q3 → (2026, "Q", 3); 2026 → (2026, "Y", 1)."""
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"not a period: {period!r}")
    return int(match[1]), match[2] or "Y", int(match[3] or 1)


def period_year(period: str) -> int:
    return period_parts(period)[0]


def period_index(period: str) -> int:
    """Consecutive periods of one kind have consecutive indexes (2025Q4 → 2026Q1 too)."""
    year, kind, number = period_parts(period)
    per_year = {"Q": 4, "B": 6, "Y": 1}[kind]
    return year * per_year + number - 1


def period_label(period: str) -> str:
    """2026Q3 → 2026年第三季度; 2026B2 → 2026年3—4月; 2026 → 2026年度."""
    year, kind, number = period_parts(period)
    if kind == "Q":
        return f"{year}年第{CHINESE_NUMBERS[number - 1]}季度"
    if kind == "B":
        return f"{year}年{2 * number - 1}—{2 * number}月"
    return f"{year}年度"


def period_last_day(period: str) -> dt.date:
    year, kind, number = period_parts(period)
    month = {"Q": 3 * number, "B": 2 * number, "Y": 12}[kind]
    return dt.date(year, month, calendar.monthrange(year, month)[1])
