"""Edit-to-reload latency of ``backissue serve``: from saving an article to the reload event.

    .venv/bin/python bench/serve_latency.py                  # the sample archive
    .venv/bin/python bench/serve_latency.py --articles 10000 # a generated corpus (bench/gen_corpus.py)

Starts the preview on a loopback port, listens to its event stream like a
browser tab, appends a sentence to one article N times and prints the median
time until the tab is told to reload (debounce included).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from generator.commands.serve import start_preview


def prepare(root: Path, articles: int) -> Path:
    if not articles:
        site = root / "sample"
        site.mkdir()
        shutil.copytree(REPO / "content", site / "content")
        shutil.copy(REPO / "site.toml", site / "site.toml")
        return site
    site = root / "corpus"
    subprocess.run(
        [sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(articles), "--seed", "3", "--out", str(site),
         "--flavor", "native", "--max-comments", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=0, help="generated corpus size (0: the sample archive)")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = prepare(Path(temporary), args.articles)
        started = time.perf_counter()
        preview = start_preview(site, "127.0.0.1", 0, lambda message: None)
        print(f"first build: {time.perf_counter() - started:.2f} s")
        root = preview.url.split("/", 3)[:3]
        stream = urllib.request.urlopen("/".join(root) + "/__backissue/events", timeout=600)
        arrived: list[float] = []
        threading.Thread(
            target=lambda: [arrived.append(time.perf_counter()) for line in stream if line.startswith(b"event:")],
            daemon=True,
        ).start()
        target = sorted((site / "content").rglob("index.md"))[len(list((site / "content").rglob("index.md"))) // 2]
        latencies = []
        for edit in range(args.edits):
            time.sleep(0.5)
            before = len(arrived)
            saved = time.perf_counter()
            target.write_text(target.read_text() + f"\nEdit number {edit}.\n")
            while len(arrived) == before:
                time.sleep(0.005)
            latencies.append(arrived[before] - saved)
        preview.stop()
    label = f"{args.articles} generated articles" if args.articles else "the sample archive"
    print(f"{label}: edit-to-reload median {statistics.median(latencies) * 1000:.0f} ms "
          f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}) over {args.edits} edits")  # fmt: skip


if __name__ == "__main__":
    main()
