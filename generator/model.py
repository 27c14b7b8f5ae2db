"""The article model every reader produces and every later stage consumes.

Frozen dataclasses with no I/O: readers return them, stages derive new ones with
``dataclasses.replace`` instead of mutating them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.common.config import SiteConfig


@dataclass(frozen=True)
class Diagnostic:
    """A warning about one input: where it is and what is wrong."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Dropped:
    """A line of a capture that a reader left out of the article, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ImageRef:
    """An image as a capture references it.

    ``path`` is the resolved local file (always inside the content folder);
    ``remote_url`` is set when the capture only kept a link to the original.
    When both are empty the image is missing and renders as a placeholder.
    """

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    path: Path | None = None
    remote_url: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Block:
    """One top-level piece of an article body, in reading order.

    ``kind`` is paragraph, heading, list, quote, table, code, html, footnotes or
    figure. ``html`` is sanitized markup (empty for figures, which the theme
    renders from ``image``); ``text`` is the plain text, for summaries and
    ``inspect``.
    """

    kind: str
    html: str = ""
    text: str = ""
    image: ImageRef | None = None
    inline_images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True)
class Comment:
    """One reader comment as read from a capture, before threading.

    ``date_approximate`` marks a date worked back from a relative one the page
    printed ("3 years ago"), counted from when the page was captured.
    ``language`` is set only for a comment marked as written in another
    language than its article's (BCP 47); others share the article's.
    """

    id: str
    body_html: str
    text: str
    source: str = ""
    parent: str | None = None
    author: str | None = None
    date: datetime | None = None
    url: str | None = None
    line: int | None = None
    date_approximate: bool = False
    language: str = ""


@dataclass(frozen=True)
class ThreadNode:
    """A comment in its thread.

    ``depth`` is where it is drawn (1 = top level, never above ``max_depth``);
    ``overflow`` marks replies drawn at ``max_depth`` although they are deeper,
    which the theme labels "in reply to NAME". ``reply_to`` is the parent.
    """

    comment: Comment
    depth: int
    replies: tuple[ThreadNode, ...] = ()
    reply_to: Comment | None = None
    overflow: bool = False

    @property
    def reply_count(self) -> int:
        """Every comment below this one, however deep."""
        return sum(1 + reply.reply_count for reply in self.replies)


@dataclass(frozen=True)
class StoredBody:
    """Where the body and comments of an article read into the build state are kept, and what the rest of the
    build needs to know of them without loading them.

    ``key`` is the digest of the stored blocks and comments (so it changes exactly when they do);
    ``warnings`` are those threading the comments gives, found when they were stored.
    """

    key: str
    comment_count: int
    warnings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Article:
    """One article, whatever capture format it came from.

    An article whose ``stored`` is set is *light*: its body and comments are in the build state
    (:mod:`generator.store.bodies`), its ``blocks`` keep only their images (so ``images`` and ``lead_image``
    hold), and its ``comments`` and ``thread`` are empty until its own page is rendered.
    """

    source_path: str
    reader: str
    title: str
    slug: str
    blocks: tuple[Block, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    captured: datetime | None = None
    captures: tuple[datetime, ...] = ()  # when merged: every capture's date, oldest first
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    category: str | None = None
    source: str | None = None
    source_url: str | None = None
    language: str = ""  # BCP 47; "" for the site's language
    summary: str = ""
    cover: ImageRef | None = None
    aliases: tuple[str, ...] = ()
    draft: bool = False
    comments: tuple[Comment, ...] = ()
    thread: tuple[ThreadNode, ...] = ()
    comments_closed: bool = False
    comments_not_captured: bool = False  # the page loaded its comments by script; the mirror has none of them
    extra: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    stored: StoredBody | None = None

    @property
    def images(self) -> tuple[ImageRef, ...]:
        """Every image of the article: figures in reading order, then the cover."""
        found = []
        for block in self.blocks:
            found.extend([block.image] if block.image else block.inline_images)
        if self.cover is not None and self.cover not in found:
            found.append(self.cover)
        return tuple(found)

    @property
    def lead_image(self) -> ImageRef | None:
        """The image that stands for the article in lists and previews."""
        return self.cover or next((b.image for b in self.blocks if b.image is not None), None)

    @property
    def sort_key(self) -> tuple[float, str]:
        """Newest first; undated articles last; ties broken by URL."""
        stamp = self.published.timestamp() if self.published else float("-inf")
        return (-stamp, self.url)

    @property
    def comment_count(self) -> int:
        return self.stored.comment_count if self.stored is not None else len(self.comments)


@dataclass(frozen=True)
class Card:
    """What a listing may show of an article: everything but its body and comments.

    Listings and the parts of an article page that show other articles hold
    cards, so their pages' fingerprints (digests of their contexts) change
    when a card changes and never when only a body or a comment's text does.
    """

    url: str
    title: str
    slug: str
    published: datetime | None
    updated: datetime | None
    captured: datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    category: str | None
    source: str | None
    source_url: str | None
    language: str
    summary: str
    comment_count: int
    lead_image: ImageRef | None
    extra: dict[str, Any]

    @classmethod
    def of(cls, article: Article) -> Card:
        return cls(
            url=article.url,
            title=article.title,
            slug=article.slug,
            published=article.published,
            updated=article.updated,
            captured=article.captured,
            authors=article.authors,
            tags=article.tags,
            category=article.category,
            source=article.source,
            source_url=article.source_url,
            language=article.language,
            summary=article.summary,
            comment_count=article.comment_count,
            lead_image=article.lead_image,
            extra=article.extra,
        )


@dataclass(frozen=True)
class Term:
    """A tag, author or source and the articles filed under it, newest first."""

    taxonomy: str
    name: str
    slug: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class TermCard:
    """A term as a page shows it without its articles: a link and a count."""

    taxonomy: str
    name: str
    slug: str
    url: str
    count: int

    @classmethod
    def of(cls, term: Term) -> TermCard:
        return cls(term.taxonomy, term.name, term.slug, term.url, len(term.articles))


@dataclass(frozen=True)
class Pager:
    """One page of a paginated listing; *page_urls* are the URLs of all its pages, first to last."""

    number: int
    items: tuple[Any, ...]
    page_urls: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.page_urls)

    @property
    def url(self) -> str:
        return self.page_urls[self.number - 1]

    @property
    def first_url(self) -> str:
        return self.page_urls[0]

    @property
    def prev_url(self) -> str | None:
        return self.page_urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_urls[self.number] if self.number < self.total else None

    def window(self, radius: int = 2) -> tuple[int | None, ...]:
        """Page numbers to link: the first, the last and *radius* either side of this one; None marks a gap.

        A gap of a single page is shown as that page instead, so every gap hides at least two.
        """
        shown = {1, self.total, *range(max(1, self.number - radius), min(self.total, self.number + radius) + 1)}
        numbers: list[int | None] = []
        for number in sorted(shown):
            if numbers and number - numbers[-1] == 2:
                numbers.append(number - 1)
            elif numbers and number - numbers[-1] > 2:
                numbers.append(None)
            numbers.append(number)
        return tuple(numbers)

    def url_of(self, number: int) -> str:
        """The URL of page *number* of this listing."""
        return self.page_urls[number - 1]


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class ArchiveMonth:
    year: int
    month: int
    url: str
    articles: tuple[Article, ...]

    @property
    def name(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    url: str
    articles: tuple[Article, ...]
    months: tuple[ArchiveMonth, ...]

    @property
    def name(self) -> str:
        return str(self.year)


@dataclass(frozen=True)
class MonthCard:
    """A month of the archive as a page shows it without its articles: a link and a count."""

    year: int
    month: int
    url: str
    count: int

    @classmethod
    def of(cls, month: ArchiveMonth) -> MonthCard:
        return cls(month.year, month.month, month.url, len(month.articles))


@dataclass(frozen=True)
class YearCard:
    """A year of the archive as a page shows it without its articles: a link, a count and its months."""

    year: int
    url: str
    count: int
    months: tuple[MonthCard, ...]

    @classmethod
    def of(cls, year: ArchiveYear) -> YearCard:
        return cls(year.year, year.url, len(year.articles), tuple(MonthCard.of(month) for month in year.months))


@dataclass(frozen=True)
class SiteCard:
    """What every page may show of the site as a whole (the ``site`` of templates): not its articles.

    Anything here is part of every page's fingerprint, so it holds only what
    changes rarely: the settings, the years the archive covers, the standalone pages.
    """

    config: SiteConfig
    first_year: int | None
    last_year: int | None
    pages: tuple[Card, ...]

    @classmethod
    def of(cls, site: Site) -> SiteCard:
        years = [year.year for year in site.years]
        first, last = (min(years), max(years)) if years else (None, None)
        return cls(site.config, first, last, tuple(Card.of(page) for page in site.pages))


LANGUAGES = "languages"  # the taxonomy, and its folder, of a site in more than one language


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from: articles newest first, terms, archives."""

    config: SiteConfig
    articles: tuple[Article, ...]
    taxonomies: dict[str, tuple[Term, ...]]
    years: tuple[ArchiveYear, ...]
    merged_captures: int = 0
    pages: tuple[Article, ...] = ()  # standalone pages, by source path


@dataclass(frozen=True)
class Page:
    """One HTML page to render.

    ``absolute_links`` is for pages served at URLs other than their own (the
    404 page): with a ``base_url`` their links are absolute.
    """

    url: str
    template: str
    title: str
    kind: str
    context: dict[str, Any] = field(default_factory=dict)
    absolute_links: bool = False

    def shown(self) -> Iterator[Any]:
        """Every value the context holds, inside tuples and a pager's items too (cards, an article, terms)."""
        pending = list(self.context.values())
        while pending:
            value = pending.pop()
            if isinstance(value, tuple | Pager):
                pending.extend(value.items if isinstance(value, Pager) else value)
            else:
                yield value


MIME_TYPES = {
    "jpeg": "image/jpeg", "webp": "image/webp", "png": "image/png",
    "avif": "image/avif", "gif": "image/gif", "svg": "image/svg+xml",
}  # fmt: skip


@dataclass(frozen=True)
class Variant:
    url: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class PublishedImage:
    """All published files of one source image; ``width``/``height`` give its aspect."""

    width: int
    height: int
    variants: tuple[Variant, ...]
    fallback_format: str
    animation_url: str | None = None

    def in_format(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(sorted((v for v in self.variants if v.format == fmt), key=lambda v: v.width))

    @property
    def fallback(self) -> tuple[Variant, ...]:
        return self.in_format(self.fallback_format)

    @property
    def alternatives(self) -> list[tuple[str, tuple[Variant, ...]]]:
        """``(mime type, variants)`` for the formats offered before the fallback."""
        formats = dict.fromkeys(v.format for v in self.variants if v.format != self.fallback_format)
        return [(MIME_TYPES[fmt], self.in_format(fmt)) for fmt in formats]

    @property
    def largest(self) -> Variant:
        return self.fallback[-1]

    def at_least(self, width: int) -> Variant:
        """The smallest fallback variant at least *width* pixels wide (else the largest)."""
        return next((v for v in self.fallback if v.width >= width), self.largest)
