"""What the last build into an output folder was made from, kept so that an edit is built from it.

A full build plans every page of the site; an edit that changes only what one article's own page shows
(its body, its comments' text) needs none of that planning again. These records let the next build find
such an edit and render just that page:

* the **site record**: the key of the build the records belong to, the stamps of every file the site was
  read from, which capture each sidecar or comments file was read for, and the render setup every page
  shares (without any article);
* one **page record** per article and standalone page: the capture it was read from, the digest of what
  other outputs show of it, how many comments it has, and the warnings reading it gave;
* every page as planned, its article left out and every card it shows as a :class:`CardRef`, with the
  index of which pages show each card;
* the **cards**, each stored once however many pages show it.

They are written whole by every full build and read back a page at a time, so an edit loads the pages it
renders and the cards they show, never the site.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator.common.urls import paged_url
from generator.model import Card, Diagnostic, Page, Pager

TABLES = (
    "CREATE TABLE IF NOT EXISTS edit_sites (target TEXT PRIMARY KEY, key TEXT NOT NULL, record BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS edit_pages (target TEXT NOT NULL, source TEXT NOT NULL, relative TEXT NOT NULL, "
    "record BLOB NOT NULL, PRIMARY KEY (target, source))",
    "CREATE INDEX IF NOT EXISTS edit_pages_by_output ON edit_pages (target, relative)",
    "CREATE TABLE IF NOT EXISTS edit_frames (target TEXT NOT NULL, relative TEXT NOT NULL, frame BLOB NOT NULL, "
    "PRIMARY KEY (target, relative))",
    "CREATE TABLE IF NOT EXISTS edit_shown (target TEXT NOT NULL, card TEXT NOT NULL, relative TEXT NOT NULL, "
    "PRIMARY KEY (target, card, relative))",
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
    outside: str  # what other outputs show of it but its comment count (:func:`generator.site.assemble.outside_view`)
    comments: int  # how many comments its card counts
    diagnostics: tuple[Diagnostic, ...]  # what reading and placing the article warned about
    standalone: bool = False


@dataclass(frozen=True)
class PagedUrls:
    """The URLs of a listing's pages in a stored page, by its first page and how many there are: a listing of
    N pages would otherwise store all N URLs in each of its N pages."""

    first: str
    count: int

    @classmethod
    def of(cls, page_urls: tuple[str, ...]) -> PagedUrls | tuple[str, ...]:
        shown = cls(page_urls[0], len(page_urls)) if page_urls else None
        same = shown is not None and paged_url(shown.first, shown.count) == page_urls[-1]  # as paginate() made them
        return shown if same else page_urls

    def urls(self) -> tuple[str, ...]:
        return tuple(paged_url(self.first, number) for number in range(1, self.count + 1))


def frame_of(page: Page) -> tuple[Page, list[Card]]:
    """*page* without its article and with each card it shows as a :class:`CardRef`, and those cards."""
    cards: list[Card] = []

    def detach(value: Any) -> Any:
        if isinstance(value, Card):
            cards.append(value)
            return CardRef(value.url)
        if isinstance(value, tuple):
            return tuple(detach(item) for item in value)
        if isinstance(value, Pager):
            return replace(value, items=detach(value.items), page_urls=PagedUrls.of(value.page_urls))
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
        if isinstance(value, Pager):
            urls = value.page_urls.urls() if isinstance(value.page_urls, PagedUrls) else value.page_urls
            return replace(value, items=attach(value.items), page_urls=urls)
        return value

    context = {key: article if key == "article" else attach(value) for key, value in frame.context.items()}
    return replace(frame, context=context)


def card_refs(frame: Page) -> set[str]:
    """The URLs of the cards *frame* shows."""
    return {value.url for value in frame.shown() if isinstance(value, CardRef)}


class EditRecords:
    """The records of one state file (an open SQLite connection whose tables :data:`TABLES` made)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def site(self, target: str) -> SiteRecord | None:
        return self._one("SELECT record FROM edit_sites WHERE target = ?", (target,))

    def page(self, target: str, source: str) -> PageRecord | None:
        """The record of the article read from *source*."""
        return self._one("SELECT record FROM edit_pages WHERE target = ? AND source = ?", (target, source))

    def page_at(self, target: str, relative: str) -> PageRecord | None:
        """The record of the article whose page is the output *relative*."""
        return self._one("SELECT record FROM edit_pages WHERE target = ? AND relative = ?", (target, relative))

    def frame(self, target: str, relative: str) -> Page | None:
        return self._one("SELECT frame FROM edit_frames WHERE target = ? AND relative = ?", (target, relative))

    def shown_by(self, target: str, url: str) -> list[str]:
        """The outputs whose pages show the card of *url*."""
        rows = self.db.execute("SELECT relative FROM edit_shown WHERE target = ? AND card = ?", (target, url))
        return [relative for (relative,) in rows]

    def cards(self, target: str, urls: Iterable[str]) -> dict[str, Card] | None:
        """The cards of *urls*; None when one is missing."""
        found = {}
        for url in sorted(set(urls)):
            card = self._one("SELECT card FROM edit_cards WHERE target = ? AND url = ?", (target, url))
            if card is None:
                return None
            found[url] = card
        return found

    def _one(self, query: str, parameters: tuple[str, ...]) -> Any:
        """The one value *query* selects, unpickled; None when there is none, or a damaged or older one."""
        try:
            row = self.db.execute(query, parameters).fetchone()
            return pickle.loads(row[0]) if row else None
        except Exception:  # a damaged row or a record from older code: the site is planned again
            return None

    def replace_all(
        self,
        site: SiteRecord,
        target: str,
        pages: Iterable[PageRecord],
        frames: Mapping[str, Page],
        cards: Iterable[Card],
    ) -> None:
        """Record a full build: these records only, all in one transaction. *frames* are every page's by output."""
        dump = pickle.dumps
        with self.db:
            self.forget(target)
            self._put(site, target, pages, cards)
            self.db.executemany(
                "INSERT INTO edit_frames VALUES (?, ?, ?)", ((target, path, dump(f)) for path, f in frames.items())
            )
            shown = ((target, url, path) for path, frame in frames.items() for url in sorted(card_refs(frame)))
            self.db.executemany("INSERT OR IGNORE INTO edit_shown VALUES (?, ?, ?)", shown)

    def update(self, site: SiteRecord, target: str, pages: Iterable[PageRecord], cards: Iterable[Card]) -> None:
        """Record an edit: the site record anew, the page records and cards it changed (frames stay)."""
        with self.db:
            self._put(site, target, pages, cards)

    def _put(self, site: SiteRecord, target: str, pages: Iterable[PageRecord], cards: Iterable[Card]) -> None:
        dump = pickle.dumps
        self.db.execute("INSERT OR REPLACE INTO edit_sites VALUES (?, ?, ?)", (target, site.key, dump(site)))
        rows = ((target, page.source, page.relative, dump(page)) for page in pages)
        self.db.executemany("INSERT OR REPLACE INTO edit_pages VALUES (?, ?, ?, ?)", rows)
        rows = ((target, card.url, dump(card)) for card in cards)
        self.db.executemany("INSERT OR REPLACE INTO edit_cards VALUES (?, ?, ?)", rows)

    def forget(self, target: str) -> None:
        for table in ("edit_sites", "edit_pages", "edit_frames", "edit_shown", "edit_cards"):
            self.db.execute(f"DELETE FROM {table} WHERE target = ?", (target,))  # noqa: S608 - names are ours
