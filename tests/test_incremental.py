"""The build cache (generator.build_cache): a rebuild makes only what changed, and its output is a clean build's.

Every test starts from a copy of one clean build of the small fixture (`baseline`), changes one kind of
input, rebuilds incrementally and compares every file of site/ and print/ with a clean build of the
changed inputs in a fresh folder, byte for byte (SOURCE_DATE_EPOCH is set for both).

PDF rendering is the cost of these tests, so the three PDF writers the pipeline calls are wrapped
(`Renders`): each call is recorded (which print sets, results and notices the pipeline asked for), and
the bytes are memoized on the complete arguments of the call — the pickled print context, notice or
document, the print theme's files and SOURCE_DATE_EPOCH. A clean build therefore renders for real only
what no earlier build of this module rendered with exactly the same arguments. The memo is independent
of the cache under test: were a build-cache key to miss an input, the incremental build would keep the
stale PDF while the clean build, called with the new arguments, would render new bytes, and the trees
would differ.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import build_cache, pipeline
from generator.cli import main
from generator.pdf import notice as notice_pdf
from generator.pdf import print_sets
from generator.pdf import results as results_pdf
from generator.publish import STATE_DIR
from tests.support import copy_small
from tests.support import edit

EPOCH = "1767225600"          # 2026-01-01
INPUTS = ("content", "branches", "scores", "theme", "mkdocs.yml")
BRANCHES = ["hongguang", "qingshan"]


def _files_digest(folder: Path, suffixes: tuple[str, ...] = ()) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and (not suffixes or path.suffix in suffixes):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


class Renders:
    """Wraps the pipeline's PDF writers: records what each build asks for, memoizes bytes on the full arguments."""

    def __init__(self) -> None:
        self.memo: dict[bytes, bytes | tuple[bytes, bytes]] = {}
        self.reset()

    def reset(self) -> None:
        self.sets: list[str] = []
        self.results: list[str] = []
        self.notices: list[str] = []

    def _key(self, kind: str, theme_dir: Path, *arguments) -> bytes:
        # The package's code and templates too: they are what renders (and may change between two builds).
        program = _files_digest(Path(pipeline.__file__).parent, (".py", ".j2", ".css"))
        return pickle.dumps((kind, _files_digest(theme_dir), program, os.environ.get("SOURCE_DATE_EPOCH"),
                             arguments))

    def print_handbooks(self, jobs, out_dir: Path, theme_dir: Path, workers: int = 2, show_progress: bool = True,
                        **options):
        self.sets += [job.branch_id for job in jobs]
        keys = {job.branch_id: self._key("set", theme_dir, job.context) for job in jobs}
        missing = [job for job in jobs if keys[job.branch_id] not in self.memo]
        for printed in print_sets.print_handbooks(missing, out_dir, theme_dir, workers=workers,
                                                  show_progress=False, **options) if missing else ():
            self.memo[keys[printed.branch_id]] = (printed.handbook.read_bytes(), printed.boxes.read_bytes())
        printed_sets = []
        for job in sorted(jobs, key=lambda job: job.branch_id):
            folder = out_dir / job.branch_id
            folder.mkdir(parents=True, exist_ok=True)
            handbook, boxes = self.memo[keys[job.branch_id]]
            (folder / print_sets.HANDBOOK_FILE).write_bytes(handbook)
            (folder / print_sets.BOXES_FILE).write_bytes(boxes)
            printed_sets.append(print_sets.PrintedSet(job.branch_id, folder / print_sets.HANDBOOK_FILE,
                                                      folder / print_sets.BOXES_FILE))
        return printed_sets

    def print_notices(self, notices, organization, out_dir: Path, theme_dir: Path, source_date_epoch=None):
        self.notices += [notice["slug"] for notice in notices]
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for notice in notices:
            key = self._key("notice", theme_dir, notice, organization, source_date_epoch)
            if key not in self.memo:
                self.memo[key] = notice_pdf.typeset_notice(notice, organization, theme_dir, source_date_epoch)
            paths.append(out_dir / f"{notice['slug']}.pdf")
            paths[-1].write_bytes(self.memo[key])
        return sorted(paths)

    def print_results(self, documents, organization, generated_on, out_dir: Path, theme_dir: Path,
                      source_date_epoch=None):
        self.results += [document["file"] for document in documents]
        if documents:
            out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for document in documents:
            key = self._key("results", theme_dir, document, organization, generated_on, source_date_epoch)
            if key not in self.memo:
                self.memo[key] = results_pdf.typeset_results(document, organization, generated_on, theme_dir,
                                                             source_date_epoch)
            paths.append(out_dir / document["file"])
            paths[-1].write_bytes(self.memo[key])
        return sorted(paths)


@pytest.fixture(scope="module")
def renders():
    recorder = Renders()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in ("print_handbooks", "print_notices", "print_results"):
            patch.setattr(pipeline, name, getattr(recorder, name))
        yield recorder


def build(root: Path, **options) -> pipeline.BuildResult:
    return pipeline.build(root, with_pdf=options.pop("with_pdf", True), workers=2, show_progress=False, **options)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, renders) -> Path:
    """The small fixture, 红光 scoring one point more than 青山 (distinct ranks), built clean."""
    root = copy_small(tmp_path_factory.mktemp("baseline") / "org")
    edit(root / "scores/tiered/2026Q1.csv", "hongguang,红光社区党支部,4,", "hongguang,红光社区党支部,5,")
    build(root)
    return root


def clone(baseline: Path, target: Path) -> Path:
    """A copy of the built project: inputs, outputs and the cache manifests (files copied, not linked)."""
    shutil.copytree(baseline, target, symlinks=True)
    return target


def outputs(root: Path) -> dict[str, str]:
    """Every file of site/ and print/: relative path → SHA-256."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in ("site", "print") for path in sorted((root / folder).rglob("*")) if path.is_file()}


def clean_build(root: Path, target: Path) -> dict[str, str]:
    """The outputs of a clean build of `root`'s inputs in a fresh folder."""
    target.mkdir(parents=True)
    for name in INPUTS:
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    build(target)
    return outputs(target)


def assert_same(incremental: dict[str, str], clean: dict[str, str]) -> None:
    differing = sorted(name for name in set(incremental) | set(clean) if incremental.get(name) != clean.get(name))
    assert differing == [], f"the incremental build differs from a clean build in {differing}"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# Each kind of change: what it edits, and the print sets the rebuild must make again (None: not asserted).
CHANGES = {
    "branch-data": (lambda root: edit(root / "branches/qingshan.yml", "0571-86002222", "0571-86002223"),
                    ["qingshan"]),
    "roster": (lambda root: edit(root / "branches/qingshan-members.csv", "返乡创业青年", "返乡创业青年（电商）"),
               ["qingshan"]),
    # 青山 scores less and stays second: 红光's own result, all its handbook shows, is the same.
    "score-table": (lambda root: edit(root / "scores/tiered/2026Q1.csv", "qingshan,青山村党支部,4,",
                                                   "qingshan,青山村党支部,3.5,"),
                    ["qingshan"]),
    "chapter": (lambda root: edit(root / "content/chapters/zhibu-renwu.md", "## 一、基本任务",
                                  "本章另有一句新增的说明。\n\n## 一、基本任务"), BRANCHES),
    "workflow": (lambda root: edit(root / "content/workflows/dangke.yml", "提高学习实效。", "提高学习的实际效果。"),
                 BRANCHES),
    "site-theme": (lambda root: append(root / "theme/site/assets/stylesheets/branchbook.css",
                                       "\n.md-typeset h1 { letter-spacing: 0.02em; }\n"), []),
    "scheme-threshold": (lambda root: edit(root / "content/schemes/tiered.yml", "when: 80以上", "when: 85以上"), None),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_after_a_change_the_incremental_build_equals_a_clean_build(change, baseline, renders, tmp_path):
    modify, expected_sets = CHANGES[change]
    root = clone(baseline, tmp_path / "incremental")
    modify(root)
    renders.reset()
    result = build(root)
    if expected_sets is not None:
        assert sorted(renders.sets) == expected_sets
        assert sorted(name for name in result.made if name.startswith("set/")) == [f"set/{b}" for b in expected_sets]
    assert result.made, "a change must make something again"
    assert_same(outputs(root), clean_build(root, tmp_path / "clean"))


def test_after_one_branch_changes_only_its_set_and_the_site_are_made_again(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    CHANGES["branch-data"][0](root)
    renders.reset()
    result = build(root)
    assert sorted(result.made) == ["set/qingshan", "site"]
    assert renders.results == [] and renders.notices == []
    assert "set/hongguang" in result.reused and result.reused_pdfs == 4     # hongguang's two, the results, the notice


def test_a_new_program_version_makes_everything_again(baseline, renders, tmp_path, monkeypatch):
    root = clone(baseline, tmp_path / "incremental")
    monkeypatch.setattr(build_cache, "PROGRAM_VERSION", build_cache.PROGRAM_VERSION + ".post1")
    renders.reset()
    result = build(root)
    assert result.reused == () and sorted(renders.sets) == BRANCHES
    assert renders.results and renders.notices
    assert_same(outputs(root), clean_build(root, tmp_path / "clean"))


def test_an_unchanged_rebuild_renders_nothing_and_links_the_previous_files(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    before = outputs(root)
    handbook = root / "print" / "hongguang" / print_sets.HANDBOOK_FILE
    inode = handbook.stat().st_ino
    renders.reset()
    result = build(root)
    assert result.made == () and renders.sets == renders.results == renders.notices == []
    assert result.reused_pdfs == result.pdfs == 6
    assert outputs(root) == before
    assert handbook.stat().st_ino == inode                 # the same file, linked into the new print/
    assert not list((root / "site").rglob(f"*{build_cache.PRINT_MANIFEST}"))
    assert "set/hongguang" not in (root / STATE_DIR / build_cache.SITE_MANIFEST).read_text(encoding="utf-8")


def test_force_makes_everything_again(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    before = outputs(root)
    renders.reset()
    result = build(root, force=True)
    assert result.reused == () and sorted(renders.sets) == BRANCHES and renders.results and renders.notices
    assert outputs(root) == before


def test_an_edited_output_file_is_made_again_not_reused(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    before = outputs(root)
    with open(root / "print" / "qingshan" / print_sets.BOXES_FILE, "ab") as handle:
        handle.write(b"%% edited\n")
    (root / "site" / "index.html").write_text("edited", encoding="utf-8")
    renders.reset()
    result = build(root)
    assert renders.sets == ["qingshan"] and sorted(result.made) == ["set/qingshan", "site"]
    assert outputs(root) == before


def test_a_damaged_manifest_means_a_full_rebuild(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    (root / "print" / build_cache.PRINT_MANIFEST).write_text("{not json", encoding="utf-8")
    renders.reset()
    result = build(root)
    assert sorted(renders.sets) == BRANCHES and "site" in result.reused


def test_a_build_without_pdfs_keeps_the_print_cache_and_the_notice_pdfs(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    before = outputs(root)
    build(root, with_pdf=False)
    renders.reset()
    result = build(root)
    assert result.made == () and renders.sets == []
    assert outputs(root) == before


def test_verbose_build_reports_each_stage_in_chinese(baseline, renders, tmp_path):
    root = clone(baseline, tmp_path / "incremental")
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--verbose"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name in ("读取与校验", "计算", "生成页面", "生成网站", "导出数据", "生成 PDF", "发布"):
        assert re.search(rf"^{name}：\d+\.\d 秒（CPU \d+\.\d 秒）$", result.output, re.MULTILINE), (name, result.output)
    assert "0 个支部的打印文件要重新生成，2 个没有改动" in result.output
    assert "PDF 6 份（其中 6 份没有改动，沿用上次生成的）" in result.output
    quiet = CliRunner().invoke(main, ["build", "--project", str(root)], catch_exceptions=False)
    assert quiet.exit_code == 0 and "读取与校验" not in quiet.output


@pytest.mark.allow_warnings("WeasyPrint")
def test_weasyprint_warnings_reach_the_branchbook_logger_in_chinese():
    import logging

    from generator.logs import library_warnings, log

    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep(logging.WARNING)
    log.addHandler(handler)
    try:
        with library_warnings():
            logging.getLogger("weasyprint").warning("Ignored `colour: red` at 1:1, unknown property.")
    finally:
        log.removeHandler(handler)
    assert seen == ["排版 PDF 时 WeasyPrint 报告（原文）：Ignored `colour: red` at 1:1, unknown property."]
    assert logging.getLogger("weasyprint").propagate      # restored afterwards


@pytest.mark.parametrize("step", ["after-journal", "after-first-tree", "after-trees"])
def test_a_publish_killed_after_its_journal_completes_the_site_manifest_with_the_trees(tmp_path, step):
    import signal
    import subprocess
    import sys

    from generator import publish

    root = tmp_path / "org"
    staged = root / STATE_DIR / "build-test"
    for tree, version in ((root, "old"), (staged, "new")):
        for name in ("site", "print"):
            (tree / name).mkdir(parents=True)
            (tree / name / "index.html").write_text(f"{version} {name}", encoding="utf-8")
    (root / STATE_DIR / build_cache.SITE_MANIFEST).write_text("old", encoding="utf-8")
    (staged / build_cache.SITE_MANIFEST).write_text("new", encoding="utf-8")
    program = ("import sys; from pathlib import Path; import generator.publish as p\n"
               "p.publish(Path(sys.argv[1]), Path(sys.argv[2]), ['print', 'site'], state_files=[sys.argv[3]])\n")
    environment = {**os.environ, publish.KILL_AT_ENV: step}
    killed = subprocess.run([sys.executable, "-c", program, str(root), str(staged), build_cache.SITE_MANIFEST],
                            capture_output=True, text=True, env=environment)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with publish.project_lock(root):
        publish.prepare(root)
    assert (root / "site" / "index.html").read_text(encoding="utf-8") == "new site"
    assert (root / STATE_DIR / build_cache.SITE_MANIFEST).read_text(encoding="utf-8") == "new"
    assert not staged.exists()
