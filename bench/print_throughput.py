"""Measure print-set throughput: a naive WeasyPrint render against branchbook's print path, side by side.

    python bench/print_throughput.py [N] [--workers 2] [--org DIR] [--rounds 1] [--only MODE] [--json FILE] [--phases K]

Writes a synthetic organization of N branches (default 8) with ``bench/make_org.py``
(or uses ``--org DIR``), builds every branch's print context once, and then, each
in a fresh child process, one after the other:

- **naive** — the baseline: for each branch, one plain WeasyPrint
  ``HTML(string=...).render()`` + ``write_pdf()`` of its handbook HTML
  (``generator.pdf.handbook.handbook_html``: the whole book as one document) and
  one of its five-box HTML, sequentially, in one process;
- **ours** — ``generator.pdf.print_sets.print_handbooks(jobs, ..., workers=W)``:
  the local pool of W worker processes, form pages laid out once (`generator.pdf.layers`).

For each it prints pages (handbooks and five-box sets), wall time, CPU time (user +
sys of the child and of its worker processes), pages per second of wall time and
per CPU-second, and the peak resident memory of the process and of its largest
worker (``getrusage``'s maxrss; workers are started fresh, so this is their own
memory). Then the ratios ours / naive, and the CPU per branch with what 20,000
branches would cost in core-hours. ``--rounds R`` repeats both R times, alternating,
and reports the medians; on a machine shared with other work compare the CPU
figures, since wall time follows the load (the load average is printed).
``--only naive`` or ``--only ours`` runs one of them (no ratios), ``--json FILE``
also writes the medians there (``bench/report.py`` reads them).

``--phases K`` instead times WeasyPrint's phases (CSS cascade, box building,
layout, drawing, font subsetting, the rest of writing the PDF) for the first K
branches in one process, naive and ours, to show where the time goes.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

EPOCH = "1767225600"
PROVINCE = 20_000


def _jobs(root: Path) -> list:
    """Every branch's print job, as the build makes them (internal results view, shared content once)."""
    from generator.compute.scoring import compute_results, results_view
    from generator.pdf.context import print_context, shared_content
    from generator.pdf.print_sets import HandbookJob
    from generator.validate.project import validate_project
    from generator.load.project import load_sources

    project = validate_project(load_sources(root))
    shared = shared_content(project)
    results = results_view(compute_results(project), "internal")
    return [HandbookJob(branch.id, print_context(project, branch, shared, "2026年12月31日", results))
            for branch in project.branches]


def _usage() -> dict:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            "rss_mb": own.ru_maxrss / 1024, "worker_rss_mb": children.ru_maxrss / 1024}


def _pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader          # the test extra
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))
    return len(PdfReader(path).pages)


def _child_naive(jobs: list, theme_dir: Path, _workers: int) -> dict:
    from weasyprint import HTML

    from generator.pdf.boxes import render_boxes_html
    from generator.pdf.handbook import handbook_html

    base_url = theme_dir.resolve().as_uri() + "/"
    pages = 0
    start = time.perf_counter()
    for job in jobs:
        book = HTML(string=handbook_html(job.context, EPOCH), base_url=base_url).render()
        book.write_pdf()
        boxes = HTML(string=render_boxes_html(job.context, len(book.pages), EPOCH), base_url=base_url).render()
        boxes.write_pdf()
        pages += len(book.pages) + len(boxes.pages)
    return {"wall": time.perf_counter() - start, "pages": pages} | _usage()


def _child_ours(jobs: list, theme_dir: Path, workers: int) -> dict:
    from generator.pdf.print_sets import print_handbooks

    with tempfile.TemporaryDirectory(prefix="bench-print-") as out:
        start = time.perf_counter()
        sets = print_handbooks(jobs, Path(out), theme_dir, workers=workers, show_progress=False)
        wall = time.perf_counter() - start
        usage = _usage()                     # before counting the pages, which is not part of printing
        pages = sum(_pdf_pages(s.handbook) + _pdf_pages(s.boxes) for s in sets)
    return {"wall": wall, "pages": pages} | usage


CHILDREN = {"naive": _child_naive, "ours": _child_ours}


def _run_child(mode: str, jobs_file: Path, theme_dir: Path, workers: int) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    result = subprocess.run([sys.executable, __file__, "--child", mode, str(jobs_file), str(theme_dir), str(workers)],
                            capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        sys.exit(f"{mode} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- phases ----------------------------------------------------------------------------------------------

def _phase_timers() -> dict:
    """Wrap WeasyPrint's phases with CPU timers (only the outermost call of a phase counts)."""
    import weasyprint.document as document
    import weasyprint.pdf as pdf

    totals: dict[str, float] = {}
    active: set[str] = set()

    def wrap(owner, name: str, phase: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if phase in active:
                return original(*args, **kwargs)
            active.add(phase)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                totals[phase] = totals.get(phase, 0.0) + time.process_time() - start
                active.discard(phase)
        setattr(owner, name, timed)

    wrap(document, "get_all_computed_styles", "cascade")
    wrap(document, "build_formatting_structure", "boxes")
    wrap(document.Document, "_render", "render")
    wrap(document.Page, "paint", "draw")
    wrap(pdf, "build_fonts_dictionary", "fonts")
    wrap(document.Document, "write_pdf", "write")
    return totals


def _phases(jobs: list, theme_dir: Path) -> None:
    totals = _phase_timers()
    from weasyprint import HTML

    from generator.pdf.boxes import render_boxes_html
    from generator.pdf.executors import render_print_set, split_jobs
    from generator.pdf.handbook import handbook_html

    base_url = theme_dir.resolve().as_uri() + "/"
    HTML(string="<p>warm-up</p>").render()

    def naive() -> None:
        for job in jobs:
            book = HTML(string=handbook_html(job.context, EPOCH), base_url=base_url).render()
            book.write_pdf()
            HTML(string=render_boxes_html(job.context, len(book.pages), EPOCH), base_url=base_url).render().write_pdf()

    def ours() -> None:
        shared, tasks = split_jobs(jobs)
        for task in tasks:
            render_print_set(task, shared, theme_dir, EPOCH)

    print(f"CPU seconds by phase, {len(jobs)} branches, one process:")
    print(f"{'':8}{'total':>8}{'cascade':>10}{'boxes':>8}{'layout':>8}{'draw':>8}{'fonts':>8}{'pdf rest':>10}{'other':>8}")
    for name, run in (("naive", naive), ("ours", ours)):
        totals.clear()
        start = time.process_time()
        run()
        total = time.process_time() - start
        t = {key: totals.get(key, 0.0) for key in ("cascade", "boxes", "render", "draw", "fonts", "write")}
        row = {"cascade": t["cascade"], "boxes": t["boxes"], "layout": t["render"] - t["cascade"] - t["boxes"],
               "draw": t["draw"], "fonts": t["fonts"], "pdf rest": t["write"] - t["draw"] - t["fonts"],
               "other": total - t["render"] - t["write"]}
        cells = "".join(f"{value:>7.1f}s" if key != "pdf rest" else f"{value:>9.1f}s" for key, value in row.items())
        shares = "".join(f"{100 * value / total:>7.0f}%" if key != "pdf rest" else f"{100 * value / total:>9.0f}%"
                         for key, value in row.items())
        print(f"{name:8}{total:>7.1f}s{cells}")
        print(f"{'':8}{'':>8}{shares}")


# ---- main ------------------------------------------------------------------------------------------------

def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def _medians(results: dict[str, list[dict]]) -> dict[str, dict]:
    return {mode: {key: statistics.median(r[key] for r in runs) for key in runs[0]} for mode, runs in results.items()}


def _report(results: dict[str, list[dict]], branches: int, workers: int) -> None:
    median = _medians(results)
    print(f"\n{'':7}{'pages':>7}{'wall':>9}{'CPU':>9}{'pages/s':>9}{'pages/CPU-s':>13}{'peak RSS':>10}{'worker RSS':>12}")
    for mode, r in median.items():
        worker = f"{r['worker_rss_mb']:>9.0f} MB" if r["worker_rss_mb"] else f"{'—':>12}"
        print(f"{mode:7}{r['pages']:>7.0f}{r['wall']:>8.1f}s{r['cpu']:>8.1f}s{r['pages'] / r['wall']:>9.1f}"
              f"{r['pages'] / r['cpu']:>13.1f}{r['rss_mb']:>7.0f} MB{worker}")
    if len(median) < 2:
        return
    naive, ours = median["naive"], median["ours"]
    if naive["pages"] != ours["pages"]:
        print(f"warning: page counts differ (naive {naive['pages']:.0f}, ours {ours['pages']:.0f})")
    print(f"\nthroughput ours / naive: {naive['wall'] / ours['wall']:.2f}× (wall, {workers} workers), "
          f"{naive['cpu'] / ours['cpu']:.2f}× (pages per CPU-second)")
    per_branch = ours["cpu"] / branches
    print(f"CPU per branch: ours {per_branch:.1f} s, naive {naive['cpu'] / branches:.1f} s; "
          f"{PROVINCE:,} branches ≈ {PROVINCE * per_branch / 3600:.0f} core-hours (naive "
          f"{PROVINCE * naive['cpu'] / branches / 3600:.0f})")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, jobs_file, theme_dir, workers = sys.argv[2:6]
        jobs = pickle.loads(Path(jobs_file).read_bytes())
        result = CHILDREN[mode](jobs, Path(theme_dir), int(workers))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("branches", type=int, nargs="?", default=8, help="branches of the synthetic organization")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--org", type=Path, help="an existing organization instead of a synthetic one")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each, alternating; medians are reported")
    parser.add_argument("--only", choices=sorted(CHILDREN), help="run one of the two only")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the medians to FILE as JSON")
    parser.add_argument("--phases", type=int, metavar="K", help="time WeasyPrint's phases for the first K branches")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as work:
        root = args.org
        if root is None:
            root = Path(work) / "org"
            subprocess.run([sys.executable, str(REPO / "bench" / "make_org.py"), str(args.branches), str(root)],
                           check=True, stdout=subprocess.DEVNULL)
        jobs = _jobs(root)
        theme_dir = root / "theme" / "print"
        if args.phases:
            _phases(jobs[:args.phases], theme_dir)
            return
        jobs_file = Path(work) / "jobs.pickle"
        jobs_file.write_bytes(pickle.dumps(jobs))
        print(f"{len(jobs)} branches from {root}; {args.workers} workers; {os.cpu_count()} CPUs; load {_load()}")
        modes = (args.only,) if args.only else ("naive", "ours")
        results: dict[str, list[dict]] = {mode: [] for mode in modes}
        for round_ in range(args.rounds):
            for mode in (modes[::-1] if round_ % 2 else modes):
                results[mode].append(_run_child(mode, jobs_file, theme_dir, args.workers))
                r = results[mode][-1]
                print(f"  {mode}: {r['pages']} pages, wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s (load {_load()})")
        _report(results, len(jobs), args.workers)
        if args.json:
            args.json.write_text(json.dumps({"branches": len(jobs), "workers": args.workers} | _medians(results)))


if __name__ == "__main__":
    main()
