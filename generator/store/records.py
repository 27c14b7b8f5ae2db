"""What the last build into an output folder was made from, kept so that an edit is built from it.

A full build plans every page of the site; an edit that changes only what one article's own page shows
(its body, its comments' text) needs none of that planning again. These records let the next build find
such an edit and render just that page:

* the **site record**: the key of the build the records belong to, the stamps of every file the site was
  read from, which capture each sidecar or comments file was read for, and the render setup every page
  shares (without any article);
* one **page record** per article and standalone page: the capture it was read from, the digest of what
  other outputs show of it, the warnings reading it gave, and its page as planned with its article left out
  and every card it shows as a :class:`CardRef`;
* the **cards**, each stored once however many pages show it.

They are written whole by every full build and read back one page at a time, so an edit loads one page
record and the few cards it shows, never the site.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.model import Card, Diagnostic, Page

TABLES = (
    "CREATE TABLE IF NOT EXISTS edit_sites (target TEXT PRIMARY KEY, key TEXT NOT NULL, record BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS edit_pages (target TEXT NOT NULL, source TEXT NOT NULL, record BLOB NOT NULL, "
    "PRIMARY KEY (target, source))",
    "CREATE TABLE IF NOT EXISTS edit_cards (target TEXT NOT NULL, url TEXT NOT NULL, card BLOB NOT NULL, "
    "PRIMARY KEY (target, url))",
)


@dataclass(frozen=True)
class CardRef:
    """A card in a stored page, by its URL."""

    url: str


@dataclass(frozen=True)
class SiteRecord:
    """What the whole site was made from at the build with *key*."""

    key: str
    settings: str  # a digest of the settings and the theme: any change to them plans the site again
    stamps: dict[str, str]  # every file under the content and static folders → its size and mtime
    read_for: dict[str, str]  # a file a capture's reading looked at besides the capture → that capture's source
    setup: Any  # what rendering any page needs besides the page (a ``RenderSetup`` without pages)
    template_digests: dict[str, str]  # template → the digest of it and every template it uses
    tag_spellings: dict[str, str]


@dataclass(frozen=True)
class PageRecord:
    """An article's or standalone page's own page, as the build planned it."""

    source: str  # the capture it was read from, as warnings name it
    relative: str  # its output file
    outside: str  # what other outputs show of it (:func:`generator.site.assemble.outside_view`)
    frame: Page  # the page without its article, cards as CardRef
    diagnostics: tuple[Diagnostic, ...]  # what reading and placing the article warned about
    standalone: bool = False


def frame_of(page: Page) -> tuple[Page, list[Card]]:
    """*page* without its article and with each card it shows as a :class:`CardRef`, and those cards."""
    cards: list[Card] = []

    def detach(value: Any) -> Any:
        if isinstance(value, Card):
            cards.append(value)
            return CardRef(value.url)
        if isinstance(value, tuple):
            return tuple(detach(item) for item in value)
        return value

    context = {key: None if key == "article" else detach(value) for key, value in page.context.items()}
    return replace(page, context=context), cards


def page_from(frame: Page, article: Any, cards: Mapping[str, Card]) -> Page:
    """The page *frame* was made from, showing *article* and the *cards* it refers to."""

    def attach(value: Any) -> Any:
        if isinstance(value, CardRef):
            return cards[value.url]
        if isinstance(value, tuple):
            return tuple(attach(item) for item in value)
        return value

    context = {key: article if key == "article" else attach(value) for key, value in frame.context.items()}
    return replace(frame, context=context)


def card_refs(frame: Page) -> set[str]:
    """The URLs of the cards *frame* shows."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, CardRef):
            found.add(value.url)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    for value in frame.context.values():
        walk(value)
    return found


class EditRecords:
    """The records of one state file (an open SQLite connection whose tables :data:`TABLES` made)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def site(self, target: str) -> SiteRecord | None:
        try:
            row = self.db.execute("SELECT record FROM edit_sites WHERE target = ?", (target,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception:  # a damaged row or a record from older code: the site is planned again
            return None

    def page(self, target: str, source: str) -> PageRecord | None:
        try:
            query = "SELECT record FROM edit_pages WHERE target = ? AND source = ?"
            row = self.db.execute(query, (target, source)).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception:
            return None

    def cards(self, target: str, urls: Iterable[str]) -> dict[str, Card] | None:
        """The cards of *urls*; None when one is missing."""
        wanted = sorted(set(urls))
        found = {}
        try:
            for url in wanted:
                row = self.db.execute("SELECT card FROM edit_cards WHERE target = ? AND url = ?", (target, url))
                card = row.fetchone()
                if card is None:
                    return None
                found[url] = pickle.loads(card[0])
        except Exception:
            return None
        return found

    def replace_all(self, site: SiteRecord, target: str, pages: Iterable[PageRecord], cards: Iterable[Card]) -> None:
        """Record a full build: these records only, all in one transaction."""
        with self.db:
            self.forget(target)
            self._put(site, target, pages)
            rows = ((target, card.url, pickle.dumps(card)) for card in cards)
            self.db.executemany("INSERT INTO edit_cards VALUES (?, ?, ?)", rows)

    def update(self, site: SiteRecord, target: str, pages: Iterable[PageRecord]) -> None:
        """Record an edit: the site record anew and the pages it changed."""
        with self.db:
            self._put(site, target, pages)

    def _put(self, site: SiteRecord, target: str, pages: Iterable[PageRecord]) -> None:
        self.db.execute("INSERT OR REPLACE INTO edit_sites VALUES (?, ?, ?)", (target, site.key, pickle.dumps(site)))
        rows = ((target, page.source, pickle.dumps(page)) for page in pages)
        self.db.executemany("INSERT OR REPLACE INTO edit_pages VALUES (?, ?, ?)", rows)

    def forget(self, target: str) -> None:
        for table in ("edit_sites", "edit_pages", "edit_cards"):
            self.db.execute(f"DELETE FROM {table} WHERE target = ?", (target,))  # noqa: S608 - names are ours
