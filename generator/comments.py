"""Reader comments: read ``comments.toml`` and thread flat comments into a tree.

Threading is a pure function with one promise: every comment of the input
appears exactly once in the output, whatever its parent links say. Orphans
move to the top level, cycles are cut, duplicate ids are renamed; each repair
is reported as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .documents import load_document
from .i18n import bcp47
from .markup import render_comment
from .model import Comment, Diagnostic, ThreadNode
from .readers.dates import DateOutOfRange
from .readers.metadata import is_regular_file, parse_datetime
from .weburl import checked_url

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
        return _parse_one_by_one(text, attempts, source, diagnostics), diagnostics
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


def _parse_one_by_one(text: str, header_lines: list[int], source: str, diagnostics: list[Diagnostic]) -> list:
    lines = text.split("\n")
    bounds = header_lines + [len(lines) + 1]
    entries = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        chunk = "\n".join(lines[start - 1 : end - 1])
        data, problems = load_document(chunk, source, start, yaml_syntax=False, skipped="comment entry skipped")
        diagnostics.extend(problems)
        if data is not None:
            entries.append((data["comments"][0], start))
    return entries


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


def thread(
    comments: Sequence[Comment], order: str = "oldest", max_depth: int = 6
) -> tuple[tuple[ThreadNode, ...], list[Diagnostic]]:
    """Build the reply tree; every comment of *comments* appears exactly once."""
    comments, diagnostics = _unique_ids(comments)
    by_id = {c.id: c for c in comments}
    parent_of: dict[str, str | None] = {}
    for comment in comments:
        parent = comment.parent
        if parent is not None and parent not in by_id:
            diagnostics.append(_warn(comment, f"replies to unknown comment {parent!r}; shown at top level"))
            parent = None
        parent_of[comment.id] = parent
    diagnostics.extend(_break_cycles(comments, parent_of))
    children: dict[str | None, list[Comment]] = {}
    for comment in _ordered(comments, order):
        children.setdefault(parent_of[comment.id], []).append(comment)

    def parent(comment: Comment) -> Comment | None:
        parent_id = parent_of[comment.id]
        return None if parent_id is None else by_id[parent_id]

    def place(comment: Comment, depth: int) -> list[ThreadNode]:
        """The node for *comment*; at ``max_depth`` its whole subtree follows it, flattened."""
        if depth < max_depth:
            replies = tuple(node for kid in children.get(comment.id, []) for node in place(kid, depth + 1))
            return [ThreadNode(comment, depth, replies, parent(comment))]
        return [ThreadNode(c, depth, (), parent(c), overflow=c is not comment) for c in _preorder(comment, children)]

    roots = tuple(node for root in children.get(None, []) for node in place(root, 1))
    return roots, diagnostics


def _preorder(top: Comment, children: dict[str | None, list[Comment]]) -> list[Comment]:
    """*top* and everything below it in reading order, without recursion (threads can be very deep)."""
    found, stack = [], [top]
    while stack:
        comment = stack.pop()
        found.append(comment)
        stack.extend(reversed(children.get(comment.id, [])))
    return found


def _unique_ids(comments: Sequence[Comment]) -> tuple[list[Comment], list[Diagnostic]]:
    """Duplicate ids renamed ``ID-2``, ``ID-3``…; each id's next number is remembered, so thousands of
    comments sharing one id are renamed in linear time."""
    seen: set[str] = {c.id for c in comments}
    used: set[str] = set()
    next_number: dict[str, int] = {}
    result, diagnostics = [], []
    for comment in comments:
        if comment.id in used:
            number = next_number.get(comment.id, 2)
            while f"{comment.id}-{number}" in seen:
                number += 1
            next_number[comment.id] = number + 1
            new_id = f"{comment.id}-{number}"
            seen.add(new_id)
            diagnostics.append(_warn(comment, f"duplicate id {comment.id!r} renamed to {new_id!r}"))
            comment = replace(comment, id=new_id)
        used.add(comment.id)
        result.append(comment)
    return result, diagnostics


def _break_cycles(comments: Sequence[Comment], parent_of: dict[str, str | None]) -> list[Diagnostic]:
    """Cut each reply cycle at its first comment in file order, which moves to the top level."""
    diagnostics = []
    settled: set[str] = set()
    position = {c.id: index for index, c in enumerate(comments)}
    for comment in comments:
        path: list[str] = []
        current: str | None = comment.id
        while current is not None and current not in settled and current not in path:
            path.append(current)
            current = parent_of[current]
        if current is not None and current in path:
            cycle = path[path.index(current) :]
            first = min(cycle, key=position.__getitem__)
            parent_of[first] = None
            diagnostics.append(_warn(comments[position[first]], "reply cycle broken; shown at top level"))
        settled.update(path)
    return diagnostics


def _ordered(comments: Sequence[Comment], order: str) -> list[Comment]:
    """Sort by date; an undated comment keeps its place after the comment before it in the file."""
    keyed = []
    last = datetime.min
    for index, comment in enumerate(comments):
        stamp = comment.date.replace(tzinfo=None) - comment.date.utcoffset() if comment.date else last
        last = stamp
        keyed.append((stamp, index, comment))
    if order == "newest":
        keyed.sort(key=lambda item: (item[0], -item[1]), reverse=True)
    else:
        keyed.sort(key=lambda item: (item[0], item[1]))
    return [comment for _stamp, _index, comment in keyed]


def _warn(comment: Comment, message: str) -> Diagnostic:
    return Diagnostic(comment.source, f"comment {comment.id!r}: {message}", comment.line)
