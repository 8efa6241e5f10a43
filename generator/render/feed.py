"""Turn the notices into an Atom feed (RFC 4287), newest first, with the standard library's XML writer.

The feed is byte-stable: ids are name-based UUIDs (the organization and the
notice), every date is a notice's publishing date (midnight, Beijing time),
never the build time. Links are absolute when the organization has a
`site_url`, else relative to the feed (notices/feed.xml).
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.compute.notices import Notice
    from generator.compute.views import View

ATOM = "http://www.w3.org/2005/Atom"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), BEIJING).isoformat()


def _link(site_url: str | None, relative: str) -> str:
    return f"{site_url.rstrip('/')}/notices/{relative}" if site_url else relative


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def notices_feed(notices: list[Notice], organization: View) -> str:
    """Atom XML of the notices (already newest first)."""
    ET.register_namespace("", ATOM)
    site_url = organization.get("site_url")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _add(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"branchbook:{organization['name']}:notices").urn)
    _add(feed, "title", f"{organization['short_name']}公示公告")
    _add(feed, "updated", _stamp(notices[0]["published"]) if notices else "2000-01-01T00:00:00+08:00")
    author = _add(feed, "author")
    _add(author, "name", organization["name"])
    _add(feed, "link", rel="alternate", type="text/html", href=_link(site_url, "index.html"))
    if site_url:
        _add(feed, "link", rel="self", type="application/atom+xml", href=_link(site_url, "feed.xml"))
    for notice in notices:
        entry = _add(feed, "entry")
        _add(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"branchbook:{organization['name']}:{notice['slug']}").urn)
        _add(entry, "title", notice["title"])
        _add(entry, "updated", _stamp(notice["published"]))
        _add(entry, "published", _stamp(notice["published"]))
        _add(entry, "link", rel="alternate", type="text/html", href=_link(site_url, f"{notice['slug']}.html"))
        _add(entry, "summary", f"公示时间：{notice['period_text']}。发布：{notice['issuer']}，{notice['date_text']}。")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
