"""Turn a YAML file into plain Python data plus the line and column of every value.

PyYAML's node tree knows where each key and value starts; we build the data
ourselves from that tree so that a later validation error at a data path such as
``("committee", "members", 2, "role")`` can be shown at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Location, Problem

DataPath = tuple[Any, ...]

# PyYAML's own wording for the common syntax mistakes, in the user's language.
_SYNTAX_MESSAGES = {
    "mapping values are not allowed here": "此处不允许出现「键: 值」, 可能是冒号后缺少空格、缩进不对齐或值中含有未加引号的冒号",
    "could not find expected ':'": "找不到应有的冒号「:」, 可能是上一行缩进有误",
    "found character '\\t' that cannot start any token": "YAML 中不能用制表符 (Tab) 缩进, 请改用空格",
    "did not find expected key": "缩进不一致, 找不到应有的键",
    "did not find expected '-' indicator": "列表缩进不一致, 找不到应有的「-」",
    "found unexpected end of stream": "文件意外结束, 可能是引号或括号没有闭合",
    "expected <block end>, but found '-'": "列表项「-」的缩进与上文不一致",
    "found undefined alias": "引用了未定义的锚点",
}


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


class _Builder:
    """Walks a composed node tree, building data and recording marks."""

    def __init__(self, doc: YamlDocument, constructor: yaml.SafeLoader) -> None:
        self.doc = doc
        self.constructor = constructor
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, at: DataPath) -> Any:
        self.doc.marks.setdefault(at, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, at: DataPath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                line, col = _mark(key_node)
                self.problems.append(Problem(
                    Location(self.doc.path, line, col), "yaml.duplicate-key",
                    f"键「{key}」重复出现; 同一层级的键只能写一次"))
                continue
            self.doc.key_marks[(*at, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*at, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2026-13-45 matches the timestamp pattern but is no date:
            # keep the text and let validation say what was expected.
            return node.value


def load_yaml(path: Path, shown_as: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse one YAML file; on a mistake return no document and the problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(Location(shown_as, 1), "yaml.encoding",
                              "YAML 文件必须以 UTF-8 编码保存")]
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text; `first_line` is the file line where the text starts (for front matter)."""
    text = "\n" * (first_line - 1) + text
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        english = error.problem or "syntax error"
        message = _SYNTAX_MESSAGES.get(english, f"YAML 语法错误 ({english})")
        return None, [Problem(Location(shown_as, line, col), "yaml.syntax", message)]
    finally:
        loader.dispose()
    doc = YamlDocument(shown_as, None)
    if node is None:
        return doc, []
    builder = _Builder(doc, yaml.SafeLoader(""))
    doc.data = builder.build(node, ())
    return doc, builder.problems
