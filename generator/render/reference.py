"""Turn the pydantic models into the data-format reference shown on the site.

The reference is generated from the models' titles, descriptions, types and
privacy classes, so it cannot drift from what the validator accepts.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from generator.models.branch import (
    ActivityRoom, Applicant, Branch, Commitment, Committee, CommitteeMember, Contact, Goal, Honour, Member,
    NewsItem, PartyGroup,
)
from generator.load.limits import LIMITS
from generator.models.boxes import BoxDocument, BoxesConfig, FilingBox
from generator.models.common import privacy_of
from generator.models.content import (
    Basis, ChapterMeta, Checklist, ChecklistItem, Choice, Document, Stage, Step, TimeRule, Workflow,
)
from generator.models.calendar import CalendarYear, HolidaySpan, MakeupWorkday
from generator.models.organization import BuildSettings, Organization
from generator.render.chapters import TEXT_VARIABLES
from generator.models.schemes import (
    Boundary, ByStatus, EvaluationStep, FiveStepRules, Grade, GradingRules, NoticeSettings, Participants, PointsBand,
    PointsRules, PriorityRule, PrizeBand, RedFlagRules, RedFlagSanction, SchemeDocument, SchemeItem, Tier, TieredEscalation,
    TieredExposure, TieredPenalty, TieredRules,
)

# (model, where users write it, heading)
DOCUMENTED: tuple[tuple[type[BaseModel], str, str], ...] = (
    (Organization, "content/organization.yml", "组织信息"),
    (BuildSettings, "组织信息的 build", "生成设置"),
    (Branch, "branches/<支部编号>.yml", "支部文件"),
    (Contact, "支部文件中的 office", "联系方式"),
    (Committee, "支部文件中的 committee", "支部委员会"),
    (CommitteeMember, "committee.members 的每一项", "支委成员"),
    (PartyGroup, "支部文件中的 groups", "党小组"),
    (Member, "members 的每一项，或名册 CSV/XLSX 的每一行（表头可用中文名称）", "党员"),
    (Applicant, "支部文件中的 applicants", "发展党员"),
    (ActivityRoom, "支部文件中的 activity_room", "活动阵地"),
    (Goal, "支部文件中的 goals", "年度目标"),
    (Commitment, "支部文件中的 commitments", "承诺"),
    (Honour, "支部文件中的 honours", "荣誉"),
    (NewsItem, "支部文件中的 news", "工作动态"),
    (ChapterMeta, "content/chapters/*.md 开头的 YAML 头信息", "手册章节"),
    (Workflow, "content/workflows/*.yml", "工作流程"),
    (Stage, "流程的 stages", "流程阶段"),
    (Step, "流程的 steps", "流程步骤"),
    (TimeRule, "步骤的 time", "时限"),
    (Document, "步骤的 inputs / outputs", "材料"),
    (Choice, "步骤的 choices", "判断分支"),
    (Basis, "流程和步骤的 basis", "依据"),
    (Checklist, "content/checklist.yml", "定期定量工作指标一览表"),
    (ChecklistItem, "一览表的 items", "工作事项"),
    (BoxesConfig, "content/boxes.yml", "一册五盒"),
    (FilingBox, "五盒文件的 boxes", "资料盒"),
    (BoxDocument, "资料盒的 documents", "卷内文件"),
    (SchemeDocument, "content/schemes/*.yml", "考核方案"),
    (SchemeItem, "方案的 items", "考核指标"),
    (Participants, "方案的 participants", "参加支部"),
    (Boundary, "方案的 boundary", "边界读法"),
    (NoticeSettings, "方案的 notice", "结果公示"),
    (TieredRules, "台阶考核（kind: tiered）的 rules", "台阶考核规则"),
    (Tier, "台阶考核规则的 tiers", "台阶"),
    (TieredPenalty, "台阶考核规则的 penalty", "降档"),
    (TieredEscalation, "台阶考核规则的 escalation", "问责升级"),
    (TieredExposure, "台阶考核规则的 exposure", "面子挂钩"),
    (RedFlagRules, "流动红旗（kind: red_flag）的 rules", "流动红旗规则"),
    (PrizeBand, "流动红旗规则的 bands", "奖金档次"),
    (RedFlagSanction, "流动红旗规则的 sanction", "末位惩戒"),
    (PointsRules, "党员积分（kind: points）的 rules", "党员积分规则"),
    (PointsBand, "党员积分规则的 rewards / penalties", "积分档次"),
    (ByStatus, "积分档次的 consequences", "按身份的措施"),
    (PriorityRule, "党员积分规则的 priority", "优先"),
    (GradingRules, "创优评级（kind: grading）的 rules", "创优评级规则"),
    (Grade, "创优评级规则的 grades", "等级"),
    (FiveStepRules, "五步考评（kind: five_step）的 rules", "五步考评规则"),
    (EvaluationStep, "五步考评规则的 steps", "考评环节"),
    (CalendarYear, "content/calendar/<年度>.yml", "节假日安排"),
    (HolidaySpan, "节假日安排的 holidays", "放假"),
    (MakeupWorkday, "节假日安排的 workdays", "调休上班"),
)

PRIVACY_LABELS = {"public": "公开", "internal": "内部（仅打印存档）", "never": "不输出"}
_SIMPLE_TYPES = {str: "文字", int: "整数", float: "数字", bool: "true / false", dt.date: "日期（如 2026-03-15）"}
_HEADINGS = {model: heading for model, _, heading in DOCUMENTED}


def describe_type(annotation: Any) -> str:
    """Chinese description of a field type, e.g. `list[Member] | None` → 「党员」的列表.

    `Annotated[T, …]` (a type with validators, such as `models.common.Date`) is described as `T`.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return describe_type(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return " 或 ".join(describe_type(a) for a in args)
    if origin is typing.Literal:
        return "".join(f"「{value}」" for value in typing.get_args(annotation)) + "之一"
    if origin in (list, tuple):
        return f"{describe_type(args[0])}的列表"
    if origin is dict:
        return "键值数据"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"见「{_HEADINGS.get(annotation, annotation.__name__)}」"
    if annotation in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[annotation]
    # A subclass of a simple type (bool before int: bool is an int) reads like the type itself.
    for simple in (bool, *_SIMPLE_TYPES):
        if isinstance(annotation, type) and issubclass(annotation, simple):
            return _SIMPLE_TYPES[simple]
    return getattr(annotation, "__name__", str(annotation))


def _fields(model: type[BaseModel]) -> list[dict]:
    rows = []
    for name, info in model.model_fields.items():
        required = info.default is PydanticUndefined and info.default_factory is None
        rows.append({"key": name, "title": info.title or "", "type": describe_type(info.annotation),
                     "required": "必填" if required else "可选",
                     "privacy": PRIVACY_LABELS[privacy_of(model, name)],
                     "description": info.description or ""})
    return rows


def input_limits() -> list[dict]:
    """The limits on input files (generator.load.limits), one row each, for the data-format page."""
    return [{"what": what, "limit": limit, "beyond": beyond} for what, limit, beyond in LIMITS]


def text_variables() -> list[dict]:
    """The variables of chapters and YAML texts (render.chapters.TEXT_VARIABLES), one row each."""
    return [{"name": v.name, "alias": v.alias, "meaning": v.meaning, "example": v.example} for v in TEXT_VARIABLES]


def format_reference() -> list[dict]:
    """One entry per documented model: heading, where it is written, and its fields."""
    return [{"heading": heading, "where": where, "anchor": model.__name__.lower(), "fields": _fields(model)}
            for model, where, heading in DOCUMENTED]
