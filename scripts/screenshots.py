"""Regenerate the site screenshots in docs/screenshots/: six page kinds, on a phone and on a desktop.

    .venv/bin/python scripts/screenshots.py                 # from the repository root
    .venv/bin/python scripts/screenshots.py --site site     # shoot an already built site instead
    .venv/bin/python scripts/screenshots.py --full-page --output /tmp/shots   # whole pages, for review

Without --site, the sample organization is copied to a temporary folder (as
`branchbook init --sample` does) and its site is built there without PDFs, so
the checkout's own site/ is left alone. Each page is opened from file:// in
the system Chromium, headless, with the same flags as the browser tests
(tests/browser.py), and every request that is not file:// is aborted. The PNGs
are reduced to a palette of `--colours` colours, which keeps each one well
under 200 KB; the page kinds and viewports are the tables below.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image

from generator import pipeline
from generator.new_organization import copy_sample

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))   # for tests.browser: the Chromium the tests use, with their flags

# Page kind → page of the built sample site.
PAGES = {
    "home": "index.html",
    "directory": "branches/index.html",
    "branch": "branches/hongguang.html",
    "workflow": "workflows/fazhan-dangyuan.html",
    "results": "results/tiered/2026Q4.html",
    "notice": "notices/tiered-2026Q4.html",
}
# Page kind → element scrolled to the top of the first screen, where the page's own content starts below it.
SCROLL_TO = {"workflow": "article h2:has(+ .bb-diagram)"}
# Viewport → (width, height) in CSS px, and the suffix of its file names (none for the desktop).
VIEWPORTS = {"desktop": ((1280, 900), ""), "phone": ((390, 844), "-phone")}
PHONE_SCALE = 2   # device pixels per CSS px on the phone, as on a real one; the desktop is shot at 1


def file_name(kind: str, viewport: str) -> str:
    """`site-branch.png` (desktop), `site-branch-phone.png` (phone)."""
    return f"site-{kind}{VIEWPORTS[viewport][1]}.png"


def build_sample(folder: Path) -> Path:
    """The sample organization copied into `folder` and built without PDFs; returns its site/."""
    root = folder / "org"
    copy_sample(REPO, root)
    pipeline.build(root, with_pdf=False, workers=1, show_progress=False)
    return root / "site"


def shoot(site: Path, output: Path, full_page: bool, colours: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests import browser

    if not browser.chromium_available():
        raise SystemExit(f"Chromium 不存在：{browser.CHROMIUM}（可设置环境变量 BRANCHBOOK_CHROMIUM）")
    missing = [page for page in PAGES.values() if not (site / page).is_file()]
    if missing:
        raise SystemExit(f"网站中没有这些页面：{'、'.join(missing)}")
    output.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
        try:
            for viewport, ((width, height), _suffix) in VIEWPORTS.items():
                context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                               service_workers="block",
                                               device_scale_factor=PHONE_SCALE if viewport == "phone" else 1)
                context.route(re.compile(r"^(?!file:)", re.IGNORECASE), lambda route: route.abort())
                for kind, page_path in PAGES.items():
                    page = context.new_page()
                    page.goto((site / page_path).resolve().as_uri(), wait_until="load")
                    if kind in SCROLL_TO and not full_page:
                        page.locator(SCROLL_TO[kind]).first.evaluate(
                            "element => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY"
                            " - document.querySelector('header').offsetHeight - 8)")
                    page.wait_for_timeout(browser.SETTLE_MS)
                    target = output / file_name(kind, viewport)
                    page.screenshot(path=str(target), full_page=full_page)
                    page.close()
                    optimise(target, colours)
                    written.append(target)
                context.close()
        finally:
            chromium.close()
    return written


def optimise(path: Path, colours: int) -> None:
    """Rewrite the PNG with a palette of `colours` colours (the pages are flat colours and text)."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--site", type=Path, help="an already built site/ (default: build the sample in a temporary folder)")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--colours", type=int, default=64, help="palette size of the PNGs (default 64)")
    args = parser.parse_args()
    if args.site:
        written = shoot(args.site, args.output, args.full_page, args.colours)
    else:
        with tempfile.TemporaryDirectory(prefix="branchbook-shots-") as folder:
            written = shoot(build_sample(Path(folder)), args.output, args.full_page, args.colours)
    for path in written:
        print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
