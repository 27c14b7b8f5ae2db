"""What committing a one-article edit costs: the whole folder staged and swapped, or the change written in place.

    .venv/bin/python bench/commit.py --articles 2000 --runs 3

Generates bench/build.py's corpus, builds it cold into two output folders, appends a correction to one
article, and rebuilds each folder with one commit kind forced (in place: the default for a small change;
staged: ``IN_PLACE_SHARE = 0``). Reports the seconds of the make step (rendering the changed pages, the same
work both ways, and committing them) and of the whole build; the file-system calls the make step made (hard
links, removals, folders made, renames, fsyncs); how many files of the output were touched (a new inode or
modification time) and how many folders were made (a new inode). Both folders must end byte-identical.
Then it commits changes of growing shares of the files both ways (the threshold's justification).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from build import BACKISSUE_SETTINGS, generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import generator.build as build_module  # noqa: E402
import generator.store.journal as journal_module  # noqa: E402
from generator.store.output import StagedOutput  # noqa: E402

CALLS = ("link", "unlink", "rmdir", "mkdir", "replace", "rename", "fsync")


@contextmanager
def counting(calls: Counter) -> object:
    """Count the calls of CALLS made meanwhile."""
    originals = {name: getattr(os, name) for name in CALLS}

    def counted(name: str):
        def call(*args, **kwargs):
            calls[name] += 1
            return originals[name](*args, **kwargs)

        return call

    for name in CALLS:
        setattr(os, name, counted(name))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(os, name, function)


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.lstat().st_ino, p.lstat().st_mtime_ns) for p in out.rglob("*")}


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def measure(site: Path, out: Path, share: float) -> dict[str, float]:
    """Rebuild *out* after the edit with *share* as the in-place threshold; the make step's cost."""
    before = stamps(out)
    calls: Counter = Counter()
    timing = {}
    make = build_module._make

    def timed_make(*args, **kwargs):
        started = time.perf_counter()
        with counting(calls):
            result = make(*args, **kwargs)
        timing["make"] = time.perf_counter() - started
        return result

    build_module._make, journal_module.IN_PLACE_SHARE = timed_make, share
    try:
        started = time.perf_counter()
        report = build_module.build(site, out, jobs=1)
        timing["build"] = time.perf_counter() - started
    finally:
        build_module._make, journal_module.IN_PLACE_SHARE = make, 0.25
    after = stamps(out)
    folders = {path for path in after if (out / path).is_dir()}
    return {
        **timing,
        "files": report.files,
        "changed": report.changed,
        "touched files": sum(1 for path, stamp in after.items() if path not in folders and before.get(path) != stamp),
        "folders made": sum(1 for path in folders if path not in before or before[path][0] != after[path][0]),
        **{name: calls[name] for name in CALLS},
    }


def crossover(out: Path, shares: list[float]) -> list[tuple[float, int, float, float]]:
    """Seconds to commit a change of each share of *out*'s files in place and staged (every other file reused)."""
    sizes = {path: (out / path).stat().st_size for path in sorted(files(out))}
    figures = []
    for share in shares:
        paths = list(sizes)
        changed = {paths[int(n / share)] for n in range(round(share * len(paths)))}  # spread over the site
        seconds = []
        for kind in ("in place", "staged"):
            started = time.perf_counter()
            if kind == "in place":
                output = journal_module.InPlaceOutput(out, out.parent / "commit.json", frozenset(sizes))
            else:
                output = StagedOutput(out)
            for path, size in sizes.items():
                if path in changed:
                    output.write(path, (out / path).read_bytes() + f"<!-- {kind} -->".encode())
                else:
                    output.reuse(path, size)
            output.commit()
            seconds.append(time.perf_counter() - started)
            (out.parent / "commit.json").unlink(missing_ok=True)
            sizes = {path: (out / path).stat().st_size for path in sizes}
        figures.append((share, len(changed), *seconds))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = generate(Path(temporary), "native", args.articles)
        with (site / "site.toml").open("a") as settings:
            settings.write(BACKISSUE_SETTINGS)
        outs = {"staged": site / "staged", "in place": site / "in-place"}
        for out in outs.values():
            build_module.build(site, out)
        articles = sorted((site / "content").rglob("index.md"))
        figures: dict[str, list[dict[str, float]]] = {name: [] for name in outs}
        for run in range(args.runs):
            article = articles[run * 7 % len(articles)]
            article.write_text(article.read_text() + f"\nA correction, number {run}.\n")
            for name, out in outs.items():
                figures[name].append(measure(site, out, 0 if name == "staged" else journal_module.IN_PLACE_SHARE))
            if files(outs["staged"]) != files(outs["in place"]):
                raise SystemExit("the two commits left different folders")
        shares = crossover(outs["in place"], [0.01, 0.05, 0.1, 0.25, 0.4, 0.6])
    print(f"{args.articles} articles, one article edited, {args.runs} run(s), {os.cpu_count()} cores; medians")
    for name, runs in figures.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"  {name:9} make {median['make']:6.2f} s, build {median['build']:6.2f} s; {median['files']:,.0f} files, "
            f"{median['changed']:,.0f} changed; touched {median['touched files']:,.0f} files and "
            f"made {median['folders made']:,.0f} folders; " + ", ".join(f"{name} {median[name]:,.0f}" for name in CALLS)
        )
    print("Committing a change of a share of the files (every other file kept), seconds:")
    for share, count, in_place, staged in shares:
        print(f"  {share:4.0%} ({count:,} files): in place {in_place:6.2f} s, staged {staged:6.2f} s")


if __name__ == "__main__":
    main()
