"""Shared building blocks of the data models: the strict base, privacy-classified fields, vocabularies.

Every field carries a Chinese `title` (what users call it; used in error
messages and the data-format reference) and a `description`. Personal fields
also carry a privacy class (docs/domain.md, Privacy classes):

* ``never``    — rendered nowhere, not even in PDFs (ID number, phone, home address, exact birth date);
* ``internal`` — printed only in the branch's PDFs for filing (roster names, individual data);
* ``public``   — may appear on the public site (aggregates, committee, honours …).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
import re
import sys
import types
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator


Privacy = Literal["never", "internal", "public"]
# Who reads an output (generator.outputs): the public site, or the internal print sets.
Audience = Literal["public", "internal"]
# The one table of which privacy classes each audience may see; `never` is for no one.
VISIBLE_TO: dict[Audience, frozenset[Privacy]] = {"public": frozenset({"public"}),
                                                  "internal": frozenset({"public", "internal"})}

# Each vocabulary is written once, as a Literal (what pydantic checks); its tuple (for listing the
# values in order) is derived from it.
BranchType = Literal["农村", "城市社区", "党政机关", "事业单位", "学校", "国有企业", "非公有制企业", "社会组织", "离退休", "其他"]
BRANCH_TYPES: tuple[BranchType, ...] = typing.get_args(BranchType)

Box = Literal["日常工作", "组织发展", "计划报告", "上级文件", "其他材料"]
BOXES: tuple[Box, ...] = typing.get_args(Box)

CommitteeRole = Literal["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "保密委员", "委员"]

Education = Literal["初中及以下", "高中/中专", "大专", "本科", "研究生"]
EDUCATION_LEVELS: tuple[Education, ...] = typing.get_args(Education)

# A secretary's line in the 台阶考核 (docs/domain.md, 台阶考核): it sets the pay withheld each quarter.
AssessmentLine = Literal["一线", "二线", "地面"]

Gender = Literal["男", "女"]
GENDERS: tuple[Gender, ...] = typing.get_args(Gender)

# A branch id becomes a file name and a URL: plain lower-case ASCII only.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
PHONE_PATTERN = r"^[0-9\-()（） 转]{7,24}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# Device names Windows reserves in every folder: a site copied to Windows cannot hold con.html or nul/.
WINDOWS_RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                                    *(f"lpt{n}" for n in range(1, 10))})


def free_file_name(value: str, taken: dict[str, str]) -> str:
    """`value` as an id that names generated files; `taken` maps the ids the site itself uses to why."""
    if value in taken:
        raise ValueError(f"「{value}」已被占用：{taken[value]}；请换一个编号")
    if value in WINDOWS_RESERVED_NAMES:
        raise ValueError(f"「{value}」是 Windows 的保留设备名，不能用作文件名（网站复制到 Windows 电脑后，"
                         f"{value}.html 无法打开）；请换一个编号")
    return value


# What each pattern means, for error messages.
PATTERN_HINTS = {
    ID_PATTERN: "只能由小写英文字母、数字和连字符组成（不超过 40 个字符），因为它用作文件名和网址",
    PHONE_PATTERN: "应为电话号码，只能包含数字、连字符、括号、空格和「转」",
    EMAIL_PATTERN: "应为电子邮箱地址，如 zzb@example.cn",
}


_DATE_FORMS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)  # Excel's serial 1 is 1900-01-01 (with its phantom 1900-02-29, from 61 on exact)


def _date_from_number_hint(value: Any) -> str:
    """Why a number is not taken as a date, with the reading the user probably meant."""
    text = f"{value:g}" if isinstance(value, float) else str(value).strip()
    digits = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if digits:
        try:
            day = dt.date(*(int(part) for part in digits.groups()))
        except ValueError:
            day = None
        if day is not None:
            return f"应写作 {day.isoformat()}（年-月-日，用「-」分隔），实际为「{text}」"
    number = float(text)
    if 61 <= number <= 73415 and number.is_integer():  # 1900-03-01 … 2100-12-31
        day = _EXCEL_DAY_ZERO + dt.timedelta(days=int(number))
        return (f"「{text}」像是 Excel 的日期序列号（即 {day.isoformat()}）：请在 Excel 中把这一列设为「日期」格式，"
                f"或直接写作 {day.isoformat()}")
    return f"应为有效日期（如 2026-03-15），实际为「{text}」"


def parse_chinese_date(value: Any) -> Any:
    """Accept the date forms Chinese spreadsheets produce: 2026/3/5, 2026.3.5, 2026年3月5日.

    A number is refused with a hint rather than read the way pydantic would (as
    seconds since 1970): a date typed as 19860903, or an Excel date serial such
    as 45000 that lost its date format on the way to CSV. XLSX rosters turn
    serials of date cells into dates before validation (see validate.project).
    Anything else is passed on unchanged for pydantic to accept or reject.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        raise ValueError(_date_from_number_hint(value))
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        raise ValueError(_date_from_number_hint(value))
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


def field(title: str, description: str, *, privacy: Privacy = "public", **kwargs: Any) -> Any:
    """A pydantic Field with the Chinese title, description and privacy class."""
    return Field(title=title, description=description,
                 json_schema_extra={"privacy": privacy}, **kwargs)


def _is_number(annotation: Any) -> bool:
    return annotation in (int, float)


@functools.cache
def _number_shape(annotation: object) -> str | None:
    """'scalar' for int / float (or optional), 'items' for a list of them, 'values' for a dict of them."""
    if _is_number(annotation):
        return "scalar"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        return "scalar" if rest and all(_is_number(arg) for arg in rest) else None
    if origin in (list, tuple, set, frozenset) and args and _is_number(args[0]):
        return "items"
    if origin is dict and len(args) == 2 and _is_number(args[1]):
        return "values"
    return None


def _truth_word(value: bool) -> str:
    return "true" if value else "false"


def _no_truth_values_as_numbers(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """Refuse true/false where the field's annotation (as pydantic resolved it) asks for numbers."""
    info_field = cls.model_fields.get(info.field_name or "")
    annotation: object = info_field.annotation if info_field else None
    shape = _number_shape(annotation)
    if shape == "scalar":
        items = [value]
    elif shape == "items" and isinstance(value, list):
        items = value
    elif shape == "values" and isinstance(value, dict):
        items = list(value.values())
    else:
        return value
    for item in items:
        if isinstance(item, bool):
            raise ValueError(f"应为数字，实际为「{_truth_word(item)}」"
                             "（YAML 会把 yes、no、on、off 读作 true、false）")
    return value


def _maybe_number_fields(cls: type) -> set[str]:
    """The fields written in `cls`'s own body that may be number-shaped.

    Run before pydantic collects the fields, so the annotations (text, with
    postponed evaluation) are evaluated here the way `typing.get_type_hints`
    does, one at a time; one that cannot be evaluated yet (a name defined
    later, a class made inside a function) counts as a number field, and the
    validator decides from pydantic's annotation when it is called.
    """
    module = sys.modules.get(cls.__module__)
    global_names = dict(vars(module)) if module else {}
    found = set()
    for name, annotation in inspect.get_annotations(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, global_names, dict(vars(cls)))
            except Exception:
                found.add(name)
                continue
        if typing.get_origin(annotation) is Annotated:      # pydantic keeps the type without its outer Annotated
            annotation = typing.get_args(annotation)[0]
        if _number_shape(annotation) is not None:
            found.add(name)
    return found


class Model(BaseModel):
    """Strict base: unknown keys are errors, strings are trimmed, values are immutable.

    Numbers are numbers: true/false (which YAML also reads from yes/no, on/off)
    is not taken as 1/0, and NaN or infinity (YAML's .nan, .inf, or the words in
    a table) is no number at all.

    The true/false check is a before-validator of each subclass's number fields
    only (found when the subclass is made), not of every field: pydantic would
    otherwise call it for every field of every model read.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, allow_inf_nan=False)

    # The fields `_no_truth_values_as_numbers` is registered for: this class's and its bases'.
    _number_fields: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        inherited = (name for base in cls.__bases__ for name in getattr(base, "_number_fields", ()))
        cls._number_fields = frozenset({*inherited, *_maybe_number_fields(cls)})
        if cls._number_fields:
            validator = field_validator(*sorted(cls._number_fields), mode="before", check_fields=False)
            # In the class's own namespace, where pydantic collects validators from (mypy knows no such attribute).
            setattr(cls, "_no_truth_values_as_numbers", validator(classmethod(_no_truth_values_as_numbers)))  # noqa: B010  (see above)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        missed = []
        for name, info in cls.model_fields.items():
            annotation: object = info.annotation
            if _number_shape(annotation) is not None and name not in cls._number_fields:
                missed.append(name)
        if missed:
            raise TypeError(f"{cls.__qualname__}: number fields {missed} escaped the true/false check")


def privacy_of(model: type[BaseModel], name: str) -> Privacy:
    extra = model.model_fields[name].json_schema_extra
    # `field` writes the class, typed as a Privacy; pydantic keeps it as JSON.
    return typing.cast(Privacy, extra.get("privacy", "public")) if isinstance(extra, dict) else "public"
