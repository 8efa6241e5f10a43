"""Check the five-box print set: labels at their physical size, inventories pre-filled from the year, the handover sheet.

Label sizes are measured in the PDF itself: WeasyPrint draws a label's border as
one filled ring (outer and inner rectangle), which `mutool trace` prints with
its coordinates; the outer rectangle is the cut line.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.compute.filing import FilingYear, box_inventories
from generator.compute.schedule import branch_schedule
from generator.errors import ProblemsFound
from generator.load.project import load_sources
from generator.models.boxes import COMMON_SPINE_WIDTHS_MM, BoxesConfig
from generator.pdf.boxes import fill_rows, render_boxes_html, typeset_boxes
from generator.pdf.context import boxes_context, print_context, shared_content
from generator.pdf.labels import SHEET_WIDTH_MM, LABEL_GAP_MM, sheets, spine_layout, _needed
from generator.validate.project import validate_project

FIXTURE = Path(__file__).parent / "fixtures" / "pdf"
THEME = Path(__file__).parent.parent / "theme" / "print"
EPOCH = "1767225600"
PX_TO_MM = 0.75 * 25.4 / 72      # mutool trace coordinates are CSS px under a 0.75 transform

needs_tools = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("mutool")),
                                 reason="needs poppler-utils and mupdf-tools")


def _project():
    return validate_project(load_sources(FIXTURE))


def _context(project=None) -> dict:
    project = project or _project()
    return print_context(project, project.branches[0], shared_content(project), "2026年12月31日")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def project():
    return _project()


@pytest.fixture(scope="module")
def context(project) -> dict:
    return _context(project)


@pytest.fixture(scope="module")
def boxes_pdf(context: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("boxes") / "五盒.pdf"
    path.write_bytes(typeset_boxes(context, THEME, 123, EPOCH))
    return path


def _outline(path: Path) -> list[tuple[int, str, int]]:
    reader = PdfReader(path)

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
            else:
                yield level, item.title, reader.get_destination_page_number(item) + 1
    return list(walk(reader.outline, 1))


def rings(path: Path, page: int) -> list[tuple[float, float, float, float]]:
    """(x, width, height, y) in mm of every bordered box drawn on `page` (1-based), outer edge."""
    trace = subprocess.run(["mutool", "trace", str(path), str(page)], capture_output=True, text=True,
                           check=True).stdout
    found = []
    for body in re.findall(r'<fill_path winding="eofill"[^>]*>(.*?)</fill_path>', trace, re.S):
        points = [(float(x), float(y)) for x, y in re.findall(r'<(?:moveto|lineto) x="([\d.]+)" y="([\d.]+)"/>', body)]
        if len(points) != 8:
            continue
        xs, ys = [x for x, _ in points], [y for _, y in points]
        found.append((min(xs) * PX_TO_MM, (max(xs) - min(xs)) * PX_TO_MM, (max(ys) - min(ys)) * PX_TO_MM,
                      min(ys) * PX_TO_MM))
    return found


def label_text(path: Path, page: int, ring: tuple[float, float, float, float], tool: str) -> str:
    """The text inside one label, read by poppler or MuPDF from that rectangle only."""
    x, width, height, y = (value * 72 / 25.4 for value in ring)     # mm → pt
    if tool == "pdftotext":
        command = ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x)), "-y", str(int(y)),
                   "-W", str(int(width)), "-H", str(int(height)), str(path), "-"]
        return _squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    xml = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", str(path), str(page)],
                         capture_output=True, text=True, check=True).stdout
    chars = re.findall(r'<char quad="([\d.]+) ([\d.]+) [^"]*" [^>]*c="([^"]*)"', xml)
    return "".join(html.unescape(c) for qx, qy, c in chars if x <= float(qx) <= x + width and y <= float(qy) <= y + height)


def spine_labels(path: Path, height: float) -> list[float]:
    """Widths of the boxes `height` mm tall on the spine-label sheets, in reading order."""
    widths = []
    for page in range(_first_page_of(path, "盒脊标签"), _first_page_of(path, "盒面标签")):
        boxes = sorted(r for r in rings(path, page) if abs(r[2] - height) < 1.0)
        widths += [r[1] for r in boxes]
    return widths


def _first_page_of(path: Path, title: str) -> int:
    return next(page for level, t, page in _outline(path) if level == 1 and t == title)


# ---- the print set -------------------------------------------------------------------------

@needs_tools
def test_five_spine_labels_five_cover_labels_five_inventories_one_handover(boxes_pdf: Path):
    outline = _outline(boxes_pdf)
    tops = [title for level, title, _ in outline if level == 1]
    assert tops == ["盒脊标签", "盒面标签", "第一盒\u3000日常工作资料盒", "第二盒\u3000组织发展资料盒",
                    "第三盒\u3000计划报告资料盒", "第四盒\u3000上级文件资料盒", "第五盒\u3000其他材料资料盒",
                    "党支部工作交接资料清单"]
    seconds = [title for level, title, _ in outline if level == 2]
    assert seconds.count("卷内目录") == 5 and seconds.count("备考表") == 5
    boxes = ["日常工作", "组织发展", "计划报告", "上级文件", "其他材料"]
    assert seconds[:10] == [f"第{n}盒\u3000{name}资料盒" for n, name in enumerate(boxes, start=1)] * 2
    assert len(spine_labels(boxes_pdf, 250)) == 5


@needs_tools
def test_spine_label_measures_its_configured_width(boxes_pdf: Path):
    widths = spine_labels(boxes_pdf, 250)
    assert all(abs(width - 40) <= 0.5 for width in widths), widths


@needs_tools
def test_every_common_spine_width_prints_at_size(context: dict, project, tmp_path: Path):
    config = project.boxes.model_copy(update={"spine_height_mm": 240, "boxes": [
        box.model_copy(update={"spine_width_mm": width}) for box, width in zip(project.boxes.boxes, COMMON_SPINE_WIDTHS_MM)]})
    custom = dict(context, boxes=boxes_context(replace(project, boxes=config), project.branches[0],
                                               branch_schedule(project.checklist, project.branches[0])))
    path = tmp_path / "widths.pdf"
    path.write_bytes(typeset_boxes(custom, THEME, 100, EPOCH))
    measured = spine_labels(path, 240)
    assert len(measured) == 5
    for expected, width in zip(COMMON_SPINE_WIDTHS_MM, measured):
        assert abs(width - expected) <= 0.5, f"{expected} mm spine measures {width:.2f} mm"


@needs_tools
def test_cover_label_measures_its_configured_size(boxes_pdf: Path):
    page = _first_page_of(boxes_pdf, "盒面标签")
    labels = [r for r in rings(boxes_pdf, page) if r[1] > 150]
    assert labels, "no cover label found"
    x, width, height, y = max(labels, key=lambda r: r[1] * r[2])
    assert abs(width - 170) <= 0.5 and abs(height - 240) <= 0.5, (width, height)


@needs_tools
@pytest.mark.parametrize("extractor", ["pdftotext", "mutool"])
def test_spine_label_reads_top_to_bottom(boxes_pdf: Path, extractor: str):
    page = _first_page_of(boxes_pdf, "盒脊标签")
    first = min(r for r in rings(boxes_pdf, page) if abs(r[2] - 250) < 1.0)
    assert label_text(boxes_pdf, page, first, extractor) == "红光社区党支部日常工作资料盒2026年度第1盒"


@needs_tools
@pytest.mark.parametrize("extractor", ["pdftotext", "mutool"])
def test_label_and_inventory_text_extracts(boxes_pdf: Path, extractor: str):
    command = (["pdftotext", str(boxes_pdf), "-"] if extractor == "pdftotext"
               else ["mutool", "draw", "-F", "txt", "-o", "-", str(boxes_pdf)])
    text = _squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for expected in ("中共红光社区支部委员会", "组织发展", "卷内目录", "备考表", "李明轩入党申请书（第1步）",
                     "党支部工作交接资料清单", "移交人", "接交人", "监交人", "1册（共123页）"):
        assert expected in text, f"{extractor}: {expected}"


@needs_tools
def test_handover_sheet_lists_the_book_and_every_box_with_counts(boxes_pdf: Path, context: dict):
    page = _first_page_of(boxes_pdf, "党支部工作交接资料清单")
    text = _squeeze(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(boxes_pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout)
    assert "《党支部工作手册》（2026年度）" in text and "1册（共123页）" in text
    for inventory in context["boxes"]["inventories"]:
        assert f"{inventory['title']}（第{inventory['number']}盒）" in text
        assert f"1盒（目录预列{inventory['documents']}件）" in text
    assert len(PdfReader(boxes_pdf).pages) == page, "the handover sheet is the last page and fits on it"


def test_a_box_with_nothing_pre_listed_leaves_its_count_to_be_filled_in(context: dict, project):
    # Without content/boxes.yml the 上级文件 and 其他材料 boxes list nothing: no 「已预列0件」 anywhere.
    branch = project.branches[0]
    boxes = boxes_context(replace(project, boxes=BoxesConfig.default()), branch, branch_schedule(project.checklist, branch))
    counts = [inventory["documents"] for inventory in boxes["inventories"]]
    assert 0 in counts and any(counts)
    text = re.sub(r"<[^>]+>", "", render_boxes_html(dict(context, boxes=boxes), 100))
    assert "预列0件" not in text
    covers = re.findall(r"卷内文件\s*共＿+件(（卷内目录已预列\d+件）)?", text)
    assert [bool(listed) for listed in covers] == [count > 0 for count in counts]
    for inventory, count in zip(boxes["inventories"], counts):
        row = re.search(rf"{inventory['title']}（第{inventory['number']}盒）\s*纸质\s*(\S+)", text).group(1)
        assert row == (f"1盒（目录预列{count}件）" if count else "1盒"), row
    notes = re.findall(r"本盒情况说明\s*(\S*?)本盒实有", text)
    assert notes == [f"卷内目录已预列{count}件，" if count else "" for count in counts]


@needs_tools
def test_inventories_end_their_last_page_without_spilling(boxes_pdf: Path):
    outline = _outline(boxes_pdf)
    inventories = [page for level, title, page in outline if level == 2 and title == "卷内目录"]
    backups = [page for level, title, page in outline if level == 2 and title == "备考表"]
    for _start, backup in zip(inventories, backups):
        last = backup - 1
        rows = subprocess.run(["pdftotext", "-layout", "-f", str(last), "-l", str(last), str(boxes_pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        numbered = re.findall(r"^\s*(\d+)\s*$", rows, re.M)
        assert len(numbered) >= 5, f"the last inventory page {last} holds only {len(numbered)} blank rows"


# ---- what the inventories list (no PDF needed) -------------------------------------------------

def _year(project, **changes):
    branch = project.branches[0].model_copy(update=changes)
    return FilingYear(project.organization, branch, branch_schedule(project.checklist, branch),
                      {w.id: w for w in project.workflows}, project.scores, {s.id: s for s in project.schemes})


def test_daily_box_lists_every_scheduled_meeting_of_the_year(project):
    daily = box_inventories(project.boxes, _year(project))[0]
    titles = [row.title for row in daily.rows]
    assert titles.count("支部党员大会会议通知、签到表、会议记录、决议") == 4
    assert titles.count("支部委员会会议：会议通知、签到表、支委会会议记录") == 12
    for group in ("第一党小组", "第二党小组", "第三党小组"):
        assert titles.count(f"{group}：党小组会签到表、会议记录") == 12
    dated = [row.date for row in daily.rows if row.title.startswith("支部委员会会议")]
    assert dated == [f"2026.{month:02d}" for month in range(1, 13)]


def test_recruitment_box_lists_each_applicants_records_so_far_and_next(project):
    development = box_inventories(project.boxes, _year(project))[1]
    headings = [row.title for row in development.rows if row.heading]
    assert [h.split("（")[0] for h in headings] == [a.name for a in project.branches[0].applicants]
    rows = {row.title: row for row in development.rows}
    assert rows["李明轩　入党申请书（第1步）"].note == "已形成"
    assert rows["李明轩　入党申请书（第1步）"].date == "2024.03.05"
    assert rows["李明轩　入党申请书（第1步）"].author == "李明轩"
    assert rows["李明轩　发展对象备案表（第8步）"].note == "进行中"
    assert rows["李明轩　拟发展对象公示及结果、预审请示和预审意见（第13步）"].note == "下一步"
    assert "赵子豪　入党积极分子备案表（第4步）" not in rows       # not reached and not next


def test_election_records_are_listed_only_in_the_year_the_term_ends(project):
    ending = box_inventories(project.boxes, _year(project))[4]          # term ends 2026-11-19
    assert any(row.title == "选票" for row in ending.rows)
    committee = project.branches[0].committee.model_copy(update={"term_end": project.branches[0].committee.term_end.replace(year=2028)})
    later = box_inventories(project.boxes, _year(project, committee=committee))[4]
    assert not any(row.title == "选票" for row in later.rows)


def test_branch_without_committee_or_groups_lists_no_such_meetings(project):
    branch = project.branches[0]
    year = _year(project, groups=[], committee=branch.committee.model_copy(update={"members": branch.committee.members[:1]}))
    titles = [row.title for row in box_inventories(project.boxes, year)[0].rows]
    assert not any("支委会" in title or "党小组" in title for title in titles)


def test_default_boxes_have_blank_inventories():
    config = BoxesConfig.default()
    assert [box.title for box in config.boxes] == ["日常工作资料盒", "组织发展资料盒", "计划报告资料盒",
                                                  "上级文件资料盒", "其他材料资料盒"]


def test_fill_rows_complete_the_page_and_keep_at_least_the_minimum():
    short = [{"title": "党员花名册", "author": "红光社区党支部", "date": "2026", "note": "", "heading": False}]
    first_page = fill_rows(short, 0)                       # one row on the first page: the rest of it
    assert 15 <= first_page <= 20
    assert fill_rows(short, first_page + 1) > 2 * first_page  # more than fit: a whole further page
    assert fill_rows(short * 30, 10) >= 10


# ---- spine geometry ----------------------------------------------------------------------------

@pytest.mark.parametrize("width", COMMON_SPINE_WIDTHS_MM)
@pytest.mark.parametrize("name", ["红光社区党支部", "智能制造学院学生党支部", "机关离退休干部联合党支部委员会"])
def test_spine_text_fits_every_common_width(width: float, name: str):
    layout = spine_layout(width, 250, name, "组织发展")
    sizes = {key: getattr(layout, key) for key in ("branch", "box", "suffix", "year", "number")}
    assert _needed(len(name), 4, sizes) <= 250 + 1e-6
    assert layout.box <= 0.72 * (width - 4) + 1e-6, "characters fit across the spine"
    assert layout.box >= layout.branch >= 3


def test_labels_are_grouped_onto_sheets_by_width():
    assert sheets([40] * 5) == [[0, 1, 2, 3], [4]]
    assert sheets([20] * 5) == [[0, 1, 2, 3, 4]]
    assert sheets([60] * 5) == [[0, 1, 2], [3, 4]]
    for group in sheets([20, 30, 40, 50, 60]):
        assert sum([20, 30, 40, 50, 60][i] for i in group) + LABEL_GAP_MM * (len(group) - 1) <= SHEET_WIDTH_MM


# ---- configuration ------------------------------------------------------------------------------

def test_boxes_file_naming_an_unknown_item_is_located(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "project")
    path = tmp_path / "project" / "content" / "boxes.yml"
    text = path.read_text(encoding="utf-8").replace("schedule: 召开支部党员大会", "schedule: 召开党员大会")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsFound) as caught:
        validate_project(load_sources(tmp_path / "project"))
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "召开党员大会" in row)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(f"content/boxes.yml:{line}:" in message and "[boxes.unknown-item]" in message
               and "是否指「召开支部党员大会」" in message for message in messages), messages
