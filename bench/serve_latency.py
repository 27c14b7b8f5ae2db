"""Save-to-served latency of ``backissue serve``: from saving an article to its page served with the edit.

    .venv/bin/python bench/serve_latency.py                             # the sample archive
    .venv/bin/python bench/serve_latency.py --articles 10000 --edits 5  # a generated corpus

Starts ``backissue serve`` as a user does, in its own process, on a free
loopback port. The site is a copy of the sample archive or of the corpus
bench/build.py uses (cached by bench/corpora.py; ``--corpus`` and ``--seed``
as there). Once the first build is served, the script saves one article N
times with a new sentence (a new file renamed over the old, as editors save)
and fetches the article's page every 10 ms until it shows that sentence: one
latency is the time from the save to the response holding it, the watcher's
debounce included. A rebuild that fails leaves the old page served, so it
never counts as done. Prints the median, min and max, and the rebuild times
serve itself reports.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

from corpora import CACHE, KINDS, articles, corpus, replace_text, working_copy

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 600.0


def prepare(root: Path, args: argparse.Namespace) -> Path:
    if args.articles:
        return working_copy(corpus(args.corpus, args.articles, args.seed, "native"), root / "corpus")
    site = root / "sample"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    return site


def page_path(article: Path) -> str:
    """The article's address in the site, by the permalink both sites use: ``{year}/{month}/{slug}/``."""
    front = tomllib.loads(article.read_text().split("+++")[1])
    return f"{front['date'].year}/{front['date'].month:02}/{front.get('slug', article.parent.name)}/"


class Serve:
    """``backissue serve`` running in its own process, and what it prints."""

    def __init__(self, site: Path) -> None:
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0"],
            cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert self.process.stdout
        self.lines: list[str] = []
        for line in self.process.stdout:
            self.lines.append(line)
            if found := re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line):  # the address it serves on
                self.url = found[1]
                break
        else:
            raise RuntimeError("backissue serve stopped before serving:\n" + "".join(self.lines))
        self.first_build = time.perf_counter() - started
        self.later: list[str] = []  # what it prints once serving, read all along so that it never blocks
        threading.Thread(target=lambda: self.later.extend(self.process.stdout or ()), daemon=True).start()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends: serve stops its watcher and server
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def page(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def served(url: str, text: str) -> float:
    """Fetch *url* every POLL_SECONDS until it holds *text*; when the response that did arrived."""
    deadline = time.perf_counter() + TIMEOUT_SECONDS
    while time.perf_counter() < deadline:
        try:
            if text.encode() in page(url):
                return time.perf_counter()
        except urllib.error.URLError:
            pass  # the page may be missing for a moment while it is written
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{url} did not show {text!r} within {TIMEOUT_SECONDS:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=0, help="generated corpus size (0: the sample archive)")
    parser.add_argument("--corpus", choices=sorted(KINDS), default="table", help="corpus kind (default: table)")
    parser.add_argument("--seed", type=int, help="corpus seed (default: the kind's, table 1, light 5)")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    if args.articles:
        corpus(args.corpus, args.articles, args.seed, "native")  # made before the working folder beside it
    with tempfile.TemporaryDirectory(dir=CACHE, prefix="work-") as temporary:
        site = prepare(Path(temporary), args)
        found = articles(site)
        target = found[len(found) // 2]
        serve = Serve(site)
        try:
            url = serve.url + page_path(target)
            try:
                page(url)
            except urllib.error.HTTPError as error:
                raise SystemExit(f"{target} is not served at {url} ({error}): has the permalink changed?") from error
            latencies = []
            for edit in range(args.edits):
                time.sleep(0.5)
                sentence = f"Edit number {edit} of this page."
                replace_text(target, target.read_text() + f"\n{sentence}\n")
                saved = time.perf_counter()
                latencies.append(served(url, sentence) - saved)
        finally:
            serve.stop()
    label = f"{args.articles:,} generated articles ({args.corpus} corpus)" if args.articles else "the sample archive"
    print(f"{label}: first build and serve {serve.first_build:.2f} s")
    print(
        f"save to edited page served: median {statistics.median(latencies) * 1000:.0f} ms "
        f"(min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f}) over {args.edits} edits"
    )
    rebuilds = [float(found[1]) for line in serve.later if (found := re.search(r"rebuilt in ([\d.]+) s", line))]
    if rebuilds:
        print("rebuilds as serve reports them: " + ", ".join(f"{seconds:.2f} s" for seconds in rebuilds))


if __name__ == "__main__":
    main()
