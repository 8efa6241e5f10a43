"""Turn pydantic validation errors into located Chinese `Problem`s.

pydantic reports where (a tuple path into the data) and what (an error type);
we find the field's Chinese title by walking the model along that path, and the
line and column through the YAML document's marks or a table cell's location.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from generator.errors import Location, Problem
from generator.models.common import PATTERN_HINTS

Locator = Callable[[tuple, bool], Location]  # (data path, point at the key rather than the value)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as `list[Member] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _walk(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel] | None, FieldInfo | None, str | None]:
    """The model holding the last named field of `loc`, that field, and its key."""
    current: type[BaseModel] | None = model
    info = key = None
    holder = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        if part not in current.model_fields:
            return current, None, str(part)
        holder, key, info = current, part, current.model_fields[part]
        current = _model_in(info.annotation)
    return holder, info, key


def _label(info: FieldInfo | None, key: str | None) -> str:
    if info is not None and info.title:
        return f"「{info.title}」（{key}）"
    return f"「{key}」" if key else "该值"


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "一组数据" if isinstance(value, dict) else "一个列表"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _number(value: Any) -> str:
    """A bound from pydantic's context as users write it: 0, not 0.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


# How alike a wrong word must be to a right one before we suggest it (difflib's ratio).
LIKELY = 0.6
# Ids are short and many look alike (shuiwu, zhuwu): suggest one only when it is very close.
LIKELY_ID = 0.8


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = LIKELY) -> str | None:
    """The one choice the user most likely meant by `word`, or None when none is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def suggestion(word: str, choices: Iterable[str], cutoff: float = LIKELY) -> str:
    """The tail of a message that names the choice the user most likely meant, or "" when none is close."""
    close = did_you_mean(word, choices, cutoff)
    return f"，是否指「{close}」？" if close else ""


def _suggestion(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    names = list(model.model_fields)
    by_title = {info.title: name for name, info in model.model_fields.items() if info.title}
    if key in by_title:
        name = by_title[key]
        return f"，是否指「{name}」（{key}）？"
    close = did_you_mean(key, names)
    if close:
        return f"，是否指「{close}」（{model.model_fields[close].title}）？"
    return f"；可用字段：{', '.join(names)}"


def _literal_options(info: FieldInfo | None, ctx: dict) -> str:
    """「a」「b」… from the field's Literal annotation (pydantic's own text is English)."""
    def literals(annotation: Any) -> list[Any]:
        if typing.get_origin(annotation) is typing.Literal:
            return list(typing.get_args(annotation))
        return [value for arg in typing.get_args(annotation) for value in literals(arg)]

    options = literals(info.annotation) if info is not None else []
    if not options:  # pydantic's own list, "'a', 'b' or 'c'": only the quoted values
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or ["规定的值"]
    return "".join(f"「{option}」" for option in options)


def _within(loc: tuple, key: str | None) -> str:
    """Where inside the field the error is: 「的第 2 项」, 「中「一线」的值」, 「中的键「其他」」."""
    named = max((i for i, part in enumerate(loc) if part == key), default=len(loc) - 1)
    words = ""
    trailing = loc[named + 1:]
    for index, part in enumerate(trailing):
        if isinstance(part, int):
            words += f"的第 {part + 1} 项"
        elif index + 1 < len(trailing) and trailing[index + 1] == "[key]":
            return words + f"中的键「{part}」"
        elif part != "[key]":
            words += f"中「{part}」的值"
    return words


_NUMBER_KINDS = {"int_type": "整数", "int_parsing": "整数", "int_from_float": "整数", "float_type": "数字",
                 "float_parsing": "数字", "decimal_type": "数字", "decimal_parsing": "数字", "complex_type": "数字",
                 "complex_str_parsing": "数字", "fraction_type": "数字", "fraction_parsing": "数字"}
_DATE_KINDS = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
               "datetime_type", "datetime_parsing", "datetime_object_invalid", "datetime_from_date_parsing"}
_LIST_KINDS = {"list_type", "tuple_type", "set_type", "frozen_set_type", "deque_type", "iterable_type",
               "named_tuple_type"}
_MAPPING_KINDS = {"model_type", "model_attributes_type", "dict_type", "mapping_type", "frozen_dict_type",
                  "ordered_dict_type", "counter_type", "dataclass_type", "dataclass_exact_type"}
_BOUNDS = {"greater_than_equal": ("不应小于", "ge"), "greater_than": ("应大于", "gt"),
           "less_than_equal": ("不应大于", "le"), "less_than": ("应小于", "lt")}
# Types our models cannot produce from YAML or tables get a plain statement of what was expected.
_EXPECTED = {"time_type": "时间（如 09:30）", "time_parsing": "时间（如 09:30）", "time_delta_type": "时长",
             "time_delta_parsing": "时长", "url_type": "网址", "url_parsing": "网址", "url_syntax_violation": "网址",
             "url_scheme": "网址", "uuid_type": "UUID", "uuid_parsing": "UUID", "bytes_type": "文字",
             "string_unicode": "文字", "string_sub_type": "文字", "none_required": "空值（不填）",
             "enum": "规定的值之一", "is_instance_of": "规定的类型", "callable_type": "规定的类型"}


def describe(model: type[BaseModel], error: ErrorDetails) -> tuple[str, str]:
    """(code, Chinese message) for one pydantic error dict; pydantic's English `msg` is never shown."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx") or {}
    holder, info, key = _walk(model, loc)
    label = _label(info, key) + _within(loc, key)
    found = f"实际为「{_shown(error.get('input'))}」"
    if kind == "missing":
        return "field.missing", f"缺少必填字段{label}"
    if kind == "extra_forbidden":
        return "field.unknown", f"未知字段「{key}」{_suggestion(holder, str(key))}"
    if kind in _DATE_KINDS:
        return "value.bad-date", f"{label}应为有效日期（如 2026-03-15），{found}"
    if kind in _NUMBER_KINDS:
        return "value.not-number", f"{label}应为{_NUMBER_KINDS[kind]}，{found}"
    if kind == "finite_number":
        return "value.not-number", f"{label}应为有限的数字，不能是无穷大或非数，{found}"
    if kind == "int_parsing_size":
        return "value.out-of-range", f"{label}的数字太大，{found}"
    if kind == "string_type":
        value = error.get("input")
        if isinstance(value, (int, float, bool, dt.date)):  # YAML read 2026, 1.0, true or 2026-03-15 as no text
            return "value.not-text", f"{label}应为文字，{found}（YAML 把它读成了数字、日期或 true/false，请给它加上引号）"
        return "value.not-text", f"{label}应为文字，{found}"
    if kind in ("bool_parsing", "bool_type"):
        return "value.not-bool", f"{label}应为 true 或 false，{found}"
    if kind in _LIST_KINDS:
        return "value.not-list", f"{label}应为列表（每项以「- 」开头），{found}"
    if kind in _MAPPING_KINDS:
        return "value.not-mapping", f"{label}应为「键: 值」形式的一组数据，{found}"
    if kind == "literal_error":
        return "value.not-allowed", f"{label}应为{_literal_options(info, ctx)}之一，{found}"
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(str(ctx.get("pattern")), "格式不正确")
        return "value.bad-format", f"{label}{hint}，{found}"
    if kind == "string_not_ascii":
        return "value.bad-format", f"{label}只能包含英文字母、数字和半角符号，{found}"
    if kind in ("string_too_short", "string_too_long"):
        short = kind == "string_too_short"
        bound = ctx.get("min_length") if short else ctx.get("max_length")
        length = len(str(error.get("input", "")))
        return "value.bad-length", f"{label}{'至少' if short else '最多'}应有 {bound} 个字符，{found}（{length} 个字符）"
    if kind in ("too_short", "too_long"):
        short = kind == "too_short"
        bound = ctx.get("min_length") if short else ctx.get("max_length")
        actual = ctx.get("actual_length")
        counted = f"实际有 {actual} 项" if isinstance(actual, int) else found
        return "value.bad-length", f"{label}{'至少' if short else '最多'}应有 {bound} 项，{counted}"
    if kind in _BOUNDS:
        word, name = _BOUNDS[kind]
        return "value.out-of-range", f"{label}{word} {_number(ctx.get(name))}，{found}"
    if kind == "multiple_of":
        return "value.out-of-range", f"{label}应为 {_number(ctx.get('multiple_of'))} 的整数倍，{found}"
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", ""))
        if not _has_chinese(reason):
            return "value.invalid", f"{label}的值不符合要求，{found}"
        model_level = not loc or isinstance(loc[-1], int)
        return "value.invalid", reason if model_level else f"{label}：{reason}"
    if kind in ("recursion_loop", "recursion_depth_exceeded"):
        return "value.invalid", f"{label}嵌套过深或引用了自身"
    if kind in ("invalid_key", "set_item_not_hashable"):
        return "value.invalid", f"{label}中的键应为文字"
    if kind in _EXPECTED:
        return "value.invalid", f"{label}应为{_EXPECTED[kind]}，{found}"
    return "value.invalid", f"{label}的值不符合要求，{found}"


def problems_from(error: ValidationError, model: type[BaseModel], locate: Locator) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        code, message = describe(model, item)
        loc = tuple(item["loc"])
        if loc and loc[-1] == "[key]":  # a dict key that is not allowed: point at the key itself
            problems.append(Problem(locate(loc[:-1], True), code, message))
            continue
        problems.append(Problem(locate(loc, item["type"] == "extra_forbidden"), code, message))
    return problems


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_as(model: type[ModelT], data: Any, locate: Locator,
                context: dict[str, Any] | None = None) -> tuple[ModelT | None, list[Problem]]:
    """Validate `data` as `model` (validators see `context`); on failure return None and every problem, located."""
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as error:
        return None, problems_from(error, model, locate)

