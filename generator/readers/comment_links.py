"""The links between a capture's comments, made sound: unique ids, replies to comments that exist, no cycles.

Every thread needs these repairs before it can be drawn, and each is reported as a warning about the
capture. The scan looks for them when it stores an article's comments, so a build learns of them without
loading the comments again; threading (:mod:`generator.site.comments`) makes the same repairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.model import Comment, Diagnostic


@dataclass(frozen=True)
class SoundLinks:
    """Comments with unique ids, each comment's parent (None: top level), and the warnings of the repairs."""

    comments: list[Comment]
    parent_of: dict[str, str | None]
    diagnostics: list[Diagnostic]


def sound_links(comments: Sequence[Comment]) -> SoundLinks:
    """Duplicate ids renamed, replies to unknown comments moved to the top level, cycles cut."""
    comments, diagnostics = _unique_ids(comments)
    known = {c.id for c in comments}
    parent_of: dict[str, str | None] = {}
    for comment in comments:
        parent = comment.parent
        if parent is not None and parent not in known:
            diagnostics.append(_warn(comment, f"replies to unknown comment {parent!r}; shown at top level"))
            parent = None
        parent_of[comment.id] = parent
    diagnostics.extend(_break_cycles(comments, parent_of))
    return SoundLinks(comments, parent_of, diagnostics)


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


def _warn(comment: Comment, message: str) -> Diagnostic:
    return Diagnostic(comment.source, f"comment {comment.id!r}: {message}", comment.line)
