"""How long one article page with thousands of threaded comments takes to thread and render.

    .venv/bin/python bench/comments.py [--comments 5000] [--runs 5]

Builds a one-article site whose comments.toml holds N comments in deep,
branching threads (replies up to 40 levels deep, beyond max_depth), then
times reading + threading + rendering that article page, and a whole build.
Reading is timed twice: as builds read, and with every comment sent through
markdown-it-py (the comments here hold no Markdown, so builds take the fast path).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.build import build
from generator.common import markup
from generator.readers.comment_files import read_comments_file
from generator.site.comments import thread


def write_site(root: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    bundle = root / "content" / "big-thread"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text('+++\ntitle = "Big thread"\ndate = 2024-01-01\n+++\nA busy article.\n')
    entries, depth = [], {}
    for n in range(count):
        parent = None
        if n and rng.random() < 0.85:
            parent = rng.randrange(max(0, n - 30), n)  # recent comments get the replies: deep chains
            if depth[parent] >= 40:
                parent = None
        depth[n] = depth[parent] + 1 if parent is not None else 0
        parent_line = f'parent = "c{parent}"\n' if parent is not None else ""
        minute = n % 60
        entries.append(
            f'[[comments]]\nid = "c{n}"\n{parent_line}author = "Reader {n % 97}"\n'
            f"date = 2024-01-{1 + n // 1440 % 28:02d}T{n // 60 % 24:02d}:{minute:02d}:00Z\n"
            f'body = """Comment {n}: {"a fair point about the harbour " * rng.randint(1, 6)}"""\n'
        )
    (bundle / "comments.toml").write_text("\n".join(entries))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = write_site(Path(temporary) / "site", args.comments)
        comments_path = site / "content/big-thread/comments.toml"
        from zoneinfo import ZoneInfo

        timings: dict[str, list[float]] = {
            "read comments.toml": [],
            "  no fast path": [],
            "thread()": [],
            "full build": [],
        }
        for _ in range(args.runs):
            started = time.perf_counter()
            comments, _ = read_comments_file(comments_path, "comments.toml", ZoneInfo("UTC"))
            timings["read comments.toml"].append(time.perf_counter() - started)
            with patch.object(markup, "_MAYBE_SYNTAX", re.compile("")):  # every comment through markdown-it-py
                started = time.perf_counter()
                read_comments_file(comments_path, "comments.toml", ZoneInfo("UTC"))
                timings["  no fast path"].append(time.perf_counter() - started)
            started = time.perf_counter()
            thread(comments, "oldest", 6)
            timings["thread()"].append(time.perf_counter() - started)
            started = time.perf_counter()
            report = build(site, Path(temporary) / "out")
            timings["full build"].append(time.perf_counter() - started)
        page = Path(temporary) / "out/2024/01/big-thread/index.html"
        print(f"{args.comments} comments, {args.runs} runs, medians:")
        for name, values in timings.items():
            print(f"  {name:20s} {statistics.median(values) * 1000:8.1f} ms")
        print(f"  page size            {page.stat().st_size / 1024:8.0f} KiB ({report.pages} pages built)")


if __name__ == "__main__":
    main()
