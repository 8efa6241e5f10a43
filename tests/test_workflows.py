"""Workflows: the standard library validates and draws; bad files give located messages; charts stay legible."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.diagrams.text_fit import text_width, wrap_text
from generator.diagrams.workflow import PRINT_WIDTH_MM, WIDTH, chart_features, chart_pages, draw_workflow
from generator.errors import ProblemsFound
from generator.load.project import load_sources
from generator.load.yaml_source import load_yaml
from generator.models.content import TimeRule, Workflow
from generator.pdf.context import workflow_print
from generator.pdf.typeset import print_environment
from generator.render.pages import template_environment
from generator.validate.messages import validate_as
from generator.validate.project import validate_project
from generator.validate.workflows import workflow_problems
from tests.support import ORGANIZATION

REPO = Path(__file__).resolve().parent.parent
LIBRARY = REPO / "content" / "workflows"
FIXTURES = Path(__file__).parent / "fixtures" / "workflows"
NOTO = Path("/usr/share/fonts/opentype/noto")
PT_PER_MM = 72 / 25.4
A4_TYPE_AREA_MM = (156, 225)


LIBRARY_TITLES = {
    "fazhan-dangyuan": "发展党员", "dangyuan-dahui": "支部党员大会", "zhiwei-hui": "支部委员会会议",
    "dangxiaozu-hui": "党小组会", "dangke": "党课", "zhuti-dangri": "主题党日", "zuzhi-shenghuohui": "组织生活会",
    "minzhu-pingyi": "民主评议党员", "tanxin-tanhua": "谈心谈话", "dangfei-shoujiao": "党费收缴",
    "huanjie-xuanju": "换届选举", "guanxi-zhuanjie": "党员组织关系转接", "dangyuan-xuexi-peixun": "党员学习培训",
    "zhibu-lianxi-qunzhong": "支部联系群众", "sixiang-dongtai": "职工思想动态分析",
    "zhuti-zeren-huibao": "党风廉政建设主体责任履行情况汇报", "daode-jiangtang": "道德讲堂",
    "liangze-xiaohao": "党建任务亮责消号", "chuangxin-xiangmu": "创新项目申报验收", "xiangmuhua-guanli": "党建项目化管理",
}


def load_workflow(path: Path) -> tuple[Workflow | None, list[str]]:
    doc, problems = load_yaml(path, path.relative_to(REPO).as_posix())
    workflow, more = validate_as(Workflow, doc.data, doc.locate)
    problems += more + (workflow_problems(workflow, doc) if workflow else [])
    return workflow, [str(problem) for problem in problems]


@pytest.fixture(scope="module")
def library() -> dict[str, Workflow]:
    workflows = {}
    for path in sorted(LIBRARY.glob("*.yml")):
        workflow, problems = load_workflow(path)
        assert problems == [], problems
        workflows[workflow.id] = workflow
    return workflows


# --- the standard library ----------------------------------------------------------------

def test_library_holds_the_20_standard_workflows(library):
    assert sorted(library) == sorted(LIBRARY_TITLES)
    for workflow_id, words in LIBRARY_TITLES.items():
        assert words in library[workflow_id].title
    for path in LIBRARY.glob("*.yml"):
        assert library[path.stem].id == path.stem


def test_featured_workflows_are_the_six_named_ones_and_the_rest_are_routine(library):
    featured = {w.id for w in library.values() if w.category == "特色流程"}
    assert featured == {"sixiang-dongtai", "zhuti-zeren-huibao", "daode-jiangtang", "liangze-xiaohao",
                        "chuangxin-xiangmu", "xiangmuhua-guanli"}


def test_workflows_without_a_single_source_are_marked_inferred_and_every_workflow_cites_a_basis(library):
    assert library["liangze-xiaohao"].inferred and library["zhuti-zeren-huibao"].inferred
    assert not library["fazhan-dangyuan"].inferred and not library["dangfei-shoujiao"].inferred
    assert all(len(w.basis_text()) >= 4 and all(b.document for b in w.basis) for w in library.values())


def test_fazhan_dangyuan_has_5_stages_and_25_steps_with_three_substeps(library):
    workflow = library["fazhan-dangyuan"]
    assert (len(workflow.stages), len(workflow.main_steps()), len(workflow.steps)) == (5, 25, 28)


def test_library_uses_loops_decisions_and_ends(library):
    steps = [step for w in library.values() for step in w.steps]
    assert sum(1 for step in steps if step.choices) >= 10
    assert any(step.next == [] for step in steps)
    assert any(choice.to and [s.id for s in w.steps].index(choice.to) < [s.id for s in w.steps].index(step.id)
               for w in library.values() for step in w.steps for choice in step.choices or [])


# --- bad files: located messages ----------------------------------------------------------

def problems_in_project(tmp_path: Path, fixture: Path) -> list[str]:
    (tmp_path / "content" / "workflows").mkdir(parents=True)
    (tmp_path / "content" / "organization.yml").write_text(ORGANIZATION, encoding="utf-8")
    shutil.copy(fixture, tmp_path / "content" / "workflows" / fixture.name)
    with pytest.raises(ProblemsFound) as raised:
        validate_project(load_sources(tmp_path))
    return [str(p) for p in raised.value.problems if p.location.path.startswith("content/workflows/")]


@pytest.mark.parametrize("name", ["bad-graph", "structure", "endless-loop", "no-box"])
def test_bad_workflow_gives_the_located_messages_next_to_it(tmp_path, name):
    expected = (FIXTURES / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert problems_in_project(tmp_path, FIXTURES / f"{name}.yml") == expected


def test_dangling_reference_unknown_actor_and_unreachable_step_in_one_file(tmp_path):
    codes = [line.rsplit("[", 1)[1] for line in problems_in_project(tmp_path, FIXTURES / "bad-graph.yml")]
    assert codes == ["workflow.unknown-step]", "workflow.unknown-actor]", "workflow.unknown-step]",
                     "workflow.unknown-step]", "workflow.unknown-stage]", "workflow.unreachable]"]


def test_a_typo_in_next_is_reported_once_not_as_a_cascade_of_unreachable_steps(tmp_path):
    lines = problems_in_project(tmp_path, FIXTURES / "bad-graph.yml")
    assert not any("「tanhua」（谈话）从第一个步骤出发无法到达" in line for line in lines)


def test_computable_time_rule_needs_its_anchor():
    _, problems = validate_as(TimeRule, {"text": "1个月内", "max": "1个月"}, lambda loc, key=False: loc)
    assert [p.message for p in problems] == ["填写了最短或最长间隔时，应同时填写起算步骤（after）"]
    _, problems = validate_as(TimeRule, {"text": "x", "after": "a", "min": "1年", "max": "3个月"},
                              lambda loc, key=False: loc)
    assert [p.message for p in problems] == ["最短间隔「1年」不应长于最长间隔「3个月」"]


# --- diagrams ---------------------------------------------------------------------------------

def test_rendering_twice_gives_identical_bytes(library):
    for workflow in library.values():
        first, second = draw_workflow(workflow), draw_workflow(workflow)
        assert [s.encode() for s in first] == [s.encode() for s in second]


def test_every_text_fits_the_room_of_its_box(library):
    for workflow in library.values():
        for page in chart_pages(workflow):
            for line in page.texts:
                assert text_width(line.content, line.size) <= line.room + 0.01, (workflow.id, line)


def svg_pages(workflow: Workflow) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in draw_workflow(workflow)]


def test_no_text_below_7pt_and_pages_fit_the_a4_type_area(library):
    for workflow in library.values():
        for root in svg_pages(workflow):
            _, _, width, height = (float(v) for v in root.get("viewBox").split())
            mm_per_unit = A4_TYPE_AREA_MM[0] / width
            sizes = [float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
            assert min(sizes) * mm_per_unit * PT_PER_MM >= 7, workflow.id
            assert height * mm_per_unit <= A4_TYPE_AREA_MM[1], workflow.id
            assert width == WIDTH and A4_TYPE_AREA_MM[0] == PRINT_WIDTH_MM


def badge_numbers(root: ET.Element) -> list[str]:
    """The step numbers drawn in the red badges (white bold text): 「23」, or 「23（一）」 for a sub-step."""
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("fill") == "#fff"]


def test_fazhan_dangyuan_splits_by_stage_and_shows_every_step_once(library):
    pages = svg_pages(library["fazhan-dangyuan"])
    assert len(pages) >= 2
    badges = [n for root in pages for n in badge_numbers(root)]
    assert sorted(int(n) for n in badges if n.isdigit()) == list(range(1, 26))
    assert [n for n in badges if not n.isdigit()] == ["23（一）", "23（二）", "23（三）"]
    texts = [" ".join(t.text for t in root.iter("{http://www.w3.org/2000/svg}text")) for root in pages]
    assert "接下页" in texts[0] and "接上页" in texts[1]
    assert "第一阶段" in texts[0] and "第五阶段" in texts[-1]


def test_decision_is_a_diamond_with_labelled_branches_and_the_loop_is_drawn(library):
    last = draw_workflow(library["fazhan-dangyuan"])[-1]
    assert 'fill="#fff7e6"' in last  # the diamond of step 24
    for label in ("按期转正", "延长预备期", "取消预备党员资格"):
        assert f">{label}</text>" in last
    assert 'stroke-dasharray="4 2.5"' in last  # 延长预备期 loops back to step 21


def test_actor_of_every_step_is_visible(library):
    for workflow in library.values():
        drawn = " ".join(draw_workflow(workflow))
        for step in workflow.steps:
            assert f">{step.actor}</text>" in drawn, (workflow.id, step.actor)


def test_svg_has_no_script_and_no_external_reference(library):
    for workflow in library.values():
        for svg in draw_workflow(workflow):
            assert "<script" not in svg and "href" not in svg and "@import" not in svg
            assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]


def test_long_chinese_name_wraps_inside_its_box():
    name = "支部委员会根据上级党委的部署和本支部年度工作计划研究确定本次会议的全部议题并形成书面方案报上级党委审核"
    workflow = Workflow.model_validate({
        "id": "long", "title": "长名称", "category": "常规流程", "basis": "测试", "stages": [{"id": "a", "name": "唯一阶段"}],
        "steps": [{"id": "x", "name": name, "stage": "a", "actor": "支部委员会", "time": {"text": name}},
                  {"id": "y", "name": name, "stage": "a", "actor": "党员大会",
                   "choices": [{"label": name[:30], "to": "x"}, {"label": "结束"}]}]})
    (page,) = chart_pages(workflow)
    drawn = [line for line in page.texts if line.content and line.content in name]
    assert len(drawn) > 6
    assert all(text_width(line.content, line.size) <= line.room for line in page.texts)


def test_wrapping_keeps_numbers_whole_and_closing_punctuation_off_line_starts():
    lines = wrap_text("预交、补交一般不超过10000元，特殊情况经支部同意。", 10, 62)
    assert "".join(lines) == "预交、补交一般不超过10000元，特殊情况经支部同意。"
    assert not any(line[0] in "，。、" for line in lines)
    assert any("10000" in line for line in lines)


@pytest.mark.skipif(not (NOTO / "NotoSansCJK-Regular.ttc").exists(), reason="Noto Sans CJK not installed")
def test_width_estimate_is_never_below_the_real_noto_sans_cjk_width(library):
    from PIL import ImageFont
    fonts = {bold: {} for bold in (False, True)}
    for workflow in library.values():
        for page in chart_pages(workflow):
            for line in page.texts:
                key = (line.bold, line.size)
                if key not in fonts[line.bold]:
                    face = "NotoSansCJK-Bold.ttc" if line.bold else "NotoSansCJK-Regular.ttc"
                    fonts[line.bold][key] = ImageFont.truetype(str(NOTO / face), size=int(line.size * 10), index=2)
                real = fonts[line.bold][key].getlength(line.content) / 10
                assert real <= text_width(line.content, line.size) + 0.01, (line.content, real)


# --- pages --------------------------------------------------------------------------------------

def test_workflow_page_has_diagrams_basis_and_the_step_table(library):
    env = template_environment()
    page = env.get_template("workflow.md.j2").render(workflow=library["fazhan-dangyuan"],
                                                     diagrams=["fazhan-dangyuan-1.svg", "fazhan-dangyuan-2.svg"],
                                                     chart=chart_features(library["fazhan-dangyuan"]))
    assert "![发展党员工作流程（第 1 页，共 2 页）](fazhan-dangyuan-1.svg){ .bb-workflow }" in page
    assert "| 依据 | 《中国共产党发展党员工作细则》" in page
    assert "| 序号 | 步骤 | 责任主体 | 时限 | 形成材料 → 资料盒 |" in page
    assert "| 2 | 党组织派人谈话 | 支部书记 |" in page
    assert "判断：按期转正 → 第 25 步；延长预备期 → 第 21 步" in page
    assert "入党申请书 → 组织发展" in page
    assert "推定流程" not in page


def test_inferred_workflow_page_says_so_and_escapes_table_cells(library):
    env = template_environment()
    workflow = library["liangze-xiaohao"]
    page = env.get_template("workflow.md.j2").render(workflow=workflow, diagrams=["liangze-xiaohao.svg"],
                                                     chart=chart_features(workflow))
    assert '!!! note "推定流程"' in page and "](liangze-xiaohao.svg)" in page
    rows = [line for line in page.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(workflow.steps)
    assert all(line.count(" | ") == 4 for line in rows)


def test_legend_names_a_diamond_and_a_dashed_loop_only_where_the_chart_draws_them(library):
    web, paper = template_environment(), print_environment().get_template("workflow.html.j2").module
    kinds = set()
    for workflow in library.values():
        chart, drawn = chart_features(workflow), " ".join(draw_workflow(workflow))
        assert chart.decision == ('fill="#fff7e6"' in drawn), workflow.id           # a decision's diamond
        assert chart.loop == ('stroke-dasharray="4 2.5"' in drawn), workflow.id     # a loop's dashed line
        page = web.get_template("workflow.md.j2").render(workflow=workflow, diagrams=["x.svg"], chart=chart)
        printed = str(paper.workflow(workflow_print(workflow)))
        legends = [next(line for line in page.splitlines() if line.startswith("图中左侧")),
                   re.search(r'<p class="wf-legend">(.*?)</p>', printed).group(1)]
        for legend in legends:
            assert ("菱形为判断" in legend) == chart.decision, (workflow.id, legend)
            assert ("虚线箭头" in legend) == chart.loop, (workflow.id, legend)
            assert legend.startswith("图中左侧为阶段和责任主体，中间为步骤及时限") and "，。" not in legend
        kinds.add((chart.decision, chart.loop))
    assert {(True, True), (False, False)} <= kinds, kinds


def test_index_lists_workflows_by_category_in_order(library):
    page = template_environment().get_template("workflows.md.j2").render(workflows=list(library.values()))
    routine, featured = page.index("## 常规流程"), page.index("## 特色流程")
    assert (routine < page.index("[发展党员工作流程](fazhan-dangyuan.md)")
            < page.index("[支部党员大会工作流程](dangyuan-dahui.md)") < featured)
    assert page.index("[职工思想动态分析工作流程](sixiang-dongtai.md)") > featured
    assert "[党建任务亮责消号流程](liangze-xiaohao.md)（推定）" in page


def synthetic(stages: int, steps_per_stage: int, stage_name: str) -> Workflow:
    return Workflow.model_validate({
        "id": "synthetic", "title": "合成流程", "category": "常规流程", "basis": "测试",
        "stages": [{"id": f"s{i}", "name": f"{stage_name}{i}"} for i in range(stages)],
        "steps": [{"id": f"s{i}-{j}", "name": f"第{i}阶段的第{j}个步骤", "stage": f"s{i}", "actor": "支部委员会"}
                  for i in range(stages) for j in range(steps_per_stage)]})


@pytest.mark.parametrize("stages, steps, name", [(12, 1, "名称很长的一个阶段需要好几行才能写完"), (1, 40, "只有一个阶段")])
def test_any_shape_of_workflow_stays_within_the_a4_type_area(stages, steps, name):
    workflow = synthetic(stages, steps, name)
    svgs = draw_workflow(workflow)
    assert len(svgs) >= 2
    for svg in svgs:
        _, _, width, height = (float(v) for v in ET.fromstring(svg).get("viewBox").split())
        assert height * A4_TYPE_AREA_MM[0] / width <= A4_TYPE_AREA_MM[1]
    if stages == 1:
        assert "（续）" in svgs[1]
