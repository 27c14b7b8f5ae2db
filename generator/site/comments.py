"""Reader comments: thread flat comments into a tree.

Threading is a pure function with one promise: every comment of the input
appears exactly once in the output, whatever its parent links say. Orphans
move to the top level, cycles are cut, duplicate ids are renamed
(:mod:`generator.readers.comment_links`); each repair is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from generator.model import Comment, Diagnostic, ThreadNode
from generator.readers.comment_links import sound_links


def thread(
    comments: Sequence[Comment], order: str = "oldest", max_depth: int = 6
) -> tuple[tuple[ThreadNode, ...], list[Diagnostic]]:
    """Build the reply tree; every comment of *comments* appears exactly once."""
    links = sound_links(comments)
    by_id = {c.id: c for c in links.comments}
    parent_of = links.parent_of
    children: dict[str | None, list[Comment]] = {}
    for comment in _ordered(links.comments, order):
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
    return roots, links.diagnostics


def _preorder(top: Comment, children: dict[str | None, list[Comment]]) -> list[Comment]:
    """*top* and everything below it in reading order, without recursion (threads can be very deep)."""
    found, stack = [], [top]
    while stack:
        comment = stack.pop()
        found.append(comment)
        stack.extend(reversed(children.get(comment.id, [])))
    return found


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
