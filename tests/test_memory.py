"""The build process holds what listings show of each article, never every article's body and comments.

Memory is measured as the peak resident size of a build run in its own process (``ru_maxrss``, which
counts the build process alone, not its forked workers); the bound is derived from the stored cards and
bodies of the very archive built, so it holds whatever the interpreter and libraries weigh.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article

from generator.store.targets import STATE_FOLDER

REPO_PATH = Path(__file__).resolve().parents[1]
CARDS_PER_ARTICLE = 32  # what the build process may keep per article, in cards' worth of bytes
WORDS = "archive council river market winter harbour school budget report election museum railway".split()

PEAK = """
import resource, sys
from pathlib import Path
from generator.build import build
report = build(Path(sys.argv[1]), jobs=2)
print(report.articles, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def weighty_archive(root: Path, count: int) -> Path:
    """*count* dated, tagged articles of about 16 KB of text each, with eight comments each."""
    rng = random.Random(count)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Weighed"\nbase_url = "https://archive.example/"\n')
    for number in range(count):
        year, month = 2010 + number % 12, number % 12 + 1
        folder = root / "content" / str(year) / f"{month:02d}" / f"story-{number:05d}"
        folder.mkdir(parents=True)
        body = "\n\n".join(sentence(220) for _ in range(10))
        tags = [WORDS[number % len(WORDS)], WORDS[number * 5 % len(WORDS)]]
        text = article(f"Story {number}", body, date=f"{year}-{month:02d}-{number % 28 + 1:02d}", tags=tags)
        (folder / "index.md").write_text(text)
        comments = [f'[[comments]]\nid = "c{n}"\nauthor = "Reader {n}"\nbody = "{sentence(50)}"\n' for n in range(8)]
        (folder / "comments.toml").write_text("".join(comments))
    return root


def peak_kilobytes(site: Path, count: int) -> int:
    """Build *site* in a process of its own; the build process's peak resident size."""
    done = subprocess.run([sys.executable, "-c", PEAK, str(site)], cwd=REPO_PATH, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    articles, peak = map(int, done.stdout.split())
    assert articles == count
    return peak


def stored_sizes(site: Path) -> tuple[float, float]:
    """The mean stored size of a card and of a body (blocks and comments) of the site's last build."""
    db = sqlite3.connect(site / STATE_FOLDER / "state.sqlite")
    try:
        (card,) = db.execute("SELECT avg(length(card)) FROM edit_cards").fetchone()
        (body,) = db.execute("SELECT avg(length(data)) FROM bodies").fetchone()
    finally:
        db.close()
    return card, body


@pytest.mark.slow
def test_the_build_process_holds_cards_not_bodies_at_twenty_thousand_articles(tmp_path):
    small, large = 500, 20_000
    base = peak_kilobytes(weighty_archive(tmp_path / "small", small), small)
    site = weighty_archive(tmp_path / "large", large)
    peak = peak_kilobytes(site, large)
    card, body = stored_sizes(site)
    allowed = CARDS_PER_ARTICLE * card
    assert body > 1.3 * allowed  # an archive whose bodies, held in memory, would break the bound
    per_article = (peak - base) * 1024 / (large - small)
    assert per_article <= allowed, f"{per_article:,.0f} bytes per article, above {allowed:,.0f} ({card:.0f}-byte cards)"
