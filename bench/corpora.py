"""Generated corpora for the benchmarks, written once per (kind, size, seed) and reused.

bench/gen_corpus.py takes minutes to write 100,000 articles, so build.py and
serve_latency.py keep its output in ``bench/.corpora/`` (git-ignored) and work
on a copy made of hard links, which costs a folder walk instead of a rewrite.
The copy shares its files with the cache: edits go through ``replace_text``,
which saves a new file and renames it over the old one (as most editors do),
so the cached corpus is never written into. Delete ``bench/.corpora/`` to
regenerate everything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".corpora"

# gen_corpus.py options and default seed per kind of corpus.
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    # the incremental-build targets' corpus: default comment counts (0-40, about 12.6 an article), no images
    "table": (1, ("--no-images",)),
    # the lighter corpus bench/build.py used first: at most 10 comments an article
    "light": (5, ("--max-comments", "10", "--pager-size", "10")),
}


def corpus(kind: str, articles: int, seed: int | None, flavor: str) -> Path:
    """The cached corpus of *kind* in *flavor*'s layout (native, hugo, pelican), generated when missing."""
    default_seed, options = KINDS[kind]
    seed = default_seed if seed is None else seed
    folder = CACHE / f"{kind}-{articles}-seed{seed}" / flavor
    if not folder.is_dir():  # generated under another name and renamed: an interrupted run leaves no half corpus
        partial = folder.with_name(f"{flavor}.partial")
        print(f"generating the {kind} corpus, {articles:,} articles, {flavor} layout, into {folder}", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(articles), "--seed", str(seed),
             "--flavor", flavor, "--out", str(partial), "--force", *options],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        partial.rename(folder)
    return folder


def working_copy(cached: Path, target: Path) -> Path:
    """*cached* copied to *target* as hard links; change its files only with ``replace_text``."""
    shutil.copytree(cached, target, copy_function=os.link)
    return target


def replace_text(path: Path, text: str) -> None:
    """Save *text* as *path* by writing a new file and renaming it over the old one (hard links stay intact)."""
    temporary = path.with_name(f".{path.name}.tmp")  # a name serve ignores as editor litter
    temporary.write_text(text)
    os.replace(temporary, path)


def articles(site: Path) -> list[Path]:
    """The article files of a native or Hugo corpus, in a stable order."""
    return sorted((site / "content").rglob("index.md"))
