"""Comment threads on real saved pages: backissue's HTML reader against hand-made labels.

    .venv/bin/python bench/comment_threads.py [--corpora DIR] [--ids 0121,4660] [--verbose]

``bench/comment_threads/labels.json`` gives, for real pages of the WCXB
development split with reader comments, every comment's depth (0 = top
level), its author as the page shows it and its first words. Each page is
read as ``bench/real_pages.py`` reads it (a throwaway wget-like mirror,
``inspect``), the comments found are matched to the labels by their first
words (on a forum thread the article, which is its opening post, stands
first), and the script prints per page and overall: labelled comments found,
depth right, empty text, missing author, wrong author and extra comments,
with the rates the issue on real threaded pages sets as targets. A page's
part (``t``une or ``m``easure) is its domain's in ``bench/real_pages.py``'s
fixed split.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import report_body  # noqa: E402
from real_pages import CORPORA, domain_part, read_html, run_backissue  # noqa: E402

from generator.common.config import SiteConfig

LABELS = Path(__file__).resolve().parent / "comment_threads" / "labels.json"
KEY_WORDS = 5  # the first words of a label that must start a stretch of the comment's text
TARGETS = {"empty text": 0.01, "missing author": 0.03}
COLUMNS = ("labelled", "found", "depth right", "empty text", "missing author", "wrong author", "extra")


def _tokens(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def _name(text: str | None) -> str:
    return " ".join(_tokens(text))


def walk(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The report's comment tree in document order, each comment with its depth."""
    found = []
    for node in nodes:
        found.append({"author": node.get("author") or "", "text": node.get("text") or "", "depth": depth})
        found.extend(walk(node.get("replies") or [], depth + 1))
    return found


def says(comment: dict[str, Any], label: dict[str, Any], anywhere: bool) -> bool:
    """The comment's text starts with the label's first words, or holds them *anywhere* (after a quote, say).

    Spaces are ignored: markup may glue two words or split one."""
    key, text = "".join(_tokens(label["first_words"])[:KEY_WORDS]), "".join(_tokens(comment["text"]))
    return bool(key) and (key in text if anywhere else text.startswith(key))


def match(labels: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[tuple[dict, dict | None]]:
    """Pair each label with a comment found: by the words it starts with, then by words anywhere in it, then
    (for a comment without text) by author and depth."""
    free = list(range(len(found)))
    pairs: dict[int, int] = {}
    for anywhere in (False, True):
        for at, label in enumerate(labels):
            hit = None if at in pairs else next((i for i in free if says(found[i], label, anywhere)), None)
            if hit is not None:
                pairs[at] = hit
                free.remove(hit)
    for at, label in enumerate(labels):
        if at in pairs:
            continue
        hit = next((i for i in free if not found[i]["text"].strip() and found[i]["depth"] == label["depth"]
                    and _name(found[i]["author"]) == _name(label["author"])), None)  # fmt: skip
        if hit is not None:
            pairs[at] = hit
            free.remove(hit)
    return [(label, found[pairs[at]] if at in pairs else None) for at, label in enumerate(labels)]


def read_thread(report: dict[str, Any] | None, forum: bool) -> list[dict[str, Any]]:
    """The comments found in page order; on a forum thread the article (its opening post) comes first."""
    found = walk((report or {}).get("comments") or [])
    if forum and report and report.get("reader"):
        found.insert(0, {"author": " ".join(report.get("authors") or []), "text": report_body(report), "depth": 0})
    return found


def measure(labels: list[dict[str, Any]], found: list[dict[str, Any]]) -> dict[str, int]:
    pairs = match(labels, found)
    kept = [(label, comment) for label, comment in pairs if comment is not None]
    return {
        "labelled": len(labels),
        "found": len(kept),
        "depth right": sum(label["depth"] == comment["depth"] for label, comment in kept),
        "empty text": sum(not comment["text"].strip() for comment in found),
        "missing author": sum(bool(label["author"]) and not comment["author"].strip() for label, comment in kept),
        "wrong author": sum(
            bool(comment["author"].strip()) and _name(comment["author"]) != _name(label["author"])
            for label, comment in kept
        ),
        "extra": len(found) - len(kept),
        "comments out": len(found),
    }


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "   n/a"


def print_row(name: str, row: dict[str, int]) -> None:
    print(f"{name:38} " + " ".join(f"{row[c]:>{max(len(c), 5)}}" for c in COLUMNS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="holds wcxb-dev/")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--ids", default="", help="comma-separated page ids only")
    parser.add_argument("--verbose", action="store_true", help="list every labelled comment not matched right")
    args = parser.parse_args(argv)
    pages = json.loads(args.labels.read_text(encoding="utf-8"))
    wanted = set(filter(None, args.ids.split(",")))
    totals = {part: dict.fromkeys((*COLUMNS, "comments out"), 0) for part in ("all", "tune", "measure")}
    crashes = []
    print(f"{'page (platform), part':38} " + " ".join(f"{c:>{max(len(c), 5)}}" for c in COLUMNS))
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        (site / "content").mkdir()
        config = SiteConfig(site_path=site)
        for page_id, page in pages.items():
            if wanted and page_id not in wanted:
                continue
            html = read_html(args.corpora / page["corpus"] / "html" / f"{page_id}.html.gz")
            report, crash, _ = run_backissue(site, page["url"], html, config)
            if crash:
                crashes.append(f"{page_id}: {crash}")
            found = read_thread(report, page["type"] == "forum")
            row = measure(page["comments"], found)
            part = domain_part(page["domain"])
            for key in row:
                totals["all"][key] += row[key]
                totals[part][key] += row[key]
            print_row(f"{page_id} {page['domain'][:18]} ({page['platform'][:9]}) {part[0]}", row)
            if args.verbose:
                for label, comment in match(page["comments"], found):
                    if (
                        comment is None
                        or comment["depth"] != label["depth"]
                        or (_name(comment["author"]) != _name(label["author"]))
                    ):
                        got = "not found" if comment is None else f"depth {comment['depth']}, {comment['author']!r}"
                        print(f"    {label['depth']} {label['author']!r} {label['first_words']!r}: {got}")
    for part in ("tune", "measure", "all"):
        print_row(f"{part} part" if part != "all" else "all pages", totals[part])
    total = totals["all"]
    out = total["comments out"]
    print(
        f"\nlabelled comments found {_rate(total['found'], total['labelled'])} "
        f"({total['found']}/{total['labelled']}), depth right {_rate(total['depth right'], total['found'])} "
        f"of those found (target: every comment found with its depth)"
    )
    empty, missing = TARGETS["empty text"], TARGETS["missing author"]
    print(
        f"empty text {_rate(total['empty text'], out)} of {out} comments read (target ≤ {empty:.0%}); "
        f"missing author {_rate(total['missing author'], total['found'])} of those found (target ≤ {missing:.0%}); "
        f"wrong author {_rate(total['wrong author'], total['found'])}; extra comments {total['extra']}"
    )
    print(f"crashes: {len(crashes)}" + "".join(f"\n  {c}" for c in crashes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
