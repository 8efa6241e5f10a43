"""Turn a project folder into parsed sources: YAML documents, tables and chapter texts.

This stage only reads and parses; it does not judge content. Every file that
cannot be parsed becomes a problem, and reading goes on with the next file.

Only files inside the project folder are read: a symbolic link (a file's or a
folder's) that leads outside it, or nowhere, is reported instead of followed,
so that a shared project cannot make the build read or publish other files of
the machine. Links between places inside the project are followed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location, Problem
from generator.load.limits import MAX_CHAPTER_BYTES, read_bounded
from generator.load.tables import TABLE_SUFFIXES, Table, read_table
from generator.load.text import decode_text
from generator.load.yaml_source import YamlDocument, load_yaml, parse_yaml

YAML_SUFFIXES = (".yml", ".yaml")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without Python's cyclic garbage collector; reference counting still frees what it drops.

    Reading and validating a large project makes millions of small containers that all live until the end;
    the collector would walk every one of them again at each full collection (about a fifth of `check` at
    1,000 branches). Only code that leaves no reference cycles behind runs paused: our YAML reader and
    validation, not openpyxl's workbooks. The collector is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class ChapterSource:
    path: str
    meta: YamlDocument
    body: str
    body_first_line: int


@dataclass
class ScoreSource:
    scheme_id: str
    period: str
    table: Table


@dataclass
class Sources:
    root: Path
    organization: YamlDocument | None = None
    branches: list[YamlDocument] = field(default_factory=list)
    branch_file_stems: list[str] = field(default_factory=list)
    branch_tables: dict[str, Table] = field(default_factory=dict)
    chapters: list[ChapterSource] = field(default_factory=list)
    workflows: list[YamlDocument] = field(default_factory=list)
    checklist: YamlDocument | None = None
    boxes: YamlDocument | None = None
    schemes: list[YamlDocument] = field(default_factory=list)
    calendars: list[YamlDocument] = field(default_factory=list)
    scores: list[ScoreSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    """Finds the project's files, refusing links that leave the project, and records the problems."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.root = sources.root
        self.real_root = sources.root.resolve()

    def shown(self, path: Path) -> str:
        """The path as the user wrote it, relative to the project (a link's own name, not its target's)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def allowed(self, path: Path) -> bool:
        """False, with a problem, when a link on the way from the project folder to `path` leads outside or nowhere."""
        current = self.root
        for part in path.relative_to(self.root).parts:
            current = current / part
            if not current.is_symlink():
                continue
            try:
                target = current.resolve(strict=True)
            except (OSError, RuntimeError):  # a dangling link, or a loop of links
                self.sources.problems.append(Problem(
                    Location(self.shown(current)), "file.broken-link",
                    "这是一个符号链接（快捷方式），但它指向的文件不存在；请删除它，或换成实际的文件"))
                return False
            if not target.is_relative_to(self.real_root):
                self.sources.problems.append(Problem(
                    Location(self.shown(current)), "file.outside-project",
                    "这是一个指向项目文件夹之外的符号链接（快捷方式）；出于安全考虑不会读取，请把文件本身复制到项目文件夹中"))
                return False
        return True

    def candidates(self, folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
        """The entries of `folder` that are meant as input files (by suffix), links included."""
        if not (folder.is_dir() or folder.is_symlink()) or not self.allowed(folder) or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir()
                      if p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
                      and (p.is_symlink() or p.is_file()))

    def files(self, folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
        return [path for path in self.candidates(folder, suffixes) if self.allowed(path) and path.is_file()]

    def folders(self, folder: Path) -> list[Path]:
        if not (folder.is_dir() or folder.is_symlink()) or not self.allowed(folder) or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if (p.is_dir() or p.is_symlink()) and not p.name.startswith(".")
                      and self.allowed(p) and p.is_dir())

    def single(self, path: Path) -> Path | None:
        """`path` if it is a file that may be read; None if it is missing (quietly) or refused (reported)."""
        if not (path.is_file() or path.is_symlink()) or not self.allowed(path) or not path.is_file():
            return None
        return path

    def yaml(self, path: Path) -> YamlDocument | None:
        doc, problems = load_yaml(path, self.shown(path))
        self.sources.problems.extend(problems)
        return doc

    def yaml_files(self, folder: Path) -> list[YamlDocument]:
        return [doc for path in self.files(folder, YAML_SUFFIXES) if (doc := self.yaml(path)) is not None]

    def table(self, path: Path) -> Table | None:
        table, problems = read_table(path, self.shown(path))
        self.sources.problems.extend(problems)
        return table

    def chapter(self, path: Path) -> ChapterSource | None:
        shown = self.shown(path)
        raw, problems = read_bounded(path, shown, MAX_CHAPTER_BYTES, "章节文件")
        text, decoding = decode_text(raw, shown, "章节文件") if raw is not None else (None, [])
        self.sources.problems.extend(problems + decoding)
        if text is None:
            return None
        lines = text.split("\n")
        if lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
            self.sources.problems.append(Problem(Location(shown, 1), "chapter.no-front-matter",
                                                 "章节文件应以「---」开头的 YAML 头信息（title、part、order）开始"))
            return None
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
        meta, problems = parse_yaml("\n".join(lines[1:end]), shown, first_line=2, what="头信息")
        self.sources.problems.extend(problems)
        if meta is None:
            return None
        return ChapterSource(shown, meta, "\n".join(lines[end + 1:]), end + 2)

    def scores(self, folder: Path) -> None:
        for scheme_dir in self.folders(folder):
            for path in self.files(scheme_dir, TABLE_SUFFIXES):
                table = self.table(path)
                if table is not None:
                    # `branchbook template` names its sheets <scheme>-<period>.xlsx; they may be dropped in as they are.
                    period = path.stem.removeprefix(f"{scheme_dir.name}-")
                    self.sources.scores.append(ScoreSource(scheme_dir.name, period, table))


def load_sources(root: Path) -> Sources:
    """Read every input file of the project at `root`."""
    sources = Sources(root)
    reader = _Reader(sources)
    content = root / "content"
    refused = len(sources.problems)
    organization = reader.single(content / "organization.yml")
    if organization is not None:
        sources.organization = reader.yaml(organization)
    elif len(sources.problems) == refused:  # missing, not refused
        sources.problems.append(Problem(Location("content/organization.yml"), "project.missing-file",
                                        "缺少组织信息文件 content/organization.yml"))
    refused = len(sources.problems)
    branch_files = reader.candidates(root / "branches", YAML_SUFFIXES)
    if not branch_files and len(sources.problems) == refused:
        sources.problems.append(Problem(Location("branches"), "project.no-branches",
                                        "branches/ 目录中没有任何支部文件（*.yml）；用「branchbook new branch 支部编号」新建一个支部"))
    # Every branch file's name counts, read or refused: score rows of a refused one are not reported again.
    sources.branch_file_stems = [path.stem for path in branch_files]
    with collector_paused():
        sources.branches = [doc for path in branch_files
                            if reader.allowed(path) and path.is_file() and (doc := reader.yaml(path)) is not None]
    for path in reader.files(root / "branches", TABLE_SUFFIXES):
        table = reader.table(path)
        if table is not None:
            sources.branch_tables[path.name] = table
    for path in reader.files(content / "chapters", (".md",)):
        chapter = reader.chapter(path)
        if chapter is not None:
            sources.chapters.append(chapter)
    sources.workflows = reader.yaml_files(content / "workflows")
    checklist = reader.single(content / "checklist.yml")
    if checklist is not None:
        sources.checklist = reader.yaml(checklist)
    boxes = reader.single(content / "boxes.yml")
    if boxes is not None:
        sources.boxes = reader.yaml(boxes)
    sources.schemes = reader.yaml_files(content / "schemes")
    sources.calendars = reader.yaml_files(content / "calendar")
    reader.scores(root / "scores")
    return sources
