"""Turn schemes, score sheets and calendar years into the problems that span files, located and in Chinese.

Field-level checks are the models' (generator.models.schemes); here are the
checks that need more than one file: rules naming item tiers or sheets that
the scheme lacks, participants that are not branches, a score table without
participating branches (one message per table, naming them and the fixes) or
two tables for one period, a grading source that is not a branch scheme, a 公示
for a period without results, and a 公示 period reaching into a year that has no
holiday-calendar data (report, never guess: docs/domain.md, 公示 and working days).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set

from generator.periods import chinese_date
from generator.compute.participants import branches_due
from generator.compute.calendar import MissingCalendarYear, WorkCalendar, notice_period, work_calendar
from generator.periods import PERIOD_PATTERNS, period_last_day, period_year
from generator.errors import Location, Problem
from generator.load.yaml_source import YamlDocument
from generator.models import Branch, ScoreSheet
from generator.models.calendar import CalendarYear
from generator.models.schemes import AnyScheme
from generator.validate.messages import LIKELY_ID, suggestion, validate_as


def _tier_problems(scheme: AnyScheme, doc: YamlDocument) -> list[Problem]:
    tiers = sorted({item.tier for item in scheme.scored_items() if item.tier})
    if not tiers:  # a scheme without tiers scores every item; there is nothing to name
        return []
    named: list[tuple[tuple, str]] = []
    if scheme.kind == "tiered":
        named = [(("rules", "scored_tiers", n), tier) for n, tier in enumerate(scheme.rules.scored_tiers)]
        named.append((("rules", "key_tier"), scheme.rules.key_tier))
    elif scheme.kind == "points":
        named = [(("rules", "weights", tier), tier) for tier in scheme.rules.weights]
    return [Problem(doc.locate(path, at_key=path[1] == "weights"), "scheme.unknown-tier",
                    f"方案的计分指标中没有级别「{tier}」{suggestion(tier, tiers)}")
            for path, tier in named if tier not in tiers]


def _reference_problems(scheme: AnyScheme, doc: YamlDocument, branches: list[Branch],
                        schemes: dict[str, AnyScheme], broken: Set[str]) -> list[Problem]:
    problems = []
    ids = sorted(b.id for b in branches)
    for key in ("branches", "exclude"):
        for n, branch_id in enumerate(getattr(scheme.participants, key)):
            if branch_id not in ids and branch_id not in broken:
                problems.append(Problem(doc.locate(("participants", key, n)), "scheme.unknown-branch",
                                        f"未知支部编号「{branch_id}」"
                                        f"{suggestion(branch_id, ids, LIKELY_ID) or '；如果这个支部已撤销，请把它从这个列表中删除'}"))
    if scheme.kind == "five_step":
        items = sorted(item.id for item in scheme.scored_items())
        for n, step in enumerate(scheme.rules.steps):
            for sheet in step.sheets:
                if sheet not in items:
                    problems.append(Problem(doc.locate(("rules", "steps", n, "sheets", sheet), at_key=True),
                                            "scheme.unknown-sheet",
                                            f"「{sheet}」不是本方案的计分指标（评分表）{suggestion(sheet, items)}"))
    if scheme.kind == "grading":
        source = schemes.get(scheme.rules.source)
        if source is None or source.kind not in ("tiered", "red_flag", "five_step"):
            known = sorted(s.id for s in schemes.values() if s.kind in ("tiered", "red_flag", "five_step"))
            problems.append(Problem(doc.locate(("rules", "source")), "scheme.bad-source",
                                    f"「{scheme.rules.source}」不是可评级的方案（台阶考核、流动红旗或五步考评）"
                                    f"{suggestion(scheme.rules.source, known)}"))
        if scheme.period != "year":
            problems.append(Problem(doc.locate(("period",)), "scheme.grading-period", "创优评级按年度进行，考核周期应为 year"))
    return problems


def scheme_problems(scheme: AnyScheme, doc: YamlDocument, branches: list[Branch],
                    schemes: dict[str, AnyScheme], broken: Set[str] = frozenset()) -> list[Problem]:
    """Rules that name tiers, sheets, branches or schemes that do not exist (branch files that failed aside)."""
    return _tier_problems(scheme, doc) + _reference_problems(scheme, doc, branches, schemes, broken)


def coverage_problems(scheme: AnyScheme, sheet: ScoreSheet, branches: list[Branch],
                      scheme_path: str | None = None) -> list[Problem]:
    """One problem per score table naming every participating branch without a row, and the fixes.

    Branches founded after the end of the period need no row; nor does anyone when the scheme's
    participation is not required (`participants.required: false`).
    """
    if not scheme.participants.required:
        return []
    present = {row.branch_id for row in sheet.rows}
    last_day = period_last_day(sheet.period) if _valid_period(scheme, sheet.period) else dt.date.max
    missing = [branch for branch in branches_due(scheme, branches, last_day) if branch.id not in present]
    if not missing:
        return []
    names = "、".join(f"「{branch.id}」（{branch.short_name}）" for branch in missing)
    rows = "党员积分行" if scheme.subject == "member" else "分数行"
    where = scheme_path or f"content/schemes/{scheme.id}.yml"
    if len(missing) == 1:
        branch = missing[0]
        add = "请为这个支部的每名党员添加一行" if scheme.subject == "member" else "请为它添加一行分数"
        message = (f"本表缺少支部{names}的{rows}。{add}；如果它不参加「{scheme.name}」，"
                   f"请把「{branch.id}」加到 {where} 的「不参加的支部」（participants.exclude）中")
    else:
        add = "请为这些支部的每名党员添加一行" if scheme.subject == "member" else "请为每个支部添加一行分数"
        message = (f"本表缺少 {len(missing)} 个参加支部的{rows}：{names}。{add}；不参加「{scheme.name}」的支部，"
                   f"请把编号加到 {where} 的「不参加的支部」（participants.exclude）中")
    return [Problem(Location(sheet.path, 1), "scores.missing-branch",
                    f"{message}；如果本方案允许参加的支部某一期没有分数，请在该文件的 participants 下写 required: false")]


def _valid_period(scheme: AnyScheme, period: str) -> bool:
    return re.match(PERIOD_PATTERNS[scheme.period][0], period) is not None


def duplicate_period_problems(sheets: list[ScoreSheet]) -> list[Problem]:
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for sheet in sorted(sheets, key=lambda s: s.path):
        key = (sheet.scheme_id, sheet.period)
        if key in seen:
            problems.append(Problem(Location(sheet.path, 1), "scores.duplicate-period",
                                    f"考核期「{sheet.period}」已有分数表 {seen[key]}；每个考核期只能有一张"))
        else:
            seen[key] = sheet.path
    return problems


def calendar_years(docs: list[YamlDocument], problems: list[Problem]) -> list[CalendarYear]:
    """Validate content/calendar/<year>.yml files; the year must match the file name."""
    years = []
    for doc in docs:
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.locate(), "yaml.not-mapping", "文件内容应为「键: 值」形式的一组数据"))
            continue
        stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        written = doc.data.get("year")
        if isinstance(written, int) and not isinstance(written, bool) and stem.isdigit() and written != int(stem):
            # Checked first: every holiday date would otherwise be reported as outside the year.
            problems.append(Problem(doc.locate(("year",)), "calendar.wrong-file",
                                    f"年度 {written} 与文件名「{stem}」不一致；应保存为 content/calendar/{written}.yml"))
            continue
        year, found = validate_as(CalendarYear, doc.data, doc.locate)
        problems.extend(found)
        if year is not None and stem != str(year.year):
            problems.append(Problem(doc.locate(("year",)), "calendar.wrong-file",
                                    f"年度 {year.year} 与文件名「{stem}」不一致；应保存为 content/calendar/{year.year}.yml"))
        elif year is not None:
            years.append(year)
    return years


def _key_path(doc: YamlDocument, period: str) -> tuple:
    published = ((doc.data or {}).get("notice") or {}).get("published") or {}
    key = next((raw for raw in published if str(raw) == period), period)
    return ("notice", "published", key)


def notice_problems(scheme: AnyScheme, doc: YamlDocument, periods: set[str], calendar: WorkCalendar,
                    broken_years: Set[int] = frozenset(), unread: Set[str] = frozenset()) -> list[Problem]:
    """Each notice date: a period with results, and a 公示期 inside years with calendar data.

    A year in `broken_years` has a calendar file whose own mistake is already reported, and so has a
    period in `unread` its score table.
    """
    if scheme.notice is None:
        return []
    problems = []
    for period, published in scheme.notice.published.items():
        where = doc.locate(_key_path(doc, period))
        if period not in periods:
            if period in unread:
                continue
            problems.append(Problem(doc.locate(_key_path(doc, period), at_key=True), "notice.no-results",
                                    _no_results(scheme, period, periods)))
            continue
        try:
            notice_period(published, scheme.notice.working_days, scheme.notice.start, calendar)
        except MissingCalendarYear as missing:
            if missing.year in broken_years:
                continue
            problems.append(Problem(where, "notice.no-calendar",
                                    f"{chinese_date(published)}发布的公示，"
                                    f"{scheme.notice.working_days}个工作日的公示期要用到 {missing.year} 年的节假日安排，"
                                    f"但 content/calendar/ 中没有 {missing.year}.yml；请按国务院办公厅的通知添加"))
    return problems


def _no_results(scheme: AnyScheme, period: str, periods: set[str]) -> str:
    """Why a 公示 cannot be published for `period`, and what to do; a suggestion only for a mistyped period."""
    if not _valid_period(scheme, period):
        fix = suggestion(period, sorted(periods)) or f"；考核期应写作「{PERIOD_PATTERNS[scheme.period][1]}」这样的格式"
        return f"「{period}」不是本方案的考核期{fix}"
    if scheme.kind == "grading":
        source = f"创优评级按方案「{scheme.rules.source}」的结果，请先添加它 {period} 年的分数表"
    else:
        source = f"请添加这一期的分数表 scores/{scheme.id}/{period}.csv（或 .xlsx）"
    return f"考核期「{period}」没有考核结果，不能发布公示；{source}，或从「发布日期」（notice.published）中删除这一期"


def result_periods(scheme: AnyScheme, sheets: list[ScoreSheet], schemes: dict[str, AnyScheme]) -> set[str]:
    """The periods a scheme will have results for: its own sheets, or for grading the source's years."""
    if scheme.kind == "grading":
        source = scheme.rules.source
        return {str(period_year(s.period)) for s in sheets if s.scheme_id == source and _valid_period(schemes[source], s.period)} \
            if source in schemes else set()
    return {s.period for s in sheets if s.scheme_id == scheme.id}


def check_schemes(documents: dict[str, YamlDocument], schemes: list[AnyScheme], branches: list[Branch],
                  sheets: list[ScoreSheet], calendars: list[CalendarYear], broken: Set[str] = frozenset(),
                  mistyped: Set[str] = frozenset(), broken_years: Set[int] = frozenset(),
                  unread: Set[tuple[str, str]] = frozenset()) -> list[Problem]:
    """Every cross-file check of schemes, their score sheets and their notices.

    `broken` are ids of branch files that failed (already reported); `mistyped`
    are score tables with an unknown branch id, whose missing branch is most
    likely that same row — one mistake, one message; `broken_years` are years
    whose calendar file has a mistake and `unread` (scheme id, period) pairs
    whose score table could not be read (both already reported).
    """
    by_id = {scheme.id: scheme for scheme in schemes}
    calendar = work_calendar(calendars)
    problems = duplicate_period_problems(sheets)
    for scheme in schemes:
        doc = documents[scheme.id]
        problems += scheme_problems(scheme, doc, branches, by_id, broken)
        problems += notice_problems(scheme, doc, result_periods(scheme, sheets, by_id), calendar, broken_years,
                                    {period for scheme_id, period in unread if scheme_id == scheme.id})
        if scheme.kind == "grading":
            problems += [Problem(Location(s.path, 1), "scores.not-used",
                                 f"方案「{scheme.name}」按「{scheme.rules.source}」的结果评级，不使用分数表")
                         for s in sheets if s.scheme_id == scheme.id]
    for sheet in sheets:
        if sheet.path not in mistyped:
            problems += coverage_problems(by_id[sheet.scheme_id], sheet, branches, documents[sheet.scheme_id].path)
    return problems
