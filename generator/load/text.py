"""Turn the bytes of a YAML or Markdown file into text, or say in Chinese, located, why they are not.

YAML files and chapters must be UTF-8 (with or without a byte-order mark).
Anything else is refused rather than guessed: a wrong guess would put garbled
text on the site without any warning. The message tells what the file seems to
be (UTF-16, GBK/GB18030, a mixture, a binary file) and how to save it as UTF-8.
"""

from __future__ import annotations

import re

from generator.errors import Location, Problem

_BOM_UTF8 = b"\xef\xbb\xbf"
_SAVE_AS_UTF8 = "在记事本中选「另存为」，编码选「UTF-8」"

# Byte signatures of the binary files most often given a wrong name.
_SIGNATURES = (
    (b"PK\x03\x04", "一个 ZIP 压缩格式的文件（如 Excel 的 .xlsx、Word 的 .docx）"),
    (b"\xd0\xcf\x11\xe0", "一个旧版 Office 文件（如 .xls、.doc）"),
    (b"%PDF-", "一个 PDF 文件"),
    (b"\x89PNG", "一张 PNG 图片"),
    (b"\xff\xd8\xff", "一张 JPEG 图片"),
    (b"GIF8", "一张 GIF 图片"),
)

# What YAML forbids (PyYAML's own test): C0 controls but tab and line breaks, DEL, C1 but NEL, U+FFFE/U+FFFF.
CONTROL_CHARACTERS = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of the character at `index`."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _byte_location(raw: bytes, offset: int, shown_as: str) -> Location:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Location(shown_as, raw.count(b"\n", 0, offset) + 1, column)


def _looks_like_utf16(raw: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a byte-order mark: every other byte is NUL."""
    sample = raw[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return len(sample) >= 16 and max(even, odd) >= len(sample) // 4 and min(even, odd) <= max(even, odd) // 10


def decode_text(raw: bytes, shown_as: str, kind: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without its byte-order mark, or one located problem; `kind` is e.g. 「YAML 文件」."""
    start = Location(shown_as, 1)
    wide_bom = raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
    if wide_bom or (b"\x00" in raw[:4096] and _looks_like_utf16(raw)):
        wide = ("UTF-32 编码" if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
                else "UTF-16 编码（记事本中称为「Unicode」）")
        return None, [Problem(start, "text.encoding", f"文件是 {wide}；{kind}应保存为 UTF-8：{_SAVE_AS_UTF8}")]
    if raw.startswith(_BOM_UTF8):
        raw = raw[len(_BOM_UTF8):]
    for signature, name in _SIGNATURES:
        if raw.startswith(signature):
            return None, [Problem(start, "text.binary",
                                  f"这是{name}，不是文本文件；{kind}应为 UTF-8 编码的纯文本，请检查是否放错了文件")]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, [Problem(_byte_location(raw, nul, shown_as), "text.binary",
                              f"文件含有空字节（NUL），不是文本文件；{kind}应为 UTF-8 编码的纯文本，请检查是否放错了文件")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [_encoding_problem(raw, error.start, shown_as, kind)]
    control = CONTROL_CHARACTERS.search(text)
    if control:
        line, column = line_and_column(text, control.start())
        return None, [Problem(Location(shown_as, line, column), "text.control-char",
                              f"这里有一个不可见的控制字符 U+{ord(control.group()):04X}，{kind}中不允许出现；"
                              "请删除它（常见于从网页、Word 或聊天软件复制的文字）")]
    return text, []


def _encoding_problem(raw: bytes, offset: int, shown_as: str, kind: str) -> Problem:
    location = _byte_location(raw, offset, shown_as)
    byte = f"0x{raw[offset]:02X}"
    if any(b >= 0x80 for b in raw[:offset]):
        message = (f"文件混用了多种编码：前面的文字是 UTF-8，这里的字节 {byte} 却不是；"
                   f"可能是从其他文件粘贴进来的文字，请重新输入这部分文字，{kind}应保存为 UTF-8")
    else:
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            message = f"这里的字节 {byte} 不是 UTF-8 编码（文件可能是 Latin-1 等其他编码）；{kind}应保存为 UTF-8：{_SAVE_AS_UTF8}"
        else:
            message = (f"文件不是 UTF-8 编码，看起来是 GBK/GB18030（中文 Windows 的「ANSI」编码）；"
                       f"{kind}应保存为 UTF-8：{_SAVE_AS_UTF8}")
    return Problem(location, "text.encoding", message)
