"""The limits on input files, in one place: every reader imports them from here.

They are checked before a file is parsed, so that a huge or hostile file is
refused quickly and with bounded memory instead of exhausting the machine.
The data-format page (数据格式说明) lists them from `LIMITS`.
"""

from __future__ import annotations

import math
from pathlib import Path

from generator.errors import Location, Problem

MB = 1024 * 1024

MAX_YAML_BYTES = 2 * MB          # one YAML file (branch, workflow, scheme …)
MAX_CHAPTER_BYTES = 1 * MB       # one Markdown chapter
MAX_TABLE_BYTES = 20 * MB        # one CSV or XLSX table
MAX_CELL_CHARS = 10_000          # one table cell
MAX_TABLE_CELLS = 500_000        # cells of one table (rows × columns of an XLSX sheet's used range)
MAX_XLSX_UNPACKED_BYTES = 100 * MB  # what the parts of one XLSX file unpack to
MAX_DEPTH = 50                   # nesting levels of lists and 「键: 值」 data in a YAML file
MAX_ALIASES = 100                # uses of YAML aliases (*name) in one file
MAX_ALIAS_NODES = 10_000         # values that the aliases of one file may copy in total

CODE_TOO_LARGE = "file.too-large"


def size_text(size: int) -> str:
    """2 MB, 2.1 MB, 512 KB, 300 字节: a size as users read it, rounded up (so never shown as the limit it exceeds)."""
    for unit, name in ((MB, "MB"), (1024, "KB")):
        if size >= unit:
            tenths = math.ceil(size * 10 / unit)
            return f"{tenths // 10}" + (f".{tenths % 10}" if tenths % 10 else "") + f" {name}"
    return f"{size} 字节"


# (what is limited, the limit, what happens beyond it) for the data-format page, as plain text (it is escaped there).
LIMITS: tuple[tuple[str, str, str], ...] = (
    ("YAML 文件（*.yml）的大小", size_text(MAX_YAML_BYTES), f"不读取，报告 {CODE_TOO_LARGE}"),
    ("章节文件（content/chapters/*.md）的大小", size_text(MAX_CHAPTER_BYTES), f"不读取，报告 {CODE_TOO_LARGE}"),
    ("表格文件（*.csv、*.xlsx）的大小", size_text(MAX_TABLE_BYTES), f"不读取，报告 {CODE_TOO_LARGE}"),
    ("表格中一个单元格的字数", f"{MAX_CELL_CHARS:,} 个字符", "报告该单元格"),
    ("一个表格的单元格数（XLSX 按工作表已用区域的行数 × 列数）", f"{MAX_TABLE_CELLS:,} 个", "不读取，报告 table.too-many-cells"),
    ("XLSX 文件解压后的大小", size_text(MAX_XLSX_UNPACKED_BYTES), f"不读取，报告 {CODE_TOO_LARGE}"),
    ("YAML 中列表和「键: 值」数据的嵌套层数", f"{MAX_DEPTH} 层", "报告 yaml.too-deep"),
    ("一个 YAML 文件中别名（*名称）的使用次数", f"{MAX_ALIASES} 次", "报告 yaml.too-many-aliases"),
    ("一个 YAML 文件中别名共复制的值", f"{MAX_ALIAS_NODES:,} 个", "报告 yaml.alias-too-large"),
)


def read_bounded(path: Path, shown_as: str, limit: int, what: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or a located problem when it is larger than `limit` or cannot be read.

    The size is checked before reading, and at most `limit + 1` bytes are read
    even when the size cannot be known in advance (a device or a pipe).
    """
    location = Location(shown_as, 1)
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [too_large(location, size, limit, what)]
        with path.open("rb") as stream:
            # One read of the size the file has (a read of `limit + 1` bytes would set aside that much first);
            # then, for a file that grew meanwhile or has no size (a device, a pipe), at most the rest in pieces.
            raw = stream.read(size + 1)
            while len(raw) > size and len(raw) <= limit and (piece := stream.read(min(limit + 1 - len(raw), MB))):
                raw += piece
    except OSError:
        return None, [Problem(location, "file.unreadable",
                              "无法读取该文件（可能没有读取权限，或正被其他程序占用）；请检查后重试")]
    if len(raw) > limit:
        return None, [too_large(location, None, limit, what)]
    return raw, []


def too_large(location: Location, size: int | None, limit: int, what: str) -> Problem:
    """The problem for a file (or part of one) beyond its size limit."""
    actual = f"（实际为 {size_text(size)}）" if size is not None else ""
    return Problem(location, CODE_TOO_LARGE,
                   f"文件太大{actual}：{what}最大为 {size_text(limit)}；请拆分文件或删除不需要的内容")
