"""Turn public results and a scheme's notice settings into 公示 notices: title, basis, table, period, channel, issuer.

A notice holds only what the public results view holds (no individual
points, no pay-back) and the organization's own contact details, never a
member's (docs/domain.md, 公示 and working days; Privacy classes). The 公示期
is counted in working days from the holiday-calendar data with the scheme's
start convention; validation has already made sure the calendar covers it.
"""

from __future__ import annotations


from generator.periods import chinese_date
from generator.compute.calendar import START_CONVENTIONS, WorkCalendar, notice_period
from generator.models import Organization
from generator.models.schemes import Scheme

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


def _channel(organization: Organization) -> dict:
    office = organization.office
    return {"contact": office.contact_person or organization.short_name, "phone": office.phone,
            "email": office.email, "address": office.address}


def _table(scheme_view: dict, period: dict, kind: str) -> tuple[list[dict], list[dict]]:
    by_key = {column["key"]: column for column in scheme_view["columns"]}
    columns = [by_key[key] for key in NOTICE_COLUMNS[kind] if key in by_key]
    rows = [{column["key"]: row.get(column["key"]) for column in columns} for row in period["rows"]]
    return columns, rows


def build_notice(scheme: Scheme, scheme_view: dict, period: dict, organization: Organization,
                 calendar: WorkCalendar) -> dict:
    """One notice as plain data for the page, the PDF and the feed."""
    settings = scheme.notice
    published = settings.published[period["period"]]
    span = notice_period(published, settings.working_days, settings.start, calendar)
    columns, rows = _table(scheme_view, period, scheme.kind)
    basis = settings.basis or f"根据{organization.short_name}《{scheme.name}》有关规定"
    return {
        "slug": f"{scheme.id}-{period['period']}", "scheme_id": scheme.id, "scheme_name": scheme.name,
        "period": period["period"], "period_label": period["label"],
        "title": notice_title(scheme, period["label"]),
        "intro": f"{basis}, {period['label']}{scheme.name}结果已经产生。现将结果予以公示:",
        "columns": columns, "rows": rows,
        "published": published, "start": span.start, "end": span.end, "working_days": span.working_days,
        "convention": START_CONVENTIONS[span.convention],
        "period_text": f"{chinese_date(span.start)}至{chinese_date(span.end)} ({span.working_days}个工作日)",
        "boundary": f"「以上」{'含' if scheme.boundary.above_includes else '不含'}本数、「低于」不含本数",
        "channel": _channel(organization), "issuer": settings.issuer or organization.name,
        "date_text": chinese_date(published),
    }


def build_notices(schemes: list[Scheme], view: list[dict], organization: Organization,
                  calendar: WorkCalendar) -> list[dict]:
    """Every notice the schemes publish, newest first."""
    views = {scheme_view["id"]: scheme_view for scheme_view in view}
    notices = []
    for scheme in schemes:
        if scheme.notice is None or scheme.id not in views:
            continue
        for period in views[scheme.id]["periods"]:
            if period["period"] in scheme.notice.published:
                notices.append(build_notice(scheme, views[scheme.id], period, organization, calendar))
    return sorted(notices, key=lambda n: (n["published"], n["slug"]), reverse=True)


def project_notices(project, view: list[dict]) -> list[dict]:
    """The notices of a validated project from its public results view, newest first."""
    from generator.compute.calendar import work_calendar

    return build_notices(list(project.schemes), view, project.organization, work_calendar(project.calendars))
