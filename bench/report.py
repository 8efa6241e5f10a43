"""Measure branchbook's speed and scale side by side in one run and write ``bench/REPORT.md``.

    .venv/bin/python bench/report.py [--sizes 13 100 1000] [--print-branches 8] [--incremental-branches 100]
                                     [--out bench/REPORT.md] [--work DIR]

Run it on an otherwise idle machine (the full run takes about 15 minutes on two idle cores, half of it
the incremental builds of 100 branches). Every measured command runs in a child process of its own,
one at a time, and is timed with ``os.wait4``:
wall time, CPU time (user + system of the child and of every process it waited for) and peak RSS,
so this script's own imports never count. ``SOURCE_DATE_EPOCH`` is fixed for every command. The
commands run the code of a copy of this checkout taken at the start (``generator/``, ``bench/`` and the
library), so that edits made to the working tree meanwhile neither mix versions nor, by changing the
program's fingerprint, invalidate the build cache between the incremental runs.

1. Site: for each N of ``--sizes``, a synthetic organization from ``bench/make_org.py``, then
   ``branchbook build --no-pdf --force --verbose`` (the wall and CPU time of each stage are read from
   the verbose lines of ``generator.logs.stage``) and right after it ``branchbook check``. Charts are
   drawn while pages are rendered (生成页面), so they are timed apart: a child process draws every
   chart and diagram of the site once more with the same inputs.
2. Print sets: ``bench/print_throughput.py`` on ``--print-branches`` P branches (naive baseline
   against our 2-worker path), and ours alone on 2P branches to show that a worker's peak memory
   does not grow with the number of tasks (``--no-growth`` skips that).
3. Incremental: an organization of ``--incremental-branches`` I branches built with PDFs
   (``build --force``), then rebuilt with nothing changed, after editing one branch's YAML (the text
   of a news item) and after editing one CSV roster (a member's 工作岗位, which the handbook prints).

The report states the machine, the load average before and after each command, the commit, and the
command that reproduces it; a "Targets" table says which targets are met.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from print_throughput import EPOCH, PROVINCE  # noqa: E402  (bench/ is on the path when run as a script)

ENV = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
# Stage (as logged by the build) → its name in the report.
STAGES = {"读取与校验": "load + validate", "计算": "compute", "生成页面": "render pages, charts included",
          "生成网站": "MkDocs", "导出数据": "exports", "生成 PDF": "PDFs", "发布": "publish"}
MKDOCS = "生成网站"
STAGE_LINE = re.compile(r"^(.+)：(\d+\.\d) 秒（CPU (\d+\.\d) 秒）$", re.MULTILINE)
MEMBERS_LINE = re.compile(r"(\d+) 名党员")
# What the incremental runs edit: a news item's text (make_org writes it into every branch file).
NEWS_TEXT = "全体党员参加学习讨论。"
STARTED = time.perf_counter()
# What the copy of the checkout holds: the package, the benchmark scripts, and what make_org.py copies.
SNAPSHOT = ("generator", "bench", "content", "theme", "mkdocs.yml", "pyproject.toml")


# ---- running and timing one command ----------------------------------------------------------------------

def load() -> str:
    """The 1-minute load average."""
    return Path("/proc/loadavg").read_text().split()[0]


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    out: str
    err: str
    load: str                                   # "before → after"


def snapshot(target: Path) -> Path:
    """A copy of the code and library of this checkout, whose `generator` package the commands import."""
    for name in SNAPSHOT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "REPORT.md"))
        else:
            shutil.copy2(source, target / name)
    return target


def measure(code: Path, command: list[str]) -> Run:
    """Run `command` in a child process (cwd: `code`, the snapshot); its wall, CPU (children included) and peak RSS."""
    before = load()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=code, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text_out, text_err = out.read().decode(), err.read().decode()
    if process.returncode:
        sys.exit(f"failed ({process.returncode}): {shlex.join(command)}\n{text_err[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text_out, text_err,
               f"{before} → {load()}")


def branchbook(code: Path, org: Path, *args: str) -> Run:
    return measure(code, [sys.executable, "-m", "generator", "-p", str(org), *args])


def note(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def make_org(code: Path, count: int, target: Path) -> Path:
    subprocess.run([sys.executable, str(code / "bench" / "make_org.py"), str(count), str(target)],
                   check=True, stdout=subprocess.DEVNULL, env=ENV)
    return target


def stages(run: Run) -> dict[str, tuple[float, float]]:
    """Stage → (wall, CPU) from the verbose lines of a build."""
    return {name: (float(wall), float(cpu)) for name, wall, cpu in STAGE_LINE.findall(run.err) if name in STAGES}


# ---- 1. the site at each size ----------------------------------------------------------------------------

@dataclass
class Size:
    n: int
    build: Run
    check: Run
    stages: dict[str, tuple[float, float]]
    members: int
    pages: int
    site_bytes: int
    search: dict[str, int]                      # search index file → bytes
    charts: dict[str, float]                    # kind → CPU seconds, drawn apart

    @property
    def own_cpu(self) -> float:
        """The generator's own work: everything but the MkDocs stage."""
        return self.build.cpu - self.stages.get(MKDOCS, (0.0, 0.0))[1]


def measure_size(code: Path, n: int, work: Path) -> Size:
    org = make_org(code, n, work / f"site-{n}")
    note(f"N = {n}: build --no-pdf --force --verbose")
    build = branchbook(code, org, "build", "--no-pdf", "--force", "--verbose")
    note(f"N = {n}: check")
    check = branchbook(code, org, "check")
    members = MEMBERS_LINE.search(check.out)
    site = org / "site"
    files = [path for path in site.rglob("*") if path.is_file()]
    search = {path.name: path.stat().st_size for path in sorted((site / "search").glob("search_index.*"))}
    note(f"N = {n}: charts, drawn apart")
    charts = json.loads(measure(code, [sys.executable, str(code / "bench" / "report.py"), "--charts-child",
                                       str(org)]).out)
    return Size(n, build, check, stages(build), int(members[1]) if members else 0,
                sum(1 for path in files if path.suffix == ".html"), sum(path.stat().st_size for path in files),
                search, charts)


def charts_child(org: Path) -> None:
    """Draw every chart and diagram of the site as `generator.render` does; print CPU seconds per kind as JSON."""
    from generator.compute.views import branch_view
    from generator.diagrams.orgchart import draw_org_chart
    from generator.diagrams.profile_chart import draw_profile_chart
    from generator.diagrams.workflow import draw_workflow
    from generator.pipeline import assess, load_project
    from generator.render.results import _charts

    project = load_project(org)
    public = assess(project).public
    views = [branch_view(branch, project.organization, "public") for branch in project.branches]
    schemes = {scheme.id: scheme for scheme in project.schemes}
    spent: dict[str, float] = {}

    def timed(kind: str, draw, *args) -> None:
        start = time.process_time()
        draw(*args)
        spent[kind] = spent.get(kind, 0.0) + time.process_time() - start

    for view in views:
        timed("org charts", draw_org_chart, view["short_name"], view["committee"]["members"], view["groups"])
        timed("profile charts", draw_profile_chart, view["profile"])
    for workflow in project.workflows:
        timed("workflow diagrams", draw_workflow, workflow)
    for scheme_view in public:
        timed("results charts", _charts, schemes[scheme_view["id"]], scheme_view)
    print(json.dumps(spent))


# ---- 2. print sets ---------------------------------------------------------------------------------------

@dataclass
class Printing:
    branches: int
    naive: dict
    ours: dict
    growth: dict | None                         # ours on twice the branches
    load: str


def throughput(code: Path, branches: int, work: Path, *extra: str) -> dict:
    out = work / f"print-{branches}{'-'.join(extra)}.json"
    measure(code, [sys.executable, str(code / "bench" / "print_throughput.py"), str(branches), "--workers", "2",
             "--json", str(out), *extra])
    return json.loads(out.read_text())


def measure_print(code: Path, branches: int, work: Path, growth: bool) -> Printing:
    note(f"print sets: naive and ours on {branches} branches")
    before = load()
    both = throughput(code, branches, work)
    loads = f"{before} → {load()}"
    more = None
    if growth:
        note(f"print sets: ours on {2 * branches} branches")
        more = throughput(code, 2 * branches, work, "--only", "ours")
    return Printing(branches, both["naive"], both["ours"], more, loads)


# ---- 3. incremental builds -------------------------------------------------------------------------------

@dataclass
class Incremental:
    branches: int
    runs: dict[str, Run] = field(default_factory=dict)  # what was changed → the build after it


def edit_branch(org: Path) -> str:
    path = org / "branches" / "b0001.yml"
    text = path.read_text(encoding="utf-8")
    if NEWS_TEXT not in text:
        sys.exit(f"{path} has no news item to edit (has bench/make_org.py changed?)")
    path.write_text(text.replace(NEWS_TEXT, "全体党员参加学习讨论，交流心得体会。", 1), encoding="utf-8")
    return f"one branch's YAML ({path.name}: a news item's text)"


def edit_roster(org: Path) -> str:
    path = sorted((org / "branches").glob("*-members.csv"))[0]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("工作岗位")] = "党务工作者"   # the first member's position: in the handbook's roster
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return f"one roster ({path.name}: a member's position)"


def measure_incremental(code: Path, branches: int, work: Path) -> Incremental:
    org = make_org(code, branches, work / f"incremental-{branches}")
    result = Incremental(branches)
    note(f"incremental, {branches} branches: full build with PDFs")
    result.runs["full build (`--force`)"] = branchbook(code, org, "build", "--force", "--verbose")
    note("incremental: rebuild with nothing changed")
    result.runs["nothing"] = branchbook(code, org, "build", "--verbose")
    for edit in (edit_branch, edit_roster):
        what = edit(org)
        note(f"incremental: rebuild after editing {what}")
        result.runs[what] = branchbook(code, org, "build", "--verbose")
    return result


# ---- the report ------------------------------------------------------------------------------------------

def mb(size: float) -> str:
    return f"{size / 1e6:.2f} MB"


def share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if git("status", "--porcelain") else "")


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", info, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
    ram = f"{int(memory[1]) / 1024 ** 2:.1f} GB RAM" if memory else "RAM unknown"
    return f"{os.cpu_count()} CPUs (`nproc`), {model[1] if model else 'unknown CPU'}, {ram}"


def header(argv: list[str], commit: str, minutes: float) -> list[str]:
    command = shlex.join([".venv/bin/python", "bench/report.py", *argv])
    return ["# Speed and scale: benchmark report", "",
            f"Written by `bench/report.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; the run took "
            f"{minutes:.1f} min.", "",
            "| | |", "|---|---|",
            f"| Machine | {machine()} |",
            f"| Code | {commit} (a copy of the working tree taken at the start) |",
            f"| Reproduce | `{command}` (from the repository's root, on an idle machine) |",
            f"| Build date | `SOURCE_DATE_EPOCH={EPOCH}` for every command |", "",
            "CPU is user + system time of the command and of every process it waited for (`os.wait4`); peak RSS "
            "is that of its largest process. Each command ran alone, in a child process; the 1-minute load "
            "average is given before → after it. On a shared machine wall time follows the load: compare CPU.", ""]


def target_rows(sizes: list[Size], printing: Printing | None, incremental: Incremental | None) -> list[tuple]:
    """(target, measured, met) for every target that was measured."""
    rows: list[tuple] = []
    mid, big = sizes[-2], sizes[-1]
    bound = 1.1 * big.n / mid.n
    cpu, size = big.build.cpu / mid.build.cpu, big.site_bytes / mid.site_bytes
    rows.append((f"site build CPU, N = {big.n} / N = {mid.n} ≤ {bound:.1f}×", f"{cpu:.1f}×", cpu <= bound))
    rows.append((f"site size, N = {big.n} / N = {mid.n} ≤ {bound:.1f}×", f"{size:.1f}×", size <= bound))
    index = sum(big.search.values())
    rows.append((f"search index at N = {big.n} ≤ 5 MB, stored once",
                 f"{mb(index)} in {len(big.search)} file(s)", index <= 5e6 and len(big.search) == 1))
    own = big.own_cpu / big.build.cpu
    rows.append((f"generator's own work (all but MkDocs) ≤ 50 % of the site build at N = {big.n}",
                 f"{100 * own:.1f} %", own <= 0.5))
    check = big.check.cpu / big.build.cpu
    rows.append((f"`check` CPU ≤ 10 % of the site build at N = {big.n}", f"{100 * check:.1f} %", check <= 0.1))
    if printing:
        gain = printing.naive["wall"] / printing.ours["wall"]
        rows.append(("print throughput (wall, 2 workers) ≥ 4× the naive baseline", f"{gain:.2f}×", gain >= 4))
        worker = max(printing.ours["worker_rss_mb"], (printing.growth or {}).get("ours", {}).get("worker_rss_mb", 0))
        rows.append(("peak RSS per print worker < 500 MB", f"{worker:.0f} MB", worker < 500))
    if incremental:
        full, *rebuilds = incremental.runs.items()
        for (what, run), bound_ in zip(rebuilds, (0.02, 0.05, 0.05)):
            ratio = run.cpu / full[1].cpu
            rows.append((f"rebuild after changing {what} ≤ {100 * bound_:.0f} % of a full build with PDFs",
                         f"{100 * ratio:.1f} %", ratio <= bound_))
    return rows


def targets_section(rows: list[tuple], sizes: list[Size]) -> list[str]:
    lines = ["## Targets", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {target} | {measured} | {'met' if met else '**not met**'} |" for target, measured, met in rows]
    if (sizes[-2].n, sizes[-1].n) != (100, 1000):
        lines += ["", f"The targets are set for N = 1,000 against N = 100; this run compared N = {sizes[-1].n} "
                      f"with N = {sizes[-2].n} (bound: 1.1 × the ratio of branches)."]
    missed = [target for target, _, met in rows if not met]
    if missed:
        lines += ["", "## What dominates, what was tried", "",
                  "Targets not met in this run (the profile of each goes here):", ""]
        lines += [f"- {target}" for target in missed]
    return lines + [""]


def site_table(sizes: list[Size]) -> list[str]:
    lines = ["## Site: `build --no-pdf --force --verbose`", "",
             "| N | members | HTML pages | wall | CPU | peak RSS | pages/s (wall) | site size | search index | load |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for s in sizes:
        index = " + ".join(f"{mb(b)} (`{name}`)" for name, b in s.search.items()) or "none"
        lines.append(f"| {s.n:,} | {s.members:,} | {s.pages:,} | {s.build.wall:.1f} s | {s.build.cpu:.1f} s | "
                     f"{s.build.rss_mb:.0f} MB | {s.pages / s.build.wall:.1f} | {mb(s.site_bytes)} | {index} | "
                     f"{s.build.load} |")
    return lines + [""]


def stage_table(sizes: list[Size]) -> list[str]:
    lines = ["CPU (wall) of each stage, from the build's verbose lines:", "",
             "| stage | " + " | ".join(f"N = {s.n:,}" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for name, label in STAGES.items():
        if any(name in s.stages for s in sizes):
            cells = [f"{s.stages[name][1]:.1f} s ({s.stages[name][0]:.1f} s)" if name in s.stages else "—"
                     for s in sizes]
            lines.append(f"| {label} ({name}) | " + " | ".join(cells) + " |")
    rest = [s.build.cpu - sum(cpu for _, cpu in s.stages.values()) for s in sizes]
    lines.append("| start-up, imports, the rest | " + " | ".join(f"{r:.1f} s" for r in rest) + " |")
    lines.append("| **total** | " + " | ".join(f"**{s.build.cpu:.1f} s** ({s.build.wall:.1f} s)" for s in sizes) + " |")
    lines.append("| generator's own share (all but MkDocs) | "
                 + " | ".join(share(s.own_cpu, s.build.cpu) for s in sizes) + " |")
    return lines + [""]


def charts_table(sizes: list[Size]) -> list[str]:
    kinds = sorted({kind for s in sizes for kind in s.charts})
    lines = ["Charts and diagrams are drawn while the pages are rendered (生成页面), interleaved with the templates, "
             "so they are not a stage of their own: a separate child process drew all of them once more with "
             "the same inputs (CPU time of the drawing calls only):", "",
             "| charts | " + " | ".join(f"N = {s.n:,}" for s in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for kind in kinds:
        lines.append(f"| {kind} | " + " | ".join(f"{1000 * s.charts.get(kind, 0.0):.0f} ms" for s in sizes) + " |")
    totals = [sum(s.charts.values()) for s in sizes]
    lines.append("| **total** | " + " | ".join(f"**{1000 * t:.0f} ms**" for t in totals) + " |")
    lines.append("| share of the build's CPU | "
                 + " | ".join(share(t, s.build.cpu) for t, s in zip(totals, sizes)) + " |")
    return lines + [""]


def check_table(sizes: list[Size]) -> list[str]:
    mid, big = sizes[-2], sizes[-1]
    lines = ["`check` right after each build:", "",
             "| N | check CPU | check wall | check peak RSS | build CPU | check / build (CPU) | load |",
             "|---:|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {s.n:,} | {s.check.cpu:.1f} s | {s.check.wall:.1f} s | {s.check.rss_mb:.0f} MB | "
              f"{s.build.cpu:.1f} s | {share(s.check.cpu, s.build.cpu)} | {s.check.load} |" for s in sizes]
    lines += ["", f"Ratios N = {big.n:,} / N = {mid.n:,} ({big.n / mid.n:.1f}× the branches): "
                  f"CPU {big.build.cpu / mid.build.cpu:.1f}×, wall {big.build.wall / mid.build.wall:.1f}×, "
                  f"site size {big.site_bytes / mid.site_bytes:.1f}×, "
                  f"search index {sum(big.search.values()) / max(1, sum(mid.search.values())):.1f}×, "
                  f"peak RSS {big.build.rss_mb / mid.build.rss_mb:.1f}×.", ""]
    return lines


def print_section(p: Printing) -> list[str]:
    lines = [f"## Print sets: {p.branches} branches, naive baseline against ours (2 workers)", "",
             "Naive: one plain WeasyPrint render and `write_pdf` of each branch's handbook and five-box HTML, one "
             "after the other in one process. Ours: `generator.pdf.print_sets.print_handbooks` with 2 workers. "
             f"From `bench/print_throughput.py`; load {p.load}.", "",
             "| | pages | wall | CPU | pages/s (wall) | pages per CPU-second | peak RSS | peak RSS per worker |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    runs = [("naive", p.naive), ("ours", p.ours)]
    if p.growth:
        runs.append((f"ours, {2 * p.branches} branches", p.growth["ours"]))
    for name, r in runs:
        worker = f"{r['worker_rss_mb']:.0f} MB" if name != "naive" else "— (no workers)"
        lines.append(f"| {name} | {r['pages']:.0f} | {r['wall']:.1f} s | {r['cpu']:.1f} s | {r['pages'] / r['wall']:.1f} | "
                     f"{r['pages'] / r['cpu']:.1f} | {r['rss_mb']:.0f} MB | {worker} |")
    lines += ["", f"Ours / naive: {p.naive['wall'] / p.ours['wall']:.2f}× the throughput in wall time, "
                  f"{(p.ours['pages'] / p.ours['cpu']) / (p.naive['pages'] / p.naive['cpu']):.2f}× the pages per "
                  "CPU-second."]
    if p.growth:
        grown = p.growth["ours"]["worker_rss_mb"] / p.ours["worker_rss_mb"] if p.ours["worker_rss_mb"] else 0
        lines += ["", f"A worker's peak memory with twice the tasks ({2 * p.branches} branches, "
                      f"{p.branches} per worker): {grown:.2f}× its peak with {p.branches} branches; it does not grow "
                      "with the number of tasks."
                      if grown <= 1.1 else f"with {2 * p.branches} branches: {grown:.2f}× the worker peak at "
                                           f"{p.branches} — it grows with the number of tasks."]
    return lines + [""]


def build_summary(run: Run) -> str:
    """What a build says it redid and reused (its cache line and its result line, without the path)."""
    lines = run.err.splitlines() + run.out.splitlines()
    cache = [line.split("：", 1)[1] for line in lines if "要重新生成" in line]
    result = [line.rsplit("：", 1)[0] for line in lines if line.startswith("已生成")]
    return "；".join(cache + result)


def incremental_section(inc: Incremental) -> list[str]:
    (_, full), *_ = inc.runs.items()
    lines = [f"## Incremental builds: {inc.branches} branches with PDFs", "",
             "A full `build --force --verbose`, then `build --verbose` after each change (cumulative).", "",
             "| changed | wall | CPU | CPU / full build | what the build says | load |", "|---|---:|---:|---:|---|---|"]
    for what, run in inc.runs.items():
        said = build_summary(run)
        lines.append(f"| {what} | {run.wall:.1f} s | {run.cpu:.1f} s | {share(run.cpu, full.cpu)} | {said} | "
                     f"{run.load} |")
    return lines + [""]


def readme_figure(p: Printing, inc: Incremental | None) -> list[str]:
    per_branch = p.ours["cpu"] / p.branches
    lines = ["## For the README", "",
             f"One branch's print set (handbook and five-box set) costs **{per_branch:.1f} CPU seconds** with our "
             f"print path (naive: {p.naive['cpu'] / p.branches:.1f} s); {PROVINCE:,} branches would take "
             f"**{PROVINCE * per_branch / 3600:.0f} core-hours** (naive: {PROVINCE * p.naive['cpu'] / p.branches / 3600:.0f})."]
    if inc:
        (_, full), *_ = inc.runs.items()
        lines += ["", f"Cross-check: the full build with PDFs of {inc.branches} branches took {full.cpu:.0f} CPU s, "
                      f"{full.cpu / inc.branches:.1f} s per branch with the site and the results and notice PDFs."]
    return lines + [""]


def write_report(argv: list[str], commit: str, out: Path, sizes: list[Size], printing: Printing | None,
                 incremental: Incremental | None) -> None:
    lines = header(argv, commit, (time.perf_counter() - STARTED) / 60)
    lines += targets_section(target_rows(sizes, printing, incremental), sizes)
    lines += site_table(sizes) + stage_table(sizes) + charts_table(sizes) + check_table(sizes)
    if printing:
        lines += print_section(printing)
    if incremental:
        lines += incremental_section(incremental)
    if printing:
        lines += readme_figure(printing, incremental)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--charts-child":
        charts_child(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[13, 100, 1000], help="branches of each site build")
    parser.add_argument("--print-branches", type=int, default=8, help="branches for print throughput (0: skip)")
    parser.add_argument("--no-growth", action="store_true", help="skip ours on twice the print branches")
    parser.add_argument("--incremental-branches", type=int, default=100, help="branches for incremental (0: skip)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "REPORT.md")
    parser.add_argument("--work", type=Path, help="keep the organizations here (default: a temporary folder)")
    args = parser.parse_args()
    if len(args.sizes) < 2:
        parser.error("--sizes needs at least two sizes (the ratios compare the last two)")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        commit = git_commit()
        code = snapshot(work / "checkout")
        sizes = [measure_size(code, n, work) for n in sorted(args.sizes)]
        printing = measure_print(code, args.print_branches, work, not args.no_growth) if args.print_branches else None
        incremental = measure_incremental(code, args.incremental_branches, work) if args.incremental_branches else None
    write_report(sys.argv[1:], commit, args.out, sizes, printing, incremental)
    note(f"wrote {args.out}")


if __name__ == "__main__":
    main()
