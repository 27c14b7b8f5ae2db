"""Tell article pages from the rest of a mirrored site: listings, archives, search, the home page.

A mirror of a news site saves every page it can reach, and most of them are
not articles. The page's own declarations decide first (WordPress body
classes, JSON-LD and Open Graph types), then the shape of its address, then
its structure: many same-shaped entries (teasers with a linked headline,
cards with a price) and little running text outside them is a listing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs

from lxml import html as lxml_html

from generator.common.weburl import split_url
from generator.readers.html.comments import FORUM_POSTS
from generator.readers.html.meta import ARTICLE_TYPES, LISTING_TYPES, PageMeta

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
    # a numbered topic (/topic/225132-title/) is a forum thread, not a tag's page
    (re.compile(r"/(?:tag|tags|topic|topics)/(?!\d+-)[^/]+/?(?:page/\d+/?)?$"), "tag listing"),
    (re.compile(r"/(?:category|categories|section)/.+?/?$"), "category listing"),
    (re.compile(r"/(?:author|authors|profile)/[^/]+/?(?:page/\d+/?)?$"), "author page"),
    (re.compile(r"/page/\d+/?$"), "listing page"),
    (re.compile(r"/(?:search)/?"), "search results"),
    (re.compile(r"/(?:feed|rss)/?$"), "a feed"),
    (re.compile(r"/(?:news|blog|blogs|articles|stories|press|latest|issues|shop)/?$"), "section front"),
    (  # shop platforms' category paths, after any locale segments (/eu/en-bg/c/fire-pits)
        re.compile(
            r"^(?:/[a-z]{2}(?:[-_][a-z]{2})?)*/(?:collections|browse|c|cp|departments|catalogs?|shop)/[^/]+", re.I
        ),
        "shop category",
    ),
)
_ARTICLE_NODE = re.compile(r"node-type-.*(?:article|blog|story|news|post)")  # Drupal's content types, any theme
_WEAK_BODY_CLASSES = {"blog"}  # site builders put "blog" on every post: the article type or the prose wins over it
MIN_TEASERS = 3
MIN_CARDS = 8  # sibling cards of one kind: a product grid or a teaser list, not an article's figures
CARD_CHARS = (15, 600)  # a card's text: more than a bare link, less than an article section
MEAN_CARD_CHARS = 350  # cards longer than this on average are an article's sections (a listicle), not teasers
MAX_PROSE = 800  # running text outside the cards above which a page is an article with a list in it
_CARD_TAGS = ("li", "div", "article", "section", "a")
_PRICE = re.compile(r"(?:[$€£¥₹]\s?\d|\d(?:[.,]\d\d)?\s?(?:€|EUR|USD|GBP|CHF|kr|zł|Kč)(?!\w))")
MIN_PRODUCTS = 6  # sibling cards with a price each: a shop's collection page
MAX_INTRO_PARAGRAPHS = 2  # long paragraphs a shop puts above its grid
MIN_HEADLINES = 8  # sibling teasers with a linked headline each: a section front or a list of posts
MAX_HEADLINE_CHARS = 1200
HEADLINE_WORDS = 3
_CONTROLS = (
    ("sort", re.compile(r"sort\s*(?:by)?\s*:?$", re.I)),
    ("filter", re.compile(r"(?:filters?|filter\s+by|refine\s+by)\s*:?$", re.I)),
    ("count", re.compile(r"showing\s+(?:\d[\d,]*\s*(?:[-–]\s*\d[\d,]*\s*)?)?of\s+\d[\d,]*\b.*$", re.I)),
    ("count", re.compile(r"\d[\d,]*\s+(?:products?|items?|results?)$", re.I)),
    ("cart", re.compile(r"(?:add\s+to\s+(?:cart|bag|basket)|quick\s+(?:view|add|shop))$", re.I)),
)  # the labels of a catalogue's controls, matched against a whole short text of the page
LONG_PARAGRAPH = 200  # characters of a paragraph of running text, as articles have and listings rarely do


def listing_reason(doc: lxml_html.HtmlElement, meta: PageMeta, url: str) -> str | None:
    """Why *doc* is not an article page, or None when it is one."""
    body = doc.find(".//body")
    classes = (body.get("class") or "").split() if body is not None else []
    if any(c.startswith(_ARTICLE_BODY_CLASSES) or _ARTICLE_NODE.search(c) for c in classes):
        return None
    for name, reason in _BODY_CLASSES.items():
        if name in classes and not (name in _WEAK_BODY_CLASSES and (meta.is_article or _prose_outweighs_teasers(doc))):
            return reason
    if meta.types & ARTICLE_TYPES or (meta.og_type == "article" and not meta.types):
        return None
    if meta.types & LISTING_TYPES:
        return f"{sorted(meta.types & LISTING_TYPES)[0]} page"
    if meta.og_type.startswith("product") or meta.og_type == "profile":
        return f"{meta.og_type} page"
    # og:type article beside JSON-LD that names no article (SEO plugins say "article" of every page): read on
    parts = split_url(url) or split_url("")
    if "s" in parse_qs(parts.query) or "paged" in parse_qs(parts.query):
        return "search results" if "s" in parse_qs(parts.query) else "listing page"
    for pattern, reason in _PATHS:
        if pattern.search(parts.path):
            return reason
    if parts.scheme and parts.path.strip("/") in ("", "index.html", "index.htm"):
        return "home page"
    if (meta.published and meta.authors) or doc.xpath(FORUM_POSTS):  # dated and signed, or a forum's posts: one item
        return None
    if len(_teasers(doc)) >= MIN_TEASERS and not _prose_outweighs_teasers(doc):
        return "listing of articles"
    if reason := _grid_reason(doc, url) or _shop_controls(doc):
        return reason
    return "listing of cards" if _is_card_grid(doc) else None


def _teasers(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Articles on the page that are only a linked heading and a little text: a listing's entries."""
    return [
        entry
        for entry in doc.xpath("//article | //*[contains(concat(' ',@class,' '),' hentry ')]")
        if entry.xpath(".//h1//a[@href] | .//h2//a[@href] | .//h3//a[@href]") and _length(entry) < 1200
    ]


def _prose_outweighs_teasers(doc: lxml_html.HtmlElement) -> bool:
    """More long paragraphs outside the page's teasers than teasers: an article, with related posts beside it."""
    teasers = _teasers(doc)
    return _long_paragraphs(doc, teasers) > len(teasers)


def _grid_reason(doc: lxml_html.HtmlElement, url: str) -> str | None:
    """A listing told by its largest group of same-shaped sibling entries, weighed against the page's prose.

    A shop's collection page repeats cards that each show a price; a
    section front or a blog index repeats teasers that each link a headline
    on the same site. Articles have such groups too (related posts, a
    product box), but beside many long paragraphs of running text outside
    them; a listicle's entries link out to what they list.
    """
    products: list[lxml_html.HtmlElement] = []
    teasers: list[lxml_html.HtmlElement] = []
    host = _host(url)
    for group in _sibling_groups(doc, MIN_PRODUCTS):
        priced = [c for c in group if _is_card(c) and _PRICE.search(c.text_content())]
        products = max(products, priced, key=len)
        # distinct headlines: a forum thread's posts repeat "Re: <the topic>"
        headlines = {h: c for c in group if (h := _teaser_headline(c, host))}
        teasers = max(teasers, list(headlines.values()), key=len)
    if (
        len(products) >= MIN_PRODUCTS
        and _long_paragraphs(doc, products) <= 2 * len(products)
        and _paragraphs_before(doc, products[0]) <= MAX_INTRO_PARAGRAPHS
    ):
        return "listing of products"
    if len(teasers) >= MIN_HEADLINES and _long_paragraphs(doc, teasers) <= len(teasers) / 2:
        return "listing of articles"
    return None


def _shop_controls(doc: lxml_html.HtmlElement) -> str | None:
    """A catalogue told by the controls shops and directories put above their results, whatever draws the grid.

    A "Sort by" label beside a filter panel or a count of results ("Showing 1–24 of 120 results", "2 Products"),
    or an "Add to cart" button on six or more items: the grid itself is often drawn by a script the saved copy
    no longer runs. An article has neither (forum threads, which sort their replies, never reach this test).
    """
    labels: Counter[str] = Counter()
    for text in doc.itertext():
        if len(text) < 80 and (label := _control_label(" ".join(text.split()))):
            labels[label] += 1
    if labels["sort"] and (labels["filter"] or labels["count"]):
        return "catalogue with sort and filter controls"
    return "listing of products" if labels["cart"] >= MIN_PRODUCTS else None


def _control_label(text: str) -> str:
    for label, pattern in _CONTROLS:
        if pattern.match(text):
            return label
    return ""


def _long_paragraphs(doc: lxml_html.HtmlElement, entries: list[lxml_html.HtmlElement]) -> int:
    """Paragraphs of running text outside the page frame and outside *entries* (a teaser's summary is not prose)."""
    inside = set(entries)
    return sum(
        1
        for p in doc.iter("p")
        if _length(p) >= LONG_PARAGRAPH and not _in_frame(p) and not any(a in inside for a in p.iterancestors())
    )


def _paragraphs_before(doc: lxml_html.HtmlElement, entry: lxml_html.HtmlElement) -> int:
    """Long paragraphs ahead of *entry*: a shop has a line or two of introduction, an article tells its story first."""
    count = 0
    for element in doc.iter():
        if element is entry:
            break
        if element.tag == "p" and _length(element) >= LONG_PARAGRAPH and not _in_frame(element):
            count += 1
    return count


def _teaser_headline(element: lxml_html.HtmlElement, host: str) -> str:
    """The headline of an entry that is a headline linked to another page and a little text, else "".

    The link must leave the page (not ``#p123``, a forum post's own anchor)
    and read as a headline of three words or more (a forum post's heading
    that links the poster's name is not one).
    """
    if _length(element) > MAX_HEADLINE_CHARS:
        return ""
    links = element.xpath(
        "self::a[.//h2 or .//h3 or .//h4 or .//h5] | .//h2//a[@href] | .//h3//a[@href] | .//h4//a[@href] | "
        ".//h5//a[@href] | .//a[@href][.//h2 or .//h3 or .//h4 or .//h5]"
    )
    for link in links:
        words = link.text_content().split()
        if _is_own_page(link.get("href") or "", host) and len(words) >= HEADLINE_WORDS:
            return " ".join(words).casefold()
    return ""


def _is_own_page(href: str, host: str) -> bool:
    """*href* leads to another page of the same site: a listing links its own articles, a listicle links out."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    linked = _host(href)
    return not linked or linked == host


def _host(url: str) -> str:
    parts = split_url(url)
    return (parts.hostname or "").removeprefix("www.") if parts else ""


def _is_card_grid(doc: lxml_html.HtmlElement) -> bool:
    """A page whose content is a grid or list of cards (a linked image or heading each) with little prose.

    Shop collections, news sections and event listings rarely declare
    themselves; what they share is many siblings of one kind, each a link
    with a picture or a heading and a line or two, and almost no running
    text around them. An article with a list of products keeps its
    paragraphs, which is what tells it apart.
    """
    cards = {card for group in _sibling_groups(doc, MIN_CARDS, _is_card) for card in group}
    if not cards:
        return False
    outer = [c for c in cards if not any(a in cards for a in c.iterancestors())]
    card_text = sum(_length(c) for c in outer)
    prose = _prose_outside(doc, cards)
    return prose < MAX_PROSE and card_text >= prose and card_text <= MEAN_CARD_CHARS * len(outer)


def _sibling_groups(
    doc: lxml_html.HtmlElement, minimum: int, keep: Callable[[lxml_html.HtmlElement], bool] = lambda child: True
) -> Iterator[list[lxml_html.HtmlElement]]:
    """Groups of at least *minimum* siblings of one kind (tag and first class) that *keep* accepts, outside the
    page frame: a listing's cards, a section's teasers, a thread's posts."""
    for parent in doc.iter():
        if not isinstance(parent.tag, str) or len(parent) < minimum or _in_frame(parent):
            continue
        groups: dict[tuple[str, str], list[lxml_html.HtmlElement]] = {}
        for child in parent:
            if child.tag in _CARD_TAGS and keep(child):
                groups.setdefault((child.tag, _first_class(child)), []).append(child)
        yield from (group for group in groups.values() if len(group) >= minimum)


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
