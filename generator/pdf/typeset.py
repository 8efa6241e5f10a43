"""Turn print contexts into laid-out WeasyPrint documents: Jinja2 for the HTML, the theme's CSS for the pages.

Reproducibility: WeasyPrint writes no wall-clock time by itself, and names font
subsets after a hash of their description. The only dates in a file are the
ones we put in `<meta name="dcterms.created|modified">`: `SOURCE_DATE_EPOCH`
when it is set, else the context's `generated_on`. The PDF file identifier
(/ID) is derived from the HTML and CSS, so the same inputs give the same bytes.

Speed: WeasyPrint's user-agent stylesheet gives every element of a document
six pseudo-elements (::marker and the five of footnotes and notes), whose
styles it computes for every element, uncached: most of the CSS cascade of a
print set, which is mostly tables. Only list items draw markers, and only
elements floated as footnotes or placed as notes use the other five; so where
the print theme has neither (`lean_user_agent`), documents are laid out with a
copy of that stylesheet whose marker rule names list items and without the
footnote and note rules. What is drawn does not change.

Safety: every document is laid out with `generator.pdf.fetch.safe_fetcher`
(theme files and data: URIs only), and no document keeps a file attachment
(``<a rel="attachment">``, ``<link rel="attachment">``): the print set embeds
no files, so chapter HTML cannot smuggle one in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.errors import UserError
from generator.models.branch import SIX_HAVES
from generator.periods import chinese_date, chinese_numeral, dotted_date, period_label
from generator.pdf.fetch import SafeFetcher, safe_fetcher
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document
from weasyprint.html import UA, UA_STYLESHEET
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

TEMPLATES = Path(__file__).parent / "templates"
HANDBOOK_STYLESHEETS = ("fonts.css", "handbook.css", "forms.css")
BOXES_STYLESHEETS = ("fonts.css", "boxes.css")
STYLESHEETS = tuple(dict.fromkeys(HANDBOOK_STYLESHEETS + BOXES_STYLESHEETS))
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_LINK = re.compile(r'<link rel="stylesheet" href="([^"/]+\.css)">')
_NOTE_PSEUDOS = ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")
_NOTE_RULES = re.compile(r"^::(?:" + "|".join(_NOTE_PSEUDOS) + r")\s*\{[^}]*\}[ \t]*\n", re.MULTILINE)
_MARKER_RULE = re.compile(r"^::marker(\s*\{)", re.MULTILINE)
_NEEDS_FULL_USER_AGENT = re.compile(r"footnote|note\(|list-item|::?marker", re.IGNORECASE)


def percent(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "—"


def millimetres(value: float) -> str:
    """40.0 → 40, 42.5 → 42.5: sizes as a person writes them."""
    return f"{value:g}"


def demote_headings(html: str) -> Markup:
    """Chapter HTML with h1/h2 → h3, h3 → h4 …: the book's h1 is the part, h2 the chapter."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(max(int(m[2]) + 1, 3), 6)}", html))


@lru_cache(maxsize=1)
def print_environment() -> Environment:
    """One Jinja environment per process, so a worker compiles the templates once."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(chinese_date=chinese_date, dotted_date=dotted_date, percent=percent,
                       demote_headings=demote_headings, period_label=period_label, period_name=period_label,
                       mm=millimetres, chinese_numeral=chinese_numeral)
    env.globals["SIX_HAVES"] = SIX_HAVES
    return env


def document_date(generated_on: Any, source_date_epoch: str | None) -> str | None:
    """The W3C date for the PDF's creation/modification dates, never the wall clock."""
    if source_date_epoch:
        moment = dt.datetime.fromtimestamp(int(source_date_epoch), tz=dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(generated_on, dt.date):
        return generated_on.isoformat()
    match = _CHINESE_DATE.search(str(generated_on or ""))
    if match:
        return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
    return None


def render_html(template: str, context: Mapping[str, Any], stylesheets: Iterable[str], **extra: Any) -> str:
    """One document of the print set as HTML (stylesheets linked relative to the theme)."""
    return print_environment().get_template(template).render(**context, stylesheets=tuple(stylesheets), **extra)


def without_attachments(document: Document) -> Document:
    """The document with its file attachments dropped: the print set embeds no files."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One font configuration per process, for every document it lays out.

    Each configuration loads fontconfig's list of fonts and opens the CJK fonts
    again (tens of MB each); pages laid out with one configuration can be combined
    with pages of another, but keeping one saves the memory and the time.
    """
    return FontConfiguration()


@lru_cache(maxsize=1)
def _lean_user_agent_stylesheet() -> CSS | None:
    """WeasyPrint's user-agent stylesheet, markers for list items only, no footnote or note rules (None if this
    WeasyPrint's stylesheet does not read as expected: then it is used as it is)."""
    text, notes = _NOTE_RULES.subn("", UA)
    text, markers = _MARKER_RULE.subn(r"li::marker, summary::marker\1", text)
    if notes != len(_NOTE_PSEUDOS) or markers != 1:
        return None
    return CSS(string=text, counter_style=CounterStyle())


def lean_user_agent(theme_dir: Path) -> bool:
    """Whether the documents of this theme may use the lean user-agent stylesheet: no stylesheet of the theme
    floats footnotes, places notes, makes list items of other elements or styles markers."""
    return _lean_user_agent_stylesheet() is not None and not any(
        _NEEDS_FULL_USER_AGENT.search(path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(theme_dir.glob("*.css")))


class _LeanHTML(HTML):
    """An HTML document laid out with the lean user-agent stylesheet."""

    def _ua_stylesheets(self, forms=False):
        sheets = super()._ua_stylesheets(forms)
        return [_lean_user_agent_stylesheet(), *sheets[1:]] if sheets and sheets[0] is UA_STYLESHEET else sheets


class _ParsedOnceFetcher(SafeFetcher):
    """The safe fetcher, except that the stylesheets given to `lay_out` already parsed come back empty."""

    def __init__(self, roots: Iterable[Path], parsed: Iterable[str]) -> None:
        super().__init__(roots)
        self.parsed = frozenset(parsed)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url in self.parsed:
            return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
        return super().fetch(url, headers)


@lru_cache(maxsize=64)
def _parsed_stylesheet(path: Path, content: bytes) -> CSS:
    return CSS(string=content.decode("utf-8"), base_url=path.as_uri(), url_fetcher=safe_fetcher((path.parent,)),
               font_config=font_configuration())


def _linked_stylesheets(html: str, theme_dir: Path) -> list[Path]:
    """The theme's stylesheets the document links, which can be parsed once per process: those without
    @counter-style rules (a stylesheet parsed apart from the document keeps those to itself)."""
    found = []
    for name in dict.fromkeys(_LINK.findall(html)):
        path = (theme_dir / name).resolve()
        if path.is_file() and path.parent == theme_dir.resolve() and b"@counter-style" not in path.read_bytes():
            found.append(path)
    return found


def lay_out(html: str, theme_dir: Path, first_page: int | None = None) -> Document:
    """Lay out one HTML document; `first_page` sets the printed number of its first page.

    Resources come only from `theme_dir` and data: URIs (see `generator.pdf.fetch`). The theme's
    stylesheets the document links are parsed once per process (about 40 ms a document for the
    handbook's) and applied in the same order, as the user's stylesheets: the document is made of
    them alone, so they cascade as they would from its links.
    """
    linked = _linked_stylesheets(html, theme_dir)
    fetcher = _ParsedOnceFetcher((theme_dir,), (path.as_uri() for path in linked))
    sheets = [_parsed_stylesheet(path, path.read_bytes()) for path in linked]
    if first_page is not None:
        sheets.append(CSS(string=f"@page :first {{ counter-set: page {first_page} }}", url_fetcher=fetcher))
    # base_url makes <link href="fonts.css"> and any url() in the theme resolve inside theme_dir.
    kind = _LeanHTML if lean_user_agent(theme_dir) else HTML
    document = kind(string=html, base_url=theme_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
    return without_attachments(document.render(font_config=font_configuration(), stylesheets=sheets or None))


def require_stylesheets(theme_dir: Path, names: Iterable[str]) -> None:
    """A Chinese `UserError` naming the print stylesheets missing from `theme_dir`, if any is."""
    missing = [name for name in names if not (theme_dir / name).is_file()]
    if missing:
        raise UserError(f"打印样式文件夹 {theme_dir} 中缺少 {'、'.join(missing)}；可从示例组织的 theme/print/ 复制一份")


def theme_digest(theme_dir: Path, names: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update((theme_dir / name).read_bytes())
    return digest.hexdigest()


def pdf_identifier(htmls: Iterable[str], theme_dir: Path, names: Iterable[str]) -> bytes:
    """A stable /ID: the same HTML and stylesheets always give the same identifier."""
    digest = hashlib.sha256(theme_digest(theme_dir, names).encode("ascii"))
    for html in htmls:
        digest.update(html.encode("utf-8"))
    return digest.hexdigest()[:32].encode("ascii")
