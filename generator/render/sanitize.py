"""Make a page's rendered HTML safe to publish: only the markup the handbook's pages and Markdown produce survives.

Organization-written Markdown (chapters) may contain raw HTML, and Markdown
passes it through; every page's content therefore goes through `nh3` (the
Ammonia sanitizer) after Markdown and before the theme wraps it. The
allow-list keeps what our templates and the Markdown extensions in mkdocs.yml
write: tables (with their text-align), admonitions, details, content tabs
(radio inputs and labels), task lists (disabled checkboxes), footnotes,
highlighted code, header links, the branch filter's select/option/label,
`data-*` attributes, `class`, `id`, `title` and `download`. Scripts, styles,
frames, forms, SVG, event handlers and `style` beyond text-align go.

Links may point to pages and files of the site, to anchors, to mailto:/tel:
or to an outside http(s) address (a plain link the reader chooses to follow).
Images must be files of the site: nothing on a page is fetched from elsewhere.
Ids, label targets and input names may not start with "__", which Material
reserves for its own elements (`__config`, `__search`, `__drawer`, ...), except
the content tabs' `__tabbed_…` ones; `data-md-*` attributes are Material's too.
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "option", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "select", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
}
# Removed together with everything inside them.
DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                        "textarea", "title", "xmp", "noembed", "noframes"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "download", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "input": {"checked", "disabled", "name"},
    "label": {"for"},
    "option": {"value", "selected"},
    "time": {"datetime"},
}
# `type` only with these values (an alternative to listing it in ATTRIBUTES).
ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_RESERVED_NAME = re.compile(r"^__(?!tabbed_)")
_NAME_ATTRIBUTES = {"id", "for", "name"}


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drop what the allow-list alone cannot express; keep everything else as written."""
    if attribute in _NAME_ATTRIBUTES and _RESERVED_NAME.match(value):
        return None
    if attribute.startswith("data-md-"):
        return None
    if attribute in ("href", "src"):
        stripped = value.strip()
        # A scheme-relative URL (//host/…) leaves the site; from file:// it is a network path.
        if stripped.startswith(("//", "\\\\", "/\\", "\\/")):
            return None
        if element == "img" and _SCHEME.match(stripped):
            return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel=None,
    generic_attribute_prefixes={"data-"},
    tag_attribute_values=ATTRIBUTE_VALUES,
    url_schemes=URL_SCHEMES,
    filter_style_properties=STYLE_PROPERTIES,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, link_rel=None)


def sanitize_html(html: str) -> str:
    """A page's content HTML with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def sanitize_text(html: str) -> str:
    """A title as HTML text with every tag removed (entities kept)."""
    return _TEXT_ONLY.clean(html)
