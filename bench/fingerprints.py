"""What an incremental rebuild costs after one edit: pages rendered and seconds, with the planning share.

    .venv/bin/python bench/fingerprints.py [--articles 2000] [--runs 3]

Writes a corpus with bench/gen_corpus.py (no images); each run builds a copy
of it, edits one article (a last paragraph of its body, or its title) and
builds again. A rebuild fingerprints every page of the site, so its planning
time grows with the site, while what it renders should follow the edit alone.
Prints, per edit, the pages rendered, the median seconds of the rebuilds and
the seconds spent planning outputs (fingerprinting every output) in the last.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import generator.build
from generator.build import build


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def timed_rebuild(site: Path, out: Path) -> tuple[float, int, float]:
    """Seconds of a rebuild, pages rendered, and seconds in ``plan_outputs`` (fingerprinting every output)."""
    planning = [0.0]
    plan = generator.build.plan_outputs

    def timed_plan(*args, **kwargs):
        started = time.perf_counter()
        try:
            return plan(*args, **kwargs)
        finally:
            planning[0] += time.perf_counter() - started

    generator.build.plan_outputs = timed_plan
    try:
        started = time.perf_counter()
        report = build(site, out)
        return time.perf_counter() - started, report.rendered, planning[0]
    finally:
        generator.build.plan_outputs = plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        writer = Path(__file__).with_name("gen_corpus.py")
        command = [sys.executable, str(writer), "--articles", str(args.articles), "--out", str(corpus)]
        subprocess.run([*command, "--no-images"], check=True, stdout=subprocess.DEVNULL)
        article = sorted((corpus / "content").rglob("index.md"))[0]
        for name in ("body", "title"):
            figures = []
            for run in range(args.runs):
                site = Path(scratch) / f"{name}-{run}"
                shutil.copytree(corpus, site)
                out = site / "public"
                build(site, out)
                target = site / article.relative_to(corpus)
                if name == "body":  # a last paragraph: the summary, made from the first, stays
                    target.write_text(target.read_text(encoding="utf-8") + f"\nEdited ({run}).\n", encoding="utf-8")
                else:
                    edit(target, 'title = "', f'title = "Edited ({run}) ')
                figures.append(timed_rebuild(site, out))
            seconds = statistics.median(f[0] for f in figures)
            print(
                f"{args.articles} articles, {name} edit: {figures[-1][1]} pages rendered, {seconds:.2f} s rebuild "
                f"(median of {args.runs}), {figures[-1][2]:.2f} s planning outputs"
            )


if __name__ == "__main__":
    main()
