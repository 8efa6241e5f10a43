"""Turn pydantic validation errors into located Chinese `Problem`s.

pydantic reports where (a tuple path into the data) and what (an error type);
we find the field's Chinese title by walking the model along that path, and the
line and column through the YAML document's marks or a table cell's location.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from typing import Any, Callable

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

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
        return f"「{info.title}」({key})"
    return f"「{key}」" if key else "该值"


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return "一组数据" if isinstance(value, dict) else "一个列表"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _suggestion(model: type[BaseModel] | None, key: str) -> str:
    if model is None:
        return ""
    names = list(model.model_fields)
    by_title = {info.title: name for name, info in model.model_fields.items() if info.title}
    if key in by_title:
        name = by_title[key]
        return f", 是否指「{name}」({key})?"
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f", 是否指「{close[0]}」({model.model_fields[close[0]].title})?"
    return f"; 可用字段: {', '.join(names)}"


def _literal_options(info: FieldInfo | None, ctx: dict) -> str:
    """「a」「b」… from the field's Literal annotation (pydantic's own text is English)."""
    def literals(annotation: Any) -> list[Any]:
        if typing.get_origin(annotation) is typing.Literal:
            return list(typing.get_args(annotation))
        return [value for arg in typing.get_args(annotation) for value in literals(arg)]

    options = literals(info.annotation) if info is not None else []
    if not options:
        return str(ctx.get("expected", "")).replace("'", "")
    return "".join(f"「{option}」" for option in options)


def describe(model: type[BaseModel], error: dict) -> tuple[str, str]:
    """(code, Chinese message) for one pydantic error dict."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx", {})
    holder, info, key = _walk(model, loc)
    label = _label(info, key)
    found = f"实际为「{_shown(error.get('input'))}」"
    if kind == "missing":
        return "field.missing", f"缺少必填字段{label}"
    if kind == "extra_forbidden":
        return "field.unknown", f"未知字段「{key}」{_suggestion(holder, str(key))}"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"):
        return "value.bad-date", f"{label}应为有效日期 (如 2026-03-15), {found}"
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return "value.not-number", f"{label}应为数字, {found}"
    if kind in ("string_type",):
        return "value.not-text", f"{label}应为文字, {found}"
    if kind in ("bool_parsing", "bool_type"):
        return "value.not-bool", f"{label}应为 true 或 false, {found}"
    if kind in ("list_type",):
        return "value.not-list", f"{label}应为列表 (每项以「- 」开头), {found}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "value.not-mapping", f"{label}应为「键: 值」形式的一组数据, {found}"
    if kind == "literal_error":
        return "value.not-allowed", f"{label}应为{_literal_options(info, ctx)}之一, {found}"
    if kind == "string_pattern_mismatch":
        hint = PATTERN_HINTS.get(str(ctx.get("pattern")), "格式不正确")
        return "value.bad-format", f"{label}{hint}, {found}"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "至少" if kind == "too_short" else "至多"
        return "value.bad-length", f"{label}{word}应有 {bound} 项 (或字符), {found}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": ("不应小于", "ge"), "greater_than": ("应大于", "gt"),
                 "less_than_equal": ("不应大于", "le"), "less_than": ("应小于", "lt")}[kind]
        return "value.out-of-range", f"{label}{words[0]} {ctx.get(words[1])}, {found}"
    if kind == "value_error":
        reason = str(ctx.get("error", error.get("msg", "")))
        model_level = not loc or isinstance(loc[-1], int)
        return "value.invalid", reason if model_level else f"{label}: {reason}"
    return "value.invalid", f"{label}不符合要求: {error.get('msg')}"


def problems_from(error: ValidationError, model: type[BaseModel], locate: Locator) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        code, message = describe(model, item)
        at_key = item["type"] == "extra_forbidden"
        problems.append(Problem(locate(tuple(item["loc"]), at_key), code, message))
    return problems


def validate_as(model: type[BaseModel], data: Any, locate: Locator) -> tuple[Any, list[Problem]]:
    """Validate `data` as `model`; on failure return None and every problem, located."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, problems_from(error, model, locate)

