"""Atom feeds for the site and for each term.

Without a ``base_url`` entry links are relative to the feed (Atom allows IRI
references) and ids are name-based UUIDs, stable across builds.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from html import escape

from generator.common.config import SiteConfig
from generator.common.i18n import Localizer, bcp47
from generator.common.markup import IMAGE_PLACEHOLDER_SCHEME
from generator.common.urls import absolute_url, relative_url
from generator.model import Article
from generator.render.sitemap import add_text, xml_bytes
from generator.store.bodies import BodyStore, with_bodies

ATOM_NS = "http://www.w3.org/2005/Atom"
_INLINE_IMAGE = re.compile(rf'<img[^>]*"{IMAGE_PLACEHOLDER_SCHEME}:\d+"[^>]*>')
_EPOCH = "1970-01-01T00:00:00Z"


def atom_feed(
    config: SiteConfig,
    title: str,
    feed_url: str,
    page_url: str,
    articles: Sequence[Article],
    bodies: BodyStore | None = None,
) -> bytes:
    """The Atom document at *feed_url* for the listing at *page_url*; a full-content feed loads the bodies of
    its light entries from *bodies*."""

    def link(url: str) -> str:
        return absolute_url(config.base_url, url) if config.base_url else relative_url(feed_url, url)

    entries = list(articles[: config.feeds.entries])
    if config.feeds.full_content:
        entries = with_bodies(entries, bodies)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    add_text(feed, "title", title if title == config.title else f"{title} · {config.title}")
    if config.description:
        add_text(feed, "subtitle", config.description)
    add_text(feed, "id", _feed_id(config, feed_url))
    add_text(feed, "updated", max((_updated(a) for a in entries), default=_EPOCH))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": link(feed_url)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": link(page_url)})
    author = ET.SubElement(feed, "author")
    add_text(author, "name", config.title)
    add_text(feed, "generator", "backissue")
    for article in entries:
        feed.append(_entry(config, article, link))
    return xml_bytes(feed)


def _entry(config: SiteConfig, article: Article, link: Callable[[str], str]) -> ET.Element:
    entry = ET.Element("entry")
    if article.language and article.language != bcp47(config.language):
        entry.set("xml:lang", article.language)
    add_text(entry, "title", article.title)
    add_text(entry, "id", _feed_id(config, article.url))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": link(article.url)})
    if article.published:
        add_text(entry, "published", article.published.isoformat())
    add_text(entry, "updated", _updated(article))
    for name in article.authors:
        add_text(ET.SubElement(entry, "author"), "name", name)
    for tag in article.tags:
        ET.SubElement(entry, "category", {"term": tag})
    dated = Localizer(config.language).date(article.published) if article.published else article.title
    summary = article.summary or dated
    add_text(entry, "summary", summary)
    if config.feeds.full_content:
        ET.SubElement(entry, "content", {"type": "html"}).text = feed_content(article)
    return entry


def feed_content(article: Article) -> str:
    """The article's sanitized body for a feed reader; images appear as their description, not as files."""
    parts = []
    for block in article.blocks:
        if block.image is not None:
            described = " ".join(part for part in (block.image.alt, block.image.caption) if part)
            parts.append(f"<p><em>Image: {escape(described or 'not described')}</em></p>")
        else:
            parts.append(_INLINE_IMAGE.sub("", block.html))
    return "\n".join(parts)


def recently_archived(articles: Sequence[Article]) -> list[Article]:
    """Captured articles, the most recently captured first (ties: newest published first, then URL)."""
    captured = [article for article in articles if article.captured is not None]
    return sorted(captured, key=lambda a: (-a.captured.timestamp(), a.sort_key))


def feed_entry(article: Article, full_content: bool) -> tuple:
    """What a feed shows of an article (for deciding whether the feed changed)."""
    body = (article.blocks, article.stored and article.stored.key) if full_content else None
    return (article.url, article.title, article.published, article.updated, article.captured, article.authors,
            article.tags, article.summary, body)  # fmt: skip


def _feed_id(config: SiteConfig, url: str) -> str:
    if config.base_url:
        return absolute_url(config.base_url, url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"backissue:{config.title}:{url}").urn


def _updated(article: Article) -> str:
    stamp = article.updated or article.published or article.captured
    return stamp.isoformat() if stamp else _EPOCH
