"""Related articles from shared tags, with a capped fan-out.

A tag on thousands of articles must not make every one of them look at all
the others: each article looks only at the ``reach`` nearest articles (in
date order) on each side within each of its tags. Candidates seen under more
than one shared tag rank higher; ties go to the nearer in date, then the URL.
The work is therefore at most ``articles × tags × 2 × reach`` candidate
visits, and the result depends only on the articles, so it is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model import Article, Term

RELATED_LIMIT = 5
REACH = 5


@dataclass
class Work:
    """How many candidates were looked at: the measure the fan-out cap is tested by."""

    visits: int = 0


def related_articles(
    articles: Sequence[Article],
    tags: Sequence[Term],
    limit: int = RELATED_LIMIT,
    reach: int = REACH,
    work: Work | None = None,
) -> dict[str, tuple[Article, ...]]:
    """Article URL → up to *limit* articles sharing tags with it, best first."""
    work = work if work is not None else Work()
    order = {article.url: index for index, article in enumerate(articles)}  # newest first
    positions: dict[str, list[tuple[Term, int]]] = {}
    for term in tags:
        for index, article in enumerate(term.articles):
            positions.setdefault(article.url, []).append((term, index))
    related: dict[str, tuple[Article, ...]] = {}
    for article in articles:
        shared: dict[str, int] = {}
        found: dict[str, Article] = {}
        for term, index in positions.get(article.url, ()):
            for other in term.articles[max(0, index - reach) : index + reach + 1]:
                work.visits += 1
                if other.url != article.url:
                    shared[other.url] = shared.get(other.url, 0) + 1
                    found[other.url] = other
        here = order[article.url]
        best = sorted(shared, key=lambda url: (-shared[url], abs(order[url] - here), url))[:limit]
        related[article.url] = tuple(found[url] for url in best)
    return related
