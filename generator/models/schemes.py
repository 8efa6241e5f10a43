"""Describe the assessment schemes users write in ``content/schemes/*.yml``, with typed rules per kind.

Every number of the source documents' schemes (docs/domain.md, Assessment
schemes) is a default here, so a scheme file may leave `rules` out and still
get the source's rules. Score boundaries are written the way the sources
write them — 「70以上」「低于40」「不满60」 — and read with the
scheme's `boundary` convention: by default 「以上」「以下」「以内」 include the
number (民法典第一千二百五十九条), 「低于」「不满」「超过」 do not. Each results page
prints the reading in force.

`Scheme` is the common part; `scheme_model(kind)` gives the model with the
rules of one kind (TieredScheme, RedFlagScheme, PointsScheme, GradingScheme,
FiveStepScheme), all subclasses of `Scheme`. A validated project holds
`AnyScheme`s: code that needs a kind's rules tests `scheme.kind`, which the type
checker reads as the choice of subclass. `SchemeDocument` is the file format
before the kind is known (the reference page documents it).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, field_validator, model_validator

from generator.models.common import ID_PATTERN, AssessmentLine, BranchType, Date, Model, field, free_file_name

SchemeKind = Literal["tiered", "red_flag", "points", "grading", "five_step"]
SCHEME_KINDS: tuple[SchemeKind, ...] = typing.get_args(SchemeKind)
SANCTION_WORDS = ("警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍")

# --- thresholds written in the sources' own words ------------------------------------

# word → (direction, includes the number: True / False / None = by the scheme's boundary convention)
THRESHOLD_WORDS: dict[str, tuple[str, bool | None]] = {
    "以上": ("above", None), "及以上": ("above", True), "不低于": ("above", True),
    "超过": ("above", False), "高于": ("above", False),
    "以下": ("below", None), "以内": ("below", None), "及以下": ("below", True),
    "不高于": ("below", True), "不超过": ("below", True),
    "低于": ("below", False), "不满": ("below", False), "不足": ("below", False),
}
_PREFIXES = "|".join(sorted((w for w in THRESHOLD_WORDS if w[0] in "不低超高"), key=len, reverse=True))
_SUFFIXES = "|".join(sorted((w for w in THRESHOLD_WORDS if w[0] in "及以"), key=len, reverse=True))
_THRESHOLD = re.compile(rf"^(?P<prefix>{_PREFIXES})?\s*(?P<value>\d+(?:\.\d+)?)\s*分?\s*(?P<suffix>{_SUFFIXES})?$")


@dataclass(frozen=True)
class ThresholdParts:
    text: str
    word: str
    direction: str  # "above" or "below"
    value: float
    fixed: bool | None  # whether the number itself is included, when the word itself says so


def parse_threshold(text: str) -> ThresholdParts:
    """「70以上」→ above 70 (inclusion by convention); 「低于40」→ below 40, excluding 40."""
    match = _THRESHOLD.match(str(text).strip())
    if match is None or bool(match["prefix"]) == bool(match["suffix"]):
        raise ValueError(f"「{text}」不是分数界限；应写作「70以上」「80以下」「低于40」「不满60」「超过85」等")
    word = match["prefix"] or match["suffix"]
    direction, fixed = THRESHOLD_WORDS[word]
    return ThresholdParts(str(text).strip(), word, direction, float(match["value"]), fixed)


def _valid_threshold(text: str) -> str:
    parse_threshold(text)
    return text


def _text_of_number(value: Any) -> Any:
    return f"{value:g}以上" if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# A number alone (70) reads as 「70以上」.
Threshold = Annotated[str, BeforeValidator(_text_of_number), AfterValidator(_valid_threshold)]


class Boundary(Model):
    """How 「以上」「以下」 are read; the other words carry their own reading."""

    above_includes: bool = field("「以上」含本数", "「70以上」是否包括 70 本身", default=True)
    below_includes: bool = field("「以下」「以内」含本数", "「85以下」是否包括 85 本身", default=True)
    basis: str = field("依据", "边界读法的依据，显示在结果页上",
                       default="民法典第一千二百五十九条：「以上」「以下」「以内」「届满」包括本数；"
                               "「不满」「超过」「以外」不包括本数")

    def includes(self, parts: ThresholdParts) -> bool:
        if parts.fixed is not None:
            return parts.fixed
        return self.above_includes if parts.direction == "above" else self.below_includes

    def operator(self, text: str) -> str:
        """The mathematical reading of a threshold: 「70以上」→「≥ 70」."""
        parts = parse_threshold(text)
        symbol = {("above", True): "≥", ("above", False): ">", ("below", True): "≤", ("below", False): "<"}
        return f"{symbol[(parts.direction, self.includes(parts))]} {parts.value:g}"


# --- the common part of every scheme --------------------------------------------------

class SchemeItem(Model):
    id: str = field("指标编号", "在分数表中作为列名使用，如「K01」", pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$")
    name: str = field("指标名称", "考核指标名称")
    tier: str | None = field("级别", "如重点项、基础项、创新项、自主项", default=None)
    max_points: float | None = field("满分", "该指标的满分；不计分的指标不填", default=None, ge=0)
    measures: str | None = field("措施", "工作措施", default=None)
    standard: str | None = field("标准", "考核标准", default=None)
    department: str | None = field("考核部门", "牵头考核部门", default=None)


class Participants(Model):
    """Which branches a scheme covers, and whether each of them needs a row in every score table.

    A branch founded after a period's end never needs a row for that period. With
    `required: false` a participating branch may have no row in a period: it then
    has no result for that period (and, for 台阶考核, the period breaks its streak
    unless the rules' `gap_breaks` is false).
    """

    types: list[BranchType] = field("支部类别", "参加考核的支部类别；类别和支部都不填表示全部支部", default_factory=list)
    branches: list[str] = field("支部", "另外参加考核的支部编号", default_factory=list)
    exclude: list[str] = field(
        "不参加的支部", "不参加本方案考核的支部编号（即使属于上面的类别），如新建、尚未纳入考核的支部；"
                     "分数表中不需要有它们的行", default_factory=list)
    required: bool = field(
        "每期必须有分数", "true（默认）：每张分数表都应有每个参加支部的分数（成立日期在考核期结束之后的支部除外）；"
                       "false：参加的支部某一期可以没有分数，这一期就没有它的考核结果", default=True)

    @model_validator(mode="after")
    def _not_both_in_and_out(self) -> Participants:
        both = [branch_id for branch_id in self.branches if branch_id in self.exclude]
        if both:
            raise ValueError(f"支部「{'」「'.join(both)}」既列在「支部」（branches）中，又列在「不参加的支部」（exclude）中；"
                             "请只保留一处")
        return self


def _string_keys(value: Any) -> Any:
    # YAML reads the key 2026 as a number; a period is always text.
    return {str(key): item for key, item in value.items()} if isinstance(value, dict) else value


class NoticeSettings(Model):
    """How a scheme's results are published as 公示 notices (docs/domain.md, 公示 and working days)."""

    working_days: int = field("公示期（工作日）", "公示期的工作日数", default=5, ge=1, le=30)
    start: Literal["次日", "当日"] = field(
        "起算方式", "次日：从发布的次日起算（民法典第二百零一条）；当日：发布当天计为第 1 天", default="次日")
    issuer: str | None = field("发布机关", "落款的发布机关；不填则为组织全称", default=None)
    basis: str | None = field("公示依据", "公示正文开头的依据；不填则按方案依据生成", default=None)
    published: Annotated[dict[str, Date], BeforeValidator(_string_keys)] = field(
        "发布日期", "考核期 → 公示发布日期，如「2026Q3: 2026-09-30」；只为列出的考核期发布公示", default_factory=dict)


class Scheme(Model):
    id: str = field("方案编号", "唯一编号，也是 scores/ 下分数表所在文件夹的名称", pattern=ID_PATTERN)
    name: str = field("方案名称", "如「清单管理、台阶考核」")
    kind: SchemeKind = field(
        "方案类型", "tiered 台阶考核，red_flag 流动红旗，points 党员积分，grading ABCD 评级，five_step 五步考评")
    period: Literal["quarter", "bimonth", "year"] = field("考核周期", "quarter 季度，bimonth 双月，year 年度")
    basis: str | None = field("依据", "方案出处", default=None)
    subject: Literal["branch", "member"] = field(
        "考核对象", "branch 支部（分数表每行一个支部），member 党员（每行一名党员或入党积极分子）", default="branch")
    participants: Participants = field("参加支部", "参加考核的支部；不填为全部支部", default_factory=Participants)
    items: list[SchemeItem] = field("指标", "考核指标；计分指标的编号即分数表列名", default_factory=list)
    boundary: Boundary = field("边界读法", "「以上」「以下」是否包括本数", default_factory=Boundary)
    notice: NoticeSettings | None = field("公示", "结果公示的设置；不填则不发布公示", default=None)

    @field_validator("id")
    @classmethod
    def _id_is_free(cls, value: str) -> str:
        return free_file_name(value, {})

    @model_validator(mode="after")
    def _has_items(self) -> Scheme:
        if self.kind != "grading" and not self.items:
            raise ValueError("考核方案应至少有一个指标（items）")
        if self.subject == "member" and self.notice is not None:
            raise ValueError("党员个人积分只在支部内部公示，不在网站上发布公示；请删除「公示」（notice）")
        return self

    def scored_items(self) -> list[SchemeItem]:
        return [item for item in self.items if item.max_points is not None]


class SchemeDocument(Scheme):
    """A scheme file whose `kind` is missing or unknown: validated only to report its other mistakes too."""

    rules: dict[str, Any] = field("规则参数", "按方案类型不同，见各类型的规则", default_factory=dict)


# --- 清单管理、台阶考核 (docs/domain.md, 台阶考核) -----------------------------------------

class Tier(Model):
    name: str = field("台阶名称", "如「第一台阶」")
    when: Threshold = field("总分条件", "达到该台阶的总分，如「70以上」；总分同时满足几个台阶时取最高的")
    coefficient: float = field("系数", "书记收入考核系数", ge=0, le=2)


class TieredPenalty(Model):
    total: Threshold = field("总分条件", "总分满足即降档", default="低于70")
    key: Threshold = field("重点项条件", "重点项得分满足即降档（两个条件满足任一即可）", default="低于40")
    coefficient: float = field("降档系数", "降档后的考核系数", default=0.7, ge=0, le=2)
    action: str = field("处理", "降档后的要求", default="书记在政工例会上作自我反思检查")


class TieredEscalation(Model):
    total: Threshold = field("总分条件", "季度总分满足即为不合格", default="低于60")
    key: Threshold = field("重点项条件", "重点项得分满足即为不合格（两个条件满足任一即可）", default="低于35")
    levels: list[str] = field("处理等级", "连续第 1、2、3 个季度不合格时提示的处理等级",
                              default_factory=lambda: ["诫勉谈话", "免职", "撤职"], min_length=1)
    gap_breaks: bool = field("缺期中断", "某一期没有该支部的分数时，连续次数是否从头计算", default=True)
    note: str = field("说明", "显示在结果页上的说明",
                      default="只提示处理等级，由党组织按程序研究决定，不自动处理；"
                              "「重点工作出现重大失误、造成较大负面影响」另行认定")


class TieredExposure(Model):
    """面子挂钩: the last place, or a total below the minimum standard score."""

    last_place: bool = field("末位", "排名末位的支部是否适用", default=True)
    total: Threshold = field("最低标准分", "总分满足即适用；原文未给出数值，取第一台阶下限", default="低于70")
    action: str = field("处理", "适用后的要求", default="书记在政工例会上反思检查，全区通报")


def _default_tiers() -> list[Tier]:
    return [Tier(name="第一台阶", when="70以上", coefficient=0.8),
            Tier(name="第二台阶", when="80以上", coefficient=0.9),
            Tier(name="第三台阶", when="90以上", coefficient=1.0)]


class TieredRules(Model):
    scored_tiers: list[str] = field("计分级别", "计入总分的指标级别；自主项不计分",
                                    default_factory=lambda: ["重点项", "基础项", "创新项"], min_length=1)
    key_tier: str = field("重点项级别", "「重点项得分」指哪一级指标的合计", default="重点项")
    tiers: list[Tier] = field("台阶", "各台阶的总分条件和系数", default_factory=_default_tiers, min_length=1)
    below_tiers: str = field("未达台阶名称", "总分不满足任何台阶时显示的名称", default="未达台阶")
    penalty: TieredPenalty = field("降档", "总分或重点项过低时的降档", default_factory=TieredPenalty)
    escalation: TieredEscalation = field("问责升级", "连续不合格的处理等级", default_factory=TieredEscalation)
    exposure: TieredExposure = field("面子挂钩", "末位或低于最低标准分时的要求", default_factory=TieredExposure)
    withheld: dict[AssessmentLine, float] = field(
        "预留金额", "季度末月从书记工资中预留的金额（元），按支部的考核类别；返还金额 = 预留金额 × 系数（推定）",
        default_factory=lambda: {"一线": 3000, "二线": 2000, "地面": 1000})


# --- 流动红旗 (docs/domain.md, 流动红旗) -----------------------------------------------------

class PrizeBand(Model):
    name: str = field("档次名称", "如「全额」「减半」")
    when: Threshold = field("得分条件", "本支部得分满足时适用，如「95以上」；满足几档时取最高的")
    ratio: float = field("比例", "奖金乘以的比例", ge=0, le=1)


class RedFlagSanction(Model):
    last_place: bool = field("末位", "只对排名末位的支部适用", default=True)
    total: Threshold = field("得分条件", "原文「85分以下」，与奖励档一致取「低于85」", default="低于85")
    levels: list[str] = field("处理等级", "第 1 次、第 2 次、第 3 次及以上的处理",
                              default_factory=lambda: ["表态发言", "取消年终参评资格", "纪工委问责"], min_length=1)
    window: Literal["year", "all"] = field("计数范围", "year 按自然年累计次数，all 全部考核期累计", default="year")


class RedFlagRules(Model):
    prizes: list[float] = field("名次奖金", "第 1、2、3 名的奖金（元）；并列的支部各得该名次的奖金",
                                default_factory=lambda: [600, 500, 400])
    bands: list[PrizeBand] = field(
        "奖金档次", "按本支部得分确定的奖金比例；不满足任何一档的不奖励。原文「85以下不奖励」与「85—95」对 85 分有冲突，默认 85 分减半",
        default_factory=lambda: [PrizeBand(name="全额", when="95以上", ratio=1.0),
                                 PrizeBand(name="减半", when="85以上", ratio=0.5)])
    flags: int = field("授旗名次", "名次在此之内的支部授予流动红旗（原文另有「前两位」的说法）", default=1, ge=0, le=10)
    sanction: RedFlagSanction = field("惩戒", "末位且得分过低时按次数处理", default_factory=RedFlagSanction)
    year_end: str = field("年终", "年终奖惩说明", default="年终按各期得分综合评价表彰优秀支部；全年未获旗的，"
                                                       "取消支部书记当年绩效补贴并限期整改")


# --- 党员积分制 (docs/domain.md, 党员积分) -----------------------------------------------------

class ByStatus(Model):
    """A consequence that depends on the person's status."""

    activist: str | None = field("入党积极分子", "对入党积极分子（含发展对象）", default=None)
    probationary: str | None = field("预备党员", "对预备党员", default=None)
    full: str | None = field("正式党员", "对正式党员", default=None)

    @model_validator(mode="after")
    def _sanctions_only_proposed(self) -> ByStatus:
        for text in (self.activist, self.probationary, self.full):
            if text and any(word in text for word in SANCTION_WORDS) and "提请" not in text:
                raise ValueError(f"「{text}」：党纪处分须经支部大会讨论、上级党委批准，只能写作「提请按程序处理」")
        return self


class PointsBand(Model):
    name: str = field("档次名称", "如「三级表彰」「一级惩戒」")
    when: Threshold = field("得分条件", "最终积分满足时适用，如「90以上」「低于60」")
    consequences: ByStatus = field("措施", "按人员身份的措施")


def _default_rewards() -> list[PointsBand]:
    return [PointsBand(name="一级表彰", when="80以上", consequences=ByStatus(
                full="在全体党员大会上表扬，事迹载入党员荣誉册", probationary="在支部大会上表扬",
                activist="在支部大会上表扬")),
            PointsBand(name="二级表彰", when="90以上", consequences=ByStatus(
                full="授予「优秀共产党员」称号，事迹载入党员荣誉册", probationary="优先转正，事迹记入发展档案",
                activist="优先发展，事迹记入发展档案")),
            PointsBand(name="三级表彰", when="95以上", consequences=ByStatus(
                full="事迹上报上级党委，优先推荐上级「优秀党员」"))]


def _default_penalties() -> list[PointsBand]:
    criticism = "在支部大会上公开批评，记入考核档案"
    return [PointsBand(name="一级惩戒", when="低于70", consequences=ByStatus(
                full=criticism, probationary=criticism, activist=criticism)),
            PointsBand(name="二级惩戒", when="低于60", consequences=ByStatus(
                full=criticism, probationary="延期转正；" + criticism, activist="延期发展；" + criticism)),
            PointsBand(name="三级惩戒", when="低于50", consequences=ByStatus(
                full="提请按程序处理（警告或留党察看须经支部大会讨论、上级党委批准）",
                probationary="延期转正，或提请按程序不予转正", activist="延期发展"))]


class PriorityRule(Model):
    """Top share of the branch's annual points gets priority (docs/domain.md, 党员积分)."""

    share: float = field("比例", "前多少比例优先", default=0.2, gt=0, le=1)
    minimum: int = field("最少人数", "按比例取整后不足时至少的人数", default=1, ge=0)
    rounding: Literal["floor", "round", "ceil"] = field("取整", "floor 向下取整，round 四舍五入，ceil 向上取整",
                                                        default="floor")
    label: str = field("用途", "优先的事项", default="优先评先选优、外出学习对标和优秀人才培养")


class PointsRules(Model):
    weights: dict[str, float] = field(
        "权重", "指标级别 → 权重；每级先折算为百分制再加权。默认日常积分 70%、民主评议 30%",
        default_factory=lambda: {"日常积分": 0.7, "民主评议": 0.3})
    rewards: list[PointsBand] = field("表彰", "达到多档时取最高一档，并享有以下各档的措施（累加）",
                                      default_factory=_default_rewards)
    penalties: list[PointsBand] = field("惩戒", "满足多档时取最重的一档", default_factory=_default_penalties)
    priority: PriorityRule = field("优先", "前 20% 优先（向下取整，至少 1 人，并列的一并计入）",
                                   default_factory=PriorityRule)

    @model_validator(mode="after")
    def _weights_add_up(self) -> PointsRules:
        if abs(sum(self.weights.values()) - 1) > 1e-9:
            raise ValueError(f"各级权重之和应为 1，实际为 {sum(self.weights.values()):g}")
        return self


# --- ABCD 创优评级 (docs/domain.md, ABCD 创优评级) --------------------------------------------

class Grade(Model):
    grade: str = field("等级", "如「A」")
    label: str = field("等级名称", "如「优」")
    when: Threshold | None = field("得分条件", "如「90以上」；最后一个等级不填，表示其余", default=None)
    action: str | None = field("要求", "如 D 级「限期整改」", default=None)


class GradingRules(Model):
    source: str = field("来源方案", "按哪个方案的结果评级（方案编号）", default="tiered")
    measure: Literal["average", "latest"] = field(
        "取值", "average 该年度各期总分的平均，latest 该年度最后一期的总分", default="average")
    grades: list[Grade] = field(
        "等级", "从高到低；原文没有分数线，默认值（A 90以上，B 80以上，C 60以上，D 其余）不是原文",
        default_factory=lambda: [Grade(grade="A", label="优", when="90以上"), Grade(grade="B", label="良", when="80以上"),
                                 Grade(grade="C", label="一般", when="60以上"),
                                 Grade(grade="D", label="差", action="限期整改，动态管理")], min_length=2)

    @model_validator(mode="after")
    def _last_is_the_rest(self) -> GradingRules:
        if self.grades[-1].when is not None or any(grade.when is None for grade in self.grades[:-1]):
            raise ValueError("只有最后一个等级不填得分条件（表示其余）")
        return self


# --- 五步考评 (docs/domain.md, 五步考评) ---------------------------------------------------

class EvaluationStep(Model):
    name: str = field("环节", "如「目标考核」")
    weight: float = field("权重", "该环节在综合得分中的权重；不单独计分的环节填 0", ge=0, le=1)
    sheets: dict[str, float] = field("评分表", "指标编号（评分表）→ 环节内权重，各项之和为 1", default_factory=dict)
    note: str | None = field("说明", "显示在结果页上", default=None)


def _default_steps() -> list[EvaluationStep]:
    return [EvaluationStep(name="目标考核", weight=0.4, sheets={"ZC": 0.2, "KH": 0.8}),
            EvaluationStep(name="专项述职", weight=0.0, note="述职报告在述职评议环节用述职评分表评分"),
            EvaluationStep(name="民主测评", weight=0.15, sheets={"CP": 1.0}),
            EvaluationStep(name="民意调查", weight=0.15, sheets={"DC": 1.0}),
            EvaluationStep(name="述职评议", weight=0.3, sheets={"SZ": 1.0})]


class FiveStepRules(Model):
    steps: list[EvaluationStep] = field(
        "环节", "五个环节及权重；原文只说目标考核和述职评议权重较大，默认权重不是原文", default_factory=_default_steps,
        min_length=1)

    @model_validator(mode="after")
    def _weights_add_up(self) -> FiveStepRules:
        if abs(sum(step.weight for step in self.steps) - 1) > 1e-9:
            raise ValueError(f"各环节权重之和应为 1，实际为 {sum(step.weight for step in self.steps):g}")
        for step in self.steps:
            if step.sheets and abs(sum(step.sheets.values()) - 1) > 1e-9:
                raise ValueError(f"环节「{step.name}」各评分表权重之和应为 1")
            if step.weight > 0 and not step.sheets:
                raise ValueError(f"环节「{step.name}」有权重，应填写评分表（sheets）")
        return self


# --- one model per kind ------------------------------------------------------------------

class TieredScheme(Scheme):
    kind: Literal["tiered"] = field("方案类型", "tiered 台阶考核")
    subject: Literal["branch"] = field("考核对象", "branch 支部（分数表每行一个支部）", default="branch")
    rules: TieredRules = field("规则参数", "台阶考核的规则", default_factory=TieredRules)


class RedFlagScheme(Scheme):
    kind: Literal["red_flag"] = field("方案类型", "red_flag 流动红旗")
    subject: Literal["branch"] = field("考核对象", "branch 支部（分数表每行一个支部）", default="branch")
    rules: RedFlagRules = field("规则参数", "流动红旗的规则", default_factory=RedFlagRules)


class PointsScheme(Scheme):
    kind: Literal["points"] = field("方案类型", "points 党员积分")
    subject: Literal["member"] = field("考核对象", "member 党员（分数表每行一名党员或入党积极分子）", default="member")
    rules: PointsRules = field("规则参数", "党员积分的规则", default_factory=PointsRules)


class GradingScheme(Scheme):
    kind: Literal["grading"] = field("方案类型", "grading ABCD 创优评级")
    subject: Literal["branch"] = field("考核对象", "branch 支部（分数表每行一个支部）", default="branch")
    rules: GradingRules = field("规则参数", "创优评级的规则", default_factory=GradingRules)


class FiveStepScheme(Scheme):
    kind: Literal["five_step"] = field("方案类型", "five_step 五步考评")
    subject: Literal["branch"] = field("考核对象", "branch 支部（分数表每行一个支部）", default="branch")
    rules: FiveStepRules = field("规则参数", "五步考评的规则", default_factory=FiveStepRules)


AnyScheme = TieredScheme | RedFlagScheme | PointsScheme | GradingScheme | FiveStepScheme
KIND_SCHEMES = (TieredScheme, RedFlagScheme, PointsScheme, GradingScheme, FiveStepScheme)
SCHEME_MODELS: dict[str, type[AnyScheme]] = {
    "tiered": TieredScheme, "red_flag": RedFlagScheme, "points": PointsScheme,
    "grading": GradingScheme, "five_step": FiveStepScheme,
}


def scheme_model(data: Any) -> type[AnyScheme] | type[SchemeDocument]:
    """The model to validate a scheme document with: by its `kind`, or `SchemeDocument` if that is wrong."""
    kind = data.get("kind") if isinstance(data, dict) else None
    return SCHEME_MODELS.get(kind, SchemeDocument) if isinstance(kind, str) else SchemeDocument
