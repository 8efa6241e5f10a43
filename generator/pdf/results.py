"""Turn the engine's internal results into print: the handbook's 考核情况 and one results PDF per scheme and period.

Both read the internal results view (`generator.compute.scoring.results_view`
with audience "internal"), so they show exactly what the scoring engines
computed — totals, ranks, tiers, coefficients, flags, consequences, each
member's points, band and priority, the secretary's pay-back — and nothing
the view leaves out. Cells are formatted as on the site
(`generator.render.results.format_value`).

- The handbook (`branch_assessments`) shows, for every scheme the branch takes
  part in, its row of each period and, for member schemes, its members' points.
- The organization department gets `print/考核结果/<scheme>-<period>.pdf`
  (`results_documents`, `print_results`): every branch's result; for the
  台阶考核 the pay-back table (支部, 书记, 考核类别, 预留金额, 系数, 返还金额 =
  预留 × 系数); for 党员积分 every member's points, band and the priority marker.
  The folder name cannot clash with a branch folder (branch ids are ASCII).

The PDFs are reproducible like the notices: the only dates are the dcterms
meta dates (SOURCE_DATE_EPOCH when set, else the build date) and the /ID is a
hash of the HTML and the stylesheets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NotRequired, TypedDict

from generator.compute.scoring import Cell, ColumnView, PeriodView, ResultRow, SchemeView
from generator.compute.views import View
from generator.models import Project
from generator.models.schemes import PointsScheme, SchemeKind, TieredScheme
from generator.pdf.typeset import document_date, lay_out, pdf_identifier, render_html, require_stylesheets
from generator.render.results import format_value

RESULTS_FOLDER = "考核结果"            # inside print/
RESULTS_STYLESHEETS = ("fonts.css", "result-table.css", "results.css")
INTERNAL_MARK = "内部资料"

# The value columns of a branch scheme's row, in order (five_step: its step columns, then these).
VALUE_KEYS = {"tiered": ("total", "tier", "coefficient"), "red_flag": ("total", "band", "prize"),
              "five_step": ("composite",), "grading": ("score", "grade", "label")}
DETAIL_KEYS = {"tiered": ("subtotal_1", "subtotal_2", "subtotal_3")}    # results PDF only, before the values
FLAG_KEYS = {"tiered": ("penalized", "exposure", "failing"), "red_flag": ("flag", "sanctioned")}
NOTE_KEYS = {"tiered": "consequences", "red_flag": "consequences", "grading": "action"}
# How the pay-back table formats its amounts.
MONEY = ColumnView(key="payback", title="返还金额", kind="money", privacy="internal", description="")


class BranchRow(TypedDict):
    """A branch's result in a table: the value cells formatted, the flags and notes as text."""

    branch_id: str
    branch: str
    rank: Cell
    of: int                     # how many branches were ranked
    values: list[str]
    flags: str                  # 「降档、面子挂钩」
    notes: Cell


class BranchHeader(TypedDict):
    values: list[str]           # the titles of the value columns
    flags: bool                 # whether the kind has flags
    notes: bool                 # and notes


class MemberRow(TypedDict):
    rank: Cell
    member: Cell
    status: Cell
    parts: list[str]            # the points of each part (tier), formatted
    final: str
    reward: Cell
    penalty: Cell
    priority: str               # the priority marker, or ""
    consequences: Cell


class RewardCount(TypedDict):
    title: str
    count: Cell


class MemberSummary(TypedDict):
    people: Cell
    average: str
    priority_count: Cell
    rewards: list[RewardCount]


class MemberBranch(TypedDict):
    """A member scheme's period in one branch: the summary and every member's row."""

    summary: MemberSummary
    members: list[MemberRow]


class NamedMemberBranch(MemberBranch):
    branch: str


class AssessmentPeriod(TypedDict):
    period: str
    label: str
    row: NotRequired[BranchRow]              # a branch scheme
    summary: NotRequired[MemberSummary]      # a member scheme
    members: NotRequired[list[MemberRow]]


class BranchAssessment(TypedDict):
    """A scheme in one branch's handbook (考核情况): its periods with the branch's result."""

    id: str
    name: str
    kind: SchemeKind
    subject: Literal["branch", "member"]
    header: BranchHeader
    parts: list[str]
    marker: str
    legend: str
    periods: list[AssessmentPeriod]


class PaybackRow(TypedDict):
    branch: Cell
    secretary: str
    line: Cell
    withheld: str
    coefficient: str
    payback: str


class PaybackTable(TypedDict):
    rows: list[PaybackRow]
    withheld_total: str
    payback_total: str
    lines: str                  # each line's withheld amount, in words
    missing: list[Cell]         # the branches without an assessment line


class ResultsDocument(TypedDict):
    """One results PDF: a scheme's period, every branch's result."""

    slug: str
    file: str
    scheme: str
    kind: SchemeKind
    subject: Literal["branch", "member"]
    period: str
    label: str
    title: str
    marker: str
    legend: str
    header: BranchHeader
    parts: list[str]
    rows: list[BranchRow]                   # a branch scheme
    payback: PaybackTable | None            # 台阶考核
    branches: list[NamedMemberBranch]       # a member scheme


def _by_key(view: SchemeView) -> dict[str, ColumnView]:
    return {column["key"]: column for column in view["columns"]}


def _value_columns(view: SchemeView, detailed: bool) -> list[ColumnView]:
    columns = _by_key(view)
    kind = view["kind"]
    keys = [key for key in columns if key.startswith("step_")] if kind == "five_step" else []
    keys += list(DETAIL_KEYS.get(kind, ())) if detailed else []
    keys += list(VALUE_KEYS.get(kind, ()))
    return [columns[key] for key in keys if key in columns]


def _flags(row: ResultRow, view: SchemeView) -> str:
    """The titles of the flags set on a row, e.g. 「降档、面子挂钩」."""
    columns = _by_key(view)
    titles = []
    for key in FLAG_KEYS.get(view["kind"], ()):
        if key in columns and row.get(key):
            title = columns[key]["title"]
            if key == "failing" and row.get("streak"):
                title += f"（连续{row['streak']}期）"
            titles.append(title)
    return "、".join(titles)


def _branch_row(row: ResultRow, view: SchemeView, of: int, detailed: bool) -> BranchRow:
    note = NOTE_KEYS.get(view["kind"])
    return {"branch_id": str(row["branch_id"]), "branch": str(row["branch"]), "rank": row.get("rank"), "of": of,
            "values": [format_value(row.get(c["key"]), c) for c in _value_columns(view, detailed)],
            "flags": _flags(row, view), "notes": (row.get(note) or "") if note else ""}


def _branch_header(view: SchemeView, detailed: bool) -> BranchHeader:
    return {"values": [c["title"] for c in _value_columns(view, detailed)],
            "flags": view["kind"] in FLAG_KEYS, "notes": view["kind"] in NOTE_KEYS}


def priority_marker(share: float) -> str:
    """The cell text of a member in the priority group: 「前20%」."""
    return f"前{share * 100:g}%"


def _member_header(view: SchemeView) -> list[str]:
    return [c["title"] for c in view["columns"] if c["key"].startswith("part_")]


def _member_row(row: ResultRow, view: SchemeView, marker: str) -> MemberRow:
    columns = _by_key(view)
    parts = [format_value(row.get(c["key"]), c) for c in view["columns"] if c["key"].startswith("part_")]
    return {"rank": row["rank"], "member": row["member"], "status": row["status"], "parts": parts,
            "final": format_value(row["final"], columns["final"]), "reward": row.get("reward") or "",
            "penalty": row.get("penalty") or "", "priority": marker if row.get("priority") else "",
            "consequences": row.get("consequences") or ""}


def _summary(summary_row: ResultRow | None, view: SchemeView) -> MemberSummary:
    if summary_row is None:
        return {"people": 0, "average": "—", "priority_count": 0, "rewards": []}
    columns = {c["key"]: c for c in view["summary_columns"]}
    rewards: list[RewardCount] = [{"title": columns[key]["title"].removesuffix("人数"), "count": summary_row[key]}
                                  for key in columns if key.startswith("reward_")]
    return {"people": summary_row["people"], "average": format_value(summary_row["average"], columns["average"]),
            "priority_count": summary_row["priority_count"], "rewards": rewards}


def _priority_note(project: Project, scheme_id: str) -> tuple[str, str]:
    """(marker, legend) of a member scheme's priority rule."""
    scheme = next(s for s in project.schemes if s.id == scheme_id)
    assert isinstance(scheme, PointsScheme), f"{scheme_id} is not a member scheme"
    rule = scheme.rules.priority
    marker = priority_marker(rule.share)
    rounding = {"floor": "向下取整", "round": "四舍五入", "ceil": "向上取整"}[rule.rounding]
    legend = (f"「{marker}」：最终积分在本支部排名前{rule.share * 100:g}%（人数{rounding}，至少{rule.minimum}人，"
              f"与最后一名并列的一并计入），{rule.label}。")
    return marker, legend


def _member_branch(view: SchemeView, period: PeriodView, branch_id: str, marker: str) -> MemberBranch:
    rows = [_member_row(row, view, marker) for row in period["rows"] if row["branch_id"] == branch_id]
    summary = next((s for s in period["summary"] if s["branch_id"] == branch_id), None)
    return {"summary": _summary(summary, view), "members": rows}


# ---- the handbook's 考核情况 ----------------------------------------------------


def branch_assessments(project: Project, view: list[SchemeView], branch_id: str) -> list[BranchAssessment]:
    """Every scheme the branch takes part in, with the engine's result for the branch in each period."""
    result: list[BranchAssessment] = []
    for scheme in view:
        periods: list[AssessmentPeriod] = []
        member = scheme["subject"] == "member"
        marker, legend = _priority_note(project, scheme["id"]) if member else ("", "")
        for period in scheme["periods"]:
            rows = [row for row in period["rows"] if row["branch_id"] == branch_id]
            if not rows:
                continue
            entry: AssessmentPeriod = {"period": period["period"], "label": period["label"]}
            if member:
                entry.update(_member_branch(scheme, period, branch_id, marker))
            else:
                entry["row"] = _branch_row(rows[0], scheme, len(period["rows"]), detailed=False)
            periods.append(entry)
        if periods:
            result.append({"id": scheme["id"], "name": scheme["name"], "kind": scheme["kind"],
                           "subject": scheme["subject"], "header": _branch_header(scheme, detailed=False),
                           "parts": _member_header(scheme) if member else [], "marker": marker,
                           "legend": legend, "periods": periods})
    return result


# ---- the results PDFs -------------------------------------------------------


def _secretary(project: Project, branch_id: str) -> str:
    branch = project.branch(branch_id)
    return next((m.name for m in branch.committee.members if m.role == "书记"), "")


def _payback_table(project: Project, view: SchemeView, period: PeriodView) -> PaybackTable:
    """The 台阶考核 pay-back of each branch's secretary: withheld by assessment_line × the engine's coefficient."""
    scheme = next(s for s in project.schemes if s.id == view["id"])
    assert isinstance(scheme, TieredScheme), f"{scheme.id} is not a 台阶考核"
    withheld_by_line: dict[str, float] = {line: amount for line, amount in scheme.rules.withheld.items()}
    columns = _by_key(view)
    money = MONEY
    rows: list[PaybackRow] = []
    withheld_total, payback_total, missing = 0.0, 0.0, []
    for row in sorted(period["rows"], key=lambda r: str(r["branch_id"])):
        line = row.get("line")
        withheld = withheld_by_line.get(line) if isinstance(line, str) else None
        if withheld is None:
            missing.append(row["branch"])
        else:
            withheld_total += withheld
            payback_total += float(row["payback"] or 0.0)
        rows.append({"branch": row["branch"], "secretary": _secretary(project, str(row["branch_id"])),
                     "line": line or "—", "withheld": format_value(withheld, money),
                     "coefficient": format_value(row["coefficient"], columns["coefficient"]),
                     "payback": format_value(row.get("payback"), money)})
    lines = "、".join(f"{line}{format_value(amount, money)}" for line, amount in withheld_by_line.items())
    return {"rows": rows, "withheld_total": format_value(round(withheld_total, 2), money),
            "payback_total": format_value(round(payback_total, 2), money), "lines": lines, "missing": missing}


def results_title(scheme_name: str) -> str:
    """「清单管理、台阶考核结果」, 「党员积分制考核结果」: the scheme's name with 考核结果, without saying 考核 twice."""
    return f"{scheme_name}结果" if scheme_name.endswith("考核") else f"{scheme_name}考核结果"


def results_documents(project: Project, view: list[SchemeView]) -> list[ResultsDocument]:
    """One document per scheme and period: every branch's result, with the pay-back or the members' points."""
    documents = []
    for scheme in view:
        member = scheme["subject"] == "member"
        marker, legend = _priority_note(project, scheme["id"]) if member else ("", "")
        for period in scheme["periods"]:
            slug = f"{scheme['id']}-{period['period']}"
            document: ResultsDocument = {"slug": slug, "file": f"{slug}.pdf", "scheme": scheme["name"], "kind": scheme["kind"],
                        "subject": scheme["subject"], "period": period["period"], "label": period["label"],
                        "title": results_title(scheme["name"]), "marker": marker, "legend": legend,
                        "header": _branch_header(scheme, detailed=True), "parts": _member_header(scheme),
                        "rows": [], "payback": None, "branches": []}
            if member:
                ids = list(dict.fromkeys(str(row["branch_id"]) for row in period["rows"]))
                names = {str(row["branch_id"]): str(row["branch"]) for row in period["rows"]}
                document["branches"] = [{"branch": names[branch_id], **_member_branch(scheme, period, branch_id, marker)}
                                        for branch_id in sorted(ids)]
            else:
                document["rows"] = [_branch_row(row, scheme, len(period["rows"]), detailed=True)
                                    for row in period["rows"]]
                if scheme["kind"] == "tiered":
                    document["payback"] = _payback_table(project, scheme, period)
            documents.append(document)
    return documents


def results_html(document: ResultsDocument, organization: View, generated_on: str, source_date_epoch: str | None = None) -> str:
    created = document_date(generated_on, source_date_epoch)
    title = f"{document['title']}（{document['label']}，{INTERNAL_MARK}）"
    return render_html("results.html.j2", {"organization": organization}, RESULTS_STYLESHEETS, document=document,
                       title=title, description=f"{organization['name']}{document['label']}{document['title']}",
                       created=created, generated_on=generated_on, mark=INTERNAL_MARK)


def typeset_results(document: ResultsDocument, organization: View, generated_on: str, theme_dir: Path,
                    source_date_epoch: str | None = None) -> bytes:
    html = results_html(document, organization, generated_on, source_date_epoch)
    return lay_out(html, theme_dir).write_pdf(
        pdf_identifier=pdf_identifier((html,), theme_dir, RESULTS_STYLESHEETS))


def print_results(documents: list[ResultsDocument], organization: View, generated_on: str, out_dir: Path,
                  theme_dir: Path, source_date_epoch: str | None = None) -> list[Path]:
    """Write <scheme>-<period>.pdf for every document into `out_dir`; returns the paths, sorted.

    `source_date_epoch` is SOURCE_DATE_EPOCH as the pipeline read it (`generator.build_time`), or None.
    """
    if not documents:
        return []
    require_stylesheets(theme_dir, RESULTS_STYLESHEETS)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for document in sorted(documents, key=lambda d: d["slug"]):
        target = out_dir / document["file"]
        target.write_bytes(typeset_results(document, organization, generated_on, theme_dir, source_date_epoch))
        paths.append(target)
    return paths
