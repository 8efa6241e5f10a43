"""Attack the public site with user text that tries to run as code (stored XSS), and check it never does.

A copy of the small fixture gets one hostile string in every free-text field
of a branch, of the organization, of the scheme and of a workflow, plus a
chapter whose body is hostile raw HTML and Markdown. The site is built once
(without PDFs); every HTML file is then scanned with an HTML parser, and the
affected pages are opened in headless Chromium (one browser for the module),
where the injected code would set `window.__pwned`. Plain-text fields must
also show the hostile string literally, exactly once escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta

from generator import pipeline
from generator.render.pages import markdown_text, yaml_title
from generator.render.sanitize import sanitize_html
from tests import browser
from tests.support import REPO, copy_small

# Each payload sets window.__pwned if it ever runs.
PAYLOADS = (
    '<script>window.__pwned="script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '<svg onload="window.__pwned=\'svg\'"></svg>',
    '[点击](javascript:window.__pwned="link")',
    '<a href="javascript:window.__pwned=\'href\'">点</a>',
    '溪畔" onmouseover="window.__pwned=\'attr\'" x="',
    "'><script>window.__pwned='quote'</script>",
    "![外链](http://evil.example/x.png)",
    '{ onclick="window.__pwned=\'attrlist\'" }',
)
# Text that must show literally: & and an entity-looking string stay as typed.
HOSTILE = "A&B<i> &amp; " + "".join(PAYLOADS)


def hostile(field: str) -> str:
    return f"【{field}】{HOSTILE}"


YAML_LOOKING = "{红光: 1}"
RAW_CHAPTER = """\
---
title: {title}
part: 管理制度
order: 9
---

正文之前。

<script>window.__pwned = "chapter-script"</script>
<img src="x" onerror="window.__pwned='chapter-img'">
<img src="http://evil.example/tracker.png" alt="外部图片">
<svg onload="window.__pwned='chapter-svg'"><circle r="1"/></svg>
<iframe src="javascript:window.__pwned='chapter-iframe'"></iframe>
<object data="http://evil.example/x.swf"></object>
<form action="http://evil.example/"><button formaction="javascript:window.__pwned='form'">提交</button></form>
<div id="__config" data-md-component="search">{{"search": "http://evil.example/worker.js"}}</div>
<a href="javascript:window.__pwned='chapter-href'">脚本链接</a>
<a href="//evil.example/x">网络路径</a>
<a href="https://www.12371.cn/">外部网站</a>
<p style="position:fixed;top:0" onclick="window.__pwned='chapter-p'">段落</p>
<style>body {{ display: none }}</style>

[Markdown 脚本链接](javascript:window.__pwned=7)
![Markdown 外部图片](http://evil.example/md.png)

## 标题 {{ onclick="window.__pwned='chapter-attr'" }}

章节结尾文字。
"""

KNOWN_SCRIPT_SOURCES = re.compile(
    r"^(/|(\.\./)*)assets/javascripts/(iframe-worker-shim\.js|bundle\.[0-9a-f]+\.min\.js|branch-filter\.js)$")
# Material's own inline scripts in base.html (the search config is JSON, not code).
KNOWN_INLINE_SCRIPTS = ("__md_scope=new URL(", 'var tabs=__md_get("__tabs")', "var target=document.getElementById(location.hash")
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "content", "value", "download", "data-md-color-scheme"}

PAGES = ("branches/hongguang.html", "branches/qingshan.html", "index.html", "branches/index.html", "downloads.html",
         "results/index.html", "results/tiered/index.html", "results/tiered/2026Q1.html", "results/data.html",
         "notices/index.html", "notices/tiered-2026Q1.html", "chapters/hostile.html", "workflows/dangke.html",
         "workflows/index.html")

needs_chromium = pytest.mark.skipif(
    not browser.chromium_available(), reason=f"Chromium 不存在: {browser.CHROMIUM} (浏览器测试需要它)")


# ---- The hostile organization --------------------------------------------------------


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _hostile_branch(b: dict) -> None:
    b["name"], b["short_name"], b["unit"] = hostile("name"), hostile("short_name"), hostile("unit")
    b["parent"] = hostile("org_name")   # a branch's parent is the organization's name
    b["office"]["address"], b["office"]["contact_person"] = hostile("address"), hostile("contact")
    b["office"]["email"] = "x<img/src=x/onerror=window.__pwned=1>@a.cn"
    for member in b["committee"]["members"]:
        member["duties"] = hostile("duties")
    b["groups"].append({"name": hostile("group"), "leader": "王建国", "grid": hostile("grid")})
    room = b["activity_room"]
    room["name"], room["location"], room["equipment"] = hostile("room"), hostile("location"), [hostile("equipment")]
    b["rules"] = [hostile("rule"), *b["rules"]]
    b["goals"].append({"year": 2026, "title": hostile("goal"), "measures": hostile("measures")})
    b["commitments"].append({"title": hostile("commitment"), "detail": hostile("detail")})
    b["honours"].append({"year": 2025, "title": hostile("honour"), "awarded_by": hostile("awarded_by")})
    b["news"].append({"date": dt.date(2025, 12, 20), "title": hostile("news"), "text": hostile("news_text")})


def _hostile_organization(o: dict) -> None:
    o["name"], o["short_name"], o["summary"] = hostile("org_name"), hostile("org_short"), hostile("summary")
    o["office"]["address"], o["office"]["contact_person"] = hostile("org_address"), hostile("org_contact")


def _hostile_scheme(s: dict) -> None:
    s["name"], s["basis"] = hostile("scheme"), hostile("scheme_basis")
    s["notice"]["basis"], s["notice"]["issuer"] = hostile("notice_basis"), hostile("issuer")
    item = s["items"][0]
    item["name"], item["measures"], item["standard"] = hostile("item"), hostile("item_measures"), hostile("standard")


def _hostile_workflow(w: dict) -> None:
    w["title"], w["summary"], w["basis"] = hostile("workflow"), hostile("wf_summary"), hostile("wf_basis")
    w["stages"][0]["name"] = hostile("stage")
    w["steps"][0]["name"] = hostile("step")


def build_hostile_organization(target: Path) -> Path:
    """The small fixture at `target` with hostile text everywhere, built without PDFs."""
    root = copy_small(target)
    _edit_yaml(root / "branches" / "hongguang.yml", _hostile_branch)
    _edit_yaml(root / "branches" / "qingshan.yml", lambda b: b.update(short_name=YAML_LOOKING, parent=hostile("org_name")))
    _edit_yaml(root / "content" / "organization.yml", _hostile_organization)
    _edit_yaml(root / "content" / "schemes" / "tiered.yml", _hostile_scheme)
    _edit_yaml(root / "content" / "workflows" / "dangke.yml", _hostile_workflow)
    title = yaml.safe_dump(hostile("chapter"), allow_unicode=True).removesuffix("\n...\n").strip()
    (root / "content" / "chapters" / "hostile.md").write_text(RAW_CHAPTER.format(title=title), encoding="utf-8")
    pipeline.build(root, with_pdf=False, workers=1, show_progress=False)
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return build_hostile_organization(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def site(root) -> Path:
    return root / "site"


# ---- The built HTML, parsed -------------------------------------------------------------


class _Elements(HTMLParser):
    """Every start tag as (tag, attributes, inside the page's content?), and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], bool]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self._text: list[str] = []
        self._in_content = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes, self._in_content))
        if tag == "article" and "md-content__inner" in attributes.get("class", ""):
            self._in_content = True
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_content = False
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)


def parsed(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_files(site: Path) -> Iterator[Path]:
    return iter(sorted(site.rglob("*.html")))


def test_the_hostile_organization_builds_every_affected_page(site):
    for page in PAGES:
        assert (site / page).is_file(), page


def test_no_page_has_a_script_other_than_materials_and_ours(site):
    unknown = []
    for path in html_files(site):
        for attributes, text in parsed(path).scripts:
            if "src" in attributes:
                known = KNOWN_SCRIPT_SOURCES.match(attributes["src"]) and not text.strip()
            elif attributes.get("type") == "application/json":
                known = attributes.get("id") == "__config" and "__pwned" not in text
            else:
                known = text.startswith(KNOWN_INLINE_SCRIPTS) and "__pwned" not in text
            if not known:
                unknown.append(f"{path.relative_to(site)}: {attributes} {text[:80]!r}")
    assert unknown == []


def _javascript_url(value: str) -> bool:
    return re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower().startswith(("javascript:", "vbscript:", "data:"))


def test_no_element_or_attribute_comes_from_the_hostile_strings(site):
    offenders = []
    for path in html_files(site):
        where = path.relative_to(site)
        elements = parsed(path).elements
        ids = [attributes["id"] for _, attributes, _ in elements if "id" in attributes]
        if ids.count("__config") > 1:
            offenders.append(f"{where}: a second #__config")
        for tag, attributes, in_content in elements:
            # Material's own header has a search form and buttons; the content has none.
            if tag in ("iframe", "object", "embed", "base", "style") or (
                    in_content and tag in ("form", "button", "textarea", "script", "link", "meta", "svg")):
                offenders.append(f"{where}: <{tag}>")
            if tag == "meta" and "http-equiv" in attributes and attributes["http-equiv"].lower() != "content-security-policy":
                offenders.append(f"{where}: <meta http-equiv={attributes['http-equiv']}>")
            if tag == "img" and re.match(r"^([a-z]+:|//)", attributes.get("src", "")):
                offenders.append(f"{where}: <img src={attributes['src']!r}>")
            # Plain-text fields never become elements (the chapter's own raw HTML may keep harmless tags).
            if tag == "img" and attributes.get("src") in ("x", None) and where.as_posix() != "chapters/hostile.html":
                offenders.append(f"{where}: <img src={attributes.get('src')!r}>")
            for name, value in attributes.items():
                if name.startswith("on") or name == "x" or name == "formaction":
                    offenders.append(f"{where}: <{tag} {name}=…>")
                if name in ("href", "src", "action", "data", "xlink:href") and _javascript_url(value):
                    offenders.append(f"{where}: <{tag} {name}={value!r}>")
                if name in ("href", "src") and value.startswith("//"):
                    offenders.append(f"{where}: <{tag} {name}={value!r}>")
                # Text may also become a heading's id (its slug) and the links to it.
                if "__pwned" in value and name not in TEXT_ATTRIBUTES and name != "id" and not (
                        name == "href" and value.startswith("#")):
                    offenders.append(f"{where}: <{tag} {name}={value[:60]!r}>")
    assert offenders == []


def test_diagrams_of_hostile_names_are_well_formed_svg_without_scripts(site):
    for path in sorted(site.rglob("*.svg")):
        tree = ET.parse(path)
        for element in tree.iter():
            assert not element.tag.endswith(("script", "foreignObject")), path
            assert not any(name.lower().startswith("on") for name in element.attrib), path


def test_front_matter_titles_stay_strings(site):
    page = (site / "branches" / "qingshan.html").read_text(encoding="utf-8")
    assert f"<title>{YAML_LOOKING} - " in page
    assert re.search(r"<h1[^>]*>\{红光: 1\}", page)


def test_chapter_keeps_its_text_and_safe_links_but_loses_the_hostile_html(site):
    page = (site / "chapters" / "hostile.html").read_text(encoding="utf-8")
    page = page[page.index('<article class="md-content__inner'):page.index("</article>")]
    page = page.replace(html.escape(hostile("chapter"), quote=False), "")   # the title, shown as text
    for kept in ("正文之前。", "章节结尾文字。", "脚本链接", "提交", "段落", '<a href="https://www.12371.cn/">外部网站</a>'):
        assert kept in page
    for gone in ("chapter-", "display: none", "position:fixed", "__config", "data-md-component"):
        assert gone not in page, gone
    assert re.search(r'="[^"]*evil\.example', page) is None   # as text only, never an address


# ---- Escaping and sanitizing, checked against Python-Markdown itself -----------------------


def _site_markdown() -> markdown.Markdown:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if value:
            options[name] = value
    return markdown.Markdown(extensions=names, extension_configs=options)


MD = _site_markdown()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.alts, self._skip = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "headerlink":
            self._skip += 1
            return
        self.tags.append(tag)
        if tag == "img":
            self.alts.append(attributes.get("alt", ""))

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _render(source: str) -> _Text:
    MD.reset()
    parser = _Text()
    parser.feed(MD.convert(source))
    return parser


def _collapsed(text: str) -> str:
    return " ".join(text.split())


# Markdown and HTML punctuation, letters, Chinese, digits and line breaks.
TRICKY = st.lists(st.sampled_from(list("\\`*_{}[]()#+-.!|~^=:?<>&;\"'/ \n1aZ中文") + [
    "&amp;", "<b>", "](", "1. ", "- ", "!!! ", "??? ", "[^1]", "*[", "{:", "    "]), max_size=16).map("".join)
CONTEXTS = {
    "paragraph": ("{}", ["p"]),
    "heading": ("### {}", ["h3"]),
    "list item": ("- {}", ["ul", "li"]),
    "table cell": ("| 项目 | 内容 |\n|---|---|\n| 值 | {} |", ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]),
    "link text": ("[{}](page.md)", ["p", "a"]),
}


@settings(max_examples=150, deadline=None)
@given(value=TRICKY)
def test_escaped_text_shows_literally_in_every_markdown_context(value):
    expected = _collapsed(value)
    for context, (template, tags) in CONTEXTS.items():
        if not expected and context in ("heading", "list item", "link text"):
            continue
        rendered = _render(template.format(markdown_text(value)))
        assert rendered.tags == (tags if expected or context == "table cell" else []), (context, value)
        shown = _collapsed("".join(rendered.text))
        prefix = {"table cell": "项目内容值"}.get(context, "")
        assert shown.replace(" ", "") == (prefix + expected).replace(" ", ""), (context, value)
        assert shown.endswith(expected), (context, value)
    image = _render(f"![{markdown_text(value)}](x.svg)")
    assert [_collapsed(alt) for alt in image.alts] == [expected]


@settings(max_examples=150, deadline=None)
@given(value=st.text(max_size=30))
def test_front_matter_title_is_one_string_whatever_the_text(value):
    _, data = meta.get_data(f"---\ntitle: {yaml_title(value)}\n---\n\n正文\n")
    assert list(data) == ["title"] and isinstance(data["title"], str)
    assert "<" not in data["title"] and html.unescape(data["title"]) == value


EXTENSIONS_PAGE = """\
# 标题

!!! note "提示"
    admonition 内容

??? info "折叠"
    details 内容

=== "甲"
    第一个标签页

=== "乙"
    第二个标签页

- [x] 已完成
- [ ] 未完成

脚注[^1]、==标记==、^^插入^^、~~删除~~、H~2~O、*[缩写]: 不是缩写

[^1]: 脚注内容

术语
:   定义

| 左 | 中 | 右 |
|:--|:-:|--:|
| 1 | 2 | 3 |

```python
print("代码")
```

`#!python inline()` 与 <kbd>Ctrl</kbd>

![图](chart.svg){ .bb-chart width="300" }
[下载](../pdf/x.pdf){ download="文件.pdf" .md-button }
[邮件](mailto:a@b.cn) [外部网站](https://www.12371.cn/)

<div class="bb-stats" markdown data-search-exclude>

**表格**

</div>

<select id="branch-type-filter"><option value="">全部</option><option value="农村">农村</option></select>
<label for="branch-type-filter">类别</label>
<table class="bb-directory"><tbody><tr data-type="农村"><td><a href="x.html">村</a></td></tr></tbody></table>
"""


def _dom(markup: str) -> list[str]:
    """A comparable form of HTML: tags with sorted attributes and text, normalised like browsers read them."""
    tokens: list[str] = []

    class Tokens(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag != "tbody":
                normal = sorted((name, re.sub(r"\s+|;$", "", value) if name == "style" else
                                 ("" if value in (None, name) else value)) for name, value in attrs)
                tokens.append(f"<{tag} {normal}")

        def handle_endtag(self, tag):
            if tag not in ("tbody", "br", "hr", "img", "input", "col"):
                tokens.append(f"</{tag}")

        def handle_data(self, data):
            if data.strip():
                tokens.append(_collapsed(data))

    Tokens(convert_charrefs=True).feed(markup)
    return tokens


def test_sanitizer_keeps_everything_the_markdown_extensions_and_templates_write():
    MD.reset()
    page = MD.convert(EXTENSIONS_PAGE)
    for feature in ('class="admonition note"', "<details", 'type="radio"', 'type="checkbox"', "footnote-ref",
                    "<mark>", "<ins>", "<del>", "<sub>", "<dl>", 'style="text-align: center;"', 'class="highlight"',
                    "<kbd>", 'download="文件.pdf"', "<select", "data-type"):
        assert feature in page, feature
    assert _dom(sanitize_html(page)) == _dom(page)


def test_every_page_has_a_policy_that_allows_only_the_sites_own_scripts(site):
    for path in html_files(site):
        policies = [attributes["content"] for tag, attributes, _ in parsed(path).elements
                    if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy"]
        assert len(policies) == 1, path
        directives = dict(part.strip().split(" ", 1) for part in policies[0].split(";"))
        if parsed(path).scripts:
            assert directives["script-src"].startswith("'self' 'sha256-"), path
        else:   # the self-contained 404 page
            assert directives["script-src"] == "'none'", path
        assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


# ---- In Chromium ----------------------------------------------------------------------------

# Runs in the page: anything the payloads could have left behind.
PROBE = """async () => {
    for (const element of document.querySelectorAll("*")) {
        for (const type of ["mouseover", "mouseenter", "focus", "load", "error"]) {
            element.dispatchEvent(new Event(type, {bubbles: true}));
        }
    }
    await new Promise(resolve => setTimeout(resolve, 300));   // error and load events come later
    const all = [...document.querySelectorAll("*")];
    return {
        pwned: window.__pwned === undefined ? null : String(window.__pwned),
        handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).map(e => e.outerHTML.slice(0, 80)),
        scriptLinks: [...document.querySelectorAll("a[href]")].filter(a => a.protocol !== "file:" && a.protocol !== "https:"
            && a.protocol !== "mailto:" && a.protocol !== "tel:").map(a => a.href),
        remoteImages: [...document.images].filter(i => i.getAttribute("src") !== null && !i.src.startsWith("file:")).map(i => i.src),
        title: document.title,
    };
}"""


@pytest.fixture
def open_page(chromium):
    """Open a built page from file:// in a fresh context; non-file requests are aborted and recorded."""
    contexts = []

    def opener(path: Path):
        context = chromium.new_context(locale="zh-CN", service_workers="block")
        contexts.append(context)
        context.route(re.compile(r"^(?!file:)", re.IGNORECASE), lambda route: route.abort())
        page = context.new_page()
        page.requests, page.dialogs, page.blocked = [], [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda message: "Content Security Policy" in message.text and page.blocked.append(message.text))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        return page

    yield opener
    for context in contexts:
        context.close()


def _assert_nothing_ran(page) -> dict:
    found = page.evaluate(PROBE)
    assert found["pwned"] is None
    assert found["handlers"] == [] and found["scriptLinks"] == [] and found["remoteImages"] == []
    assert page.dialogs == []
    assert [url for url in page.requests if not url.startswith("file:")] == []
    assert page.blocked == []   # the policy lets every script of the site itself run
    return found


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_no_injected_code_runs_on_the_affected_pages(site, open_page, name):
    _assert_nothing_ran(open_page(site / name))


def _texts(page, selector: str) -> list[str]:
    """The visible text of each match, without a heading's permalink sign."""
    return [_collapsed(text).removesuffix("¶").rstrip() for text in page.locator(selector).all_inner_texts()]


@needs_chromium
def test_branch_page_shows_every_hostile_field_literally(site, open_page):
    page = open_page(site / "branches" / "hongguang.html")
    found = _assert_nothing_ran(page)
    assert found["title"] == f"{hostile('short_name')} - 云溪新区党支部标准化手册"
    assert _texts(page, "article h1") == [hostile("short_name")]
    article = _collapsed(page.locator("article").inner_text())
    for field in ("name", "unit", "address", "duties", "group", "room", "location", "rule", "goal",
                  "measures", "commitment", "detail", "honour", "awarded_by", "news", "news_text"):
        assert hostile(field) in article, field
    assert hostile("news") in _texts(page, "article h3")
    assert "x<img/src=x/onerror=window.__pwned=1>@a.cn" in article
    alts = page.eval_on_selector_all("article img", "images => images.map(i => i.alt)")
    assert f"{hostile('short_name')}组织网络图" in alts


@needs_chromium
def test_directory_home_and_results_show_hostile_names_literally(site, open_page):
    directory = open_page(site / "branches" / "index.html")
    _assert_nothing_ran(directory)
    assert hostile("short_name") in _texts(directory, "table.bb-directory a")
    assert YAML_LOOKING in _texts(directory, "table.bb-directory a")
    home = open_page(site / "index.html")
    _assert_nothing_ran(home)
    assert _texts(home, "article h1") == [hostile("org_name")]
    assert hostile("summary") in _collapsed(home.locator("article").inner_text())
    ranking = open_page(site / "results" / "tiered" / "2026Q1.html")
    _assert_nothing_ran(ranking)
    assert hostile("short_name") in _texts(ranking, "article td")


@needs_chromium
def test_titles_show_literally_once_in_the_navigation_and_the_window_title(site, open_page):
    page = open_page(site / "workflows" / "dangke.html")
    found = _assert_nothing_ran(page)
    assert found["title"] == f"{hostile('workflow')} - 云溪新区党支部标准化手册"
    assert hostile("workflow") in _texts(page, "nav.md-nav--primary a.md-nav__link")
    assert _texts(page, ".md-header__topic .md-ellipsis")[-1] == hostile("workflow")
    scheme = open_page(site / "results" / "tiered" / "index.html")
    _assert_nothing_ran(scheme)
    assert hostile("scheme") in _texts(scheme, "nav.md-nav--primary .md-nav__link")
    assert _texts(scheme, "article h1") == [hostile("scheme")]
    chapter = open_page(site / "chapters" / "hostile.html")
    _assert_nothing_ran(chapter)
    assert _texts(chapter, "article h1") == [hostile("chapter")]
    notice = open_page(site / "notices" / "tiered-2026Q1.html")
    _assert_nothing_ran(notice)
    assert _texts(notice, "article h1") == [f"关于2026年第一季度{hostile('scheme')}结果的公示"]
    assert hostile("issuer") in _collapsed(notice.locator(".bb-notice-issuer").inner_text())


@needs_chromium
def test_the_policy_would_stop_a_script_that_got_into_the_content(site, open_page):
    original = site / "branches" / "hongguang.html"
    text = original.read_text(encoding="utf-8")
    start = text.index('<article class="md-content__inner md-typeset">') + len('<article class="md-content__inner md-typeset">')
    injected = original.with_name("injected.html")
    injected.write_text(text[:start] + '<script>window.__pwned="inline"</script>'
                        '<img src="x" onerror="window.__pwned=\'handler\'">' + text[start:], encoding="utf-8")
    try:
        page = open_page(injected)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned === undefined")
        assert len(page.blocked) == 2
    finally:
        injected.unlink()


@needs_chromium
def test_searching_for_the_hostile_text_runs_nothing_and_lists_it_literally(site, open_page):
    page = open_page(site / "index.html")
    browser.run_search(page, "点击")
    page.wait_for_timeout(300)
    results = browser.read_results(page, site.resolve())
    _assert_nothing_ran(page)
    assert "branches/hongguang.html" in [result.url for result in results]
    titles = [result.title for result in results]
    assert hostile("short_name") in titles
    assert hostile("chapter") in titles
