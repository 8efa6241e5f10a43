"""Turn one branch's print context into the PDF bytes of its five-box set: labels, inventories, handover sheet.

Page order, for printing and cutting: the spine labels (as many side by side
on a sheet as fit), one cover label per sheet, then per box its 卷内目录 and
备考表, and last the 工作交接资料清单 with the handbook's page count. A 卷内目录
ends with blank rows up to the foot of its last page (at least the box's
`blank_rows`): row heights are estimated from the text length and the column
widths in boxes.css, on the safe side, so the rows never spill onto a new page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagrams.text_fit import ROUGH_TEXT
from generator.pdf.typeset import BOXES_STYLESHEETS, document_date, lay_out, pdf_identifier, render_html

if TYPE_CHECKING:   # the print workers import this module; the context types would bring the scoring engines
    from generator.pdf.context_types import PrintContext

TYPE_AREA_MM = 225.0
FIRST_PAGE_HEAD_MM = 24.0      # 卷内目录 title and the line under it
TABLE_HEAD_MM = 17.0           # the column heads (页数／份数 takes three lines), repeated on every page
INVENTORY_ROW_MM = 9.0         # boxes.css: .inventory-table tbody tr
ROW_EXTRA_MM = 2.6             # cell padding and border
PT_MM = 25.4 / 72
# column → (text width in mm, font size in pt, line height); widths from boxes.css less the cell padding
COLUMNS = {"title": (61.2, 10.0, 1.35), "author": (25.2, 10.0, 1.35), "note": (21.2, 8.5, 1.3)}
SAFETY_MM = 0.5               # the estimates match WeasyPrint's row heights to 0.1 mm


def _row_height(row: Mapping[str, Any]) -> float:
    """Estimated height of an inventory row: the tallest of its wrapped cells (CJK 1 em, ASCII about half)."""
    if row["heading"]:
        return INVENTORY_ROW_MM
    tallest = 0.0
    for column, (width, size, leading) in COLUMNS.items():
        # whole characters per line; a wrapped text loses about half a character a line where breaks cannot fall
        per_line = math.floor(width / (size * PT_MM))
        ems = ROUGH_TEXT.ems(row.get(column) or "")
        lines = 1 if ems <= per_line else math.ceil(ems / (per_line - 0.5))
        tallest = max(tallest, lines * size * PT_MM * leading)
    return max(INVENTORY_ROW_MM, tallest + ROW_EXTRA_MM)


def fill_rows(rows: Sequence[Mapping[str, Any]], at_least: int) -> int:
    """Blank rows that complete the inventory's last page, and at least `at_least` of them."""
    page = TYPE_AREA_MM - TABLE_HEAD_MM - SAFETY_MM
    left = page - FIRST_PAGE_HEAD_MM
    for row in rows:
        height = _row_height(row)
        if height > left:
            left = page
        left -= height
    blank = int(left // INVENTORY_ROW_MM)
    while blank < at_least:
        blank += int(page // INVENTORY_ROW_MM)
    return blank


def render_boxes_html(context: PrintContext, handbook_pages: int, source_date_epoch: str | None = None) -> str:
    inventories = [dict(inv, fill_rows=fill_rows(inv["rows"], inv["blank_rows"]))
                   for inv in context["boxes"]["inventories"]]
    boxes = dict(context["boxes"], inventories=inventories)
    return render_html("boxes.html.j2", dict(context, boxes=boxes), BOXES_STYLESHEETS, handbook_pages=handbook_pages,
                       created=document_date(context.get("generated_on"), source_date_epoch))


def typeset_boxes(context: PrintContext, theme_dir: Path, handbook_pages: int, source_date_epoch: str | None = None) -> bytes:
    """The five-box PDF of one branch; `handbook_pages` goes onto the handover sheet."""
    html = render_boxes_html(context, handbook_pages, source_date_epoch)
    return lay_out(html, theme_dir).write_pdf(pdf_identifier=pdf_identifier((html,), theme_dir, BOXES_STYLESHEETS))
