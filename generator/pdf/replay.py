"""Draw the handbook's shared pages once per worker, and replay that drawing in every branch's PDF.

The shared parts (任务职责, 管理制度, 程序流程) are laid out once per worker
(`generator.pdf.handbook`), but WeasyPrint draws every page again for every
PDF it writes, and drawing those 40–90 text-heavy pages was half the cost of
writing a handbook. A page's drawing is a list of PDF operators plus what it
asks of the document: its fonts (and, of each font, the glyphs it uses, their
widths and the text they stand for, from which the PDF's font subsets and
ToUnicode maps are made), its alpha states and the groups (form XObjects) that
WeasyPrint draws SVG images into.

`ReplayedPage` records its drawing the first time it is painted — into a
stream of its own, whose fonts are fresh per-page copies of the document's
fonts — and from then on appends the recorded operators to the page's stream
adds the recorded glyphs to the document's fonts (each glyph only if the
document has not met it yet, as drawing would), and adds copies of its groups
under the names drawing would give them. The PDF is the same, byte for byte,
as when the page is drawn. A page that uses anything else (images, patterns,
shadings, soft masks, a glyph missing from the fonts) is simply drawn each time.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint.document import Page
from weasyprint.pdf.stream import Stream
from weasyprint.text.fonts import get_pango_font_key

_ALPHA_STATE = re.compile(r"[Aa]\d+(\.\d+)?(e-?\d+)?")
_GROUP = re.compile(r"x\d+")
_DO = re.compile(rb"/(x\d+) Do")


@dataclass(frozen=True)
class _Recording:
    operators: bytes                                  # the page's stream items, joined as pydyf joins them
    fonts: tuple[tuple[Any, dict, dict], ...]         # (Pango font, widths, text by glyph), in order of first use
    states: tuple[tuple[str, dict], ...]              # the alpha states the operators name
    groups: tuple[tuple[str, Any], ...]               # the form XObjects (groups) drawn, as portable copies


_NOT_REPLAYABLE = object()
_COLOR_SPACE = object()                               # stands for the PDF's colour-space dictionary


class ReplayedPage(Page):
    """A laid-out page whose drawing is recorded on first use and replayed afterwards (for one scale)."""

    def __init__(self, page: Page) -> None:
        self.__dict__.update(page.__dict__)
        self._recordings: dict[float, Any] = {}

    def paint(self, stream, scale=1):
        recording = self._recordings.get(scale)
        if recording is None:
            recording = self._recordings[scale] = _record(self, stream, scale)
        if recording is _NOT_REPLAYABLE:
            super().paint(stream, scale)
        else:
            _replay(recording, stream)


def _record(page: Page, stream, scale: float) -> Any:
    """Draw `page` into a stream of its own and keep what the drawing did, or return `_NOT_REPLAYABLE`.

    Every stream of the drawing (the page's and those of its groups) asks the real stream for its fonts,
    so that the document gets them in the order drawing gives them, and gets per-page copies back.
    """
    resources = pydyf.Dictionary({"ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(),
                                  "Pattern": pydyf.Dictionary(), "Shading": pydyf.Dictionary(),
                                  "ColorSpace": stream._resources["ColorSpace"]})
    images: dict = {}
    fonts: dict[str, tuple[Any, Any]] = {}            # key → (Pango font, this page's copy of the font)
    recorder = stream.clone(fonts={}, resources=resources, images=images)
    original = Stream.add_font
    real_add_font = stream.add_font

    def add_font(_stream, pango_font):
        key, _, font_size = get_pango_font_key(pango_font)
        if key not in fonts:
            font, _ = real_add_font(pango_font)
            mine = copy.copy(font)                    # shares the font file; gets usage of its own
            mine.widths, mine.to_unicode, mine.missing = {}, {}, {}
            fonts[key] = (pango_font, mine)
        return fonts[key][1], font_size

    Stream.add_font = add_font
    try:
        Page.paint(page, recorder, scale)
    finally:
        Stream.add_font = original
    states = resources["ExtGState"]
    if (images or resources["Pattern"] or resources["Shading"]
            or any(not _ALPHA_STATE.fullmatch(name) for name in states)
            or any(not (_GROUP.fullmatch(name) and isinstance(group, Stream))
                   for name, group in resources["XObject"].items())
            or any(font.missing or font.used_in_forms for _, font in fonts.values())):
        return _NOT_REPLAYABLE
    memo: dict[int, Any] = {}
    return _Recording(_joined(recorder.stream),
                      tuple((pango_font, dict(font.widths), dict(font.to_unicode))
                            for pango_font, font in fonts.values()),
                      tuple((name, dict(state)) for name, state in states.items()),
                      tuple((name, _portable(group, resources["ColorSpace"], memo))
                            for name, group in resources["XObject"].items()))


def _joined(items: list) -> bytes:
    return b"\n".join(pydyf._to_bytes(item) for item in items)


def _portable(value: Any, color_space: Any, memo: dict[int, Any]) -> Any:
    """A copy of a recorded PDF object that any PDF can take: streams as plain pydyf streams with their
    operators joined, the colour space left open, shared objects shared in the copy too."""
    return _copied(value, color_space, memo, portable=True)


def _instance(value: Any, color_space: Any, memo: dict[int, Any]) -> Any:
    """A fresh copy of a portable object for one PDF (writing a PDF numbers its objects and rewrites them)."""
    return _copied(value, color_space, memo, portable=False)


def _copied(value: Any, color_space: Any, memo: dict[int, Any], portable: bool) -> Any:
    """`_portable` (the colour space becomes `_COLOR_SPACE`) or `_instance` (`_COLOR_SPACE` becomes the PDF's)."""
    if value is _COLOR_SPACE and not portable:
        return color_space
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, pydyf.Stream):
        items = [_joined(value.stream)] if portable else list(value.stream)
        copied: Any = pydyf.Stream(items, None, compress=value.compress)
        memo[id(value)] = copied
        copied.extra = _copied(value.extra, color_space, memo, portable)
        return copied
    if isinstance(value, pydyf.Dictionary):
        copied = pydyf.Dictionary()
        memo[id(value)] = copied
        for key, item in value.items():
            leave_open = portable and key == "ColorSpace" and item is color_space
            copied[key] = _COLOR_SPACE if leave_open else _copied(item, color_space, memo, portable)
        return copied
    if isinstance(value, pydyf.Array):
        return pydyf.Array(_copied(item, color_space, memo, portable) for item in value)
    return value


def _replay(recording: _Recording, stream) -> None:
    for pango_font, widths, to_unicode in recording.fonts:
        font, _ = stream.add_font(pango_font)
        for glyph, width in widths.items():
            font.widths.setdefault(glyph, width)
        for glyph, text in to_unicode.items():
            font.to_unicode.setdefault(glyph, text)
    for name, state in recording.states:
        stream._resources["ExtGState"].setdefault(name, pydyf.Dictionary(state))
    operators = recording.operators
    if recording.groups:
        # named as drawing names them: by how many form XObjects the PDF already has
        xobjects = stream._resources["XObject"]
        memo: dict[int, Any] = {}
        names: dict[bytes, bytes] = {}
        for name, group in recording.groups:
            names[name.encode()] = f"x{len(xobjects)}".encode()
            xobjects[names[name.encode()].decode()] = _instance(group, stream._resources["ColorSpace"], memo)
        operators = _DO.sub(lambda match: b"/" + names[match[1]] + b" Do", operators)
    if operators:
        stream.stream.append(operators)
