"""Turn the articles the readers found into one immutable :class:`Site`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from generator.common.config import SiteConfig
from generator.common.i18n import bcp47, language_name, written_language
from generator.common.urls import SiteUrls, UrlRegistry
from generator.model import LANGUAGES, Article, Diagnostic, Site, Term
from generator.site.comments import thread
from generator.site.merge import collapse_duplicates
from generator.site.taxonomy import collect_terms, date_archives, spellings, with_tag_spellings
from generator.store.bodies import Body, BodyStore, with_body
from generator.store.fingerprint import digest


def _cap_terms(article: Article, limit: int) -> tuple[Article, list[Diagnostic]]:
    """*article* with at most *limit* tags and authors.

    Each term page lists the article with all its terms, so one page with thousands of tags would make
    work that grows with their square; past the limit they are left out, with a warning.
    """
    diagnostics = []
    for name in ("tags", "authors"):
        terms = getattr(article, name)
        if len(terms) > limit:
            message = f"limit max_terms: {len(terms):,} {name}, only the first {limit:,} kept"
            diagnostics.append(Diagnostic(article.source_path, message))
            article = replace(article, **{name: terms[:limit]})
    return article, diagnostics


def place(article: Article, config: SiteConfig, urls: SiteUrls) -> tuple[Article, list[Diagnostic]]:
    """*article* as its own page shows it: its terms capped, its URL given, its comments threaded.

    What it shows of its tags is decided with the other articles (:func:`with_tag_spellings`). A light
    article's comments are threaded when its page is rendered (:func:`shown_whole`); the warnings threading
    gives were found when they were stored.
    """
    article, diagnostics = _cap_terms(article, config.limits.max_terms)
    if article.stored is None:
        roots, problems = thread(article.comments, config.comments.order, config.comments.max_depth)
    else:
        roots, problems = (), list(article.stored.warnings)
    url = urls.article(article.slug, article.published, article.source)
    return replace(article, url=url, thread=roots), diagnostics + problems


def shown_whole(article: Article, bodies: Mapping[str, Body], config: SiteConfig) -> Article:
    """A placed article with its body and threaded comments, as a page that shows it whole needs it."""
    if article.stored is None:
        return article
    article = with_body(article, bodies)
    roots, _problems = thread(article.comments, config.comments.order, config.comments.max_depth)
    return replace(article, thread=roots)


def outside_view(article: Article) -> str:
    """A digest of everything about a read article that a page other than its own may show or depend on, but
    its comment count.

    Equal digests mean every listing, feed without full content, term, archive, redirect, sitemap entry and
    neighbouring page stays as it is, but for the article's card where its comment count changed: only what
    the body and comments hold changed, so an edit renders the article's own page and, when the number of
    comments changed, the pages that show its card.
    """
    outside = replace(article, blocks=(), comments=(), thread=(), stored=None)
    return digest((repr(outside), repr(article.lead_image), repr(article.images)))


def assemble(
    articles: Sequence[Article],
    config: SiteConfig,
    urls: SiteUrls,
    registry: UrlRegistry,
    pages: Sequence[Article] = (),
    bodies: BodyStore | None = None,
) -> tuple[Site, list[Diagnostic]]:
    """Merge duplicate captures, give each article its URL and thread, build terms and archives.

    Standalone *pages* get the URL ``SLUG/`` and nothing else: they are in no listing. Light captures of one
    page are merged whole, their bodies loaded from *bodies* (the union of their comments is the merged
    article's), so a merged article is kept whole.

    Raises :class:`~generator.urls.UrlCollision` when two articles share a URL.
    """
    diagnostics: list[Diagnostic] = []
    placed = []
    unique, merged = collapse_duplicates(articles, bodies)
    for article in sorted(unique, key=lambda a: a.source_path):
        article, problems = place(article, config, urls)
        diagnostics.extend(problems)
        registry.claim(article.url, article.source_path)
        placed.append(article)
    placed.sort(key=lambda a: a.sort_key)
    tag_names = spellings(placed, "tags")
    placed = [with_tag_spellings(article, tag_names) for article in placed]
    standalone = tuple(
        replace(page, url=registry.claim(urls.standalone(page.slug), page.source_path))
        for page in sorted(pages, key=lambda p: p.source_path)
    )
    taxonomies = {name: collect_terms(placed, name, urls) for name in config.taxonomies}
    if languages := language_terms(placed, bcp47(config.language) or config.language, urls):
        taxonomies[LANGUAGES] = languages
    return Site(config, tuple(placed), taxonomies, date_archives(placed, urls), merged, standalone), diagnostics


def language_terms(articles: Sequence[Article], site_language: str, urls: SiteUrls) -> tuple[Term, ...]:
    """One term per language, named in the site's language, when the articles are in more than one; else none.

    Regional variants share a page (``pt-BR`` and ``pt-PT`` are Portuguese); scripts do not (``sr-Latn``, ``sr-Cyrl``).
    """
    grouped: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[written_language(article.language or site_language)].append(article)
    if len(grouped) < 2:
        return ()
    terms = [
        Term(
            LANGUAGES, language_name(tag, site_language), tag.lower(), urls.term(LANGUAGES, tag.lower()), tuple(members)
        )
        for tag, members in grouped.items()
    ]
    return tuple(sorted(terms, key=lambda term: (term.name.casefold(), term.slug)))
