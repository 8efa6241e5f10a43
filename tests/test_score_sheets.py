"""Score tables: missing branch, member rows, blank cells, two tables for a period — located, in Chinese."""

from __future__ import annotations

from generator.load.project import load_sources
from generator.validate.project import validate_project
from tests.support import edit, problems_of, write_project


def test_a_participating_branch_without_a_row_is_reported(tmp_path):
    root = write_project(tmp_path, ("hongguang", "qinghe"))
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5,4\n", encoding="utf-8")
    assert problems_of(root) == [
        "scores/tiered/2026Q1.csv:1: 错误: 本表缺少支部「qinghe」（测试2社区党支部）的分数行。请为它添加一行分数；"
        "如果它不参加「台阶考核」，请把「qinghe」加到 content/schemes/tiered.yml 的「不参加的支部」"
        "（participants.exclude）中；如果本方案允许参加的支部某一期没有分数，请在该文件的 participants 下写 "
        "required: false [scores.missing-branch]"]


def test_participants_by_type_leave_other_branches_out(tmp_path):
    root = write_project(tmp_path, ("hongguang", "qinghe"))
    edit(root / "branches/qinghe.yml", "type: 城市社区", "type: 农村")
    with (root / "content/schemes/tiered.yml").open("a", encoding="utf-8") as scheme:
        scheme.write("participants:\n  types: [城市社区]\n")
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5,4\n", encoding="utf-8")
    assert len(validate_project(load_sources(root)).scores) == 1


def test_blank_cells_and_blank_rows_are_reported(tmp_path):
    root = write_project(tmp_path, ("hongguang", "qinghe"))
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5,\nqinghe,,\n", encoding="utf-8")
    assert problems_of(root) == [
        "scores/tiered/2026Q1.csv:2:3: 错误: 「hongguang」的「党费收缴」（K02）未填写；不得分请填 0 [scores.missing-value]",
        "scores/tiered/2026Q1.csv:3:1: 错误: 「qinghe」的得分尚未填写 [scores.empty-row]"]


def test_two_tables_for_one_period(tmp_path):
    root = write_project(tmp_path)
    (root / "scores/tiered").mkdir(parents=True)
    (root / "scores/tiered/2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5,4\n", encoding="utf-8")
    (root / "scores/tiered/tiered-2026Q1.csv").write_text("支部编号,K01,K02\nhongguang,5,4\n", encoding="utf-8")
    assert problems_of(root) == [
        "scores/tiered/tiered-2026Q1.csv:1: 错误: 考核期「2026Q1」已有分数表 scores/tiered/2026Q1.csv；"
        "每个考核期只能有一张 [scores.duplicate-period]"]


POINTS = """\
id: points
name: 党员积分
kind: points
period: year
subject: member
items:
  - {id: D, name: 日常, tier: 日常积分, max_points: 100}
  - {id: R, name: 评议, tier: 民主评议, max_points: 100}
"""


def test_member_rows_are_keyed_by_branch_and_name(tmp_path):
    root = write_project(tmp_path)
    (root / "content/schemes/points.yml").write_text(POINTS, encoding="utf-8")
    (root / "scores/points").mkdir(parents=True)
    table = "支部编号,姓名,D,R\nhongguang,张建国,90,95\nhongguang,李秀英,80,70\nhongguang,王志强,70,101\nhongguang,王志刚,1,1\n"
    (root / "scores/points/2026.csv").write_text(table, encoding="utf-8")
    assert problems_of(root) == [
        "scores/points/2026.csv:4:4: 错误: 「评议」（R）得分应为 0–100，实际为 101 [scores.out-of-range]",
        "scores/points/2026.csv:5:2: 错误: 支部「hongguang」的党员名册和入党积极分子中没有「王志刚」 [scores.unknown-member]"]


def test_rules_naming_a_tier_the_items_lack(tmp_path):
    root = write_project(tmp_path)
    (root / "content/schemes/points.yml").write_text(POINTS + "rules:\n  weights: {日常积分: 0.7, 民主评价: 0.3}\n",
                                                     encoding="utf-8")
    assert problems_of(root) == [
        "content/schemes/points.yml:10:24: 错误: 方案的计分指标中没有级别「民主评价」，是否指「民主评议」？ [scheme.unknown-tier]"]
