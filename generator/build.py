"""The build, start to end; reads like the data flow in docs/architecture.md."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import config as config_module
from .assemble import Site, assemble
from .feeds import atom_feed
from .images import plan_images, prune_cache, run_jobs
from .model import Diagnostic
from .output import StagedOutput
from .pages import NOT_FOUND_URL, plan_pages
from .readers import scan
from .render import Renderer, fingerprint_static
from .sitemap import robots_txt, sitemap_files
from .themes import load_theme
from .urls import UrlRegistry, dest_path

DEFAULT_OUTPUT = "public"
CACHE_FOLDER = ".backissue"


class Progress:
    """Progress of long stages; the default reports nothing."""

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        yield lambda: None


@dataclass
class BuildReport:
    out_path: Path
    articles: int = 0
    pages: int = 0
    files: int = 0
    changed: int = 0
    drafts: int = 0
    images_processed: int = 0
    merged_captures: int = 0
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def build(
    site_path: Path, out_path: Path | None = None, progress: Progress | None = None, jobs: int | None = None
) -> BuildReport:
    """Build the site in *site_path* into *out_path* (default ``public/``), atomically.

    Raises :class:`~generator.config.ConfigError` for configuration problems and
    :class:`~generator.urls.UrlCollision` when two pages claim one URL; in
    both cases, and on any other failure, the previous output is untouched.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    config = config_module.load(site_path)
    theme = load_theme(site_path, config.theme)
    report = BuildReport(out_path or site_path / DEFAULT_OUTPUT)

    scanned = scan(config)
    registry = UrlRegistry()
    site, thread_diagnostics = assemble(scanned.articles, config, registry)
    pages = plan_pages(site, registry)
    cache_path = site_path / CACHE_FOLDER / "images"
    images, image_diagnostics = plan_images(site.articles, config.images, cache_path)
    with progress.stage("Making images", len(images.jobs)):
        report.images_processed, job_diagnostics = run_jobs(images, jobs or os.cpu_count() or 1)
    static_files = theme.static_files()
    static_urls = fingerprint_static(static_files)
    renderer = Renderer(site, theme, static_urls, images)

    output = StagedOutput(report.out_path)
    try:
        with progress.stage("Rendering pages", len(pages)) as advance:
            for page in pages:
                output.write(dest_path(page.url), renderer.render(page))
                advance()
        for name, path in static_files.items():
            output.copy(static_urls[name], path)
        with progress.stage("Copying images", len(images.files)) as advance:
            for url, path in sorted(images.files.items()):
                output.copy(url, path, content_addressed=True)
                advance()
        for relative, data in _site_files(site, registry):
            output.write(relative, data)
        output.commit()
        prune_cache(images, cache_path)
    except BaseException:
        output.abort()
        raise

    report.articles = len(site.articles)
    report.merged_captures = site.merged_captures
    report.pages = len(pages)
    report.files = len(output.written)
    report.changed = output.changed
    report.drafts = scanned.drafts
    report.skipped = scanned.skipped
    report.diagnostics = scanned.diagnostics + thread_diagnostics + image_diagnostics + job_diagnostics
    report.seconds = time.perf_counter() - started
    return report


def _site_files(site: Site, registry: UrlRegistry) -> Iterable[tuple[str, bytes]]:
    """Feeds, sitemap and robots.txt."""
    config = site.config
    files: dict[str, bytes] = {}
    if config.feeds.atom:
        files["atom.xml"] = atom_feed(config, config.title, "atom.xml", "", site.articles)
        if config.feeds.per_term:
            for terms in site.taxonomies.values():
                for term in terms:
                    feed_url = f"{term.url}atom.xml"
                    files[feed_url] = atom_feed(config, term.name, feed_url, term.url, term.articles)
    if config.base_url:
        files.update(sitemap_files(config.base_url, _sitemap_entries(site)))
    files["robots.txt"] = robots_txt(config.base_url)
    for relative in files:
        registry.claim(relative, "a site file")
    return sorted(files.items())


def _sitemap_entries(site: Site) -> list[tuple[str, str | None]]:
    entries: list[tuple[str, str | None]] = [("", None), ("archive/", None)]
    for article in site.articles:
        stamp = article.updated or article.published
        entries.append((article.url, stamp.date().isoformat() if stamp else None))
    for folder in site.config.taxonomies.values():
        entries.append((f"{folder}/", None))
    entries += [(term.url, None) for terms in site.taxonomies.values() for term in terms]
    entries += [(year.url, None) for year in site.years]
    entries += [(month.url, None) for year in site.years for month in year.months]
    return [entry for entry in entries if entry[0] != NOT_FOUND_URL]
