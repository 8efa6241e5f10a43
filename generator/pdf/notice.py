"""Turn 公示 notices into A4 PDFs laid out after GB/T 9704 (title 二号 小标宋, body 三号 仿宋, 落款 at the right).

Reproducible like the handbooks (see generator.pdf.typeset): the only dates
in a file are the dcterms meta dates, from SOURCE_DATE_EPOCH when it is set
or else the notice's own publishing date, and the PDF /ID is a hash of the
HTML and the stylesheets. Notices go to site/pdf/notices/<slug>.pdf, next to
the handbooks, so `build --no-pdf` keeps the previous ones with them. Laid
out like the handbooks (`generator.pdf.typeset.lay_out`): theme files and
data: URIs only, no file attachments.

WeasyPrint has no Chinese word segmentation and breaks a title between any
two characters, so the title is set in lines chosen here (`title_lines`):
breaks only after 关于, around the period, after 、 and before 结果的公示, or
between jieba's words of a long name. A longer table switches the page to a
tighter density (`density`, theme/print/notice.css) so that 20 rows fit one A4 page.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from generator.pdf.typeset import document_date, lay_out, pdf_identifier, render_html, require_stylesheets
from generator.render.results import format_value

if TYPE_CHECKING:
    from generator.compute.notices import Notice
    from generator.compute.views import View

STYLESHEETS = ("fonts.css", "result-table.css", "notice.css")

TITLE_HEAD, TITLE_TAIL = "关于", "结果的公示"
# The title's line: the 156 mm type area less 2 em on each side, in em of the 22 pt title face, less a
# little for the estimate of Latin widths (`title_width`).
TITLE_LINE_EM = 15.5
WORD_SPLIT_EM = 6       # a part of a scheme name longer than this may break between its words (jieba)
WORD_BREAK_COST = 3.0   # em a line may grow to avoid breaking between the words of one part of a name
# Row counts from which the notice sets its text tighter, so that up to 20 rows fit one A4 page.
DENSITIES = ((12, "dense"), (3, "compact"))
_OPENING, _CLOSING = "「『（《“‘", "」』）》”’、，。；：？！"


def title_width(text: str) -> float:
    """Approximate width in em: CJK characters 1 em, digits and Latin letters about 0.55 em."""
    return sum(0.55 if character.isascii() else 1.0 for character in text)


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[str, ...]:
    """Words by jieba, punctuation kept with its word: an opening bracket with the next, the rest with the last."""
    import jieba   # imported here: it loads its dictionary, which only a long scheme name needs

    logging.getLogger("jieba").setLevel(logging.WARNING)
    words: list[str] = []
    pending = ""
    for token in jieba.cut(text, HMM=False):
        if all(character in _OPENING for character in token):
            pending += token
        elif words and all(character in _CLOSING for character in token):
            words[-1] += token
        else:
            words.append(pending + token)
            pending = ""
    if pending:
        words.append(pending)
    return tuple(words)


def title_segments(notice: Notice) -> list[tuple[str, bool]]:
    """The title cut where a line may break: after 关于, around the period, after 、, before 结果的公示.

    WeasyPrint breaks Chinese between any two characters; each line is set
    unbreakable, so a line only ends between segments. A part of the scheme's
    name too long to stay whole is cut into words; the flag marks a segment
    that continues such a part (a line should rather not start there).
    """
    title, label, name = notice["title"], notice.get("period_label", ""), notice.get("scheme_name", "")
    if not (label and name and title == f"{TITLE_HEAD}{label}{name}{TITLE_TAIL}"):
        return [(word, index > 0) for index, word in enumerate(_words(title))]
    segments = [(TITLE_HEAD, False), (label, False)]
    for part in re.split(r"(?<=、)", name):
        if part:
            words = _words(part) if title_width(part) > WORD_SPLIT_EM else (part,)
            segments.extend((word, index > 0) for index, word in enumerate(words))
    return [*segments, (TITLE_TAIL, False)]


def title_lines(segments: list[tuple[str, bool]], width: float = TITLE_LINE_EM) -> list[str]:
    """The fewest lines of at most `width`, then the most even (GB/T 9704: 梯形或菱形, not one long and one short).

    Evenness is the widest line, plus `WORD_BREAK_COST` for each line that starts inside a part of the name.
    """
    count = len(segments)
    widths = [title_width(text) for text, _ in segments]
    costs = [WORD_BREAK_COST if inside else 0.0 for _, inside in segments]

    def span(start: int, end: int) -> float:
        return sum(widths[start:end])

    @cache
    def best(start: int, lines: int) -> tuple[float, tuple[int, ...]] | None:
        """(widest line, break points) for segments[start:] in exactly `lines` lines, or None."""
        if lines == 1:
            return (span(start, count), ()) if span(start, count) <= width or count - start == 1 else None
        options = []
        for end in range(start + 1, count - lines + 2):
            if span(start, end) > width and end - start > 1:
                break
            rest = best(end, lines - 1)
            if rest is not None:
                options.append((max(span(start, end), rest[0]) + costs[end], (end, *rest[1])))
        return min(options) if options else None

    for lines in range(1, count + 1):
        found = best(0, lines)
        if found is not None:
            breaks = (0, *found[1], count)
            return ["".join(text for text, _ in segments[a:b]) for a, b in zip(breaks, breaks[1:])]
    return ["".join(text for text, _ in segments)]


def density(rows: int) -> str:
    """「standard」 for a short table, 「compact」 or 「dense」 for longer ones (tighter type and rows)."""
    return next((name for least, name in DENSITIES if rows >= least), "standard")


def notice_html(notice: Notice, organization: View, source_date_epoch: str | None = None) -> str:
    """The notice as HTML in the print set's one Jinja environment; result cells as `format_value` writes them."""
    return render_html("notice.html.j2", {"notice": notice, "organization": organization}, STYLESHEETS,
                       created=document_date(notice["published"], source_date_epoch), result=format_value,
                       title_lines=title_lines(title_segments(notice)), density=density(len(notice["rows"])))


def typeset_notice(notice: Notice, organization: View, theme_dir: Path, source_date_epoch: str | None = None) -> bytes:
    html = notice_html(notice, organization, source_date_epoch)
    return lay_out(html, theme_dir).write_pdf(pdf_identifier=pdf_identifier((html,), theme_dir, STYLESHEETS))


def print_notices(notices: list[Notice], organization: View, out_dir: Path, theme_dir: Path,
                  source_date_epoch: str | None = None) -> list[Path]:
    """Write <slug>.pdf for every notice into `out_dir`; returns the paths, sorted.

    `source_date_epoch` is SOURCE_DATE_EPOCH as the pipeline read it (`generator.build_time`), or None.
    """
    require_stylesheets(theme_dir, STYLESHEETS)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for notice in sorted(notices, key=lambda n: n["slug"]):
        target = out_dir / f"{notice['slug']}.pdf"
        target.write_bytes(typeset_notice(notice, organization, theme_dir, source_date_epoch))
        paths.append(target)
    return paths
