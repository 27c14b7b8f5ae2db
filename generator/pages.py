"""The list of pages a site is made of, each with its URL, template and context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .assemble import Site
from .chart import month_chart
from .taxonomy import paginate
from .urls import UrlRegistry

ARCHIVE_URL = "archive/"
NOT_FOUND_URL = "404.html"
SEARCH_URL = "search/"
TAXONOMY_TITLES = {"tags": "Tags", "authors": "Authors", "sources": "Sources", "category": "Categories"}


@dataclass(frozen=True)
class Page:
    """One HTML page to render.

    ``absolute_links`` is for pages served at URLs other than their own (the
    404 page): with a ``base_url`` their links are absolute.
    """

    url: str
    template: str
    title: str
    kind: str
    context: dict[str, Any] = field(default_factory=dict)
    absolute_links: bool = False


def plan_pages(site: Site, registry: UrlRegistry) -> list[Page]:
    """Every page of *site*; listing URLs are claimed in *registry* (articles already are)."""
    config = site.config
    pages = [Page(a.url, "article.html", a.title, "article", {"article": a}) for a in site.articles]
    pages += _listing("", config.title, "home", site.articles, config.per_page, {"feed_url": "atom.xml"})
    for taxonomy, terms in site.taxonomies.items():
        folder = config.taxonomies[taxonomy]
        label = TAXONOMY_TITLES[taxonomy]
        pages.append(Page(f"{folder}/", "terms.html", label, "terms", {"taxonomy": taxonomy, "terms": terms}))
        for term in terms:
            extra = {"term": term, "taxonomy": taxonomy, "feed_url": f"{term.url}atom.xml"}
            pages += _listing(term.url, term.name, "term", term.articles, config.per_page, extra)
    archive_context = {"years": site.years, "chart": month_chart(site.years)}
    pages.append(Page(ARCHIVE_URL, "archive.html", "Archive", "archive", archive_context))
    months = [month for year in site.years for month in year.months]  # newest first
    for index, year in enumerate(site.years):
        steps = _neighbours(site.years, index)
        pages += _listing(year.url, year.name, "year", year.articles, config.per_page, {"year": year, **steps})
    for index, month in enumerate(months):
        steps = _neighbours(months, index)
        pages += _listing(month.url, month.name, "month", month.articles, config.per_page, {"month": month, **steps})
    pages.append(Page(NOT_FOUND_URL, "404.html", "Page not found", "not-found", absolute_links=True))
    if config.search.enabled:
        pages.append(Page(SEARCH_URL, "search.html", "Search", "search"))
    for page in pages[len(site.articles) :]:
        registry.claim(page.url, f"the {page.kind} page {page.title!r}")
    return pages


def _neighbours(periods: list, index: int) -> dict[str, Any]:
    """The next newer and older year or month of a date archive page, for stepping through time."""
    return {
        "newer": periods[index - 1] if index > 0 else None,
        "older": periods[index + 1] if index + 1 < len(periods) else None,
    }


def _listing(first_url: str, title: str, kind: str, items, per_page: int, extra: dict[str, Any]) -> list[Page]:
    pagers = paginate(items, per_page, first_url)
    return [
        Page(pager.url, "list.html", title if pager.number == 1 else f"{title} (page {pager.number})", kind, {"pager": pager, **extra})
        for pager in pagers
    ]
