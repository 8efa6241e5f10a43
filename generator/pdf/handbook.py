"""Turn one branch's print context into the PDF bytes of its 《党支部工作手册》.

The book is laid out as three WeasyPrint documents and combined page by page
with `Document.copy` (see docs/rendering.md, Reusing layout and rendering in parallel):

1. the front matter — cover, 使用说明, contents;
2. the shared parts — 任务职责, 管理制度, 程序流程 — the same in every branch's
   book, so a worker lays them out once and keeps the pages (`_SHARED`), and
   draws them once (`generator.pdf.replay`);
3. the branch's own part — 基础资料 with its data and record forms; the form
   pages that repeat from copy to copy are laid out once and reused
   (`generator.pdf.layers`).

Each document starts its page counter where the previous one ends, and each
starts on a right-hand page (an empty page is slipped in when one would end
on a right-hand page), so folios, running heads and left/right alternation
read as one book. The contents carry literal page numbers: the front matter is
laid out once with placeholders to learn its length, and again with the
numbers read from the anchors of the other two documents. A worker remembers
the length for the same contents (`_FRONT_PAGES`), and checks it on the second
layout: books whose contents list the same entries skip the first one.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from weasyprint.document import Document, Page

from generator.pdf.layers import Layers, LayersMismatch, lay_out_layered
from generator.pdf.outline import Part, handbook_outline
from generator.pdf.replay import ReplayedPage
from generator.pdf.typeset import (
    HANDBOOK_STYLESHEETS, document_date, lay_out, pdf_identifier, render_html, theme_digest,
)

if TYPE_CHECKING:   # the print workers import this module; the context types would bring the scoring engines
    from generator.pdf.context_types import PrintContext

COVER_NUMBER = -1          # cover −1, its reverse 0: the contents page is page 1
PLACEHOLDER = "000"        # as wide as any page number, so the contents keep their length
_SHARED: OrderedDict[str, Document] = OrderedDict()
_SHARED_KEEP = 2
_BLANK: dict[str, Page] = {}
_FRONT_PAGES: dict[str, int] = {}      # what the front matter's length depends on → its pages


@dataclass(frozen=True)
class PrintedBook:
    pdf: bytes
    pages: int


def _numbers(pages: list[Page], first: int) -> dict[str, int]:
    """Anchor → printed page number of the page that holds it."""
    numbers: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            numbers.setdefault(anchor, first + index)
    return numbers


def _anchors(parts: tuple[Part, ...]) -> list[str]:
    return [anchor for part in parts for anchor in (part.anchor, *(s.anchor for s in part.sections))]


def _front_html(context: PrintContext, parts: tuple[Part, ...], pages: dict, created: str | None) -> str:
    return render_html("front.html.j2", context, HANDBOOK_STYLESHEETS, parts=parts, pages=pages, created=created,
                       book=running_head(context), title=handbook_title(context))


def _parts_html(context: PrintContext, parts: list[Part], book: str, layers: Layers | None = None) -> str:
    return render_html("parts.html.j2", context, HANDBOOK_STYLESHEETS, parts=parts, book=book,
                       title=book, created=None, layers=layers or Layers())


def _shared_layout(html: str, theme_dir: Path, first: int) -> Document:
    """The shared parts' pages, laid out once per worker for each first page number and drawn once
    (`generator.pdf.replay`)."""
    key = hashlib.sha256(f"{first}\0{theme_digest(theme_dir, HANDBOOK_STYLESHEETS)}\0{html}".encode()).hexdigest()
    if key not in _SHARED:
        document = lay_out(html, theme_dir, first)
        document.pages = [ReplayedPage(page) for page in document.pages]
        _SHARED[key] = document
        while len(_SHARED) > _SHARED_KEEP:
            _SHARED.popitem(last=False)
    _SHARED.move_to_end(key)
    return _SHARED[key]


def _blank_page(theme_dir: Path) -> Page:
    """An empty left-hand page without head or folio, to make the next document open on the right."""
    key = theme_digest(theme_dir, HANDBOOK_STYLESHEETS)
    if key not in _BLANK:
        html = render_html("blank.html.j2", {}, HANDBOOK_STYLESHEETS)
        _BLANK[key] = lay_out(html, theme_dir).pages[0]
    return _BLANK[key]


def _evened(pages: list[Page], blank: Page) -> list[Page]:
    return pages + [blank] * (len(pages) % 2)


def running_head(context: PrintContext) -> str:
    """The running head of every left-hand page, in all four parts alike.

    The shared parts are laid out once for all branches, so the head names no
    branch; the front matter and the branch's part use the same words.
    """
    return f"党支部工作手册（{context['year']}年度）"


def handbook_name(short_name: str) -> str:
    """青石村党支部 → 青石村党支部工作手册; 青石村 → 青石村党支部工作手册 (never 党支部党支部)."""
    return f"{short_name}工作手册" if short_name.endswith("党支部") else f"{short_name}党支部工作手册"


def handbook_title(context: PrintContext) -> str:
    """The PDF's title, which viewers and browsers offer as the file name when saving or printing."""
    return f"{handbook_name(context['branch']['short_name'])}（{context['year']}年度）"


def handbook_html(context: PrintContext, source_date_epoch: str | None = None) -> str:
    """The three HTML documents of the book, one after the other (contents numbers left as placeholders).

    For looking at and testing what reaches the PDF; `typeset_handbook` lays them out separately.
    """
    parts = handbook_outline(context)
    head = running_head(context)
    created = document_date(context.get("generated_on"), source_date_epoch)
    return "\n".join((_front_html(context, parts, dict.fromkeys(_anchors(parts), PLACEHOLDER), created),
                      _parts_html(context, [p for p in parts if p.shared], head),
                      _parts_html(context, [p for p in parts if not p.shared], head)))


def _front_key(context: PrintContext, parts: tuple[Part, ...], theme_dir: Path) -> str:
    """The contents' entries, the organization's words and the theme: what makes the front matter longer.

    The branch's name is left out (it fills a line of the cover and of the colophon whatever its length), and
    of a note such as 「24份」 only its length counts; the second layout checks the length anyway.
    """
    entries = [(part.heading, [(s.title, s.group, len(s.toc_note)) for s in part.sections]) for part in parts]
    words = (context["organization"], context["year"], context["generated_on"])
    return hashlib.sha256(repr((entries, words, theme_digest(theme_dir, HANDBOOK_STYLESHEETS))).encode()).hexdigest()


class _FrontLength(Exception):
    """The front matter came out longer or shorter than the remembered length."""


def typeset_handbook(context: PrintContext, theme_dir: Path, source_date_epoch: str | None = None) -> PrintedBook:
    """The handbook PDF for one branch context, laid out with the CSS in `theme_dir`."""
    parts = handbook_outline(context)
    created = document_date(context.get("generated_on"), source_date_epoch)
    key = _front_key(context, parts, theme_dir)
    if key in _FRONT_PAGES:
        try:
            return _typeset(context, theme_dir, parts, created, _FRONT_PAGES[key], remembered=True)
        except _FrontLength:
            pass
    placeholders = _front_html(context, parts, dict.fromkeys(_anchors(parts), PLACEHOLDER), created)
    _FRONT_PAGES[key] = len(lay_out(placeholders, theme_dir, COVER_NUMBER).pages)
    return _typeset(context, theme_dir, parts, created, _FRONT_PAGES[key], remembered=False)


def _typeset(context: PrintContext, theme_dir: Path, parts: tuple[Part, ...], created: str | None,
             front_pages: int, remembered: bool) -> PrintedBook:
    shared_parts = [part for part in parts if part.shared]
    own_parts = [part for part in parts if not part.shared]
    head = running_head(context)
    blank = _blank_page(theme_dir)
    first = COVER_NUMBER + front_pages + front_pages % 2
    shared_html = _parts_html(context, shared_parts, head) if shared_parts else ""
    shared = _shared_layout(shared_html, theme_dir, first) if shared_parts else None
    shared_pages = _evened(shared.pages, blank) if shared else []
    own_first = first + len(shared_pages)
    layers = Layers(layered=True)
    own_html = _parts_html(context, own_parts, head, layers)
    try:
        own = lay_out_layered(own_html, layers, theme_dir, HANDBOOK_STYLESHEETS, own_first)
        own_pages = own.pages
    except LayersMismatch:
        own_html = _parts_html(context, own_parts, head)
        own = lay_out(own_html, theme_dir, own_first)
        own_pages = own.pages

    numbers = _numbers(own_pages, own_first) | (_numbers(shared.pages, first) if shared else {})
    front_html = _front_html(context, parts, numbers, created)
    front = lay_out(front_html, theme_dir, COVER_NUMBER)
    if len(front.pages) != front_pages:
        if remembered:
            raise _FrontLength()
        raise RuntimeError("the contents changed length once page numbers were filled in")
    pages = _evened(front.pages, blank) + shared_pages + own_pages
    pdf = front.copy(pages).write_pdf(
        pdf_identifier=pdf_identifier((front_html, shared_html, own_html), theme_dir, HANDBOOK_STYLESHEETS))
    return PrintedBook(pdf, len(pages))
