"""Reader comments: thread flat comments into a tree.

Threading is a pure function with one promise: every comment of the input
appears exactly once in the output, whatever its parent links say. Orphans
move to the top level, cycles are cut, duplicate ids are renamed; each repair
is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from generator.model import Comment, Diagnostic, ThreadNode


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
