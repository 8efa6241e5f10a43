"""The one home of period labels, Chinese dates and Chinese numerals, for the site and the print set alike.

Period codes: ``2026Q3`` (a quarter), ``2026B2`` (two months: 3—4月) and
``2026`` (a year). Every page, PDF, entry sheet and filing list names a period
with `period_label`, so the same period reads the same everywhere.
Dates read ``2026年3月5日`` in running text (`chinese_date`) and ``2026.03.05``
in dense table columns (`dotted_date`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

PERIOD_PATTERNS = {"quarter": (r"^\d{4}Q[1-4]$", "2026Q1"),
                   "bimonth": (r"^\d{4}B[1-6]$", "2026B1"),
                   "year": (r"^\d{4}$", "2026")}
PERIOD_UNITS = {"quarter": "季度", "bimonth": "期", "year": "年度"}
_PERIOD = re.compile(r"^(\d{4})(?:([QB])([1-6]))?$")
_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (0–999); other numbers as Arabic digits."""
    if not 0 <= number <= 999:
        return str(number)
    if number < 10:
        return _DIGITS[number]
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    text = ""
    if hundreds:
        text = _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return text + "零" + _DIGITS[units]
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if units:
        text += _DIGITS[units]
    return text


def ordinal(number: int, unit: str = "") -> str:
    """3, "阶段" → 第三阶段."""
    return f"第{chinese_numeral(number)}{unit}"


def quarter_name(number: int) -> str:
    """3 → 第三季度."""
    return ordinal(number, "季度")


QUARTERS = tuple(quarter_name(number) for number in range(1, 5))
HALVES = ("上半年", "下半年")


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
        return f"{year}年{quarter_name(number)}"
    if kind == "B":
        return f"{year}年{2 * number - 1}—{2 * number}月"
    return f"{year}年度"


def period_last_day(period: str) -> dt.date:
    year, kind, number = period_parts(period)
    month = {"Q": 3 * number, "B": 2 * number, "Y": 12}[kind]
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def chinese_date(value: Any) -> str:
    """2026年3月5日, the form used in running text, tables and forms; other values as text."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def dotted_date(value: dt.date | None) -> str:
    """2026.03.05, compact enough for the many date columns of a roster or an inventory."""
    return "" if value is None else f"{value.year}.{value.month:02d}.{value.day:02d}"


def dotted_months(year: int, first: int, last: int) -> str:
    """2026, 3, 3 → 2026.03; 2026, 4, 6 → 2026.04–06: an inventory's date for work of some months."""
    return f"{year}.{first:02d}" if first == last else f"{year}.{first:02d}–{last:02d}"
