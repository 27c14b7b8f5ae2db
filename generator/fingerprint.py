"""What a page shows, as a digest: equal digests mean the page would render the same.

The build keeps each output's fingerprint and skips rendering when it is
unchanged. An article page depends on its whole article; a list page only on
the cards it shows (title, date, authors, summary, comment count, lead image),
so editing a body re-renders that article's page but no listing. A theme that
overrides templates may show anything, so with one, list pages depend on
their articles in full.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import Any

from .assemble import Site
from .images import PublishedImage
from .model import Article, ImageRef
from .pages import Page

Published = Callable[[ImageRef | None], PublishedImage | None]


def digest(value: Any) -> str:
    """A digest of *value* by its ``repr``: equal values give equal digests, however the objects are shared.

    (Pickles differ for equal values when objects are shared differently, as
    they are between a freshly read article and one loaded from the cache.)
    """
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def site_digest(site: Site, static_urls: dict[str, str]) -> str:
    """What every page shows from the site as a whole: settings, theme files, the years covered."""
    config = dataclasses.replace(site.config, site_path=type(site.config.site_path)("."))
    years = (site.years[-1].year, site.years[0].year) if site.years else None
    return digest((repr(config), sorted(static_urls.items()), years))


def page_fingerprint(page: Page, site: Site, template_digest: str, common: str, published: Published, precise: bool) -> str:
    shown = _shown(page, site, published, precise)
    return digest((template_digest, common, page.url, page.title, page.kind, page.absolute_links, shown))


def card(article: Article, published: Published) -> tuple:
    """The fields a listing shows of an article."""
    lead = published(article.lead_image)
    return (article.url, article.title, article.published, article.authors, article.source, article.summary,
            len(article.comments), lead)  # fmt: skip


def _shown(page: Page, site: Site, published: Published, precise: bool) -> Any:
    context = page.context
    if page.kind == "article":
        article = context["article"]
        return article, [published(ref) for ref in article.images]
    if "pager" in context:
        pager = context["pager"]
        items = [card(a, published) if precise else (a, published(a.lead_image)) for a in pager.items]
        scope = [_summary(context[key]) for key in ("term", "year", "month") if key in context]
        return pager.number, pager.total, pager.prev_url, pager.next_url, items, scope, context.get("feed_url")
    if page.kind == "terms":
        return context["taxonomy"], [(t.name, t.url, len(t.articles)) for t in context["terms"]]
    if page.kind == "archive":
        undated = [(a.title, a.url) for a in site.articles if a.published is None]
        return [_summary(year) for year in context["years"]], context["chart"], len(site.articles), undated
    return ()


def _summary(scope: Any) -> tuple:
    """A term, year or month as its listing header shows it."""
    if hasattr(scope, "taxonomy"):
        return scope.taxonomy, scope.name, scope.url, len(scope.articles)
    months = [(m.month, m.url, len(m.articles)) for m in getattr(scope, "months", ())]
    return scope.name, scope.url, len(scope.articles), months
