"""Every URL and output path of a site, decided in one place: :class:`SiteUrls`.

A URL here is site-relative: ``""`` for the front page, ``"2024/11/slug/"``
for a folder page, ``"atom.xml"`` for a file. Links in pages are written
relative to the page that holds them (``relative_url``), with an explicit
``index.html``, so the built folder works under any path of any host and
straight from ``file://``; ``absolute_url`` serves canonical links, feeds and
the sitemap when ``base_url`` is set.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from slugify import slugify as _slugify

from generator.common.weburl import split_url
from generator.model import LANGUAGES

if TYPE_CHECKING:
    from generator.common.config import SiteConfig

SLUG_MAX_LENGTH = 80
MAX_NAME_BYTES = 255  # the longest file name common file systems take
_UNSAFE_SEGMENT = re.compile(r"(^\.{1,2}$)|[\x00\\:]")
_UNCLEAN_SEGMENTS = frozenset(("", ".", ".."))


class UrlCollision(Exception):
    """Two things would be written to one URL; the message names both."""


@lru_cache(maxsize=4096)  # tag and author names are slugified wherever they are shown
def slugify(text: str) -> str:
    """A stable ASCII slug; text with nothing to transliterate gets a digest-based one."""
    slug = _slugify(text, max_length=SLUG_MAX_LENGTH, word_boundary=True, save_order=True)
    if slug or not text.strip():
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def permalink(pattern: str, slug: str, published: datetime | None, source: str | None) -> str:
    """Fill a permalink pattern; the pattern was checked by the config loader."""
    fields = {"slug": slug, "source": slugify(source or "") or "unknown"}
    if published is not None:
        fields |= {"year": f"{published.year:04d}", "month": f"{published.month:02d}", "day": f"{published.day:02d}"}
    return pattern.format_map(fields)


def dest_path(url: str) -> str:
    """The file a URL is written to, relative to the output folder."""
    return url + "index.html" if url == "" or url.endswith("/") else url


@lru_cache(maxsize=65536)
def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at *from_url* to *to_url* (which may carry a ``#fragment``)."""
    target, _, fragment = to_url.partition("#")
    here = posixpath.dirname(dest_path(from_url))
    link = _relative_path(dest_path(target), here)
    return f"{link}#{fragment}" if fragment else link


def _relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for paths relative to the output root.

    Pages link to each other hundreds of thousands of times in a build and most links differ, so
    this skips relpath's ``os.getcwd()`` and normalising; a path with an empty, ``.`` or ``..``
    segment still goes through relpath.
    """
    parts, base = path.split("/"), start.split("/") if start else []
    if _UNCLEAN_SEGMENTS.intersection(parts) or _UNCLEAN_SEGMENTS.intersection(base):
        return posixpath.relpath(path, start or ".")
    common = 0
    for mine, theirs in zip(parts, base, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def absolute_url(base_url: str, url: str) -> str:
    """*url* under *base_url*, with folder pages left as folders."""
    return base_url.rstrip("/") + "/" + url


def paged_url(first_url: str, number: int) -> str:
    """The URL of page *number* of a listing whose first page is *first_url*."""
    return first_url if number == 1 else f"{first_url}page/{number}/"


def check_url(url: str) -> None:
    """Refuse URLs that could leave the output folder."""
    if url.startswith("/") or any(_UNSAFE_SEGMENT.search(part) for part in url.split("/")):
        raise UrlCollision(f"refusing unsafe output URL {url!r}")


class UrlRegistry:
    """Hands out URLs once; a second claim of a URL names both claimants.

    A file is also refused where another claim needs a folder of that name, and the other way round
    (an alias ``/robots.txt/`` would need a folder where robots.txt is written).
    """

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}
        self._folders: dict[str, str] = {}  # folder path → the first claim that needs it

    def claim(self, url: str, owner: str) -> str:
        check_url(url)
        key = dest_path(url)
        folders = [key.rsplit("/", depth)[0] for depth in range(1, key.count("/") + 1)]
        taken = self._owners.get(key) or self._folders.get(key)
        taken = taken or next((self._owners[folder] for folder in folders if folder in self._owners), None)
        if taken:
            raise UrlCollision(f"{owner} and {taken} would both be written to {key}; give one a different slug")
        self._owners[key] = owner
        for folder in folders:
            self._folders.setdefault(folder, owner)
        return url


@dataclass(frozen=True)
class SiteUrls:
    """Every URL a site has, from one owner: pages, listings and their later pages, feeds, media, aliases.

    Stages ask this object instead of writing a path themselves, so a URL is decided once and every page,
    feed, sitemap and hosting file that names it agrees. Templates get it as ``urls``.
    """

    permalink: str
    undated_permalink: str
    folders: Mapping[str, str]  # taxonomy → its folder

    home = ""
    archive = "archive/"
    search = "search/"
    search_index = "pagefind/"  # Pagefind's files, when [search] is on
    not_found = "404.html"
    feed = "atom.xml"
    recent_feed = "recent.xml"
    sitemap = "sitemap.xml"
    robots = "robots.txt"
    media_folder = "media"

    @classmethod
    def of(cls, config: SiteConfig) -> SiteUrls:
        folders = {**config.taxonomies, LANGUAGES: LANGUAGES}
        return cls(config.permalink, config.undated_permalink, folders)

    def article(self, slug: str, published: datetime | None, source: str | None) -> str:
        pattern = self.permalink if published else self.undated_permalink
        return permalink(pattern, slug, published, source)

    def standalone(self, slug: str) -> str:
        """A page of the site's own (About, Contact): at its slug, under no date."""
        return f"{slug}/"

    def taxonomy(self, taxonomy: str) -> str:
        """The index of every term of *taxonomy*."""
        return f"{self.folders[taxonomy]}/"

    def term(self, taxonomy: str, slug: str) -> str:
        return f"{self.folders[taxonomy]}/{slug}/"

    def year(self, year: int) -> str:
        return f"{year:04d}/"

    def month(self, year: int, month: int) -> str:
        return f"{year:04d}/{month:02d}/"

    def listing_page(self, first_url: str, number: int) -> str:
        """Page *number* of a listing whose first page is *first_url*."""
        return paged_url(first_url, number)

    def feed_of(self, listing_url: str) -> str:
        """The Atom feed beside a listing (the front page's is the site's feed)."""
        return f"{listing_url}{self.feed}"

    def media(self, name: str) -> str:
        return f"{self.media_folder}/{name}"

    def sitemap_part(self, number: int) -> str:
        """One of the sitemaps behind the sitemap index of a site with more URLs than one sitemap takes."""
        return f"sitemap-{number}.xml"

    def alias(self, alias: str) -> str | None:
        """An article's old address as a URL of this site: ``/old/path`` → ``old/path/``; ``old.html`` stays a
        file; None when it is not a usable path here."""
        parts = split_url(alias.strip())
        if parts is None or parts.scheme or parts.netloc or parts.query or parts.fragment:
            return None
        path = unquote(parts.path).lstrip("/")
        segments = path.rstrip("/").split("/")
        if not path or any(part in ("", ".", "..") or len(part.encode()) > MAX_NAME_BYTES for part in segments):
            return None
        return path if path.endswith((".html", ".htm")) or path.endswith("/") else path + "/"
