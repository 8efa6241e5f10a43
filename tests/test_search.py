"""Chinese search finds the page a reader means: readers' words against the sample site in Chromium.

The sample organization is built once without PDFs and opened from file:// in one headless
Chromium for the module. Each query is typed into Material's search box; the page the reader
means must be among the first three results, and the link to it must carry the query in `?h=`
so the page highlights it. Precision@3 over all queries is printed (run with -s to see it).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import browser

pytestmark = pytest.mark.skipif(not browser.chromium_available(), reason="Chromium not installed")

# Query → the pages a reader typing it means (any of them in the top three counts).
QUERIES = {
    "党费": ("chapters/dangfei.html", "workflows/dangfei-shoujiao.html"),
    "三会一课": ("chapters/sanhui-yike.html",),
    "入党志愿书": ("workflows/fazhan-dangyuan.html", "chapters/fazhan-dangyuan.html"),
    "积极分子": ("workflows/fazhan-dangyuan.html", "chapters/fazhan-dangyuan.html"),
    "换届": ("chapters/huanjie-xuanju.html", "workflows/huanjie-xuanju.html"),
    "公示期": ("chapters/dangwu-gongkai.html", "chapters/fazhan-dangyuan.html"),
    "组织关系转接": ("workflows/guanxi-zhuanjie.html",),
    "主题党日": ("chapters/zhuti-dangri.html", "workflows/zhuti-dangri.html"),
    "组织生活会": ("chapters/zuzhi-shenghuohui.html", "workflows/zuzhi-shenghuohui.html"),
    "谈心谈话": ("chapters/tanxin-tanhua.html", "workflows/tanxin-tanhua.html"),
    "民主评议": ("chapters/minzhu-pingyi.html", "workflows/minzhu-pingyi.html"),
    "发展对象": ("workflows/fazhan-dangyuan.html", "chapters/fazhan-dangyuan.html"),
    "预备党员转正": ("workflows/fazhan-dangyuan.html", "chapters/fazhan-dangyuan.html"),
    "党小组": ("chapters/dangxiaozu-zhize.html", "workflows/dangxiaozu-hui.html"),
    "资料盒": ("chapters/yice-wuhe.html",),
    "党课": ("workflows/dangke.html", "chapters/sanhui-yike.html"),
    "党员大会": ("workflows/dangyuan-dahui.html",),
    "一册五盒": ("chapters/yice-wuhe.html",),
    "纪检委员": ("chapters/jijian-weiyuan-zhize.html",),
    "党务公开": ("chapters/dangwu-gongkai.html",),
    "书记职责": ("chapters/shuji-zhize.html",),
    "学习培训": ("chapters/xuexi-peixun.html", "workflows/dangyuan-xuexi-peixun.html"),
}

@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    """The sample's site, built once per test run (tests/conftest.py: sample_site)."""
    return sample_site / "site"


def _page(chromium, site: Path, width: int = 1280, height: int = 900):
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                   service_workers="block")
    context.route(browser.NOT_FILE, lambda route: route.abort())
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri(), wait_until="load")
    if not page.locator(browser.SEARCH_INPUT).is_visible():  # a phone: the box opens from the header's icon
        page.evaluate("document.querySelector('label.md-header__button[for=__search]').click()")
    return context, page


def _search(page, site: Path, query: str) -> list[tuple[str, set[str]]]:
    """Each result page (relative URL) with the `?h=` values of its links (page and sections), best first."""
    box = page.locator(browser.SEARCH_INPUT)
    box.fill(query, force=True)  # on a phone the open box may sit outside the layout viewport
    box.press("End")
    page.locator(browser.SEARCH_ITEMS).first.wait_for(timeout=browser.SEARCH_TIMEOUT_MS)
    page.wait_for_timeout(200)  # the meta line is updated just before the list
    found = []
    for item in page.locator(browser.SEARCH_ITEMS).all():
        hrefs = [link.get_attribute("href") or "" for link in item.locator("a.md-search-result__link").all()]
        found.append((browser.relative_url(hrefs[0], site.resolve()),
                      {parse_qs(urlsplit(href).query).get("h", [""])[0] for href in hrefs}))
    return found


def test_readers_words_find_their_page_in_the_top_three(site: Path, chromium) -> None:
    context, page = _page(chromium, site)
    misses, unhighlighted, unmarked = [], [], []
    try:
        for query, expected in QUERIES.items():
            page.goto((site / "index.html").resolve().as_uri(), wait_until="load")
            results = _search(page, site, query)
            top = results[:3]
            hit = next(((url, h) for url, h in top if url in expected), None)
            if hit is None:
                misses.append(f"{query}: {[url for url, _ in top]}")
                continue
            if not any(h and query.startswith(h.split()[0]) for h in hit[1]):
                unhighlighted.append(f"{query}: ?h={hit[1]!r}")
            # Its snippets mark the word searched for (from its start, not a single character), and
            # Material lists no query word as missing (a struck-through 「缺少」 line).
            item = page.locator(browser.SEARCH_ITEMS).nth(top.index(hit))
            marks = [text.replace("\u200b", "") for text in item.locator("mark").all_inner_texts()]
            missing = item.locator(".md-search-result__terms").all_inner_texts()
            if missing or not any(mark[:2] == query[:2] for mark in marks):
                unmarked.append(f"{query}: marks {marks[:5]}, missing {missing}")
    finally:
        context.close()
    precision = (len(QUERIES) - len(misses)) / len(QUERIES)
    print(f"\nsearch precision@3: {precision:.2f} ({len(QUERIES) - len(misses)}/{len(QUERIES)} queries)")
    assert not misses, "expected page not in the top three:\n" + "\n".join(misses)
    assert not unmarked, "result snippet does not show the word searched for:\n" + "\n".join(unmarked)
    assert not unhighlighted, "result link does not highlight the query:\n" + "\n".join(unhighlighted)


def test_results_show_the_matched_word(site: Path, chromium, tmp_path: Path) -> None:
    """The best result's snippet marks the word searched for, not single characters, on a desktop and a phone."""
    for width, height in ((1280, 900), (390, 844)):
        context, page = _page(chromium, site, width, height)
        try:
            _search(page, site, "党费")
            first = page.locator(browser.SEARCH_ITEMS).first
            marks = [text.replace("\u200b", "") for text in first.locator("mark").all_inner_texts()]
            # A mark covers the index word, which may carry a one-character word joined to it (党费是).
            assert "党费" in marks and all(mark.startswith("党费") for mark in marks if mark), marks
            png = tmp_path / f"search-{width}.png"
            page.screenshot(path=str(png))
            assert png.stat().st_size > 10_000
        finally:
            context.close()
