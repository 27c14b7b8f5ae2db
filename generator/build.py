"""The build, start to end; reads like the data flow in docs/architecture.md."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.common import config as config_module
from generator.common.i18n import load_localizer, untranslated_warning
from generator.common.urls import UrlRegistry, dest_path
from generator.model import Diagnostic, Page, Site
from generator.readers.base import file_stamp
from generator.readers.scan import ScanResult, scan
from generator.readers.warc import prune_archive_folders
from generator.render.feeds import RECENT_FEED, atom_feed, feed_entry, recently_archived
from generator.render.hosting import host_outputs, plan_redirects
from generator.render.renderer import Renderer, RenderSetup, fingerprint_static, render_batch, template_sources
from generator.render.search import SEARCH_STYLESHEET, build_index, index_digest
from generator.render.site_static import STATIC_FOLDER, site_static_files
from generator.render.sitemap import robots_txt, sitemap_files
from generator.render.themes import SHARE_IMAGE, load_theme
from generator.site.assemble import assemble
from generator.site.pages import ARCHIVE_URL, NOT_FOUND_URL, plan_pages
from generator.store.cache import BUILDING, BUILT, BuildState
from generator.store.executor import LOCAL, JobRunner, index_batches
from generator.store.fingerprint import Fingerprinter, digest
from generator.store.images import plan_images, prune_cache, run_jobs
from generator.store.lock import LOCK_WAIT_SECONDS, build_lock
from generator.store.output import StagedOutput
from generator.store.targets import OUTPUT, STATE_FOLDER, check_target, remember_target

DEFAULT_OUTPUT = "public"
SEARCH_INDEX = "search-index:"  # the fingerprints of the search index's files start so
RENDER_BATCH = 100  # pages per worker task: large enough that process overhead stays small
PARALLEL_RENDER_MIN = 200  # fewer pages render faster here than workers start


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
    rendered: int = 0
    merged_captures: int = 0
    skipped: list[str] = field(default_factory=list)
    not_articles: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)  # pages not made (their previous version kept): exit 1
    seconds: float = 0.0


def build(
    site_path: Path,
    out_path: Path | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    clean: bool = False,
    notice: Callable[[str], None] = lambda message: None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    executor: str = LOCAL,
    cluster_timeout: float | None = None,
    overwrite: bool = False,
) -> BuildReport:
    """Build the site in *site_path* into *out_path* (default ``public/``), atomically.

    Unchanged captures come from the build state and unchanged pages are not
    rendered again (``clean`` ignores the state). Pages and images are made
    on *executor* (see :class:`~generator.executor.JobRunner`). Builds of one site take turns
    (a lock under ``.backissue/``; :class:`~generator.lock.BuildLocked` after
    *lock_wait* seconds). Raises
    :class:`~generator.config.ConfigError` for configuration problems and
    :class:`~generator.urls.UrlCollision` when two pages claim one URL, and
    :class:`~generator.executor.ClusterUnavailable` when a Dask cluster has no
    worker for *cluster_timeout* seconds (default: ``[cluster] timeout``); on
    any failure the previous output is untouched. The output folder must pass
    :func:`~generator.targets.check_target` (:class:`~generator.targets.TargetRefused`
    otherwise); *overwrite* lets it replace a folder backissue has no record of making.
    """
    runner = JobRunner(executor, jobs, cluster_timeout, notice)  # an unknown executor is refused here, before any write
    out_path = out_path or site_path / DEFAULT_OUTPUT
    check_target(out_path, site_path, OUTPUT, overwrite)
    with build_lock(site_path / STATE_FOLDER, lock_wait, notice), runner:
        report = _build(site_path, out_path, progress or Progress(), runner, clean, notice)
    remember_target(site_path, out_path)
    return report


def _build(
    site_path: Path, out_path: Path, progress: Progress, runner: JobRunner, clean: bool, notice: Callable[[str], None]
) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport(out_path)
    state = BuildState(site_path / STATE_FOLDER, notice, clean)
    target = str(report.out_path.resolve())
    state.mark_build(target, BUILDING)  # stays so if the build is killed: publish refuses the folder
    try:
        config = config_module.load(site_path)
        runner.use_settings(config.cluster.timeout)
        theme = load_theme(site_path, config.theme)
        inputs = _tree_digest(config.content_path, site_path / STATIC_FOLDER)
        build_key = digest((inputs, config.settings_key, _tree_digest(*theme.paths)))
        last = state.last_build(target)
        previous = state.outputs(target)
        if last and last[0] == build_key and _outputs_intact(previous, report.out_path):
            state.mark_build(target, BUILT)
            seconds = time.perf_counter() - started  # nothing the site is made of changed since the last build
            return dataclasses.replace(last[1], rendered=0, changed=0, images_processed=0, seconds=seconds)
        scanned = scan(config, state, runner.jobs)
        prune_archive_folders(site_path, scanned.state_folders)
        registry = UrlRegistry()
        site, thread_diagnostics = assemble(scanned.articles, config, registry, scanned.pages)
        templates = template_sources(theme)
        localizer = load_localizer(theme.paths, config.language)
        pages = plan_pages(site, registry, localizer)
        cache_path = site_path / STATE_FOLDER / "images"
        images, image_diagnostics = plan_images(site.articles + site.pages, config.images, cache_path)
        with progress.stage("Making images", len(images.jobs)) as advance:
            report.images_processed, job_diagnostics = run_jobs(images, runner, advance)
        static_files = theme.static_files()
        if config.share_image and config.share_image not in static_files:
            missing = f"share_image {config.share_image!r} is not a file in the theme's static folder"
            message = f"{missing}; articles without images get the theme's {SHARE_IMAGE}"
            job_diagnostics.append(Diagnostic(config_module.CONFIG_NAME, message))
        if not config.search.enabled:
            static_files.pop(SEARCH_STYLESHEET, None)  # without search, a site is exactly as before search existed
        static_urls = fingerprint_static(static_files)
        for url in [*static_urls.values(), *images.files]:  # before aliases, which may not take their place
            registry.claim(url, "a theme or image file")
        job_diagnostics += untranslated_warning(localizer, theme.paths, templates, config_module.CONFIG_NAME)
        renderer = Renderer(RenderSetup(site, templates, static_urls, images.published, localizer=localizer))
        planned, redirect_diagnostics = _plan_outputs(site, pages, renderer, registry)
        planned += [
            PlannedOutput(static_urls[name], static_urls[name], source=path) for name, path in static_files.items()
        ]
        planned += _site_static_outputs(site_path, registry, redirect_diagnostics)
        planned += [PlannedOutput(url, url, source=path) for url, path in sorted(images.files.items())]
        search_digest = _search_digest(planned) if config.search.enabled else ""
        planned += _kept_index(previous, search_digest)
        if _unchanged(planned, previous, report.out_path):
            report.files = len(planned)  # nothing to write: the output folder is left exactly as it is
            for item in planned:
                item.size = previous[item.relative][1]
        else:
            output = StagedOutput(report.out_path)
            try:
                index_files = [item for item in planned if _is_index(item.fingerprint)]
                planned = [item for item in planned if not _is_index(item.fingerprint)]
                report.rendered, report.errors = _write_outputs(planned, previous, output, progress, runner, renderer)
                if search_digest:
                    with progress.stage("Indexing for search", 1) as advance:
                        planned += _stage_index(index_files, planned, output, site_path / STATE_FOLDER)
                        advance()
                output.commit()
            except BaseException:
                output.abort()
                raise
            report.files, report.changed = len(output.written), output.changed
        made = {p.relative: (p.fingerprint, p.size) for p in planned if not p.failed or p.kept}
        state.save(target, made, set(scanned.sources))
        prune_cache(images, cache_path)
        diagnostics = thread_diagnostics + redirect_diagnostics + image_diagnostics + job_diagnostics
        _fill_report(report, site, pages, scanned, diagnostics, started)
        failed = sum(item.failed for item in planned)  # perhaps the cluster's fault: try those pages again next time
        state.remember_build(target, "" if failed else build_key, report)
        state.mark_build(target, f"failed: {failed} page(s) could not be rendered" if failed else BUILT)
        return report
    except BaseException as error:
        state.mark_build(target, f"failed: {error or type(error).__name__}")
        raise
    finally:
        state.close()


def _indexed(item: PlannedOutput) -> bool:
    return item.page is not None and item.page.kind == "article"


def _search_digest(planned: list[PlannedOutput]) -> str:
    """The fingerprint of every index file: what the index is made from (a page that failed to render is not)."""
    pages = ((item.relative, item.fingerprint, item.failed) for item in planned if _indexed(item))
    return SEARCH_INDEX + index_digest(pages)


def _is_index(fingerprint: str) -> bool:
    return fingerprint.startswith(SEARCH_INDEX)


def _kept_index(previous: dict[str, tuple[str, int]], search_digest: str) -> list[PlannedOutput]:
    """The previous build's index files, when that index was made from exactly these pages."""
    names = sorted(name for name, (fingerprint, _size) in previous.items() if _is_index(fingerprint))
    if not search_digest or not names or any(previous[name][0] != search_digest for name in names):
        return []
    return [PlannedOutput(name, search_digest, make=_unplanned, size=previous[name][1]) for name in names]


def _unplanned() -> bytes:
    raise AssertionError("index files are staged by _stage_index, never made one by one")


def _stage_index(
    kept: list[PlannedOutput], planned: list[PlannedOutput], output: StagedOutput, state_path: Path
) -> list[PlannedOutput]:
    """Stage the search index: the previous one when its pages are unchanged, else one made from the staged site."""
    if kept and all(output.reuse(item.relative, item.size) for item in kept):
        return kept
    for item in kept:  # a file of the previous index is gone: make the whole index again
        output.forget(item.relative)
    search_digest = _search_digest(planned)
    made = []
    expected = sum(1 for item in planned if _indexed(item) and not item.failed)
    for relative, data in build_index(output.staging_path, state_path, expected).items():
        output.write(relative, data)
        made.append(PlannedOutput(relative, search_digest, make=_unplanned, size=len(data)))
    return made


def _fill_report(
    report: BuildReport,
    site: Site,
    pages: list[Page],
    scanned: ScanResult,
    diagnostics: list[Diagnostic],
    started: float,
) -> None:
    report.articles = len(site.articles)
    report.merged_captures = site.merged_captures
    report.pages = len(pages)
    report.drafts = scanned.drafts
    report.skipped = scanned.skipped
    report.not_articles = scanned.not_articles
    report.diagnostics = scanned.diagnostics + diagnostics
    report.seconds = time.perf_counter() - started


@dataclass
class PlannedOutput:
    """One output file: where it goes, what it shows (as a fingerprint), how to make it.

    Exactly one of ``page`` (render it), ``make`` (call it) and ``source``
    (copy it; its name carries its digest, so the name is its fingerprint).
    ``failed``: a page whose rendering failed; ``kept`` when its previous
    version (and fingerprint) stays in the output instead.
    """

    relative: str
    fingerprint: str
    page: Page | None = None
    make: Callable[[], bytes] | None = None
    source: Path | None = None
    size: int = 0
    failed: bool = False
    kept: bool = False


def _tree_digest(*roots: Path) -> str:
    """Every file below *roots* by name, size and modification time."""
    listing = []
    for root in roots:
        for folder, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                listing.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return digest(listing)


def _outputs_intact(previous: dict[str, tuple[str, int]], out_path: Path) -> bool:
    try:
        return bool(previous) and all((out_path / name).stat().st_size == size for name, (_f, size) in previous.items())
    except OSError:
        return False


def _unchanged(planned: list[PlannedOutput], previous: dict[str, tuple[str, int]], out_path: Path) -> bool:
    """True when the last build into *out_path* made exactly these outputs and they are all still there."""
    same = len(planned) == len(previous) and all(
        previous.get(item.relative, (None,))[0] == item.fingerprint for item in planned
    )
    return same and _outputs_intact(previous, out_path)


def _plan_outputs(
    site: Site, pages: list[Page], renderer: Renderer, registry: UrlRegistry
) -> tuple[list[PlannedOutput], list[Diagnostic]]:
    fingerprints = Fingerprinter(renderer.shown_globals(), renderer.published_image)
    common = fingerprints.common
    planned = [
        PlannedOutput(dest_path(page.url), fingerprints.page(page, renderer.template_digest(page.template)), page=page)
        for page in pages
    ]
    for relative, shown, make in _site_files(site):
        registry.claim(relative, "a site file")
        planned.append(PlannedOutput(relative, digest((common, relative, shown)), make=make))
    redirects, diagnostics = plan_redirects(site.articles, registry)  # after every real page: those win
    for relative, shown, make in host_outputs(site.config, redirects):
        planned.append(PlannedOutput(relative, digest((common, relative, shown)), make=make))
    return planned, diagnostics


def _write_outputs(
    planned: list[PlannedOutput],
    previous: dict[str, tuple[str, int]],
    output: StagedOutput,
    progress: Progress,
    runner: JobRunner,
    renderer: Renderer,
) -> tuple[int, list[Diagnostic]]:
    """Stage every output; pages whose fingerprint is unchanged are reused, not rendered.

    Returns how many were made, and an error for each page that failed; the
    previous version of a failed page is kept, so publishing never deletes it.
    """
    to_make = []
    for item in planned:
        before = previous.get(item.relative)
        if before and before[0] == item.fingerprint and output.reuse(item.relative, before[1]):
            item.size = before[1]
        else:
            to_make.append(item)
    for item in to_make:
        if item.page is None:
            data = item.make() if item.make is not None else item.source.read_bytes()
            item.size = len(data)
            output.write(item.relative, data)
    pages = [item for item in to_make if item.page is not None]
    with progress.stage("Rendering pages", len(pages)) as advance:
        diagnostics = _render_pages(pages, output, runner, renderer, advance)
    for item in pages:
        before = previous.get(item.relative)
        if item.failed and before and output.reuse(item.relative, before[1]):
            item.fingerprint, item.size, item.kept = before[0], before[1], True
    return sum(1 for item in to_make if item.source is None), diagnostics


def _render_pages(
    pages: list[PlannedOutput], output: StagedOutput, runner: JobRunner, renderer: Renderer, advance: Callable[[], None]
) -> list[Diagnostic]:
    """Render *pages* in batches on the runner's workers and stage what comes back, in plan order."""
    if not pages:
        return []
    parts = index_batches(len(pages), RENDER_BATCH, PARALLEL_RENDER_MIN)
    setup = runner.share("render", dataclasses.replace(renderer.setup, pages=tuple(item.page for item in pages)))
    diagnostics = []
    for part, future in zip(
        parts, runner.stream(render_batch, ((setup, part) for part in parts), len(parts)), strict=True
    ):
        error = future.exception()
        results = future.result() if error is None else [f"{type(error).__name__}: {error}"] * len(part)
        for item, result in zip((pages[index] for index in part), results, strict=True):
            if isinstance(result, bytes):
                item.size = len(result)
                output.write(item.relative, result)
            else:
                item.failed = True
                diagnostics.append(_render_failure(item, result))
            advance()
    return diagnostics


def _render_failure(item: PlannedOutput, error: str) -> Diagnostic:
    article = item.page.context.get("article")
    source = article.source_path if article is not None else item.relative
    return Diagnostic(source, f"page {item.relative} not made (its previous version, if any, is kept): {error}")


def _site_static_outputs(site_path: Path, registry: UrlRegistry, diagnostics: list[Diagnostic]) -> list[PlannedOutput]:
    """``SITE/static/`` copied to the output root; a file that would replace a page is a URL collision."""
    planned = []
    for relative, path in site_static_files(site_path, diagnostics).items():
        registry.claim(relative, f"{STATIC_FOLDER}/{relative}")
        shown = digest((STATIC_FOLDER, relative, file_stamp(path)))
        planned.append(PlannedOutput(relative, shown, make=path.read_bytes))
    return planned


def _site_files(site: Site) -> Iterable[tuple[str, object, Callable[[], bytes]]]:
    """Feeds, sitemap and robots.txt: path, what they show, and how to make them."""
    config = site.config
    if config.feeds.atom:
        feeds = [("atom.xml", config.title, "", site.articles)]
        if config.feeds.recent:
            feeds.append((RECENT_FEED, "Recently archived", "", recently_archived(site.articles)))
        if config.feeds.per_term:
            feeds += [
                (f"{t.url}atom.xml", t.name, t.url, t.articles) for terms in site.taxonomies.values() for t in terms
            ]
        for feed_url, title, page_url, articles in feeds:
            entries = [feed_entry(a, config.feeds.full_content) for a in articles[: config.feeds.entries]]
            shown = (title, page_url, entries)
            yield feed_url, shown, partial(atom_feed, config, title, feed_url, page_url, articles)
    if config.base_url:
        entries = _sitemap_entries(site)
        for name, data in sitemap_files(config.base_url, entries).items():
            yield name, data, partial(bytes, data)
    robots = robots_txt(config.base_url)
    yield "robots.txt", robots, partial(bytes, robots)


def _sitemap_entries(site: Site) -> list[tuple[str, str | None]]:
    entries: list[tuple[str, str | None]] = [("", None), (ARCHIVE_URL, None)]
    for article in site.articles + site.pages:
        stamp = article.updated or article.published
        entries.append((article.url, stamp.date().isoformat() if stamp else None))
    for folder in site.taxonomy_folders.values():
        entries.append((f"{folder}/", None))
    entries += [(term.url, None) for terms in site.taxonomies.values() for term in terms]
    entries += [(year.url, None) for year in site.years]
    entries += [(month.url, None) for year in site.years for month in year.months]
    return [entry for entry in entries if entry[0] != NOT_FOUND_URL]
