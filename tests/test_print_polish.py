"""Print polish, checked in the PDFs: notice titles break between words and long notices fit one page,
roster columns fit their contents, one running head in all parts, no empty 分支与回转 column, box labels
read as forms, file names without a doubled 党支部, and one label per assessment period everywhere.

The shared build of the small fixture with PDFs (`built_small`: qingshan's roster ends with 司马文斌,
see tests/support.py); a copy with 20 branches and a two-monthly scheme is only loaded and computed
(its notice is typeset on its own, no handbooks).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.compute.notices import project_notices
from generator.compute.schedule import branch_schedule
from generator.compute.scoring import compute_results, results_view
from generator.compute.views import organization_view
from generator.diagrams.workflow import draw_workflow
from generator.outputs import SITE
from generator.pdf.handbook import handbook_name
from generator.pdf.context import boxes_context
from generator.pdf.notice import title_lines, title_segments, typeset_notice
from generator.periods import chinese_numeral, ordinal, period_label
from tests.support import LONG_NAME, LONG_POSITION, copy_small, pdf_lines, pdf_text

PLACES = ("东山", "西岭", "南湖", "北塘", "石桥", "柳岸", "枫林", "竹溪", "梅园", "桃源",
          "杏花", "荷塘", "松岗", "柏树", "云峰", "月湾", "星河", "锦屏")


def _text(pdf: Path, layout: bool = True) -> str:
    command = ["pdftotext", "-q"] + (["-layout"] if layout else [])
    return subprocess.run(command + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def _page_layout(pdf: Path, containing: tuple[str, ...]) -> str:
    """`pdftotext -layout` of the first page whose text has all of `containing` (found by MuPDF: poppler is slow)."""
    pages = pdf_text(pdf, "mutool").split("\f")
    number = next(n for n, text in enumerate(pages, start=1) if all(word in text for word in containing))
    command = ["pdftotext", "-q", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _heads(pdf: Path, top_pt: float = 100) -> list[str]:
    """The text of the lines within `top_pt` of the top of each page (the running head), by MuPDF."""
    return ["".join(text for (_, _, _, bottom), text in lines if bottom < top_pt) for lines in pdf_lines(pdf)]


@pytest.fixture(scope="module")
def built(built_small) -> Path:
    return built_small


def _first_quarter_notice(built: Path) -> Path:
    return built / "site" / "pdf" / "notices" / "tiered-2026Q1.pdf"


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory):
    """20 branches in a two-monthly 清单管理、台阶考核 (2026B2 = 3—4月), loaded and computed."""
    root = copy_small(tmp_path_factory.mktemp("wide") / "org")
    scheme = root / "content" / "schemes" / "tiered.yml"
    text = scheme.read_text(encoding="utf-8")
    assert "period: quarter" in text and "    2026Q1: 2026-03-30" in text
    scheme.write_text(text.replace("period: quarter", "period: bimonth")
                      .replace("    2026Q1: 2026-03-30", "    2026B2: 2026-04-30"), encoding="utf-8")
    sheet = root / "scores" / "tiered" / "2026B2.csv"
    (root / "scores" / "tiered" / "2026Q1.csv").rename(sheet)
    lines = sheet.read_text(encoding="utf-8").rstrip("\n").split("\n")
    qingshan = next(line for line in lines if line.startswith("qingshan,"))
    template = (root / "branches" / "qingshan.yml").read_text(encoding="utf-8")
    for number, place in enumerate(PLACES, start=1):
        branch_id = f"extra{number}"
        (root / "branches" / f"{branch_id}.yml").write_text(
            template.replace("id: qingshan", f"id: {branch_id}")
            .replace("中共青山村支部委员会", f"中共{place}村支部委员会").replace("青山村党支部", f"{place}村党支部")
            .replace("吴长青", f"{place}书记")
            .replace("members_file: qingshan-members.csv", "members:\n" + "".join(
                f"  - {{name: {person}, gender: 男, birth_date: 1970-01-0{day}, ethnicity: 汉族, education: 大专, "
                f"joined_on: 1995-07-01, full_member_on: 1996-07-01, status: 正式}}\n"
                for day, person in enumerate((f"{place}书记", f"{place}委员", f"{place}党员"), start=1))),
            encoding="utf-8")
        lines.append(qingshan.replace("qingshan,青山村党支部", f"{branch_id},{place}村党支部"))
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = pipeline.load_project(root)
    return root, project, compute_results(project)


# ---- notices ------------------------------------------------------------------------------------------

def _allowed_breaks(notice: dict) -> set[int]:
    """Character offsets in the title where a line may end: after 关于, after the period, after 、,
    before 结果的公示 (the words of a long part of the name are checked by `title_lines` below)."""
    title, label = notice["title"], notice["period_label"]
    offsets = {2, 2 + len(label), len(title) - len("结果的公示")}
    offsets |= {match.end() for match in re.finditer("、", title)}
    return offsets


def test_notice_title_breaks_only_between_words(built: Path):
    pdf = _first_quarter_notice(built)
    title = "关于2026年第一季度清单管理、台阶考核结果的公示"
    lines = [line.strip() for line in _text(pdf).splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("关于"))
    title_part, joined = [], ""
    for line in lines[start:]:
        if joined == title:
            break
        title_part.append(line)
        joined += line
    assert joined == title and len(title_part) == 2, title_part
    offsets = _allowed_breaks({"title": title, "period_label": "2026年第一季度"})
    assert len(title_part[0]) in offsets, title_part


@pytest.mark.parametrize("label, name", [("2026年3—4月", "村社「流动红旗」考核"), ("2026年度", "党支部创优评级"),
                                         ("2026年第二季度", "基层党支部标准化规范化建设星级评定考核")])
def test_title_lines_keep_words_and_brackets_whole(label: str, name: str):
    notice = {"title": f"关于{label}{name}结果的公示", "period_label": label, "scheme_name": name}
    segments = [text for text, _ in title_segments(notice)]
    lines = title_lines(title_segments(notice))
    assert "".join(lines) == notice["title"] and len(lines) >= 2
    ends = {sum(map(len, segments[:i])) for i in range(len(segments) + 1)}
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        assert offset in ends, lines
    assert not any(line.startswith(("」", "、")) or line.endswith("「") for line in lines), lines
    assert label in segments and "结果的公示" in segments


def test_a_20_row_notice_fits_one_page(wide):
    root, project, results = wide
    notices = project_notices(project, results_view(results, SITE.audience))
    assert len(notices) == 1 and len(notices[0]["rows"]) == 20
    pdf = typeset_notice(notices[0], organization_view(project.organization), root / "theme" / "print")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert all(f"{place}村党支部" in text for place in PLACES)
    assert "2026年4月30日" in text   # the signature's date is on the page too


def test_short_notice_is_one_page_in_the_standard_layout(built: Path):
    pdf = _first_quarter_notice(built)
    assert _pages(pdf) == 1


# ---- handbook -----------------------------------------------------------------------------------------

def test_roster_keeps_a_four_character_name_on_one_line(built: Path):
    pdf = built / "print" / "qingshan" / "手册.pdf"
    text = _page_layout(pdf, ("党员花名册", "工作岗位"))
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "1968" in line)
    assert LONG_NAME in lines[index], lines[index]
    # 工作岗位 takes the width the other columns leave: the long post runs over a few full lines,
    # not one character per line
    post = [line.split()[-1] for line in lines[index - 1:index + 2] if line.split()]
    assert "".join(post) == LONG_POSITION, post
    assert len(post[0]) >= 6, post


def test_same_running_head_in_all_four_parts(built: Path):
    pdf = built / "print" / "hongguang" / "手册.pdf"
    heads: dict[str, set[str]] = {}
    part = "front"
    for head in _heads(pdf):
        head = re.sub(r"\s+", "", head)
        if head.startswith("第") and "部分" in head[:5]:
            part = head[:4]
        elif head:
            heads.setdefault(part, set()).add(head)
    books = {part: {h for h in found if "工作手册" in h} for part, found in heads.items()}
    assert {"第一部分", "第二部分", "第三部分", "第四部分"} <= set(books), books
    assert all(found == {"党支部工作手册（2026年度）"} for part, found in books.items() if part != "front"), books


def test_branch_column_only_where_a_workflow_branches_or_loops(built: Path):
    project = pipeline.load_project(built)
    with_side = without_side = 0
    for workflow in project.workflows:
        successors, ids = workflow.successors(), [step.id for step in workflow.steps]
        following = dict(zip(ids, ids[1:]))
        branches = any(set(successors[step]) - {following.get(step)} or (not successors[step] and step in following)
                       for step in ids)
        for svg in draw_workflow(workflow):
            assert ("分支与回转" in svg) == branches, workflow.id
        with_side += branches
        without_side += not branches
    assert with_side and without_side
    text = "".join(pdf_text(built / "print" / "qingshan" / "手册.pdf", "mutool").split())
    diagrams = text.count("工作步骤及时限")
    assert 0 < text.count("分支与回转") < diagrams


def test_box_cover_label_has_a_fill_in_count(built: Path):
    text = _text(built / "print" / "hongguang" / "五盒.pdf")
    assert not re.search(r"共\s+件", text)
    assert re.search(r"共＿+件（卷内目录已预列\d+件）", text)
    assert re.search(r"卷内目录已预列\d+件，本盒实有＿+件、＿+页。", text)


def test_no_doubled_party_branch_in_names(built: Path):
    assert handbook_name("红光社区党支部") == "红光社区党支部工作手册"
    assert handbook_name("红光社区") == "红光社区党支部工作手册"
    names = [path.name for folder in ("print", "site") for path in (built / folder).rglob("*")]
    titles = [PdfReader(pdf).metadata.title for pdf in (built / "print").rglob("*.pdf")]
    index = (built / "print" / "index.html").read_text(encoding="utf-8")
    for text in [*names, *titles, index]:
        assert "党支部党支部" not in text, text
    assert PdfReader(built / "print" / "hongguang" / "手册.pdf").metadata.title == "红光社区党支部工作手册（2026年度）"


# ---- one home for period labels, dates and numerals -----------------------------------------------------

def test_one_label_per_period_on_the_site_and_in_the_filing_list(wide):
    _, project, results = wide
    label = period_label("2026B2")
    assert label == "2026年3—4月"
    pages = pipeline.site_pages(project, results).files
    site_text = "\n".join(text for name, text in pages.items() if name.startswith("results/") and isinstance(text, str))
    assert label in site_text and "第2期" not in site_text
    branch = next(b for b in project.branches if b.id == "qingshan")
    boxes = boxes_context(project, branch, branch_schedule(project.checklist, branch))
    titles = [row["title"] for inventory in boxes["inventories"] for row in inventory["rows"]]
    assessed = [title for title in titles if "考核结果" in title and "台阶考核" in title]
    assert assessed == [f"「清单管理、台阶考核」考核结果（{label}）"]


def test_quarter_label_agrees_between_site_and_five_boxes(built: Path):
    label = period_label("2026Q1")
    page = (built / "site" / "results" / "tiered" / "2026Q1" / "index.html")
    page = page if page.exists() else built / "site" / "results" / "tiered" / "2026Q1.html"
    assert label in page.read_text(encoding="utf-8")
    assert f"考核结果（{label}）" in _text(built / "print" / "hongguang" / "五盒.pdf", layout=False).replace("\n", "")


@pytest.mark.parametrize("number, text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
                                          (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals(number: int, text: str):
    assert chinese_numeral(number) == text
    assert ordinal(number, "阶段") == f"第{text}阶段"
