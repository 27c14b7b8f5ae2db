"""Extraction on real saved pages: backissue's HTML reader beside plain trafilatura, same pages, same run.

    .venv/bin/python bench/real_pages.py [--corpus wcxb|mozilla|both] [--sample N] [--part tune|measure|all]
                                         [--worst N] [--json FILE]

Two public corpora of real pages (not in this repository; ``--corpora``
points at the folder holding them, see bench/README.md):

- the WCXB development split (1,497 pages, 7 page types): the benchmark's
  own word F1 (multiset of lower-case ``\\w+`` tokens) per page type, the
  4-gram-shingle F1 of ``bench/extraction.py``, the share of the truth's
  ``with`` snippets found and ``without`` snippets avoided, title, author and
  date accuracy, and whether collection and listing pages are recognised as
  not articles (backissue skips the page; trafilatura returns nothing);
- Mozilla Readability's test pages: shingle F1 against the text of
  ``expected.html``.

Pages are split by domain into a part to tune on and a part only measured:
a domain is in the measured part when the first byte of the SHA-1 of its
name is below 52 (about 20%). A Mozilla page's folder name stands for its
domain. The split is fixed; never move a page between parts.

Every page is read in a throwaway site laid out like a wget mirror
(``content/<host>/<path>/index.html``), so the reader sees the address a
mirror would give it. An exception from either extractor on a page is
counted as a crash for that page and the run goes on.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import flat_comments, report_body, score  # noqa: E402

from generator.commands.inspect import inspect_file
from generator.common.config import SiteConfig

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
MEASURED_BELOW = 52  # first SHA-1 byte of the domain: 52/256 ≈ 20% of domains are only measured
NOT_ARTICLES = ("collection", "listing")
SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------
# measures
# --------------------------------------------------------------------------


def word_f1(predicted: str, reference: str) -> float:
    """WCXB's scorer: F1 of the multisets of lower-case ``\\w+`` tokens."""
    found, wanted = Counter(re.findall(r"\w+", predicted.lower())), Counter(re.findall(r"\w+", reference.lower()))
    if not wanted:
        return 1.0 if not found else 0.0
    if not found:
        return 0.0
    overlap = sum((found & wanted).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(wanted.values())
    return 2 * precision * recall / (precision + recall)


def snippet_rate(snippets: list[str], text: str) -> float | None:
    """The share of *snippets* found in *text* (case-insensitive, whitespace normalised)."""
    snippets = [s for s in snippets if s and s.strip()]
    if not snippets:
        return None
    haystack = SPACES.sub(" ", text.lower())
    return sum(SPACES.sub(" ", s.lower()).strip() in haystack for s in snippets) / len(snippets)


def _norm(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def same_title(truth: str | None, found: str | None) -> bool | None:
    return None if not truth else _norm(truth) == _norm(found)


def same_author(truth: str | None, found: list[str]) -> bool | None:
    """Every name the truth gives is among the names found (in any order)."""
    if not truth:
        return None
    names = _norm(" ".join(found))
    return bool(names) and all(part in names for part in _norm(truth).split())


def same_day(truth: str | None, found: str | None) -> bool | None:
    return None if not truth else bool(found) and found[:10] == truth[:10]


def domain_part(domain: str) -> str:
    return "measure" if hashlib.sha1(domain.encode()).digest()[0] < MEASURED_BELOW else "tune"


# --------------------------------------------------------------------------
# the two extractors, each isolated per page
# --------------------------------------------------------------------------


def run_trafilatura(html: str) -> tuple[str | None, str | None, float]:
    import trafilatura

    start = time.perf_counter()
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=False) or ""
    except Exception as error:  # noqa: BLE001 - a crash on one page is a figure, not the end of the run
        return None, f"{type(error).__name__}: {error}", time.perf_counter() - start
    return text, None, time.perf_counter() - start


def run_backissue(
    site: Path, url: str, html: str, config: SiteConfig
) -> tuple[dict[str, Any] | None, str | None, float]:
    page = site / "content" / mirror_path(url)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    start = time.perf_counter()
    try:
        report = inspect_file(page, config)
    except Exception as error:  # noqa: BLE001 - counted as a crash
        report, crash = None, f"{type(error).__name__}: {error}"
    else:
        crash = None
    elapsed = time.perf_counter() - start
    shutil.rmtree(site / "content")
    (site / "content").mkdir()
    return report, crash, elapsed


def mirror_path(url: str | None) -> str:
    """Where wget would save *url*: ``host/path/index.html`` (the query left out)."""
    parts = urlsplit(url or "https://example.org/")  # one WCXB page has no address
    segments = [re.sub(r"[^\w.@+-]", "_", s)[:80] for s in parts.path.split("/") if s]
    host = parts.hostname or "example.org"
    if segments and re.search(r"\.(?:html?|php|aspx?|cfm|jsp)$", segments[-1], re.I):
        return "/".join([host, *segments[:-1], re.sub(r"\.\w+$", ".html", segments[-1])])
    return "/".join([host, *segments, "index.html"])


def backissue_text(report: dict[str, Any], with_comments: bool) -> str:
    text = report_body(report)
    if with_comments:
        text += "\n\n" + "\n\n".join(c.get("text") or "" for c in flat_comments(report.get("comments") or []))
    return text


# --------------------------------------------------------------------------
# corpora
# --------------------------------------------------------------------------


def wcxb_pages(root: Path) -> list[dict[str, Any]]:
    files = json.loads((root / "metadata.json").read_text(encoding="utf-8"))["files"]
    pages = []
    for page_id, info in sorted(files.items()):
        truth = json.loads((root / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))["ground_truth"]
        pages.append({
            "id": page_id, "corpus": "wcxb", "type": info["page_type"], "domain": info["domain"], "url": info["url"],
            "part": domain_part(info["domain"]), "path": root / "html" / f"{page_id}.html.gz", "truth": truth,
        })  # fmt: skip
    return pages


def mozilla_pages(root: Path) -> list[dict[str, Any]]:
    pages = []
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = lxml_html.fromstring((folder / "expected.html").read_bytes())
        body = "\n\n".join(t.strip() for t in expected.itertext() if t.strip())
        pages.append({
            "id": folder.name, "corpus": "mozilla", "type": "article", "domain": folder.name,
            "url": f"https://{re.sub(r'[^a-z0-9-]', '-', folder.name.lower())}.example/article/",
            "part": domain_part(folder.name), "path": folder / "source.html",
            "truth": {"main_content": body, "title": meta.get("title"), "author": meta.get("byline")},
        })  # fmt: skip
    return pages


def stratified(pages: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """*size* pages with each page type in its share, picked by a hash of the page id (deterministic)."""
    if size <= 0 or size >= len(pages):
        return pages
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in pages:
        by_type[page["type"]].append(page)
    picked = []
    for group in by_type.values():
        group.sort(key=lambda p: hashlib.sha1(f"{p['corpus']}{p['id']}".encode()).hexdigest())
        picked.extend(group[: max(1, round(size * len(group) / len(pages)))])
    return sorted(picked, key=lambda p: (p["corpus"], p["id"]))


def read_html(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------
# one page
# --------------------------------------------------------------------------


def evaluate(page: dict[str, Any], site: Path, config: SiteConfig) -> dict[str, Any]:
    html, truth = read_html(page["path"]), page["truth"]
    reference = truth.get("main_content") or ""
    row: dict[str, Any] = {k: page[k] for k in ("id", "corpus", "type", "domain", "part")}
    traf, traf_crash, traf_time = run_trafilatura(html)
    report, crash, our_time = run_backissue(site, page["url"], html, config)
    row["time"] = {"trafilatura": traf_time, "backissue": our_time}
    forum = page["type"] == "forum"
    for tool, text, failed in (
        ("trafilatura", traf, traf_crash),
        ("backissue", backissue_text(report, forum) if report and report["reader"] else "", crash),
    ):
        text = text or ""
        row[tool] = {
            "crash": failed,
            "skipped": not text.strip(),
            "word_f1": word_f1(text, reference),
            "shingle_f1": score(text, reference)["f1"],
            "precision": score(text, reference)["precision"],
            "recall": score(text, reference)["recall"],
            "with": snippet_rate(truth.get("with") or [], text),
            "without": snippet_rate(truth.get("without") or [], text),
        }
    if report:
        row["backissue"].update({
            "reason": report.get("skipped"),
            "title": same_title(truth.get("title"), report.get("title")),
            "author": same_author(truth.get("author"), report.get("authors") or []),
            "date": same_day(truth.get("publish_date"), report.get("published")),
            "comments": len(comments := flat_comments(report.get("comments") or [])),
            "comments_empty": sum(not (c.get("text") or "").strip() for c in comments),
            "comments_no_author": sum(not (c.get("author") or "").strip() for c in comments),
        })  # fmt: skip
    return row


def cause(row: dict[str, Any]) -> str:
    """One line on why backissue did badly on a page."""
    ours, theirs = row["backissue"], row["trafilatura"]
    if ours["crash"]:
        return f"crash: {ours['crash'][:90]}"
    if ours["skipped"]:
        return f"skipped ({ours.get('reason') or 'no text'}); trafilatura F1 {theirs['word_f1']:.2f}"
    if ours["recall"] < 0.9 <= ours["precision"]:
        return f"missed text (R {ours['recall']:.2f}): container too small or body parts dropped"
    if ours["precision"] < 0.9 <= ours["recall"]:
        return f"chrome kept (P {ours['precision']:.2f}): sidebars, teasers, bylines or footer"
    return f"partly wrong on both sides (P {ours['precision']:.2f}, R {ours['recall']:.2f})"


# --------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------


def _mean(values: Any) -> float | None:
    values = [float(v) for v in values if v is not None]
    return mean(values) if values else None


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"pages": len(rows)}
    types = sorted({r["type"] for r in rows})
    for tool in ("trafilatura", "backissue"):
        s: dict[str, Any] = {"crashes": sum(bool(r[tool]["crash"]) for r in rows)}
        for kind in types:
            picked = [r[tool] for r in rows if r["type"] == kind]
            s[kind] = {"n": len(picked), "word_f1": _mean(p["word_f1"] for p in picked)}
        articles = [r[tool] for r in rows if r["type"] == "article"]
        s["article"].update({
            "shingle_f1": _mean(a["shingle_f1"] for a in articles),
            "with": _mean(a["with"] for a in articles), "without_avoided": _mean(
                None if a["without"] is None else 1 - a["without"] for a in articles),
            "wrongly_skipped": sum(a["skipped"] for a in articles),
        }) if articles else None  # fmt: skip
        not_articles = [r[tool] for r in rows if r["type"] in NOT_ARTICLES]
        s["not_articles_recognised"] = (sum(p["skipped"] for p in not_articles), len(not_articles))
        s["all_word_f1"] = _mean(r[tool]["word_f1"] for r in rows)
        out[tool] = s
    kept = [r["backissue"] for r in rows if r["type"] == "article" and "title" in r["backissue"]]
    kept = [k for k in kept if not k["skipped"]]
    out["metadata"] = {key: _mean(k[key] for k in kept) for key in ("title", "author", "date")}
    found = [r["backissue"] for r in rows if r["backissue"].get("comments")]
    out["comments"] = {
        key: sum(f[key] for f in found) for key in ("comments", "comments_empty", "comments_no_author")
    } | {"pages": len(found)}
    out["speed"] = {
        tool: len(rows) / sum(r["time"][tool] for r in rows) for tool in ("trafilatura", "backissue")
    } if rows else {}  # fmt: skip
    return out


def _f(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def print_summary(name: str, summary: dict[str, Any]) -> None:
    print(f"\n== {name}: {summary['pages']} pages")
    types = [k for k in summary["backissue"] if isinstance(summary["backissue"][k], dict)]
    print(f"{'word F1 by type':18} {'trafilatura':>11} {'backissue':>10}")
    for kind in types:
        t, b = summary["trafilatura"][kind], summary["backissue"][kind]
        print(f"  {kind:16} {_f(t['word_f1']):>11} {_f(b['word_f1']):>10}  ({b['n']} pages)")
    every = (_f(summary["trafilatura"]["all_word_f1"]), _f(summary["backissue"]["all_word_f1"]))
    print(f"  {'all pages':16} {every[0]:>11} {every[1]:>10}")
    for tool in ("trafilatura", "backissue"):
        s = summary[tool]
        article = s.get("article") or {}
        recognised, of = s["not_articles_recognised"]
        print(
            f"{tool:12} articles: shingle F1 {_f(article.get('shingle_f1'))}, with {_f(article.get('with'))}, "
            f"without avoided {_f(article.get('without_avoided'))}, wrongly skipped {article.get('wrongly_skipped')}"
            f"/{article.get('n')}; collection+listing recognised {recognised}/{of}; crashes {s['crashes']}"
        )
    meta = summary["metadata"]
    print(
        f"backissue    metadata on kept articles: title {_f(meta['title'])}, author {_f(meta['author'])}, "
        f"date {_f(meta['date'])}"
    )
    c = summary["comments"]
    if c["comments"]:
        print(
            f"backissue    comments: {c['comments']} on {c['pages']} pages, {c['comments_empty']} with empty text, "
            f"{c['comments_no_author']} without an author"
        )
    speed = summary["speed"]
    if speed:
        print(
            f"speed        trafilatura {speed['trafilatura']:.1f} pages/s, backissue {speed['backissue']:.1f} pages/s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="holds wcxb-dev/ and readability-test-pages/")
    parser.add_argument("--corpus", choices=("wcxb", "mozilla", "both"), default="both")
    parser.add_argument("--sample", type=int, default=0, help="a stratified sample of N pages per corpus (0: all)")
    parser.add_argument("--part", choices=("tune", "measure", "all"), default="all", help="read only this part")
    parser.add_argument("--ids", default="", help="comma-separated page ids only")
    parser.add_argument("--worst", type=int, default=15, help="list the N worst article pages with a cause")
    parser.add_argument("--json", type=Path, help="write every row and summary to this file")
    args = parser.parse_args(argv)
    corpora = []
    if args.corpus in ("wcxb", "both"):
        corpora.append(("WCXB dev", wcxb_pages(args.corpora / "wcxb-dev")))
    if args.corpus in ("mozilla", "both"):
        corpora.append(("Mozilla Readability", mozilla_pages(args.corpora / "readability-test-pages")))
    wanted_ids = set(filter(None, args.ids.split(",")))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        (site / "content").mkdir()
        config = SiteConfig(site_path=site)
        for name, pages in corpora:
            pages = [p for p in pages if (not wanted_ids or p["id"] in wanted_ids) and args.part in ("all", p["part"])]
            pages = stratified(pages, args.sample)
            rows = [evaluate(p, site, config) for p in pages]
            parts = {"all": rows} if args.part == "all" else {}
            parts.update({part: [r for r in rows if r["part"] == part] for part in ("tune", "measure")})
            for part, picked in parts.items():
                if picked and (args.part in ("all", part)):
                    print_summary(f"{name}, {part}", summarise(picked))
            worst = sorted((r for r in rows if r["type"] == "article"), key=lambda r: r["backissue"]["word_f1"])
            print(f"\nworst {name} article pages (backissue word F1 / trafilatura's): cause")
            for row in worst[: args.worst]:
                print(
                    f"  {row['id']:>28} {row['backissue']['word_f1']:.2f}/{row['trafilatura']['word_f1']:.2f} "
                    f"[{row['part']}] {cause(row)}"
                )
            results[name] = {"rows": rows, "summary": {p: summarise(r) for p, r in parts.items() if r}}
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
