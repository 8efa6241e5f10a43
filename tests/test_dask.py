"""Print sets on a Dask distributed cluster give the same bytes as the local worker pool.

A `LocalCluster` of two worker processes prints two print sets (the small
fixture's smaller branch, twice under two ids, so that both workers take one),
and so does the local pool; the PDFs must be byte for byte the same (the Dask
workers write the theme that comes with the tasks into a folder of their own,
and check that they run the same program with the same fonts), and both send
WeasyPrint's warnings back to our logger. The cluster
tests are skipped only where the `cluster` extra (dask[distributed]) is missing;
the others check the Chinese errors and the choice of scheduler without a cluster.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.errors import UserError
from generator.models.organization import BuildSettings
from generator.pdf import executors
from generator.pdf.executors import CLUSTER_EXTRA, chosen_scheduler, program_fingerprint, render_on_worker
from generator.pdf.print_sets import HandbookFailed, HandbookJob, print_handbooks
from tests.support import copy_small

EPOCH = "1767225600"
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the cluster extra (dask[distributed]) is not installed")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[HandbookJob]]:
    root = copy_small(tmp_path_factory.mktemp("dask") / "org")
    return root, pipeline.handbook_jobs(pipeline.load_project(root))


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as local_cluster:
        yield local_cluster


@needs_dask
@pytest.mark.allow_warnings("WeasyPrint 报告")
def test_the_cluster_prints_the_same_bytes_and_warnings_as_the_local_pool(small, cluster, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          caplog: pytest.LogCaptureFixture):
    """Both run in worker processes, so WeasyPrint's warnings (here: a property the theme misspells, which
    changes nothing printed) must come back with the results to reach our logger in Chinese."""
    root, jobs = small
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    theme = _warning_theme(root, tmp_path)
    qingshan = next(job for job in jobs if job.branch_id == "qingshan")
    twice = [qingshan, HandbookJob("zz-copy", qingshan.context)]
    printed_by = {}
    for where, scheduler in (("local", None), ("dask", cluster.scheduler_address)):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="branchbook"):
            printed_by[where] = print_handbooks(twice, tmp_path / where, theme, workers=2, show_progress=False,
                                                scheduler=scheduler)
        ours = [record.getMessage() for record in caplog.records if record.name == "branchbook"]
        assert any(m.startswith("排版 PDF 时 WeasyPrint 报告（原文）：") and "bb-no-such-property" in m for m in ours), \
            (where, ours)
        assert all(any("bb-no-such-property" in m for m in s.warnings) for s in printed_by[where]), where
    local, remote = printed_by["local"], printed_by["dask"]
    assert [s.branch_id for s in remote] == [s.branch_id for s in local] == ["qingshan", "zz-copy"]
    handbook, boxes = local[0].handbook.read_bytes(), local[0].boxes.read_bytes()
    for printed in (*local, *remote):
        assert printed.handbook.read_bytes() == handbook and printed.boxes.read_bytes() == boxes, printed.handbook
    assert handbook.startswith(b"%PDF") and len(handbook) > 100_000
    assert not list((tmp_path / "dask").glob(".*")), "no staged files left behind"


@needs_dask
def test_a_failing_task_names_its_branch_and_leaves_nothing(small, cluster, tmp_path: Path):
    root, jobs = small
    broken = HandbookJob("qingshan", {**jobs[1].context, "forms": None})
    with pytest.raises(HandbookFailed, match="「qingshan」"):
        print_handbooks([broken], tmp_path, root / "theme" / "print", show_progress=False,
                        scheduler=cluster.scheduler_address)
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.glob(".*"))


def _warning_theme(root: Path, tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(root / "theme" / "print", theme)
    with (theme / "handbook.css").open("a", encoding="utf-8") as css:
        css.write("\np { bb-no-such-property: 1 }\n")           # WeasyPrint: "Ignored … unknown property"
    return theme


def test_without_the_extra_the_scheduler_option_says_what_to_install(small, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    root, jobs = small
    monkeypatch.setitem(sys.modules, "distributed", None)          # import distributed → ImportError
    with pytest.raises(UserError, match="branchbook\\[cluster\\]") as raised:
        print_handbooks(jobs[:1], tmp_path, root / "theme" / "print", show_progress=False,
                        scheduler="tcp://127.0.0.1:8786")
    assert CLUSTER_EXTRA in str(raised.value) and "Dask" in str(raised.value)


def test_a_bad_scheduler_address_is_a_chinese_error_on_the_command_line_and_in_the_config():
    result = CliRunner().invoke(main, ["build", "--scheduler", "http://集群 主机"])
    assert result.exit_code == 2
    assert "不是 Dask 调度器的地址" in result.output and "tcp://" in result.output and "Traceback" not in result.output
    with pytest.raises(ValueError, match="不是 Dask 调度器的地址"):
        BuildSettings(scheduler="ftp://10.0.0.1/dask")
    assert BuildSettings(scheduler="tcp://10.0.0.1:8786").scheduler == "tcp://10.0.0.1:8786"


def test_the_command_line_overrides_the_configured_scheduler():
    assert chosen_scheduler(None, "tcp://10.0.0.1:8786") == "tcp://10.0.0.1:8786"
    assert chosen_scheduler("tcp://10.0.0.2:8786", "tcp://10.0.0.1:8786") == "tcp://10.0.0.2:8786"
    assert chosen_scheduler("local", "tcp://10.0.0.1:8786") is None
    assert chosen_scheduler(None, None) is None


def test_a_worker_with_another_program_refuses_the_task(small):
    _, jobs = small
    shared, tasks = executors.split_jobs(jobs[:1])
    other = (program_fingerprint()[0], program_fingerprint()[1], "0" * 16)
    with pytest.raises(RuntimeError, match="branchbook 或 WeasyPrint 与发起生成的机器不同"):
        render_on_worker(tasks[0], shared, executors.ThemeFiles(()), EPOCH, other, executors.font_fingerprint())
