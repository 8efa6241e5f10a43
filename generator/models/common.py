"""Shared building blocks of the data models: the strict base, privacy-classified fields, vocabularies.

Every field carries a Chinese `title` (what users call it; used in error
messages and the data-format reference) and a `description`. Personal fields
also carry a privacy class (brief §5.3):

* ``never``    — rendered nowhere, not even in PDFs (ID number, phone, home address, exact birth date);
* ``internal`` — printed only in the branch's PDFs for filing (roster names, individual data);
* ``public``   — may appear on the public site (aggregates, committee, honours …).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Privacy = Literal["never", "internal", "public"]

BRANCH_TYPES = ("农村", "城市社区", "党政机关", "事业单位", "学校", "国有企业", "非公有制企业", "社会组织", "离退休", "其他")
BranchType = Literal["农村", "城市社区", "党政机关", "事业单位", "学校", "国有企业", "非公有制企业", "社会组织", "离退休", "其他"]

BOXES = ("日常工作", "组织发展", "计划报告", "上级文件", "其他材料")
Box = Literal["日常工作", "组织发展", "计划报告", "上级文件", "其他材料"]

COMMITTEE_ROLES = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "保密委员", "委员")
CommitteeRole = Literal["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "保密委员", "委员"]

EDUCATION_LEVELS = ("初中及以下", "高中/中专", "大专", "本科", "研究生")
Education = Literal["初中及以下", "高中/中专", "大专", "本科", "研究生"]

Gender = Literal["男", "女"]

# A branch id becomes a file name and a URL: plain lower-case ASCII only.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
PHONE_PATTERN = r"^[0-9\-()（） 转]{7,24}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# What each pattern means, for error messages.
PATTERN_HINTS = {
    ID_PATTERN: "只能由小写英文字母、数字和连字符组成 (不超过 40 个字符), 因为它用作文件名和网址",
    PHONE_PATTERN: "应为电话号码, 只能包含数字、连字符、括号、空格和「转」",
    EMAIL_PATTERN: "应为电子邮箱地址, 如 zzb@example.cn",
}


_DATE_FORMS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_chinese_date(value: Any) -> Any:
    """Accept the date forms Chinese spreadsheets produce: 2026/3/5, 2026.3.5, 2026年3月5日.

    Anything else is passed on unchanged for pydantic to accept or reject.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        match = _DATE_FORMS.match(value.strip())
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value
    return value


Date = Annotated[dt.date, BeforeValidator(parse_chinese_date)]


def chinese_date(value: Any) -> str:
    """2026年3月5日, the form used in running text, tables and forms; other values as text."""
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def field(title: str, description: str, *, privacy: Privacy = "public", **kwargs: Any) -> Any:
    """A pydantic Field with the Chinese title, description and privacy class."""
    return Field(title=title, description=description,
                 json_schema_extra={"privacy": privacy}, **kwargs)


class Model(BaseModel):
    """Strict base: unknown keys are errors, strings are trimmed, values are immutable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def privacy_of(model: type[BaseModel], name: str) -> Privacy:
    extra = model.model_fields[name].json_schema_extra
    return extra.get("privacy", "public") if isinstance(extra, dict) else "public"
