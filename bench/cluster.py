"""Cold builds on the local pool against Dask, per-job costs, and what a 32-worker cluster would take.

    python bench/cluster.py [--articles 10000] [--image-pool 400] [--runs 2] [--workers 2]

Builds a generated corpus (one 1600x1067 JPEG per article, drawn from
--image-pool distinct photos) cold with ``--executor local`` and
``--executor dask-local`` (same number of workers), checks the outputs are
byte-identical, then measures what the cluster estimate in bench/README.md is
made from: the cost of one render batch and one image task (in one process),
Dask's round trip per task, the build process's write throughput, the
bytes an image task moves, and the bytes each render task and each worker
are sent on Dask (the pickled ``PageBatch`` of a task; the shared setup every
worker gets once).
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build import RENDER_BATCH, Progress, build
from generator.render.renderer import PageBatch, RenderSetup
from generator.store.executor import JobRunner
from generator.store.output import StagedOutput

BENCH = Path(__file__).resolve().parent


class StageClock(Progress):
    """Wall seconds of each build stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.totals: dict[str, int] = {}

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        started = time.perf_counter()
        yield lambda: None
        self.seconds[name] = time.perf_counter() - started
        self.totals[name] = total


class SentBytes:
    """The pickled size of what a Dask build sends: each render task's batch, and the setup every worker gets."""

    def __init__(self) -> None:
        self.tasks: list[int] = []
        self.setup = 0

    @contextmanager
    def watching(self) -> Iterator[None]:
        """Inside the block, every batch and shared setup a build makes for Dask is weighed as it is made."""
        batch_of, shared = PageBatch.__dict__["of"], RenderSetup.shared

        def measured_batch(pages, setup):  # type: ignore[no-untyped-def]
            made = batch_of.__func__(PageBatch, pages, setup)
            self.tasks.append(len(pickle.dumps(made, pickle.HIGHEST_PROTOCOL)))
            return made

        def measured_setup(setup):  # type: ignore[no-untyped-def]
            made = shared(setup)
            self.setup = len(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
            return made

        PageBatch.of, RenderSetup.shared = staticmethod(measured_batch), measured_setup  # type: ignore[method-assign]
        try:
            yield
        finally:
            PageBatch.of, RenderSetup.shared = batch_of, shared  # type: ignore[method-assign]


def cold_build(site: Path, executor: str, jobs: int) -> tuple[float, StageClock, str]:
    for leftover in (site / ".backissue", site / "public"):
        shutil.rmtree(leftover, ignore_errors=True)
    clock = StageClock()
    started = time.perf_counter()
    build(site, progress=clock, jobs=jobs, executor=executor)
    return time.perf_counter() - started, clock, tree_digest(site / "public")


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _noop(value: int) -> int:
    return value


def task_round_trip(workers: int, tasks: int = 2000) -> float:
    """Seconds per trivial task through a dask-local cluster, submitted the way builds submit."""
    with JobRunner("dask-local", workers) as runner:
        list(runner.stream(_noop, ((n,) for n in range(50)), 50))  # start the cluster first
        started = time.perf_counter()
        list(runner.stream(_noop, ((n,) for n in range(tasks)), tasks))
        return (time.perf_counter() - started) / tasks


def write_throughput(folder: Path, files: int = 5000, size: int = 30_000) -> tuple[float, float]:
    """Files per second and MB per second the build process stages."""
    output = StagedOutput(folder / "out")
    data = bytes(range(256)) * (size // 256)
    started = time.perf_counter()
    for n in range(files):
        output.write(f"{n % 100}/{n}.html", data + n.to_bytes(4, "big"))
    output.commit()
    seconds = time.perf_counter() - started
    return files / seconds, files * len(data) / seconds / 1e6


def image_bytes(site: Path) -> tuple[float, float]:
    """Mean source bytes and derived bytes per distinct source, from the last build."""
    sources = {p.stat().st_ino: p.stat().st_size for p in (site / "content").rglob("*.jpg")}
    derived = sum(p.stat().st_size for p in (site / ".backissue/images/derived").iterdir())
    return statistics.mean(sources.values()), derived / len(sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--image-pool", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary) / "site"
        subprocess.run(
            [sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(args.articles), "--seed", "5",
             "--images-per-article", "1", "--image-pool", str(args.image_pool), "--out", str(site),
             "--max-comments", "10", "--pager-size", "10", "--jobs", str(args.workers)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        figures: dict[str, list[tuple[float, StageClock]]] = {}
        digests = set()
        sent = SentBytes()
        for _run in range(args.runs):  # alternate, so load from elsewhere hits both alike
            for executor in ("local", "dask-local"):
                with sent.watching():
                    seconds, clock, digest = cold_build(site, executor, args.workers)
                figures.setdefault(executor, []).append((seconds, clock))
                digests.add(digest)
        report_builds(figures, args, identical=len(digests) == 1)
        report_sent(sent, args.workers, args.runs)
        _seconds, single, _digest = cold_build(site, "local", 1)
        report_costs(single, site, args.workers, Path(temporary))


def report_builds(
    figures: dict[str, list[tuple[float, StageClock]]], args: argparse.Namespace, identical: bool
) -> None:
    print(f"{args.articles:,} articles, {args.image_pool} distinct images, {args.workers} workers; "
          f"best of {args.runs} cold builds; outputs identical: {identical}")  # fmt: skip
    best = {executor: min(runs, key=lambda run: run[0]) for executor, runs in figures.items()}
    for executor, (seconds, clock) in best.items():
        stages = ", ".join(f"{name.lower()} {value:.1f} s" for name, value in clock.seconds.items())
        print(f"  {executor:<11} {seconds:6.1f} s  ({stages})")
    overhead = best["dask-local"][0] / best["local"][0] - 1
    print(f"  dask-local overhead: {overhead:+.0%}")


def report_sent(sent: SentBytes, workers: int, runs: int) -> None:
    tasks = sent.tasks[: len(sent.tasks) // runs]  # one build's
    if not tasks:
        return
    per_worker = sent.setup + sum(tasks) / workers
    print(f"Sent on Dask, one build: {len(tasks):,} render tasks, {statistics.mean(tasks) / 1e3:,.0f} kB each "
          f"(largest {max(tasks) / 1e3:,.0f} kB, {sum(tasks) / 1e6:,.1f} MB in all); shared setup "
          f"{sent.setup / 1e3:,.0f} kB per worker; about {per_worker / 1e6:,.1f} MB per worker")  # fmt: skip


def report_costs(single: StageClock, site: Path, workers: int, scratch: Path) -> None:
    images, pages = single.totals["Making images"], single.totals["Rendering pages"]
    per_image = single.seconds["Making images"] / max(images, 1)
    per_page = single.seconds["Rendering pages"] / max(pages, 1)
    files_per_second, megabytes_per_second = write_throughput(scratch)
    source_bytes, derived_bytes = image_bytes(site)
    print("Per-job costs, one process:")
    print(f"  image task: {per_image * 1000:.1f} ms per source ({images} sources); "
          f"{source_bytes / 1e3:.0f} kB in, {derived_bytes / 1e3:.0f} kB out")  # fmt: skip
    print(f"  render batch of {RENDER_BATCH}: {per_page * RENDER_BATCH * 1000:.0f} ms "
          f"({per_page * 1000:.2f} ms per page incl. staging; {pages:,} pages)")  # fmt: skip
    print(f"  build process staging writes: {files_per_second:,.0f} files/s, {megabytes_per_second:.0f} MB/s")
    print(f"  Dask round trip per trivial task ({workers} local workers): {task_round_trip(workers) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
