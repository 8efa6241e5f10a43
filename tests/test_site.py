"""Turn a tiny docs directory into a built site and check it works offline.

The site must open from file:// with no network: no external references in
built HTML/CSS/JS, Chinese search through the vendored iframe-worker shim, no
non-file requests, and byte-identical output for the same SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.site import SiteBuildError, build_site
from tests import browser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1700000000"
NAV = [
    {"首页": "index.md"},
    {"党建工作": [{"发展党员": "develop.md"}, {"组织生活": "meetings.md"}]},
    {"支部名录": "branches.md"},
]
PAGES = {
    "index.md": "# 首页\n\n欢迎使用党支部标准化手册。\n",
    "develop.md": "# 发展党员\n\n## 培养考察\n\n确定入党积极分子后, 党支部指定培养联系人。\n\n## 党费\n\n党员按月交纳党费。\n",
    "meetings.md": "# 组织生活\n\n党支部坚持“三会一课”制度, 每月开展主题党日。\n",
    "branches.md": (
        "# 支部名录\n\n"
        '<div class="branch-filter">\n'
        '<label for="branch-type-filter">类型</label>\n'
        '<select id="branch-type-filter">\n'
        '<option value="">全部</option>\n<option value="农村">农村</option>\n<option value="社区">社区</option>\n'
        "</select>\n"
        '<span class="branch-filter__count">显示 <span id="branch-type-count">3</span> 个支部</span>\n'
        "</div>\n\n"
        "<table>\n<thead><tr><th>支部</th><th>类型</th></tr></thead>\n<tbody>\n"
        '<tr data-type="农村"><td>东坪村党支部</td><td>农村</td></tr>\n'
        '<tr data-type="社区"><td>溪岸社区党支部</td><td>社区</td></tr>\n'
        '<tr data-type="农村"><td>西岭村党支部</td><td>农村</td></tr>\n'
        "</tbody>\n</table>\n"
    ),
}
EXTERNAL_URL = re.compile(r"https?://([^/\s\"'<>()\\]*)", re.IGNORECASE)
ALLOWED_HOSTS = {"www.w3.org"}

needs_chromium = pytest.mark.skipif(
    not browser.chromium_available(), reason=f"Chromium 不存在: {browser.CHROMIUM} (浏览器测试需要它)"
)


def write_docs(docs_dir: Path) -> Path:
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name, text in PAGES.items():
        (docs_dir / name).write_text(text, encoding="utf-8")
    return docs_dir


def all_files(site_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory) -> Path:
    return write_docs(tmp_path_factory.mktemp("docs"))


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory, docs_dir) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        site = tmp_path_factory.mktemp("site")
        build_site(PROJECT_ROOT, docs_dir, site, NAV)
    return site


def test_build_writes_html_pages_and_offline_search_index(site_dir):
    for name in ("index.html", "develop.html", "meetings.html", "branches.html", "search/search_index.js"):
        assert (site_dir / name).is_file(), name
    html = (site_dir / "develop.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert 'href="meetings.html"' in html  # use_directory_urls: false
    assert "assets/javascripts/iframe-worker-shim.js" in html
    assert not (site_dir / "sitemap.xml").exists()


def test_no_built_file_references_an_external_host(site_dir):
    offenders = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in (".html", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_URL.finditer(text):
            if match.group(1).lower() not in ALLOWED_HOSTS:
                offenders.append(f"{path.relative_to(site_dir)}: {match.group(0)}")
    assert offenders == []


def test_two_builds_with_same_epoch_are_byte_identical(tmp_path, docs_dir, site_dir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)  # custom_dir must resolve against the project root, not the cwd
    again = tmp_path / "another-site-dir"
    build_site(PROJECT_ROOT, docs_dir, again, NAV)
    first, second = all_files(site_dir), all_files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_missing_config_is_a_clear_error(tmp_path, docs_dir):
    with pytest.raises(SiteBuildError, match="找不到网站配置文件") as caught:
        build_site(tmp_path, docs_dir, tmp_path / "site", NAV)
    assert isinstance(caught.value, UserError)


def test_broken_config_is_a_clear_error(tmp_path, docs_dir):
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\ntheme:\n  name: no-such-theme\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match="网站生成失败"):
        build_site(tmp_path, docs_dir, tmp_path / "site", NAV)


@needs_chromium
def test_chinese_search_from_file_url_lists_only_the_matching_page(site_dir, chromium):
    assert browser.search_site(site_dir, "积极分子", chromium=chromium) == ["develop.html"]
    results = browser.search_results(site_dir, "三会一课", chromium=chromium)
    assert [(r.title, r.url) for r in results] == [("组织生活", "meetings.html")]
    assert browser.search_site(site_dir, "不存在的词语", chromium=chromium) == []


def test_the_search_index_is_stored_once(site_dir):
    assert [path.name for path in (site_dir / "search").iterdir()] == ["search_index.js"]
    bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert 'location.protocol==="file:"?' not in bundle, "the bundle loads the script over HTTP too"


@needs_chromium
def test_search_works_over_http_from_the_one_index(site_dir, chromium):
    results, requests = browser.search_results_over_http(site_dir, "三会一课", chromium=chromium)
    assert [(r.title, r.url) for r in results] == [("组织生活", "meetings.html")]
    assert any(url.endswith("search/search_index.js") for url in requests)
    assert not any("search_index.json" in url for url in requests)


@needs_chromium
@pytest.mark.parametrize("page", ["index.html", "develop.html"])
def test_page_load_and_search_make_no_network_requests(site_dir, page, chromium):
    requests = browser.collect_requests(site_dir / page, search="党费", chromium=chromium)
    assert any(url.endswith("search/search_index.js") for url in requests)  # the search really ran
    assert [url for url in requests if not url.startswith("file:")] == []


@needs_chromium
def test_branch_filter_shows_only_rows_of_the_chosen_type(site_dir, chromium):
    rows = browser.choose_and_list_visible(site_dir / "branches.html", "#branch-type-filter", "农村", "tr[data-type]",
                                           chromium=chromium)
    assert [row.split()[0] for row in rows] == ["东坪村党支部", "西岭村党支部"]
    count = browser.choose_and_list_visible(site_dir / "branches.html", "#branch-type-filter", "社区", "#branch-type-count",
                                            chromium=chromium)
    assert count == ["1"]
