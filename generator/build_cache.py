"""The build cache: a rebuild makes again only the products whose inputs changed, and links the rest.

Products are what a build writes: each branch's print set (手册.pdf and 五盒.pdf),
each internal results PDF, each 公示 notice PDF, the MkDocs site (every file
MkDocs writes, as a whole: MkDocs is not incremental) and the data exports.
Each product has a key, the SHA-256 of everything its bytes depend on
(`digest`):

- its own data: the branch's print context, a results document, a notice,
  the rendered Markdown pages with their navigation and the site's title, the
  public results view;
- the files it is made with: the print theme (every file of theme/print/) for
  PDFs, theme/ and mkdocs.yml for the site;
- the fonts fontconfig offers, for PDFs (`font_fingerprint`: every font file's
  path, size and modification time, with its family and style);
- the program (`program_fingerprint`): `PROGRAM_VERSION`, a hash of every file
  of the generator package (code and templates), the Python version and the
  version of every installed distribution;
- the build date and SOURCE_DATE_EPOCH.

The previous outputs are the cache. A manifest records, per product, its key
and the SHA-256 of each file it consists of: `print/.branchbook-cache.json`
inside the internal tree, and `.branchbook/site-cache.json` for the public
site (nothing but the published files goes into site/). Both are published
with their trees (see `generator.publish`). A product is reused only when its
key is the manifest's and every one of its files in the live tree still has
the recorded content; its files are then hard-linked into the staging folder.
So a manifest can never vouch for a file it does not describe, whatever
happened to the folders in between (a killed build, a copied project, an
edited PDF), and `--force` ignores the manifests altogether.

Manifests are deterministic (sorted JSON, no times), so an incremental build's
print/ is byte-identical to a clean build's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from enum import Enum
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from generator.logs import log

FORMAT = 1
PRINT_MANIFEST = ".branchbook-cache.json"     # inside print/
SITE_MANIFEST = "site-cache.json"             # inside the project's state folder (.branchbook/)
_PACKAGE = Path(__file__).resolve().parent
_SKIPPED_SOURCE = {"__pycache__", "_sample"}


def _installed_version() -> str:
    try:
        return importlib.metadata.version("branchbook")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


PROGRAM_VERSION = _installed_version()


# ---- Keys -------------------------------------------------------------------


def canonical(value: Any) -> Any:
    """`value` as plain JSON data that says everything about it (dates, sets, dataclasses, models …)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {_key(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$set": sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return {"$" + type(value).__name__: value.isoformat()}
    if isinstance(value, Enum):
        return {"$enum": f"{type(value).__name__}.{value.name}", "value": canonical(value.value)}
    if isinstance(value, (decimal.Decimal, PurePosixPath, Path)):
        return {"$" + type(value).__name__: str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$" + type(value).__name__: {f.name: canonical(getattr(value, f.name))
                                             for f in dataclasses.fields(value)}}
    if hasattr(value, "model_dump"):                       # pydantic models
        return {"$" + type(value).__name__: canonical(value.model_dump(mode="python"))}
    if hasattr(value, "item") and callable(value.item):    # numpy / pandas scalars
        return canonical(value.item())
    text = repr(value)
    if " at 0x" in text:
        # A repr that names a memory address says nothing stable: such a product is never reused.
        log.debug("build cache: no stable key for %s", type(value).__name__)
        return {"$unkeyable": uuid.uuid4().hex}
    return {"$" + type(value).__name__: text}


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(canonical(key), sort_keys=True)


def digest(*parts: Any) -> str:
    """The SHA-256 (hex) of `parts` in canonical form: equal for equal data, whatever the insertion order of sets."""
    text = json.dumps(canonical(list(parts)), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def folder_digest(folder: Path) -> str:
    """Every file under `folder` (relative path and content; symbolic links by their target)."""
    if not folder.is_dir():
        return digest("absent")
    hasher = hashlib.sha256()
    for directory, folders, files in os.walk(folder):
        folders.sort()
        here = Path(directory)
        for name in sorted(files + [f for f in folders if (here / f).is_symlink()]):
            path = here / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                hasher.update(f"L {relative} {os.readlink(path)}\n".encode())
            if path.is_file():
                hasher.update(f"F {relative} {file_digest(path)}\n".encode())
    return hasher.hexdigest()


def _source_digest() -> str:
    """Every file of the generator package (code and templates), read again at each build."""
    hasher = hashlib.sha256()
    for directory, folders, files in os.walk(_PACKAGE):
        folders[:] = sorted(f for f in folders if f not in _SKIPPED_SOURCE)
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(directory) / name
            hasher.update(f"{path.relative_to(_PACKAGE).as_posix()} {file_digest(path)}\n".encode())
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def _libraries() -> list:
    """The Python version and every installed distribution's version (once per process)."""
    return [platform.python_version(), sorted({(str(d.metadata["Name"] or "").lower(), d.version)
                                               for d in importlib.metadata.distributions()})]


def program_fingerprint() -> str:
    """The program that makes the outputs: a change of version, of any source file or of a library changes it."""
    return digest(PROGRAM_VERSION, _source_digest(), _libraries())


def font_fingerprint() -> str:
    """The fonts fontconfig offers (file, family, style, size, modification time) and the Pango version."""
    entries = []
    if shutil.which("fc-list") is not None:
        listing = subprocess.run(["fc-list", "--format", "%{file}\t%{family}\t%{style}\t%{index}\n"],
                                 capture_output=True, text=True, check=False).stdout
        for line in sorted(set(listing.splitlines())):
            path = line.split("\t", 1)[0]
            try:
                info = os.stat(path)
                entries.append([line, info.st_size, info.st_mtime_ns])
            except OSError:
                entries.append([line, None, None])
    try:
        from weasyprint.text.ffi import pango
        pango_version = int(pango.pango_version())
    except Exception:          # the fingerprint is then only the font files
        pango_version = None
    return digest(entries, pango_version)


# ---- Manifests and reuse ------------------------------------------------------


@dataclasses.dataclass
class Product:
    key: str
    files: dict[str, str]                       # path relative to the tree → SHA-256 of its content
    warnings: list[str] = dataclasses.field(default_factory=list)   # shown again when the product is reused


def _safe(relative: str) -> bool:
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts and "\\" not in relative


def read_manifest(path: Path) -> dict[str, Product]:
    """The products a manifest describes; nothing when it is missing, damaged or of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {name: Product(str(entry["key"]), {str(k): str(v) for k, v in entry["files"].items()},
                              [str(w) for w in entry.get("warnings", [])])
                for name, entry in data["products"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class TreeCache:
    """The products of one output tree: the previous build's (in `live`) and this build's (in `staged`).

    `reuse` links a product's files from the live tree into staging when its key is unchanged and
    its files are intact; otherwise the caller makes the product into staging and reports it with
    `made`. Files are never written through a link: whatever a build makes goes into new files.
    """

    def __init__(self, live: Path, staged: Path, previous: dict[str, Product]) -> None:
        self.live, self.staged, self.previous = live, staged, previous
        self.products: dict[str, Product] = {}
        self.reused: list[str] = []
        self.made_now: list[str] = []

    def reuse(self, name: str, key: str) -> bool:
        entry = self.previous.get(name)
        if entry is None or entry.key != key or not self._intact(entry):
            return False
        for relative in sorted(entry.files):
            _link(self.live / relative, self.staged / relative)
        self.products[name] = entry
        self.reused.append(name)
        for warning in entry.warnings:
            log.warning("%s", warning)
        return True

    def made(self, name: str, key: str, files: Iterable[str], warnings: Iterable[str] = ()) -> None:
        """Record a product made in staging now (its files are hashed when the manifest is written)."""
        self.products[name] = Product(key, {relative: "" for relative in files}, list(warnings))
        self.made_now.append(name)

    def keep(self, name: str) -> bool:
        """Carry a previous product over unchanged when its files were copied into staging as they are."""
        entry = self.previous.get(name)
        if entry is None or not all(_safe(r) and (self.staged / r).is_file() for r in entry.files):
            return False
        self.products[name] = entry
        return True

    def _intact(self, entry: Product) -> bool:
        for relative, expected in entry.files.items():
            if not _safe(relative):
                return False
            path = self.live / relative
            try:
                if path.is_symlink() or not path.is_file() or file_digest(path) != expected:
                    return False
            except OSError:
                return False
        return True

    def manifest(self) -> str:
        """The manifest of this build's products, with each made file's SHA-256 as it is in staging now."""
        products = {}
        for name, product in sorted(self.products.items()):
            files = {relative: digest_ or file_digest(self.staged / relative)
                     for relative, digest_ in sorted(product.files.items())}
            products[name] = {"key": product.key, "files": files, **({"warnings": product.warnings}
                                                                      if product.warnings else {})}
        return json.dumps({"format": FORMAT, "products": products}, ensure_ascii=False, indent=1,
                          sort_keys=True) + "\n"

    def write_manifest(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.manifest(), encoding="utf-8")


def tree_files(folder: Path, exclude: Iterable[str] = ()) -> list[str]:
    """The files under `folder` as relative POSIX paths, sorted, leaving out the subtrees in `exclude`."""
    skipped = tuple(f"{prefix.rstrip('/')}/" for prefix in exclude)
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            relative = path.relative_to(folder).as_posix()
            if not relative.startswith(skipped):
                found.append(relative)
    return sorted(found)
