"""The sample's byte-stable outputs match the reviewed golden copies (update with --update-golden).

Compared: every page and SVG the generator writes for MkDocs (org charts, workflow diagrams, profile and
results charts), the notices' Atom feed, and the data exports (JSON, CSV and the XLSX workbook, which is
compared byte for byte). Rendering is also repeated in fresh processes with other hash seeds, so an output
that depends on set or dict ordering cannot pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from generator.export import write_exports
from generator.pipeline import assess, site_pages
from tests.support import REPO

GOLDEN = Path(__file__).parent / "golden"
EXPORT_DATE = dt.date(2026, 12, 1)


def _site_outputs(project) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in site_pages(project).files.items()}


def _exports(project, folder: Path) -> dict[str, bytes]:
    written = write_exports(assess(project).public, EXPORT_DATE, folder)
    return {path.name: path.read_bytes() for path in written}


def _compare(outputs: dict[str, bytes], golden_dir: Path, update: bool) -> None:
    if update:
        for old in golden_dir.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, data in outputs.items():
            (golden_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / path).write_bytes(data)
    golden = {p.relative_to(golden_dir).as_posix(): p.read_bytes() for p in golden_dir.rglob("*") if p.is_file()}
    assert sorted(outputs) == sorted(golden), "outputs added or removed: run pytest --update-golden and review"
    for path in sorted(outputs):
        if outputs[path] == golden[path]:
            continue
        if path.endswith(".xlsx"):
            raise AssertionError(f"{path} differs from golden (run pytest --update-golden and review)")
        diff = "\n".join(difflib.unified_diff(golden[path].decode().splitlines(), outputs[path].decode().splitlines(),
                                              f"golden/{path}", f"generated/{path}", lineterm="", n=2))
        raise AssertionError(f"{path} differs from golden (run pytest --update-golden and review):\n{diff}")


def test_site_pages_svgs_and_feed_match_golden(sample_project, update_golden):
    outputs = _site_outputs(sample_project)
    assert "notices/feed.xml" in outputs and any(path.endswith(".svg") for path in outputs)
    _compare(outputs, GOLDEN / "site", update_golden)


def test_data_exports_match_golden(sample_project, tmp_path, update_golden):
    outputs = _exports(sample_project, tmp_path)
    assert {"results.json", "results.xlsx"} <= set(outputs)
    _compare(outputs, GOLDEN / "data", update_golden)


_DIGEST_SCRIPT = """
import hashlib, json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.test_golden import _exports, _site_outputs
from generator.pipeline import load_project
project = load_project(Path(sys.argv[1]))
with tempfile.TemporaryDirectory() as folder:
    outputs = {**_site_outputs(project), **{"data/" + name: data for name, data in _exports(project, Path(folder)).items()}}
print(json.dumps({path: hashlib.sha256(data).hexdigest() for path, data in sorted(outputs.items())}))
"""


def test_rendering_in_fresh_processes_with_other_hash_seeds_gives_the_same_bytes(sample_project, tmp_path):
    outputs = {**_site_outputs(sample_project),
               **{"data/" + name: data for name, data in _exports(sample_project, tmp_path).items()}}
    here = {path: hashlib.sha256(data).hexdigest() for path, data in outputs.items()}
    for seed in ("1", "4242"):
        result = subprocess.run([sys.executable, "-c", _DIGEST_SCRIPT, str(REPO)], capture_output=True, text=True,
                                check=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=REPO)
        there = json.loads(result.stdout)
        assert sorted(there) == sorted(here)
        assert [path for path in here if here[path] != there[path]] == [], f"PYTHONHASHSEED={seed}"
