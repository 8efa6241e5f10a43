"""Turn rendered Markdown pages into the MkDocs Material site.

This is the only module that talks to MkDocs. The pipeline renders the pages
into a docs directory and hands over the navigation; `build_site` builds the
site into a directory of the caller's choosing, and `serve_site` keeps a live
preview running while the user edits their files. The site's title (MkDocs'
`site_name`) is the organization's (`Organization.site_title`), passed in by
the caller; a `site_name` in mkdocs.yml is overridden.

The built site has to work when opened from disk (file://) on a machine
without internet access, and must be byte-identical for identical input:

- mkdocs.yml turns off web fonts and the generator link, vendors the
  iframe-worker shim the offline plugin needs, and an empty `sitemap.xml`
  template in theme/site drops the sitemap (its only content is build dates);
- every page's content HTML goes through the sanitizer of
  generator.render.sanitize (a plugin registered here, run after all others),
  so raw HTML in organization-written Markdown cannot carry scripts, event
  handlers, javascript: links or outside images;
- Material's `content.tooltips` feature is always switched off: it shows a
  `title` attribute, and the text of a truncated navigation title, as HTML,
  which would turn escaped user text back into markup in the browser;
- every page gets a Content-Security-Policy that runs only the site's own
  scripts (generator.csp);
- Material's bundled scripts and styles still contain URL strings for features
  the handbook never enables (Mermaid from unpkg, GitHub/GitLab repository
  facts, a ResizeObserver polyfill) and licence comments with web addresses.
  After each build those files get their `http(s)://` prefixes removed, which
  leaves every licence text readable and turns the dead feature URLs into
  local paths that can never leave the machine. Source maps are dropped: they
  are debugging aids full of upstream URLs and weigh more than the site.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# Material for MkDocs may print an English end-of-life banner on import: the imports below come after
# this line (pyproject.toml lets this file import below code, E402).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import jinja2
import material.templates
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from markupsafe import escape

from generator.csp import add_content_security_policy
from generator.errors import UserError
from generator.logs import log
from generator.render.sanitize import sanitize_html, sanitize_text
from generator.search_index import segment_index
from generator.publish import replace_tree

CONFIG_NAME = "mkdocs.yml"
# The title of the pages when the caller names none (the pipeline always names the organization's).
DEFAULT_SITE_NAME = "党支部标准化手册"

_MATERIAL_DIR = Path(material.templates.__file__).parent
_EXTERNAL_SCHEME = re.compile(r"https?://(?!www\.w3\.org/)")
# Material's bundle chooses the index by protocol: search_index.js as a script from file://, the JSON over HTTP.
_INDEX_BY_PROTOCOL = re.compile(r'location\.protocol==="file:"\?(?=\w+\(`\$\{new URL\("search/search_index\.js")')
_REWRITTEN_SUFFIXES = (".js", ".css")
# Material features that render page text as HTML in the browser.
_UNSAFE_FEATURES = ("content.tooltips",)
# Logger name → lowest level let through. The live-reload server logs every
# 404 as a warning, in English; only its errors matter to the user.
_QUIET_LOGGERS = {"mkdocs": logging.WARNING, "mkdocs.livereload": logging.ERROR, "jieba": logging.WARNING}


class SiteBuildError(UserError):
    """MkDocs could not build the site; the message says why, in Chinese."""


def build_site(project_root: Path, docs_dir: Path, site_dir: Path, nav: list,
               site_name: str = DEFAULT_SITE_NAME) -> None:
    """Build the site from `docs_dir` into `site_dir` with the project's mkdocs.yml.

    `nav` is a MkDocs nav list such as `[{"首页": "index.md"}, {"支部": [...]}]`; `site_name` is the
    title of every page (the organization's `site_title`; a `site_name` in mkdocs.yml is overridden).
    Raises `SiteBuildError` if MkDocs reports an error.
    """
    with _quiet_mkdocs_logging() as errors:
        _build(project_root.resolve(), docs_dir.resolve(), site_dir.resolve(), nav, errors, site_name=site_name)


def serve_site(
    project_root: Path,
    rebuild: Callable[[], tuple[Path, list, str]],
    watch: list[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Serve a live-reloading preview until the user presses Ctrl+C.

    `rebuild()` renders the Markdown pages again and returns `(docs_dir, nav, site_name)`.
    It runs once at the start and again whenever a file under one of the
    `watch` paths (or mkdocs.yml) changes. If it raises an exception that has a
    `report()` method, the report goes to stderr and the preview keeps showing
    the last good build.
    """
    project_root = project_root.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="branchbook-preview-"))
    served = workdir / "site"
    served.mkdir()
    _write_placeholder(served)
    url = f"http://{host}:{port}/"

    with _quiet_mkdocs_logging() as errors:

        def builder() -> None:
            _refresh_preview(project_root, rebuild, served, url, errors)

        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(served))
        server.error_handler = lambda code: _error_page(served, code)
        try:
            _check_port_free(server, url)
            builder()
            for path in [*watch, project_root / CONFIG_NAME]:
                if path.exists():
                    server.watch(str(path.resolve()))
            with _stop_on_sigterm():
                _serve_forever(server, url)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


# ---- Building ---------------------------------------------------------------


def _build(
    project_root: Path,
    docs_dir: Path,
    site_dir: Path,
    nav: list,
    errors: list[str],
    serve_url: str | None = None,
    site_name: str = "",
) -> None:
    errors.clear()
    config = _load_config(project_root, docs_dir, site_dir, nav, errors, site_name or DEFAULT_SITE_NAME)
    config.plugins[_SanitizePlugin.NAME] = _SanitizePlugin()
    config.plugins[_SearchIndexPlugin.NAME] = _SearchIndexPlugin()
    _drop_unsafe_features(config)
    config.plugins.on_startup(command="serve" if serve_url else "build", dirty=False)
    try:
        mkdocs_build(config, serve_url=serve_url)
    except (MkDocsException, jinja2.TemplateError, OSError) as exc:
        raise SiteBuildError(_failure_message(errors, exc)) from exc
    finally:
        config.plugins.on_shutdown()
    if errors:
        raise SiteBuildError(_failure_message(errors, None))
    _strip_external_schemes(site_dir)
    _drop_source_maps(site_dir)
    _store_search_index_once(site_dir)
    # The live preview injects an inline live-reload script, which a script policy would block.
    add_content_security_policy(site_dir, scripts=serve_url is None)


def _load_config(
    project_root: Path, docs_dir: Path, site_dir: Path, nav: list, errors: list[str], site_name: str
) -> MkDocsConfig:
    config_file = project_root / CONFIG_NAME
    if not config_file.is_file():
        raise SiteBuildError(f"找不到网站配置文件：{config_file}")
    try:
        # An absolute config path makes MkDocs resolve theme.custom_dir against
        # the project root whatever the current directory is.
        return load_config(
            config_file=str(config_file),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            nav=nav,
            # The organization's text: Material writes it into pages unescaped, so it goes in as escaped
            # Markup (which its `| e` leaves as it is).
            site_name=escape(site_name),
        )
    except MkDocsException as exc:
        raise SiteBuildError(_failure_message(errors, exc, config_file)) from exc


def _drop_unsafe_features(config: MkDocsConfig) -> None:
    """Switch off the features in `_UNSAFE_FEATURES`, also in an older mkdocs.yml that still lists them."""
    features = config.theme.get("features") or []
    config.theme["features"] = [name for name in features if name not in _UNSAFE_FEATURES]


class _SanitizePlugin(BasePlugin):
    """Pass every page's content, and its table of contents, through the HTML sanitizer."""

    NAME = "branchbook/sanitize"

    @event_priority(-100)  # after every other plugin's changes to the content
    def on_page_content(self, html: str, page, config, files) -> str:
        pending = list(page.toc)
        while pending:
            item = pending.pop()
            item.title = sanitize_text(item.title)
            pending.extend(item.children)
        return sanitize_html(html)


class _SearchIndexPlugin(BasePlugin):
    """Write the search index as UTF-8 instead of ASCII escapes: its Chinese text then takes half the bytes.

    Material's bundle fetches search/search_index.json over HTTP and loads search/search_index.js (the
    same data as a script, written by the offline plugin) from file://, where a page cannot read a JSON
    file; after the build the bundle is made to load the script always and the JSON is dropped
    (`_store_search_index_once`), so the index is stored once.

    Before it is written, the Chinese text is segmented again into the tokens Material's search in
    the browser needs to find whole words (generator.search_index).
    """

    NAME = "branchbook/search-index"

    @event_priority(-50)  # after the search plugin writes the index (0), before the offline plugin copies it (-100)
    def on_post_build(self, *, config) -> None:
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.is_file():
            index = segment_index(json.loads(path.read_text(encoding="utf-8")))
            path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _failure_message(errors: list[str], exc: Exception | None, config_file: Path | None = None) -> str:
    lines = [f"网站生成失败（请检查 {config_file}）：" if config_file else "网站生成失败："]
    lines += [f"  {message}" for message in errors]
    if exc is not None and str(exc) and str(exc) not in errors:
        lines.append(f"  {exc}")
    return "\n".join(lines)


def _strip_external_schemes(site_dir: Path) -> None:
    """Remove http(s):// from the scripts and styles Material ships verbatim."""
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in _REWRITTEN_SUFFIXES or not path.is_file():
            continue
        if not (_MATERIAL_DIR / path.relative_to(site_dir)).is_file():
            continue
        text = path.read_text(encoding="utf-8")
        cleaned = _EXTERNAL_SCHEME.sub("", text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


def _store_search_index_once(site_dir: Path) -> None:
    """Keep the search index once, as search/search_index.js: the bundle loads it as a script over HTTP too.

    A script loads from file:// and from a web server alike, so Material's choice by protocol is made to
    take the script always and the JSON copy is dropped. If the bundle does not read as expected (another
    Material release), both files stay and search works as Material ships it.
    """
    script, data = site_dir / "search" / "search_index.js", site_dir / "search" / "search_index.json"
    bundles = sorted((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if not (script.is_file() and data.is_file() and len(bundles) == 1):
        return
    patched, count = _INDEX_BY_PROTOCOL.subn("!0?", bundles[0].read_text(encoding="utf-8"))
    if count != 1:
        log.debug("Material 的脚本与预期不同，搜索索引保留两份")
        return
    bundles[0].write_text(patched, encoding="utf-8")
    data.unlink()


def _drop_source_maps(site_dir: Path) -> None:
    for path in sorted(site_dir.rglob("*.map")):
        path.unlink()


# ---- Logging ----------------------------------------------------------------


class _ForwardHandler(logging.Handler):
    """Pass MkDocs warnings on to the branchbook logger, in Chinese, and remember the errors."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        log.debug("MkDocs: %s", message)
        if record.levelno >= logging.ERROR:
            self.errors.append(mkdocs_message_in_chinese(message))
        else:
            log.warning("%s", mkdocs_message_in_chinese(message))


# MkDocs' warnings about links in a page, by the page's source: generated pages come from these user files.
_LINK_WARNINGS = (
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but the target '(?P<target>[^']+)' "
                r"is not found among documentation files"), "链接「{link}」指向的页面或文件不存在（网站中没有 {target}）"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but the doc '(?P<target>[^']+)' "
                r"does not contain an anchor '(?P<anchor>[^']+)'"), "链接「{link}」指向的页面中没有「{anchor}」这一节"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains a link to '(?P<target>[^']+)' which is excluded"),
     "链接指向的文件「{target}」不在网站中"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains an unrecognized relative link '(?P<link>[^']+)'"),
     "无法识别的相对链接「{link}」，已原样保留"),
    (re.compile(r"Doc file '(?P<page>[^']+)' contains an absolute link '(?P<link>[^']+)'"),
     "绝对链接「{link}」在网站中无法打开，请改为相对链接"),
)
_PAGE_SOURCES = ((re.compile(r"^chapters/(?P<name>.+)\.md$"), "content/chapters/{name}.md"),
                 (re.compile(r"^branches/(?P<name>[^/]+)\.md$"), "branches/{name}.yml"),
                 (re.compile(r"^workflows/(?P<name>[^/]+)\.md$"), "content/workflows/{name}.yml"))


def _page_source(page: str) -> str:
    for pattern, source in _PAGE_SOURCES:
        match = pattern.match(page)
        if match:
            return source.format(**match.groupdict())
    return f"网站页面 {page}"


def mkdocs_message_in_chinese(message: str) -> str:
    """A MkDocs log message as the user should read it: in Chinese, naming the user's file where possible.

    Messages we do not know are not shown in English: the user gets a Chinese note, the original goes to
    the debug log.
    """
    for pattern, chinese in _LINK_WARNINGS:
        match = pattern.search(message)
        if match:
            return f"{_page_source(match['page'])}：{chinese.format(**match.groupdict())}"
    config = re.match(r"Config value '(?P<key>[^']+)'", message)
    if config:
        return f"{CONFIG_NAME} 中的设置「{config['key']}」有误，请对照示例组织的 {CONFIG_NAME} 检查"
    return "MkDocs 报告了一个问题，请检查 mkdocs.yml 和 theme/site/ 中修改过的文件"


@contextmanager
def _quiet_mkdocs_logging() -> Iterator[list[str]]:
    """Silence MkDocs below WARNING and route what is left through our logger."""
    errors: list[str] = []
    _import_jieba_early()
    saved = {name: _logger_state(logging.getLogger(name)) for name in _QUIET_LOGGERS}
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.handlers = [_ForwardHandler(errors)]
    mkdocs_logger.propagate = False
    for name, level in _QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield errors
    finally:
        for name, (level, propagate, handlers) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.propagate = propagate
            logger.handlers = handlers


def _import_jieba_early() -> None:
    """jieba sets its logger to DEBUG when first imported; import it before we quiet it."""
    with suppress(ImportError):
        import jieba  # noqa: F401  (imported for its side effect on logging)


def _logger_state(logger: logging.Logger) -> tuple[int, bool, list[logging.Handler]]:
    return logger.level, logger.propagate, list(logger.handlers)


# ---- Preview ----------------------------------------------------------------


def _refresh_preview(
    project_root: Path,
    rebuild: Callable[[], tuple[Path, list, str]],
    served: Path,
    url: str,
    errors: list[str],
) -> None:
    """Render and build into a fresh directory, then swap it in; keep the old one on failure."""
    try:
        docs_dir, nav, site_name = rebuild()
    except Exception as exc:
        report = getattr(exc, "report", None)
        if not callable(report):
            raise
        _say(report())
        _say("预览仍显示上一次成功生成的内容；修正后保存文件即可自动刷新。")
        return
    staging = Path(tempfile.mkdtemp(prefix="site-", dir=served.parent))
    try:
        _build(project_root, docs_dir.resolve(), staging, nav, errors, serve_url=url, site_name=site_name)
    except SiteBuildError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _say(str(exc))
        _say("预览仍显示上一次成功生成的内容。")
        return
    replace_tree(staging, served)
    _say(f"已生成网站（{time.strftime('%H:%M:%S')}）")


def _serve_forever(server: LiveReloadServer, url: str) -> None:
    _say(f"正在预览：{url}（按 Ctrl+C 停止）")
    try:
        server.serve()
    except KeyboardInterrupt:
        _say("已停止预览。")
    except OSError as exc:
        raise _port_error(url, exc) from exc
    finally:
        server.shutdown()


def _check_port_free(server: LiveReloadServer, url: str) -> None:
    """Fail early, in Chinese, if the address cannot be bound (LiveReloadServer binds in serve())."""
    probe = socket.socket(server.address_family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(server.server_address)
    except OSError as exc:
        raise _port_error(url, exc) from exc
    finally:
        probe.close()


def _port_error(url: str, exc: OSError) -> UserError:
    return UserError(f"无法在 {url} 启动预览（{exc.strerror or exc}）；端口可能已被占用，请换一个端口。")


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl+C so the preview's temporary files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_placeholder(served: Path) -> None:
    (served / "index.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>正在生成</title></head><body>'
        "<p>网站尚未生成成功。请查看终端中的错误信息，修正后保存文件，本页会自动刷新。</p></body></html>",
        encoding="utf-8",
    )


def _error_page(served: Path, code: int) -> bytes | None:
    page = served / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
