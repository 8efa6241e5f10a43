"""Turn a YAML file into plain Python data plus the line and column of every value.

PyYAML's node tree knows where each key and value starts; we build the data
ourselves from that tree so that a later validation error at a data path such as
``("committee", "members", 2, "role")`` can be shown at the right line. Most
files are read straight from libyaml's parser events (`_read_events`), with the
same data and marks and without the node tree; anything unusual or broken is
composed as a tree, within the limits below, for its message.

Reading is guarded: the file's size is checked before it is read, its bytes must
be UTF-8 text, and composing the node tree stops at the limits of
`generator.load.limits` (nesting depth, alias uses and what aliases copy), so
that a hostile file is refused quickly instead of exhausting the stack or memory.
Every failure is one located Chinese `Problem`; PyYAML's English never reaches the user.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import yaml

from generator.errors import Location, Problem
from generator.load.limits import MAX_ALIAS_NODES, MAX_ALIASES, MAX_DEPTH, MAX_YAML_BYTES, read_bounded
from generator.load.text import decode_text

DataPath = tuple[Any, ...]

_CORE = "tag:yaml.org,2002:"
# Tags a user may write explicitly (!!str 2026 …); anything else (!!python/object, !!binary, !local) is refused.
_ALLOWED_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_MERGE_TAG = _CORE + "merge"
_QUOTE_IT = "如果它是文字的一部分，请给整个值加上引号"
# A value that starts with the variables' braces ({{ 上级党组织简称 }}, {% if … %}), after its key or list dash.
_TEMPLATE_VALUE = re.compile(r"^(?P<before>\s*(?:-\s+)*(?:[^\s#:'\"{\[][^:#]*:\s+)?(?:-\s+)*)(?P<value>\{[{%].*?)\s*$")


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and where each part of it stands in the file."""

    path: str
    data: Any
    marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, data_path: DataPath = (), at_key: bool = False) -> Location:
        """The location of the deepest known part of `data_path` (1-based): its value, or its key."""
        probe = tuple(data_path)
        if at_key and probe in self.key_marks:
            return Location(self.path, *self.key_marks[probe])
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, col = self.marks.get(probe, (1, 1))
        return Location(self.path, line, col)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Position(Protocol):
    """Where an event starts: PyYAML's `yaml.Mark` and libyaml's mark both have these (0-based)."""

    line: int
    column: int


def _event_start(event: yaml.Event) -> _Position:
    """Where a parser's event starts. Both parsers mark every event they make; the stubs allow no mark
    only for events built by hand."""
    mark = event.start_mark
    if mark is None:  # pragma: no cover - no parser makes such an event
        raise AssertionError(f"{type(event).__name__} without a mark")
    return mark


class _Refused(Exception):
    """A limit exceeded or a construct we do not accept, found while composing the node tree."""

    def __init__(self, mark: _Position, code: str, message: str) -> None:
        super().__init__(message)
        self.mark, self.code, self.message = mark, code, message


class _Guard:
    """Keeps the nesting and alias limits while a loader composes its nodes.

    A loader calls `enter` with the event that starts each node before composing it, and `leave` with the
    node made. The composer recurses once per nesting level, so depth is checked before descending. An
    alias reuses its anchor's node, which our builder would copy: each node's size (values, height) is
    recorded so that an alias is refused as soon as the copies would grow beyond the limit ("billion laughs").
    """

    def __init__(self) -> None:
        self._depth = 0
        self._aliases = 0
        self._copied = 0
        self._open_anchors: set[str] = set()
        self._shapes: dict[int, tuple[int, int]] = {}

    def enter(self, event: yaml.Event | None) -> None:
        """Check the event that starts the next node (an alias, a scalar, a list or a mapping)."""
        # The composer asks for a node only when the next event starts one (`Composer.compose_node`).
        started = cast("yaml.AliasEvent | yaml.ScalarEvent | yaml.CollectionStartEvent", event)
        if isinstance(started, yaml.AliasEvent):
            name = started.anchor
            if name in self._open_anchors:
                raise _Refused(_event_start(started), "yaml.recursive-alias",
                               f"别名「*{name}」出现在锚点「&{name}」自身的内容里，会无限展开；请删除这个别名")
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(_event_start(started), "yaml.too-many-aliases",
                               f"一个文件中最多使用 {MAX_ALIASES} 次别名（*名称）；请把内容直接写出")
            return
        if started.tag not in (None, "!") and started.tag not in _ALLOWED_TAGS:
            raise _Refused(_event_start(started), "yaml.tag",
                           f"不支持 YAML 标签「{_short_tag(started.tag)}」；请删除它，只写值本身（{_QUOTE_IT}）")
        if self._depth >= MAX_DEPTH:
            raise _Refused(_event_start(started), "yaml.too-deep",
                           f"数据嵌套超过了 {MAX_DEPTH} 层；请检查缩进，或减少列表和「键: 值」的层层嵌套")
        self._depth += 1
        if started.anchor is not None:
            self._open_anchors.add(started.anchor)

    def leave(self, event: yaml.Event | None, node: yaml.Node | None) -> yaml.Node | None:
        """Record the node composed from `event` (passed to `enter` before), or refuse what an alias copies."""
        if isinstance(event, yaml.AliasEvent):
            values, height = self._shapes[id(node)]
            self._copied += values
            if self._copied > MAX_ALIAS_NODES:
                raise _Refused(_event_start(event), "yaml.alias-too-large",
                               f"别名（*名称）共复制了超过 {MAX_ALIAS_NODES:,} 个值，文件展开后过大；请把内容直接写出")
            if self._depth + height > MAX_DEPTH:
                raise _Refused(_event_start(event), "yaml.too-deep",
                               f"别名「*{event.anchor}」展开后数据嵌套超过了 {MAX_DEPTH} 层；请减少层层嵌套")
            return node
        if isinstance(event, yaml.NodeEvent):
            self._open_anchors.discard(event.anchor)
        self._depth -= 1
        self._shapes[id(node)] = self._shape_of(node)
        return node

    def _shape_of(self, node: yaml.Node | None) -> tuple[int, int]:
        children: list[yaml.Node]
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            return 1, 1
        shapes = [self._shapes[id(child)] for child in children]
        return 1 + sum(values for values, _ in shapes), 1 + max((height for _, height in shapes), default=0)


class _PythonLoader(yaml.SafeLoader):
    """PyYAML's own scanner and parser: slower, with the messages the translations below know."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._guard = _Guard()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        self._guard.enter(event)
        return self._guard.leave(event, super().compose_node(parent, index))


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: its own parser alone
    _LIBYAML = False
else:
    _LIBYAML = True


class _FastLoader(yaml.composer.Composer, yaml.resolver.Resolver):
    """libyaml's scanner and parser under PyYAML's composer, so that the same limits apply.

    The composer reads events through `check_event`, `peek_event` and `get_event`: here they are the methods
    of a libyaml parser, bound once (a method of ours forwarding each call would cost a call per event).
    """

    check_event: Callable[..., bool]
    peek_event: Callable[[], yaml.Event | None]
    get_event: Callable[[], yaml.Event | None]
    dispose: Callable[[], None]

    def __init__(self, text: str) -> None:
        parser = CParser(text)
        self.check_event, self.peek_event, self.get_event = parser.check_event, parser.peek_event, parser.get_event
        self.dispose = parser.dispose
        yaml.resolver.Resolver.__init__(self)
        yaml.composer.Composer.__init__(self)
        self._guard = _Guard()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        self._guard.enter(event)
        return self._guard.leave(event, super().compose_node(parent, index))


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree. A file libyaml cannot parse is parsed again by PyYAML for its error."""
    loaders: list[type[_FastLoader | _PythonLoader]] = ([_FastLoader] if _LIBYAML else []) + [_PythonLoader]
    for number, loader_class in enumerate(loaders, start=1):
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        except yaml.MarkedYAMLError:
            if number == len(loaders):
                raise
        finally:
            loader.dispose()
    return None


# --- the fast path: data and marks straight from libyaml's events -----------------------------------

class _Unusual(Exception):
    """Something the event reader leaves to the guarded composer and `_Builder`."""


_STR_TAG = _CORE + "str"
_RESOLVER = yaml.resolver.Resolver()
# First characters of the plain scalars that PyYAML may read as something else than text (null, bool,
# numbers, dates, the merge key …); any other plain scalar, and every quoted one, is text.
_RESOLVED_FIRST = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what PyYAML reads as a date, in its usual form


class _Event(Protocol):
    """A libyaml event as the fast path reads it, without a call or an `isinstance` per event.

    Every event libyaml makes has its start mark. `anchor` is read only of node events (scalars,
    aliases, list and mapping starts), `tag` only of scalars and list and mapping starts, `value`,
    `implicit` and `style` only of scalars: always after `type(event)` or the order of the stream says which it is.
    """

    start_mark: _Position
    end_mark: _Position
    anchor: str | None
    tag: str | None
    value: str
    implicit: tuple[bool, bool]
    style: str | None


def _read_events(text: str, shown_as: str) -> YamlDocument:
    """The document read from libyaml's events without building PyYAML's node tree (about three times faster).

    Only the common case is read here: a single document whose top level is a mapping, with no explicit tag,
    no anchor on a list or mapping, no merge key, no key that is not a scalar, no duplicate key, anchors and
    aliases only of scalars and within the alias limits, and nesting within `MAX_DEPTH`. Anything else,
    and any syntax error, raises `_Unusual` (or PyYAML's error), and `parse_yaml` composes the text with the
    guarded composer instead. For what it accepts, the data and marks equal what `_Builder` makes.
    """
    if _RESOLVER.yaml_path_resolvers or None in _RESOLVED_FIRST or not _LIBYAML:
        raise _Unusual
    parser = CParser(text)
    # PyYAML's stubs give every event as the base `Event` with an optional mark; see `_Event`.
    get = cast("Callable[[], _Event]", parser.get_event)
    marks: dict[DataPath, tuple[int, int]] = {}
    key_marks: dict[DataPath, tuple[int, int]] = {}
    anchors: dict[str, tuple[Any, tuple[int, int]]] = {}
    aliases = 0
    builder: _Builder | None = None
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def resolved(event: _Event) -> Any:
        """A plain scalar that may be something else than text, as PyYAML reads it."""
        nonlocal builder
        value = event.value
        if _DATE.fullmatch(value):  # the commonest case by far, done without PyYAML's constructor
            try:
                return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
            except ValueError:
                return value  # 2026-13-45: the text, as `_Builder._scalar` keeps it
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == _STR_TAG:
            return value
        if tag == _MERGE_TAG:
            raise _Unusual
        if builder is None:
            builder = _Builder(YamlDocument(shown_as, None), [])
        # libyaml's marks stand in for PyYAML's (the node's marks are read only for its errors' messages).
        return builder._scalar(yaml.ScalarNode(tag, value, cast(yaml.Mark, event.start_mark),
                                               cast(yaml.Mark, event.end_mark), event.style))

    def node(event: _Event, at: DataPath, depth: int) -> Any:
        nonlocal aliases
        kind = type(event)
        if depth >= MAX_DEPTH or (kind is not yaml.AliasEvent and event.tag is not None):
            raise _Unusual
        start = event.start_mark
        mark = start.line + 1, start.column + 1
        if kind is scalar_event:
            marks[at] = mark
            value = event.value
            if event.implicit[0] and value[:1] in _RESOLVED_FIRST:
                value = resolved(event)
            if event.anchor is not None:
                if event.anchor in anchors:
                    raise _Unusual
                anchors[event.anchor] = value, mark
            return value
        if event.anchor is not None and kind is not yaml.AliasEvent:
            raise _Unusual
        if kind is mapping_start:
            marks[at] = mark
            result: dict[str, Any] = {}
            inner = depth + 1
            while type(key := get()) is scalar_event:
                name = key.value
                if key.anchor is not None or key.tag is not None or name in result or (
                        key.implicit[0] and name == "<<"):
                    raise _Unusual
                path = (*at, name)
                start = key.start_mark
                key_marks[path] = start.line + 1, start.column + 1
                event = get()
                if type(event) is scalar_event and event.tag is None and event.anchor is None and inner < MAX_DEPTH:
                    start = event.start_mark  # a plain value: the commonest case, read here without a call
                    marks[path] = start.line + 1, start.column + 1
                    value = event.value
                    result[name] = resolved(event) if event.implicit[0] and value[:1] in _RESOLVED_FIRST else value
                else:
                    result[name] = node(event, path, inner)
            if type(key) is not mapping_end:
                raise _Unusual
            return result
        if kind is sequence_start:
            marks[at] = mark
            items: list[Any] = []
            while type(item := get()) is not sequence_end:
                items.append(node(item, (*at, len(items)), depth + 1))
            return items
        if kind is yaml.AliasEvent and event.anchor in anchors:
            aliases += 1
            if aliases > min(MAX_ALIASES, MAX_ALIAS_NODES):
                raise _Unusual
            value, marks[at] = anchors[event.anchor]
            return value
        raise _Unusual

    try:
        get()  # the stream's start
        if type(get()) is not yaml.DocumentStartEvent or type(top := get()) is not mapping_start:
            raise _Unusual
        data = node(top, (), 0)
        if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
            raise _Unusual
    finally:
        parser.dispose()
        # `node` calls itself: without this its closure would be a reference cycle, left to the collector.
        node = None  # type: ignore[assignment]  # dropped, never called again
    return YamlDocument(shown_as, data, marks, key_marks)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Builder:
    """Walks a composed node tree, building data and recording marks."""

    def __init__(self, doc: YamlDocument, lines: list[str]) -> None:
        self.doc = doc
        self.lines = lines
        self.constructor = yaml.constructor.SafeConstructor()  # a whole loader would be a reference cycle
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, at: DataPath) -> Any:
        self.doc.marks.setdefault(at, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _problem(self, node: yaml.Node, code: str, message: str) -> None:
        self.problems.append(Problem(Location(self.doc.path, *_mark(node)), code, message))

    def _mapping(self, node: yaml.MappingNode, at: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                # `department: {{ 上级党组织简称 }}` is braces in braces: a mapping whose key is a mapping.
                unquoted = _unquoted_template(self.lines, key_node.start_mark.line, self.doc.path)
                if unquoted is not None:
                    self.problems.append(unquoted)
                    continue
                kind = "列表" if isinstance(key_node, yaml.SequenceNode) else "一组「键: 值」"
                self._problem(key_node, "yaml.complex-key",
                              f"键应为文字，这里却是{kind}；请检查这一行是否多了「?」或括号")
                continue
            if key_node.tag == _MERGE_TAG:
                self._problem(key_node, "yaml.merge-key", "不支持 YAML 合并键「<<」；请把要合并的键逐个写出")
                continue
            key = key_node.value  # the key as written: `2026:` is 「2026」, `true:` is 「true」
            if key in result:
                self._problem(key_node, "yaml.duplicate-key", f"键「{key}」重复出现；同一层级的键只能写一次")
                continue
            self.doc.key_marks[(*at, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*at, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError,
                yaml.constructor.ConstructorError):
            # e.g. 2026-13-45 matches the timestamp pattern but is no date, `!!int 七`, `!!int ""`, `!!bool foo`:
            # keep the text and let validation say what was expected.
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            return node.value  # .inf / .nan are no numbers a handbook can hold: validation refuses the text
        return value


# --- PyYAML's syntax errors in the user's language -------------------------------------------------

def _found(problem: str) -> str:
    """The token PyYAML names in 「…, but found '-'」, as the user wrote it."""
    match = re.search(r"(?:found|got) '(.*)'$", problem)
    token = match.group(1) if match else ""
    names = {"<stream end>": "文件结尾", "<scalar>": "一个值", "<block mapping start>": "一个新的「键: 值」",
             "<block sequence start>": "一个列表", "?": "一个键", "\\n": "换行", "\\t": "制表符"}
    return names.get(token, f"「{token}」")


def _syntax_message(error: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple[str, yaml.Mark | None]:
    """(Chinese message, where to point) for one PyYAML error; never PyYAML's English."""
    problem, context = error.problem or "", error.context or ""
    at, opened = error.problem_mark, error.context_mark
    opened_at = f"第 {opened.line + 1} 行第 {opened.column + 1} 列" if opened else "前面"
    if problem == "found character '\\t' that cannot start any token":
        lines = text.split("\n")
        index = at.line - (first_line - 1) if at else -1
        if at and 0 <= index < len(lines) and not lines[index][:at.column].strip():
            return "这一行用制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格", at
        return "这里有一个制表符（Tab）；YAML 中请用空格代替 Tab", at
    if problem.startswith("found character"):
        character = problem.split("'")[1] if "'" in problem else ""
        return f"值不能以「{character}」开头；{_QUOTE_IT}", at
    if problem == "mapping values are not allowed here":
        return "此处不允许出现「键: 值」，可能是冒号后缺少空格、缩进不对齐或值中含有未加引号的冒号", at
    if problem == "could not find expected ':'":
        return "这一行缺少冒号「:」，或冒号后缺少空格；应写作「键: 值」，多行的文字请加引号", opened or at
    if problem == "but found another document":
        return ("一个文件只能有一个 YAML 文档，这里的「---」开始了第二个；"
                "请删除这一行（如需多份数据请分成多个文件）"), at
    if problem.startswith("expected '<document start>'"):
        if any(line.startswith("%") for line in text.splitlines()):
            return "以「%」开头的 YAML 指令之后应有「---」一行；通常直接删除指令行即可", at
        return "「...」表示文档已经结束，之后不能再有内容；请删除「...」这一行", at
    if problem == "found unexpected end of stream" or problem == "found unexpected document separator":
        return "引号没有闭合：找不到与这里的引号配对的另一个引号", opened or at
    if problem.startswith("expected <block end>"):
        if context == "while parsing a block collection":
            return f"列表项「-」的缩进与上文不一致，这里遇到了{_found(problem)}；同一列表的各项应对齐", at
        return f"缩进与同一层级的其他键不一致，这里遇到了{_found(problem)}；请检查这一行的缩进和引号", at
    if problem.startswith("expected ',' or ']'"):
        return f"{opened_at}的方括号「[」没有闭合，或其中的各项之间缺少逗号", at
    if problem.startswith("expected ',' or '}'"):
        return f"{opened_at}的花括号「{{」没有闭合，或其中的各项之间缺少逗号", at
    if problem == "invalid indentation or unclosed '[' or '{'":
        return "缩进不对，或方括号「[」、花括号「{」没有闭合", at
    if problem.startswith("expected the node content"):
        return f"这里应有一个值，却遇到了{_found(problem)}；{_QUOTE_IT}", at
    if problem == "sequence entries are not allowed here":
        return "此处不允许出现列表项「-」；列表项应另起一行并缩进，若「-」是文字的一部分请加引号", at
    if problem == "mapping keys are not allowed here":
        return "此处不允许出现「?」；若它是文字的一部分，请给整个值加上引号", at
    if problem.startswith("found undefined alias"):
        name = problem.split("'")[1] if "'" in problem else ""
        return f"引用了未定义的锚点「*{name}」；请先用「&{name}」定义，或给以「*」开头的文字加上引号", at
    if problem == "second occurrence":
        name = context.split("'")[1] if "'" in context else ""
        return f"锚点「&{name}」重复定义（第一次在{opened_at}）；请改用另一个名称", at
    if problem.startswith("found unknown escape character") or problem.startswith("expected escape sequence"):
        return "双引号中的反斜杠「\\」开始了无效的转义；含反斜杠的文字（如 Windows 路径）请改用单引号", at
    if "anchor" in context or "alias" in context:
        return f"以「&」或「*」开头的值会被当作 YAML 锚点或别名，其后应为英文字母或数字；{_QUOTE_IT}", at
    if "block scalar" in context:
        return "「|」或「>」之后应直接换行，另起一行缩进书写文字；若它们是文字的一部分，请给整个值加上引号", at
    if "tag" in context or "tag" in problem:
        return f"以「!」开头的值会被当作 YAML 标签；{_QUOTE_IT}", at
    if "directive" in context or "directive" in problem:
        return "以「%」开头的行会被当作 YAML 指令；请删除这一行，或给这段文字加上引号", at
    return "YAML 格式错误；请检查这一行及上一行的缩进、冒号和引号", at or opened


def _unquoted_template(lines: list[str], line: int, shown_as: str) -> Problem | None:
    """The problem for a value that starts with 「{{」 or 「{%」 on `line` (0-based) of `lines`, if there is one.

    YAML reads 「{{ 上级党组织简称 }}组织部」 as braces of data, not as text: such a value must be quoted.
    """
    match = _TEMPLATE_VALUE.match(lines[line]) if 0 <= line < len(lines) else None
    if match is None:
        return None
    value = re.sub(r"\s+#.*$", "", match["value"])   # without a comment after it
    quote = "'" if '"' in value else '"'
    example = f"{match['before'].strip()} {quote}{value}{quote}".strip()
    return Problem(Location(shown_as, line + 1, len(match["before"]) + 1), "yaml.unquoted-template",
                   f"以「{value[:2]}」开头的值会被 YAML 当作花括号中的数据，而不是文字；"
                   f"含变量的文字请给整个值加上引号，写作：{example}")


def _empty_problem(shown_as: str, first_line: int, what: str) -> Problem:
    remedy = "（或删除这个文件）" if what == "文件" else ""
    return Problem(Location(shown_as, first_line), "yaml.empty",
                   f"{what}中没有任何数据；应写入「键: 值」形式的内容{remedy}")


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "一个列表"
    text = node.value if isinstance(node.value, str) else ""
    return f"一段文字「{text if len(text) <= 20 else text[:19] + '…'}」"


def load_yaml(path: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse one YAML file; on a mistake return no document and the problem."""
    raw, problems = read_bounded(path, shown_as, MAX_YAML_BYTES, "YAML 文件")
    if raw is None:
        return None, problems
    text, problems = decode_text(raw, shown_as, "YAML 文件")
    if text is None:
        return None, problems
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str, first_line: int = 1,
               what: str = "文件") -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text whose top level must be 「键: 值」 data.

    `first_line` is the file line where the text starts (for front matter); `what`
    names the text in messages (「文件」, 「头信息」). The text must already be
    free of control characters (`decode_text` checks that).
    """
    padded = "\n" * (first_line - 1) + text
    try:
        return _read_events(padded, shown_as), []
    except (_Unusual, yaml.YAMLError):
        pass  # composed below, within the limits and with a message for every mistake
    try:
        node = _compose(padded)
    except _Refused as refused:
        location = Location(shown_as, refused.mark.line + 1, refused.mark.column + 1)
        return None, [Problem(location, refused.code, refused.message)]
    except yaml.MarkedYAMLError as error:
        lines = padded.split("\n")
        for at in (error.context_mark, error.problem_mark):
            unquoted = _unquoted_template(lines, at.line, shown_as) if at is not None else None
            if unquoted is not None:
                return None, [unquoted]
        message, mark = _syntax_message(error, text, first_line)
        line, col = (mark.line + 1, mark.column + 1) if mark else (first_line, 1)
        return None, [Problem(Location(shown_as, line, col), "yaml.syntax", message)]
    except yaml.YAMLError:
        return None, [Problem(Location(shown_as, first_line), "yaml.syntax",
                              "YAML 格式错误；请检查文件的缩进、冒号和引号")]
    if node is None:
        return None, [_empty_problem(shown_as, first_line, what)]
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(Location(shown_as, *_mark(node)), "yaml.not-mapping",
                              f"{what}内容应为「键: 值」形式的一组数据，这里却是{_shown(node)}")]
    doc = YamlDocument(shown_as, None)
    builder = _Builder(doc, padded.split("\n"))
    doc.data = builder.build(node, ())
    return doc, builder.problems
