"""Validation reports every mistake, located, in Chinese, with a stable code."""

from __future__ import annotations

import openpyxl
import pytest

from generator.load.project import load_sources
from generator.models.branch import id_number_is_valid
from generator.validate.project import validate_project
from tests.support import ROSTER, edit, problems_of, write_project


def test_minimal_project_validates(tmp_path):
    project = validate_project(load_sources(write_project(tmp_path)))
    assert [b.id for b in project.branches] == ["hongguang"]
    assert [m.name for m in project.branches[0].members] == ["张建国", "李秀英", "王志强"]


def test_unknown_key_suggests_the_close_field(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "founded:", "foundd:")
    assert problems_of(root) == [
        "branches/hongguang.yml:1:1: 错误: 缺少必填字段「成立时间」（founded） [field.missing]",
        "branches/hongguang.yml:6:1: 错误: 未知字段「foundd」，是否指「founded」（成立时间）？ [field.unknown]",
    ]


def test_chinese_key_is_pointed_to_its_english_name(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "founded:", "成立时间:")
    assert "未知字段「成立时间」，是否指「founded」（成立时间）？ [field.unknown]" in problems_of(root)[1]


def test_bad_date_and_wrong_choice_are_located_at_the_value(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "founded: 1998-07-01", "founded: 1998-13-01")
    edit(root / "branches/hongguang.yml", "type: 城市社区", "type: 社区")
    found = problems_of(root)
    assert found[0].startswith("branches/hongguang.yml:4:7: 错误: 「单位类别」（type）应为「农村」「城市社区」")
    assert found[0].endswith("之一，实际为「社区」 [value.not-allowed]")
    assert found[1] == ("branches/hongguang.yml:6:10: 错误: 「成立时间」（founded）应为有效日期（如 2026-03-15），"
                        "实际为「1998-13-01」 [value.bad-date]")


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "parent: 中共测试新区工作委员会", "parent: 中共: 测试")
    found = problems_of(root)
    assert found == ["branches/hongguang.yml:5:11: 错误: 此处不允许出现「键: 值」，可能是冒号后缺少空格、"
                     "缩进不对齐或值中含有未加引号的冒号 [yaml.syntax]"]


def test_duplicate_key_is_reported(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "founded: 1998-07-01\n", "founded: 1998-07-01\nfounded: 1999-07-01\n")
    assert problems_of(root) == ["branches/hongguang.yml:7:1: 错误: 键「founded」重复出现；同一层级的键只能写一次 [yaml.duplicate-key]"]


def test_duplicate_branch_id_names_the_first_file(tmp_path):
    root = write_project(tmp_path, ("hongguang", "qinghe"))
    edit(root / "branches/qinghe.yml", "id: qinghe", "id: hongguang")
    assert problems_of(root) == ["branches/qinghe.yml:1:5: 错误: 支部编号「hongguang」与 branches/hongguang.yml 重复 [branch.duplicate-id]"]


def test_path_like_id_is_refused(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "id: hongguang", "id: ../hongguang")
    assert problems_of(root) == ["branches/hongguang.yml:1:5: 错误: 「支部编号」（id）"
                                 "只能由小写英文字母、数字和连字符组成（不超过 40 个字符），"
                                 "因为它用作文件名和网址，实际为「../hongguang」 [value.bad-format]"]


def test_committee_member_must_be_in_roster(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang.yml", "- name: 张建国", "- name: 张建华")
    assert problems_of(root) == ["branches/hongguang.yml:13:13: 错误: 支委成员「张建华」不在本支部党员名册中，"
                                 "是否指「张建国」？ [branch.unknown-person]"]


def test_roster_problems_point_at_csv_cells(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang-members.csv", "李秀英,女,1980-05-06", "李秀英,F,1980-5-32")
    assert problems_of(root) == [
        "branches/hongguang-members.csv:3:2: 错误: 「性别」（gender）应为「男」「女」之一，实际为「F」 [value.not-allowed]",
        "branches/hongguang-members.csv:3:3: 错误: 「出生日期」（birth_date）"
        "应为有效日期（如 2026-03-15），实际为「1980-5-32」 [value.bad-date]",
    ]


def test_gb18030_roster_reads_like_utf8(tmp_path):
    root = write_project(tmp_path)
    (root / "branches/hongguang-members.csv").write_bytes(ROSTER.encode("gb18030"))
    project = validate_project(load_sources(root))
    assert project.branches[0].members[1].name == "李秀英"


def test_gb18030_score_table_non_number_is_located(tmp_path):
    root = write_project(tmp_path)
    (root / "scores/tiered").mkdir(parents=True)
    table = "支部编号,支部名称,K01,K02\nhongguang,红光,5,4.5\nhongguang2,红光,4,无\n"
    (root / "scores/tiered/2026Q1.csv").write_bytes(table.encode("gb18030"))
    assert problems_of(root) == [
        "scores/tiered/2026Q1.csv:3:1: 错误: 未知支部编号「hongguang2」，是否指「hongguang」？ [scores.unknown-branch]",
    ]
    (root / "scores/tiered/2026Q1.csv").write_bytes(table.replace("hongguang2", "hongguang").encode("gb18030"))
    assert problems_of(root) == [
        "scores/tiered/2026Q1.csv:3:1: 错误: 「hongguang」重复，已在第 2 行出现 [scores.duplicate-row]",
    ]


def test_score_out_of_range_and_unknown_item(tmp_path):
    root = write_project(tmp_path)
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K03\nhongguang,六,1\n", encoding="utf-8")
    assert problems_of(root) == [
        "scores/tiered/2026Q1.csv:1: 错误: 缺少计分指标「党费收缴」（K02）列 [scores.missing-item]",
        "scores/tiered/2026Q1.csv:1:3: 错误: 「K03」不是方案「台阶考核」的指标，是否指「K02」？ [scores.unknown-item]",
        "scores/tiered/2026Q1.csv:2:2: 错误: 「三会一课」（K01）得分应为数字，实际为「六」 [scores.not-number]",
    ]
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5.5,0\n", encoding="utf-8")
    assert problems_of(root) == ["scores/tiered/2026Q1.csv:2:2: 错误: 「三会一课」（K01）得分应为 0–5，实际为 5.5 [scores.out-of-range]"]


def test_xlsx_cell_error_is_located_by_sheet_and_cell(tmp_path):
    root = write_project(tmp_path)
    (root / "scores/tiered").mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "一季度"
    sheet.append(["支部编号", "K01", "K02"])
    sheet.append(["hongguang", 5, "#DIV/0!"])
    sheet["C2"].data_type = "e"
    book.save(root / "scores/tiered/2026Q1.xlsx")
    assert problems_of(root) == [
        "scores/tiered/2026Q1.xlsx[一季度]!C2: 错误: 单元格含有 Excel 错误值「#DIV/0!」，请修正公式或改为数值 [table.cell-error]",
    ]


def test_all_problems_are_reported_together_and_sorted(tmp_path):
    root = write_project(tmp_path, ("hongguang", "qinghe"))
    edit(root / "branches/qinghe.yml", "founded: 1998-07-01", "founded: 昨天")
    edit(root / "branches/hongguang.yml", "type: 城市社区", "tpye: 城市社区")
    found = problems_of(root)
    assert [line.split(": 错误")[0] for line in found] == [
        "branches/hongguang.yml:1:1", "branches/hongguang.yml:4:1", "branches/qinghe.yml:6:10"]


@pytest.mark.parametrize("number, valid", [
    ("11010519491231002X", True), ("110105194912310021", False), ("11010519491231002", False)])
def test_id_number_checksum(number, valid):
    assert id_number_is_valid(number) is valid


def test_spreadsheet_date_forms_are_accepted(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang-members.csv", "李秀英,女,1980-05-06,汉族,大专,2005-07-01,2006-07-01",
         "李秀英,女,1980/5/6,汉族,大专,2005.7.1,2006年7月1日")
    member = validate_project(load_sources(root)).branches[0].members[1]
    assert (str(member.birth_date), str(member.joined_on), str(member.full_member_on)) == (
        "1980-05-06", "2005-07-01", "2006-07-01")


def test_id_number_saved_as_number_by_excel_gets_advice(tmp_path):
    root = write_project(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名册"
    for line in ROSTER.strip().splitlines():
        sheet.append(line.split(","))
    sheet["I1"] = "公民身份号码"
    sheet["I2"] = 3.30106198002290e17
    book.save(root / "branches/hongguang-members.xlsx")
    (root / "branches/hongguang-members.csv").unlink()
    edit(root / "branches/hongguang.yml", "hongguang-members.csv", "hongguang-members.xlsx")
    assert problems_of(root) == [
        "branches/hongguang-members.xlsx[名册]!I2: 错误: 「公民身份号码」（id_number）：公民身份号码被 Excel 存成了数字，"
        "末几位可能已丢失；请把该列设置为「文本」格式后重新录入 [value.invalid]"]


def test_id_number_must_agree_with_birth_date_and_gender(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang-members.csv", "王志强,男,1990-11-12,回族,研究生,2015-07-01,2016-07-01,正式",
         "王志强,男,1980-02-28,回族,研究生,2015-07-01,2016-07-01,正式,330106198002290010")
    edit(root / "branches/hongguang-members.csv", "党员类别\n", "党员类别,公民身份号码\n")
    assert problems_of(root) == [
        "branches/hongguang-members.csv:4:1: 错误: 公民身份号码中的出生日期与「出生日期」不一致 [value.invalid]"]


def test_probationary_member_cannot_sit_on_the_committee(tmp_path):
    root = write_project(tmp_path)
    edit(root / "branches/hongguang-members.csv", "张建国,男,1970-01-02,汉族,本科,1995-07-01,1996-07-01,正式",
         "张建国,男,1970-01-02,汉族,本科,2026-07-01,,预备")
    assert problems_of(root) == [
        "branches/hongguang.yml:13:13: 错误: 支委成员「张建国」是预备党员；预备党员没有表决权、选举权和被选举权 "
        "[branch.probationary-committee]",
        "branches/hongguang.yml:16:15: 错误: 党支部应有 3 名以上正式党员，名册中只有 2 名 [branch.too-few-members]"]


@pytest.mark.parametrize(("model", "name", "value", "word"), [
    ("RedFlagRules", "prizes", [600, True, 400], "true"),
    ("PointsRules", "weights", {"日常积分": 0.7, "民主评议": False}, "false"),
])
def test_true_or_false_inside_a_list_or_mapping_of_numbers_is_refused(model, name, value, word):
    """The number check runs for fields holding lists and mappings of numbers too (`models/common.py`)."""
    from pydantic import ValidationError

    from generator.models import schemes

    with pytest.raises(ValidationError) as raised:
        getattr(schemes, model).model_validate({name: value})
    assert [(error["loc"], error["msg"]) for error in raised.value.errors()] == [
        ((name,), f"Value error, 应为数字，实际为「{word}」（YAML 会把 yes、no、on、off 读作 true、false）")]
