"""What a page shows, as a digest: equal digests mean the page would render the same.

The build keeps each output's fingerprint and skips rendering when it is
unchanged. A page is rendered from its template, the template globals and its
own context, and its fingerprint digests exactly those values, whatever the
theme shows of them. The page plan keeps that precise: a context holds whole
the one article a page is about and only cards of everything else (title,
dates, tags, summary, lead image…, never a body or comments), so editing a
body re-renders that article's page but no listing, and a theme whose cards
show more than the default one is still rebuilt when that changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from generator.common.config import SiteConfig
from generator.model import Article, ImageRef, Page, PublishedImage

Published = Callable[[ImageRef | None], PublishedImage | None]
_PLAIN = {str, int, float, bool, type(None), datetime, date}  # digested by their repr as they are


def digest(value: Any) -> str:
    """A digest of *value* by its ``repr``: equal values give equal digests, however the objects are shared.

    (Pickles differ for equal values when objects are shared differently, as
    they are between a freshly read article and one loaded from the cache.)
    """
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


class Fingerprinter:
    """Fingerprints for one build; each value is digested once, however many pages show it.

    *shown_globals* are the template globals that are values (not functions);
    *published* gives the published files of an image, which a page shows
    with every image reference it holds.
    """

    def __init__(self, shown_globals: dict[str, Any], published: Published) -> None:
        self.published = published
        self._digests: dict[int, tuple[object, str]] = {}  # id → (the value, kept alive so its id stays its own)
        self.common = digest(self.shape(shown_globals))

    def page(self, page: Page, template_digest: str) -> str:
        """The page's template, the globals, and the page with its context."""
        return digest((template_digest, self.common, self._fields(page)))

    def shape(self, value: Any) -> Any:
        """*value* as plain values and tuples, nested dataclasses as digests of their fields (each digested once)."""
        if type(value) in _PLAIN:
            return value
        if isinstance(value, list):
            return tuple(self.shape(item) for item in value)
        if isinstance(value, dict):
            return tuple((key, self.shape(item)) for key, item in value.items())
        if isinstance(value, SiteConfig):
            return value.settings_key  # the settings without where the site lives
        if isinstance(value, tuple) or dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self._digests.get(id(value))  # values shared by many pages (cards, a listing's page URLs)
            if known is None:
                known = self._digests[id(value)] = (value, digest(self._fields(value)))
            return known[1]
        return repr(value)

    def _fields(self, value: Any) -> tuple:
        if isinstance(value, tuple):
            return tuple(self.shape(item) for item in value)
        if isinstance(value, Article):  # its images are all its image references: one repr is much quicker
            return repr(value), [self.published(ref) for ref in value.images]
        fields = tuple(self.shape(getattr(value, f.name)) for f in dataclasses.fields(value))
        if isinstance(value, ImageRef):
            fields += (self.published(value),)
        return type(value).__qualname__, fields
