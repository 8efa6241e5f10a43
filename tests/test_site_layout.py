"""The built site reads well for a Chinese reader on a desktop and on a phone.

One build of the small fixture (without PDFs) and one Chromium for the module.
Checked: the tables our templates write with a class are styled like
Material's; text is never justified; at 390 px no content reaches past the
screen except inside a box that scrolls sideways (a table's wrapper, a
diagram), short table cells keep their words whole, the key columns of a
ranking stay on the screen, and the workflow
diagram keeps the size its text was drawn for inside a box that scrolls, with
a 「查看大图」 link to the SVG; the data-format page names types in Chinese and
breaks paths only after "/"; the 404 page is Chinese and self-contained, so it
looks the same wherever a server shows it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Annotated

import pytest
import tinycss2
from pydantic import BeforeValidator

from generator import pipeline
from generator.render.reference import describe_type, format_reference
from tests import browser
from tests.support import copy_small

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CSS = "assets/stylesheets/branchbook.css"
# Pages a phone reader opens most, the six page kinds first (home, directory, branch, workflow, results,
# notice); none may scroll sideways as a whole.
PHONE_PAGES = ("index.html", "branches/index.html", "branches/hongguang.html", "workflows/fazhan-dangyuan.html",
               "results/tiered/2026Q1.html", "notices/tiered-2026Q1.html", "reference/formats.html",
               "downloads.html", "404.html")
# Every element of the page's content that reaches past the screen's edges, by its box or by content
# overflowing it (a line that cannot wrap), and is not inside a box that scrolls sideways (Material's
# table wrapper, our tables' own boxes, a diagram's box), innermost only, as "tag.class: text".
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = element => ["auto", "scroll"].includes(getComputedStyle(element).overflowX);
    const content = document.querySelector("article") || document.body;
    const found = [];
    for (const element of content.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        const right = scrolls(element) ? box.right : Math.max(box.right, box.left + element.scrollWidth);
        if (box.left >= -0.5 && right <= width + 0.5) continue;
        let parent = element.parentElement;
        while (parent !== content.parentElement && !scrolls(parent)) parent = parent.parentElement;
        if (parent === content.parentElement) found.push(element);
    }
    return found.filter(element => !found.some(other => other !== element && element.contains(other)))
        .map(element => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent.trim().slice(0, 30)}`);
}"""

# The workflow diagrams' smallest text, in SVG units (generator/diagrams/workflow.py).
DIAGRAM_SMALLEST_TEXT = 10
READABLE_PX = 9.5

needs_chromium = pytest.mark.skipif(
    not browser.chromium_available(), reason=f"Chromium 不存在: {browser.CHROMIUM} (浏览器测试需要它)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_small(tmp_path_factory.mktemp("layout") / "org")
    pipeline.build(root, with_pdf=False, workers=1, show_progress=False)
    return root / "site"


@pytest.fixture(scope="module")
def open_page(chromium):
    """Open a built page from file:// at a viewport size; non-file requests are aborted and recorded."""
    contexts = {}

    def opener(path: Path, viewport: dict = PHONE):
        key = (viewport["width"], viewport["height"])
        if key not in contexts:
            contexts[key] = chromium.new_context(viewport=viewport, locale="zh-CN", service_workers="block")
            contexts[key].route(re.compile(r"^(?!file:)", re.IGNORECASE), lambda route: route.abort())
        page = contexts[key].new_page()
        page.requests, page.blocked = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: "Content Security Policy" in message.text and page.blocked.append(message.text))
        page.goto(path.resolve().as_uri(), wait_until="load")
        return page

    yield opener
    for context in contexts.values():
        context.close()


# ---- Stylesheet ------------------------------------------------------------------


def _style_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) of every style rule, also those inside @media."""
    rules = []
    pending = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    while pending:
        rule = pending.pop(0)
        if rule.type == "at-rule" and rule.content is not None:
            pending[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
        elif rule.type == "qualified-rule":
            declarations = tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            rules.append((tinycss2.serialize(rule.prelude).strip(),
                          {d.name: tinycss2.serialize(d.value).strip() for d in declarations if d.type == "declaration"}))
    return rules


def _declared(rules, selector_part: str, prop: str) -> list[str]:
    return [declarations[prop] for selector, declarations in rules
            if selector_part in selector and prop in declarations]


def test_every_table_class_our_pages_use_has_table_styles(site):
    rules = _style_rules((site / CSS).read_text(encoding="utf-8"))
    used = {name for page in site.rglob("*.html")
            for classes in re.findall(r'<table class="([^"]+)"', page.read_text(encoding="utf-8"))
            for name in classes.split() if name.startswith("bb-")}
    assert "bb-directory" in used
    for name in sorted(used | {"bb-downloads"}):
        table = f"table.{name}"
        assert "auto" in _declared(rules, table, "overflow"), name        # scrolls inside its own box
        assert any("solid" in v for v in _declared(rules, table, "border")), name
        assert _declared(rules, table, "padding"), name
        assert _declared(rules, table, "background-color"), name          # the header row


def test_no_rule_justifies_text(site):
    for selector, declarations in _style_rules((site / CSS).read_text(encoding="utf-8")):
        assert declarations.get("text-align") != "justify", selector
        assert declarations.get("text-justify", "none") in ("none", "auto"), selector


def test_every_page_links_the_stylesheet_relative_to_itself(site):
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        links = re.findall(r'<link rel="stylesheet" href="([^"]*branchbook\.css)"', page.read_text(encoding="utf-8"))
        assert len(links) == 1, page
        assert not links[0].startswith("/") and (page.parent / links[0]).resolve() == (site / CSS).resolve(), page


# ---- Data-format reference ---------------------------------------------------------


def test_types_with_validators_are_described_by_their_base_type():
    date = Annotated[dt.date, BeforeValidator(str)]
    assert describe_type(date) == describe_type(dt.date) == "日期（如 2026-03-15）"
    assert describe_type(date | None) == "日期（如 2026-03-15）"
    assert describe_type(list[date]) == "日期（如 2026-03-15）的列表"
    assert describe_type(Annotated[int, "note"]) == "整数"


def test_every_documented_type_is_described_in_chinese():
    for model in format_reference():
        for field in model["fields"]:
            described = re.sub(r"「[^」]*」", "", field["type"]).replace("true / false", "")
            assert not re.search(r"[A-Za-z]", described), (model["heading"], field["key"], field["type"])


def test_reference_page_shows_dates_and_breaks_paths_only_after_slashes(site):
    page = (site / "reference" / "formats.html").read_text(encoding="utf-8")
    assert "Annotated" not in page
    member = page[page.index('id="member"'):]
    member = member[:member.index("</table>")]
    assert re.search(r"<code>full_member_on</code></td>\s*<td>[^<]*</td>\s*<td>日期", member)
    # A path with Chinese placeholders gets a break opportunity after each "/" and none elsewhere.
    for path in re.findall(r"<code>([^<]*(?:<wbr>[^<]*)+)</code>", page):
        assert all(part.endswith("/") for part in path.split("<wbr>")[:-1]), path
    assert "<code>content/<wbr>calendar/<wbr>&lt;年度&gt;.yml</code>" in page


@needs_chromium
def test_code_on_the_reference_page_wraps_only_between_words(site, open_page):
    page = open_page(site / "reference" / "formats.html")
    lines = page.evaluate("""() => [...document.querySelectorAll("article table code")].map(code => {
        const range = document.createRange(), tops = [];
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const top = Math.round(range.getBoundingClientRect().top);
                if (tops.length === 0 || tops[tops.length - 1][0] !== top) tops.push([top, ""]);
                tops[tops.length - 1][1] += node.data[i];
            }
        }
        return tops.map(t => t[1]);
    })""")
    wrapped = [parts for parts in lines if len(parts) > 1]
    assert any("/" in "".join(parts) for parts in wrapped)   # at 390 px some paths do wrap
    for parts in wrapped:
        for line in parts[:-1]:   # between words, never inside a name
            assert line.endswith(("/", "-", " ")), parts


# ---- 404 ------------------------------------------------------------------------


def test_404_page_is_chinese_and_has_no_root_addresses(site):
    page = (site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="zh', page)
    assert "页面不存在" in page and "Not found" not in page
    assert re.search(r'<a href="index.html"[^>]*>首页</a>', page)
    assert re.findall(r'(?:href|src)="(/[^"]*)"', page) == []
    assert "/assets" not in page
    assert "<script" not in page and "<link" not in page    # nothing to find from another address


@needs_chromium
@pytest.mark.parametrize("deep", [False, True])
def test_404_page_looks_the_same_at_any_address(site, open_page, deep, tmp_path):
    # A server shows 404.html at the address that was missing, which may be anywhere: a copy
    # of it far from the site's files stands for that.
    target = site / "404.html"
    if deep:
        target = tmp_path / "sub" / "path" / "missing.html"
        target.parent.mkdir(parents=True)
        shutil.copyfile(site / "404.html", target)
    for viewport in (PHONE, DESKTOP):
        page = open_page(target, viewport)
        assert page.locator("h1").inner_text() == "页面不存在"
        assert page.locator("a", has_text="首页").count() == 1
        assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(166, 27, 27)"
        icons = page.evaluate("[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().height)")
        assert icons and max(icons) <= 32   # not Material's icons at full page width
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert page.requests == [target.resolve().as_uri()] and page.blocked == []
        page.close()


# ---- Phone layout ----------------------------------------------------------------


@needs_chromium
@pytest.mark.parametrize("name", PHONE_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(site, open_page, name):
    page = open_page(site / name)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth"), name
    assert page.evaluate(OVERFLOWING) == [], name
    assert page.blocked == []
    aligns = page.evaluate("[...document.querySelectorAll('article p, article li, article td')]"
                           ".map(e => getComputedStyle(e).textAlign)")
    assert "justify" not in aligns
    page.close()


@needs_chromium
def test_content_wider_than_a_phone_is_found_unless_it_scrolls_in_its_box(site, open_page):
    # The check above finds content that reaches past the screen even where the page itself does not
    # scroll (an ancestor clips it), and lets it pass inside a box that scrolls sideways.
    page = open_page(site / "index.html")
    page.evaluate("""() => {
        const box = document.createElement("div"), wide = document.createElement("p");
        box.className = "probe-box";
        wide.className = "probe";
        wide.textContent = "宽".repeat(60);
        wide.style.whiteSpace = "nowrap";
        box.append(wide);
        document.querySelector("article").append(box);
    }""")
    assert page.evaluate(OVERFLOWING) == ["p.probe: " + "宽" * 30]
    page.evaluate("document.querySelector('.probe-box').style.overflowX = 'auto'")
    assert page.evaluate(OVERFLOWING) == []
    page.close()


@needs_chromium
@pytest.mark.parametrize(("name", "selector"), [("branches/hongguang.html", "article table td"),
                                                 ("workflows/fazhan-dangyuan.html", "article table td")])
def test_short_table_cells_keep_their_words_on_a_phone(site, open_page, name, selector):
    # Beside a long 分工 or 形成材料 column a name, a role or an actor of up to five characters stays on
    # one line (not 「俞建/平」「支部委员/会」).
    page = open_page(site / name)
    split = page.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter(cell => {
        const text = cell.textContent.trim();
        if (!/^[\u4e00-\u9fff]{2,5}$/.test(text)) return false;
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
    }).map(cell => cell.textContent.trim())""", selector)
    short = page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(cell => /^[\u4e00-\u9fff]{3,5}$/.test(cell.textContent.trim())).length""", selector)
    assert short >= 5, short          # the page has such cells to check
    assert split == [], split
    page.close()


@needs_chromium
def test_a_ranking_keeps_its_score_columns_on_a_phone_screen(site, open_page):
    page = open_page(site / "notices" / "tiered-2026Q1.html")
    edges = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll("article th")]
        .map(th => [th.textContent.trim(), th.getBoundingClientRect().right]))""")
    for column in ("支部", "总分", "台阶", "系数"):
        assert edges[column] <= page.evaluate("innerWidth"), (column, edges)
    page.close()


@needs_chromium
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_directory_table_has_header_borders_and_padding(site, open_page, viewport):
    page = open_page(site / "branches" / "index.html", viewport)
    style = page.evaluate("""() => {
        const table = document.querySelector("table.bb-directory"), th = table.querySelector("th"),
              td = table.querySelector("tbody td"), s = getComputedStyle;
        return {border: s(table).borderTopWidth, thBackground: s(th).backgroundColor,
                tdPadding: parseFloat(s(td).paddingLeft), tdBorder: s(td).borderTopStyle,
                overflow: s(table).overflowX, right: table.getBoundingClientRect().right,
                column: document.querySelector("article").getBoundingClientRect().right};
    }""")
    assert style["border"] != "0px" and style["tdBorder"] == "solid"
    assert style["thBackground"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert style["tdPadding"] >= 4
    assert style["overflow"] == "auto" and style["right"] <= style["column"]
    page.close()


@needs_chromium
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_workflow_diagram_keeps_readable_text_and_links_the_svg(site, open_page, viewport):
    page = open_page(site / "workflows" / "fazhan-dangyuan.html", viewport)
    diagrams = page.evaluate("""() => [...document.querySelectorAll("article img.bb-workflow")].map(img => {
        const box = img.closest(".bb-diagram");
        return {scale: img.getBoundingClientRect().width / img.naturalWidth, src: img.getAttribute("src"),
                scrolls: box !== null && box.scrollWidth > box.clientWidth,
                overflow: box && getComputedStyle(box).overflowX};
    })""")
    links = page.evaluate("""() => [...document.querySelectorAll("article a")]
        .filter(a => a.textContent.startsWith("查看大图")).map(a => a.getAttribute("href"))""")
    assert len(diagrams) == 3
    assert links == [d["src"] for d in diagrams]
    for diagram in diagrams:
        assert diagram["overflow"] == "auto"
        assert diagram["scale"] * DIAGRAM_SMALLEST_TEXT >= READABLE_PX, diagram
        assert (site / "workflows" / diagram["src"]).is_file()
        if viewport is PHONE:
            assert diagram["scrolls"], diagram
    page.close()


@needs_chromium
def test_profile_chart_is_readable_on_a_phone(site, open_page):
    page = open_page(site / "branches" / "hongguang.html")
    chart = page.evaluate("""() => {
        const img = document.querySelector("article img.bb-chart"), box = img.parentElement;
        return {scale: img.getBoundingClientRect().width / img.naturalWidth,
                scrolls: box.scrollWidth > box.clientWidth};
    }""")
    # Its smallest labels are 9 units of a 720-unit-wide figure drawn 960 px wide (720 pt).
    assert chart["scale"] * 960 / 720 * 9 >= 8.5 and chart["scrolls"], chart
    page.close()
