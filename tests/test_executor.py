"""Where pages and images are made: in process, a local pool, or a Dask cluster, always the same bytes."""

from __future__ import annotations

import builtins
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import article, copy_site, free_port, in_thread, output_files, wait_for_port
from PIL import Image
from test_edits import counting, opened_files

from generator.build import build
from generator.commands.cli import main
from generator.common.config import ConfigError, load
from generator.readers import scan as scan_module
from generator.readers.scan import reader_for
from generator.store.executor import (
    IN_FLIGHT_PER_WORKER,
    ClusterUnavailable,
    InProcessExecutor,
    JobRunner,
    TaskLost,
    check_spec,
)


def _square(value: int) -> int:
    if value == 3:
        raise ValueError("three")
    return value * value


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_submission_order_and_errors_stay_in_their_future(jobs):
    with JobRunner("local", jobs) as runner:
        futures = list(runner.stream(_square, ((n,) for n in range(40)), 40))
    assert [f.result() for f in futures if f.exception() is None] == [n * n for n in range(40) if n != 3]
    assert str(futures[3].exception()) == "three"


def test_inputs_are_read_only_as_workers_take_them():
    taken = []

    def inputs():
        for n in range(100):
            taken.append(n)
            yield (n,)

    with JobRunner("local", 1) as runner:
        stream = runner.stream(_square, inputs(), 100)
        next(stream)
        assert len(taken) <= runner.workers * IN_FLIGHT_PER_WORKER


def _interrupted(value: int) -> int:
    raise KeyboardInterrupt


def test_ctrl_c_in_a_job_run_in_process_stops_the_build_instead_of_becoming_a_warning():
    with JobRunner("local", 1) as runner, pytest.raises(KeyboardInterrupt):
        list(runner.stream(_interrupted, [(1,), (2,)], 2))


@pytest.mark.parametrize("spec", ["dask", "dask://", "dask://host", "dask://host:port", "spark://x:1"])
def test_unknown_executors_are_configuration_errors(spec):
    with pytest.raises(ConfigError, match="expected 'local', 'dask-local' or 'dask://HOST:PORT'"):
        check_spec(spec)
    check_spec("dask://127.0.0.1:8786")


def test_without_dask_installed_the_error_says_what_to_install(make_site, monkeypatch, capsys):
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    site = make_site("minimal")
    assert main(["build", "--site", str(site), "--executor", "dask-local", "--quiet"]) == 2
    assert "install backissue[dask]" in capsys.readouterr().err
    assert not (site / "public").exists()


BROKEN_ARTICLE = """{% extends "default:article.html" %}
{% block main %}{% if article.title == "Boom" %}{{ no_such_value }}{% endif %}{{ super() }}{% endblock %}
"""
BROKEN_THEME = {
    "site.toml": 'title = "T"\ntheme = "mine"\n',
    "themes/mine/theme.toml": 'extends = "default"\n',
    "themes/mine/templates/article.html": BROKEN_ARTICLE,
}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_that_fails_to_render_is_an_error_and_the_rest_is_built(write_site, jobs):
    files = {f"content/a{n:03}.md": article(f"Article {n}", date="2024-01-02") for n in range(250)}
    files["content/boom.md"] = article("Boom", date="2024-01-03")
    files.update(BROKEN_THEME)
    site = write_site(files)
    report = build(site, jobs=jobs)
    [error] = report.errors
    assert report.diagnostics == [] and error.path.endswith("boom.md")
    template = site / "themes/mine/templates/article.html"
    assert error.message == (
        "page 2024/01/boom/index.html not made (its previous version, if any, is kept): "
        f"{template}:2: template error: 'no_such_value' is undefined"
    )
    assert not (site / "public/2024/01/boom/index.html").exists()
    assert (site / "public/2024/01/a249/index.html").is_file()
    again = build(site, jobs=jobs)  # the failed page is tried again, not remembered as built
    assert len(again.errors) == 1 and again.rendered >= 1


def test_a_template_error_exits_1_and_keeps_the_previous_page(write_site, capsys):
    site = write_site({"content/boom.md": article("Boom", date="2024-01-03"), "site.toml": 'title = "T"\n'})
    assert main(["build", "--site", str(site), "--quiet", "--jobs", "1"]) == 0
    page = site / "public/2024/01/boom/index.html"
    before = page.read_bytes()
    for relative, text in BROKEN_THEME.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    for _attempt in range(2):  # kept however many times the build fails
        assert main(["build", "--site", str(site), "--quiet", "--jobs", "1"]) == 1
        assert page.read_bytes() == before
        err = capsys.readouterr().err
        assert "error: content/boom.md: page 2024/01/boom/index.html not made" in err
        assert "themes/mine/templates/article.html:2: template error" in err.replace("\n", "")


def test_strict_makes_a_failed_page_a_failed_build(write_site):
    site = write_site({"content/boom.md": article("Boom"), **BROKEN_THEME})
    assert main(["build", "--site", str(site), "--strict", "--quiet", "--jobs", "1"]) == 1


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as local_cluster,
        distributed.Client(local_cluster) as client,
    ):
        yield local_cluster, client


def _site_with_photos(root: Path, count: int) -> Path:
    """The sample archive plus *count* articles, each with a large noisy photo (slow enough to encode)."""
    site = copy_site(Path(__file__).resolve().parent.parent, root)
    for n in range(count):
        folder = site / "content" / "photos" / f"p{n:02}"
        folder.mkdir(parents=True)
        Image.effect_noise((1600, 1200), 60 + n).convert("RGB").save(folder / "photo.jpg", quality=90)
        (folder / "index.md").write_text(article(f"Photo {n}", "![A photo](photo.jpg)", date="2024-03-04"))
    return site


def _local_pool_output(site: Path, tmp_path: Path) -> dict[str, bytes]:
    reference = copy_site(site, tmp_path / "reference")
    report = build(reference, jobs=2)
    assert not report.diagnostics
    return output_files(reference / "public")


@pytest.mark.slow
def test_a_dask_cluster_builds_the_sample_archive_byte_for_byte_like_the_local_pool(make_site, tmp_path, cluster):
    site = make_site("sample")
    expected = _local_pool_output(site, tmp_path)
    address = cluster[0].scheduler_address.removeprefix("tcp://")
    report = build(site, executor=f"dask://{address}")
    assert not report.diagnostics
    assert output_files(site / "public") == expected


@pytest.mark.slow
def test_on_a_cluster_the_build_process_opens_no_capture_its_workers_read_them(make_site, tmp_path, cluster):
    site = make_site("sample")
    expected = _local_pool_output(site, tmp_path)
    address = cluster[0].scheduler_address.removeprefix("tcp://")
    content = str((site / "content").resolve())
    with opened_files() as opened:
        report = build(site, executor=f"dask://{address}")
    captures = [name for name in opened if name.startswith(content) and reader_for(Path(name)) is not None]
    assert report.articles > 20 and not report.diagnostics
    assert captures == []
    assert output_files(site / "public") == expected


class _BlindCluster(JobRunner):
    """Runs jobs in this process, as a cluster whose workers cannot see the site folder would answer."""

    local_pool = False

    def share(self, key: str, value: object) -> object:
        return value

    def stream(self, job, inputs, total):
        blind = job is scan_module.folder_mark
        for arguments in inputs:
            yield InProcessExecutor().submit(lambda *args: None if blind else job(*args), *arguments)


def test_a_cluster_whose_workers_cannot_see_the_captures_leaves_reading_to_the_build_process(write_site, monkeypatch):
    site = write_site({f"content/a{n}.txt": f"Story {n}\n\nA body line.\n" for n in range(4)})
    asked = []
    monkeypatch.setattr(scan_module.ContextFactory, "learn_on", lambda *args: asked.append(args))
    with counting(monkeypatch, scan_module, "run_batches") as local_reads:
        scanned = scan_module.scan(load(site), runner=_BlindCluster())
    assert len(scanned.articles) == 4 and asked == [] and len(local_reads) == 1


def _build_killing_a_worker(site: Path, cluster, started: Callable[[], bool]):
    """Build on *cluster* and SIGKILL one worker once *started* says work is under way.

    Returns the report and whether the build was still running then; checks
    that the worker died holding tasks, which the scheduler then gave to another.
    """
    local_cluster, client = cluster
    client.wait_for_workers(2)  # the one an earlier test killed has been replaced
    pids = client.run(os.getpid)
    address = local_cluster.scheduler_address.removeprefix("tcp://")
    builder, result = in_thread(lambda: build(site, executor=f"dask://{address}"))
    busy: list[str] = []
    while not busy and builder.is_alive():  # a worker holding tasks, once work is under way
        busy = [worker for worker, tasks in client.processing().items() if tasks and started()]
        time.sleep(0.005)
    victim_address, victim = busy[0], pids[busy[0]]
    os.kill(victim, signal.SIGKILL)
    killed_mid_build = builder.is_alive()
    builder.join()
    assert victim not in client.run(os.getpid).values()  # the worker really died (and was replaced)
    events = local_cluster.scheduler.get_events("all")  # the scheduler runs in this process
    [removal] = [m for _t, m in events if m.get("action") == "remove-worker" and m["worker"] == victim_address]
    assert removal["processing-tasks"] and not removal["lost-scattered-tasks"]
    return result["value"], killed_mid_build


@pytest.mark.slow
def test_a_worker_killed_while_making_images_has_its_tasks_retried_and_the_output_is_the_same(tmp_path, cluster):
    site = _site_with_photos(tmp_path / "site", 24)
    expected = _local_pool_output(site, tmp_path)
    derived = site / ".backissue/images/derived"
    report, killed_mid_build = _build_killing_a_worker(
        site, cluster, lambda: derived.is_dir() and any(derived.iterdir())
    )
    assert killed_mid_build and not report.diagnostics
    assert output_files(site / "public") == expected


@pytest.mark.slow
def test_a_worker_killed_while_rendering_has_its_tasks_retried_and_the_output_is_the_same(
    write_site, tmp_path, cluster
):
    files = {f"content/a{n:04}.md": article(f"Story {n}", "Words. " * 400, date="2024-05-06") for n in range(1500)}
    site = write_site({"site.toml": 'title = "T"\n', **files})
    expected = _local_pool_output(site, tmp_path)

    def rendering() -> bool:
        return any(path.is_dir() and any(path.glob("2024/05/*/index.html")) for path in site.glob(".public.staging*"))

    report, killed_mid_build = _build_killing_a_worker(site, cluster, rendering)
    assert killed_mid_build and not report.diagnostics
    assert output_files(site / "public") == expected


@pytest.mark.slow
def test_a_result_a_dask_worker_cannot_send_back_is_a_lost_task_not_a_hang(cluster):
    """Dask would fetch such a result again and again; tests/test_cluster.py has the same on workers of another
    user, this one runs without root."""
    address = cluster[0].scheduler_address.removeprefix("tcp://")
    with JobRunner(f"dask://{address}", 1) as runner:
        [future] = runner.stream(threading.Lock, [()], 1)
    assert isinstance(future.exception(), TaskLost)
    assert str(future.exception()).startswith("what it returned could not be sent back (TypeError: cannot pickle")


def test_a_build_with_a_failed_page_is_not_published(write_site, tmp_path, capsys):
    site = write_site({"content/boom.md": article("Boom"), "content/fine.md": article("Fine"), **BROKEN_THEME})
    assert build(site, jobs=1).errors
    assert main(["publish", (tmp_path / "www").as_uri(), "--site", str(site)]) == 1
    assert "1 page(s) could not be rendered" in capsys.readouterr().err
    assert not (tmp_path / "www").exists()


@pytest.fixture
def scheduler():
    """A Dask scheduler alone on a loopback port, as ``dask scheduler`` starts one; yields its HOST:PORT."""
    pytest.importorskip("distributed")
    port = free_port()
    command = [str(Path(sys.executable).with_name("dask")), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen([*command, "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, seconds=60)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


def test_a_cluster_without_workers_stops_the_build_with_one_error_line_and_keeps_the_output(
    make_site, scheduler, capsys
):
    site = make_site("minimal")
    assert main(["build", "--site", str(site), "--quiet", "--jobs", "1"]) == 0
    before = output_files(site / "public")
    status = main(
        ["build", "--site", str(site), "--clean", "--executor", f"dask://{scheduler}", "--cluster-timeout", "2"]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f"notice: waiting for Dask workers at {scheduler}" in err
    [error] = [line for line in err.splitlines() if line.startswith("error:")]
    assert error == f"error: no Dask worker at {scheduler} for 2 s; the build stopped and the previous output was kept"
    assert "Traceback" not in err
    assert output_files(site / "public") == before


def test_the_cluster_timeout_comes_from_the_site_settings_unless_given(make_site, scheduler, capsys):
    site = make_site("minimal")
    (site / "site.toml").write_text((site / "site.toml").read_text() + "\n[cluster]\ntimeout = 1\n")
    assert main(["build", "--site", str(site), "--quiet", "--executor", f"dask://{scheduler}"]) == 1
    assert f"no Dask worker at {scheduler} for 1 s" in capsys.readouterr().err
    assert not (site / "public").exists()


def test_when_every_worker_leaves_mid_build_the_build_stops_after_the_timeout(scheduler):
    distributed = pytest.importorskip("distributed")
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("dask")), "worker", f"tcp://{scheduler}", "--no-nanny", "--nthreads", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def kill_the_worker_once_busy(watcher) -> None:
        deadline = time.monotonic() + 60
        while not any(watcher.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.kill()

    notices: list[str] = []
    try:
        with distributed.Client(f"tcp://{scheduler}") as watcher:
            watcher.wait_for_workers(1, timeout=60)
            killer = threading.Thread(target=kill_the_worker_once_busy, args=(watcher,))
            killer.start()
            with JobRunner(f"dask://{scheduler}", 1, wait_seconds=2, notice=notices.append) as runner:
                with pytest.raises(ClusterUnavailable, match=f"^no Dask worker at {scheduler} for 2 s;"):
                    list(runner.stream(time.sleep, [(600,)], 1))  # a task that outlasts its worker
            killer.join()
    finally:
        worker.kill()
        worker.wait(30)
    assert notices == [f"waiting for Dask workers at {scheduler} (at most 2 s)"]


def test_an_unreachable_scheduler_is_one_error_line(make_site, capsys):
    pytest.importorskip("distributed")
    site, address = make_site("minimal"), f"127.0.0.1:{free_port()}"  # nothing listens there
    assert main(["build", "--site", str(site), "--executor", f"dask://{address}", "--cluster-timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert f"error: cannot reach the Dask scheduler at {address}" in err and "Traceback" not in err
