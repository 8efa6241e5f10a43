"""Describe the shared content users write in ``content/``: chapters, workflows, the checklist, schemes.

The field checks live here; the checks that need a whole workflow (step
references, actors, reachability) are in ``generator.validate.workflows``.
Schemes and their typed rules are described in ``generator.models.schemes``.
"""

from __future__ import annotations

import re
import typing
from typing import Literal

from pydantic import field_validator, model_validator

from generator.models.common import ID_PATTERN, Box, Model, field, free_file_name
from generator.periods import chinese_numeral

HandbookPart = Literal["任务职责", "管理制度", "程序流程", "基础资料"]
HANDBOOK_PARTS: tuple[HandbookPart, ...] = typing.get_args(HandbookPart)
DURATION_PATTERN = r"^\d+(天|个工作日|周|个月|年)$"


class ChapterMeta(Model):
    """The YAML front matter at the top of a chapter (between two ``---`` lines)."""

    title: str = field("标题", "章节标题")
    part: HandbookPart = field(
        "所属部分", "手册四部分之一：任务职责、管理制度、程序流程、基础资料")
    order: int = field("排序", "同一部分内的顺序，小的在前", ge=0)
    summary: str | None = field("摘要", "一句话说明，显示在目录页", default=None)


# Who carries out a step. Grouped so that the diagram can colour them: the person
# concerned, the branch and its organs, the higher party organization, others.
ACTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "个人": ("申请人", "入党积极分子", "发展对象", "预备党员", "党员", "培养联系人", "入党介绍人", "主讲人", "主持人"),
    "支部": ("党小组", "党小组组长", "支部书记", "支部委员", "组织委员", "宣传委员", "纪检委员",
           "支部委员会", "党员大会"),
    "上级": ("基层党委", "组织员", "上级组织部门", "接收党组织", "职能部门"),
    "其他": ("群团组织", "职工群众"),
}
ACTORS: tuple[str, ...] = tuple(actor for group in ACTOR_GROUPS.values() for actor in group)
WorkflowCategory = Literal["常规流程", "特色流程"]
WORKFLOW_CATEGORIES: tuple[WorkflowCategory, ...] = typing.get_args(WorkflowCategory)


def duration_parts(text: str) -> tuple[int, str]:
    """「3个月」→ (3, "个月"): the amount and unit of a duration matching DURATION_PATTERN."""
    match = re.match(r"^(\d+)(.+)$", text)
    if match is None:
        raise ValueError(f"「{text}」不是时长")
    return int(match[1]), match[2]


def _rough_days(text: str) -> float:
    """Approximate length in days, only for telling which of two durations is longer."""
    amount, unit = duration_parts(text)
    return amount * {"天": 1, "个工作日": 1.4, "周": 7, "个月": 30.4, "年": 365.25}[unit]


class Document(Model):
    name: str = field("文件名称", "如「入党申请书」")
    box: Box = field("归档资料盒", "日常工作、组织发展、计划报告、上级文件或其他材料")


class TimeRule(Model):
    """A time requirement; with `after` and `min`/`max` it can be computed from recorded dates."""

    text: str = field("时限说明", "照原文写的时间要求，如「收到申请后1个月内」")
    after: str | None = field("起算步骤", "从哪个步骤的日期起算（步骤编号）；填写最短或最长间隔时必填", default=None)
    min: str | None = field("最短间隔", "如「1年」「3个月」「5个工作日」；期间按民法典第二百零一、二百零二条计算",
                            default=None, pattern=DURATION_PATTERN)
    max: str | None = field("最长间隔", "如「1个月」「3个月」", default=None, pattern=DURATION_PATTERN)
    local: bool = field("本地常见做法", "不是党内法规原文、而是各地通行做法的时限标为 true", default=False)

    @model_validator(mode="after")
    def _computable(self) -> TimeRule:
        if (self.min or self.max) and not self.after:
            raise ValueError("填写了最短或最长间隔时，应同时填写起算步骤（after）")
        if self.min and self.max and _rough_days(self.min) > _rough_days(self.max):
            raise ValueError(f"最短间隔「{self.min}」不应长于最长间隔「{self.max}」")
        return self


class Basis(Model):
    """One regulation or source a workflow or step rests on: the document, its version (year) and the article.

    The version is a field of its own so that a revised regulation is applied by
    editing data: change the year and the articles, and the pages follow.
    """

    document: str = field("文件", "法规或文件的名称，如「《中国共产党发展党员工作细则》」；案例材料写明出处")
    version: int | None = field("版本", "发布或最近修订的年份，如 2014；法规修订后改为新版本的年份",
                                default=None, ge=1921, le=2100)
    article: str | None = field("条款", "如「第二十一条」「第三十二条、第三十三条」；不填表示整个文件", default=None)
    note: str | None = field("说明", "如「表决规则」「关于党课的规定」", default=None)

    def text(self) -> str:
        """「《中国共产党发展党员工作细则》（2014 年）第二十一条（表决规则）」; without an article the note follows a comma."""
        version = f"（{self.version} 年）" if self.version else ""
        note = "" if not self.note else f"（{self.note}）" if self.article else f"，{self.note}"
        return f"{self.document}{version}{self.article or ''}{note}"


def _as_basis_list(value: object) -> object:
    """Old files wrote the basis as one line of text; read it as a single entry naming a document."""
    if isinstance(value, str):
        return [{"document": value}]
    if isinstance(value, dict):
        return [value]
    return value


def basis_text(entries: list[Basis] | None) -> str:
    """The entries of a basis as one line, separated by 「；」."""
    return "；".join(entry.text() for entry in entries or [])


def substep_label(main: int | str, position: int) -> str:
    """The label of the `position`-th sub-step of main step `main`: 「23（一）」."""
    return f"{main}（{chinese_numeral(position)}）"


class Choice(Model):
    label: str = field("分支说明", "判断结果，如「同意转正」")
    to: str | None = field("转到步骤", "该结果转到的步骤编号；不填表示流程到此结束", default=None)


class Step(Model):
    id: str = field("步骤编号", "流程内唯一的编号", pattern=ID_PATTERN)
    name: str = field("步骤名称", "如「党组织派人谈话」")
    stage: str = field("所属阶段", "阶段编号；同一阶段的步骤应连续排列，阶段顺序与「阶段」列表一致")
    actor: str = field("责任主体", "须为以下之一：" + "、".join(ACTORS))
    time: TimeRule | None = field("时限", "时间要求", default=None)
    inputs: list[Document] = field("所需材料", "该步骤使用的材料", default_factory=list)
    outputs: list[Document] = field("形成材料", "该步骤形成的材料及其归档资料盒", default_factory=list)
    next: list[str] | None = field("下一步", "后续步骤编号；不填则为列表中的下一个步骤，填 [] 表示流程到此结束",
                                   default=None)
    choices: list[Choice] | None = field("判断分支", "判断步骤的各个结果及去向（至少两项）；与「下一步」只能填一个",
                                         default=None, min_length=2)
    notes: str | None = field("说明", "补充说明", default=None)
    part_of: str | None = field("所属步骤", "子步骤所属的主步骤编号。子步骤不占序号，按主步骤的序号编为「23（一）」"
                                "「23（二）」……，紧挨主步骤排列（通常在它之前，作为它的准备）；不填表示主步骤",
                                default=None)
    basis: list[Basis] | None = field("依据", "本步骤所依据的条款，每项写文件（document，如《中国共产党发展党员工作细则》）、"
                                      "版本（version，如 2014）和条款（article，如第七条）",
                                      default=None)

    _basis_list = field_validator("basis", mode="before")(lambda cls, value: _as_basis_list(value))

    def basis_text(self) -> str:
        return basis_text(self.basis)


class Stage(Model):
    id: str = field("阶段编号", "流程内唯一的编号", pattern=ID_PATTERN)
    name: str = field("阶段名称", "如「申请入党」")


class Workflow(Model):
    id: str = field("流程编号", "唯一编号，用作网址", pattern=ID_PATTERN)
    title: str = field("流程名称", "如「发展党员工作流程」")
    category: WorkflowCategory = field("类别", "常规流程或特色流程")
    order: int = field("排序", "同一类别内的顺序，小的在前", default=100, ge=0)
    summary: str | None = field("摘要", "一句话说明，显示在流程目录", default=None)
    frequency: str | None = field("频次", "如「一般每季度1次」「按需」", default=None)
    basis: list[Basis] = field("依据", "所依据的党内法规或文件，每项写文件（document）、版本年份（version）和条款"
                               "（article）；也可只写一行文字", min_length=1)
    revision_note: str | None = field("修订说明", "所依据的法规已经修订、本流程尚未按新文本更新等需要提醒的事项，"
                                      "显示在流程页面和手册中", default=None)
    inferred: bool = field("推定", "没有单一出处、根据公开实践整理的流程标为 true", default=False)
    stages: list[Stage] = field("阶段", "流程的各个阶段", min_length=1)
    steps: list[Step] = field("步骤", "流程的各个步骤，按顺序", min_length=1)

    _basis_list = field_validator("basis", mode="before")(lambda cls, value: _as_basis_list(value))

    def basis_text(self) -> str:
        return basis_text(self.basis)

    @field_validator("id")
    @classmethod
    def _id_is_free(cls, value: str) -> str:
        return free_file_name(value, {"index": "workflows/index.html 是流程库的目录页，编号为 index 的流程页面会覆盖它"})

    def main_steps(self) -> list[Step]:
        """The numbered steps (1, 2, …): those that are not sub-steps of another."""
        return [step for step in self.steps if step.part_of is None]

    def substeps(self) -> dict[str, list[Step]]:
        """Main step id → its sub-steps in list order (only main steps that have some)."""
        result: dict[str, list[Step]] = {}
        for step in self.steps:
            if step.part_of is not None:
                result.setdefault(step.part_of, []).append(step)
        return result

    def step_numbers(self) -> dict[str, int]:
        """Step id → the number of its main step: its own for a main step, its main step's for a sub-step."""
        numbers = {step.id: number for number, step in reversed(list(enumerate(self.main_steps(), start=1)))}
        return {step.id: numbers.get(step.id if step.part_of is None else step.part_of, 0) for step in self.steps}

    def step_labels(self) -> dict[str, str]:
        """Step id → the number it is shown with: 「1」…「25」 for main steps, 「23（一）」 for sub-steps.

        Sub-steps keep the familiar numbering of the main steps (发展党员 has 25
        steps however many procedures step 23 includes); an unknown `part_of`
        (reported by validation) is shown as 「?」.
        """
        numbers = self.step_numbers()
        position: dict[str, int] = {}
        labels: dict[str, str] = {}
        for step in self.steps:
            if step.part_of is None:
                labels.setdefault(step.id, str(numbers[step.id]))
            else:
                position[step.part_of] = position.get(step.part_of, 0) + 1
                labels.setdefault(step.id, substep_label(numbers[step.id] or "?", position[step.part_of]))
        return labels

    def size_text(self, spaced: bool = True) -> str:
        """「5 个阶段、25 个步骤（第 23 步含 3 个子步骤）」; without spaces between figures and words for print."""
        gap = " " if spaced else ""
        text = f"{len(self.stages)}{gap}个阶段、{len(self.main_steps())}{gap}个步骤"
        groups = self.substeps()
        if groups:
            numbers = self.step_numbers()
            mains = "、".join(str(numbers.get(main) or "?") for main in groups)
            count = sum(len(steps) for steps in groups.values())
            text += f"（第{gap}{mains}{gap}步含{gap}{count}{gap}个子步骤）"
        return text

    def successors(self) -> dict[str, list[str | None]]:
        """Step id → where it leads: step ids, or None for a choice that ends the flow.

        A step without `next` or `choices` leads to the following step in the
        list; the last such step ends the flow.
        """
        following = [step.id for step in self.steps[1:]] + [None]
        result: dict[str, list[str | None]] = {}
        for step, after in zip(self.steps, following):
            if step.choices is not None:
                result.setdefault(step.id, [choice.to for choice in step.choices])
            elif step.next is not None:
                result.setdefault(step.id, list(step.next))
            else:
                result.setdefault(step.id, [after] if after else [])
        return result


class ChecklistItem(Model):
    name: str = field("工作事项", "如「召开支部委员会会议」")
    category: Literal["组织生活", "学习教育", "组织建设", "党员管理", "宣传群众", "其他"] = field(
        "类别", "组织生活、学习教育、组织建设、党员管理、宣传群众或其他")
    frequency: Literal["每月", "每季度", "每半年", "每年", "按需"] = field("频次", "每月、每季度、每半年、每年或按需")
    per_year: int = field("年度次数", "一年应开展的次数；按需的事项填 0", ge=0, le=366)
    box: Box = field("归档资料盒", "形成材料归入的资料盒")
    workflow: str | None = field("对应流程", "对应的流程编号", default=None)
    basis: str | None = field("依据", "出处", default=None)


class Checklist(Model):
    """The 定期定量工作指标一览表."""

    title: str = field("标题", "如「党支部定期定量工作指标一览表」")
    items: list[ChecklistItem] = field("事项", "各项定期定量工作", min_length=1)
