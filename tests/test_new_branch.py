"""`branchbook new branch`: a branch file and an Excel roster that pass `check` as written and after a user fills them;
rosters with the headers other systems export are read, extra columns ignored with one note."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import shutil
import subprocess
import typing

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ProblemsFound
from generator.load.project import load_sources
from generator.load.tables import read_table
from generator.models import Branch
from generator.models.branch import (
    ActivityRoom,
    Applicant,
    Commitment,
    Committee,
    CommitteeMember,
    Contact,
    Goal,
    Honour,
    Member,
    NewsItem,
    PartyGroup,
    id_number_is_valid,
)
from generator.models.common import EDUCATION_LEVELS
from generator.new_branch import EXAMPLE_MEMBERS, roster_workbook, write_new_branch
from generator.validate.project import validate_project
from tests.support import copy_small

TITLES = [info.title for info in Member.model_fields.values()]


@pytest.fixture
def org(tmp_path):
    return copy_small(tmp_path / "org")


@contextlib.contextmanager
def notes():
    """The warnings our stages log (the CLI prints them as 「提示：…」 lines), as messages."""
    found: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            found.append(record.getMessage())

    logger = logging.getLogger("generator.validate.project")
    handler = Keep(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def id_number(born: dt.date, male: bool) -> str:
    base = f"110101{born:%Y%m%d}01{1 if male else 2}"
    return next(base + check for check in "0123456789X" if id_number_is_valid(base + check))


PEOPLE = [
    {"姓名": "林海涛", "性别": "男", "出生日期": dt.date(1978, 4, 12), "民族": "汉族", "学历": "本科",
     "入党日期": dt.date(2003, 6, 30), "转正日期": dt.date(2004, 6, 30), "党员类别": "正式", "工作岗位": "村委会主任",
     "公民身份号码": id_number(dt.date(1978, 4, 12), True), "联系电话": "13800001111"},
    {"姓名": "周晓梅", "性别": "女", "出生日期": dt.date(1985, 10, 3), "民族": "回族", "学历": "大专",
     "入党日期": dt.date(2010, 7, 1), "转正日期": dt.date(2011, 7, 1), "党员类别": "正式",
     "公民身份号码": id_number(dt.date(1985, 10, 3), False), "联系电话": "0571-86001234"},
    {"姓名": "马文博", "性别": "男", "出生日期": dt.date(1992, 2, 20), "民族": "汉族", "学历": "研究生",
     "入党日期": dt.date(2018, 6, 1), "转正日期": dt.date(2019, 6, 1), "党员类别": "正式", "家庭住址": "东街 3 号"},
]


def fill_roster(path, people=PEOPLE):
    """What a secretary does: type the members over the example rows (dates as dates, the ID number as text)."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        for column in range(1, len(headers) + 1):
            sheet.cell(row=row, column=column).value = None
    for row, person in enumerate(people, start=2):
        for header, value in person.items():
            sheet.cell(row=row, column=headers.index(header) + 1).value = value
    book.save(path)


def name_the_secretary(root, branch_id, name):
    path = root / "branches" / f"{branch_id}.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 示例党员甲", f"name: {name}"), encoding="utf-8")


def new_branch(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), "new", "branch", *args])


@pytest.mark.allow_warnings(r"\[roster\.example-rows\]")   # the three 示例 rows are noted
def test_a_new_branch_passes_check_as_written(org):
    # 社会组织 is a type that the fixture's tiered scheme does not cover: its 2026Q1 table needs no row for the branch.
    result = new_branch(org, "qingshi", "--name", "中共青石村支部委员会", "--type", "社会组织")
    assert result.exit_code == 0, result.output
    assert "branches/qingshi.yml" in result.output and "branches/qingshi-members.xlsx" in result.output
    assert "下一步" in result.output
    check = CliRunner().invoke(main, ["check", "--project", str(org)])
    assert check.exit_code == 0, check.output
    assert "校验通过：3 个党支部" in check.output
    # The example rows are named, once, so that they are not printed by mistake.
    assert check.output.count("[roster.example-rows]") == 1 and "示例党员甲、示例党员乙、示例党员丙" in check.output
    branch = next(b for b in validate_project(load_sources(org)).branches if b.id == "qingshi")
    assert (branch.name, branch.short_name, branch.type) == ("中共青石村支部委员会", "青石村党支部", "社会组织")
    assert branch.parent == "中共云溪新区工作委员会" and branch.members_file == "qingshi-members.xlsx"
    assert [m.name for m in branch.members] == [m["name"] for m in EXAMPLE_MEMBERS]


def _keys(model) -> set[str]:
    return set(model.model_fields)


@pytest.mark.allow_warnings(r"\[roster\.example-rows\]")
def test_the_branch_file_names_every_field_and_its_commented_examples_validate(org):
    write_new_branch(org, "qingshi")
    text = (org / "branches" / "qingshi.yml").read_text(encoding="utf-8")
    written = set(re.findall(r"^[#\s-]*([a-z_0-9]+):", text, re.MULTILINE))
    for model in (Branch, Contact, Committee, CommitteeMember, PartyGroup, Applicant, ActivityRoom, Goal, Commitment,
                  Honour, NewsItem):
        assert _keys(model) - {"members"} <= written, model
    # Every field line carries a Chinese comment or sits in a commented example block.
    # Taking out the 「# 」 of every commented-out line gives a branch that still passes check.
    uncommented = re.sub(r"^# (?=[a-z ])", "", text, flags=re.MULTILINE)
    assert uncommented.count("\ngroups:") == 1 and "\n    - name: 示例党员乙" in uncommented
    (org / "branches" / "qingshi.yml").write_text(uncommented, encoding="utf-8")
    branch = next(b for b in validate_project(load_sources(org)).branches if b.id == "qingshi")
    assert branch.groups and branch.applicants and branch.activity_room and branch.honours and branch.news
    assert [m.role for m in branch.committee.members] == ["书记", "组织委员"]


def test_three_members_typed_into_the_roster_read_back_with_their_fields(org):
    write_new_branch(org, "qingshi")
    roster = org / "branches" / "qingshi-members.xlsx"
    fill_roster(roster)
    # The branch file still names the example secretary: that is the one thing left to change, and it says so.
    with pytest.raises(ProblemsFound) as found:
        validate_project(load_sources(org))
    assert [(p.location.path, p.code) for p in found.value.problems] == [("branches/qingshi.yml", "branch.unknown-person")]
    assert "示例党员甲" in found.value.problems[0].message
    name_the_secretary(org, "qingshi", "林海涛")
    with notes() as logged:
        project = validate_project(load_sources(org))
    assert logged == []
    branch = next(b for b in project.branches if b.id == "qingshi")
    assert [m.name for m in branch.members] == ["林海涛", "周晓梅", "马文博"]
    first, second, third = branch.members
    assert (first.birth_date, first.joined_on, first.full_member_on) == (dt.date(1978, 4, 12), dt.date(2003, 6, 30),
                                                                         dt.date(2004, 6, 30))
    assert (first.gender, first.education, first.status, first.position) == ("男", "本科", "正式", "村委会主任")
    assert first.id_number == PEOPLE[0]["公民身份号码"] and first.phone == "13800001111"
    assert (second.ethnicity, second.phone, second.id_number) == ("回族", "0571-86001234", PEOPLE[1]["公民身份号码"])
    assert third.address == "东街 3 号" and third.id_number is None


def _validations(sheet) -> dict[str, tuple]:
    """Header → (type, formula1) of the data validation on its column's cells."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    rules = {}
    for rule in sheet.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            assert cells.min_row == 2 and cells.max_row >= 500 and cells.min_col == cells.max_col
            rules[headers[cells.coord[0]]] = (rule.type, rule.formula1)
    return rules


def test_the_roster_has_drop_downs_date_and_text_columns_and_prints_on_a4_landscape(tmp_path):
    book = openpyxl.load_workbook(_roster(tmp_path))
    sheet = book.worksheets[0]
    assert book.sheetnames == ["党员名册", "填写说明"]
    assert [cell.value for cell in sheet[1]] == [*TITLES, "备注"]
    rules = _validations(sheet)
    for name, info in Member.model_fields.items():
        values = [v for arg in (info.annotation, *typing.get_args(info.annotation)) if typing.get_origin(arg) is typing.Literal
                  for v in typing.get_args(arg)]
        if values:
            assert rules[info.title] == ("list", '"' + ",".join(values) + '"'), name
    assert rules["学历"][1] == '"' + ",".join(EDUCATION_LEVELS) + '"'
    assert rules["性别"] == ("list", '"男,女"') and rules["党员类别"] == ("list", '"正式,预备"')
    for title in ("出生日期", "入党日期", "转正日期"):
        assert rules[title][0] == "date"
        letter = TITLES.index(title) + 1
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(letter)].number_format == "yyyy-mm-dd"
        assert sheet.cell(row=2, column=letter).is_date
    assert rules["民族"][0] is None          # the model has no list of 民族: free text, with a prompt
    for title in ("公民身份号码", "联系电话"):
        assert sheet.column_dimensions[openpyxl.utils.get_column_letter(TITLES.index(title) + 1)].number_format == "@"
    assert rules["公民身份号码"] == ("textLength", "18")
    assert sheet.freeze_panes == "B2" and sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", int(sheet.PAPERSIZE_A4))
    assert sheet.column_dimensions["K"].width > 18
    notes_text = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "示例" in notes_text and "demo.yml" in notes_text


def _roster(tmp_path):
    path = tmp_path / "demo-members.xlsx"
    path.write_bytes(roster_workbook("demo", dt.datetime(2026, 1, 1)))
    return path


def test_the_roster_bytes_depend_only_on_the_inputs(org, tmp_path):
    other = copy_small(tmp_path / "other")
    write_new_branch(org, "qingshi")
    write_new_branch(other, "qingshi")
    for name in ("qingshi.yml", "qingshi-members.xlsx"):
        assert (org / "branches" / name).read_bytes() == (other / "branches" / name).read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) 未安装")
def test_a_roster_saved_again_by_libreoffice_reads_back_the_same(org, tmp_path):
    write_new_branch(org, "qingshi")
    roster = org / "branches" / "qingshi-members.xlsx"
    fill_roster(roster)
    name_the_secretary(org, "qingshi", "林海涛")
    before = next(b for b in validate_project(load_sources(org)).branches if b.id == "qingshi").members
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(roster)],
                   check=True, capture_output=True, timeout=180)
    shutil.copy(out / roster.name, roster)
    table, problems = read_table(roster, "r.xlsx")
    assert problems == [] and table.header == [*TITLES, "备注"]
    after = next(b for b in validate_project(load_sources(org)).branches if b.id == "qingshi").members
    assert after == before
    sheet = openpyxl.load_workbook(roster).worksheets[0]
    assert _validations(sheet)["性别"] == ("list", '"男,女"')


def _write_xlsx(path, rows):
    book = openpyxl.Workbook()
    book.active.title = "花名册"
    for row in rows:
        book.active.append(row)
    book.save(path)


def _use_roster(root, rows):
    """The fixture's qingshan branch with its roster replaced by an XLSX of `rows`."""
    branch = root / "branches" / "qingshan.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("qingshan-members.csv", "qingshan-members.xlsx"),
                      encoding="utf-8")
    (root / "branches" / "qingshan-members.csv").unlink()
    _write_xlsx(root / "branches" / "qingshan-members.xlsx", rows)


def _fixture_people(root):
    table, _ = read_table(root / "branches" / "qingshan-members.csv", "x.csv")
    return table


@pytest.mark.allow_warnings(r"\[roster\.ignored-columns\]")   # the note this test is about
def test_a_roster_with_other_systems_headers_and_extra_columns_is_read_with_one_note(org):
    table = _fixture_people(org)
    synonyms = {"姓名": "党员姓名", "性别": "性 别", "出生日期": "出生年月", "学历": "文化程度", "入党日期": "入党时间",
                "转正日期": "转正时间", "党员类别": "人员类别", "工作岗位": "工作单位及职务", "公民身份号码": "身份证号码",
                "联系电话": "联系电话（手机）", "家庭住址": "家庭地址", "所在党小组": "党小组"}
    headers = [h for h in table.header if h in synonyms or h == "民族"]
    shown = ["序号", *(synonyms.get(h, h) for h in headers), "籍贯", "职称"]
    rows = [["2026 年党员花名册"], shown]
    for number, row in enumerate(table.rows, start=1):
        values = [row.value(h) for h in headers]
        values[headers.index("党员类别")] = f"{values[headers.index('党员类别')]}党员"     # 正式党员 / 预备党员
        rows.append([number, *values, "浙江杭州", "工程师"])
    _use_roster(org, rows)
    with notes() as logged:
        project = validate_project(load_sources(org))
    read = next(b for b in project.branches if b.id == "qingshan").members
    assert len(read) == len(table.rows) and {m.status for m in read} == {"正式", "预备"}
    assert read[0].name == table.rows[0].value("姓名") and read[0].id_number == table.rows[0].value("公民身份号码")
    assert any(m.phone for m in read) and any(m.position for m in read) and any(m.address for m in read)
    assert len(logged) == 1 and "[roster.ignored-columns]" in logged[0]
    assert "「籍贯」「职称」" in logged[0] and "序号" not in logged[0] and "branches/qingshan-members.xlsx" in logged[0]


def test_a_header_that_looks_like_a_missing_field_and_two_headers_for_one_field_are_mistakes(org):
    table = _fixture_people(org)
    header = ["出身日期" if h == "出生日期" else h for h in table.header] + ["身份证号"]
    rows = [header, *([row.value(h) for h in table.header] + [row.value("公民身份号码")] for row in table.rows)]
    _use_roster(org, rows)
    with pytest.raises(ProblemsFound) as found:
        validate_project(load_sources(org))
    messages = {p.code: p.message for p in found.value.problems}
    assert "是否指「出生日期」" in messages["roster.unknown-column"]
    assert "「身份证号」与「公民身份号码」都读作「公民身份号码」" in messages["roster.duplicate-column"]
    assert "roster.missing-column" in messages


def test_bad_ids_taken_ids_and_folders_without_an_organization_are_refused_in_chinese(org, tmp_path):
    before = sorted(p.name for p in (org / "branches").iterdir())
    cases = {("Qing_Shi",): "是否用「qing-shi」", ("con",): "Windows 的保留设备名", ("qingshan",): "已存在",
             ("qingshi", "--type", "工厂"): "单位类别「工厂」不对"}
    for args, expected in cases.items():
        result = new_branch(org, *args)
        assert result.exit_code == 1 and expected in result.output, (args, result.output)
    # An id used inside another file (not named after it) is taken as well.
    (org / "branches" / "other.yml").write_text(
        (org / "branches" / "qingshan.yml").read_text(encoding="utf-8").replace("id: qingshan", "id: qingshi"),
        encoding="utf-8")
    result = new_branch(org, "qingshi")
    assert result.exit_code == 1 and "已被 branches/other.yml 使用" in result.output
    (org / "branches" / "other.yml").unlink()
    assert sorted(p.name for p in (org / "branches").iterdir()) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    result = new_branch(empty, "qingshi")
    assert result.exit_code == 1 and "不是组织文件夹" in result.output and not any(empty.iterdir())


def test_the_written_file_round_trips_names_that_need_quotes(org):
    write_new_branch(org, "qingshi", name="中共青石村: 支部委员会 #1", short_name="- 青石")
    data = yaml.safe_load((org / "branches" / "qingshi.yml").read_text(encoding="utf-8"))
    assert (data["name"], data["short_name"]) == ("中共青石村: 支部委员会 #1", "- 青石")
