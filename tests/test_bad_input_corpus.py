"""A corpus of broken and hostile input files: each case gives exactly its located Chinese messages and exit 1.

Every `tests/bad_input/corpus/*.yml` holds a list of cases. A case copies the
small fixture organization, applies its `edits` in order, runs
`branchbook check` (and, with `build: true`, `branchbook build --no-pdf`) and
expects exit code 1 and exactly the text in `expected`, summary line included.

Edit operations (one mapping each; paths are relative to the project root):

- ``{file: P, find: S, replace: S2, encoding: E}`` replace the first occurrence, the file decoded and
  encoded with E (default utf-8-sig, which writes a byte-order mark); ``{file: P, delete_line_starting: S}``
- ``{write: P, text: S, encoding: E}`` (E defaults to utf-8), ``{write: P, hex: "ef bb bf 00"}`` raw bytes,
  ``{write: P, repeat: S, times: N, prefix: S, suffix: S, encoding: E}`` big content, written in chunks
- ``{append: P, text: S, encoding: E}``
- ``{delete: P}``, ``{copy: P, to: Q}``, ``{symlink: P, target: T}`` (T absolute, or relative to the
  project root when it starts with ``./``)
- ``{write_xlsx: P, sheets: {名称: [[...], ...]}, merge: {名称: ["I2:I4"]}, formulas: {名称: {C2: "=A1*2"}},
  errors: {名称: {C3: "#DIV/0!"}}, dates: {名称: {D2: 45000}}}`` written with openpyxl (so formulas have
  no cached values); ``{xlsx: P, cell: C2, value: V}`` (or ``error:`` / ``formula:``) changes the first
  sheet of an existing workbook.
"""

from __future__ import annotations

import os
import re
import shutil
import typing
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError

from generator.cli import main
from generator.models.schemes import SCHEME_MODELS
from generator.render.reference import DOCUMENTED
from generator.validate.messages import describe
from tests.support import copy_small

CORPUS = Path(__file__).parent / "bad_input" / "corpus"
MINIMUM_CASES = 60
_CHUNK = 1 << 20


def corpus_cases() -> list[tuple[str, dict]]:
    """(test id, case) for every case of every corpus file, in file order."""
    cases = []
    for path in sorted(CORPUS.glob("*.yml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert isinstance(entries, list), f"{path.name} should hold a list of cases"
        for index, case in enumerate(entries):
            assert {"what", "edits", "expected"} <= set(case), f"{path.name} case {index} lacks what/edits/expected"
            cases.append((f"{path.stem}-{index:02d}-{case['what']}", case))
    return cases


def _inside(root: Path, relative: str) -> Path:
    path = root / relative
    assert os.path.normpath(path).startswith(str(root)), f"{relative} leaves the project"
    return path


def _edit_text(path: Path, edit: dict) -> None:
    encoding = edit.get("encoding", "utf-8-sig")
    text = path.read_bytes().decode(encoding)
    if "delete_line_starting" in edit:
        lines = text.splitlines(keepends=True)
        doomed = [i for i, line in enumerate(lines) if line.startswith(edit["delete_line_starting"])]
        assert doomed, f"no line of {path.name} starts with {edit['delete_line_starting']!r}"
        text = "".join(lines[:doomed[0]] + lines[doomed[0] + 1:])
    else:
        assert edit["find"] in text, f"{edit['find']!r} not in {path.name}"
        text = text.replace(edit["find"], edit["replace"], 1)
    path.write_bytes(text.encode(encoding))


def _write(path: Path, edit: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = edit.get("encoding", "utf-8")
    if "hex" in edit:
        path.write_bytes(bytes.fromhex(edit["hex"]))
    elif "repeat" in edit:
        with path.open("wb") as stream:
            stream.write(edit.get("prefix", "").encode(encoding))
            piece = edit["repeat"].encode(encoding)
            per_chunk = max(1, _CHUNK // max(1, len(piece)))
            left = int(edit["times"])
            while left > 0:
                count = min(left, per_chunk)
                stream.write(piece * count)
                left -= count
            stream.write(edit.get("suffix", "").encode(encoding))
    else:
        path.write_bytes(edit["text"].encode(encoding))


def _write_xlsx(path: Path, edit: dict) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in edit["sheets"].items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name, ranges in (edit.get("merge") or {}).items():
        for cells in ranges:
            book[name].merge_cells(cells)
    for name, cells in (edit.get("formulas") or {}).items():
        for cell, formula in cells.items():
            book[name][cell] = formula
    for name, cells in (edit.get("errors") or {}).items():
        for cell, error in cells.items():
            book[name][cell] = error
            book[name][cell].data_type = "e"
    for name, cells in (edit.get("dates") or {}).items():
        for cell, serial in cells.items():
            book[name][cell] = serial
            book[name][cell].number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _change_xlsx(path: Path, edit: dict) -> None:
    book = openpyxl.load_workbook(path)
    cell = book.worksheets[0][edit["cell"]]
    if "error" in edit:
        cell.value = edit["error"]
        cell.data_type = "e"
    elif "formula" in edit:
        cell.value = edit["formula"]
    else:
        cell.value = edit["value"]
    book.save(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def apply_edit(root: Path, edit: dict) -> None:
    """Apply one edit operation of a corpus case to the project at `root`."""
    if "file" in edit:
        _edit_text(_inside(root, edit["file"]), edit)
    elif "write" in edit:
        _write(_inside(root, edit["write"]), edit)
    elif "append" in edit:
        with _inside(root, edit["append"]).open("ab") as stream:
            stream.write(edit["text"].encode(edit.get("encoding", "utf-8")))
    elif "delete" in edit:
        path = _inside(root, edit["delete"])
        assert path.exists() or path.is_symlink(), f"{edit['delete']} does not exist"
        _remove(path)
    elif "copy" in edit:
        source, target = _inside(root, edit["copy"]), _inside(root, edit["to"])
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    elif "symlink" in edit:
        link = _inside(root, edit["symlink"])
        target = edit["target"]
        _remove(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(root / target[2:] if target.startswith("./") else Path(target))
    elif "write_xlsx" in edit:
        _write_xlsx(_inside(root, edit["write_xlsx"]), edit)
    elif "xlsx" in edit:
        _change_xlsx(_inside(root, edit["xlsx"]), edit)
    else:
        raise AssertionError(f"unknown edit operation: {edit}")


CASES = corpus_cases()


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_bad_input_gives_exactly_the_expected_messages(case, tmp_path):
    root = copy_small(tmp_path / "org")
    for edit in case["edits"]:
        apply_edit(root, edit)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    assert (checked.exit_code, checked.output) == (1, case["expected"])
    if case.get("build"):
        built = runner.invoke(main, ["build", "--no-pdf", "--project", str(root)], catch_exceptions=False)
        assert (built.exit_code, built.output) == (1, case["expected"])
        assert not (root / "site").exists()


def test_the_corpus_has_enough_cases():
    assert len(CASES) >= MINIMUM_CASES, f"the bad-input corpus has {len(CASES)} cases, at least {MINIMUM_CASES} are required"
    names = [name for name, _ in CASES]
    assert len(set(names)) == len(names)


_PYDANTIC_WORDS = re.compile(r"\b(Input|String|List|should|required|permitted|valid|error|Value)\b")
_WRONG_VALUES = (None, [], {}, "x", "", -1, 1.5, True, "a" * 300, 10**12, "2026-13-01", [1], {"a": 1},
                 {"一线": "x", "其他": 1}, ["x", "y", "z"], float("inf"), "nan")


def _all_models(models) -> set:
    """The models and every model nested in their fields."""
    found, todo = set(), list(models)
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.add(model)
        for info in model.model_fields.values():
            todo += [kind for kind in _nested_types(info.annotation) if isinstance(kind, type) and issubclass(kind, BaseModel)]
    return found


def _nested_types(annotation) -> list:
    return [annotation, *(kind for arg in typing.get_args(annotation) for kind in _nested_types(arg))]


def test_no_pydantic_english_reaches_the_user():
    """Every field of every documented model, given wrong values: each error in Chinese, never pydantic's text."""
    models = {model for model, _, _ in DOCUMENTED} | set(SCHEME_MODELS.values())
    # The messages name fields by their YAML keys, which are English words on purpose (「可用字段: …, required」).
    keys = {key for model in _all_models(models) for key in model.model_fields}
    kinds = set()
    for model in sorted(models, key=lambda m: m.__name__):
        for name in model.model_fields:
            for value in _WRONG_VALUES:
                try:
                    model.model_validate({name: value})
                except ValidationError as error:
                    for item in error.errors(include_url=False):
                        _, message = describe(model, item)
                        kinds.add(item["type"])
                        prose = re.sub(r"[A-Za-z_]+", lambda word: "" if word.group() in keys else word.group(), message)
                        assert item["msg"] not in message and not _PYDANTIC_WORDS.search(prose), (model, item, message)
    assert {"string_too_short", "too_long", "literal_error", "greater_than", "extra_forbidden", "dict_type",
            "finite_number", "int_from_float", "missing"} <= kinds
