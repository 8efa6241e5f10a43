"""Adding or removing a branch is one step: one message per affected file, each naming the fix.

Removing: score rows of an unknown branch are one message per table, a scheme listing it one message.
Adding: a participating branch without rows is one message per score table (scheme and period), naming
it and the fixes — add its rows, list it in `participants.exclude`, or `participants.required: false`.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.compute.scoring import compute_results
from generator.template_sheet import entry_rows
from tests.support import REPO, SECOND_QUARTER, copy_sample, copy_small, pdf_text

SAMPLE_BRANCHES = sorted(path.stem for path in (REPO / "branches").glob("*.yml"))
EXCLUDE_HINT = "participants.exclude"
OPTIONAL_HINT = "required: false"


def check(root: Path) -> tuple[int, list[str]]:
    """Exit code and the error lines of `branchbook check`."""
    result = CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    return result.exit_code, [line for line in result.output.splitlines() if ": 错误: " in line]


def file_of(line: str) -> str:
    return line.split(":", 1)[0].split("[", 1)[0]


def codes(lines: list[str]) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in lines]


# --- the full sample: one copy for the module, every change undone ---------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("sample") / "org")


@pytest.fixture
def scratch(sample: Path):
    """The module's sample copy; files a test changes, removes or adds are put back afterwards."""
    kept: dict[Path, bytes | None] = {}

    def keep(path: Path) -> Path:
        if path not in kept:
            kept[path] = path.read_bytes() if path.exists() else None
        return path

    yield sample, keep
    for path, data in kept.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)


def _mentions(root: Path, branch_id: str) -> set[str]:
    """Score tables (CSV) and scheme files that name the branch id."""
    word = re.compile(rb"(?<![a-z0-9-])" + re.escape(branch_id.encode()) + rb"(?![a-z0-9-])")
    return {path.relative_to(root).as_posix() for folder in ("scores", "content/schemes")
            for path in (root / folder).rglob("*")
            if path.is_file() and path.suffix in (".csv", ".yml") and word.search(path.read_bytes())}


@pytest.mark.parametrize("branch_id", SAMPLE_BRANCHES)
def test_deleting_any_branch_gives_at_most_one_message_per_file_each_naming_the_fix(scratch, branch_id):
    root, keep = scratch
    for path in [root / "branches" / f"{branch_id}.yml", *(root / "branches").glob(f"{branch_id}-members.*")]:
        keep(path).unlink()
    code, problems = check(root)
    assert code == 1 and problems
    files = Counter(file_of(line) for line in problems)
    assert max(files.values()) == 1, problems
    # every score table (CSV) and scheme naming the branch is reported; every message names it and the fix
    assert _mentions(root, branch_id) <= set(files), (_mentions(root, branch_id), files)
    for line in problems:
        assert f"「{branch_id}」" in line and "删除" in line, line
        assert "是否指" not in line        # no other sample id is a likely reading of a real one


def test_deleting_a_branch_listed_by_id_in_a_scheme_names_that_list(scratch):
    root, keep = scratch
    scheme = (root / "content/schemes/points.yml").read_text(encoding="utf-8")
    listed = re.search(r"^participants:\n  branches: \[([^\]]*)\]", scheme, re.MULTILINE)
    assert listed, "the sample's points scheme lists its branches by id"
    branch_id = listed[1].split(",")[-1].strip()
    for path in [root / "branches" / f"{branch_id}.yml", *(root / "branches").glob(f"{branch_id}-members.*")]:
        keep(path).unlink()
    _, problems = check(root)
    in_scheme = [line for line in problems if file_of(line) == "content/schemes/points.yml"]
    assert len(in_scheme) == 1 and "请把它从这个列表中删除" in in_scheme[0], problems
    assert codes(in_scheme) == ["scheme.unknown-branch"]


def test_a_mistyped_branch_id_still_gets_its_suggestion(scratch):
    root, keep = scratch
    table = keep(root / "scores" / "tiered" / "2026Q4.csv")
    table.write_bytes(table.read_bytes().replace(b"\nhongguang,", b"\nhongguagn,", 1))
    code, problems = check(root)
    assert code == 1
    assert problems == ["scores/tiered/2026Q4.csv:2:1: 错误: 未知支部编号「hongguagn」，是否指「hongguang」？"
                        " [scores.unknown-branch]"]


NEW_BRANCH = """\
id: xinjian
name: 中共新建社区支部委员会
short_name: 新建社区党支部
type: 城市社区
parent: 中共云溪新区工作委员会
founded: 2001-07-01
office:
  phone: 0571-86660001
committee:
  term_start: 2024-01-10
  term_end: 2027-01-09
  members:
    - {name: 甲一, role: 书记, duties: 主持支部全面工作}
members:
  - {name: 甲一, gender: 男, birth_date: 1975-03-01, ethnicity: 汉族, education: 本科,
     joined_on: 2000-07-01, full_member_on: 2001-07-01, status: 正式}
  - {name: 乙二, gender: 女, birth_date: 1980-03-01, ethnicity: 汉族, education: 本科,
     joined_on: 2005-07-01, full_member_on: 2006-07-01, status: 正式}
  - {name: 丙三, gender: 男, birth_date: 1985-03-01, ethnicity: 汉族, education: 本科,
     joined_on: 2010-07-01, full_member_on: 2011-07-01, status: 正式}
"""


def _schemes_covering(root: Path, branch_type: str) -> set[str]:
    project = pipeline.load_project(root)
    return {scheme.id for scheme in project.schemes if scheme.kind != "grading" and scheme.subject == "branch"
            and (branch_type in scheme.participants.types
                 or not (scheme.participants.types or scheme.participants.branches))}


def test_adding_a_branch_gives_one_message_per_score_table_and_exclude_makes_check_pass(scratch):
    root, keep = scratch
    covering = _schemes_covering(root, "城市社区")
    tables = sorted(path.relative_to(root).as_posix() for scheme_id in covering
                    for path in (root / "scores" / scheme_id).iterdir())
    keep(root / "branches" / "xinjian.yml").write_text(NEW_BRANCH, encoding="utf-8")
    code, problems = check(root)
    assert code == 1
    assert sorted(file_of(line) for line in problems) == tables, problems
    assert set(codes(problems)) == {"scores.missing-branch"}
    for line in problems:
        assert "「xinjian」（新建社区党支部）" in line and "请为它添加一行分数" in line, line
        assert EXCLUDE_HINT in line and OPTIONAL_HINT in line, line
    for scheme_id in covering:
        scheme = keep(root / "content" / "schemes" / f"{scheme_id}.yml")
        text = scheme.read_text(encoding="utf-8")
        assert text.count("\nparticipants:\n") == 1, scheme_id
        scheme.write_text(text.replace("\nparticipants:\n", "\nparticipants:\n  exclude: [xinjian]\n"), encoding="utf-8")
    assert check(root) == (0, [])


# --- the small fixture: fast cases ------------------------------------------------------------

PARTICIPANTS = "participants:\n  types: [农村, 城市社区, 党政机关, 事业单位, 学校, 国有企业, 非公有制企业, 离退休]\n"


def add_branch(root: Path, branch_id: str, short: str, founded: str | None = None) -> None:
    """A copy of the fixture's qingshan branch under a new id, with its own roster (no ID numbers)."""
    text = (root / "branches/qingshan.yml").read_text(encoding="utf-8")
    text = text.replace("id: qingshan", f"id: {branch_id}").replace("青山村", short)
    text = text.replace("qingshan-members.csv", f"{branch_id}-members.csv")
    if founded:
        text = re.sub(r"^founded: .*$", f"founded: {founded}", text, flags=re.MULTILINE)
    (root / f"branches/{branch_id}.yml").write_text(text, encoding="utf-8")
    with (root / "branches/qingshan-members.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    column = rows[0].index("公民身份号码")
    for row in rows[1:]:
        row[column] = ""
    with (root / f"branches/{branch_id}-members.csv").open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(rows)


def participants(root: Path, extra: str) -> None:
    scheme = root / "content/schemes/tiered.yml"
    text = scheme.read_text(encoding="utf-8")
    assert PARTICIPANTS in text
    scheme.write_text(text.replace(PARTICIPANTS, PARTICIPANTS + extra), encoding="utf-8")


def test_a_new_branch_is_one_message_naming_it_and_the_fixes(tmp_path):
    root = copy_small(tmp_path / "org")
    add_branch(root, "songlin", "松林村")
    assert check(root) == (1, [
        "scores/tiered/2026Q1.csv:1: 错误: 本表缺少支部「songlin」（松林村党支部）的分数行。请为它添加一行分数；"
        "如果它不参加「清单管理、台阶考核」，请把「songlin」加到 content/schemes/tiered.yml 的「不参加的支部」"
        "（participants.exclude）中；如果本方案允许参加的支部某一期没有分数，请在该文件的 participants 下写 "
        "required: false [scores.missing-branch]"])


def test_several_new_branches_are_still_one_message_per_table(tmp_path):
    root = copy_small(tmp_path / "org")
    add_branch(root, "songlin", "松林村")
    add_branch(root, "baiyun", "白云村")
    organization = root / "content/organization.yml"
    organization.write_text(organization.read_text(encoding="utf-8").replace("as_of: 2026-01-01", "as_of: 2026-06-30"),
                            encoding="utf-8")
    add_branch(root, "xinzhuang", "新庄村", founded="2026-04-01")  # founded after 2026Q1: needs no row there
    code, problems = check(root)
    assert code == 1 and len(problems) == 1, problems
    assert "本表缺少 2 个参加支部的分数行：「baiyun」（白云村党支部）、「songlin」（松林村党支部）。请为每个支部添加一行分数" \
        in problems[0]
    assert "xinzhuang" not in problems[0] and EXCLUDE_HINT in problems[0] and OPTIONAL_HINT in problems[0]


def test_an_excluded_branch_needs_no_rows_and_gets_no_entry_row(tmp_path):
    root = copy_small(tmp_path / "org")
    add_branch(root, "songlin", "松林村")
    participants(root, "  exclude: [songlin]\n")
    assert check(root) == (0, [])
    project = pipeline.load_project(root)
    tiered = next(scheme for scheme in project.schemes if scheme.id == "tiered")
    assert [row[0] for row in entry_rows(project, tiered)] == ["hongguang", "qingshan"]


def test_exclude_names_known_branches_only_and_not_also_in_branches(tmp_path):
    root = copy_small(tmp_path / "org")
    add_branch(root, "songlin", "松林村")
    participants(root, "  exclude: [songlni, baiyun]\n")
    _, problems = check(root)
    assert [line for line in problems if "scheme.unknown-branch" in line] == [
        "content/schemes/tiered.yml:303:13: 错误: 未知支部编号「songlni」，是否指「songlin」？ [scheme.unknown-branch]",
        "content/schemes/tiered.yml:303:22: 错误: 未知支部编号「baiyun」；如果这个支部已撤销，请把它从这个列表中删除 "
        "[scheme.unknown-branch]"]
    root = copy_small(tmp_path / "org2")
    participants(root, "  branches: [qingshan]\n  exclude: [qingshan]\n")
    _, problems = check(root)
    assert len(problems) == 1 and "既列在「支部」（branches）中，又列在「不参加的支部」（exclude）中" in problems[0], problems


def test_optional_participation_builds_with_gaps_in_results_charts_notices_and_handbooks(built_small):
    """The shared build (tests/support.py: extend_small): participation optional, 2026Q2 scored for hongguang only."""
    assert check(built_small) == (0, [])
    project = pipeline.load_project(built_small)
    results = {r.scheme.id: r for r in compute_results(project)}
    by_period = {p.period: sorted(p.table["branch_id"]) for p in results["tiered"].periods}
    first = by_period["2026Q1"]
    assert {"hongguang", "qingshan"} <= set(first) and by_period == {"2026Q1": first, SECOND_QUARTER: ["hongguang"]}
    assert sorted(results["grading"].periods[0].table["branch_id"]) == first     # on the quarters each has

    site = built_small / "site"
    for page in (f"results/tiered/{SECOND_QUARTER}.html", f"notices/tiered-{SECOND_QUARTER}.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "红光社区党支部" in text and "青山村党支部" not in text, page
    history = (site / "results/tiered/history.svg").read_text(encoding="utf-8")
    assert "红光社区党支部" in history and "青山村党支部" in history
    assert (site / f"pdf/notices/tiered-{SECOND_QUARTER}.pdf").is_file()
    for branch_id, quarters in (("hongguang", ("一", "二")), ("qingshan", ("一",))):
        text = "".join(pdf_text(built_small / "print" / branch_id / "手册.pdf", "mutool").split())
        record = text[text.rindex("考核情况"):]
        record = record[:record.index("表中为按考核方案计算的结果")]
        assert re.findall(r"2026年第(.)季度", record) == list(quarters), (branch_id, record)


def test_a_notice_for_a_period_without_results_says_so_once_with_the_fix(tmp_path):
    root = copy_small(tmp_path / "org")
    scheme = root / "content/schemes/tiered.yml"
    scheme.write_text(scheme.read_text(encoding="utf-8").replace(
        "    2026Q1: 2026-03-30\n", "    2026Q1: 2026-03-30\n    2026Q2: 2026-06-24\n    2026q1: 2026-04-01\n"),
        encoding="utf-8")
    _, problems = check(root)
    assert problems == [
        "content/schemes/tiered.yml:316:5: 错误: 考核期「2026Q2」没有考核结果，不能发布公示；请添加这一期的分数表 "
        "scores/tiered/2026Q2.csv（或 .xlsx），或从「发布日期」（notice.published）中删除这一期 [notice.no-results]",
        "content/schemes/tiered.yml:317:5: 错误: 「2026q1」不是本方案的考核期，是否指「2026Q1」？ [notice.no-results]"]


def test_a_member_scheme_missing_a_branch_asks_for_its_members_rows(tmp_path):
    root = copy_small(tmp_path / "org")
    (root / "content/schemes/points.yml").write_text(
        "id: points\nname: 党员积分\nkind: points\nperiod: year\nsubject: member\n"
        "participants:\n  branches: [hongguang, qingshan]\n"
        "items:\n  - {id: D, name: 日常, tier: 日常积分, max_points: 100}\n"
        "  - {id: R, name: 评议, tier: 民主评议, max_points: 100}\n", encoding="utf-8")
    (root / "scores/points").mkdir()
    (root / "scores/points/2026.csv").write_text("支部编号,姓名,D,R\nhongguang,王建国,90,95\n", encoding="utf-8")
    _, problems = check(root)
    assert len(problems) == 1 and problems[0].startswith(
        "scores/points/2026.csv:1: 错误: 本表缺少支部「qingshan」（青山村党支部）的党员积分行。请为这个支部的每名党员添加一行；"), \
        problems
