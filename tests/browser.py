"""Turn a built site on disk into what headless Chromium shows and requests.

A helper for tests, not a test module. It drives the system Chromium
(`/usr/bin/chromium`, or `$BRANCHBOOK_CHROMIUM`) through Playwright; Playwright's
own browser downloads are never used. Every page is opened from file://, and
any request that is not file:// is aborted (and still recorded), so a test can
never reach the network.

Material's search from file://: the iframe-worker shim runs the search worker
in a hidden iframe, which loads search/search_index.js. Material reads the
query on keyup, and Playwright types characters outside the keyboard layout
(Chinese) as inserted text without key events, so we fill the box and press
End. Results are `ol.md-search-result__list > li.md-search-result__item`, each
holding `a.md-search-result__link` (href = absolute file URL + `?h=<query>`)
around an `article` whose `h1` is the page title; matching sections of the
same page follow as `h2` articles. Titles and text carry U+200B between
jieba's words (invisible; `search_results` strips them from titles).
`.md-search-result__meta` shows the placeholder until results are in, then
"找到 1 个符合条件的结果" / "# 个符合条件的结果" / "没有找到符合条件的结果".
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path(os.environ.get("BRANCHBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--lang=zh-CN",
]
SEARCH_TIMEOUT_MS = 30_000
SETTLE_MS = 500

# For tests that drive Material's search themselves: requests to abort, the search box, its results.
NOT_FILE = re.compile(r"^(?!file:)", re.IGNORECASE)
SEARCH_INPUT = "input[data-md-component=search-query]"
SEARCH_ITEMS = "ol.md-search-result__list > li.md-search-result__item"
_SEARCH_META = ".md-search-result__meta"


@dataclass(frozen=True)
class SearchResult:
    """One page in Material's search results."""

    title: str
    url: str  # relative to the site directory, without ?h= or #fragment


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def search_site(site_dir: Path, query: str, *, start_page: str = "index.html", chromium=None) -> list[str]:
    """URLs (relative to `site_dir`, e.g. "a.html") of the pages Material lists for `query`."""
    return [result.url for result in search_results(site_dir, query, start_page=start_page, chromium=chromium)]


def search_results(site_dir: Path, query: str, *, start_page: str = "index.html", chromium=None) -> list[SearchResult]:
    """Titles and relative URLs of the pages Material lists for `query`, best first."""
    site_dir = site_dir.resolve()
    with _page(site_dir / start_page, chromium=chromium) as (page, _requests):
        run_search(page, query)
        return read_results(page, site_dir)


def search_results_over_http(site_dir: Path, query: str, *, chromium) -> tuple[list[SearchResult], list[str]]:
    """The results for `query` with the site served over HTTP from 127.0.0.1 (as on a web server), and every
    URL requested; requests to any other host are aborted."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with _page(origin + "index.html", chromium=chromium, blocked=re.compile("^(?!" + re.escape(origin) + ")")) \
                as (page, requests):
            run_search(page, query)
            results = [SearchResult(r.title, urlsplit(r.url).path.removeprefix("/")) for r in read_results(page, site_dir)]
            return results, list(requests)
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002  (the standard library's parameter name)
        pass


def collect_requests(url_or_path: str | Path, *, search: str | None = None, chromium=None) -> list[str]:
    """Every URL the page requests while loading (and while searching, if asked).

    Includes requests made by frames (the search worker's iframe) and
    websockets. Non-file requests are aborted but still listed.
    """
    with _page(url_or_path, chromium=chromium) as (page, requests):
        if search is not None:
            run_search(page, search)
        page.wait_for_timeout(SETTLE_MS)
        return list(requests)


def screenshot(
    url_or_path: str | Path,
    png_path: Path,
    width: int = 1280,
    height: int = 900,
    *,
    search: str | None = None,
) -> Path:
    """Save a PNG of the page as Chromium renders it, optionally after a search."""
    with _page(url_or_path, width=width, height=height) as (page, _requests):
        if search is not None:
            run_search(page, search)
        page.wait_for_timeout(SETTLE_MS)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(png_path))
    return png_path


def page_text(url_or_path: str | Path, selector: str = "body", *, chromium=None) -> str:
    """Visible text of the first element matching `selector` once the page has loaded."""
    with _page(url_or_path, chromium=chromium) as (page, _requests):
        return page.locator(selector).first.inner_text()


def choose_and_list_visible(
    url_or_path: str | Path, select: str, value: str, items: str, *, chromium=None
) -> list[str]:
    """Pick `value` in the `select` element, then return the text of each visible `items` element."""
    with _page(url_or_path, chromium=chromium) as (page, _requests):
        page.locator(select).select_option(value)
        return [item.inner_text().strip() for item in page.locator(items).all() if item.is_visible()]


# ---- Pages, search and URLs (also for tests that drive a page themselves) ----------------


def file_url(url_or_path: str | Path) -> str:
    if isinstance(url_or_path, Path):
        return url_or_path.resolve().as_uri()
    if re.match(r"^[a-z][a-z0-9+.-]*:", url_or_path, re.IGNORECASE):
        return url_or_path
    return Path(url_or_path).resolve().as_uri()


@contextmanager
def _page(url_or_path: str | Path, width: int = 1280, height: int = 900, chromium=None,
          blocked: re.Pattern = NOT_FILE) -> Iterator[tuple]:
    """A page of `chromium` (a launched browser, e.g. the `chromium` fixture) or of a browser launched for it;
    requests matching `blocked` (by default any that is not file://) are aborted and still recorded."""
    if chromium is None:
        with _launched() as launched, _page(url_or_path, width, height, launched, blocked) as opened:
            yield opened
        return
    requests: list[str] = []
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                   service_workers="block")
    try:
        context.route(blocked, lambda route: route.abort())
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("websocket", lambda socket: requests.append(socket.url))
        page.goto(file_url(url_or_path), wait_until="load")
        yield page, requests
    finally:
        context.close()


@contextmanager
def _launched() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not chromium_available():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run_search(page, query: str) -> None:
    """Type `query` into the search box of an open page and wait until Material shows its results."""
    placeholder = _placeholder_text(page)
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        """([selector, placeholder]) => {
            const meta = document.querySelector(selector);
            return meta !== null && meta.textContent.trim() !== "" && meta.textContent.trim() !== placeholder;
        }""",
        arg=[_SEARCH_META, placeholder],
        timeout=SEARCH_TIMEOUT_MS,
    )


def _placeholder_text(page) -> str:
    config = json.loads(page.locator("#__config").text_content() or "{}")
    return config.get("translations", {}).get("search.result.placeholder", "")


def read_results(page, site_dir: Path) -> list[SearchResult]:
    """The results Material lists on an open page after `run_search`, best first."""
    results = []
    for item in page.locator(SEARCH_ITEMS).all():
        link = item.locator("a.md-search-result__link").first
        # The index holds jieba-segmented text: drop the zero-width spaces it adds.
        title = link.locator("article h1, article h2").first.inner_text().replace("\u200b", "").strip()
        results.append(SearchResult(title=title, url=relative_url(link.get_attribute("href") or "", site_dir)))
    return results


def relative_url(href: str, site_dir: Path) -> str:
    """A result link's file URL relative to `site_dir` (other URLs as they are)."""
    parts = urlsplit(href)
    if parts.scheme != "file":
        return href
    path = Path(unquote(parts.path))
    try:
        return path.relative_to(site_dir).as_posix()
    except ValueError:
        return href

