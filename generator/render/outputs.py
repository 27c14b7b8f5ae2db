"""The output list: every file a build writes, each planned with its kind, fingerprint and how it is made.

Nothing else decides what a build writes: the sitemap lists the planned pages, the state remembers the
planned files, ``publish`` checks the folder against that record, and the build stages exactly this list
(plus the search index, which is made from the staged pages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from generator.common.urls import SiteUrls, UrlRegistry, dest_path
from generator.model import Diagnostic, Page, Site
from generator.readers.base import file_stamp
from generator.render.feeds import atom_feed, feed_entry, recently_archived
from generator.render.hosting import host_outputs, plan_redirects
from generator.render.renderer import Renderer
from generator.render.site_static import STATIC_FOLDER, site_static_files
from generator.render.sitemap import robots_txt, sitemap_files
from generator.store.bodies import BodyStore
from generator.store.fingerprint import Fingerprinter, digest

OutputKind = Literal[
    "page", "feed", "sitemap", "robots", "redirect", "host-file", "theme-file", "site-file", "image", "search-index"
]
SITEMAP_ORDER = ("home", "archive", "article", "page", "terms", "term", "year", "month")  # kinds a sitemap lists


@dataclass(frozen=True)
class PlannedOutput:
    """One output file: where it goes, what it shows (as a fingerprint), how to make it.

    Exactly one of ``page`` (render it), ``make`` (call it) and ``source`` (copy it; its name carries its
    digest, so the name is its fingerprint). ``shows`` names the articles (by URL) whose whole record the
    output shows, body and comments included: its page's article, a full-content feed's entries. Every
    other output shows only cards, so an edit to a body or a comment changes no other output.
    """

    relative: str
    fingerprint: str
    kind: OutputKind
    page: Page | None = None
    make: Callable[[], bytes] | None = None
    source: Path | None = None
    shows: tuple[str, ...] = ()


def plan_outputs(
    site: Site,
    pages: Sequence[Page],
    renderer: Renderer,
    static_files: dict[str, Path],
    image_files: dict[str, Path],
    site_path: Path,
    registry: UrlRegistry,
) -> tuple[list[PlannedOutput], list[Diagnostic]]:
    """Every output of the site but the search index, in a fixed order; later claims lose to earlier ones.

    *static_files* are the theme's (name → file), *image_files* the published images (URL → derivative);
    the files under ``SITE/static/`` and every site file (feeds, sitemap, robots.txt, redirects) claim
    their URLs in *registry* here.
    """
    setup = renderer.setup
    fingerprints = Fingerprinter(renderer.shown_globals(), renderer.published_image)
    common = fingerprints.common
    planned = [page_output(page, renderer, fingerprints) for page in pages]
    for kind, relative, shown, make, shows in _site_files(site, setup.urls, pages, setup.bodies):
        registry.claim(relative, "a site file")
        planned.append(PlannedOutput(relative, digest((common, relative, shown)), kind, make=make, shows=shows))
    redirects, diagnostics = plan_redirects(site.articles, registry, setup.urls)  # after every real page: those win
    for kind, relative, shown, make in host_outputs(site.config, redirects):
        planned.append(PlannedOutput(relative, digest((common, relative, shown)), kind, make=make))
    planned += [
        PlannedOutput(setup.static_urls[name], setup.static_urls[name], "theme-file", source=path)
        for name, path in static_files.items()
    ]
    site_static, static_diagnostics = _site_static_outputs(site_path, registry)
    planned += site_static
    planned += [PlannedOutput(url, url, "image", source=path) for url, path in sorted(image_files.items())]
    return planned, diagnostics + static_diagnostics


def page_output(page: Page, renderer: Renderer, fingerprints: Fingerprinter) -> PlannedOutput:
    """*page* as an output, with its fingerprint (*fingerprints* made from *renderer*'s globals)."""
    fingerprint = fingerprints.page(page, renderer.template_digest(page.template))
    article = page.context.get("article")
    return PlannedOutput(dest_path(page.url), fingerprint, "page", page, shows=(article.url,) if article else ())


def _site_static_outputs(site_path: Path, registry: UrlRegistry) -> tuple[list[PlannedOutput], list[Diagnostic]]:
    """``SITE/static/`` copied to the output root; a file that would replace a page is a URL collision."""
    planned = []
    files, diagnostics = site_static_files(site_path)
    for relative, path in files.items():
        registry.claim(relative, f"{STATIC_FOLDER}/{relative}")
        shown = digest((STATIC_FOLDER, relative, file_stamp(path)))
        planned.append(PlannedOutput(relative, shown, "site-file", make=path.read_bytes))
    return planned, diagnostics


def _site_files(
    site: Site, urls: SiteUrls, pages: Sequence[Page], bodies: BodyStore | None
) -> Iterator[tuple[OutputKind, str, object, Callable[[], bytes], tuple[str, ...]]]:
    """Feeds, sitemap and robots.txt: kind, path, what they show, how to make them, and the articles they show
    whole (see :attr:`PlannedOutput.shows`)."""
    config = site.config
    if config.feeds.atom:
        feeds = [(urls.feed, config.title, urls.home, site.articles)]
        if config.feeds.recent:
            feeds.append((urls.recent_feed, "Recently archived", urls.home, recently_archived(site.articles)))
        if config.feeds.per_term:
            feeds += [
                (urls.feed_of(t.url), t.name, t.url, t.articles) for terms in site.taxonomies.values() for t in terms
            ]
        for feed_url, title, page_url, articles in feeds:
            entered = articles[: config.feeds.entries]
            entries = [feed_entry(a, config.feeds.full_content) for a in entered]
            shows = tuple(a.url for a in entered) if config.feeds.full_content else ()
            shown = (title, page_url, entries)
            make = partial(atom_feed, config, title, feed_url, page_url, articles, bodies)
            yield "feed", feed_url, shown, make, shows
    if config.base_url:
        for name, data in sitemap_files(config.base_url, sitemap_entries(pages), urls).items():
            yield "sitemap", name, data, partial(bytes, data), ()
    robots = robots_txt(config.base_url, urls)
    yield "robots", urls.robots, robots, partial(bytes, robots), ()


def sitemap_entries(pages: Sequence[Page]) -> list[tuple[str, str | None]]:
    """``(url, lastmod)`` of the planned pages a search engine should find: first pages of listings, articles
    and the site's own pages, by kind in :data:`SITEMAP_ORDER` (the 404 and search pages are left out)."""
    listed = [page for page in pages if page.kind in SITEMAP_ORDER and _first_page(page)]
    entries = []
    for page in sorted(listed, key=lambda page: SITEMAP_ORDER.index(page.kind)):
        article = page.context.get("article") if page.kind in ("article", "page") else None
        stamp = (article.updated or article.published) if article is not None else None
        entries.append((page.url, stamp.date().isoformat() if stamp else None))
    return entries


def _first_page(page: Page) -> bool:
    pager = page.context.get("pager")
    return pager is None or pager.number == 1
