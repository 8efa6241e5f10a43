"""Check the printed 《党支部工作手册》 by what the PDF contains: parts, forms, fonts, text, bookmarks, page numbers.

The fixture project under tests/fixtures/pdf (one branch of 27 members in three
党小组, the sample's checklist, boxes and a dozen workflows) is rendered once per
module. PDFs are compared byte for byte only between renders on this machine
(reproducibility), never against a stored file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from weasyprint.document import Page

from generator.errors import UserError
from generator.load.project import load_sources
from generator.pdf import handbook as book
from generator.pdf import replay
from generator.pdf.layers import LayeredPage, Layers, LayersMismatch, lay_out_layered
from generator.pdf.context import print_context, shared_content
from generator.pdf.print_sets import BOXES_FILE, HANDBOOK_FILE, HandbookFailed, HandbookJob, print_handbooks
from generator.pdf.outline import Part, handbook_outline
from generator.pdf.typeset import HANDBOOK_STYLESHEETS, demote_headings, document_date, lay_out
from generator.validate.project import validate_project
from tests.support import SUBSET_TAG, pdf_fonts, pdf_lines, pdf_text

FIXTURE = Path(__file__).parent / "fixtures" / "pdf"
THEME = Path(__file__).parent.parent / "theme" / "print"
EPOCH = "1767225600"   # 2026-01-01T00:00:00Z
PAGE_OFFSET = 2        # cover and its reverse are unnumbered: printed number = physical page - 2

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("mutool")),
                                reason="needs poppler-utils and mupdf-tools")


def _project():
    return validate_project(load_sources(FIXTURE))


def _context() -> dict:
    project = _project()
    return print_context(project, project.branches[0], shared_content(project), "2026年12月31日")


def _squeeze(text: str) -> str:
    """Text without any whitespace: letter-spacing makes extractors insert spaces between characters."""
    return re.sub(r"\s+", "", text)


def _flatten(outline: list, reader: PdfReader, level: int = 1) -> list[tuple[int, str, int]]:
    """(level, title, physical page from 1) of every bookmark, in order."""
    items = []
    for item in outline:
        if isinstance(item, list):
            items.extend(_flatten(item, reader, level + 1))
        else:
            items.append((level, item.title, reader.get_destination_page_number(item) + 1))
    return items


@pytest.fixture(scope="module")
def context() -> dict:
    return _context()


@pytest.fixture(scope="module")
def printed(context: dict, tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        sets = print_handbooks([HandbookJob("hongguang", context)], tmp_path_factory.mktemp("pdf"), THEME,
                               workers=1, show_progress=False)
    return sets[0]


@pytest.fixture(scope="module")
def handbook(printed) -> Path:
    return printed.handbook


@pytest.fixture(scope="module")
def pages(handbook: Path) -> list[str]:
    """pdftotext -layout of each physical page (index 0 is page 1)."""
    text = subprocess.run(["pdftotext", "-layout", str(handbook), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def plain_pages(handbook: Path) -> list[str]:
    """MuPDF's text of each physical page (index 0 is page 1), in reading order: a tenth of pypdf's time."""
    return pdf_text(handbook, "mutool").split("\f")[:-1]


@pytest.fixture(scope="module")
def bookmarks(handbook: Path) -> list[tuple[int, str, int]]:
    reader = PdfReader(handbook)
    return _flatten(reader.outline, reader)


def test_print_set_is_two_files_in_the_branch_folder(printed):
    assert printed.handbook.name == HANDBOOK_FILE and printed.boxes.name == BOXES_FILE
    assert printed.handbook.parent.name == printed.boxes.parent.name == "hongguang"
    assert not list(printed.handbook.parent.parent.glob(".*")), "no staged files left behind"


def test_fonts_are_embedded_subsetted_cjk_with_real_bold(handbook: Path):
    fonts = pdf_fonts(handbook)              # what pdffonts lists (test_pdf_built.py compares the two)
    names = [name for name, _ in fonts]
    output = "\n".join(names)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all(SUBSET_TAG.match(name) for name in names), output
    for face in ("Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Bold", "LXGW-WenKai"):
        assert any(name.endswith("+" + face) for name in names), f"{face} missing:\n{output}"
    assert len(names) == len(set(n.split("+")[1] for n in names)), "a face is embedded twice"


# One phrase from each part: a duty chapter, a rule chapter, a workflow step and its diagram, the branch's data,
# a form and the 党费 register.
EVERY_PART = ("党支部工作手册", "中共红光社区支部委员会", "2026年度", "目录",
              "第一部分任务职责", "党支部的基本任务",
              "第二部分管理制度", "三会一课制度",
              "第三部分程序流程", "发展党员工作流程", "推荐和确定入党积极分子", "形成材料（归档资料盒）",
              "第四部分基础资料", "党员花名册", "王建国", "冯晓丽", "第一党小组", "定期定量工作指标一览表",
              "发展党员工作进度", "支部委员会会议记录", "会议记录（发言摘要）", "签到", "党费收缴登记",
              "民主评议党员情况登记表", "谈心谈话记录", "党员学习培训学时登记", "2026年度工作总结")


@pytest.mark.parametrize("extractor", ["pdftotext", "mutool"])
def test_chinese_text_of_every_part_extracts(handbook: Path, extractor: str):
    text = _squeeze(pdf_text(handbook, extractor))
    missing = [expected for expected in EVERY_PART if expected not in text]
    assert not missing, f"{extractor} did not extract {missing}"


def test_four_parts_in_the_usual_order(bookmarks):
    assert [title for level, title, _ in bookmarks if level == 1] == [
        "第一部分\u3000任务职责", "第二部分\u3000管理制度", "第三部分\u3000程序流程", "第四部分\u3000基础资料"]


def test_bookmarks_are_parts_sections_and_form_copies(bookmarks, context: dict):
    expected = []
    for part in handbook_outline(context):
        expected.append((1, part.heading))
        for section in part.sections:
            expected.append((2, section.title))
            copies = section.data["copies"] if section.kind == "form" else []
            expected.extend((3, copy["bookmark"]) for copy in copies)
    assert [(level, title) for level, title, _ in bookmarks] == expected


def test_every_workflow_has_its_diagram_and_step_table(handbook: Path, bookmarks, context: dict, plain_pages):
    reader = PdfReader(handbook)
    workflows = context["shared"]["workflows"]
    starts = {title: page for level, title, page in bookmarks if level == 2}
    assert len(workflows) == len(_project().workflows) > 1
    for workflow in workflows:
        first = starts[workflow["title"]]
        images = sum(len(reader.pages[index].images) + _forms_on(reader, index)
                     for index in range(first - 1, first - 1 + len(workflow["diagrams"])))
        assert images >= len(workflow["diagrams"]), f"{workflow['title']}: diagram missing"
        text = _squeeze("".join(plain_pages[first - 1:first + 3]))
        for step in workflow["stages"][0]["steps"]:
            assert _squeeze(step["name"]) in text, f"{workflow['title']}: step {step['name']} not printed"


def _forms_on(reader: PdfReader, index: int) -> int:
    """Form XObjects on a page: WeasyPrint draws an SVG image as one."""
    resources = reader.pages[index].get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Form")


def test_forms_are_sized_to_the_year_schedule(bookmarks, context: dict):
    copies: dict[str, int] = {}
    section = None
    for level, title, _ in bookmarks:
        if level == 2:
            section = title
        elif level == 3:
            copies[section] = copies.get(section, 0) + 1
    # 4 党员大会, 12 支委会 a year (checklist); 12 党小组会 for each of the three 党小组; 12 months of 党费.
    assert copies == {"支部党员大会会议记录": 4, "支部委员会会议记录": 12, "党小组会会议记录": 36,
                      "党课记录": 4, "主题党日活动记录": 12, "组织生活会记录": 1, "党费收缴登记": 12}


def test_each_meeting_record_prints_its_own_number(pages: list[str]):
    text = _squeeze("\n".join(pages))
    assert len(re.findall(r"支部委员会会议记录2026年第\d+次", text)) == 12
    assert len(re.findall(r"支部党员大会会议记录2026年第\d+次（第.季度）", text)) == 4
    assert len(re.findall(r"党小组会会议记录第.党小组2026年第\d+次", text)) == 36


def test_party_dues_register_lists_every_member_every_month(plain_pages, bookmarks, context: dict):
    months = [(title, page) for level, title, page in bookmarks if level == 3 and title.startswith("2026年")]
    assert len(months) == 12
    ends = [page for _, page in months[1:]] + [months[-1][1] + 2]
    names = [m["name"] for m in context["branch"]["members"]]
    for (title, first), end in zip(months, ends):
        text = _squeeze("".join(plain_pages[first - 1:end - 1]))
        assert f"2026年{title[5:]}" in text
        missing = [name for name in names if name not in text]
        assert not missing, f"{title}: {missing} not in the register"


def test_meeting_forms_never_overflow_their_pages(pages: list[str], bookmarks):
    """Each meeting record takes two pages, or three with the sign-in list on its own page; no page holds
    only a running head and a folio (a spilled line)."""
    section, starts = None, {}
    for level, title, page in bookmarks:
        if level == 2:
            section = title
        starts.setdefault(section, []).append((level, page))
    for title, marks in starts.items():
        if title and (title.endswith("会议记录") or title in ("党课记录", "主题党日活动记录", "组织生活会记录")):
            copies = [page for level, page in marks if level == 3]
            following = next(page for level, _, page in bookmarks if level <= 2 and page > copies[-1])
            lengths = [b - a for a, b in zip(copies, copies[1:] + [following])]
            assert set(lengths) <= {2, 3}, f"{title}: records of {lengths} pages"
    for index in range(PAGE_OFFSET, len(pages)):
        lines = [line for line in pages[index].splitlines() if line.strip()]
        assert not (len(lines) == 2 and re.search(r"—\s*\d+\s*—", lines[-1])), \
            f"page {index + 1} holds only a running head and a folio"


def _toc_entries(pages: list[str]) -> list[tuple[str, int]]:
    toc_pages = [text for text in pages[:8] if "....." in text]
    entries = []
    for text in toc_pages:
        for line in text.splitlines():
            match = re.match(r"\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", line)
            if match:
                entries.append((re.sub(r"（\d+(份|个月)）$", "", _squeeze(match[1])), int(match[2])))
    return entries


def test_toc_page_numbers_match_the_bookmarks(pages: list[str], bookmarks, context: dict):
    entries = _toc_entries(pages)
    outline = handbook_outline(context)
    assert len(entries) == sum(1 + len(part.sections) for part in outline)
    marks = [(_squeeze(title), page - PAGE_OFFSET) for level, title, page in bookmarks if level <= 2]
    assert entries == marks


def test_visible_headings_are_on_the_pages_the_toc_gives(pages: list[str], bookmarks):
    for level, title, page in bookmarks:
        if level == 2 and not any(word in title for word in ("记录", "登记", "计划", "总结")):
            lines = [_squeeze(line) for line in pages[page - 1].splitlines()]
            assert _squeeze(title) in lines, f"{title} not a heading on page {page}"


def test_folio_alternates_and_matches_physical_page(handbook: Path, pages: list[str], bookmarks):
    openers = {page for level, _, page in bookmarks if level == 1}
    for index in [0, 1, *(page - 1 for page in openers)]:
        assert not re.search(r"—\s*-?\d+\s*—", pages[index]), "cover, its reverse and part openers carry no folio"
    width = float(PdfReader(handbook).pages[0].mediabox.width)
    lines = pdf_lines(handbook)                      # where MuPDF finds each line of each page
    assert len(lines) == len(pages)
    for physical in range(PAGE_OFFSET + 1, len(pages) + 1):
        if not pages[physical - 1].strip() or physical in openers:
            continue                    # empty left-hand pages and part openers carry no folio
        number = physical - PAGE_OFFSET
        folio = [(x0 + x1) / 2 for (x0, _, x1, _), text in lines[physical - 1]
                 if re.fullmatch(rf"—?\s*{number}\s*—?", text.strip())]
        assert folio, f"page {physical} lacks folio {number}"
        assert (folio[-1] > width / 2) == (number % 2 == 1), f"folio {number} on the wrong side"


def test_parts_open_on_right_hand_pages(bookmarks):
    for level, title, page in bookmarks:
        if level == 1:
            assert page % 2 == 1, f"{title} opens on page {page}, a left-hand page"


def test_same_source_date_epoch_gives_identical_bytes_in_parallel(printed, context: dict, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    jobs = [HandbookJob("zz-copy", context), HandbookJob("hongguang", context)]
    sets = print_handbooks(jobs, tmp_path, THEME, workers=2, show_progress=False)
    assert [s.branch_id for s in sets] == ["hongguang", "zz-copy"]
    for printed_set in sets:
        assert printed_set.handbook.read_bytes() == printed.handbook.read_bytes()
        assert printed_set.boxes.read_bytes() == printed.boxes.read_bytes()
    assert PdfReader(printed.handbook).metadata["/CreationDate"].startswith("D:20260101000000")


def test_reused_shared_pages_give_the_same_bytes_as_a_fresh_layout(printed, context: dict):
    assert book._SHARED, "the module's first render kept the shared parts"
    again = book.typeset_handbook(context, THEME, EPOCH)          # shared parts, their drawing, front length cached
    assert again.pdf == printed.handbook.read_bytes()


def test_replayed_shared_pages_write_the_bytes_of_drawn_ones(printed, monkeypatch: pytest.MonkeyPatch):
    shared = next(iter(book._SHARED.values()))
    recordings = [page._recordings.get(0.75) for page in shared.pages]
    assert all(recording is not None and recording is not replay._NOT_REPLAYABLE for recording in recordings), \
        "every shared page, the workflow diagrams (groups) too, was recorded by the module's render"
    assert any(recording.groups for recording in recordings)
    replayed = shared.copy(shared.pages).write_pdf(pdf_identifier=b"0" * 32)
    monkeypatch.setattr(replay.ReplayedPage, "paint", Page.paint)
    assert shared.copy(shared.pages).write_pdf(pdf_identifier=b"0" * 32) == replayed


def _form_sections(context: dict, kinds: tuple[str, ...]) -> list[Part]:
    own = handbook_outline(context)[-1]
    return [Part(own.number, own.title, own.anchor, tuple(s for s in own.sections if s.kind == "form"
                                                          and s.data["kind"] in kinds), shared=False)]


def _page_images(pdf: bytes, tmp_path: Path, name: str) -> list[bytes]:
    (tmp_path / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "24", "-gray", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)
    return [path.read_bytes() for path in sorted(tmp_path.glob(f"{name}-*.pgm"))]


def test_form_pages_laid_out_once_look_like_a_whole_layout(context: dict, tmp_path: Path):
    """Committee records (two pages each), the 组织生活会 (a sign-in page), 党费 months (tables over two pages)."""
    parts = _form_sections(context, ("committee", "review", "dues", "summary"))
    layered = Layers(layered=True)
    html = book._parts_html(context, parts, "党支部工作手册（2026年度）", layered)
    out = lay_out_layered(html, layered, THEME, HANDBOOK_STYLESHEETS, 41)
    whole = lay_out(book._parts_html(context, parts, "党支部工作手册（2026年度）"), THEME, 41)
    assert len(out.pages) == len(whole.pages) > 40
    assert sum(isinstance(page, LayeredPage) for page in out.pages) >= 40 and len(layered.bodies) <= 12
    assert [page.bookmarks for page in out.pages] == [page.bookmarks for page in whole.pages]
    assert [sorted(page.anchors) for page in out.pages] == [sorted(page.anchors) for page in whole.pages]
    ours = out.frame.copy(out.pages).write_pdf()
    drawn = whole.write_pdf()
    assert len(ours) < 0.9 * len(drawn), "each body is drawn once, as a form XObject (the fonts are most of both)"
    mine, theirs = _page_images(ours, tmp_path, "layered"), _page_images(drawn, tmp_path, "whole")
    assert len(mine) == len(theirs)
    # grey levels of 0–255: a missing line of text or rule differs by far more than the anti-aliasing of a
    # body shifted by a fraction of a pixel
    differing = [index + 1 for index, (a, b) in enumerate(zip(mine, theirs))
                 if len(a) != len(b) or max(abs(x - y) for x, y in zip(a, b)) > 80
                 or sum(x != y for x, y in zip(a, b)) > len(a) // 100]
    assert not differing, f"pages {differing} look different"
    text = _squeeze(subprocess.run(["pdftotext", "-layout", str(tmp_path / "layered.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout)
    assert len(re.findall(r"支部委员会会议记录2026年第\d+次", text)) == 12 and "签到表2026年第1次" in text


def test_a_theme_whose_form_head_grows_is_laid_out_whole(context: dict, tmp_path: Path):
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    css = (theme / "forms.css").read_text(encoding="utf-8")
    (theme / "forms.css").write_text(css.replace(".form-head {\n  height: 20mm;", ".form-head {\n  height: auto;"),
                                     encoding="utf-8")
    parts = _form_sections(context, ("committee",))
    layered = Layers(layered=True)
    html = book._parts_html(context, parts, "党支部工作手册（2026年度）", layered)
    with pytest.raises(LayersMismatch):
        lay_out_layered(html, layered, theme, HANDBOOK_STYLESHEETS, 41)


def test_never_fields_do_not_reach_the_pdfs(printed):
    raw = yaml.safe_load((FIXTURE / "branches" / "hongguang.yml").read_text(encoding="utf-8"))
    secrets = []
    for person in raw["members"]:
        secrets += [str(person["id_number"]), str(person["phone"]), person["address"]]
        birth = person["birth_date"]
        secrets += [f"{birth.year}.{birth.month:02d}.{birth.day:02d}", f"{birth.year}年{birth.month}月{birth.day}日"]
    assert len(secrets) == 5 * len(raw["members"]) >= 125
    for path in (printed.handbook, printed.boxes):
        for tool in ("pdftotext", "mutool"):
            text = _squeeze(pdf_text(path, tool))
            leaked = [secret for secret in secrets if _squeeze(secret) in text]
            assert not leaked, f"{tool} found {leaked[:3]} in {path.name}"


def test_html_has_language_and_no_never_fields(context: dict):
    html = book.handbook_html(context, EPOCH)
    assert html.count('<html lang="zh-CN"') == 3
    assert '<meta name="dcterms.created" content="2026-01-01T00:00:00Z">' in html
    for key in ("id_number", "birth_date", "13916480894"):
        assert key not in html


def test_sparse_branch_renders_placeholders(context: dict):
    branch = dict(context["branch"], applicants=[], goals=[], commitments=[], honours=[], news=[], rules=[],
                  activity_room=None, groups=[])
    html = book.handbook_html(dict(context, branch=branch, recruitment=[], assessment_history=[],
                                   shared=dict(context["shared"], chapters=[], workflows=[])))
    for placeholder in ("（暂无入党申请人）", "（暂无年度目标）", "（暂无荣誉记录）", "（未登记）", "（暂无考核记录）"):
        assert placeholder in html
    assert "第二部分" not in html and "第一部分\u3000基础资料" in html


def test_chapter_headings_are_demoted_below_the_chapter_title():
    html = '<h1>一</h1><h2 id="x">二</h2><h3>三</h3><H4>四</H4>'
    assert str(demote_headings(html)) == '<h3>一</h3><h3 id="x">二</h3><h4>三</h4><h5>四</h5>'


def test_document_date_never_reads_the_clock():
    assert document_date("2026年12月31日", None) == "2026-12-31"
    assert document_date(dt.date(2026, 3, 5), None) == "2026-03-05"
    assert document_date("2026年12月31日", EPOCH) == "2026-01-01T00:00:00Z"
    assert document_date(None, None) is None


def test_failed_job_leaves_no_output(context: dict, tmp_path: Path):
    broken = dict(context, shared=dict(context["shared"], chapters=[{"slug": "x", "title": "错误章节",
                                                                     "part": "不存在的部分", "html": ""}]))
    with pytest.raises(HandbookFailed, match="hongguang"):
        print_handbooks([HandbookJob("hongguang", broken)], tmp_path, THEME, workers=1, show_progress=False)
    assert list(tmp_path.iterdir()) == []


def test_missing_theme_is_a_user_error(context: dict, tmp_path: Path):
    with pytest.raises(UserError, match="fonts.css"):
        print_handbooks([HandbookJob("hongguang", context)], tmp_path / "out", tmp_path, show_progress=False)
