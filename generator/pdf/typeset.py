"""Turn one branch's handbook context into PDF bytes, with Jinja2 for the HTML and WeasyPrint for the pages.

Reproducibility: WeasyPrint writes no wall-clock time by itself, and names font
subsets after a hash of their description. The only dates in the file are the
ones we put in `<meta name="dcterms.created|modified">`: `SOURCE_DATE_EPOCH`
when it is set, else the context's `generated_on`. The PDF file identifier
(/ID) is derived from the HTML and CSS, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from generator.pdf.outline import handbook_outline

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEETS = ("fonts.css", "handbook.css")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def chinese_date(value: dt.date | None) -> str:
    """2026年3月5日, the form used in running text and forms."""
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def dotted_date(value: dt.date | None) -> str:
    """2026.03.05, compact enough for the many date columns of a roster."""
    return "" if value is None else f"{value.year}.{value.month:02d}.{value.day:02d}"


def percent(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "—"


def demote_headings(html: str) -> Markup:
    """Chapter HTML with h1/h2 → h3, h3 → h4 …: the book's h1 is the part, h2 the chapter."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(max(int(m[2]) + 1, 3), 6)}", html))


@lru_cache(maxsize=1)
def handbook_environment() -> Environment:
    """One Jinja environment per process, so a worker compiles the templates once."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(chinese_date=chinese_date, dotted_date=dotted_date, percent=percent,
                       demote_headings=demote_headings)
    return env


def document_date(generated_on: Any, source_date_epoch: str | None) -> str | None:
    """The W3C date for the PDF's creation/modification dates, never the wall clock."""
    if source_date_epoch:
        moment = dt.datetime.fromtimestamp(int(source_date_epoch), tz=dt.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(generated_on, dt.date):
        return generated_on.isoformat()
    match = _CHINESE_DATE.search(str(generated_on or ""))
    if match:
        return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
    return None


def render_handbook_html(context: dict, source_date_epoch: str | None = None) -> str:
    """The whole handbook as one HTML document (stylesheets linked relative to the theme)."""
    template = handbook_environment().get_template("handbook.html.j2")
    return template.render(**context, parts=handbook_outline(context), stylesheets=STYLESHEETS,
                           created=document_date(context.get("generated_on"), source_date_epoch))


def pdf_identifier(html: str, theme_dir: Path) -> bytes:
    """A stable /ID: the same HTML and stylesheets always give the same identifier."""
    digest = hashlib.sha256(html.encode("utf-8"))
    for name in STYLESHEETS:
        digest.update((theme_dir / name).read_bytes())
    return digest.hexdigest()[:32].encode("ascii")


def typeset_handbook(context: dict, theme_dir: Path, source_date_epoch: str | None = None) -> bytes:
    """The handbook PDF for one branch context, laid out with the CSS in `theme_dir`."""
    html = render_handbook_html(context, source_date_epoch)
    # base_url makes <link href="fonts.css"> and any url() in the theme resolve inside theme_dir.
    document = HTML(string=html, base_url=theme_dir.resolve().as_uri() + "/")
    return document.write_pdf(font_config=FontConfiguration(),
                              pdf_identifier=pdf_identifier(html, theme_dir))
