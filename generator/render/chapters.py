"""Turn a text with the few organization variables into the organization's words, inside a Jinja sandbox.

Chapters (``content/chapters/*.md``) and the text values of the YAML content
files (`generator.validate.wording`) are written by users, so their Jinja runs
in an `ImmutableSandboxedEnvironment`: no attribute or method whose name starts
with an underscore, no mutation of lists and dicts, and none of Jinja's default
globals (``range``, ``cycler``, ``lipsum`` …), no other templates (``include``,
``import``, ``extends`` find nothing). A text sees exactly the variables of
`TEXT_VARIABLES` (each under its Chinese name and its English alias), and an
undefined one is an error (`StrictUndefined`, also for any attribute of it).
`generator.validate.chapters` renders every chapter once during validation with
the same values, so a mistake is a located problem from `check` and the build
never meets it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import DictLoader, StrictUndefined, Template, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.models import Organization

# In the site and in print the chapters speak of 「本支部」: one text serves every branch.
GENERIC_BRANCH_NAME = "本支部"


@dataclass(frozen=True)
class TextVariable:
    """A variable of chapters and YAML texts: written `{{ 上级党组织简称 }}` (or by its alias `{{ organization_short_name }}`)."""

    name: str        # the Chinese name a secretary reads and writes
    alias: str       # the English name, accepted as well
    meaning: str     # shown on the data-format page and in the message for an undefined variable
    example: str     # what it gives for an organization such as 中共青石镇委员会
    stand_in: str    # its value while content/organization.yml itself has mistakes


# Every variable a text may use. The organization's are its fields in content/organization.yml.
TEXT_VARIABLES: tuple[TextVariable, ...] = (
    TextVariable("上级党组织", "organization_name", "党组织全称，即 content/organization.yml 的 name",
                 "中共青石镇委员会", "党组织全称"),
    TextVariable("上级党组织简称", "organization_short_name", "党组织简称，即 content/organization.yml 的 short_name",
                 "青石镇党委", "党组织简称"),
    TextVariable("组织类别", "organization_kind", "党组织的类别，即 content/organization.yml 的 kind",
                 "党委", "党委"),
    TextVariable("本支部", "branch_name", "支部的称呼，网站和手册中均为「本支部」", "本支部", GENERIC_BRANCH_NAME),
)
# Every accepted name (Chinese names and English aliases) with what it holds.
CHAPTER_VARIABLES: dict[str, str] = {name: variable.meaning for variable in TEXT_VARIABLES
                                     for name in (variable.name, variable.alias)}

# Filters a chapter may use: text formatting only, none that can pad or repeat text to any size.
SAFE_FILTERS = ("capitalize", "default", "d", "first", "join", "last", "length", "lower", "replace",
                "string", "title", "trim", "upper")
# The largest text or list `*` may make, and the largest exponent of `**`, so a chapter cannot exhaust memory.
MAX_REPEATED_LENGTH = 10_000
MAX_EXPONENT = 64

# The file name Jinja gives chapter code, so a render error's line can be found in its traceback.
TEMPLATE_FILENAME = "<chapter>"


class ChapterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, where looking into an undefined name reports the name (not the blocked attribute)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"乘方的指数不能超过 {MAX_EXPONENT}")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) \
                        and len(sized) * count > MAX_REPEATED_LENGTH:
                    raise SecurityError(f"重复生成的文字或列表不能超过 {MAX_REPEATED_LENGTH} 个")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()
        return super().getitem(obj, argument)


@lru_cache(maxsize=1)
def chapter_environment() -> ChapterSandbox:
    """The one sandbox chapters render in (Jinja's defaults otherwise, as Markdown needs no escaping)."""
    env = ChapterSandbox(undefined=StrictUndefined, loader=DictLoader({}))
    env.globals.clear()
    env.filters = {name: env.filters[name] for name in SAFE_FILTERS}
    return env


def compile_chapter(body: str) -> Template:
    """The chapter body as a sandboxed template; raises `TemplateSyntaxError` for a syntax mistake."""
    env = chapter_environment()
    code = env.compile(body, filename=TEMPLATE_FILENAME)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def chapter_variables(organization: Organization | None, branch_name: str = GENERIC_BRANCH_NAME) -> dict[str, str]:
    """The value of every name in `CHAPTER_VARIABLES`; without a (valid) organization, stand-ins."""
    values = {"organization_name": organization.name, "organization_short_name": organization.short_name,
              "organization_kind": organization.kind} if organization else {}
    values["branch_name"] = branch_name
    return {name: values.get(variable.alias, variable.stand_in) for variable in TEXT_VARIABLES
            for name in (variable.name, variable.alias)}


def render_with(body: str, variables: Mapping[str, str]) -> str:
    return compile_chapter(body).render(**variables)


def render_chapter_body(body: str, branch_name: str, organization: Organization) -> str:
    """A chapter's Markdown with its variables filled in (already checked by validation)."""
    return render_with(body, chapter_variables(organization, branch_name))


def variables_help() -> str:
    """The allowed variables for a message: 「上级党组织（又作 organization_name；党组织全称，…）、…」."""
    return "、".join(f"{variable.name}（又作 {variable.alias}；{variable.meaning}）" for variable in TEXT_VARIABLES)
