"""Article bodies and comments kept in the build state, so the build process never holds them all.

The scan stores each article it reads in two parts: a *light* article (everything listings, feeds and
archives need, with :class:`~generator.model.StoredBody` naming the rest) and the body itself, the article's
blocks and comments, under the digest of what they hold. Only the page that shows an article whole (its own
page, a full-content feed) loads its body again, by that key, through one small interface: a
:class:`BodyStore` gives the stored bytes of the keys asked for. :class:`StateBodies` opens the build state
read-only (the build process and this machine's workers); :class:`ShippedBodies` carries the bodies a task
needs with the task, for workers that cannot see this machine's files.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol
from urllib.parse import quote

from generator.model import Article, Block, Comment, Diagnostic, StoredBody

Body = tuple[tuple[Block, ...], tuple[Comment, ...]]  # an article's blocks and comments, unthreaded


class MissingBody(LookupError):
    """A body the build state should hold and does not (the state was damaged or replaced since)."""


class BodyStore(Protocol):
    def raw(self, keys: Collection[str]) -> dict[str, bytes]:
        """The stored bytes of each of *keys* it holds."""


@dataclass(frozen=True)
class StateBodies:
    """The bodies table of the build state at *path*, opened read-only for each lookup (cheap next to
    rendering a batch of pages, and never a connection carried across a fork)."""

    path: str

    def raw(self, keys: Collection[str]) -> dict[str, bytes]:
        if not keys:
            return {}
        found: dict[str, bytes] = {}
        db = sqlite3.connect(f"file:{quote(self.path)}?mode=ro", uri=True, timeout=30)
        try:
            wanted = sorted(keys)
            for start in range(0, len(wanted), 500):  # under SQLite's limit of bound parameters
                part = wanted[start : start + 500]
                query = f"SELECT key, data FROM bodies WHERE key IN ({','.join('?' * len(part))})"
                found.update(db.execute(query, part).fetchall())
        finally:
            db.close()
        return found


@dataclass(frozen=True)
class ShippedBodies:
    """Bodies sent along with a task."""

    data: Mapping[str, bytes]

    def raw(self, keys: Collection[str]) -> dict[str, bytes]:
        return {key: self.data[key] for key in keys if key in self.data}


def stored_keys(articles: Iterable[Article | None]) -> set[str]:
    """The keys of the stored bodies of the light articles among *articles*."""
    return {article.stored.key for article in articles if article is not None and article.stored is not None}


def load_bodies(store: BodyStore, keys: Collection[str]) -> dict[str, Body]:
    """The bodies of those of *keys* the store holds (:func:`with_body` reports one it lacks)."""
    return {key: pickle.loads(data) for key, data in store.raw(keys).items()}


def detach(article: Article, warnings: Sequence[Diagnostic] = ()) -> tuple[Article, str, bytes]:
    """*article* made light, the key of its body, and the body's bytes to store under that key.

    The key digests the body's ``repr`` (as page fingerprints do), so equal bodies get equal keys however
    their objects are shared. *warnings* are what threading its comments will report.
    """
    body = (article.blocks, article.comments)
    key = hashlib.sha256(repr(body).encode("utf-8")).hexdigest()
    images = tuple(
        Block(block.kind, image=block.image, inline_images=block.inline_images)
        for block in article.blocks
        if block.image is not None or block.inline_images
    )
    stored = StoredBody(key, len(article.comments), tuple(warnings))
    light = replace(article, blocks=images, comments=(), thread=(), stored=stored)
    return light, key, pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)


def with_bodies(articles: Sequence[Article], store: BodyStore | None) -> list[Article]:
    """*articles* whole, the bodies of the light ones loaded from *store* in one lookup."""
    keys = stored_keys(articles)
    loaded = load_bodies(store, keys) if keys and store is not None else {}
    return [with_body(article, loaded) for article in articles]


def with_body(article: Article, bodies: Mapping[str, Body]) -> Article:
    """*article* with its blocks and comments back (unthreaded); an article that is whole stays as it is."""
    if article.stored is None:
        return article
    if article.stored.key not in bodies:
        raise MissingBody(f"{article.source_path}: its body is missing from the build state; build with --clean")
    blocks, comments = bodies[article.stored.key]
    return replace(article, blocks=blocks, comments=comments, stored=None)
