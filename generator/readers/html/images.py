"""Which file a saved page's ``<img>`` shows: the mirrored copy on disk, else the original URL.

Pages name an image many ways at once — ``src``, ``srcset``, lazy-load
attributes (``data-src``, ``data-lazy-src``, ``data-srcset``) — and a mirror
saves some of them. The largest candidate that exists locally wins; when
none was saved the image stays a remote reference (never fetched).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import html as lxml_html

from generator.common.weburl import join_url, split_url, web_url
from generator.readers.base import look_for
from generator.readers.metadata import is_regular_file

_SINGLE = ("src", "data-src", "data-lazy-src", "data-original", "data-orig-file", "data-large-file", "data-full-url")
_SETS = ("srcset", "data-srcset", "data-lazy-srcset")
_DESCRIPTOR = re.compile(r"^(?P<value>\d+(?:\.\d+)?)(?P<unit>[wx])$")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.I)
_PIXEL = re.compile(
    r"(?:^|/)(?:pixel|spacer|blank|transparent|1x1|tracking)\.(?:gif|png)$|/(?:pixel|collect|beacon)\b", re.I
)


@dataclass
class PageImages:
    """Where a page lives (*base_dir*, inside *content_path*) and its original URL.

    ``looked_at`` collects every file tried, found or not, with its stamp
    (:func:`~generator.readers.look_for`): the page must be read again when
    one of them appears, changes or disappears.
    """

    base_dir: Path
    content_path: Path
    page_url: str = ""
    looked_at: dict[str, str] = field(default_factory=dict)

    def choose(self, img: lxml_html.HtmlElement, link: str | None) -> str | None:
        """The reference to write for *img*: a path relative to the page, a URL, "" for an image
        that cannot be located (shown as not captured), or None for nothing worth showing (a pixel).

        *link* is where a link around the image points: often the full-size file.
        """
        candidates = _candidates(img)
        if link and _IMAGE_FILE.search(getattr(split_url(link), "path", "")):
            candidates.append((float("inf"), link))
        local = [(size, path) for size, url in candidates if (path := self._local_file(url)) is not None]
        if local:
            size, path = max(local, key=lambda item: (item[0], _file_size(item[1])))
            return quote(_relative(path, self.base_dir))
        if any(_is_pixel(img, url) for _size, url in candidates):
            return None
        for _size, url in sorted(candidates, key=lambda item: -item[0]):
            if absolute := web_url(url, self.page_url):
                return absolute
        return "" if candidates else None

    def _local_file(self, url: str) -> Path | None:
        parts = split_url(url)
        if parts is None:
            return None
        if parts.scheme in ("http", "https") or (self.page_url and url.startswith("/")):
            absolute = split_url(join_url(self.page_url, url))
            if absolute is None:
                return None
            path = self._mirrored_path(absolute.netloc, absolute.path)
        elif parts.scheme or parts.netloc or not parts.path:
            return None
        else:
            relative = unquote(parts.path)
            path = self.content_path / relative.lstrip("/") if relative.startswith("/") else self.base_dir / relative
        if path is None or not _inside(path, self.content_path):
            return None
        if parts.query and not is_regular_file(look_for(path, self.looked_at)):  # wget keeps "?ver=2" in the name
            path = _with_query(path, parts.query)
            if path is None:
                return None
        resolved = look_for(path, self.looked_at)
        return resolved if resolved.is_relative_to(self.content_path.resolve()) and is_regular_file(resolved) else None

    def _mirrored_path(self, host: str, path: str) -> Path | None:
        """An absolute URL's copy inside a wget/HTTrack host folder above the page, if there is one."""
        for folder in (self.base_dir, *self.base_dir.parents):
            if folder.name == host:
                return folder / unquote(path).lstrip("/")
            if folder == self.content_path:
                break
        return None


def _with_query(path: Path, query: str) -> Path | None:
    """The file wget saves for *path* with *query*: the query in its name, decoded where that makes a file name.

    An image route such as ``image?url=https%3A%2F%2F…`` decodes to a name
    with slashes, which no file can have; wget keeps that query as written.
    """
    names = [f"{path.name}?{q}" for q in dict.fromkeys((unquote(query), query)) if "/" not in q and "\0" not in q]
    return path.with_name(names[0]) if path.name and names else None


def _inside(path: Path, root: Path) -> bool:
    """*path* names a place under *root* as written (before links are followed)."""
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(root))


def _candidates(img: lxml_html.HtmlElement) -> list[tuple[float, str]]:
    """``(width, url)`` for every source *img* names (its ``<picture>`` sources too); unknown sizes count as 0."""
    declared = declared_size(img)[0] or 0.0
    found = [(declared, value) for name in _SINGLE if (value := (img.get(name) or "").strip())]
    parent = img.getparent()
    sources = list(parent.iterfind("source")) if parent is not None and parent.tag == "picture" else []
    for element in (img, *sources):
        for name in _SETS:
            found += _srcset(element.get(name) or "", declared)
    return [(width, url) for width, url in found if not url.startswith("data:")]


def _srcset(value: str, declared: float) -> list[tuple[float, str]]:
    """A ``srcset`` as ``(width, url)``; URLs may hold commas, entries are split after a descriptor or at ", "."""
    entries = []
    for entry in re.split(r",\s+|(?<=\d[wx]),", value.strip()):
        parts = entry.strip().rstrip(",").split()
        if not parts:
            continue
        match = _DESCRIPTOR.match(parts[1]) if len(parts) > 1 else None
        if match is None:
            width = declared
        else:
            width = float(match.group("value")) * ((declared or 1) if match.group("unit") == "x" else 1)
        entries.append((width, parts[0]))
    return entries


def declared_size(img: lxml_html.HtmlElement) -> tuple[float | None, float | None]:
    """The ``width`` and ``height`` an image declares, None where absent or unreadable."""
    return _dimension(img.get("width")), _dimension(img.get("height"))


def is_tiny(img: lxml_html.HtmlElement) -> bool:
    """Declared at most 2 pixels wide or high: a tracking pixel or a spacer."""
    return any(size is not None and size <= 2 for size in declared_size(img))


def _dimension(value: str | None) -> float | None:
    try:
        return float((value or "").strip().removesuffix("px"))
    except ValueError:
        return None


def _is_pixel(img: lxml_html.HtmlElement, url: str) -> bool:
    return is_tiny(img) or bool(_PIXEL.search(getattr(split_url(url), "path", "")))


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _relative(path: Path, base_dir: Path) -> str:
    base = base_dir.resolve()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        up = 0
        while not path.is_relative_to(base):
            base, up = base.parent, up + 1
        return "../" * up + path.relative_to(base).as_posix()
