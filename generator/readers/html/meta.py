"""What a saved web page says about itself: JSON-LD, Open Graph, meta tags, bylines.

Each source is read into the same :class:`PageMeta`; the first source that
has a value wins, in the order publishers keep them most carefully:
JSON-LD, then Open Graph and ``article:*``, then ``<meta>`` tags, then the
visible page (``<time datetime>``, bylines, ``rel="tag"`` links).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from generator.readers.dates import DateOutOfRange, find_date
from generator.readers.metadata import parse_datetime

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
     "LiveBlogPosting", "BackgroundNewsArticle", "ReviewNewsArticle", "Report", "TechArticle", "SocialMediaPosting"}
)  # fmt: skip
LISTING_TYPES = frozenset({"CollectionPage", "SearchResultsPage", "ProfilePage", "ItemList"})
_BYLINE = re.compile(
    r"^\s*(?:by|written by|words by|submitted by|posted by)\s+(?P<names>.+?)(?:\s+on\s+\S.*|\s*[|·•].*)?$", re.I
)
_TAG_HREF = re.compile(r"/(?:tag|tags|topic|topics)/[^/?#]+/?(?:[?#]|$)")
_TAG_BOXES = (
    "//*[contains(@class,'field--name-field-tags') or contains(@class,'field-name-field-tags') or "
    "contains(@class,'tags-links') or contains(@class,'post-tags') or contains(@class,'entry-tags') or "
    "contains(@class,'article-tags') or contains(@class,'td-tags') or contains(@class,'tag-list')]//a[@href]"
)
_FRAME = frozenset({"nav", "footer", "aside", "header"})
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_ENTITY = re.compile(r"&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8});", re.I)
_BYLINE_WORDS = {"by", "posted", "posted by", "written by", "author", "authors", "von", "por", "par", "di", "door"}
_TITLE_SUFFIX = re.compile(r"\s+[|–—:·•-]\s+[^|–—·•]{2,60}$")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datePublished", "date", "pubdate", "publishdate",
    "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date", "publish-date",
)  # fmt: skip
_DATELINE = (
    "//*[contains(@class,'byline') or contains(@class,'dateline') or contains(@class,'date') or "
    "contains(@class,'published') or contains(@class,'posted') or contains(@class,'submitted') or "
    "contains(@class,'entry-meta') or contains(@class,'post-meta') or contains(@class,'timestamp') or @id='BlogDate']"
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified", "last-modified")


@dataclass
class PageMeta:
    """Metadata found on a page; empty fields were not found."""

    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    category: str = ""
    canonical: str = ""
    summary: str = ""
    site_name: str = ""
    types: set[str] = field(default_factory=set)
    og_type: str = ""
    dropped_dates: list[str] = field(default_factory=list)  # dates the page gives that backissue cannot hold
    language: str = ""  # as the page gives it; read_fields normalises it

    @property
    def is_article(self) -> bool:
        """The page declares itself an article (JSON-LD type or ``og:type``)."""
        return bool(self.types & ARTICLE_TYPES) or self.og_type == "article"


def read_page_meta(doc: lxml_html.HtmlElement, tz: ZoneInfo) -> PageMeta:
    """Every source of metadata on *doc*, merged by precedence."""
    meta = PageMeta()
    _from_json_ld(meta, doc, tz)
    _from_meta_tags(meta, doc, tz)
    _from_page(meta, doc, tz)
    meta.title = _without_site_name(meta.title, meta.site_name)
    meta.authors = _unique(name for name in meta.authors if _is_name(name))
    meta.tags = _unique(meta.tags)
    return meta


def read_date(value: Any, tz: ZoneInfo, dropped: list[str] | None = None) -> datetime | None:
    """A date as pages write it: ISO 8601, RFC 2822, or a printed date.

    A date outside what backissue can hold is None, and its text goes to *dropped* for a warning.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        found = parse_datetime(text, tz) or parse_datetime(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text), tz)
        if found is None:
            try:
                email_date = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return find_date(text, tz)
            found = parse_datetime(email_date, tz)
    except DateOutOfRange:
        if dropped is not None:
            dropped.append(text)
        return None
    return found


def _from_json_ld(meta: PageMeta, doc: lxml_html.HtmlElement, tz: ZoneInfo) -> None:
    nodes = list(_json_ld_nodes(doc))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        types = _types(node)
        meta.types |= types
        if not types & ARTICLE_TYPES or meta.title:
            continue
        meta.title = _text(node.get("headline") or node.get("name"))
        meta.published = read_date(node.get("datePublished") or node.get("dateCreated"), tz, meta.dropped_dates)
        meta.updated = read_date(node.get("dateModified"), tz, meta.dropped_dates)
        meta.authors = [name for person in _as_list(node.get("author")) if (name := _person_name(person, by_id))]
        meta.category = _text(next(iter(_as_list(node.get("articleSection"))), ""))
        meta.tags = [tag for tag in _keywords(node.get("keywords")) if tag != meta.category]
        meta.summary = _text(node.get("description"))
        meta.language = _text(node.get("inLanguage"))
        entity = node.get("mainEntityOfPage")
        meta.canonical = _text(node.get("url") or (entity.get("@id") if isinstance(entity, dict) else entity))
    if website := next((n for n in nodes if "WebSite" in _types(n)), None):
        meta.site_name = _text(website.get("name"))


def _json_ld_nodes(doc: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD, ``@graph`` members included, in document order.

    Broken scripts, and scripts nested too deeply for the JSON parser, are passed over. The stack holds
    pending items last-first, so each item is pushed and popped once: linear in the script's size.
    """
    for script in doc.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = re.sub(
            r"^\s*(?:<!--|/\*<!\[CDATA\[\*/|<!\[CDATA\[)|(?:-->|/\*\]\]>\*/|\]\]>)\s*$", "", script.text or ""
        )
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _from_meta_tags(meta: PageMeta, doc: lxml_html.HtmlElement, tz: ZoneInfo) -> None:
    tags: dict[str, list[str]] = {}
    for element in doc.iterfind(".//meta"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if name and content:
            tags.setdefault(name, []).append(content)

    def first(*names: str) -> str:
        return next((tags[name.lower()][0] for name in names if name.lower() in tags), "")

    meta.og_type = first("og:type").lower()
    declared = next((e.get("content", "") for e in doc.iterfind(".//meta")
                     if (e.get("http-equiv") or "").strip().lower() == "content-language"), "")  # fmt: skip
    root_lang = doc.getroottree().getroot().get("lang") or ""
    meta.language = root_lang.strip() or declared.split(",")[0].strip() or meta.language or first("og:locale")
    meta.title = meta.title or first("og:title", "twitter:title", "dc.title")
    dropped = meta.dropped_dates
    published = (read_date(first(name), tz, dropped) for name in _PUBLISHED_META)
    meta.published = meta.published or next(filter(None, published), None)
    meta.updated = meta.updated or next(filter(None, (read_date(first(n), tz, dropped) for n in _MODIFIED_META)), None)
    if not meta.authors:
        names = tags.get("author", []) + tags.get("article:author", []) + tags.get("dc.creator", [])
        meta.authors = [part for name in names if "://" not in name for part in _split_names(name)]
    meta.tags = meta.tags or tags.get("article:tag", []) or _keywords(first("news_keywords"))
    meta.category = meta.category or first("article:section")
    meta.summary = meta.summary or first("og:description", "description", "twitter:description")
    meta.site_name = meta.site_name or first("og:site_name", "application-name")
    canonical = next((link.get("href", "") for link in doc.iterfind(".//link") if _rel(link) >= {"canonical"}), "")
    meta.canonical = canonical.strip() or meta.canonical or first("og:url")


def _from_page(meta: PageMeta, doc: lxml_html.HtmlElement, tz: ZoneInfo) -> None:
    """What the visible page shows: headline, ``<time>``, byline, tag links."""
    headline = _headline(doc)
    if not meta.title:
        meta.title = _clean(headline.text_content()) if headline is not None else _page_title(doc, meta.site_name)
    below = _after_headline(headline)
    if meta.published is None:
        times = doc.xpath(
            "//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"
            " | //*[contains(@property,'dc:date') or contains(@property,'dc:created')"
            " or @property='schema:dateCreated']/@content"
        )
        times += doc.xpath(
            "//time[contains(@class,'published') or contains(@class,'entry-date') or @pubdate]/@datetime"
            " | //abbr[contains(@class,'published')]/@title"  # hAtom, as Blogger and old themes write it
        )
        times += doc.xpath("//article//time/@datetime | //time/@datetime")
        meta.published = (
            next(filter(None, (read_date(value, tz, meta.dropped_dates) for value in times)), None)
            or _printed_date(doc, tz)
            or next(filter(None, (find_date(line, tz) for line in below)), None)
        )
    if not meta.authors:
        meta.authors = _byline_names(doc) or next(
            (_split_names(m.group("names")) for line in below if (m := _BYLINE.match(line))), []
        )
    links = doc.xpath("//a[@rel]")
    if not meta.tags:
        meta.tags = [_clean(a.text_content()) for a in links if _rel(a) >= {"tag"} and "category" not in _rel(a)]
    if not meta.tags:
        meta.tags = _tag_links(doc)
    if not meta.category:
        meta.category = next((_clean(a.text_content()) for a in links if _rel(a) >= {"category", "tag"}), "")


def _tag_links(doc: lxml_html.HtmlElement) -> list[str]:
    """Links to the site's tag or topic pages shown with the article (not in menus, sidebars or footers)."""
    boxed = doc.xpath(_TAG_BOXES)
    if boxed:
        return [text for link in boxed if 0 < len(text := _clean(link.text_content()).lstrip("#")) <= 40]
    found = []
    for link in doc.iterfind(".//a[@href]"):
        if _TAG_HREF.search(link.get("href", "")) and not any(a.tag in _FRAME for a in link.iterancestors()):
            text = _clean(link.text_content()).lstrip("#")
            if 0 < len(text) <= 40:
                found.append(text)
    return found


def _byline_names(doc: lxml_html.HtmlElement) -> list[str]:
    found = doc.xpath(
        "//*[@itemprop='author']//*[@itemprop='name'] | //a[contains(concat(' ',@rel,' '),' author ')]"
        " | //*[contains(concat(' ',@class,' '),' author ')]//*[contains(@class,'fn')]"
        " | //*[contains(@typeof,'Person')]/descendant-or-self::*[@property='schema:name' or @property='name']"
        " | //*[contains(@class,'field--name-uid') or contains(@class,'field-name-uid')]//a"
    )
    if found:
        return [_clean(element.text_content()) for element in found]
    for element in doc.xpath(
        "//*[contains(@class,'byline')] | //*[contains(@class,'author-name')] | //*[contains(@class,'submitted')]"
        " | //*[@id='BlogDate']"
    ):
        for line in _lines(element):
            match = _BYLINE.match(line)
            if match or 0 < len(line.split()) <= 4 and not find_date(line, UTC):
                return _split_names(match.group("names") if match else line)
    return []


def _printed_date(doc: lxml_html.HtmlElement, tz: ZoneInfo) -> datetime | None:
    """A date printed in the byline or dateline ("Published: 14 March 2006")."""
    for element in doc.xpath(_DATELINE)[:12]:
        for line in _lines(element):
            if found := find_date(line, tz):
                return found
    return None


def _lines(element: lxml_html.HtmlElement) -> list[str]:
    """The element's text split where the page breaks lines (``<br>``, blocks)."""
    parts: list[str] = []
    for piece in element.xpath(".//text() | .//br"):
        parts.append("\n" if not isinstance(piece, str) else piece)
    return [line for text in "".join(parts).split("\n") if (line := _clean(text))]


def _headline(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The headline element: the ``<h1>`` the ``<title>`` repeats, else the article's, else the first
    that is not the site's name; on pages without one, an ``<h2>`` the title names."""
    page_title = _clean(doc.findtext(".//title") or "")
    headings = [
        h
        for h in doc.xpath("//h1 | //*[@itemprop='headline']")
        if "site-title" not in (h.get("class") or "") and _clean(h.text_content())
    ]
    in_title = [h for h in headings if _clean(h.text_content()) in page_title]
    in_article = [h for h in headings if any(a.tag == "article" for a in h.iterancestors())]
    if headings:
        return (in_title or in_article or headings)[0]
    parts = [part for part in re.split(r"\s+[|–—:·•-]\s+", page_title) if len(part) > 3]
    return next((h for h in doc.iter("h2") if any(part in _clean(h.text_content()) for part in parts)), None)


def _after_headline(headline: lxml_html.HtmlElement | None) -> list[str]:
    """The lines just below the headline, where hand-made pages put the byline and date."""
    lines: list[str] = []
    sibling = headline.getnext() if headline is not None else None
    while sibling is not None and len(lines) < 4:
        lines += _lines(sibling) if isinstance(sibling.tag, str) else []
        sibling = sibling.getnext()
    return lines[:4]


def _page_title(doc: lxml_html.HtmlElement, site_name: str) -> str:
    title = _clean(doc.findtext(".//title") or "")
    if site_name and title.endswith(site_name):
        return re.sub(r"\s*[|–—:·•-]\s*$", "", title.removesuffix(site_name)).strip() or title
    return _TITLE_SUFFIX.sub("", title) or title


def _person_name(person: Any, by_id: dict[str, dict[str, Any]]) -> str:
    if isinstance(person, dict):
        if "name" not in person and isinstance(person.get("@id"), str):
            person = by_id.get(person["@id"], person)
        return _text(person.get("name"))
    return _text(person) if isinstance(person, str) and "://" not in person else ""


def _keywords(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else _as_list(value)
    return [text for item in items if (text := _text(item))]


def _types(node: dict[str, Any]) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in _as_list(node.get("@type"))}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return _clean(value) if isinstance(value, str) else ""


def _clean(text: str) -> str:
    """Whitespace collapsed, and entities a publishing system escaped twice (``&#8211;`` in JSON-LD) decoded."""
    if _ENTITY.search(text):
        text = html.unescape(text)
    return " ".join(text.split())


def _without_site_name(title: str, site_name: str) -> str:
    """*title* without the site's name after a separator ("Story | Site"), as the page's own headline shows it."""
    if site_name and title != site_name:
        for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
            if title.endswith(separator + site_name):
                return title.removesuffix(separator + site_name).strip()
    return title


def _rel(element: lxml_html.HtmlElement) -> set[str]:
    return set((element.get("rel") or "").lower().split())


def _split_names(text: str) -> list[str]:
    """Names in a byline, without the roles and dates that follow them ("Ann Lee, sports editor - 3 May")."""
    text = re.split(r"\s[-–—|]\s", _clean(text))[0]
    return [name for part in _NAME_SPLIT.split(text) if (name := part.strip(" .·|")) and _looks_like_name(name)]


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 5 and not any(c.isdigit() for c in text) and words[0][0].isupper()


def _is_name(text: str) -> bool:
    """A person's or desk's name, not a link, a handle or a byline's label left on its own ("By", "Posted")."""
    return (
        0 < len(text) <= 80
        and "://" not in text
        and not text.startswith("@")
        and text.casefold().strip(" :") not in _BYLINE_WORDS
    )


def _unique(items: Iterator[str] | list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
