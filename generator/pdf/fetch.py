"""Decide which resources WeasyPrint may read while it lays out the print set: the theme and inline data only.

Chapter HTML comes from users, and WeasyPrint fetches whatever an ``<img>``,
a ``<link>``, a CSS ``url()`` or an ``@import`` names. The fetcher every
``HTML()`` and ``CSS()`` of the print set gets serves only

- files inside the allowed folders (the project's ``theme/print``): the
  stylesheets the templates link; a path is resolved first, so neither ``..``
  nor a symbolic link leads out of them;
- ``data:`` URIs, which is how the build passes its own generated images
  (the workflow diagrams) into the HTML.

Anything else (http, https, ftp, a ``file:`` path elsewhere on the disk) is
refused without being opened: the refusal is an ordinary exception, which
WeasyPrint reports and then skips the resource. Fonts are not fetched at all:
``fonts.css`` only names families, which fontconfig finds on the system.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedResource(ValueError):
    """A URL the print set may not read; WeasyPrint treats it as a failed fetch and skips the resource."""


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher limited to files under `roots` and to ``data:`` URIs."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def allowed_path(self, url: str) -> Path:
        """The real path of a ``file:`` URL inside one of the roots; `RefusedResource` otherwise."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedResource(f"打印时只读取本机打印样式文件夹中的文件，不读取：{url}")
        path = Path(url2pathname(parts.path))
        if not path.is_absolute():
            raise RefusedResource(f"打印时只读取打印样式文件夹（theme/print）中的文件，不读取：{url}")
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            raise RefusedResource(f"找不到文件：{url}") from error
        if not real.is_file() or not any(real.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"打印时只读取打印样式文件夹（theme/print）中的文件，不读取：{url}")
        return real

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
        raise RefusedResource(f"打印时不读取网络或其他外部地址：{url}")


def safe_fetcher(allowed_roots: Iterable[Path]) -> SafeFetcher:
    """The fetcher for every WeasyPrint document of the print set (see the module docstring)."""
    return SafeFetcher(allowed_roots)
