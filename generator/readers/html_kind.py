"""Tell article pages from the rest of a mirrored site: listings, archives, search, the home page.

A mirror of a news site saves every page it can reach, and most of them are
not articles. The page's own declarations decide first (WordPress body
classes, JSON-LD and Open Graph types), then the shape of its address, then
its structure: many teasers, each a heading with a link, is a listing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from lxml import html as lxml_html

from ..weburl import split_url
from .html_meta import LISTING_TYPES, PageMeta

_BODY_CLASSES = {
    "tag": "tag listing", "category": "category listing", "author": "author page", "search": "search results",
    "date": "date archive", "paged": "listing page", "home": "home page", "blog": "blog index", "archive": "archive listing",
}  # fmt: skip
_ARTICLE_BODY_CLASSES = (
    "single",
    "single-post",
    "postid-",
    "node-type-article",
    "page-node-type-article",
    "post-template",
)
_PATHS = (
    (re.compile(r"/(?:tag|tags|topic|topics)/[^/]+/?(?:page/\d+/?)?$"), "tag listing"),
    (re.compile(r"/(?:category|categories|section)/.+?/?$"), "category listing"),
    (re.compile(r"/(?:author|authors|profile)/[^/]+/?(?:page/\d+/?)?$"), "author page"),
    (re.compile(r"/page/\d+/?$"), "listing page"),
    (re.compile(r"/(?:search)/?"), "search results"),
    (re.compile(r"/(?:feed|rss)/?$"), "a feed"),
)
MIN_TEASERS = 3


def listing_reason(doc: lxml_html.HtmlElement, meta: PageMeta, url: str) -> str | None:
    """Why *doc* is not an article page, or None when it is one."""
    body = doc.find(".//body")
    classes = (body.get("class") or "").split() if body is not None else []
    if any(c.startswith(_ARTICLE_BODY_CLASSES) for c in classes):
        return None
    for name, reason in _BODY_CLASSES.items():
        if name in classes:
            return reason
    if meta.is_article:
        return None
    if meta.types & LISTING_TYPES:
        return f"{sorted(meta.types & LISTING_TYPES)[0]} page"
    parts = split_url(url) or split_url("")
    if "s" in parse_qs(parts.query) or "paged" in parse_qs(parts.query):
        return "search results" if "s" in parse_qs(parts.query) else "listing page"
    for pattern, reason in _PATHS:
        if pattern.search(parts.path):
            return reason
    if parts.scheme and parts.path.strip("/") in ("", "index.html", "index.htm"):
        return "home page"
    return "listing of articles" if _teaser_count(doc) >= MIN_TEASERS else None


def _teaser_count(doc: lxml_html.HtmlElement) -> int:
    """Articles on the page that are only a linked heading and a little text: a listing's entries."""
    count = 0
    for entry in doc.xpath("//article | //*[contains(concat(' ',@class,' '),' hentry ')]"):
        linked_heading = entry.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]")
        if linked_heading and len(" ".join(entry.text_content().split())) < 1200:
            count += 1
    return count
