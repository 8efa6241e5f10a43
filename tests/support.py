"""Helpers shared by the test modules (not a test module): fixture projects, one build of each shared
fixture per test run, text out of PDFs, the privacy and link checks, and the command line's commands.

Test modules import from here, never from each other. `tests/conftest.py` turns the shared builds into
session fixtures (`built_small`, `sample_site`).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import html
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
import pytest
from filelock import FileLock
from pydantic import BaseModel

REPO = Path(__file__).resolve().parent.parent
SAMPLE_PARTS = ("content", "branches", "scores", "theme", "mkdocs.yml")
SMALL = Path(__file__).resolve().parent / "fixtures" / "small"


# ---- fixture projects ---------------------------------------------------------------------------------

def copy_sample(target: Path) -> Path:
    """A copy of the repository's 13-branch sample organization (slow to build: use it for smoke tests only)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def copy_small(target: Path) -> Path:
    """A copy of the small fixture organization (two branches) with the repository's theme: a buildable project."""
    shutil.copytree(SMALL, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(REPO / "theme", target / "theme", dirs_exist_ok=True)
    return target


def keep_only_branch(root: Path, branch_id: str) -> Path:
    """Remove every other branch of a project copy, with its roster file and its rows in the score tables."""
    for path in (root / "branches").glob("*.yml"):
        if path.stem != branch_id:
            path.unlink()
            for roster in (root / "branches").glob(f"{path.stem}-members.*"):
                roster.unlink()
            for table in (root / "scores").rglob("*.csv"):
                lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
                table.write_text("".join(line for line in lines if not line.startswith(f"{path.stem},")),
                                 encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` (which must be there) by `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# ---- a tiny project written from strings (validation tests) -----------------------------------------------

ORGANIZATION = """\
name: 中共测试新区工作委员会
short_name: 测试新区党工委
year: 2026
as_of: 2026-12-31
summary: 测试用组织。
office:
  phone: 0571-88886666
"""

BRANCH = """\
id: {id}
name: 中共{short}支部委员会
short_name: {short}党支部
type: 城市社区
parent: 中共测试新区工作委员会
founded: 1998-07-01
office:
  phone: 0571-88880001
committee:
  term_start: 2024-03-01
  term_end: 2029-02-28
  members:
    - name: 张建国
      role: 书记
      duties: 主持全面工作
members_file: {id}-members.csv
"""

ROSTER = """\
姓名,性别,出生日期,民族,学历,入党日期,转正日期,党员类别
张建国,男,1970-01-02,汉族,本科,1995-07-01,1996-07-01,正式
李秀英,女,1980-05-06,汉族,大专,2005-07-01,2006-07-01,正式
王志强,男,1990-11-12,回族,研究生,2015-07-01,2016-07-01,正式
"""

SCHEME = """\
id: tiered
name: 台阶考核
kind: tiered
period: quarter
items:
  - {id: K01, name: 三会一课, max_points: 5}
  - {id: K02, name: 党费收缴, max_points: 5}
"""


def write_project(root: Path, branches: tuple[str, ...] = ("hongguang",)) -> Path:
    """A minimal valid project (organization, one scheme, branches with three-member CSV rosters), no theme."""
    (root / "content" / "schemes").mkdir(parents=True)
    (root / "branches").mkdir()
    (root / "content" / "organization.yml").write_text(ORGANIZATION, encoding="utf-8")
    (root / "content" / "schemes" / "tiered.yml").write_text(SCHEME, encoding="utf-8")
    for index, branch_id in enumerate(branches):
        short = f"测试{index + 1}社区"
        (root / "branches" / f"{branch_id}.yml").write_text(BRANCH.format(id=branch_id, short=short), encoding="utf-8")
        (root / "branches" / f"{branch_id}-members.csv").write_text(ROSTER, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    """The problems validation reports for the project at `root` (it must report some)."""
    from generator.errors import ProblemsFound
    from generator.load.project import load_sources
    from generator.validate.project import validate_project

    with pytest.raises(ProblemsFound) as raised:
        validate_project(load_sources(root))
    return [str(problem) for problem in raised.value.problems]


# ---- the shared small build ----------------------------------------------------------------------------

# A third branch whose member 甄守拙 carries canary personal data: none of it may reach any output, and
# his name only the branch's print set.
CANARY_ID_NUMBER = "330106198002290010"
CANARY_PHONE = "13957190042"
CANARY_ADDRESS = "云溪新区金雀巷甲7号金丝楼3单元1402室"
CANARY_NAME = "甄守拙"
CANARY_BRANCH = f"""\
id: canary
name: 中共云溪新区测试支部委员会
short_name: 测试党支部
type: 事业单位
parent: 中共云溪新区工作委员会
founded: 2010-07-01
assessment_line: 二线
office:
  phone: 0571-86660000
committee:
  term_start: 2024-01-10
  term_end: 2027-01-09
  members:
    - name: 贺知章
      role: 书记
      duties: 主持支部全面工作
members:
  - name: 贺知章
    gender: 男
    birth_date: 1975-03-01
    ethnicity: 汉族
    education: 本科
    joined_on: 2000-07-01
    full_member_on: 2001-07-01
    status: 正式
  - name: {CANARY_NAME}
    gender: 男
    birth_date: 1980-02-29
    ethnicity: 汉族
    education: 大专
    joined_on: 2006-06-30
    full_member_on: 2007-06-30
    status: 正式
    id_number: "{CANARY_ID_NUMBER}"
    phone: "{CANARY_PHONE}"
    address: {CANARY_ADDRESS}
  - name: 柳如眉
    gender: 女
    birth_date: 1988-08-08
    ethnicity: 满族
    education: 研究生
    joined_on: 2012-05-04
    full_member_on: 2013-05-04
    status: 正式
"""
CANARY_SECRETS = (CANARY_ID_NUMBER, CANARY_PHONE, CANARY_ADDRESS, "金丝楼", "1980-02-29", "1980年2月29日")

# A member with a four-character name and a long post, appended to qingshan's CSV roster.
LONG_NAME = "司马文斌"
LONG_POSITION = "社区卫生服务站医生兼村民调解委员会委员"

# Each branch's line (for the secretary's pay-back); an odd withheld amount for 二线, so that the canary
# branch's pay-back (coefficient × 2711) is a number found nowhere else.
LINES = {"hongguang": "一线", "qingshan": "地面", "canary": "二线"}
SECOND_LINE_WITHHELD = 2711
# The canary branch's 党员积分 rows (D1, D2, D3, R1). 甄守拙: daily 33.17 + 27.31 + 21.13 = 81.61,
# review 77.77 → final 0.7 × 81.61 + 0.3 × 77.77 = 80.46.
CANARY_POINTS = {"贺知章": (36, 27, 27, 90), CANARY_NAME: (33.17, 27.31, 21.13, 77.77), "柳如眉": (28, 21, 21, 70)}
CANARY_POINT_VALUES = ("80.46", "81.61", "77.77", "33.17", "27.31", "21.13")
# The second quarter is scored for hongguang only (participation is optional): qingshan and the canary
# branch have no result that quarter.
SECOND_QUARTER = "2026Q2"
SECOND_QUARTER_PUBLISHED = "2026-06-24"


def extend_small(root: Path) -> Path:
    """The small fixture copy at `root`, extended for the tests of the shared build (`built_small`).

    - the canary branch (事业单位, 二线, three inline members, one with canary personal data);
    - 司马文斌 with a long post at the end of qingshan's roster;
    - a line for every branch; qingshan's 重点项 below 40 (降档 at a total ≥ 70); the canary branch
      in 第二台阶 (coefficient 0.9, withheld 2711 for 二线);
    - participation optional, 2026Q2 scored and published for hongguang only;
    - the 创优评级 scheme graded from the quarters, and the repository's 党员积分 scheme for the three
      branches with a score row for every scored person (the canary branch's rows from CANARY_POINTS).
    """
    from generator import pipeline
    from generator.template_sheet import entry_rows

    branches = root / "branches"
    (branches / "canary.yml").write_text(CANARY_BRANCH, encoding="utf-8")
    for branch_id in ("hongguang", "qingshan"):
        path = branches / f"{branch_id}.yml"
        path.write_text(re.sub(r"^(founded: .*)$", rf"\1\nassessment_line: {LINES[branch_id]}",
                               path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE), encoding="utf-8")
    roster = branches / "qingshan-members.csv"
    roster.write_text(roster.read_text(encoding="utf-8").rstrip("\n")
                      + f"\n{LONG_NAME},男,1968-05-02,汉族,初中及以下,1990-06-30,1991-06-30,正式,,{LONG_POSITION},,,\n",
                      encoding="utf-8")

    schemes = root / "content" / "schemes"
    tiered = schemes / "tiered.yml"
    edit(tiered, "二线: 2000", f"二线: {SECOND_LINE_WITHHELD}")
    edit(tiered, "participants:\n", "participants:\n  required: false\n")
    edit(tiered, "    2026Q1: 2026-03-30\n", f"    2026Q1: 2026-03-30\n    {SECOND_QUARTER}: {SECOND_QUARTER_PUBLISHED}\n")
    sheet = root / "scores" / "tiered" / "2026Q1.csv"
    header, *rows = sheet.read_text(encoding="utf-8").splitlines()
    hongguang = next(row for row in rows if row.startswith("hongguang,"))
    rows = [re.sub(r"^(qingshan,[^,]*),4,4\.5,5,", r"\1,1,1,5,", row) for row in rows]   # 重点项 42 → 35.5
    cells = hongguang.split(",")
    columns = header.split(",")
    canary = ["canary", "测试党支部"] + [("3" if column.startswith("B") else cell)          # 基础项 36: total 84
                                         for column, cell in zip(columns[2:], cells[2:], strict=True)]
    sheet.write_text("\n".join([header, *rows, ",".join(canary)]) + "\n", encoding="utf-8")
    (root / "scores" / "tiered" / f"{SECOND_QUARTER}.csv").write_text(f"{header}\n{hongguang}\n", encoding="utf-8")
    (schemes / "grading.yml").write_text(
        "id: grading\nname: 创优评级\nkind: grading\nperiod: year\nrules:\n  source: tiered\n", encoding="utf-8")

    points = (REPO / "content" / "schemes" / "points.yml").read_text(encoding="utf-8")
    points = re.sub(r"^(participants:\n  branches: )\[.*\]$", r"\1[hongguang, qingshan, canary]", points,
                    count=1, flags=re.MULTILINE)
    (schemes / "points.yml").write_text(points, encoding="utf-8")
    project = pipeline.load_project(root)
    scheme = next(s for s in project.schemes if s.id == "points")
    (root / "scores" / "points").mkdir()
    with open(root / "scores" / "points" / "2026.csv", "w", encoding="utf-8", newline="") as table:
        writer = csv.writer(table)
        writer.writerow(["支部编号", "支部名称", "姓名", "D1", "D2", "D3", "R1"])
        for n, row in enumerate(entry_rows(project, scheme, "2026")):
            values = CANARY_POINTS.get(row[2]) if row[0] == "canary" else None
            writer.writerow(row + list(values or (40 - (n * 7) % 23, 30 - (n * 5) % 17, 30 - (n * 3) % 19,
                                                  100 - (n * 11) % 60)))
    return root


def shared_build(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """The project folder `make(root)` fills, made once per test run even with several xdist workers.

    Without xdist the folder is a fresh temporary one. With xdist, the first worker to ask makes it
    under a file lock in the run's own temporary folder (the workers' common parent, new for every run),
    and the others wait for it and reuse it. Tests must treat the folder as read-only.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        root = factory.mktemp(name) / "org"
        make(root)
        return root
    shared = factory.getbasetemp().parent / "shared"
    shared.mkdir(exist_ok=True)
    root, done = shared / name / "org", shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(root.parent, ignore_errors=True)     # what a failed attempt left
            root.parent.mkdir()
            make(root)
            done.touch()
    return root


# ---- text out of outputs ---------------------------------------------------------------------------------

@functools.cache
def pdf_text(path: Path, tool: str = "pdftotext") -> str:
    """A PDF's text as poppler or MuPDF extracts it; cached because handbooks are long."""
    command = (["pdftotext", "-q", str(path), "-"] if tool == "pdftotext"
               else ["mutool", "draw", "-q", "-F", "txt", "-o", "-", str(path)])
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@functools.cache
def pdf_lines(path: Path) -> tuple[tuple[tuple[tuple[float, float, float, float], str], ...], ...]:
    """Each page's text lines as MuPDF lays them out: ((x0, y0, x1, y1), text), y from the top, in points.

    A tenth of the time of poppler's -bbox or -layout on a handbook, for tests that need where text is.
    """
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", str(path)], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        lines = []
        for box, body in re.findall(r'<line bbox="([^"]*)"[^>]*>(.*?)</line>', page, re.DOTALL):
            x0, y0, x1, y1 = (float(value) for value in box.split())
            lines.append(((x0, y0, x1, y1), html.unescape("".join(re.findall(r' c="([^"]*)"', body)))))
        pages.append(tuple(lines))
    return tuple(pages)


def pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of each font object a PDF's pages use, in their resources and in their form
    XObjects (SVG images): what `pdffonts` lists, read by pypdf in a fraction of poppler's time."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    fonts: list[tuple[str, bool]] = []
    seen: set[object] = set()

    def first_time(ref) -> bool:
        key = (ref.idnum, ref.generation) if isinstance(ref, IndirectObject) else id(ref)
        if key in seen:
            return False
        seen.add(key)
        return True

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            if first_time(ref):
                font = ref.get_object()
                described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = described.get("/FontDescriptor")
                files = descriptor.get_object().keys() if descriptor is not None else ()
                embedded = "/CharProcs" in font or bool({"/FontFile", "/FontFile2", "/FontFile3"} & set(files))
                fonts.append((str(font.get("/BaseFont", font.get("/Name", "?"))).lstrip("/"), embedded))
        for ref in (resources.get("/XObject") or {}).values():
            if first_time(ref) and ref.get_object().get("/Subtype") == "/Form":
                visit(ref.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        visit(page.get("/Resources"))
    return fonts


SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


# ---- what must not appear where (privacy) ----------------------------------------------------------------

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u00ad\ufeff]+")
_TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".svg", ".css", ".txt", ".csv", ".md"}


def _walk(value, privacy: str = "public"):
    """(privacy, value) for every leaf of the project's models; a leaf inherits the strictest class above it."""
    from generator.models.common import privacy_of

    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            own = privacy_of(type(value), name)
            strictest = max(privacy, own, key=("public", "internal", "never").index)
            yield from _walk(getattr(value, name), strictest)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _walk(getattr(value, item.name), privacy)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item, privacy)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, privacy)
    elif value is not None and not isinstance(value, (bool, int, float, Path)):
        yield privacy, value


def _forms(value) -> set[str]:
    """The ways a value can be written in an output."""
    from generator.periods import chinese_date

    if isinstance(value, dt.date):
        return {value.isoformat(), chinese_date(value)}
    return {str(value)}


def never_values(project) -> set[str]:
    """Every value of a *never* field, except dates that are also legitimately shown as another field's value."""
    leaves = list(_walk(project))
    shown = {form for privacy, value in leaves if privacy != "never" for form in _forms(value)}
    return {form for privacy, value in leaves if privacy == "never"
            for form in _forms(value) if form not in shown and len(form) >= 4}


def internal_names(project) -> set[str]:
    """Roster, applicant and (member-scheme) score-row names that no public field contains."""
    from generator.compute.scoring import compute_results, results_view

    models = dataclasses.replace(project, scores=())       # score sheets carry no privacy classes
    public_text = "\n".join(str(value) for privacy, value in _walk(models) if privacy == "public")
    names = {member.name for branch in project.branches for member in branch.members}
    names |= {applicant.name for branch in project.branches for applicant in branch.applicants}
    for scheme in results_view(compute_results(project), "internal"):
        if scheme["subject"] == "member":
            names |= {row["member"] for period in scheme["periods"] for row in period["rows"] if row.get("member")}
    return {name for name in names if name not in public_text}


def _readings(path: Path, data: bytes) -> list[str]:
    """What a reader gets out of one file, whitespace and zero-width breaks removed (binary files: nothing)."""
    readings = []
    if path.suffix in _TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        readings += [text, html.unescape(text), _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)]
        if path.suffix == ".json":
            readings.append(json.dumps(json.loads(text), ensure_ascii=False))
    elif path.suffix == ".pdf":
        readings.append(pdf_text(path, "mutool"))        # MuPDF: a tenth of poppler's time on a handbook
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            readings += [html.unescape(book.read(name).decode("utf-8", errors="replace")) for name in book.namelist()]
    return [_INVISIBLE.sub("", reading) for reading in readings]


def find_leaks(tree: Path, values: set[str]) -> dict[str, list[str]]:
    """value → the files under `tree` (relative paths) that contain it as raw bytes or in any reading.

    Each file is searched as raw bytes (UTF-8 and UTF-16) and as the text a reader gets from it: PDF
    text by MuPDF, HTML with character references resolved, JSON with \\u escapes resolved and the
    search index's word breaks removed, the sheets inside XLSX.
    """
    leaks: dict[str, list[str]] = {}
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        data = path.read_bytes()
        readings = _readings(path, data)
        for value in values:
            squeezed = _INVISIBLE.sub("", value)
            if (value.encode("utf-8") in data or value.encode("utf-16-be") in data
                    or any(squeezed in reading for reading in readings)):
                leaks.setdefault(value, []).append(path.relative_to(tree).as_posix())
    return leaks


# ---- links of a built site -----------------------------------------------------------------------------

class Links(HTMLParser):
    """The href and src values of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [value for name, value in attrs if name in ("href", "src") and value]


def local_target(page: Path, link: str, root: Path | None = None) -> Path | None:
    """The file a local link points to; root-relative links (the 404 page's) count from `root`."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = root if path.startswith("/") and root is not None else page.parent
    return (base / path.lstrip("/")).resolve()


def link_problems(site: Path) -> tuple[int, list[str], list[str]]:
    """(local links checked, links to nothing, links leaving the site or into print/) of a built site."""
    site = site.resolve()
    broken, outside, checked = [], [], 0
    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.targets:
            target = local_target(page, link, site)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)} → {link}"
            if "print" in Path(unquote(urlsplit(link).path)).parts or not target.is_relative_to(site):
                outside.append(where)
            elif not (target.is_file() or (target / "index.html").is_file()):
                broken.append(where)
    return checked, broken, outside


# ---- the command line ------------------------------------------------------------------------------------

def walk(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """The group itself and every command under it, recursively, each with the words that invoke it."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))
        else:
            yield (*path, name), command
