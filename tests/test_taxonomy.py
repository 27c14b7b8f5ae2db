"""Terms, date archives and pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.model import Article
from generator.site.taxonomy import collect_terms, date_archives, paginate

URLS = SiteUrls.of(SiteConfig())


def make(title: str, day: int | None, tags=(), source=None) -> Article:
    published = datetime(2024, 1 + (day or 1) % 12, 1 + (day or 1) % 28, tzinfo=UTC) if day else None
    return Article(
        source_path=title,
        reader="markdown",
        title=title,
        slug=title,
        published=published,
        tags=tuple(tags),
        source=source,
        url=f"{title}/",
    )


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=12))
def test_pages_concatenate_to_the_listing(items, per_page):
    pagers = paginate(items, per_page, "tags/x/", URLS)
    assert [item for pager in pagers for item in pager.items] == items
    assert all(len(pager.items) <= per_page for pager in pagers)
    assert [pager.number for pager in pagers] == list(range(1, len(pagers) + 1))
    assert pagers[0].url == "tags/x/" and pagers[0].prev_url is None and pagers[-1].next_url is None
    for before, after in pairwise(pagers):
        assert before.next_url == after.url and after.prev_url == before.url


def test_terms_merge_spellings_under_one_slug_and_sort_by_name():
    articles = [make("a", 1, ["Harbour", "Local"]), make("b", 2, ["harbour"]), make("c", 3, ["Harbour"])]
    terms = collect_terms(articles, "tags", URLS)
    assert [(t.name, t.slug, len(t.articles)) for t in terms] == [("Harbour", "harbour", 3), ("Local", "local", 1)]
    assert terms[0].url == "tags/harbour/"
    assert [a.title for a in terms[0].articles] == ["c", "b", "a"]


def test_sources_taxonomy_uses_the_source_field():
    terms = collect_terms([make("a", 1, source="Valley Courier"), make("b", 2)], "sources", URLS)
    assert [(t.name, t.url) for t in terms] == [("Valley Courier", "sources/valley-courier/")]


def test_date_archives_are_newest_first_and_skip_undated():
    articles = [make(str(day), day) for day in (1, 2, 3, 14)] + [make("undated", None)]
    years = date_archives(articles, URLS)
    assert [y.year for y in years] == [2024]
    months = [m.month for m in years[0].months]
    assert months == sorted(months, reverse=True)
    assert sum(len(m.articles) for m in years[0].months) == 4
    assert years[0].months[0].url == f"2024/{months[0]:02d}/"
