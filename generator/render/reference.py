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
from generator.models.common import privacy_of
from generator.models.content import (
    ChapterMeta, Checklist, ChecklistItem, Choice, Document, Scheme, SchemeItem, Stage, Step, TimeRule, Workflow,
)
from generator.models.organization import Organization

# (model, where users write it, heading)
DOCUMENTED: tuple[tuple[type[BaseModel], str, str], ...] = (
    (Organization, "content/organization.yml", "组织信息"),
    (Branch, "branches/<支部编号>.yml", "支部文件"),
    (Contact, "支部文件中的 office", "联系方式"),
    (Committee, "支部文件中的 committee", "支部委员会"),
    (CommitteeMember, "committee.members 的每一项", "支委成员"),
    (PartyGroup, "支部文件中的 groups", "党小组"),
    (Member, "members 的每一项, 或名册 CSV/XLSX 的每一行 (表头可用中文名称)", "党员"),
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
    (Checklist, "content/checklist.yml", "定期定量工作指标一览表"),
    (ChecklistItem, "一览表的 items", "工作事项"),
    (Scheme, "content/schemes/*.yml", "考核方案"),
    (SchemeItem, "方案的 items", "考核指标"),
)

PRIVACY_LABELS = {"public": "公开", "internal": "内部 (仅打印存档)", "never": "不输出"}
_SIMPLE_TYPES = {str: "文字", int: "整数", float: "数字", bool: "true / false", dt.date: "日期 (如 2026-03-15)"}
_HEADINGS = {model: heading for model, _, heading in DOCUMENTED}


def describe_type(annotation: Any) -> str:
    """Chinese description of a field type, e.g. `list[Member] | None` → 「党员」的列表."""
    origin = typing.get_origin(annotation)
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
    return _SIMPLE_TYPES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _fields(model: type[BaseModel]) -> list[dict]:
    rows = []
    for name, info in model.model_fields.items():
        required = info.default is PydanticUndefined and info.default_factory is None
        rows.append({"key": name, "title": info.title or "", "type": describe_type(info.annotation),
                     "required": "必填" if required else "可选",
                     "privacy": PRIVACY_LABELS[privacy_of(model, name)],
                     "description": info.description or ""})
    return rows


def format_reference() -> list[dict]:
    """One entry per documented model: heading, where it is written, and its fields."""
    return [{"heading": heading, "where": where, "anchor": model.__name__.lower(), "fields": _fields(model)}
            for model, where, heading in DOCUMENTED]
