"""What a page shows, as a digest: equal digests mean the page would render the same.

The build keeps each output's fingerprint and skips rendering when it is
unchanged. An article page depends on its whole article; a list page only on
the cards it shows (title, date, authors, summary, comment count, lead image),
so editing a body re-renders that article's page but no listing. A theme that
overrides templates may show anything, so with one, list pages depend on
their articles in full.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from generator.model import Article, ImageRef, Page, PublishedImage, Site

Published = Callable[[ImageRef | None], PublishedImage | None]


def digest(value: Any) -> str:
    """A digest of *value* by its ``repr``: equal values give equal digests, however the objects are shared.

    (Pickles differ for equal values when objects are shared differently, as
    they are between a freshly read article and one loaded from the cache.)
    """
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def site_digest(site: Site, static_urls: dict[str, str]) -> str:
    """What every page shows from the site as a whole: settings, theme files, the years covered."""
    years = (site.years[-1].year, site.years[0].year) if site.years else None
    linked = [(page.title, page.url) for page in site.pages]  # in every page's nav or footer
    return digest((site.config.settings_key, sorted(static_urls.items()), years, linked))


class Fingerprinter:
    """Fingerprints for one build; each article is digested once, however many lists show it."""

    def __init__(self, site: Site, common: str, published: Published, precise: bool) -> None:
        self.site = site
        self.common = common
        self.published = published
        self.precise = precise
        self._articles: dict[int, str] = {}

    def page(self, page: Page, template_digest: str) -> str:
        shown = self._shown(page)
        return digest((template_digest, self.common, page.url, page.title, page.kind, page.absolute_links, shown))

    def article(self, article: Article, card_only: bool = False) -> str:
        """The digest of an article as a page shows it (whole), or as a listing does (its card)."""
        key = id(article) * 2 + card_only
        if key not in self._articles:
            if card_only:
                lead = self.published(article.lead_image)
                shown = (article.url, article.title, article.published, article.authors, article.source,
                         article.summary, len(article.comments), lead)  # fmt: skip
            else:
                shown = (article, [self.published(ref) for ref in article.images])
            self._articles[key] = digest(shown)
        return self._articles[key]

    def _shown(self, page: Page) -> Any:
        context = page.context
        if page.kind == "page":
            return self.article(context["article"])
        if page.kind == "article":
            around = [context[key] for key in ("newer", "older")] + list(context["related"]) + list(context["more"])
            term = context["more_term"]
            cards = [self.article(a, card_only=True) if a else None for a in around]
            return self.article(context["article"]), cards, (term.taxonomy, term.name, term.url) if term else None
        if "pager" in context:
            pager = context["pager"]
            items = [self.article(a, card_only=self.precise) for a in pager.items]
            scope = [_summary(context[key]) for key in ("term", "year", "month") if key in context]
            steps = [(s.name, s.url) if s else None for s in (context.get("newer"), context.get("older"))]
            return (
                pager.number,
                pager.total,
                pager.prev_url,
                pager.next_url,
                items,
                scope,
                steps,
                context.get("feed_url"),
            )
        if page.kind == "terms":
            return context["taxonomy"], [(t.name, t.url, len(t.articles)) for t in context["terms"]]
        if page.kind == "archive":
            undated = [(a.title, a.url) for a in self.site.articles if a.published is None]
            return [_summary(year) for year in context["years"]], context["chart"], len(self.site.articles), undated
        return ()


def _summary(scope: Any) -> tuple:
    """A term, year or month as its listing header shows it."""
    if hasattr(scope, "taxonomy"):
        return scope.taxonomy, scope.name, scope.url, len(scope.articles)
    months = [(m.month, m.url, len(m.articles)) for m in getattr(scope, "months", ())]
    return scope.name, scope.url, len(scope.articles), months
