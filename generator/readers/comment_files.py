"""Reader comments as captures give them: ``comments.toml`` files, and one comment from text a reader found.

Every comment is made here, whichever reader found it, so all of them are rendered and checked alike;
threading them is :mod:`generator.site.comments`' job.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.common.documents import load_document
from generator.common.i18n import bcp47
from generator.common.markup import render_comment
from generator.common.weburl import checked_url
from generator.model import Comment, Diagnostic
from generator.readers.dates import DateOutOfRange
from generator.readers.metadata import is_regular_file, parse_datetime

LONG_COMMENT_CHARS = 20_000
_ENTRY_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*comments[ \t]*\]\]", re.MULTILINE)
_ANY_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)  # a header, broken or not, starts an entry of its own


def read_comments_file(path: Path, source: str, tz: ZoneInfo) -> tuple[list[Comment], list[Diagnostic]]:
    """All comments of *path*; a damaged entry costs only itself, never the file."""
    if not is_regular_file(path):
        return [], []
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    except OSError as error:
        return [], [Diagnostic(source, f"cannot read comments: {error.strerror or error}")]
    entries, diagnostics = _parse_entries(text, source)
    comments = []
    lines = text.split("\n")  # once: every entry looks up the lines of its keys
    for position, (entry, line) in enumerate(entries, start=1):
        comment, problems = _comment_from_entry(entry, position, line, source, tz, partial(_key_line, lines, line))
        comments.append(comment)
        diagnostics.extend(problems)
    return comments, diagnostics


def cap_comments(comments: list[Comment], limit: int, source: str) -> tuple[list[Comment], list[Diagnostic]]:
    """At most *limit* comments (``[limits] max_comments``), with a warning when some are left out."""
    if len(comments) <= limit:
        return comments, []
    message = f"limit max_comments: {len(comments):,} comments, only the first {limit:,} kept"
    return comments[:limit], [Diagnostic(source, message)]


def _parse_entries(text: str, source: str) -> tuple[list[tuple[Any, int]], list[Diagnostic]]:
    """``(entry, line)`` pairs; on a TOML error, each ``[[comments]]`` entry is parsed alone."""
    header_lines = _line_numbers(text, [m.start() for m in _ENTRY_HEADER.finditer(text)])
    data, diagnostics = load_document(text, source, 1, yaml_syntax=False, skipped="reading entry by entry")
    if data is None:  # entry by entry, each value set aside again where it lies
        diagnostics = diagnostics[-1:]
        attempts = _line_numbers(text, [m.start() for m in _ANY_HEADER.finditer(text)])
        entries, problems = _parse_one_by_one(text, attempts, source)
        return entries, diagnostics + problems
    entries = data.get("comments", [])
    if not isinstance(entries, list):
        return [], [*diagnostics, Diagnostic(source, "'comments' must be an array of tables ([[comments]])")]
    lines = header_lines + [None] * (len(entries) - len(header_lines))
    return list(zip(entries, lines, strict=False)), diagnostics


def _key_line(lines: list[str], header_line: int | None, name: str) -> int | None:
    """The line of key *name* in the entry that starts on *header_line* (of the file's *lines*), else that line."""
    if header_line is None:
        return None
    for number in range(header_line + 1, len(lines) + 1):
        if _ENTRY_HEADER.match(lines[number - 1]):
            break
        if re.match(rf"[ \t]*{name}[ \t]*=", lines[number - 1]):
            return number
    return header_line


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """1-based line numbers of ascending *offsets*, in one pass over *text*."""
    numbers, line, position = [], 1, 0
    for offset in offsets:
        line += text.count("\n", position, offset)
        position = offset
        numbers.append(line)
    return numbers


def _parse_one_by_one(text: str, header_lines: list[int], source: str) -> tuple[list, list[Diagnostic]]:
    lines = text.split("\n")
    bounds = header_lines + [len(lines) + 1]
    entries, diagnostics = [], []
    for start, end in itertools.pairwise(bounds):
        chunk = "\n".join(lines[start - 1 : end - 1])
        data, problems = load_document(chunk, source, start, yaml_syntax=False, skipped="comment entry skipped")
        diagnostics.extend(problems)
        if data is not None:
            entries.append((data["comments"][0], start))
    return entries, diagnostics


def _comment_from_entry(
    entry: Any, position: int, line: int | None, source: str, tz: ZoneInfo, key_line: Callable[[str], int | None]
) -> tuple[Comment, list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def field(key: str, kinds: tuple[type, ...] = (str,)) -> Any:
        value = entry.get(key) if isinstance(entry, dict) else None
        if value is not None and not isinstance(value, kinds):
            message = f"comment {position}: '{key}' has the wrong type; ignored"
            problems.append(Diagnostic(source, message, key_line(key)))
            return None
        return value

    if not isinstance(entry, dict):
        problems.append(Diagnostic(source, f"comment {position} is not a table", line))
    body = field("body") or ""
    if not body.strip():
        problems.append(Diagnostic(source, f"comment {position} has no body; kept as empty", line))
    if len(body) > LONG_COMMENT_CHARS:
        problems.append(Diagnostic(source, f"comment {position} is very long ({len(body):,} characters); kept", line))
    raw_date = field("date", (str, datetime))
    try:
        date = parse_datetime(raw_date, tz) if raw_date is not None else None
    except DateOutOfRange as error:
        problems.append(Diagnostic(source, f"comment {position}: date {raw_date!r} {error}; shown undated", line))
        raw_date = date = None
    if raw_date is not None and date is None:
        message = f"comment {position}: date {raw_date!r} not understood; shown undated"
        problems.append(Diagnostic(source, message, key_line("date")))
    url, dropped = checked_url(field("url"), source, f"comment {position}: author url", key_line("url"))
    problems += [dropped] if dropped else []
    comment_id = field("id", (str, int))
    parent = field("parent", (str, int))
    comment = comment_from_text(
        str(comment_id) if comment_id is not None else str(position),
        body,
        source,
        line,
        author=field("author"),
        parent=str(parent) if parent is not None else None,
        date=date,
        url=url,
    )
    if field("date_approximate", (bool,)):
        comment = replace(comment, date_approximate=True)
    language = field("language")
    if language is not None and bcp47(language):
        comment = replace(comment, language=bcp47(language))
    elif language is not None:
        problems.append(Diagnostic(source, f"comment {position}: language {language!r} is not a language tag", line))
    return comment, problems


def comment_from_text(
    comment_id: str,
    text: str,
    source: str,
    line: int | None,
    author: str | None = None,
    parent: str | None = None,
    date: datetime | None = None,
    url: str | None = None,
) -> Comment:
    """A :class:`Comment` whose Markdown *text* is rendered safely once, here."""
    return Comment(
        id=comment_id,
        body_html=render_comment(text),
        text=text.strip(),
        source=source,
        parent=parent,
        author=(author or "").strip() or None,
        date=date,
        url=url,
        line=line,
    )
