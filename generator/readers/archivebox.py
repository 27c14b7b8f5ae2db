"""ArchiveBox collections: one article per snapshot, read from the best capture ArchiveBox made of it.

An ArchiveBox data folder (``index.sqlite3`` beside ``archive/``) holds one
folder per snapshot, ``archive/<timestamp>/``, with ``index.json`` (URL,
title, tags, timestamps, what each extractor did) beside the extractors'
outputs. The snapshot's ``index.json`` is the capture backissue reads; it
picks the best output present — the SingleFile page, then the wget mirror,
then the WARC, then ``output.html`` (Chrome's DOM dump) — and reads it with
that format's reader. ArchiveBox's tags join the page's, its snapshot time is
the capture date when the capture gives none. A snapshot with no usable
output is skipped, with the extractors' results as the reason.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.common.weburl import page_key, web_url
from generator.model import Article, Diagnostic
from generator.readers.base import ReadContext, ReadResult, file_stamp
from generator.readers.html.reader import read_html_capture
from generator.readers.singlefile import read_saved_html
from generator.readers.warc import read_warc

_OUTPUTS = ("singlefile", "wget", "warc", "dom")  # best first


def read_snapshot(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    try:
        index = json.loads(path.read_bytes())
        if not isinstance(index, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as error:
        return ReadResult(None, [Diagnostic(source, f"not a readable ArchiveBox snapshot index: {error}")])
    url = web_url(index.get("url")) or ""  # only an http(s) address, as from any capture
    folder = path.parent
    looked_at: dict[str, str] = {}
    for kind in _OUTPUTS:
        capture = _output(folder, kind, index.get("history"))
        if capture is None:
            continue
        looked_at[str(capture)] = file_stamp(capture)
        result = _read(kind, capture, url, _context(context, index))
        if result.article is not None:
            result.article = _with_snapshot(result.article, index, url)
            result.depends_on.update(looked_at)
            return result
    reason = _failures(index.get("history")) or "no SingleFile page, wget mirror, WARC or output.html"
    return ReadResult(None, skipped=f"ArchiveBox snapshot {url or folder.name}: nothing usable ({reason})",
                      depends_on=looked_at)  # fmt: skip


def _output(folder: Path, kind: str, history: Any) -> Path | None:
    """Where an extractor's output is, when it succeeded (per ``index.json``) or is simply there."""
    entries = history.get(kind) if isinstance(history, dict) else None
    named = [
        entry["output"]
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and entry.get("status") == "succeeded" and isinstance(entry.get("output"), str)
    ]
    defaults = {"singlefile": ["singlefile.html"], "dom": ["output.html"]}.get(kind, [])
    if kind == "warc":
        defaults = [p.relative_to(folder).as_posix() for p in sorted((folder / "warc").glob("*.warc*"))]
    for relative in [*reversed(named), *defaults]:
        candidate = (folder / relative).resolve()
        if candidate.is_relative_to(folder.resolve()) and candidate.is_file() and candidate.suffix != ".json":
            return folder / relative
    return None


def _read(kind: str, capture: Path, url: str, context: ReadContext) -> ReadResult:
    """The page *url* read from one output; a WARC's other pages are left out."""
    if kind == "warc":
        result = read_warc(capture, context)
        pages = [r for r in (result, *result.more) if r.article is not None]
        chosen = next(
            (r for r in pages if page_key(r.article.source_url) == page_key(url)), pages[0] if pages else result
        )
        chosen.diagnostics[:0] = result.diagnostics if chosen is not result else []
        chosen.more, chosen.state_folder = [], result.state_folder
        return chosen
    if kind == "singlefile":
        return read_saved_html(capture, context)
    return read_html_capture(capture, context)


def _context(context: ReadContext, index: dict[str, Any]) -> ReadContext:
    """The snapshot's title and time as defaults: what the capture itself says wins."""
    defaults = dict(context.defaults)
    if isinstance(index.get("title"), str) and index["title"].strip():
        defaults.setdefault("title", index["title"].strip())
    if captured := _timestamp(index.get("timestamp")):
        defaults.setdefault("captured", captured)
    return replace(context, defaults=defaults)


def _with_snapshot(article: Article, index: dict[str, Any], url: str) -> Article:
    """ArchiveBox's tags joined to the page's; its URL when the page names none."""
    tags = index.get("tags") or ""
    own = [t.strip() for t in (tags.split(",") if isinstance(tags, str) else tags) if isinstance(t, str) and t.strip()]
    merged = tuple(dict.fromkeys([*article.tags, *own]))
    return replace(article, tags=merged, source_url=article.source_url or url or None)


def _timestamp(value: Any) -> datetime | None:
    """ArchiveBox's snapshot timestamp (Unix seconds, as text) as a date."""
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _failures(history: Any) -> str:
    """What each extractor that ran reported: ``singlefile failed: <error>; wget failed``."""
    parts = []
    for name, entries in sorted(history.items()) if isinstance(history, dict) else []:
        last = entries[-1] if isinstance(entries, list) and entries and isinstance(entries[-1], dict) else {}
        status = last.get("status", "unknown")
        output = last.get("output")
        error = output if isinstance(output, str) and status != "succeeded" else ""
        parts.append(f"{name} {status}" + (f": {error}" if error else ""))
    return "; ".join(parts)
