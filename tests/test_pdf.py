"""Check the printed 《党支部工作手册》 by what the PDF contains: fonts, text, bookmarks, page numbers, privacy.

The fixture project under tests/fixtures/pdf is rendered once per module. PDFs are
compared byte for byte only between two renders on this machine (reproducibility),
never against a stored file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml
from pypdf import PdfReader

from generator.compute.views import branch_view, organization_view
from generator.load.project import load_sources
from generator.errors import UserError
from generator.pdf.handbook import HandbookFailed, HandbookJob, print_handbooks
from generator.pdf.outline import handbook_outline
from generator.pdf.typeset import demote_headings, document_date, render_handbook_html
from generator.validate.project import validate_project

FIXTURE = Path(__file__).parent / "fixtures" / "pdf"
THEME = Path(__file__).parent.parent / "theme" / "print"
EPOCH = "1767225600"   # 2026-01-01T00:00:00Z
PAGE_OFFSET = 2        # cover and its reverse are unnumbered: printed number = physical page - 2

pytestmark = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("mutool")),
                                reason="needs poppler-utils and mupdf-tools")


def _context() -> dict:
    project = validate_project(load_sources(FIXTURE))
    organization = project.organization
    branch = project.branches[0]
    chapters = [{"slug": c.slug, "title": c.meta.title, "part": c.meta.part,
                 "html": markdown.markdown(c.body, extensions=["tables", "attr_list"])}
                for c in project.chapters]
    return {"organization": organization_view(organization),
            "branch": branch_view(branch, organization, "internal"),
            "chapters": chapters, "year": organization.year, "generated_on": "2026年12月31日"}


def _squeeze(text: str) -> str:
    """Text without any whitespace: letter-spacing makes extractors insert spaces between characters."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def context() -> dict:
    return _context()


@pytest.fixture(scope="module")
def handbook(context: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        paths = print_handbooks([HandbookJob("hongguang", context)], tmp_path_factory.mktemp("pdf"), THEME,
                                workers=1, show_progress=False)
    return paths[0]


@pytest.fixture(scope="module")
def pages(handbook: Path) -> list[str]:
    """pdftotext -layout of each physical page (index 0 is page 1)."""
    text = subprocess.run(["pdftotext", "-layout", str(handbook), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def test_fonts_are_embedded_subsetted_cjk_with_real_bold(handbook: Path):
    output = subprocess.run(["pdffonts", str(handbook)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    names = [row[0] for row in rows]
    assert rows and all(row[-5:-3] == ["yes", "yes"] for row in rows), output   # emb, sub
    assert all(re.match(r"[A-Z]{6}\+", name) for name in names), output
    for face in ("Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Bold", "LXGW-WenKai"):
        assert any(name.endswith("+" + face) for name in names), f"{face} missing:\n{output}"


@pytest.mark.parametrize("extractor", ["pdftotext", "mutool"])
def test_chinese_text_extracts(handbook: Path, extractor: str):
    command = (["pdftotext", str(handbook), "-"] if extractor == "pdftotext"
               else ["mutool", "draw", "-F", "txt", "-o", "-", str(handbook)])
    text = _squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for expected in ("党支部工作手册", "中共红光社区支部委员会", "2026年度", "中共云溪新区工作委员会", "印制",
                     "目录", "党员花名册", "三会一课制度", "王建国", "冯晓丽", "第一党小组"):
        assert expected in text, f"{expected} not extracted by {extractor}"


def _flatten(outline: list, level: int = 1) -> list[tuple[int, str]]:
    items = []
    for item in outline:
        if isinstance(item, list):
            items.extend(_flatten(item, level + 1))
        else:
            items.append((level, item.title))
    return items


def test_bookmarks_are_parts_and_sections(handbook: Path, context: dict):
    expected = []
    for part in handbook_outline(context):
        expected.append((1, part.heading))
        expected.extend((2, section.title) for section in part.sections)
    assert _flatten(PdfReader(handbook).outline) == expected
    assert [title for level, title in expected if level == 1] == [
        "第一部分\u3000本支部基础资料", "第二部分\u3000任务职责", "第三部分\u3000管理制度"]


def _toc_entries(pages: list[str]) -> list[tuple[str, int]]:
    toc_pages = [text for text in pages if re.search(r"目\s*录", text) and "....." in text]
    entries = []
    for text in toc_pages:
        for line in text.splitlines():
            match = re.match(r"\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", line)
            if match:
                entries.append((_squeeze(match[1]), int(match[2])))
    return entries


def _heading_page(pages: list[str], title: str, after: int) -> int:
    """The first physical page after `after` with a line that is exactly `title`."""
    for index in range(after, len(pages)):
        if any(_squeeze(line) == title for line in pages[index].splitlines()):
            return index + 1
    raise AssertionError(f"heading {title} not found")


def test_toc_page_numbers_match_where_headings_are(pages: list[str], context: dict):
    entries = _toc_entries(pages)
    titles = [title for title, _ in entries]
    outline = handbook_outline(context)
    assert len(entries) == sum(1 + len(part.sections) for part in outline)
    assert titles[0] == _squeeze(outline[0].heading) and "党员花名册" in titles
    toc_last = max(i for i, text in enumerate(pages) if "....." in text) + 1
    for title, printed in entries:
        assert _heading_page(pages, title, toc_last) == printed + PAGE_OFFSET, title


def test_folio_alternates_and_matches_physical_page(handbook: Path, pages: list[str]):
    for index in (0, 1):
        assert not re.search(r"—\s*-?\d+\s*—", pages[index]), "cover and its reverse carry no folio"
    width = float(PdfReader(handbook).pages[0].mediabox.width)
    for physical in range(PAGE_OFFSET + 1, len(pages) + 1):
        number = physical - PAGE_OFFSET
        bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(physical), "-l", str(physical), str(handbook), "-"],
                              capture_output=True, text=True, check=True).stdout
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
        folio = [float(x) for x, word in words if word == str(number)]
        assert folio, f"page {physical} lacks folio {number}"
        on_right = folio[-1] > width / 2
        assert on_right == (number % 2 == 1), f"folio {number} on the wrong side"


def test_same_source_date_epoch_gives_identical_bytes_in_parallel(handbook: Path, context: dict,
                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    jobs = [HandbookJob("zz-copy", context), HandbookJob("hongguang", context)]
    paths = print_handbooks(jobs, tmp_path, THEME, workers=2, show_progress=False)
    assert [p.name for p in paths] == ["hongguang.pdf", "zz-copy.pdf"]
    assert all(p.read_bytes() == handbook.read_bytes() for p in paths)
    assert not list(tmp_path.glob(".*")), "no staged files left behind"
    info = PdfReader(handbook).metadata
    assert info["/CreationDate"].startswith("D:20260101000000")


def test_never_fields_do_not_reach_the_pdf(handbook: Path):
    raw = yaml.safe_load((FIXTURE / "branches" / "hongguang.yml").read_text(encoding="utf-8"))
    secrets = []
    for person in raw["members"]:
        secrets += [str(person["id_number"]), str(person["phone"]), person["address"]]
        birth = person["birth_date"]
        secrets += [f"{birth.year}.{birth.month:02d}.{birth.day:02d}", f"{birth.year}年{birth.month}月{birth.day}日"]
    assert len(secrets) == 5 * len(raw["members"]) >= 125
    for command in (["pdftotext", str(handbook), "-"], ["mutool", "draw", "-F", "txt", "-o", "-", str(handbook)]):
        text = _squeeze(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        leaked = [secret for secret in secrets if _squeeze(secret) in text]
        assert not leaked, f"{command[0]} found {leaked[:3]}"


def test_html_has_language_and_no_never_fields(context: dict):
    html = render_handbook_html(context, EPOCH)
    assert '<html lang="zh-CN"' in html
    assert '<meta name="dcterms.created" content="2026-01-01T00:00:00Z">' in html
    for key in ("id_number", "birth_date", "13916480894"):
        assert key not in html


def test_sparse_branch_renders_placeholders(context: dict):
    branch = dict(context["branch"], applicants=[], goals=[], commitments=[], honours=[], news=[], rules=[],
                  activity_room=None, groups=[])
    html = render_handbook_html(dict(context, branch=branch, chapters=[]))
    for placeholder in ("（暂无入党申请人）", "（暂无年度目标）", "（暂无荣誉记录）", "（未登记）"):
        assert placeholder in html
    assert "第二部分" not in html


def test_chapter_headings_are_demoted_below_the_chapter_title():
    html = '<h1>一</h1><h2 id="x">二</h2><h3>三</h3><H4>四</H4>'
    assert str(demote_headings(html)) == '<h3>一</h3><h3 id="x">二</h3><h4>三</h4><h5>四</h5>'


def test_document_date_never_reads_the_clock():
    assert document_date("2026年12月31日", None) == "2026-12-31"
    assert document_date(dt.date(2026, 3, 5), None) == "2026-03-05"
    assert document_date("2026年12月31日", EPOCH) == "2026-01-01T00:00:00Z"
    assert document_date(None, None) is None


def test_failed_job_leaves_no_output(context: dict, tmp_path: Path):
    broken = dict(context, chapters=[{"slug": "x", "title": "错误章节", "part": "不存在的部分", "html": ""}])
    jobs = [HandbookJob("hongguang", broken)]
    with pytest.raises(HandbookFailed, match="hongguang"):
        print_handbooks(jobs, tmp_path, THEME, workers=1, show_progress=False)
    assert list(tmp_path.iterdir()) == []


def test_missing_theme_is_a_user_error(context: dict, tmp_path: Path):
    with pytest.raises(UserError, match="fonts.css"):
        print_handbooks([HandbookJob("hongguang", context)], tmp_path / "out", tmp_path, show_progress=False)
