"""Turn public results and a scheme's notice settings into 公示 notices: title, basis, table, period, channel, issuer.

A notice holds only what the public results view holds (no individual
points, no pay-back) and the organization's own contact details, never a
member's (docs/domain.md, 公示 and working days; Privacy classes). The 公示期
is counted in working days from the holiday-calendar data with the scheme's
start convention; validation has already made sure the calendar covers it.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from generator.periods import chinese_date
from generator.compute.calendar import START_CONVENTIONS, WorkCalendar, notice_period
from generator.compute.scoring import ColumnView, PeriodView, ResultRow, SchemeView
from generator.models import Organization, Project
from generator.models.schemes import AnyScheme, NoticeSettings, Scheme

# The columns a notice publishes, per scheme kind (a subset of the public results columns).
NOTICE_COLUMNS = {
    "tiered": ("rank", "branch", "subtotal_1", "subtotal_2", "subtotal_3", "total", "tier", "coefficient"),
    "red_flag": ("rank", "branch", "total", "prize", "flag"),
    "five_step": ("rank", "branch", "step_1", "step_2", "step_3", "step_4", "step_5", "composite"),
    "grading": ("rank", "branch", "score", "grade", "label"),
}


def notice_title(scheme: Scheme, period_label: str) -> str:
    """The usual pattern: 关于…的公示."""
    return f"关于{period_label}{scheme.name}结果的公示"


class Channel(TypedDict):
    """Where to write or call about a notice: the organization's office, never a member."""

    contact: str
    phone: str
    email: str | None
    address: str | None


class Notice(TypedDict):
    """One 公示 as plain data for its page, its PDF and the feed."""

    slug: str                   # 「<scheme id>-<period>」: the page's and the PDF's file name
    scheme_id: str
    scheme_name: str
    period: str
    period_label: str
    title: str                  # 关于…的公示
    intro: str
    columns: list[ColumnView]   # the NOTICE_COLUMNS of the scheme's kind that its public view has
    rows: list[ResultRow]
    published: dt.date
    start: dt.date              # the 公示期, in working days
    end: dt.date
    working_days: int
    convention: str             # how the first day is counted, in words
    period_text: str
    boundary: str               # how 「以上」「低于」 are read
    channel: Channel
    issuer: str
    date_text: str              # the publication date in Chinese


def _channel(organization: Organization) -> Channel:
    office = organization.office
    return {"contact": office.contact_person or organization.short_name, "phone": office.phone,
            "email": office.email, "address": office.address}


def _table(scheme_view: SchemeView, period: PeriodView, kind: str) -> tuple[list[ColumnView], list[ResultRow]]:
    by_key = {column["key"]: column for column in scheme_view["columns"]}
    columns = [by_key[key] for key in NOTICE_COLUMNS[kind] if key in by_key]
    rows = [{column["key"]: row.get(column["key"]) for column in columns} for row in period["rows"]]
    return columns, rows


def build_notice(scheme: Scheme, settings: NoticeSettings, scheme_view: SchemeView, period: PeriodView,
                 organization: Organization, calendar: WorkCalendar) -> Notice:
    """The notice of one period of a scheme that publishes notices with `settings`."""
    published = settings.published[period["period"]]
    span = notice_period(published, settings.working_days, settings.start, calendar)
    columns, rows = _table(scheme_view, period, scheme.kind)
    basis = settings.basis or f"根据{organization.short_name}《{scheme.name}》有关规定"
    return {
        "slug": f"{scheme.id}-{period['period']}", "scheme_id": scheme.id, "scheme_name": scheme.name,
        "period": period["period"], "period_label": period["label"],
        "title": notice_title(scheme, period["label"]),
        "intro": f"{basis}，{period['label']}{scheme.name}结果已经产生。现将结果予以公示：",
        "columns": columns, "rows": rows,
        "published": published, "start": span.start, "end": span.end, "working_days": span.working_days,
        "convention": START_CONVENTIONS[span.convention],
        "period_text": f"{chinese_date(span.start)}至{chinese_date(span.end)}（{span.working_days}个工作日）",
        "boundary": f"「以上」{'含' if scheme.boundary.above_includes else '不含'}本数、「低于」不含本数",
        "channel": _channel(organization), "issuer": settings.issuer or organization.name,
        "date_text": chinese_date(published),
    }


def build_notices(schemes: list[AnyScheme], view: list[SchemeView], organization: Organization,
                  calendar: WorkCalendar) -> list[Notice]:
    """Every notice the schemes publish, newest first."""
    views = {scheme_view["id"]: scheme_view for scheme_view in view}
    notices = []
    for scheme in schemes:
        settings = scheme.notice
        if settings is None or scheme.id not in views:
            continue
        for period in views[scheme.id]["periods"]:
            if period["period"] in settings.published:
                notices.append(build_notice(scheme, settings, views[scheme.id], period, organization, calendar))
    return sorted(notices, key=lambda n: (n["published"], n["slug"]), reverse=True)


def project_notices(project: Project, view: list[SchemeView]) -> list[Notice]:
    """The notices of a validated project from its public results view, newest first."""
    from generator.compute.calendar import work_calendar

    return build_notices(list(project.schemes), view, project.organization, work_calendar(project.calendars))
