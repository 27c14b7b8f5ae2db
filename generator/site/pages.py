"""The list of pages a site is made of, each with its URL, template and context.

A context holds only what its page may show: an article page its article, and
every other article, term, year or month as a card (``Card``, ``TermCard``,
``YearCard``, ``MonthCard``), so that the page's fingerprint, a digest of its
context, changes exactly when something the page may show changes.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from generator.common.i18n import Localizer
from generator.common.urls import SiteUrls, UrlRegistry, slugify
from generator.model import Article, Card, Page, Site, Term, TermCard, YearCard
from generator.site.chart import month_chart
from generator.site.related import related_articles
from generator.site.taxonomy import paginate, term_names

TAXONOMY_TITLES = {
    "tags": "Tags",
    "authors": "Authors",
    "sources": "Sources",
    "category": "Categories",
    "languages": "Languages",
}
MORE_FROM = 4  # articles in "More from <tag or source>"


def plan_pages(site: Site, urls: SiteUrls, registry: UrlRegistry, localizer: Localizer | None = None) -> list[Page]:
    """Every page of *site*, titled in its language; listing URLs are claimed in *registry* (articles already are)."""
    config = site.config
    words = localizer or Localizer(config.language)
    per_page = config.per_page
    cards = {article.url: Card.of(article) for article in site.articles}

    def listing(first_url: str, title: str, kind: str, items, extra: dict[str, Any]) -> list[Page]:
        shown = tuple(cards[article.url] for article in items)
        return _listing(first_url, title, kind, shown, per_page, extra, words, urls)

    contexts = _article_contexts(site, cards)
    pages = [Page(a.url, "article.html", a.title, "article", context) for a, context in contexts]
    pages += [Page(p.url, "page.html", p.title, "page", {"article": p}) for p in site.pages]  # their URLs are claimed
    claimed = len(pages)
    pages += listing(urls.home, config.title, "home", site.articles, {"feed_url": urls.feed_of(urls.home)})
    for taxonomy, terms in site.taxonomies.items():
        label = words.gettext(TAXONOMY_TITLES[taxonomy])
        index = {"taxonomy": taxonomy, "terms": tuple(TermCard.of(term) for term in terms)}
        pages.append(Page(urls.taxonomy(taxonomy), "terms.html", label, "terms", index))
        for term in terms:
            extra = {"term": TermCard.of(term), "taxonomy": taxonomy, "feed_url": urls.feed_of(term.url)}
            pages += listing(term.url, term.name, "term", term.articles, extra)
    years = tuple(YearCard.of(year) for year in site.years)
    undated = tuple(cards[article.url] for article in site.articles if article.published is None)
    archive_context = {
        "years": years,
        "chart": month_chart(site.years),
        "article_count": len(site.articles),
        "undated": undated,
    }
    pages.append(Page(urls.archive, "archive.html", words.gettext("Archive"), "archive", archive_context))
    for index, year in enumerate(site.years):
        extra = {"year": years[index], **_neighbours(years, index)}
        pages += listing(year.url, words.digits(year.name), "year", year.articles, extra)
    months = [month for year in site.years for month in year.months]  # newest first
    month_cards = [month for year in years for month in year.months]
    for index, month in enumerate(months):
        extra = {"month": month_cards[index], **_neighbours(month_cards, index)}
        title = words.month(month.year, month.month)
        pages += listing(month.url, title, "month", month.articles, extra)
    not_found = words.gettext("Page not found")
    pages.append(Page(urls.not_found, "404.html", not_found, "not-found", absolute_links=True))
    if config.search.enabled:
        pages.append(Page(urls.search, "search.html", words.gettext("Search"), "search"))
    for page in pages[claimed:]:
        registry.claim(page.url, f"the {page.kind} page {page.title!r}")
    return pages


def _article_contexts(site: Site, cards: dict[str, Card]) -> list[tuple[Article, dict[str, Any]]]:
    """Each article with the cards its page shows around it: newer and older, related ones, more from a term."""
    related = related_articles(site.articles, site.taxonomies.get("tags", ()))
    by_slug = {(name, term.slug): term for name, terms in site.taxonomies.items() for term in terms}
    dated = [cards[article.url] for article in site.articles if article.published is not None]
    place = {card.url: index for index, card in enumerate(dated)}
    result = []
    for article in site.articles:
        index = place.get(article.url)
        steps = {"newer": None, "older": None}
        if index is not None:
            steps = _neighbours(dated, index)
        shown = tuple(cards[other.url] for other in related[article.url])
        more = _more_from(article, by_slug, {article.url, *(card.url for card in shown)}, cards)
        result.append((article, {"article": article, **steps, "related": shown, **more}))
    return result


def _more_from(
    article: Article, by_slug: dict[tuple[str, str], Term], shown: set[str], cards: dict[str, Card]
) -> dict[str, Any]:
    """The article's first tag (else its source) and up to MORE_FROM of its other articles not shown already."""
    for taxonomy in ("tags", "sources"):
        for name in term_names(article, taxonomy):
            term = by_slug.get((taxonomy, slugify(name)))
            if term is not None and len(term.articles) > 1:
                others = islice((a for a in term.articles if a.url not in shown), MORE_FROM)
                return {"more_term": TermCard.of(term), "more": tuple(cards[a.url] for a in others)}
    return {"more_term": None, "more": ()}


def _neighbours(periods: list, index: int) -> dict[str, Any]:
    """The next newer and older item (year, month, article) of a newest-first list, for stepping through time."""
    return {
        "newer": periods[index - 1] if index > 0 else None,
        "older": periods[index + 1] if index + 1 < len(periods) else None,
    }


def _listing(
    first_url: str,
    title: str,
    kind: str,
    items,
    per_page: int,
    extra: dict[str, Any],
    words: Localizer,
    urls: SiteUrls,
) -> list[Page]:
    pages = []
    for pager in paginate(items, per_page, first_url, urls):
        number = {"title": title, "num": words.number(pager.number)}
        shown = title if pager.number == 1 else words.gettext("%(title)s (page %(num)s)") % number
        pages.append(Page(pager.url, "list.html", shown, kind, {"pager": pager, **extra}))
    return pages
