"""Workflow bases name document, version and article; the 发展党员 workflow follows the 细则 and says it was revised."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from generator.compute.filing import FilingYear, box_inventories
from generator.load.yaml_source import load_yaml, parse_yaml
from generator.models.content import Basis, Workflow
from generator.pdf import handbook as book
from generator.pdf.context import print_context, shared_content
from generator.pipeline import load_project
from generator.pipeline import site_pages
from generator.validate.messages import validate_as
from generator.validate.workflows import workflow_problems
from tests.support import copy_small

REPO = Path(__file__).resolve().parent.parent
LIBRARY = REPO / "content" / "workflows"
XIZE = "《中国共产党发展党员工作细则》"
REVISION = "2026 年 5 月中央已修订颁布新《细则》"
D = dt.date.fromisoformat


def library_workflow(name: str) -> Workflow:
    doc, problems = load_yaml(LIBRARY / f"{name}.yml", f"{name}.yml")
    assert problems == []
    return Workflow.model_validate(doc.data)


@pytest.fixture(scope="module")
def fazhan() -> Workflow:
    return library_workflow("fazhan-dangyuan")


@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    return load_project(copy_small(tmp_path_factory.mktemp("basis") / "org"))


def step(workflow: Workflow, step_id: str):
    return next(s for s in workflow.steps if s.id == step_id)


def test_the_branch_meeting_votes_by_secret_ballot_with_the_majority_of_those_due(fazhan):
    meeting = step(fazhan, "s15-branch-meeting")
    assert "无记名投票" in meeting.notes
    assert "赞成人数超过应到会有表决权的正式党员的半数" in meeting.notes
    assert [(b.document, b.version, b.article) for b in meeting.basis] == [(XIZE, 2014, "第二十条、第二十一条")]


def test_the_procedures_of_article_33_come_between_the_application_and_the_branch_meeting(fazhan):
    ids = [s.id for s in fazhan.steps]
    start, end = ids.index("s22-full-application"), ids.index("s23-full-meeting")
    between = fazhan.steps[start + 1:end]
    assert [s.name for s in between] == ["党小组提出意见", "党支部征求党员和群众意见", "支部委员会审查"]
    assert [s.actor for s in between] == ["党小组", "支部委员会", "支部委员会"]
    assert all(b.article == "第三十三条" for s in between for b in s.basis)
    assert fazhan.successors()["s22-full-application"] == ["s22a-group-opinion"]


SUBSTEP_ROWS = ["| 22 | 提出转正申请 |", "| 23（一） | 党小组提出意见 |", "| 23（二） | 党支部征求党员和群众意见 |",
                "| 23（三） | 支部委员会审查 |", "| 23 | 支部党员大会讨论 |", "| 24 | 上级党委审批"]


def test_the_procedures_of_article_33_are_substeps_of_step_23_and_keep_the_25_steps(fazhan):
    assert len(fazhan.main_steps()) == 25 and len(fazhan.steps) == 28
    labels = fazhan.step_labels()
    assert [labels[s.id] for s in fazhan.steps[-8:]] == ["21", "22", "23（一）", "23（二）", "23（三）", "23", "24", "25"]
    assert [s.id for s in fazhan.substeps()["s23-full-meeting"]] == \
        ["s22a-group-opinion", "s22b-consultation", "s22c-committee-review"]
    assert fazhan.step_numbers()["s22b-consultation"] == 23
    assert fazhan.size_text() == "5 个阶段、25 个步骤（第 23 步含 3 个子步骤）"


def test_the_site_page_and_the_handbook_number_25_steps_and_label_the_substeps(small_project):
    pages = site_pages(small_project)
    page = pages.files["workflows/fazhan-dangyuan.md"]
    rows = [line for line in page.splitlines() if line.startswith("| ")]
    first = next(i for i, row in enumerate(rows) if row.startswith(SUBSTEP_ROWS[0]))
    assert all(row.startswith(start) for row, start in zip(rows[first:], SUBSTEP_ROWS, strict=False))
    assert len([row for row in rows if re.match(r"\| \d+ \| ", row)]) == 25
    assert "| 规模 | 5 个阶段、25 个步骤（第 23 步含 3 个子步骤） |" in page
    assert "按期转正 → 第 25 步；延长预备期 → 第 21 步" in page and "第 26 步" not in page
    assert "- 第 23（一）步：党小组讨论预备党员" in page
    assert "| [发展党员工作流程](fazhan-dangyuan.md) | 5 / 25 |" in pages.files["workflows/index.md"]
    branch = small_project.branches[0]
    html = book.handbook_html(print_context(small_project, branch, shared_content(small_project), "2026年12月31日"),
                              "1767225600")
    numbers = re.findall(r'<td class="num">([^<]*)</td>\s*<td>([^<]*)', html)
    fazhan_rows = numbers[numbers.index(("1", "递交入党申请书")):][:28]
    assert [n for n, _ in fazhan_rows] == [*map(str, range(1, 23)), "23（一）", "23（二）", "23（三）", "23", "24", "25"]
    assert ("23（一）", "党小组提出意见") in fazhan_rows and ("25", "材料归档") in fazhan_rows
    assert "5个阶段、25个步骤（第23步含3个子步骤）" in html
    assert "按发展党员工作流程的25个步骤计" in html and "28个步骤" not in html


def test_the_inventory_names_substeps_by_their_label_and_keeps_them_with_step_23(small_project):
    branch = next(b for b in small_project.branches if b.applicants)
    applicant = branch.applicants[0].model_copy(update={
        "name": "周预备", "activist_on": D("2023-03-01"), "candidate_on": D("2024-03-05"),
        "pre_reviewed_on": D("2024-05-01"), "admitted_on": D("2024-06-01"), "approved_on": D("2024-07-01"),
        "full_applied_on": D("2025-05-20"), "full_meeting_on": None, "full_approved_on": None,
        "probation_extended_to": None, "talked_on": D("2022-10-10"), "applied_on": D("2022-10-01")})
    organization = small_project.organization.model_copy(update={"as_of": D("2025-05-25")})
    year = FilingYear(organization, branch.model_copy(update={"applicants": [applicant]}), (),
                      {w.id: w for w in small_project.workflows})
    rows = [row for box in box_inventories(small_project.boxes, year) for row in box.rows if "周预备" in row.title]
    titles = {row.title: row for row in rows}
    assert "周预备（预备党员，第22步）" in titles
    group = titles["周预备　党小组对预备党员转正的意见（第23（一）步）"]
    assert (group.note, group.date) == ("进行中", "")
    assert titles["周预备　转正申请书（第22步）"].note == "已形成"
    assert titles["周预备　转正公示及结果、支部大会决议（转正）（第23步）"].note == "下一步"
    assert not any("第26步" in title or "第27步" in title for title in titles)


def workflow_text(steps: list[dict]) -> str:
    data = {"id": "x", "title": "示例流程", "category": "常规流程", "basis": "《某规定》",
            "stages": [{"id": stage, "name": stage} for stage in dict.fromkeys(step["stage"] for step in steps)],
            "steps": steps}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_part_of_must_name_a_main_step_next_to_it():
    def problems(steps: list[dict]) -> list[str]:
        doc, parsed = parse_yaml(workflow_text(steps), "content/workflows/x.yml")
        workflow, invalid = validate_as(Workflow, doc.data, doc.locate)
        assert parsed == invalid == []
        return [str(p) for p in workflow_problems(workflow, doc)]

    def s(step_id: str, part_of: str | None = None, stage: str = "a") -> dict:
        return {"id": step_id, "name": f"步骤{step_id}", "stage": stage, "actor": "党员",
                **({"part_of": part_of} if part_of else {})}

    assert problems([s("p"), s("q1", "q"), s("q2", "q"), s("q"), s("r", stage="b")]) == []
    unknown = problems([s("p"), s("q1", "qq"), s("q")])
    line = workflow_text([s("p"), s("q1", "qq"), s("q")]).splitlines().index("  part_of: qq") + 1
    assert len(unknown) == 1 and unknown[0].startswith(f"content/workflows/x.yml:{line}:")
    assert "错误: 步骤「q1」的所属步骤（part_of）「qq」不是本流程的步骤编号" in unknown[0]
    assert "是否指「q」" in unknown[0] and unknown[0].endswith("[workflow.unknown-step]")
    nested = problems([s("p"), s("q2", "q1"), s("q1", "q"), s("q")])
    assert len(nested) == 1 and "所属的「q1」（步骤q1）本身是「q」的子步骤；子步骤不能再分子步骤" in nested[0]
    assert nested[0].endswith("[workflow.nested-substep]")
    apart = problems([s("q1", "q"), s("p"), s("q")])
    assert len(apart) == 1 and apart[0].endswith("[workflow.substep-apart]")
    assert problems([s("p", "p"), s("q"), s("r", stage="b")])[0].endswith("[workflow.substep-self]")
    other_stage = problems([s("p"), s("q"), s("q1", "q", stage="b")])
    assert len(other_stage) == 1 and other_stage[0].endswith("不在同一阶段 [workflow.substep-stage]")


def test_party_standing_counts_from_the_end_of_probation(fazhan):
    chapter = (REPO / "content" / "chapters" / "fazhan-dangyuan.md").read_text(encoding="utf-8")
    assert "党员的党龄从预备期满转为正式党员之日算起（党章第七条）" in chapter
    assert "党龄从转为正式党员之日算起" not in chapter
    assert "党龄从预备期满转为正式党员之日算起" in step(fazhan, "s24-full-approval").notes


def test_every_library_basis_names_its_document_and_regulations_their_version():
    for path in sorted(LIBRARY.glob("*.yml")):
        workflow = library_workflow(path.stem)
        entries = [*workflow.basis, *(b for s in workflow.steps for b in s.basis or [])]
        assert workflow.basis, path.stem
        for entry in entries:
            assert entry.document.strip(), path.stem
            # a regulation (《中国共产党…》) is cited with its version, and an article is cited with its document
            if entry.document.startswith(("《中国共产党", "中共中央组织部《")):
                assert entry.version is not None, (path.stem, entry)
            if entry.article:
                assert entry.article.startswith("第") and entry.article.rstrip("等").endswith("条"), (path.stem, entry)


def test_fazhan_dangyuan_steps_cite_the_article_of_the_2014_rules(fazhan):
    cited = [s for s in fazhan.steps if s.basis]
    assert len(cited) >= 20
    for s in cited:
        xize = [b for b in s.basis if b.document == XIZE]
        assert xize and all(b.version == 2014 and b.article for b in xize), s.id
    assert step(fazhan, "s24-full-approval").basis_text().endswith("《中国共产党章程》（2022 年）第七条（延长预备期和党龄）")


def test_a_basis_written_as_one_line_is_still_read():
    data = {"id": "x", "title": "示例流程", "category": "常规流程", "basis": "《某规定》（2018）",
            "stages": [{"id": "a", "name": "一"}],
            "steps": [{"id": "s", "name": "一步", "stage": "a", "actor": "党员", "basis": {"document": "《某规定》", "article": "第三条"}}]}
    workflow, problems = validate_as(Workflow, data, lambda loc, key=False: loc)
    assert problems == []
    assert workflow.basis_text() == "《某规定》（2018）"
    assert workflow.steps[0].basis_text() == "《某规定》第三条"
    assert Basis(document="《某规定》", version=2018, note="关于党课的规定").text() == "《某规定》（2018 年），关于党课的规定"
    _, problems = validate_as(Workflow, {**data, "basis": [{"document": "《某规定》", "version": 18}]}, lambda loc, key=False: loc)
    assert len(problems) == 1


def test_the_revision_note_is_data_and_shows_on_the_page_and_in_the_handbook(small_project):
    workflow = next(w for w in small_project.workflows if w.id == "fazhan-dangyuan")
    assert REVISION in workflow.revision_note and "{{" not in workflow.revision_note
    pages = site_pages(small_project)
    page = pages.files["workflows/fazhan-dangyuan.md"]
    assert '!!! warning "修订说明"' in page and REVISION in page
    assert "依据：《中国共产党发展党员工作细则》（2014 年）第二十条、第二十一条" in page
    assert "修订说明" not in pages.files["workflows/dangke.md"]
    branch = small_project.branches[0]
    html = book.handbook_html(print_context(small_project, branch, shared_content(small_project), "2026年12月31日"),
                              "1767225600")
    assert "修订说明" in html and REVISION in html
    assert "依据：《中国共产党发展党员工作细则》（2014 年）第三十三条" in html


def test_dangfei_speaks_of_the_higher_organization_by_its_variable():
    chapter = (REPO / "content" / "chapters" / "dangfei.md").read_text(encoding="utf-8")
    workflow = (LIBRARY / "dangfei-shoujiao.yml").read_text(encoding="utf-8")
    for text in (chapter, workflow):
        assert "基层党委" not in text and "上一级党委" not in text
        assert "{{ 上级党组织简称 }}" in text and "1000 元以上" in text
    assert "当月实际领取的薪酬收入" in chapter and "上季度月平均纯收入" in chapter
