"""Lay out the pages of a form that repeat from copy to copy once, and reuse them in every copy.

A branch's handbook holds 4–60 copies of each meeting record and a 党费 table
for every month. The copies differ only in a few words at the top of a page
(the meeting's number and month, a caption with them), yet laying out every
copy was most of the cost of a print set. So a repeated page is written in two
layers (see `Layers.page`, called from the templates):

- a *frame* page, in the handbook's own flow: the copy's own words in a block
  of fixed height at the top of the page (`form-head` or `caption`, whose
  heights forms.css fixes), plus what the flow gives every page — the running
  head, the folio, the bookmark and the anchor of the form;
- a *body*: the rest of the page, with that block left empty. Bodies are laid
  out in a document of their own, once per worker for each distinct HTML, and
  kept (`_BODIES`); the same body serves every copy, and every branch whose
  page is the same.

`lay_out_layered` lays out the missing bodies, then the frame document (a body
that runs over several pages gets as many frame pages), and pairs each frame
page with its body page (`LayeredPage`). When the PDF is written, a body page
is drawn once, as a form XObject, and every page that shows it places that
XObject, shifted onto the page's type area (left- and right-hand pages have
mirrored margins), before drawing its frame on top: the PDF is smaller and
faster to write, and looks exactly like a whole layout of the same HTML. If
the two layers do not line up (say, a theme whose block is not of fixed
height, or a page with a background), `LayersMismatch` is raised and the
caller lays the document out whole.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pydyf
from markupsafe import Markup
from weasyprint.document import Document, Page
from weasyprint.draw import draw_stacking_context
from weasyprint.stacking import StackingContext

from generator.pdf.typeset import lay_out, render_html, theme_digest

PREFIX = "bblayer-"                   # ids of the layers' own anchors, dropped from the combined pages
_BODY_ID = "@@bblayer-body@@"         # replaced by the body's number in the body document
_MORE = re.compile(r"<!--bblayer-more-(\d+)-->")
_BODIES_KEEP = 8                      # bodies kept from earlier documents (a branch needs 15–25 of its own)
TOLERANCE = 0.01                      # CSS px


class LayersMismatch(Exception):
    """A frame page and its body do not line up; the document must be laid out whole."""


@dataclass
class Layers:
    """How the templates write a repeated form page: whole (`layered=False`), or as frame and body."""

    layered: bool = False
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)   # key → (form kind, page HTML)
    slots: list[str] = field(default_factory=list)                     # frame slot n → body key

    def page(self, kind: str, var_class: str, var: str, rest: str) -> Markup:
        """One form page: the block `var_class` holding `var` (if any), then `rest`."""
        if not self.layered:
            return Markup('<div class="form-page">') + _block(var_class, var) + Markup(rest) + Markup("</div>")
        body = (Markup(f'<div class="form-page" id="{PREFIX}body-{_BODY_ID}">')
                + _block(var_class, "", f"{PREFIX}bodyvar-{_BODY_ID}") + Markup(rest) + Markup("</div>"))
        key = hashlib.sha256(f"{kind}\0{body}".encode()).hexdigest()
        self.bodies.setdefault(key, (kind, str(body)))
        number = len(self.slots)
        self.slots.append(key)
        return (Markup(f'<div class="form-page" id="{PREFIX}slot-{number}">')
                + _block(var_class, var, f"{PREFIX}var-{number}") + Markup(f"</div><!--bblayer-more-{number}-->"))


def _block(var_class: str, inner: str, anchor: str = "") -> Markup:
    if not var_class:
        return Markup("")
    identifier = f' id="{anchor}"' if anchor else ""
    return Markup(f'<div class="{var_class}"{identifier}>') + Markup(inner) + Markup("</div>")


@dataclass(frozen=True)
class _Body:
    pages: tuple[Page, ...]
    var: tuple[float, float, float, float] | None     # the empty block's rectangle on the first page


_BODIES: OrderedDict[str, _Body] = OrderedDict()


@dataclass(frozen=True)
class LaidOut:
    """A layered document: its pages (frame and body combined) and the documents they come from."""

    pages: list[Page]
    frame: Document
    bodies: tuple[_Body, ...]


def _lay_out_bodies(wanted: dict[str, tuple[str, str]], theme_dir: Path, stylesheets: tuple[str, ...]) -> None:
    """Lay out the bodies not yet kept, all in one document, and keep them with the most recent others."""
    digest = theme_digest(theme_dir, stylesheets)
    wanted_keys = {f"{digest}{key}" for key in wanted}
    others = [key for key in _BODIES if key not in wanted_keys]
    for key in others[:max(0, len(others) - _BODIES_KEEP)]:
        del _BODIES[key]
    missing = [(key, kind, html) for key, (kind, html) in wanted.items() if f"{digest}{key}" not in _BODIES]
    if missing:
        bodies = [(kind, Markup(html.replace(_BODY_ID, str(index)))) for index, (_, kind, html) in enumerate(missing)]
        document = lay_out(render_html("form_bodies.html.j2", {}, stylesheets, bodies=bodies), theme_dir)
        starts: dict[int, int] = {}   # body index → its first page
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith(f"{PREFIX}body-"):           # a body over several pages has it on each
                    starts.setdefault(int(anchor.rsplit("-", 1)[1]), number)
        if sorted(starts) != list(range(len(missing))):
            raise LayersMismatch("a form body did not start a page")
        ends = [starts[index + 1] if index + 1 < len(missing) else len(document.pages) for index in range(len(missing))]
        for index, (key, _, _) in enumerate(missing):
            pages = tuple(document.pages[starts[index]:ends[index]])
            _BODIES[f"{digest}{key}"] = _Body(pages, pages[0].anchors.get(f"{PREFIX}bodyvar-{index}"))
    for key in wanted:
        _BODIES.move_to_end(f"{digest}{key}")


def _root(page: Page):
    return page._page_box.children[0]


class LayeredPage(Page):
    """A frame page over a body page; the body is painted as one form XObject per PDF, shared by its copies."""

    def __init__(self, frame: Page, body: Page, shift: tuple[float, float]) -> None:
        self.__dict__.update(frame.__dict__)
        self.anchors = {name: target for name, target in frame.anchors.items() if not name.startswith(PREFIX)}
        self.body = body
        self.shift = shift

    def paint(self, stream, scale=1):
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            stream.transform(e=self.shift[0], f=self.shift[1])
            stream.draw_x_object(_body_form(stream, self.body))
        super().paint(stream, scale)


def _body_form(stream, body: Page) -> str:
    """The name of the form XObject that draws `body` in the PDF being written, drawn on first use.

    The page streams of one PDF share one resources dictionary, so a form registered there serves every page.
    """
    forms = stream._resources.__dict__.setdefault("bblayer_forms", {})
    if id(body) not in forms:
        x, y, width, height = stream.page_rectangle
        resources = pydyf.Dictionary({
            "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(), "ColorSpace": stream._resources["ColorSpace"],
            "Font": None,       # set when the PDF is written, as for WeasyPrint's own groups
        })
        form = stream.clone(resources=resources, extra=pydyf.Dictionary({
            "Type": "/XObject", "Subtype": "/Form", "BBox": pydyf.Array((x, y, x + width, y + height)),
            "Resources": resources}))
        name = f"x{len(stream._resources['XObject'])}"
        stream._resources["XObject"][name] = form
        page_box = body._page_box
        draw_stacking_context(form, StackingContext.from_box(page_box.children[0], page_box))
        forms[id(body)] = name
    return forms[id(body)]


def _paints(background) -> bool:
    return background is not None and (background.color.alpha > 0 or any(layer.image for layer in background.layers))


def _paired(frame: Page, body: Page, frame_var: tuple | None, body_var: tuple | None) -> LayeredPage:
    """The frame page over its body page, once it is sure that the two line up."""
    frame_box = frame._page_box
    frame_root, body_root = frame_box.children[0], _root(body)
    if abs(frame_root.width - body_root.width) > TOLERANCE or abs(frame.height - body.height) > TOLERANCE:
        raise LayersMismatch("frame and body pages have different type areas")
    if any(_paints(background) for background in (frame_box.background, frame_box.canvas_background,
                                                  frame_root.background, *(c.background for c in frame_root.children[:1]))):
        raise LayersMismatch("a background on the frame page would cover the body")
    dx, dy = frame_root.position_x - body_root.position_x, frame_root.position_y - body_root.position_y
    if (frame_var is None) != (body_var is None):
        raise LayersMismatch("a frame page and its body disagree on the block of the copy's own words")
    if frame_var is not None and body_var is not None and any(abs(f - b - shift) > TOLERANCE for f, b, shift
                                     in zip(frame_var, body_var, (dx, dy, dx, dy))):
        raise LayersMismatch("the block of the copy's own words is not where the body leaves it empty")
    return LayeredPage(frame, body, (dx, dy))


def lay_out_layered(html: str, layers: Layers, theme_dir: Path, stylesheets: tuple[str, ...],
                    first_page: int | None = None) -> LaidOut:
    """Lay out a document written with `layers` (layered): bodies once, frames here, combined page by page."""
    digest = theme_digest(theme_dir, stylesheets)
    _lay_out_bodies(layers.bodies, theme_dir, stylesheets)
    bodies = {key: _BODIES[f"{digest}{key}"] for key in layers.bodies}

    def more(match: re.Match) -> str:
        number = int(match[1])
        extra = len(bodies[layers.slots[number]].pages) - 1
        return "".join(f'<div class="form-page" id="{PREFIX}slot-{number}-{page}"></div>' for page in range(1, extra + 1))

    frame = lay_out(_MORE.sub(more, html), theme_dir, first_page)
    pages: list[Page] = []
    seen = 0
    for page in frame.pages:
        slots = [name for name in page.anchors if name.startswith(f"{PREFIX}slot-")]
        if not slots:
            pages.append(page)
            continue
        if len(slots) != 1:
            raise LayersMismatch("two form pages share a page of the frame")
        number, _, part = slots[0][len(PREFIX) + 5:].partition("-")
        body = bodies[layers.slots[int(number)]]
        index = int(part or 0)
        frame_var = page.anchors.get(f"{PREFIX}var-{number}") if index == 0 else None
        pages.append(_paired(page, body.pages[index], frame_var, body.var if index == 0 else None))
        seen += 1
    if seen != sum(len(bodies[key].pages) for key in layers.slots):
        raise LayersMismatch("the frame has not one page for every page of the bodies")
    return LaidOut(pages, frame, tuple(bodies.values()))
