"""The print set reads only the theme and data: URIs, and embeds no file: chapter HTML cannot fetch or attach."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from generator import pipeline
from generator.pdf.fetch import RefusedResource, safe_fetcher
from tests.support import REPO, copy_small, keep_only_branch

ROSTER_ID_NUMBER = "330106197004120010"   # tests/fixtures/small/branches/qingshan-members.csv
ROSTER_PHONE = "13800001111"
THEME = REPO / "theme" / "print"

HOSTILE_CHAPTER = """\
---
title: 外部资源
part: 管理制度
order: 9
---

外部资源不得进入手册。

<img src="http://127.0.0.1:{port}/image.png" alt="">
<img src="http://127.0.0.1:9/x.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="../../branches/qingshan-members.csv" alt="">

<p style="background-image: url('http://127.0.0.1:{port}/background.png')">背景图</p>

<p><a rel="attachment" href="../../branches/qingshan-members.csv">名册附件</a>
<a rel="attachment" href="data:text/plain;base64,MzMwMTA2MTk3MDA0MTIwMDEw">内嵌附件</a></p>

<link rel="attachment" href="../../branches/qingshan-members.csv">
"""


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        type(self).requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


# The hostile chapter's resources are refused, and WeasyPrint says so for each of them.
HOSTILE_WARNINGS = pytest.mark.allow_warnings(r"WeasyPrint .*(Failed to load|RefusedResource)")


@pytest.fixture(scope="module")
def handbook(tmp_path_factory, server) -> Path:
    """qingshan of the small fixture with the hostile chapter, built once with PDFs; returns its handbook."""
    root = keep_only_branch(copy_small(tmp_path_factory.mktemp("fetch") / "org"), "qingshan")
    chapter = HOSTILE_CHAPTER.format(port=server.server_address[1])
    (root / "content" / "chapters" / "waibu-ziyuan.md").write_text(chapter, encoding="utf-8")
    pipeline.build(root, with_pdf=True, workers=1, show_progress=False)
    return next(path for path in sorted(root.rglob("手册.pdf")) if path.parent.name == "qingshan")


def _titles(outline: list) -> list[str]:
    return [title for entry in outline
            for title in (_titles(entry) if isinstance(entry, list) else [entry.title])]


def _decoded_streams(reader: PdfReader) -> bytes:
    streams = []
    for objects in reader.xref.values():
        for number in objects:
            value = reader.get_object(number)
            if isinstance(value, StreamObject):
                streams.append(value.get_data())
    return b"\n".join(streams)


# --- the fetcher -------------------------------------------------------------------------

def test_fetcher_serves_theme_files_and_data_uris():
    fetcher = safe_fetcher((THEME,))
    css = fetcher((THEME / "fonts.css").as_uri())
    assert css.read() == (THEME / "fonts.css").read_bytes()
    assert css.content_type == "text/css"
    assert fetcher("data:text/plain;base64,5pys5pSv6YOo").read().decode("utf-8") == "本支部"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png",
    "https://example.com/font.woff2",
    "ftp://127.0.0.1/x",
    "file:///etc/passwd",
    (THEME / ".." / ".." / "tests" / "fixtures" / "small" / "branches" / "qingshan-members.csv").as_uri(),
    THEME.as_uri() + "/../../pyproject.toml",
    THEME.as_uri() + "/%2e%2e/%2e%2e/pyproject.toml",
    "file://otherhost" + (THEME / "fonts.css").as_posix(),
    THEME.as_uri() + "/missing.css",
    "file:fonts.css",
    THEME.as_uri() + "/",
])
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(RefusedResource):
        safe_fetcher((THEME,))(url)


def test_fetcher_never_opens_a_network_address(server):
    before = len(_CountingHandler.requests)
    with pytest.raises(RefusedResource):
        safe_fetcher((THEME,))(f"http://127.0.0.1:{server.server_address[1]}/fonts.css")
    assert len(_CountingHandler.requests) == before


def test_fetcher_refuses_a_symlink_out_of_the_theme(tmp_path):
    theme = tmp_path / "print"
    theme.mkdir()
    secret = tmp_path / "roster.csv"
    secret.write_text(ROSTER_ID_NUMBER, encoding="utf-8")
    (theme / "roster.css").symlink_to(secret)
    (theme / "real.css").write_text("p {}", encoding="utf-8")
    fetcher = safe_fetcher((theme,))
    with pytest.raises(RefusedResource):
        fetcher((theme / "roster.css").as_uri())
    assert fetcher((theme / "real.css").as_uri()).read() == b"p {}"


# --- a handbook whose chapter asks for outside resources ---------------------------------------

@HOSTILE_WARNINGS
def test_handbook_fetched_nothing_from_the_network(handbook, server):
    assert handbook.is_file()
    assert _CountingHandler.requests == []


@HOSTILE_WARNINGS
def test_handbook_carries_no_roster_data_and_no_embedded_file(handbook):
    data = handbook.read_bytes()
    reader = PdfReader(handbook)
    decoded = _decoded_streams(reader)
    for canary in (ROSTER_ID_NUMBER, ROSTER_PHONE):
        assert canary.encode() not in data
        assert canary.encode() not in decoded
    assert b"root:" not in decoded          # /etc/passwd
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert "/AF" not in reader.trailer["/Root"]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    assert "外部资源" in _titles(reader.outline)    # the chapter itself is printed
