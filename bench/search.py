"""Search on a generated corpus: index time and size, rebuild costs with search on and off, a first query's bytes.

Builds the corpus with ``[search] enabled`` (cold, no-op, one edited article)
and, beside it, the same builds with search off; times the Pagefind step on
its own; then serves the site, runs one query in Chromium (tests/browser,
from tools/setup-test-tools.sh) and adds up every byte the page fetched.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from generator import build as build_module
from generator.build import build


def timed(action) -> str:
    """Wall seconds of a build, with how many pages it rendered and how many warnings it gave."""
    started = time.perf_counter()
    report = action()
    seconds = time.perf_counter() - started
    return f"{seconds:7.2f} s ({report.rendered:,} made, {len(report.diagnostics)} warnings)"


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def rebuild_costs(site: Path, label: str) -> None:
    """Cold, no-op and one-edit builds; the edit appends a sentence to one article's body."""
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".backissue", ignore_errors=True)
    cold = timed(lambda: build(site))
    noop = timed(lambda: build(site))
    article = sorted((site / "content").rglob("index.md"))[7]
    article.write_text(article.read_text() + f"\nAn added sentence about zanzibar ({label}).\n")
    edit = timed(lambda: build(site))
    print(f"  {label:<11} cold {cold}   no-op {noop}   one article edited {edit}")


class CountingHandler(SimpleHTTPRequestHandler):
    sizes: dict[str, int] = {}

    def log_message(self, *args: object) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:  # every body goes through here
        data = source.read()
        self.sizes[self.path.split("?")[0]] = self.sizes.get(self.path.split("?")[0], 0) + len(data)
        outputfile.write(data)


def first_query(public: Path, word: str) -> None:
    browser = REPO / "tests/browser/browser.js"
    if not (REPO / "node_modules/playwright-core").exists():
        print("  first query: skipped (run tools/setup-test-tools.sh for Chromium)")
        return
    CountingHandler.sizes = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(CountingHandler, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/search/index.html?q={word}"
        done = subprocess.run(
            ["node", str(browser), "search", url, "1280"], capture_output=True, text=True, timeout=300
        )
    finally:
        server.shutdown()
        server.server_close()
    shown = json.loads(done.stdout) if done.returncode == 0 else {"status": done.stderr.strip()[-200:]}
    sizes = CountingHandler.sizes
    groups: dict[str, list[int]] = {}
    for path, size in sizes.items():
        name = path.rsplit("/", 1)[-1]
        kind = re.sub(r"^(en|unknown)_?[0-9a-f]*|[0-9a-f]{10}", "", name) if "/pagefind/" in path else "page and theme"
        groups.setdefault(kind, []).append(size)
    index_total = sum(size for path, size in sizes.items() if "/pagefind/" in path)
    print(f"  first query {word!r}: {shown.get('status')!r}")
    print(f"  transferred: {sum(sizes.values()):,} bytes in {len(sizes)} files, {index_total:,} of them from pagefind/")
    for kind, found in sorted(groups.items(), key=lambda item: -sum(item[1])):
        print(f"    {kind:<22} {len(found):3} file(s) {sum(found):>10,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="leave the generated site in place")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="backissue-search-bench-"))
    site = root / "site"
    subprocess.run(
        [sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(args.articles), "--seed", "5",
         "--out", str(site), "--flavor", "native", "--max-comments", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    settings = (site / "site.toml").read_text() if (site / "site.toml").exists() else ""
    print(f"{args.articles:,} articles (bench/gen_corpus.py --seed 5 --max-comments 10)")
    rebuild_costs(site, "search off")
    (site / "site.toml").write_text(settings + "\n[search]\nenabled = true\n")
    indexing: list[float] = []
    real = build_module.build_index

    def timed_index(*args):
        started = time.perf_counter()
        try:
            return real(*args)
        finally:
            indexing.append(time.perf_counter() - started)

    build_module.build_index = timed_index
    rebuild_costs(site, "search on")
    print(f"  Pagefind step: {' s, '.join(f'{seconds:.2f}' for seconds in indexing)} s (cold build, edit rebuild)")
    public = site / "public"
    files, size = folder_bytes(public / "pagefind")
    data_files, data_size = folder_bytes(public / "pagefind/fragment")
    for part in ("index", "filter"):
        more = folder_bytes(public / "pagefind" / part)
        data_files, data_size = data_files + more[0], data_size + more[1]
    print(f"  index: {files:,} files, {size:,} bytes ({data_files:,} files, {data_size:,} bytes of them index data)")
    first_words = sorted((site / "content").rglob("index.md"))[0].read_text().split("+++")[-1].split()
    word = next(w for w in (re.sub(r"\W", "", w).lower() for w in first_words) if len(w) > 6)
    first_query(public, word)
    if args.keep:
        print(f"  site kept in {site}")
    else:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
