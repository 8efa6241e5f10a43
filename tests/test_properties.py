"""Property-based tests: whatever a user puts into a branch file, a roster or a score table,
loading gives a project or located Chinese problems, never a traceback.

Every property writes one generated file into a small valid project (made once per test
from tests/fixtures/small, trimmed to the files the property needs) and calls
`pipeline.load_project`. The only accepted outcomes are a `Project` or `ProblemsFound`
whose every problem points at a file of the project, carries a code that is written
literally in the package's source, and a message with Chinese text.

The profile "ci" (the default) is deterministic; set BRANCHBOOK_HYPOTHESIS=explore
to search with fresh random examples, many more of them.
"""

from __future__ import annotations

import ast
import copy
import csv
import datetime as dt
import functools
import io
import math
import os
import re
import shutil
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pydantic import BaseModel

from generator import pipeline
from generator.compute.scoring import compute_results
from generator.errors import Location, Problem, ProblemsFound
from generator.models import branch as branch_models
from generator.models.branch import id_number_is_valid
from tests.support import REPO, SMALL, copy_small


def examples(name: str, values: list) -> Any:
    """Hypothesis `@example` for each value of the argument `name`."""
    def decorate(test):
        for value in reversed(values):
            test = example(**{name: value})(test)
        return test
    return decorate


settings.register_profile(
    "ci", max_examples=500, deadline=None, derandomize=True, database=None, print_blob=False,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
settings.register_profile("explore", parent=settings.get_profile("ci"), max_examples=5000,
                          derandomize=False, print_blob=True)
PROFILE = settings(settings.get_profile(os.environ.get("BRANCHBOOK_HYPOTHESIS", "ci")))

# A generated roster may well have a column that is no roster field, or names starting with 示例: the notes
# (warnings) for those are a right outcome, not an unexpected warning.
ROSTER_NOTES = pytest.mark.allow_warnings(r"\[roster\.(ignored-columns|example-rows)\]$")
EXAMPLE_SECONDS = 30  # far above any example's cost; turns a hang into a failing, shrinkable example
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CODE_SHAPE = re.compile(r"[a-z]+(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+")


# --- the outcome every property checks -------------------------------------------------------

class ExampleTooSlow(Exception):
    """One example ran longer than EXAMPLE_SECONDS."""


@contextmanager
def time_limit(seconds: float = EXAMPLE_SECONDS):
    def expired(signum, frame):
        raise ExampleTooSlow(f"loading took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def known_codes() -> frozenset[str]:
    """Every string literal in the package shaped like a problem code ("yaml.syntax", "scores.not-number")."""
    codes = set()
    for path in (REPO / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_SHAPE.fullmatch(node.value):
                codes.add(node.value)
    return frozenset(codes)


def _line_bound(path: Path) -> int:
    """One more than the number of lines of a text file, however it is encoded."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "latin-1"):
        try:
            return len(raw.decode(encoding).splitlines()) + 1
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes anything")


def assert_located(error: ProblemsFound, root: Path) -> None:
    assert error.problems, "ProblemsFound without any problem"
    line_bounds: dict[str, int | None] = {}
    for problem in error.problems:
        assert isinstance(problem, Problem), problem
        location = problem.location
        assert isinstance(location, Location), problem
        path = location.path
        if path not in line_bounds:
            assert isinstance(path, str) and path, problem
            assert not PurePosixPath(path).is_absolute() and "\\" not in path and ".." not in path.split("/"), problem
            assert (root / path).exists(), f"{problem}: no such file in the project"
            line_bounds[path] = _line_bound(root / path) if (root / path).is_file() else None
        for number in (location.line, location.col):
            assert number is None or (type(number) is int and number >= 1), problem
        if location.sheet is None and location.line is not None and line_bounds[path] is not None:
            assert location.line <= line_bounds[path], f"{problem}: past the end of the file"
        assert problem.code in known_codes(), f"{problem}: code is not a literal of the package"
        assert isinstance(problem.message, str) and CJK.search(problem.message), f"{problem}: no Chinese text"
    assert error.report()


def load_or_problems(root: Path):
    """The project, or None after checking that every problem is located; anything else propagates."""
    with time_limit():
        try:
            project = pipeline.load_project(root)
        except ProblemsFound as error:
            assert_located(error, root)
            codes = sorted({problem.code for problem in error.problems})
            note(f"problems: {codes}")
            event("problems", codes[0])
            return None
    event("project")
    return project


# --- projects: the small fixture, trimmed to what a property needs ---------------------------

def compact_branch(data: dict) -> dict:
    """The branch with only its 书记 on the committee and three 正式 members: enough for the cross-file checks."""
    secretary = next(person for person in data["committee"]["members"] if person["role"] == "书记")
    full = sorted((m for m in data["members"] if m["status"] == "正式"), key=lambda m: m["name"] != secretary["name"])
    kept = {key: data[key] for key in ("id", "name", "short_name", "type", "parent", "founded", "office")}
    members = [{key: value for key, value in member.items() if key != "group"} for member in full[:3]]
    return kept | {"committee": data["committee"] | {"members": [secretary]}, "members": members}


def compact_scheme(data: dict) -> dict:
    """The scheme without its explanatory texts, which only the handbook shows."""
    items = [{key: value for key, value in item.items() if key not in ("measures", "standard", "department")}
             for item in data["items"]]
    return {key: value for key, value in data.items() if key != "basis"} | {"items": items}


def small_project(target: Path, *, scores: bool, hongguang: bool, compact: bool = False) -> Path:
    """The small fixture without the files the property does not touch; `compact` shortens the big YAML files."""
    root = copy_small(target)
    for folder in ("content/chapters", "content/workflows", "theme"):
        shutil.rmtree(root / folder)
    for name in ("content/checklist.yml", "content/boxes.yml", "mkdocs.yml"):
        (root / name).unlink()
    if not scores:
        shutil.rmtree(root / "scores")
        shutil.rmtree(root / "content" / "schemes")
    if not hongguang:
        (root / "branches" / "hongguang.yml").unlink()
    if compact:
        for path, shorten in ((root / "branches" / "hongguang.yml", compact_branch),
                              (root / "content" / "schemes" / "tiered.yml", compact_scheme)):
            data = shorten(yaml.safe_load(path.read_text(encoding="utf-8")))
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert pipeline.load_project(root) is not None  # the starting point is valid
    return root


# --- values ------------------------------------------------------------------------------------

def _fields() -> tuple[list[str], list[str]]:
    """Field names and Chinese titles of every model in generator/models/branch.py."""
    names, titles = set(), set()
    for model in vars(branch_models).values():
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == branch_models.__name__:
            for name, info in model.model_fields.items():
                names.add(name)
                if info.title:
                    titles.add(info.title)
    return sorted(names), sorted(titles)


FIELD_NAMES, FIELD_TITLES = _fields()

ROSTER_PATH = SMALL / "branches" / "qingshan-members.csv"
ROSTER = list(csv.reader(io.StringIO(ROSTER_PATH.read_text(encoding="utf-8-sig"))))
ROSTER_HEADER, ROSTER_ROWS = ROSTER[0], ROSTER[1:]
BRANCH_DATA = {name: yaml.safe_load((SMALL / "branches" / f"{name}.yml").read_text(encoding="utf-8"))
               for name in ("hongguang", "qingshan")}

REAL_TEXT = sorted({*FIELD_NAMES, *FIELD_TITLES,
    "qingshan", "hongguang", "Qingshan", "qingshan ", "中共青山村支部委员会", "青山村党支部", "农村", "城市社区", "其他",
    "书记", "副书记", "委员", "组织委员", "主任", "正式", "预备", "男", "女", "汉族", "本科", "研究生", "大学",
    "高中/中专", "初中及以下", "第一党小组", "吴长青", "林晓燕", "石磊", "王建国", "qingshan-members.csv",
    "qingshan-members.xlsx", "qingshan.yml", "../content/organization.yml", "0571-86002222", "13800001111",
    "a@b.cn", "有制度", "有电教设备", "一线", "二线", "2026-03-15", "2026/3/5", "2026年3月5日", "2026-02-30",
    "2026-13-45", "1900-01-01", "330106197004120010", "33010619700412001X", "330106197004120011",
    "3.30106197004e+17", "１２３", "4.5", "9,5", "NaN", "-inf", "null", "~", "yes", "no", "", " ", "\u3000",
    "\u200b", "\ufeff", "'", '"', ",", "\n", "\r\n", "\t", "#", "- ", ": ", "{", "[", "&a", "*a", "!!str",
})

long_text = st.one_of(st.builds(lambda char, n: char * n, st.sampled_from(["长", "a", " "]), st.integers(200, 200_000)),
                      st.builds(lambda n: "x\n" * n, st.integers(2, 300)))
texts = st.one_of(st.sampled_from(REAL_TEXT), st.text(max_size=30), long_text)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), texts,
    st.dates(), st.datetimes(), st.binary(max_size=8), st.integers(-10, 10**30).map(str))
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(FIELD_TITLES), st.text(max_size=12),
                 st.integers(-3, 3), st.none(), st.booleans(), st.dates())


def shape(value: Any, memo: dict | None = None) -> tuple[int, int]:
    """(nodes, depth) of a value, shared parts counted each time they appear (what an alias expands to)."""
    memo = {} if memo is None else memo
    if id(value) not in memo:
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        shapes = [shape(child, memo) for child in children]
        memo[id(value)] = (1 + sum(n for n, _ in shapes), 1 + max((d for _, d in shapes), default=0))
    return memo[id(value)]


def _nested(value: Any, depth: int, as_list: bool) -> Any:
    for _ in range(depth):
        value = [value] if as_list else {"members": value}
    return value


def _containers(children):
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=5),
        # The same object twice: the dumper writes an anchor and aliases.
        st.builds(lambda value, n: [value] * n, st.one_of(st.lists(children, max_size=3),
                                                          st.dictionaries(keys, children, max_size=3)),
                  st.integers(2, 3)),
        st.builds(_nested, children, st.integers(1, 60), st.booleans()))


# Bounded so that the dumper (recursive) copes and an example stays fast; deeper nesting comes from raw text.
structures = st.recursive(scalars, _containers, max_leaves=25).filter(
    lambda value: shape(value)[0] <= 5000 and shape(value)[1] <= 200)


# --- property 1: a branch file of random YAML --------------------------------------------------

def dump(data: Any, flow: bool | None, unicode: bool, width: int, indent: int) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False,
                          width=width, indent=indent)


branch_like = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), keys), structures, max_size=12),
    st.builds(lambda base, overlay: {**base, **overlay}, st.sampled_from(list(BRANCH_DATA.values())),
              st.dictionaries(st.sampled_from(FIELD_NAMES), structures, max_size=3)),
    structures)
dumped = st.builds(dump, branch_like, st.sampled_from([None, True, False]), st.booleans(),
                   st.integers(20, 200), st.integers(2, 9))

YAML_TOKENS = [
    ": ", ":", "- ", "-", "[", "]", "{", "}", ",", "? ", "&a ", "*a", "&b ", "*b", "&", "*", "!", "!!str ",
    "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!map ", "!!seq ",
    "!!python/object:os.system ", "!local ", "|", "|-", "|+", ">", ">-", "#", " # ", "'", '"', "''", '""', "\t",
    "\n", "\r\n", "\r", " ", "  ", "    ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "--- ", "...\n", "<<: ",
    "<<: *a", "\ufeff", "\x85", "\u2028", "\u2029", "\x00", "\x07", "\x1b", "\x7f", "\ud7ff", "\ufffe", "\\",
    "\\x", "\\u12", "\\U0010FFFF", "~", "null", "yes", "No", "on", ".nan", ".inf", "-.inf", "0o17", "0x1F", "0b2",
    "1_000", "1:30:70", "2026-13-45", "2026-02-29", "2026-03-15 10:00:00", "1e400", "\u00a0",
    "\u3000", "：", "－ ", "id", "qingshan", "members", "name", "committee", "term_start", "书记",
]
RUN_PIECES = ["[", "{", "- ", "[a, ", "{a: ", "&x [", "- [", "a:\n  ", " ", "\n", "*a ", "!!str ", "9"]
runs = st.builds(lambda piece, n: piece * n, st.sampled_from(RUN_PIECES), st.integers(1, 3000))


def alias_layers(depth: int, width: int) -> str:
    """Anchors that each repeat the previous one `width` times (kept small: width ** depth ≤ 4096 leaves)."""
    lines = ["rules: &a0 [x, y]"]
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    lines.append(f"goals: *a{depth}")
    return "\n".join(lines) + "\n"


aliases = st.integers(2, 4).flatmap(
    lambda width: st.builds(alias_layers, st.integers(1, int(math.log(4096, width))), st.just(width)))
TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!!set", "!!omap", "!!pairs",
        "!!map", "!!seq", "!!merge", "!!value", "!!python/tuple", "!local", "!", "!<tag:yaml.org,2002:int>", "!!int:x"]
TAGGED = ["", "''", '""', "foo", "yes", "0", "-", "_", "0x", "+", "1.5", ".nan", "2026-02-30", "2026-03-15", "[]", "{}",
          "[a]", "{a: 1}", "==", "|\n  x"]
tagged_lines = st.builds(lambda key, tag, value: f"{key}: {tag} {value}\n",
                         st.sampled_from(FIELD_NAMES), st.sampled_from(TAGS), st.sampled_from(TAGGED))
raw_yaml = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=6), runs, tagged_lines),
                    max_size=40).map("".join)
BRANCH_TEXTS = [(SMALL / "branches" / f"{name}.yml").read_text(encoding="utf-8") for name in ("qingshan", "hongguang")]


def with_lines(text: str, inserts: list[tuple[int, str]]) -> str:
    """`text` with each line inserted before line number `position` (modulo the length)."""
    lines = text.splitlines(keepends=True)
    for position, line in inserts:
        lines.insert(position % (len(lines) + 1), line)
    return "".join(lines)


inserted_lines = st.one_of(
    tagged_lines, st.builds(lambda indent, line: " " * indent + line, st.integers(1, 6), tagged_lines),
    raw_yaml.map(lambda text: text + "\n"))
# A valid branch file with a few lines added: parsing goes on past them, so tags and aliases reach the constructors.
edited_branch = st.builds(with_lines, st.sampled_from(BRANCH_TEXTS),
                          st.lists(st.tuples(st.integers(0, 400), inserted_lines), min_size=1, max_size=3))
yaml_text = st.one_of(dumped, raw_yaml, aliases, edited_branch, edited_branch,
                      st.builds(lambda a, b: a + b, dumped, raw_yaml), st.builds(lambda a, b: a + b, raw_yaml, dumped))
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]


def file_bytes(content: tuple[str, str] | bytes) -> bytes:
    """Bytes as they are, or (text, encoding) encoded; examples keep the text so that a failing one is readable."""
    if isinstance(content, bytes):
        return content
    text, encoding = content
    return text.encode(encoding, errors="replace")


encoded_yaml = st.tuples(yaml_text, st.sampled_from(ENCODINGS))
branch_files = st.one_of(encoded_yaml, encoded_yaml, encoded_yaml, st.binary(max_size=200))


@pytest.fixture(scope="module")
def yaml_project(tmp_path_factory) -> Path:
    return small_project(tmp_path_factory.mktemp("yaml") / "org", scores=False, hongguang=False)


# Inputs that once gave a traceback: kept as explicit examples, tried before the generated ones.
YAML_REGRESSIONS = [
    b"activist_on: !!int \n", b"activist_on: !!float \n", b"activist_on: !!bool \n", b"name: !!bool foo\n",
    b"name: !!timestamp foo\n",
    b"name: \x01\n", b"a: " + b"[" * 1000 + b"\n", (BRANCH_TEXTS[0], "utf-16"),
]


@PROFILE
@given(content=branch_files)
@examples("content", YAML_REGRESSIONS)
def test_any_yaml_as_a_branch_file_gives_a_project_or_located_problems(yaml_project, content):
    (yaml_project / "branches" / "qingshan.yml").write_bytes(file_bytes(content))
    load_or_problems(yaml_project)


# --- property 1b: one value of a valid branch file replaced ------------------------------------

def data_paths(data: Any, at: tuple = ()) -> list[tuple]:
    paths = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            paths += data_paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += data_paths(value, (*at, index))
    return paths


def value_at(data: Any, path: tuple) -> Any:
    return functools.reduce(lambda value, key: value[key], path, data)


# Values that are right somewhere in the fixture: moved elsewhere they test cross-field checks.
LEAVES = sorted({repr(value): value for data in BRANCH_DATA.values() for path in data_paths(data)
                 if not isinstance(value := value_at(data, path), (dict, list))}.items())
fixture_values = st.sampled_from([value for _, value in LEAVES])
replacements = st.one_of(scalars, fixture_values, fixture_values,
                         st.lists(st.one_of(scalars, fixture_values), max_size=3),
                         st.dictionaries(keys, scalars, max_size=3), structures)


def mutate(data: Any, path: tuple, operation: str, value: Any) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return value
    parent = value_at(data, path[:-1])
    key = path[-1]
    if operation == "replace":
        parent[key] = value
    elif operation == "delete":
        del parent[key]
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif isinstance(parent, list):
        parent.insert(key, value)
    else:
        parent[f"{key}_x" if isinstance(key, str) else key] = value
    return data


@st.composite
def mutated_branch(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(BRANCH_DATA)))
    data = BRANCH_DATA[name]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        path = draw(st.sampled_from(data_paths(data)))
        operation = draw(st.sampled_from(["replace", "replace", "replace", "delete", "insert", "duplicate"]))
        data = mutate(data, path, operation, draw(replacements))
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def mutation_project(tmp_path_factory) -> Path:
    return small_project(tmp_path_factory.mktemp("mutation") / "org", scores=True, hongguang=True)


@PROFILE
@given(change=mutated_branch())
def test_a_changed_value_in_a_valid_branch_file_gives_a_project_or_located_problems(mutation_project, change):
    name, text = change
    target = mutation_project / "branches" / f"{name}.yml"
    original = target.read_bytes()
    target.write_text(text, encoding="utf-8")
    try:
        load_or_problems(mutation_project)
    finally:
        target.write_bytes(original)


# --- property 2: the roster table as CSV or XLSX -----------------------------------------------

SELDOM = st.sampled_from([0, 0, 0, 1, 2])  # how many changes of a rarer kind an example makes
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%m/%d/%Y", "%d.%m.%Y",
                "%Y-%m-%d %H:%M:%S", " %Y - %m - %d ", "%Y-%m", "%Y年%m月", "%Y", "%Y-%m-%dT%H:%M"]
date_text = st.one_of(
    st.builds(lambda day, form: day.strftime(form), st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)),
              st.sampled_from(DATE_FORMATS)),
    st.builds(lambda y, m, d, sep: f"{y}{sep[0]}{m}{sep[1]}{d}{sep[2]}", st.integers(0, 99999), st.integers(-1, 99),
              st.integers(-1, 99), st.sampled_from(["-- ", "// ", ".. ", "年月日", "-/ ", "   ", "年月 ", "---"])),
    st.sampled_from(["0000-00-00", "2026-02-29", "2024-02-29", "1900-02-29", "45000", "45000.5", "今天", "-"]))


def id_number(born: dt.date, sequence: int) -> str:
    base = f"330106{born:%Y%m%d}{sequence:03d}"
    return next(base + check for check in "0123456789X" if id_number_is_valid(base + check))


id_numbers = st.one_of(
    st.builds(id_number, st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)), st.integers(0, 999)),
    st.integers(10**16, 10**18).map(str), st.sampled_from(["33010619700412001x", "3.30106E+17"]))
cells = st.one_of(texts, date_text, id_numbers, st.integers().map(str), st.floats().map(repr),
                  st.sampled_from(['"', '""', 'a,"b"', "a\nb", "a\r\nb", ",", "\x00", "\x1a", "\ufeff"]))


def iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@st.composite
def roster_grid(draw, value) -> list[list[Any]]:
    """The fixture roster with a few changes: header, cells, rows dropped, added or cut short."""
    header = list(ROSTER_HEADER)
    for _ in range(draw(SELDOM)):
        index = draw(st.integers(0, len(header)))
        choice = draw(st.sampled_from(["drop", "junk", "swap", "twice"]))
        if choice == "drop" and index < len(header):
            del header[index]
        elif choice == "junk":
            header.insert(index, draw(value))
        elif choice == "swap" and index < len(header) - 1:
            header[index], header[index + 1] = header[index + 1], header[index]
        elif choice == "twice" and header:
            header.insert(index, header[min(index, len(header) - 1)])
    count = draw(st.sampled_from([len(ROSTER_ROWS), len(ROSTER_ROWS), 0, 1, 3, 10]))
    rows = [list(row) for row in ROSTER_ROWS[:count]]
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 3, 4]))):
        if rows:
            row = draw(st.sampled_from(rows))
            column = draw(st.integers(0, len(row) - 1))
            choice = draw(st.sampled_from(["other row", "date form", "any"]))
            if choice == "other row":  # valid in another row: duplicates, wrong order of dates, mismatched ID numbers
                row[column] = draw(st.sampled_from(sorted({r[column] for r in ROSTER_ROWS if column < len(r)})))
            elif choice == "date form" and (day := iso_date(row[column])) is not None:
                row[column] = day.strftime(draw(st.sampled_from(DATE_FORMATS)))
            else:
                row[column] = draw(value)
    for _ in range(draw(SELDOM)):
        if rows and draw(st.booleans()):
            row = draw(st.sampled_from(rows))
            del row[draw(st.integers(0, len(row))):]
        else:
            rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(value, max_size=16)))
    return [header, *rows]


def csv_text(grid: list[list[str]], style: str, newline: str) -> str:
    if style == "naive":
        return "".join(",".join(map(str, row)) + newline for row in grid)
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if style == "all" else csv.QUOTE_MINIMAL
    csv.writer(out, quoting=quoting, lineterminator=newline).writerows(grid)
    return out.getvalue()


encoded_csv = st.tuples(st.builds(csv_text, roster_grid(cells), st.sampled_from(["minimal", "all", "naive"]),
                                  st.sampled_from(["\r\n", "\n", "\r"])), st.sampled_from(ENCODINGS))
csv_files = st.one_of(encoded_csv, encoded_csv, encoded_csv, st.binary(max_size=200))


@pytest.fixture(scope="module")
def csv_roster_project(tmp_path_factory) -> Path:
    return small_project(tmp_path_factory.mktemp("csv") / "org", scores=False, hongguang=False)


def changed_roster(row: int, column: int, value: Any) -> list[list[Any]]:
    grid = [list(line) for line in ROSTER]
    grid[row][column] = value
    return grid


CSV_REGRESSIONS = [
    (csv_text(ROSTER, "minimal", "\r"), "utf-8"),  # classic Mac line ends
    (csv_text(changed_roster(1, 9, "长" * 200_000), "minimal", "\n"), "utf-8"),  # above the csv module's field limit
    (csv_text(changed_roster(1, 9, "a\x00b"), "minimal", "\n"), "utf-8"),
    (csv_text(changed_roster(1, 9, '"unclosed'), "naive", "\n"), "utf-8"),
    (csv_text(ROSTER, "minimal", "\r\n"), "utf-16"),
]


@ROSTER_NOTES
@PROFILE
@given(content=csv_files)
@examples("content", CSV_REGRESSIONS)
def test_any_csv_roster_gives_a_project_or_located_problems(csv_roster_project, content):
    (csv_roster_project / "branches" / "qingshan-members.csv").write_bytes(file_bytes(content))
    load_or_problems(csv_roster_project)


def _typed(text: str) -> Any:
    """A fixture cell as Excel would hold it: dates as datetimes, the rest as text."""
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return text or None


excel_values = st.one_of(
    texts.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)), st.integers(-2**63, 2**63 - 1), st.floats(),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)), st.dates(dt.date(1900, 3, 1)),
    st.times(), st.booleans(), st.none(), id_numbers.map(lambda text: int(text) if text.isdigit() else text),
    date_text, st.sampled_from(["=1/0", "=A1", "=SUM(A1:B3)", '="吴长青"', "=NOW()", "#N/A", "#DIV/0!", "#REF!"]))


@dataclass(frozen=True)
class Workbook:
    """An .xlsx file to write: its first sheet holds `rows` from row 1 + `offset`, maybe with a merged range.

    Examples are these descriptions rather than the bytes, so that a failing one reads as its cells.
    """

    rows: list[list[Any]]
    title: str | None = None
    offset: int = 0
    merge: tuple[int, int, int, int] | None = None
    empty_first_sheet: bool = False

    def to_bytes(self) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        if self.title:
            sheet.title = self.title
        for r, row in enumerate(self.rows, start=1 + self.offset):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
        if self.merge:
            top, left, height, width = self.merge
            sheet.merge_cells(start_row=top, start_column=left, end_row=top + height, end_column=left + width)
        if self.empty_first_sheet:
            book.create_sheet("空", 0)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def typed_grid(grid: list[list[Any]]) -> list[list[Any]]:
    return [[_typed(cell) if isinstance(cell, str) else cell for cell in row] for row in grid]


xlsx_rosters = st.builds(
    Workbook, roster_grid(excel_values).map(typed_grid),
    title=st.one_of(st.none(), st.sampled_from(["名册", "Sheet1", "党员 2026", "x" * 31])),
    offset=st.sampled_from([0, 0, 0, 1, 2]),
    merge=st.one_of(*[st.none()] * 9, st.tuples(st.integers(1, 5), st.integers(1, 13), st.integers(0, 2),
                                                 st.integers(0, 2))),
    empty_first_sheet=st.sampled_from([False] * 19 + [True]))


@pytest.fixture(scope="module")
def xlsx_roster_project(tmp_path_factory) -> Path:
    root = small_project(tmp_path_factory.mktemp("xlsx") / "org", scores=False, hongguang=False)
    branch = root / "branches" / "qingshan.yml"
    branch.write_text(branch.read_text(encoding="utf-8").replace("qingshan-members.csv", "qingshan-members.xlsx"),
                      encoding="utf-8")
    (root / "branches" / "qingshan-members.csv").unlink()
    (root / "branches" / "qingshan-members.xlsx").write_bytes(Workbook(typed_grid(ROSTER)).to_bytes())
    assert pipeline.load_project(root) is not None
    return root


XLSX_REGRESSIONS = [Workbook(typed_grid(changed_roster(1, 2, value)))  # odd values as 出生日期
                    for value in (0.5, -1, 3e6, float("nan"), True, dt.time(12, 30), "=1/0", "#N/A")]


@ROSTER_NOTES
@PROFILE
@given(book=xlsx_rosters)
@examples("book", XLSX_REGRESSIONS)
def test_any_xlsx_roster_gives_a_project_or_located_problems(xlsx_roster_project, book):
    (xlsx_roster_project / "branches" / "qingshan-members.xlsx").write_bytes(book.to_bytes())
    load_or_problems(xlsx_roster_project)


# --- property 3: score tables of the tiered scheme, and their results ----------------------------

SCHEME = yaml.safe_load((SMALL / "content" / "schemes" / "tiered.yml").read_text(encoding="utf-8"))
ITEMS = {item["id"]: item for item in SCHEME["items"]}
SCORE_PATH = SMALL / "scores" / "tiered" / "2026Q1.csv"
SCORES = list(csv.reader(io.StringIO(SCORE_PATH.read_text(encoding="utf-8-sig"))))
SCORE_HEADER = SCORES[0]
JUNK_HEADERS = sorted({*ITEMS, *(item["name"] for item in ITEMS.values()), "支部编号", "支部名称", "姓名", "k01",
                       "K01 ", "K99", "总分", "", "Ｋ０１"})
SCORE_JUNK = ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "9,5", "4,5", "１", "４.５", "٤", "1_0", "-0", "-1",
              "0x1", "1e308", "1e400", "1e-400", "4.", ".5", " 4 ", "4 分", "四", "满分", "", " ", "—", "--",
              "=1/0", "#N/A", "TRUE", "None", "1" * 400]


def points(top: float | None, level: int) -> str:
    """A valid score: `level` twentieths of the item's maximum, rounded to half points."""
    return f"{round((5 if top is None else top) * level / 10) / 2:g}"


score_edits = st.one_of(
    st.sampled_from(SCORE_JUNK), st.floats().map(repr), st.integers().map(str), texts,
    st.builds(lambda halves, form: form.format(halves / 2), st.integers(0, 10),
              st.sampled_from(["{:g}", "{:.2f}", "{:e}", "{!r}", " {} ", "{:+g}"])))
branch_ids = st.one_of(st.sampled_from(["hongguang", "qingshan"]),
                       st.sampled_from(["", " qingshan", "QINGSHAN", "hong-guang", "canary", "1", "qingshan\n"]),
                       st.text(max_size=8))


def _item(column: str) -> dict | None:
    return ITEMS.get(column) or next((item for item in ITEMS.values() if item["name"] == column), None)


@st.composite
def score_grid(draw) -> list[list[str]]:
    """A score table: the real header (sometimes changed), one row per branch id at some level, a few cells changed."""
    header = list(SCORE_HEADER)
    for _ in range(draw(st.integers(0, 1)) * draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(header)))
        choice = draw(st.sampled_from(["drop", "add", "rename"]))
        if choice == "drop" and index < len(header):
            del header[index]
        elif choice == "add":
            header.insert(index, draw(st.one_of(st.sampled_from(JUNK_HEADERS), st.text(max_size=6))))
        elif index < len(header):
            header[index] = draw(st.sampled_from(JUNK_HEADERS))
    ids = draw(st.one_of(st.just(["hongguang", "qingshan"]), st.just(["qingshan", "hongguang"]),
                         st.lists(branch_ids, max_size=4)))
    rows = []
    for branch_id in ids:
        level = draw(st.integers(0, 20))  # the whole range of totals: every tier, penalty and failing threshold
        row = []
        for column in header:
            if column == "支部编号":
                row.append(branch_id)
            elif column in ("支部名称", ""):
                row.append("青山村党支部")
            else:
                item = _item(column)
                row.append(points(item.get("max_points") if item else None, level))
        rows.append(row)
    for _ in range(draw(st.integers(0, 4))):
        if rows:
            row = draw(st.sampled_from(rows))
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(score_edits)
    if draw(st.integers(0, 9)) == 0 and rows:
        del draw(st.sampled_from(rows))[draw(st.integers(0, len(header))):]
    return [header, *rows]


def _excel_value(text: str) -> Any:
    """A score cell as Excel would hold it: a number when it reads as one, else text."""
    try:
        return float(text)
    except ValueError:
        return ILLEGAL_CHARACTERS_RE.sub("", text) or None


def score_file(grid: list[list[str]], kind: str, encoding: str, newline: str) -> tuple[str, bytes]:
    if kind == "xlsx":
        rows = [[ILLEGAL_CHARACTERS_RE.sub("", row[0]), *map(_excel_value, row[1:])] if row else [] for row in grid]
        return "2026Q1.xlsx", Workbook(rows).to_bytes()
    return "2026Q1.csv", file_bytes((csv_text(grid, "minimal", newline), encoding))


# (grid, kind, encoding, line end): what score_file writes, so that a failing example reads as its cells.
score_tables = st.tuples(score_grid(), st.sampled_from(["csv", "csv", "csv", "csv", "xlsx"]),
                         st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]),
                         st.sampled_from(["\r\n", "\n"]))


@pytest.fixture(scope="module")
def score_project(tmp_path_factory) -> Path:
    return small_project(tmp_path_factory.mktemp("scores") / "org", scores=True, hongguang=True, compact=True)


def assert_finite_results(project) -> None:
    for sheet in project.scores:
        for row in sheet.rows:
            for item_id, value in row.values.items():
                top = ITEMS[item_id].get("max_points")
                assert math.isfinite(value) and 0 <= value <= (top if top is not None else math.inf), \
                    f"{sheet.path}: {row.branch_id} {item_id} accepted as {value!r}"
    for result in compute_results(project):
        numeric = [column.key for column in result.columns if column.kind in ("number", "integer")]
        for period in result.periods:
            for key in numeric:
                assert key in period.table, f"{result.scheme.id} {period.period}: no column {key}"
                assert not period.table[key].isna().any(), f"{result.scheme.id} {period.period}: NaN in {key}"


def changed_scores(value: str, kind: str = "csv") -> tuple:
    grid = [list(row) for row in SCORES]
    grid[1][2] = value  # hongguang, K01
    return grid, kind, "utf-8", "\n"


SCORE_REGRESSIONS = [changed_scores(value) for value in ("nan", "inf", "-0", "1e400", "1e-400", "４", "9,5")]
SCORE_REGRESSIONS += [changed_scores("nan", "xlsx"), changed_scores("-1", "xlsx")]


@PROFILE
@given(table=score_tables)
@examples("table", SCORE_REGRESSIONS)
def test_any_score_table_gives_results_or_located_problems(score_project, table):
    folder = score_project / "scores" / "tiered"
    name, raw = score_file(*table)
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(raw)
    project = load_or_problems(score_project)
    if project is not None:
        with time_limit():
            assert_finite_results(project)
