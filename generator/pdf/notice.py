"""Turn 公示 notices into A4 PDFs laid out after GB/T 9704 (title 二号 小标宋, body 三号 仿宋, 落款 at the right).

Reproducible like the handbooks (see generator.pdf.typeset): the only dates
in a file are the dcterms meta dates, from SOURCE_DATE_EPOCH when it is set
or else the notice's own publishing date, and the PDF /ID is a hash of the
HTML and the stylesheets. Notices go to site/pdf/notices/<slug>.pdf, next to
the handbooks, so `build --no-pdf` keeps the previous ones with them. Laid
out like the handbooks (`generator.pdf.typeset.lay_out`): theme files and
data: URIs only, no file attachments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from jinja2 import Environment

from generator.errors import UserError
from generator.pdf.typeset import lay_out, print_environment
from generator.render.results import format_value

STYLESHEETS = ("fonts.css", "notice.css")


def document_date(published: dt.date, source_date_epoch: str | None) -> str:
    """The W3C date for the PDF's creation/modification dates, never the wall clock."""
    if source_date_epoch:
        moment = dt.datetime.fromtimestamp(int(source_date_epoch), tz=dt.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return published.isoformat()


def _environment() -> Environment:
    """The print set's one Jinja environment (see `print_environment`), with the notices' filter."""
    env = print_environment()
    env.filters["result"] = format_value
    return env


def notice_html(notice: dict, organization: dict, source_date_epoch: str | None = None) -> str:
    env = _environment()
    created = document_date(notice["published"], source_date_epoch)
    return env.get_template("notice.html.j2").render(notice=notice, organization=organization,
                                                     stylesheets=STYLESHEETS, created=created)


def _identifier(html: str, theme_dir: Path) -> bytes:
    digest = hashlib.sha256(html.encode("utf-8"))
    for name in STYLESHEETS:
        digest.update((theme_dir / name).read_bytes())
    return digest.hexdigest()[:32].encode("ascii")


def typeset_notice(notice: dict, organization: dict, theme_dir: Path, source_date_epoch: str | None = None) -> bytes:
    html = notice_html(notice, organization, source_date_epoch)
    return lay_out(html, theme_dir).write_pdf(pdf_identifier=_identifier(html, theme_dir))


def print_notices(notices: list[dict], organization: dict, out_dir: Path, theme_dir: Path) -> list[Path]:
    """Write <slug>.pdf for every notice into `out_dir`; returns the paths, sorted."""
    missing = [name for name in STYLESHEETS if not (theme_dir / name).is_file()]
    if missing:
        raise UserError(f"打印样式文件夹 {theme_dir} 中缺少 {'、'.join(missing)}; 可从示例组织的 theme/print/ 复制一份")
    out_dir.mkdir(parents=True, exist_ok=True)
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    paths = []
    for notice in sorted(notices, key=lambda n: n["slug"]):
        target = out_dir / f"{notice['slug']}.pdf"
        target.write_bytes(typeset_notice(notice, organization, theme_dir, epoch))
        paths.append(target)
    return paths
