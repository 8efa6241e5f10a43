"""Describe a branch (党支部) profile as users write it in ``branches/<id>.yml``.

The fields cover the 七上机 items (组织网络图, 队伍基本情况, 制度, 目标, 承诺,
荣誉录, 工作动态; docs/domain.md, 六有、七上机) plus what the handbook and the
later schemes need.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator

from generator.models.common import (
    EMAIL_PATTERN, ID_PATTERN, PHONE_PATTERN, AssessmentLine, BranchType, CommitteeRole, Date, Education, Gender,
    Model, field, free_file_name,
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def phone_text(value: object) -> object:
    """A phone number that YAML or Excel turned into a number: a mobile number is taken back as text.

    An 11-digit number starting with 1 cannot have lost anything. Any other
    number may have lost a leading 0 (0571…) or been read by YAML as octal
    (a number with a leading 0 and no digit above 7), so it is refused.
    """
    if isinstance(value, int) and not isinstance(value, bool) and re.fullmatch(r"1\d{10}", str(value)):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("电话号码被读成了数字，开头的 0 可能已经丢失；YAML 中请给号码加引号（如 \"0571-86001234\"），"
                         "Excel 中请把这一列设为「文本」格式后重新录入")
    return value


def not_after_as_of(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    """A date of something that has happened: not after the organization's 统计截止日期 (given as context)."""
    as_of = (info.context or {}).get("as_of")
    if value is not None and as_of is not None and value > as_of:
        raise ValueError(f"{value.isoformat()} 晚于统计截止日期 {as_of.isoformat()}（content/organization.yml 中的 as_of）；"
                         "请核对这个日期")
    return value


def id_number_is_valid(value: str) -> bool:
    """The 18-character 公民身份号码 with its ISO 7064 check character."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


class Contact(Model):
    """The organization's own office contact — never a member's personal one."""

    phone: str = field("办公电话", "党组织办公电话（不得填写个人手机）", pattern=PHONE_PATTERN)
    email: str | None = field("电子邮箱", "党组织公务邮箱", default=None, pattern=EMAIL_PATTERN)
    address: str | None = field("办公地址", "党组织办公或来信地址", default=None)
    contact_person: str | None = field("联系人", "对外联系人或职务，如「组织委员」", default=None)

    _phone_text = field_validator("phone", mode="before")(phone_text)


class CommitteeMember(Model):
    name: str = field("姓名", "支委成员姓名（须在党员名册中）")
    role: CommitteeRole = field("职务", "书记、副书记、组织委员、宣传委员、纪检委员、青年委员、统战委员、保密委员或委员")
    duties: str = field("分工", "具体分工，如「负责组织发展、党员管理和党费收缴」")


class Committee(Model):
    """支部委员会 (or, for a branch of fewer than 7 正式党员, only a 书记)."""

    term_start: Date = field("本届任期开始", "本届支委会选举产生的日期")
    term_end: Date = field("本届任期届满", "任期届满日期（村、社区一般 5 年，其他一般 3 年）")
    members: list[CommitteeMember] = field("支委成员", "书记、副书记和委员及其分工", min_length=1)

    @model_validator(mode="after")
    def _term_in_order(self) -> Committee:
        if self.term_end <= self.term_start:
            raise ValueError("任期届满日期应晚于任期开始日期")
        if not any(member.role == "书记" for member in self.members):
            raise ValueError("支委成员中应有一名「书记」")
        return self


class PartyGroup(Model):
    name: str = field("党小组名称", "如「第一党小组」")
    leader: str = field("党小组组长", "组长姓名（须在党员名册中）；与支委一样属于公开的组织职务，显示在组织网络图上")
    grid: str | None = field("网格", "党小组对应的网格或班组", default=None)


class Member(Model):
    """One row of the 党员花名册. Personal fields are classified by privacy."""

    name: str = field("姓名", "党员姓名", privacy="internal", min_length=2, max_length=20)
    gender: Gender = field("性别", "男或女", privacy="internal")
    birth_date: Date = field("出生日期", "仅用于计算年龄与年龄结构，任何输出中都不显示", privacy="never")
    ethnicity: str = field("民族", "如「汉族」「回族」", privacy="internal")
    education: Education = field("学历", "初中及以下、高中/中专、大专、本科或研究生", privacy="internal")
    joined_on: Date = field("入党日期", "支部大会通过接收为预备党员的日期", privacy="internal")
    full_member_on: Date | None = field("转正日期", "预备党员转为正式党员的日期；预备党员不填", default=None, privacy="internal")
    status: Literal["正式", "预备"] = field("党员类别", "正式或预备", privacy="internal")
    group: str | None = field("所在党小组", "党小组名称，须与「党小组」中的一致", default=None, privacy="internal")
    position: str | None = field("工作岗位", "单位、岗位或班级", default=None, privacy="internal")
    id_number: str | None = field("公民身份号码", "18 位身份证号；只用于核对，任何输出中都不显示", default=None, privacy="never")
    phone: str | None = field("联系电话", "个人电话；任何输出中都不显示", default=None, privacy="never")
    address: str | None = field("家庭住址", "任何输出中都不显示", default=None, privacy="never")

    _phone_text = field_validator("phone", mode="before")(phone_text)
    _happened = field_validator("birth_date", "joined_on", "full_member_on")(not_after_as_of)

    @field_validator("id_number", mode="before")
    @classmethod
    def _id_number_is_text(cls, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError("公民身份号码被 Excel 存成了数字，末几位可能已丢失；"
                             "请把该列设置为「文本」格式后重新录入")
        return value

    @field_validator("id_number")
    @classmethod
    def _id_number_checksum(cls, value: str | None) -> str | None:
        if value is not None and not id_number_is_valid(value.upper()):
            raise ValueError("公民身份号码应为 18 位且校验码正确")
        return value.upper() if value else value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Member:
        if self.joined_on <= self.birth_date:
            raise ValueError("入党日期应晚于出生日期")
        if self.status == "正式" and self.full_member_on is None:
            raise ValueError("正式党员应填写「转正日期」（full_member_on）")
        if self.status == "预备" and self.full_member_on is not None:
            raise ValueError("预备党员不应填写「转正日期」；转正后请把党员类别改为「正式」")
        if self.full_member_on is not None and self.full_member_on < self.joined_on:
            raise ValueError("转正日期不应早于入党日期")
        if self.id_number and self.id_number[6:14] != self.birth_date.strftime("%Y%m%d"):
            raise ValueError("公民身份号码中的出生日期与「出生日期」不一致")
        if self.id_number and ("男" if int(self.id_number[16]) % 2 else "女") != self.gender:
            raise ValueError("公民身份号码中的性别码与「性别」不一致")
        return self


PIPELINE_STAGES = ("入党申请人", "入党积极分子", "发展对象", "预备党员")


# The dated milestones of an applicant, in the order the 28 steps reach them; each
# is checked against the latest earlier one that is filled in. The ones that
# cannot be skipped name the milestone they need.
_MILESTONES = ("applied_on", "talked_on", "activist_on", "candidate_on", "pre_reviewed_on", "admitted_on",
               "approved_on", "full_applied_on", "full_meeting_on", "full_approved_on")
_NEEDS = {"candidate_on": "activist_on", "pre_reviewed_on": "candidate_on", "admitted_on": "candidate_on",
          "approved_on": "admitted_on", "full_applied_on": "admitted_on", "full_meeting_on": "admitted_on",
          "full_approved_on": "full_meeting_on", "probation_extended_to": "admitted_on"}


class Applicant(Model):
    """A person in the 发展党员 pipeline, with the dates of the steps reached so far.

    The stage follows from the latest date recorded on or before a day
    (``generator.compute.recruitment.stage_on``); 预备党员 also appear in the
    roster once admitted, so here they are those admitted this year or last.
    Dates out of order, or a later step without the step it needs, are input
    errors located at the later date; time rules (谈话 within a month, 1 year of
    培养考察 …) are checked by ``generator.compute.recruitment`` and only flagged.
    """

    name: str = field("姓名", "申请人姓名", privacy="internal")
    gender: Gender = field("性别", "男或女", privacy="internal")
    birth_date: Date = field("出生日期", "仅用于核对年满 18 周岁，任何输出中都不显示", privacy="never")
    education: Education | None = field("学历", "学历层次", default=None, privacy="internal")
    applied_on: Date = field("递交申请日期", "递交入党申请书的日期（第1步）", privacy="internal")
    talked_on: Date | None = field("谈话日期", "党组织派人谈话的日期（第2步，应在收到申请后 1 个月内）", default=None, privacy="internal")
    activist_on: Date | None = field("确定积极分子日期", "支委会确定为入党积极分子的日期（第3步）", default=None, privacy="internal")
    candidate_on: Date | None = field(
        "确定发展对象日期", "支委会确定为发展对象的日期（第7步，应在确定积极分子 1 年以后）", default=None, privacy="internal")
    pre_reviewed_on: Date | None = field("上级党委预审日期", "上级党委预审发展对象的日期（第13步）", default=None, privacy="internal")
    admitted_on: Date | None = field(
        "接收预备党员日期", "支部大会讨论通过接收为预备党员的日期（第15步），预备期从这天算起", default=None, privacy="internal")
    approved_on: Date | None = field(
        "党委审批日期", "上级党委审批接收预备党员的日期（第17步，应在支部大会后 3 个月内）", default=None, privacy="internal")
    full_applied_on: Date | None = field("转正申请日期", "预备党员提出转正申请的日期（第22步）", default=None, privacy="internal")
    full_meeting_on: Date | None = field(
        "转正讨论日期", "支部大会讨论转正的日期（第23步，不得早于预备期满）", default=None, privacy="internal")
    full_approved_on: Date | None = field(
        "转正审批日期", "上级党委审批转正的日期（第24步，应在支部大会讨论后 3 个月内）", default=None, privacy="internal")
    probation_extended_to: Date | None = field(
        "延长预备期至", "上级党委决定延长预备期的，延长后的预备期满日（延长半年至 1 年，只能延长一次）", default=None, privacy="internal")
    contacts: list[str] = field("培养联系人", "1–2 名正式党员的姓名", default_factory=list, max_length=2, privacy="internal")

    _born = field_validator("birth_date")(not_after_as_of)

    @field_validator("applied_on")
    @classmethod
    def _of_age(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        born = info.data.get("birth_date")
        if born is not None and (value.year - born.year, value.month, value.day) < (18, born.month, born.day):
            raise ValueError("递交入党申请书时应年满 18 周岁")
        return value

    @field_validator(*_MILESTONES[1:], "probation_extended_to")
    @classmethod
    def _after_earlier_steps(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is None:
            return value
        titles, name = cls.model_fields, info.field_name or ""    # a field validator always has its field's name
        needed = _NEEDS.get(name)
        if needed and info.data.get(needed) is None and needed in titles and needed not in _failed(info):
            raise ValueError(f"应先填写「{titles[needed].title}」（{needed}）")
        order = _MILESTONES if name in _MILESTONES else (*_MILESTONES[:6], name)
        earlier = [step for step in order[:order.index(name)] if info.data.get(step) is not None]
        if earlier and value < info.data[earlier[-1]]:
            raise ValueError(f"不应早于「{titles[earlier[-1]].title}」（{info.data[earlier[-1]]}）")
        return value


def _failed(info: ValidationInfo) -> set[str]:
    """Fields before this one that failed their own validation (absent from `info.data`)."""
    names = list(Applicant.model_fields)
    return {name for name in names[:names.index(info.field_name or "")] if name not in info.data}


# The 六有 of an activity room (docs/domain.md, 六有、七上机 and the branch profile), in their usual order.
SixHave = Literal["有制度", "有台帐", "有学习材料", "有宣传园地", "有电教设备", "有专人管理"]
SIX_HAVES: tuple[SixHave, ...] = typing.get_args(SixHave)


class ActivityRoom(Model):
    """活动阵地 and its 六有 checklist."""

    name: str = field("名称", "如「党员之家」")
    location: str = field("位置", "活动室所在位置（单位地址，非个人住址）")
    area_m2: float | None = field("面积（平方米）", "活动室面积", default=None, gt=0)
    six_haves: list[SixHave] = field(
        "六有", "已具备的「六有」项目", default_factory=list)
    equipment: list[str] = field("设施设备", "如空调、书柜、投影仪、荣誉墙", default_factory=list)


class Goal(Model):
    year: int = field("年度", "目标所属年度", ge=2000, le=2100)
    title: str = field("目标", "年度目标或工作要点")
    measures: str | None = field("措施", "实现目标的主要措施", default=None)


class Commitment(Model):
    title: str = field("承诺事项", "支部或党员公开承诺的事项")
    detail: str | None = field("具体内容", "承诺的具体内容与时限", default=None)


class Honour(Model):
    year: int = field("年度", "获得荣誉的年度", ge=1949, le=2100)
    title: str = field("荣誉名称", "如「先进基层党组织」")
    awarded_by: str = field("授予单位", "授予荣誉的组织")
    recipient: str | None = field("获得者", "个人荣誉填写姓名（荣誉录公开），支部荣誉不填", default=None)


class NewsItem(Model):
    date: Date = field("日期", "动态发生的日期")
    title: str = field("标题", "工作动态标题")
    text: str | None = field("内容", "简要内容", default=None)


class Branch(Model):
    """One 党支部: its identity, leadership, members and 七上机 items."""

    id: str = field("支部编号", "唯一编号，小写字母、数字和连字符，用作文件名和网址，如「hongguang」", pattern=ID_PATTERN)
    name: str = field("党组织全称", "与印章一致，如「中共青石村支部委员会」")
    short_name: str = field("简称", "如「青石村党支部」")
    type: BranchType = field("单位类别", "农村、城市社区、党政机关、事业单位、学校、国有企业、非公有制企业、社会组织、离退休或其他")
    parent: str = field("上级党组织", "上级党组织全称")
    founded: Date = field("成立时间", "党组织成立（批准）日期")
    unit: str | None = field("所在单位", "党支部所在单位名称", default=None)
    assessment_line: AssessmentLine | None = field(
        "考核类别", "台阶考核中的书记类别（一线、二线、地面），决定季度预留金额", default=None)
    office: Contact = field("联系方式", "党组织的办公电话、邮箱和地址（公示反映渠道使用）")
    committee: Committee = field("支部委员会", "本届任期和支委成员分工")
    groups: list[PartyGroup] = field("党小组", "党小组划分及组长", default_factory=list)
    members: list[Member] = field("党员名册", "直接写在本文件中的党员名册", default_factory=list, privacy="internal")
    members_file: str | None = field(
        "党员名册文件", "与本文件同目录的 CSV 或 XLSX 名册文件名，表头可用中文字段名", default=None, privacy="internal")
    applicants: list[Applicant] = field("发展党员", "入党申请人、积极分子、发展对象和预备党员", default_factory=list, privacy="internal")
    activity_room: ActivityRoom | None = field("活动阵地", "党员活动室及「六有」情况", default=None)
    rules: list[str] = field("制度建设", "本支部执行的制度名称", default_factory=list)
    goals: list[Goal] = field("目标", "年度目标", default_factory=list)
    commitments: list[Commitment] = field("承诺", "支部公开承诺", default_factory=list)
    honours: list[Honour] = field("荣誉录", "支部和党员获得的荣誉", default_factory=list)
    news: list[NewsItem] = field("工作动态", "近期工作动态", default_factory=list)

    _founded = field_validator("founded")(not_after_as_of)

    @field_validator("id")
    @classmethod
    def _id_is_free(cls, value: str) -> str:
        return free_file_name(value, {"index": "branches/index.html 是支部名录页，编号为 index 的支部页面会覆盖它"})
