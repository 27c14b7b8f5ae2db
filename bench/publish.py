"""Publishing a generated corpus: first publish, no-change publish, and after one edited article.

Targets: a folder (file://), a bare git repository by path, and, with
``--s3-endpoint``, an S3-compatible server you run yourself (e.g. ``weed
mini``; credentials from the environment). Wall seconds and what moved.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from generator.build import build
from generator.commands.publish import Plan, publish
from generator.common.config import PublishTarget


class Quiet:
    def notice(self, message: str) -> None:
        pass

    def plan(self, target: object, plan: Plan) -> None:
        pass

    @contextmanager
    def transfer(self, total_bytes: int) -> Iterator[Callable[[int], None]]:
        yield lambda size: None


def timed_publish(site: Path, options: PublishTarget) -> tuple[float, Plan]:
    started = time.perf_counter()
    plan = publish(site, site / "public", options, Quiet())
    return time.perf_counter() - started, plan


def describe(plan: Plan) -> str:
    moved = plan.size(plan.transfers) / 1e6
    return (
        f"{len(plan.transfers):,} files ({moved:.1f} MB) moved, {len(plan.delete)} deleted, "
        f"{len(plan.unchanged):,} unchanged"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--s3-endpoint", help="an S3-compatible server, e.g. http://127.0.0.1:8333")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="backissue-publish-bench-"))
    site = root / "site"
    subprocess.run(
        [sys.executable, str(BENCH / "gen_corpus.py"), "--articles", str(args.articles), "--seed", "5",
         "--out", str(site), "--flavor", "native", "--max-comments", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(["git", "init", "--quiet", "--bare", str(root / "pages.git")], check=True)
    targets = {
        "file://": PublishTarget(url=(root / "www").as_uri()),
        "git (bare repo)": PublishTarget(url=f"git+{root}/pages.git#pages"),
    }
    if args.s3_endpoint:
        targets["s3"] = PublishTarget(url="s3://bench/site", endpoint_url=args.s3_endpoint, region="us-east-1")
    report = build(site)
    print(f"{args.articles:,} articles: {report.files:,} files")
    first = {name: timed_publish(site, options) for name, options in targets.items()}
    again = {name: timed_publish(site, options) for name, options in targets.items()}
    article = sorted((site / "content").rglob("index.md"))[len(targets)]
    article.write_text(article.read_text() + "\nA correction.\n")
    build(site)
    edited = {name: timed_publish(site, options) for name, options in targets.items()}
    for name in targets:
        print(
            f"| {name} | first: {first[name][0]:.2f} s | no change: {again[name][0]:.2f} s "
            f"| one edit: {edited[name][0]:.2f} s |"
        )
        print(f"|   | {describe(first[name][1])} | {describe(again[name][1])} | {describe(edited[name][1])} |")
    print(f"(left in {root})")


if __name__ == "__main__":
    main()
