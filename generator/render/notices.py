"""Turn notices into the site's 公示 pages: the archive (newest first), one page per notice, and the Atom feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2

from generator.render.feed import notices_feed
from generator.render.results import format_value

if TYPE_CHECKING:
    from generator.compute.notices import Notice
    from generator.compute.views import View


def render_notice_pages(notices: list[Notice], organization: View, env: jinja2.Environment,
                        files: dict[str, str], notice_pdfs: frozenset[str] | None = None) -> list:
    """Write notices/*.md and notices/feed.xml into `files`; return the 公示 navigation entries.

    A notice page links its PDF only when the site will hold it (`notice_pdfs`, None for all);
    otherwise it says how to make it, so a build without PDFs has no dead link.
    """
    env.filters["result"] = format_value
    files["notices/index.md"] = env.get_template("notices.md.j2").render(notices=notices, organization=organization)
    files["notices/feed.xml"] = notices_feed(notices, organization)
    nav: list = ["notices/index.md"]
    for notice in notices:
        files[f"notices/{notice['slug']}.md"] = env.get_template("notice.md.j2").render(
            notice=notice, has_pdf=notice_pdfs is None or notice["slug"] in notice_pdfs)
        nav.append({f"{notice['date_text']} {notice['period_label']}{notice['scheme_name']}": f"notices/{notice['slug']}.md"})
    return nav
