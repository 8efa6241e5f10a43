"""Turn a project folder into parsed sources: YAML documents, tables and chapter texts.

This stage only reads and parses; it does not judge content. Every file that
cannot be parsed becomes a problem, and reading goes on with the next file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location, Problem, relative_path
from generator.load.tables import TABLE_SUFFIXES, Table, read_table
from generator.load.yaml_source import YamlDocument, load_yaml, parse_yaml

YAML_SUFFIXES = (".yml", ".yaml")


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


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$")))


def _yaml_files(sources: Sources, folder: Path) -> list[YamlDocument]:
    documents = []
    for path in _files(folder, YAML_SUFFIXES):
        doc, problems = load_yaml(path, relative_path(path, sources.root))
        sources.problems.extend(problems)
        if doc is not None:
            documents.append(doc)
    return documents


def _chapter(sources: Sources, path: Path) -> ChapterSource | None:
    shown = relative_path(path, sources.root)
    text = path.read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        sources.problems.append(Problem(Location(shown, 1), "chapter.no-front-matter",
                                        "章节文件应以「---」开头的 YAML 头信息 (title、part、order) 开始"))
        return None
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    meta, problems = parse_yaml("\n".join(lines[1:end]), shown, first_line=2)
    sources.problems.extend(problems)
    if meta is None:
        return None
    return ChapterSource(shown, meta, "\n".join(lines[end + 1:]), end + 2)


def _scores(sources: Sources, folder: Path) -> None:
    if not folder.is_dir():
        return
    for scheme_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in _files(scheme_dir, TABLE_SUFFIXES):
            table, problems = read_table(path, relative_path(path, sources.root))
            sources.problems.extend(problems)
            if table is not None:
                # `branchbook template` names its sheets <scheme>-<period>.xlsx; they may be dropped in as they are.
                period = path.stem.removeprefix(f"{scheme_dir.name}-")
                sources.scores.append(ScoreSource(scheme_dir.name, period, table))


def load_sources(root: Path) -> Sources:
    """Read every input file of the project at `root`."""
    sources = Sources(root)
    content = root / "content"
    organization = content / "organization.yml"
    if organization.is_file():
        sources.organization, problems = load_yaml(organization, relative_path(organization, root))
        sources.problems.extend(problems)
    else:
        sources.problems.append(Problem(Location("content/organization.yml"), "project.missing-file",
                                        "缺少组织信息文件 content/organization.yml"))
    if not _files(root / "branches", YAML_SUFFIXES):
        sources.problems.append(Problem(Location("branches"), "project.no-branches",
                                        "branches/ 目录中没有任何支部文件 (*.yml)"))
    sources.branches = _yaml_files(sources, root / "branches")
    sources.branch_file_stems = [path.stem for path in _files(root / "branches", YAML_SUFFIXES)]
    for path in _files(root / "branches", TABLE_SUFFIXES):
        table, problems = read_table(path, relative_path(path, root))
        sources.problems.extend(problems)
        if table is not None:
            sources.branch_tables[path.name] = table
    for path in _files(content / "chapters", (".md",)):
        chapter = _chapter(sources, path)
        if chapter is not None:
            sources.chapters.append(chapter)
    sources.workflows = _yaml_files(sources, content / "workflows")
    checklist = content / "checklist.yml"
    if checklist.is_file():
        sources.checklist, problems = load_yaml(checklist, relative_path(checklist, root))
        sources.problems.extend(problems)
    boxes = content / "boxes.yml"
    if boxes.is_file():
        sources.boxes, problems = load_yaml(boxes, relative_path(boxes, root))
        sources.problems.extend(problems)
    sources.schemes = _yaml_files(sources, content / "schemes")
    sources.calendars = _yaml_files(sources, content / "calendar")
    _scores(sources, root / "scores")
    return sources
