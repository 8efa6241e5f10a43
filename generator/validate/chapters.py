"""Turn each chapter's Jinja into located problems by rendering it once in the chapter sandbox.

The render uses the same sandbox and the same values as the build
(`generator.render.chapters`), so a chapter that passes here renders there. A
syntax mistake, an undefined variable, a blocked attribute (the sandbox's
`SecurityError`) or any other error the chapter's code raises is reported at
its line in the chapter file: the body's line plus where the body starts,
after the front matter. `template_problem` words the same mistakes for the
text values of the YAML content files (`generator.validate.wording`).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from generator.errors import Location, Problem
from generator.load.project import ChapterSource
from generator.models import Organization
from generator.render.chapters import (CHAPTER_VARIABLES, SAFE_FILTERS, TEMPLATE_FILENAME, chapter_variables,
                                       render_with, variables_help)
from generator.validate.messages import did_you_mean

_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_UNSAFE_ATTRIBUTE = re.compile(r"^access to attribute '([^']+)' of")


def _location(source: ChapterSource, body_line: int | None) -> Location:
    return Location(source.path, source.body_first_line + (body_line or 1) - 1)


def _failing_line(error: BaseException) -> int | None:
    """The text's line of the innermost template frame in the error's traceback."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == TEMPLATE_FILENAME]
    return lines[-1] if lines else None


def _undefined_detail(error: UndefinedError) -> str:
    match = _UNDEFINED_NAME.match(str(error))
    if not match:
        return f"使用了不存在的值（{error}）"
    close = did_you_mean(match[1], CHAPTER_VARIABLES, cutoff=0.5)
    return f"变量「{match[1]}」未定义" + (f"（是否指「{close}」？）" if close else "")


def template_problem(error: Exception, locate: Callable[[int | None], Location], what: str, prefix: str) -> Problem:
    """The problem for a text's Jinja that failed to compile or render (`locate` turns its line into a location).

    `what` names the text in the message (「章节」, 「文字」), `prefix` starts the code (`chapter`, `wording`).
    """
    if isinstance(error, TemplateSyntaxError):
        return Problem(locate(error.lineno), f"{prefix}.template", f"模板语法错误：{syntax_detail(error)}")
    at = locate(_failing_line(error))
    where = f"{what}中"
    if isinstance(error, UndefinedError):
        return Problem(at, f"{prefix}.undefined", f"{where}{_undefined_detail(error)}；{where}可用的变量有：{variables_help()}")
    if isinstance(error, SecurityError):
        match = _UNSAFE_ATTRIBUTE.match(str(error))
        chinese = re.search(r"[\u4e00-\u9fff]", str(error))
        used = f"「{match[1]}」" if match else (f"这一写法（{error}）" if chinese else "这一写法")
        return Problem(at, f"{prefix}.unsafe",
                       f"{where}不允许使用{used}：内部属性、以下划线开头的名字和修改数据的方法都不可用；"
                       f"{where}可用的变量有：{variables_help()}")
    if isinstance(error, TemplateNotFound):
        return Problem(at, f"{prefix}.include",
                       f"{where}不能引用其他模板（include、import、extends），请把要引用的内容直接写出来")
    return Problem(at, f"{prefix}.render",
                   f"{what}模板中的计算无法完成（如除以零或对文字做算术），请检查这一行的 {{{{ }}}} 表达式")


_JINJA_SYNTAX = (
    (re.compile(r"No filter named '([^']*)'"), "不能使用过滤器「{0}」；可用的过滤器有：" + "、".join(SAFE_FILTERS)),
    (re.compile(r"No test named '([^']*)'"), "不能使用判断「{0}」"),
    (re.compile(r"Encountered unknown tag '([^']*)'"), "未知的标签「{0}」"),
    (re.compile(r"unexpected end of template", re.IGNORECASE), "模板意外结束，可能缺少 {{% end… %}} 或右括号"),
    (re.compile(r"unexpected '([^']*)'"), "此处不应出现「{0}」"),
    (re.compile(r"expected token '([^']*)', got '([^']*)'"), "此处应为「{0}」，实际为「{1}」"),
)


def syntax_detail(error: TemplateSyntaxError) -> str:
    """Jinja's English syntax message in Chinese (a generic hint where no pattern matches)."""
    for pattern, chinese in _JINJA_SYNTAX:
        match = pattern.search(error.message or "")
        if match:
            return chinese.format(*match.groups())
    return "请检查 {{ }} 和 {% %} 是否成对、括号和引号是否配对"


def chapter_problems(source: ChapterSource, organization: Organization | None) -> list[Problem]:
    """The chapter's template mistakes (none when it renders in the sandbox)."""
    try:
        render_with(source.body, chapter_variables(organization))
    except Exception as error:  # a syntax mistake, or the chapter's own code raised it: reported at its line
        return [template_problem(error, lambda line: _location(source, line), "章节", "chapter")]
    return []
