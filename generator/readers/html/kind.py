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

from generator.common.weburl import split_url
from generator.readers.html.meta import LISTING_TYPES, PageMeta

_BODY_CLASSES = {
    "tag": "tag listing", "category": "category listing", "author": "author page", "search": "search results",
    "date": "date archive", "paged": "listing page", "home": "home page", "blog": "blog index",
    "archive": "archive listing",
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
_ARTICLE_NODE = re.compile(r"node-type-.*(?:article|blog|story|news|post)")  # Drupal's content types, any theme
_WEAK_BODY_CLASSES = {"blog"}  # site builders put "blog" on every post; the page's own article type wins over it
MIN_TEASERS = 3
MIN_CARDS = 8  # sibling cards of one kind: a product grid or a teaser list, not an article's figures
CARD_CHARS = (15, 600)  # a card's text: more than a bare link, less than an article section
MEAN_CARD_CHARS = 350  # cards longer than this on average are an article's sections (a listicle), not teasers
MAX_PROSE = 800  # running text outside the cards above which a page is an article with a list in it
_CARD_TAGS = ("li", "div", "article", "section", "a")


def listing_reason(doc: lxml_html.HtmlElement, meta: PageMeta, url: str) -> str | None:
    """Why *doc* is not an article page, or None when it is one."""
    body = doc.find(".//body")
    classes = (body.get("class") or "").split() if body is not None else []
    if any(c.startswith(_ARTICLE_BODY_CLASSES) or _ARTICLE_NODE.search(c) for c in classes):
        return None
    for name, reason in _BODY_CLASSES.items():
        if name in classes and not (name in _WEAK_BODY_CLASSES and meta.is_article):
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
    if _teaser_count(doc) >= MIN_TEASERS:
        return "listing of articles"
    return "listing of cards" if _is_card_grid(doc) else None


def _teaser_count(doc: lxml_html.HtmlElement) -> int:
    """Articles on the page that are only a linked heading and a little text: a listing's entries."""
    count = 0
    for entry in doc.xpath("//article | //*[contains(concat(' ',@class,' '),' hentry ')]"):
        linked_heading = entry.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]")
        if linked_heading and len(" ".join(entry.text_content().split())) < 1200:
            count += 1
    return count


def _is_card_grid(doc: lxml_html.HtmlElement) -> bool:
    """A page whose content is a grid or list of cards (a linked image or heading each) with little prose.

    Shop collections, news sections and event listings rarely declare
    themselves; what they share is many siblings of one kind, each a link
    with a picture or a heading and a line or two, and almost no running
    text around them. An article with a list of products keeps its
    paragraphs, which is what tells it apart.
    """
    cards: set[lxml_html.HtmlElement] = set()
    largest = 0
    for parent in doc.iter():
        if not isinstance(parent.tag, str) or len(parent) < MIN_CARDS or _in_frame(parent):
            continue
        groups: dict[tuple[str, str], list[lxml_html.HtmlElement]] = {}
        for child in parent:
            if child.tag in _CARD_TAGS and _is_card(child):
                groups.setdefault((child.tag, _first_class(child)), []).append(child)
        for group in groups.values():
            largest = max(largest, len(group))
            if len(group) >= MIN_CARDS:
                cards.update(group)
    if largest < MIN_CARDS:
        return False
    outer = [c for c in cards if not any(a in cards for a in c.iterancestors())]
    card_text = sum(_length(c) for c in outer)
    prose = _prose_outside(doc, cards)
    return prose < MAX_PROSE and card_text >= prose and card_text <= MEAN_CARD_CHARS * len(outer)


def _is_card(element: lxml_html.HtmlElement) -> bool:
    linked = element.get("href") if element.tag == "a" else element.find(".//a[@href]") is not None
    if not linked or not CARD_CHARS[0] <= _length(element) <= CARD_CHARS[1]:
        return False
    return element.find(".//img") is not None or next(element.iter("h2", "h3", "h4", "h5"), None) is not None


def _prose_outside(doc: lxml_html.HtmlElement, cards: set[lxml_html.HtmlElement]) -> int:
    """Characters of paragraphs of running text (80+ characters, few links) outside the cards and the page frame."""
    total = 0
    for paragraph in doc.iter("p"):
        if _in_frame(paragraph) or any(a in cards for a in paragraph.iterancestors()):
            continue
        length = _length(paragraph)
        if length >= 80 and sum(_length(a) for a in paragraph.iter("a")) < 0.3 * length:
            total += length
    return total


def _in_frame(element: lxml_html.HtmlElement) -> bool:
    return any(e.tag in ("nav", "header", "footer", "aside") for e in (element, *element.iterancestors()))


def _length(element: lxml_html.HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def _first_class(element: lxml_html.HtmlElement) -> str:
    return next(iter((element.get("class") or "").split()), "")
