"""Group articles into terms and date archives, and paginate any listing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from generator.common.urls import SiteUrls, slugify
from generator.model import ArchiveMonth, ArchiveYear, Article, Pager, Term


def term_names(article: Article, taxonomy: str) -> tuple[str, ...]:
    """The names an article files under *taxonomy* (a key of ``[taxonomies]``)."""
    if taxonomy == "sources":
        return (article.source,) if article.source else ()
    if taxonomy == "category":
        return (article.category,) if article.category else ()
    return getattr(article, taxonomy)


def spellings(articles: Sequence[Article], taxonomy: str) -> dict[str, str]:
    """Slug → the spelling most articles use (ties: the lowest by code point), so "rail" and "Rail" are one term."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in term_names(article, taxonomy):
            counts[slugify(name)][name] += 1
    return {slug: min(names.items(), key=lambda item: (-item[1], item[0]))[0] for slug, names in counts.items() if slug}


def with_tag_spellings(article: Article, names: dict[str, str]) -> Article:
    """*article* with each tag in its site-wide spelling, each term once."""
    tags = tuple(dict.fromkeys(names.get(slugify(tag), tag) for tag in article.tags))
    return article if tags == article.tags else replace(article, tags=tags)


def collect_terms(articles: Sequence[Article], taxonomy: str, urls: SiteUrls) -> tuple[Term, ...]:
    """One term per slug, named by its most used spelling, sorted by name."""
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for slug in dict.fromkeys(slugify(name) for name in term_names(article, taxonomy)):
            if slug:
                grouped[slug].append(article)
    names = spellings(articles, taxonomy)
    terms = [
        Term(taxonomy, names[slug], slug, urls.term(taxonomy, slug), tuple(sorted(members, key=lambda a: a.sort_key)))
        for slug, members in grouped.items()
    ]
    return tuple(sorted(terms, key=lambda term: (term.name.casefold(), term.slug)))


def date_archives(articles: Sequence[Article], urls: SiteUrls) -> tuple[ArchiveYear, ...]:
    """Years and months holding dated articles, newest first."""
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: a.sort_key):
        if article.published is not None:
            by_month[(article.published.year, article.published.month)].append(article)
    years = []
    for year in sorted({y for y, _m in by_month}, reverse=True):
        months = tuple(
            ArchiveMonth(year, month, urls.month(year, month), tuple(by_month[(year, month)]))
            for month in range(12, 0, -1)
            if (year, month) in by_month
        )
        members = tuple(article for month in months for article in month.articles)
        years.append(ArchiveYear(year, urls.year(year), members, months))
    return tuple(years)


def paginate(items: Sequence[Any], per_page: int, first_url: str, urls: SiteUrls) -> list[Pager]:
    """Split *items* into pages; an empty listing still has one (empty) page."""
    chunks = [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)] or [()]
    page_urls = tuple(urls.listing_page(first_url, number) for number in range(1, len(chunks) + 1))
    return [Pager(number, chunk, page_urls) for number, chunk in enumerate(chunks, start=1)]
