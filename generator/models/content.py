"""Describe the shared content users write in ``content/``: chapters, workflows, the checklist, schemes.

Workflows and schemes get their full engines later; their formats are fixed
and validated here so that the sample organization can already carry them.
"""

from __future__ import annotations

from typing import Any, Literal

from generator.models.common import ID_PATTERN, Box, Model, field

HANDBOOK_PARTS = ("任务职责", "管理制度", "程序流程", "基础资料")
DURATION_PATTERN = r"^\d+(天|个工作日|周|个月|年)$"


class ChapterMeta(Model):
    """The YAML front matter at the top of a chapter (between two ``---`` lines)."""

    title: str = field("标题", "章节标题")
    part: Literal["任务职责", "管理制度", "程序流程", "基础资料"] = field(
        "所属部分", "手册四部分之一: 任务职责、管理制度、程序流程、基础资料")
    order: int = field("排序", "同一部分内的顺序, 小的在前", ge=0)
    summary: str | None = field("摘要", "一句话说明, 显示在目录页", default=None)


class Document(Model):
    name: str = field("文件名称", "如「入党申请书」")
    box: Box = field("归档资料盒", "日常工作、组织发展、计划报告、上级文件或其他材料")


class TimeRule(Model):
    text: str = field("时限说明", "照原文写的时间要求, 如「收到申请后1个月内」")
    after: str | None = field("起算步骤", "从哪个步骤的日期起算 (步骤编号)", default=None)
    min: str | None = field("最短间隔", "如「1年」「3个月」「5个工作日」", default=None, pattern=DURATION_PATTERN)
    max: str | None = field("最长间隔", "如「1个月」「3个月」", default=None, pattern=DURATION_PATTERN)


class Choice(Model):
    label: str = field("分支说明", "判断结果, 如「同意转正」")
    to: str = field("转到步骤", "该结果转到的步骤编号")


class Step(Model):
    id: str = field("步骤编号", "流程内唯一的编号", pattern=ID_PATTERN)
    name: str = field("步骤名称", "如「党组织派人谈话」")
    stage: str = field("所属阶段", "阶段编号")
    actor: str = field("责任主体", "如申请人、支部委员会、党员大会、基层党委、组织员")
    time: TimeRule | None = field("时限", "时间要求", default=None)
    inputs: list[Document] = field("所需材料", "该步骤使用的材料", default_factory=list)
    outputs: list[Document] = field("形成材料", "该步骤形成的材料及其归档资料盒", default_factory=list)
    next: list[str] | None = field("下一步", "后续步骤编号; 不填则为列表中的下一个步骤", default=None)
    choices: list[Choice] | None = field("判断分支", "判断步骤的各个结果及去向", default=None)
    notes: str | None = field("说明", "补充说明", default=None)


class Stage(Model):
    id: str = field("阶段编号", "流程内唯一的编号", pattern=ID_PATTERN)
    name: str = field("阶段名称", "如「申请入党」")


class Workflow(Model):
    id: str = field("流程编号", "唯一编号, 用作网址", pattern=ID_PATTERN)
    title: str = field("流程名称", "如「发展党员工作流程」")
    category: Literal["常规流程", "特色流程"] = field("类别", "常规流程或特色流程")
    basis: str = field("依据", "所依据的党内法规或文件")
    inferred: bool = field("推定", "没有单一出处、根据公开实践整理的流程标为 true", default=False)
    stages: list[Stage] = field("阶段", "流程的各个阶段", min_length=1)
    steps: list[Step] = field("步骤", "流程的各个步骤, 按顺序", min_length=1)


class ChecklistItem(Model):
    name: str = field("工作事项", "如「召开支部委员会会议」")
    category: Literal["组织生活", "学习教育", "组织建设", "党员管理", "宣传群众", "其他"] = field(
        "类别", "组织生活、学习教育、组织建设、党员管理、宣传群众或其他")
    frequency: Literal["每月", "每季度", "每半年", "每年", "按需"] = field("频次", "每月、每季度、每半年、每年或按需")
    per_year: int = field("年度次数", "一年应开展的次数; 按需的事项填 0", ge=0, le=366)
    box: Box = field("归档资料盒", "形成材料归入的资料盒")
    workflow: str | None = field("对应流程", "对应的流程编号", default=None)
    basis: str | None = field("依据", "出处", default=None)


class Checklist(Model):
    """The 定期定量工作指标一览表."""

    title: str = field("标题", "如「党支部定期定量工作指标一览表」")
    items: list[ChecklistItem] = field("事项", "各项定期定量工作", min_length=1)


class SchemeItem(Model):
    id: str = field("指标编号", "在分数表中作为列名使用, 如「K01」", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")
    name: str = field("指标名称", "考核指标名称")
    tier: str | None = field("级别", "如重点项、基础项、创新项、自主项", default=None)
    max_points: float | None = field("满分", "该指标的满分; 不计分的指标不填", default=None, ge=0)
    measures: str | None = field("措施", "工作措施", default=None)
    standard: str | None = field("标准", "考核标准", default=None)
    department: str | None = field("考核部门", "牵头考核部门", default=None)


class Scheme(Model):
    id: str = field("方案编号", "唯一编号, 也是 scores/ 下分数表所在文件夹的名称", pattern=ID_PATTERN)
    name: str = field("方案名称", "如「清单管理、台阶考核」")
    kind: Literal["tiered", "red_flag", "points", "grading", "five_step"] = field(
        "方案类型", "tiered 台阶考核, red_flag 流动红旗, points 党员积分, grading ABCD 评级, five_step 五步考评")
    period: Literal["quarter", "bimonth", "year"] = field("考核周期", "quarter 季度, bimonth 双月, year 年度")
    basis: str | None = field("依据", "方案出处", default=None)
    subject: Literal["branch", "member"] = field("考核对象", "branch 支部 (分数表每行一个支部), member 党员 (每行一名党员)", default="branch")
    items: list[SchemeItem] = field("指标", "考核指标; 计分指标的编号即分数表列名", min_length=1)
    rules: dict[str, Any] = field("规则参数", "档次、系数、奖励等参数 (由评分引擎解释)", default_factory=dict)
