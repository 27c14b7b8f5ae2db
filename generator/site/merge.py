"""Collapse duplicate captures of one article into one, losing no comment.

Mirrors hold the same article many times: re-captures, ``?replytocom=``
copies, AMP and print views, a hand-curated bundle beside the raw capture.
Captures whose source URLs name the same page become one article: the newest
capture's body and metadata (a curated Markdown bundle wins a tie), gaps
filled from the others, and the union of all their comments — a comment seen
in two captures (same author, same text) is kept once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from generator.common.weburl import page_key
from generator.model import Article, Comment
from generator.store.bodies import BodyStore, with_bodies

SITE_ID_READERS = frozenset({"html", "warc", "singlefile"})  # readers whose comment ids are the site's own
READER_RANK = {"markdown": 3, "html": 2, "warc": 2, "singlefile": 2, "text": 1}
_FILLABLE = (
    "published",
    "updated",
    "captured",
    "authors",
    "tags",
    "category",
    "source",
    "language",
    "summary",
    "cover",
)


def collapse_duplicates(articles: Sequence[Article], bodies: BodyStore | None = None) -> tuple[list[Article], int]:
    """Articles with duplicates merged, and how many captures were folded into others.

    Light captures (see :class:`~generator.model.StoredBody`) that have duplicates are made whole from
    *bodies* first: merging needs every capture's comments.
    """
    groups: dict[str, list[Article]] = {}
    result: list[Article] = []
    for article in articles:
        key = page_key(article.source_url)
        if key is None:
            result.append(article)
        else:
            groups.setdefault(key, []).append(article)
    merged = 0
    for group in groups.values():
        if len(group) > 1:
            group = with_bodies(group, bodies)
        result.append(_merge(group) if len(group) > 1 else group[0])
        merged += len(group) - 1
    return result, merged


def _merge(group: list[Article]) -> Article:
    oldest = datetime.min.replace(tzinfo=UTC)
    ranked = sorted(
        group, key=lambda a: (a.captured or oldest, READER_RANK.get(a.reader, 0), a.source_path), reverse=True
    )
    primary, others = ranked[0], ranked[1:]
    filled = {}
    for name in _FILLABLE:
        if not getattr(primary, name):
            filled[name] = next((getattr(o, name) for o in others if getattr(o, name)), getattr(primary, name))
    site_ids = [a.reader in SITE_ID_READERS for a in ranked]
    captures = tuple(sorted({a.captured for a in group if a.captured}))
    comments = union_comments([a.comments for a in ranked], site_ids)
    return replace(primary, comments=comments, captures=captures, **filled)


def union_comments(captures: Sequence[Sequence[Comment]], site_ids: Sequence[bool] = ()) -> tuple[Comment, ...]:
    """Every distinct comment of all *captures*, the first capture's ids and order first.

    A comment is the same comment when its capture and an earlier one both
    carry the site's own comment ids (*site_ids*: saved pages do, text dumps
    number their comments themselves) and the ids match — so an edited
    comment is kept once, as the newer capture shows it — else when author
    and text match.
    """
    result: list[Comment] = []
    ids: set[str] = set()
    known: dict[tuple[str, str], str] = {}
    by_site_id: dict[str, str] = {}
    for number, comments in enumerate(captures, start=1):
        renamed: dict[str, str] = {}
        added: list[Comment] = []
        has_site_ids = number <= len(site_ids) and site_ids[number - 1]
        for comment in comments:
            key = ((comment.author or "").casefold(), " ".join(comment.text.split()).casefold())
            same = by_site_id.get(comment.id) if has_site_ids else None
            if same is not None or key in known:
                renamed[comment.id] = same if same is not None else known[key]
                if has_site_ids:
                    by_site_id.setdefault(comment.id, renamed[comment.id])
                continue
            new_id = comment.id if comment.id not in ids else f"{number}-{comment.id}"
            while new_id in ids:
                new_id += "'"
            ids.add(new_id)
            renamed[comment.id] = known[key] = new_id
            if has_site_ids:
                by_site_id[comment.id] = new_id
            added.append(replace(comment, id=new_id))
        result += [replace(c, parent=renamed.get(c.parent, c.parent)) if c.parent else c for c in added]
    return tuple(result)
