"""Describe the five filing boxes (一册五盒) as users write them in ``content/boxes.yml``.

The file says what each box is for (printed on its cover label), how wide its
spine is, and how its 卷内目录 (inventory) is pre-filled. Most rows come by
themselves: every item of the 定期定量工作指标一览表 that files into a box gives
one row per occurrence, named after the documents its workflow files into that
box. ``documents`` adds yearly documents, renames or drops those scheduled rows,
and lists what an event (换届) produces.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from generator.models.common import BOXES, Box, Model, field

COMMON_SPINE_WIDTHS_MM = (20, 30, 40, 50, 60)
Author = Literal["本支部", "上级", "个人"]


class BoxDocument(Model):
    """One rule of a box's inventory: a yearly document, a scheduled item's rows, or an event's documents."""

    name: str | None = field("文件名称", "卷内目录中的文件名称；与「工作事项」同填时替换该事项自动生成的名称", default=None)
    schedule: str | None = field(
        "工作事项", "定期定量工作指标一览表中的事项名称，如「召开支部委员会会议」：按全年次数每次列一行", default=None)
    skip: bool = field("不列入", "与「工作事项」同用：该事项的材料不列入本盒", default=False)
    workflow: str | None = field("流程", "流程编号：列出该流程归入本盒的全部形成材料，每种材料一行", default=None)
    when: Literal["每年", "换届"] = field(
        "列入条件", "每年：每年列入；换届：只在本届支委会任期于手册年度内届满时列入", default="每年")
    author: Author = field("责任者", "本支部、上级（上级党组织）或个人", default="本支部")

    @model_validator(mode="after")
    def _one_kind(self) -> BoxDocument:
        if self.schedule and self.workflow:
            raise ValueError("「工作事项」（schedule）和「流程」（workflow）只能填一个")
        if not (self.name or self.schedule or self.workflow):
            raise ValueError("应填写「文件名称」（name）、「工作事项」（schedule）或「流程」（workflow）")
        if self.skip and not self.schedule:
            raise ValueError("「不列入」（skip）只能与「工作事项」（schedule）同用")
        return self


class FilingBox(Model):
    """One 资料盒: its name, what goes into it, and how its inventory is pre-filled."""

    name: Box = field("资料盒", "日常工作、组织发展、计划报告、上级文件或其他材料")
    contents: str = field("主要内容", "印在盒面标签上的一句话说明")
    spine_width_mm: float | None = field("盒脊宽度（毫米）", "本盒的盒脊宽度；不填则用统一的宽度",
                                         default=None, ge=15, le=80)
    retention: str | None = field("保管期限", "如「永久」「30年」；不填则在标签上留空，由支部填写", default=None)
    applicants: bool = field("发展党员档案", "为每名入党申请人列出发展党员流程已形成和下一步将形成的材料", default=False)
    honours: bool = field("荣誉材料", "列出本年度获得的荣誉", default=False)
    assessments: bool = field("考核结果", "列出本年度各考核期的考核结果", default=False)
    documents: list[BoxDocument] = field("卷内文件", "预先列入卷内目录的文件", default_factory=list)
    blank_rows: int = field("空白行", "卷内目录末尾至少留出的空白行数", default=10, ge=0, le=100)

    @property
    def title(self) -> str:
        return f"{self.name}资料盒"


class BoxesConfig(Model):
    """The five boxes of a branch and the sizes of their labels."""

    spine_width_mm: float = field(
        "盒脊宽度（毫米）", "盒脊标签的宽度，与资料盒厚度一致；常见 20、30、40、50、60", default=40, ge=15, le=80)
    spine_height_mm: float = field("盒脊标签高度（毫米）", "盒脊标签的高度（A4 纸上最高 265）", default=250, ge=120, le=265)
    cover_width_mm: float = field("盒面标签宽度（毫米）", "贴在资料盒正面的标签宽度", default=170, ge=80, le=190)
    cover_height_mm: float = field("盒面标签高度（毫米）", "贴在资料盒正面的标签高度", default=240, ge=80, le=265)
    boxes: list[FilingBox] = field("资料盒", "五个资料盒，按盒号顺序", min_length=1, max_length=len(BOXES))

    @model_validator(mode="after")
    def _distinct_boxes(self) -> BoxesConfig:
        names = [box.name for box in self.boxes]
        repeated = sorted({name for name in names if names.count(name) > 1}, key=BOXES.index)
        if repeated:
            raise ValueError(f"资料盒「{'、'.join(repeated)}」重复")
        return self

    @classmethod
    def default(cls) -> BoxesConfig:
        """Five boxes with blank inventories, for a project without ``content/boxes.yml``."""
        return cls(boxes=[FilingBox(name=name, contents=f"{name}方面的资料") for name in BOXES])

    def width_of(self, box: FilingBox) -> float:
        return box.spine_width_mm or self.spine_width_mm
