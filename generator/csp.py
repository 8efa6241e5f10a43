"""Give every built page a Content-Security-Policy that allows only the site's own scripts.

Defence in depth behind the escaping of user text and the HTML sanitizer: even
if markup slipped through, the browser would run no inline script, event
handler or javascript: URL that is not ours. The policy is a `<meta
http-equiv>` (the site is opened from file://, there are no response headers)
placed right after `<meta charset>`, and is computed after MkDocs has written
the page:

- scripts from the site itself ('self', which from file:// means local files)
  and the inline scripts of the theme, by their SHA-256 hashes (no scripts at
  all on a page that has none, such as theme/site/404.html). Inline scripts
  inside the page's content (`<article class="md-content__inner">`) are never
  hashed; the sanitizer leaves none there anyway;
- Material's search runs its worker in an iframe from file:// (the vendored
  iframe-worker shim), and that iframe, which inherits the policy, starts with
  an inline script written by the shim. Its text is the shim's template with
  two of the shim's functions and the page's worker URL filled in; it is
  rebuilt here from the shim file and the page's `#__config`. If that is not
  possible (a changed shim), the page gets no script-src at all rather than a
  broken search;
- no plugins (object-src), no <base>, no form submission, images only local
  or data: (Material's icons); inline styles stay allowed (table alignment,
  Material's own).

The live preview injects MkDocs' inline live-reload script into every page,
so there (`scripts=False`) only the directives that do not restrict scripts
are set.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

BASE_POLICY = "object-src 'none'; base-uri 'none'; form-action 'none'"
SCRIPT_POLICY = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; font-src 'self' data:; " + BASE_POLICY)

_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_TYPE = re.compile(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CONTENT = re.compile(r"<article class=\"md-content__inner[^\"]*\">.*?</article>", re.DOTALL)
_CONFIG = re.compile(r"<script id=\"__config\" type=\"application/json\">(.*?)</script>", re.DOTALL)
_SHIM_NAME = "iframe-worker-shim.js"
# The shim's iframe document: document.write(`<html><body><script>…<\/script><script src=…`).
_SHIM_TEMPLATE = re.compile(r"<html><body><script>(.*?)<\\/script><script src=")
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def add_content_security_policy(site_dir: Path, scripts: bool = True) -> None:
    """Insert the policy into every HTML page under `site_dir` (see the module docstring)."""
    shims: dict[Path, str | None] = {}
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        policy = _policy(site_dir, page, text, shims) if scripts else BASE_POLICY
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        charset = _CHARSET.search(text)
        if charset:
            text = f"{text[:charset.end()]}\n    {meta}{text[charset.end():]}"
        elif "<head>" in text:
            text = text.replace("<head>", f"<head>\n    {meta}", 1)
        else:
            continue
        page.write_text(text, encoding="utf-8")


def _policy(site_dir: Path, page: Path, text: str, shims: dict[Path, str | None]) -> str:
    outside_content = _CONTENT.sub("", text)
    sources: list[str] = []
    hashes = set()
    for match in _SCRIPT.finditer(outside_content):
        attributes, body = match.group(1) or "", match.group(2)
        source = _SRC.search(attributes)
        if source:
            sources.append(source.group(1))
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else "") in _JAVASCRIPT_TYPES:
            hashes.add(_hash(body))
    shim = next((s for s in sources if s.rsplit("/", 1)[-1] == _SHIM_NAME), None)
    if shim is not None:
        # 404.html links from the site root, every other page relative to itself.
        worker = _worker_script(site_dir / shim.lstrip("/") if shim.startswith("/") else page.parent / shim, text, shims)
        if worker is None:
            return BASE_POLICY
        hashes.add(_hash(worker))
    if not sources and not hashes:
        # A page without scripts (the self-contained 404 page) runs none at all.
        return SCRIPT_POLICY.replace("script-src 'self' {hashes}", "script-src 'none'")
    return SCRIPT_POLICY.format(hashes=" ".join(sorted(hashes)))


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _worker_script(shim_path: Path, page_text: str, shims: dict[Path, str | None]) -> str | None:
    """The inline script the shim writes into its iframe for this page, or None if it cannot be known."""
    shim_path = shim_path.resolve()
    if shim_path not in shims:
        shims[shim_path] = shim_path.read_text(encoding="utf-8") if shim_path.is_file() else None
    shim, config = shims[shim_path], _CONFIG.search(page_text)
    template = _SHIM_TEMPLATE.search(shim) if shim else None
    if shim is None or template is None or config is None:
        return None
    try:
        worker_url = json.loads(config.group(1))["search"]
    except (ValueError, KeyError, TypeError):
        return None
    names = set(_PLACEHOLDER.findall(template.group(1)))
    sources = {name: _function_source(shim, name) for name in names}
    urls = [name for name, source in sources.items() if source is None]
    if len(urls) != 1:
        return None
    functions = {name: worker_url if source is None else source for name, source in sources.items()}
    return _PLACEHOLDER.sub(lambda m: functions[m.group(1)], template.group(1))


def _function_source(code: str, name: str) -> str | None:
    """The text of `function name(…){…}` in minified code (what Function.prototype.toString gives)."""
    start = code.find(f"function {name}(")
    if start < 0:
        return None
    depth = 0
    for index in range(code.index("{", start), len(code)):
        depth += {"{": 1, "}": -1}.get(code[index], 0)
        if depth == 0:
            return code[start:index + 1]
    return None
