"""Builds on a real Dask cluster whose processes run as another Unix user, as remote machines would.

The scheduler and workers are started with Dask's own ``dask scheduler`` and ``dask worker`` commands
(see foreign_cluster.py and docs/scaling.md); they cannot read the site folder or the build state.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import article, copy_site, in_thread, output_files
from foreign_cluster import Cluster, Runtime, group_members, running_cluster, worker_runtime

import generator.build
import generator.store.images
from generator.build import build
from generator.commands.cli import main

distributed = pytest.importorskip("distributed")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Mismatched versions found")]


@pytest.fixture(scope="module")
def runtime() -> Iterator[Runtime]:
    with worker_runtime() as made:
        yield made


@pytest.fixture(scope="module")
def cluster(runtime: Runtime) -> Iterator[Cluster]:
    with running_cluster(runtime, "shared") as running:
        yield running


@pytest.fixture
def client(cluster: Cluster):
    """A client of *cluster* once both workers are up (a test before may have killed one)."""
    with distributed.Client(f"tcp://{cluster.address}", timeout=60) as connected:
        connected.wait_for_workers(2, timeout=120)
        yield connected


def _by_value(job: Callable) -> Callable:
    """*job*, sent to the workers by value: they cannot import the tests (Dask pickles what comes from
    ``__main__`` whole)."""
    job.__module__ = "__main__"
    return job


def _local_output(site: Path, tmp_path: Path) -> dict[str, bytes]:
    reference = copy_site(site, tmp_path / "reference")
    report = build(reference, jobs=2)
    assert not report.diagnostics and not report.errors
    return output_files(reference / "public")


def test_the_sample_built_on_workers_that_cannot_read_the_site_is_the_local_build(make_site, tmp_path, client):
    site = make_site("sample")
    expected = _local_output(site, tmp_path)
    address = client.scheduler.address.removeprefix("tcp://")
    assert set(client.run(os.path.exists, str(site / "site.toml")).values()) == {False}
    report = build(site, executor=f"dask://{address}")
    assert not report.diagnostics and not report.errors
    assert any(name.startswith("media/") for name in expected)  # images were made on the workers
    assert output_files(site / "public") == expected
    assert not any(client.run(os.path.exists, str(site / ".backissue")).values())


def _rendering(site: Path) -> bool:
    """Whether a build of *site* has staged article pages yet."""
    return any(path.is_dir() and any(path.glob("2024/05/*/index.html")) for path in site.glob(".public.staging*"))


def test_a_worker_killed_mid_render_is_replaced_and_the_output_is_the_local_build(write_site, tmp_path, client):
    site = _many_articles(write_site)
    expected = _local_output(site, tmp_path)
    pids = client.run(os.getpid)
    address = client.scheduler.address.removeprefix("tcp://")
    killed: dict[str, object] = {}

    builder, outcome = in_thread(lambda: build(site, executor=f"dask://{address}"))
    while builder.is_alive() and not killed:  # kill a worker holding tasks once pages are being rendered
        busy = [worker for worker, tasks in client.processing().items() if tasks and _rendering(site)]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.update(worker=busy[0], build_running=builder.is_alive())
        time.sleep(0.005)
    builder.join()
    assert killed.get("build_running"), f"no worker was killed mid-render: {killed}"
    report, victim_address = outcome["value"], killed["worker"]
    assert not report.diagnostics and not report.errors
    removals = [m for _t, m in client.get_events(victim_address) if m.get("action") == "remove-worker"]
    assert [bool(m["processing-tasks"]) for m in removals] == [True], removals  # another worker ran them
    victim = pids[victim_address]
    assert victim not in client.run(os.getpid).values()
    assert output_files(site / "public") == expected


@_by_value
def _kills_its_worker(job, data):
    """An image job that kills the worker running it, each time (as a decoder crash or the OOM killer would)."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_an_image_whose_task_kills_every_worker_stops_the_build_naming_the_image(
    make_site, client, monkeypatch, capsys
):
    site = make_site("sample")
    address = client.scheduler.address.removeprefix("tcp://")
    monkeypatch.setattr(generator.store.images, "run_image_job", _kills_its_worker)
    status = main(["build", "--site", str(site), "--quiet", "--executor", f"dask://{address}"])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    [error] = [line for line in err.replace("\n ", " ").splitlines() if line.startswith("error:")]
    assert error.startswith("error: content/") and "image '" in error
    assert error.endswith(" not made: every worker that ran it died (4 tries); the build stopped and the previous "
                          "output was kept")  # fmt: skip
    assert not (site / "public").exists()


@_by_value
def _unsendable(setup, batch):
    """A render job whose result cannot be pickled."""
    return [threading.Lock() for _ in batch.pages]


def test_a_result_that_cannot_travel_back_fails_its_pages_instead_of_hanging(write_site, client, monkeypatch):
    site = write_site({"content/one.md": article("One"), "content/two.md": article("Two")})
    address = client.scheduler.address.removeprefix("tcp://")
    monkeypatch.setattr(generator.build, "render_batch", _unsendable)
    report = build(site, executor=f"dask://{address}")
    assert report.errors and {error.message.split(": ", 1)[1] for error in report.errors} == {
        "TaskLost: what it returned could not be sent back (TypeError: cannot pickle '_thread.lock' object)"
    }
    assert {error.path for error in report.errors} >= {"content/one.md", "content/two.md"}


def test_workers_that_cannot_import_backissue_stop_the_build_with_one_message(runtime, make_site, capsys):
    site = make_site("sample")
    with running_cluster(runtime, "broken", worker_path=str(runtime.packages)) as broken:
        with distributed.Client(f"tcp://{broken.address}", timeout=60) as watcher:
            watcher.wait_for_workers(2, timeout=120)  # both there before the build, so it meets them before work
        command = ["build", "--site", str(site), "--quiet", "--executor", f"dask://{broken.address}"]
        status = main([*command, "--cluster-timeout", "120"])
    err = capsys.readouterr().err.replace("\n", " ")
    assert status == 1 and "Traceback" not in err
    [error] = err.split("error: ")[1:]
    assert error.startswith("the Dask worker tcp://127.0.0.1:") and "cannot run backissue" in error
    assert "(it cannot import backissue: " in error
    assert "install the same backissue on the scheduler and on every worker" in err
    assert not (site / "public").exists()


def test_a_cluster_is_stopped_with_all_its_processes_even_when_the_test_fails(runtime):
    with pytest.raises(RuntimeError, match="a failing test"), running_cluster(runtime, "leak", workers=1) as started:
        groups = {process.pid for process in started.processes}
        assert group_members(groups)
        raise RuntimeError("a failing test")
    assert group_members(groups) == []
    assert all(process.poll() is not None for process in started.processes)


@_by_value
def _reads_the_site(setup, batch):
    """A render job that reads the build state, as a job that expected shared storage would."""
    return [Path(setup.compiled_templates).joinpath("x").read_bytes() for _ in batch.pages]


def test_a_job_that_cannot_read_the_site_fails_its_pages_naming_them(write_site, client, monkeypatch, capsys):
    site = write_site({"content/one.md": article("One", date="2024-01-02")})
    address = client.scheduler.address.removeprefix("tcp://")
    monkeypatch.setattr(generator.build, "render_batch", _reads_the_site)
    status = main(["build", "--site", str(site), "--quiet", "--executor", f"dask://{address}"])
    err = capsys.readouterr().err.replace("\n", " ")
    assert status == 1 and "Traceback" not in err
    assert "error: content/one.md: page 2024/01/one/index.html not made (its previous version, if any, is kept): " \
           "PermissionError: [Errno 13] Permission denied" in err  # fmt: skip


def _many_articles(write_site) -> Path:
    files = {f"content/a{n:04}.md": article(f"Story {n}", "Words. " * 400, date="2024-05-06") for n in range(1500)}
    return write_site({"site.toml": 'title = "T"\n', **files})


def test_a_scheduler_lost_mid_build_stops_it_with_one_message(runtime, write_site, capsys):
    site = _many_articles(write_site)
    with running_cluster(runtime, "lost", workers=1) as lost:
        scheduler = lost.processes[0]
        command = ["build", "--site", str(site), "--quiet", "--executor", f"dask://{lost.address}"]
        builder, outcome = in_thread(lambda: main([*command, "--cluster-timeout", "10"]))
        while builder.is_alive() and not _rendering(site):
            time.sleep(0.005)
        os.killpg(scheduler.pid, signal.SIGKILL)
        builder.join()
        status = outcome["value"]
    err = capsys.readouterr().err
    assert status == 1 and scheduler.poll() is not None
    [error] = [line for line in err.splitlines() if line.startswith("error:")]
    assert (
        error == f"error: lost the Dask scheduler at {lost.address}; the build stopped and the previous output was kept"
    )
    assert not (site / "public").exists()
