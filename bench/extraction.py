"""Extraction quality: how much of each article's text a reader keeps, and how much chrome it lets in.

    .venv/bin/python bench/extraction.py [--pages GLOB] [--json] [--check-truth]

Scores every page of the hand-written corpus in bench/extraction/ (see its
README) with the 4-gram-shingle measure of public article-extraction
benchmarks: both texts become lowercase word tokens, then sets of 4-token
shingles; precision = |extracted ∩ truth| / |extracted|, recall =
|extracted ∩ truth| / |truth|. An empty extraction scores 0 on both.

Two extractors are compared: plain trafilatura (tables on, comments off)
and backissue's own reader through ``generator.commands.inspect.inspect_file``. For
backissue it also scores metadata, comments and whether listing pages are
skipped. A reader that cannot read a page (no reader for .html yet, or an
exception) is shown as n/a.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.commands.inspect import inspect_file
from generator.common.config import SiteConfig

CORPUS = Path(__file__).resolve().parent / "extraction"
SHINGLE = 4
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


# --------------------------------------------------------------------------
# the measure
# --------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Every run of *size* consecutive tokens; a text shorter than that is one shingle."""
    words = tokens(text)
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def score(extracted: str, truth: str) -> dict[str, float]:
    found, wanted = shingles(extracted), shingles(truth)
    if not found or not wanted:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    common = len(found & wanted)
    precision, recall = common / len(found), common / len(wanted)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def coverage(part: str, extracted: str) -> float:
    """How much of *part* (a comment, a caption) turns up in *extracted*."""
    wanted = shingles(part)
    return len(wanted & shingles(extracted)) / len(wanted) if wanted else 0.0


# --------------------------------------------------------------------------
# the two extractors
# --------------------------------------------------------------------------


def trafilatura_text(page: Path) -> str | None:
    try:
        import trafilatura
    except ImportError:
        return None
    text = trafilatura.extract(page.read_bytes(), include_comments=False, include_tables=True, favor_precision=False)
    return text or ""


def backissue_report(page: Path, config: SiteConfig) -> dict[str, Any] | None:
    """What ``backissue inspect --json`` says of the page, or None when it cannot read it."""
    try:
        return inspect_file(page, config)
    except Exception:  # noqa: BLE001 - no reader for the suffix yet, or a reader bug: both are "n/a"
        return None


def report_body(report: dict[str, Any]) -> str:
    """Block texts and figure captions, blank lines between, as the truth bodies are written.

    A figure counts by its caption only: alt text is not shown on the page,
    and the truth bodies (like trafilatura's output) leave it out.
    """
    parts = []
    for block in report["blocks"]:
        shown = (block.get("caption"),) if block.get("type") == "figure" else (block.get("text"), block.get("caption"))
        parts.extend(part for part in shown if part)
    return "\n\n".join(parts)


def flat_comments(nodes: Iterable[dict[str, Any]], parent: str | None = None) -> list[dict[str, Any]]:
    """The nested ``replies`` of an inspect report as a list with parent ids."""
    found = []
    for node in nodes:
        found.append({**node, "parent": parent})
        found.extend(flat_comments(node.get("replies", []), node["id"]))
    return found


# --------------------------------------------------------------------------
# scoring backissue's metadata, comments and page kind
# --------------------------------------------------------------------------


def _comparable(text: str | None) -> str:
    return " ".join((text or "").translate(QUOTES).casefold().split())


def same_text(a: str | None, b: str | None) -> bool:
    return _comparable(a) == _comparable(b)


def same_date(truth: str | None, found: str | None) -> bool:
    """Equal instants when both carry a time and zone, else the same calendar date."""
    if not truth or not found:
        return truth == found
    a, b = datetime.fromisoformat(truth), datetime.fromisoformat(found)
    if "T" in truth and a.tzinfo and b.tzinfo and (b.hour, b.minute, b.second) != (0, 0, 0):
        return a == b
    return a.date() == b.date()


def same_names(truth: list[str], found: list[str]) -> bool:
    return sorted(n.translate(QUOTES).casefold() for n in truth) == sorted(
        n.translate(QUOTES).casefold() for n in found
    )


def metadata_hits(truth: dict[str, Any], report: dict[str, Any]) -> dict[str, bool]:
    return {
        "title": same_text(truth["title"], report.get("title")),
        "published": same_date(truth["published"], report.get("published")),
        "authors": same_names(truth["authors"], report.get("authors") or []),
        "tags": same_names(truth["tags"], report.get("tags") or []),
    }


def comment_scores(truth: list[dict[str, Any]], report: dict[str, Any]) -> dict[str, Any]:
    """Comments found against the truth, and how many truth comments hang under the right parent.

    A found comment matches a truth comment by its text; its parent is right
    when the found parent matches the truth comment's parent (or both are
    top level).
    """
    found = flat_comments(report.get("comments") or [])
    match: dict[str, str] = {}  # found id -> truth id
    for want in truth:
        best = max(found, key=lambda c: coverage(want["text"], c.get("text") or ""), default=None)
        if best is not None and coverage(want["text"], best.get("text") or "") >= 0.5:
            match.setdefault(best["id"], want["id"])
    right = sum(
        1
        for c in found
        if c["id"] in match
        and _truth_parent(truth, match[c["id"]]) == (match.get(c["parent"]) if c["parent"] else None)
    )
    relative = {c["id"] for c in truth if c.get("approximate_date")}
    dated = sum(1 for c in found if match.get(c["id"]) in relative and c.get("date"))
    return {
        "found": len(found),
        "wanted": len(truth),
        "matched": len(set(match.values())),
        "parents": right,
        "relative_dates": len(relative),
        "relative_dated": dated,
    }


def _truth_parent(truth: list[dict[str, Any]], comment_id: str) -> str | None:
    return next(c["parent"] for c in truth if c["id"] == comment_id)


def not_captured_flag(report: dict[str, Any]) -> bool:
    """Whether the report says the page's comments were not captured (key or warning)."""
    if report.get("comments_not_captured"):
        return True
    return any("not captured" in warning for warning in report.get("warnings", []))


# --------------------------------------------------------------------------
# one page
# --------------------------------------------------------------------------


def parts_kept(parts: list[str], text: str) -> float | None:
    """The share of *parts* of which at least half turns up in *text*; None without parts."""
    parts = [p for p in parts if p]
    return sum(coverage(p, text) >= 0.5 for p in parts) / len(parts) if parts else None


def text_checks(text: str, truth: dict[str, Any]) -> dict[str, Any]:
    """Body score plus two things a body score hides: captions kept, comments let in."""
    return {
        **score(text, truth["body"]),
        "captions": parts_kept([i.get("caption") or "" for i in truth["images"]], text),
        "comments_in_body": parts_kept([c["text"] for c in truth["comments"] or []], text),
    }


def evaluate(name: str, page: Path, truth: dict[str, Any], config: SiteConfig) -> dict[str, Any]:
    traf, report = trafilatura_text(page), backissue_report(page, config)
    row: dict[str, Any] = {"page": name, "kind": truth["kind"], "family": truth.get("family", "")}
    if truth["kind"] == "listing":
        row["trafilatura"] = None if traf is None else {"skipped": not traf.strip()}
        row["backissue"] = None if report is None else {"skipped": report["reader"] is None}
        return row
    row["trafilatura"] = None if traf is None else text_checks(traf, truth)
    if report is None:
        row["backissue"] = None
        return row
    row["backissue"] = {
        **text_checks(report_body(report), truth),
        "kept": report["reader"] is not None,
        "metadata": metadata_hits(truth, report),
        "comments": comment_scores(truth["comments"] or [], report),
        "not_captured": (not_captured_flag(report), truth["comments_not_captured"]),
    }
    return row


def corpus(pattern: str) -> list[tuple[str, Path, dict[str, Any]]]:
    pages = sorted((CORPUS / "pages").glob(pattern))
    return [(p.stem, p, json.loads((CORPUS / "truth" / f"{p.stem}.json").read_text(encoding="utf-8"))) for p in pages]


def evaluate_all(pattern: str) -> list[dict[str, Any]]:
    """Every page, read from a throwaway site whose content/ holds a copy of it."""
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        (site / "content").mkdir()
        config = SiteConfig(site_path=site)
        rows = []
        for name, page, truth in corpus(pattern):
            copy = site / "content" / page.name
            shutil.copyfile(page, copy)
            rows.append(evaluate(name, copy, truth, config))
            copy.unlink()
        return rows


# --------------------------------------------------------------------------
# summary and printing
# --------------------------------------------------------------------------


def _mean(values: Iterable[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return mean(values) if values else None


def summary_for(rows: list[dict[str, Any]], tool: str) -> dict[str, Any]:
    """Means over article pages (and their subsets) for one extractor; None where it gave nothing."""
    articles = [r for r in rows if r["kind"] == "article"]
    scored = [r for r in articles if r[tool] is not None]

    def subset(pick: Callable[[str, dict[str, Any]], bool]) -> float | None:
        return _mean(r[tool]["f1"] for r in scored if pick(r["family"], r))

    listings = [r for r in rows if r["kind"] == "listing" and r[tool] is not None]
    return {
        "pages": len(scored),
        "of": len(articles),
        "f1": _mean(r[tool]["f1"] for r in scored),
        "precision": _mean(r[tool]["precision"] for r in scored),
        "recall": _mean(r[tool]["recall"] for r in scored),
        "f1_with_comments": subset(lambda _f, r: r[tool]["comments_in_body"] is not None),
        "f1_with_captions": subset(lambda _f, r: r[tool]["captions"] is not None),
        "captions_kept": _mean(r[tool]["captions"] for r in scored),
        "comments_in_body": _mean(r[tool]["comments_in_body"] for r in scored),
        "listings_skipped": f"{sum(r[tool]['skipped'] for r in listings)}/{len(listings)}" if listings else None,
    }


def backissue_extras(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Metadata exact-match rates, comment counts and parent links, pages kept, placeholder detection."""
    scored = [r["backissue"] for r in rows if r["kind"] == "article" and r["backissue"] is not None]
    if not scored:
        return None
    comments = [s["comments"] for s in scored]
    wanted = sum(c["wanted"] for c in comments)
    return {
        "metadata": {
            key: _mean(float(s["metadata"][key]) for s in scored) for key in ("title", "published", "authors", "tags")
        },
        "comments_found": (
            f"{sum(c['found'] for c in comments)} found, {sum(c['matched'] for c in comments)}/{wanted} matched"
        ),
        "parent_links": sum(c["parents"] for c in comments) / wanted if wanted else None,
        "relative_dates": f"{sum(c['relative_dated'] for c in comments)}/{sum(c['relative_dates'] for c in comments)}",
        "articles_kept": f"{sum(s['kept'] for s in scored)}/{len(scored)}",
        "not_captured": (
            f"{sum(s['not_captured'] == (True, True) for s in scored)}/{sum(s['not_captured'][1] for s in scored)}"
        ),
    }


def _cell(result: dict[str, Any] | None, key: str) -> str:
    if result is None:
        return "n/a"
    value = result.get(key)
    return "-" if value is None else f"{value:.2f}"


def _listing_verdict(result: dict[str, Any] | None) -> str:
    """What a tool did with a listing page."""
    if result is None:
        return "n/a"
    return "skipped" if result["skipped"] else "kept as article"


def _prf(result: dict[str, Any] | None) -> str:
    """Precision, recall and F1 of one page, in one cell."""
    return " ".join(_cell(result, k) for k in ("precision", "recall", "f1")) if result else "n/a"


def print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["page"]) for r in rows)
    head = f"{'page':{width}}  {'trafilatura P/R/F1':>20}  {'backissue P/R/F1':>20}  capt(t/b)  cmts-in-body(t/b)"
    print(head, "-" * len(head), sep="\n")
    for row in rows:
        traf, ours = row["trafilatura"], row["backissue"]
        if row["kind"] == "listing":
            print(f"{row['page']:{width}}  {'listing: ' + _listing_verdict(traf):>20}  {_listing_verdict(ours):>20}")
            continue
        print(
            f"{row['page']:{width}}  {_prf(traf):>20}  {_prf(ours):>20}  "
            f"{_cell(traf, 'captions'):>4}/{_cell(ours, 'captions'):<4}  "
            f"{_cell(traf, 'comments_in_body'):>4}/{_cell(ours, 'comments_in_body')}"
        )


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def print_summary(summary: dict[str, Any]) -> None:
    print()
    for tool in ("trafilatura", "backissue"):
        s = summary[tool]
        print(
            f"{tool:12} mean F1 {_figure(s['f1'])} (P {_figure(s['precision'])}, R {_figure(s['recall'])}) "
            f"over {s['pages']}/{s['of']} article pages; with comments {_figure(s['f1_with_comments'])}, "
            f"with captioned figures {_figure(s['f1_with_captions'])}; captions kept {_figure(s['captions_kept'])}, "
            f"comment text in body {_figure(s['comments_in_body'])}; listings skipped {s['listings_skipped'] or 'n/a'}"
        )
    extras = summary["backissue_extras"]
    if extras:
        meta = ", ".join(f"{k} {_figure(v)}" for k, v in extras["metadata"].items())
        print(
            f"backissue    metadata exact: {meta}; comments: {extras['comments_found']}, parent links "
            f"{_figure(extras['parent_links'])}, relative dates resolved {extras['relative_dates']}; "
            f"articles kept {extras['articles_kept']}; "
            f"'comments not captured' flagged {extras['not_captured']}"
        )


# --------------------------------------------------------------------------
# keeping the corpus honest
# --------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The page's text outside scripts and styles, with a space at every tag boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style") and self._hidden > 0
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def truth_problems(page: Path, truth: dict[str, Any]) -> list[str]:
    """Truth lines (body, comments, title) whose words do not appear, in order, in the page."""
    parser = _VisibleText()
    parser.feed(page.read_bytes().decode(truth.get("encoding", "utf-8")))
    visible = f" {' '.join(tokens(''.join(parser.parts)))} "
    lines = truth["body"].splitlines() + [c["text"] for c in truth["comments"] or []] + [truth["title"] or ""]
    return [line for line in lines if tokens(line) and f" {' '.join(tokens(line))} " not in visible]


def check_truth(pattern: str) -> int:
    bad = 0
    for name, page, truth in corpus(pattern):
        for line in truth_problems(page, truth):
            bad += 1
            print(f"{name}: not in the page: {line[:90]}")
    print(f"{bad} truth line(s) not found in their pages")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="*.html", help="glob of page names in bench/extraction/pages (default: all)")
    parser.add_argument("--json", action="store_true", help="print per-page rows and the summary as JSON")
    parser.add_argument("--check-truth", action="store_true", help="only check that every truth line is in its page")
    args = parser.parse_args(argv)
    if args.check_truth:
        return check_truth(args.pages)
    rows = evaluate_all(args.pages)
    if not rows:
        print(f"no pages match {args.pages!r}")
        return 1
    summary = {tool: summary_for(rows, tool) for tool in ("trafilatura", "backissue")}
    summary["backissue_extras"] = backissue_extras(rows)
    if args.json:
        print(json.dumps({"pages": rows, "summary": summary}, indent=1, ensure_ascii=False))
    else:
        print_table(rows)
        print_summary(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
