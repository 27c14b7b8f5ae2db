"""The build, start to end; reads like the data flow in docs/architecture.md."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.common import config as config_module
from generator.common.config import SiteConfig
from generator.common.i18n import load_localizer, untranslated_warning
from generator.common.urls import SiteUrls, UrlRegistry
from generator.edit import EditPlan, SiteInputs, plan_edit, site_records
from generator.model import Diagnostic, Page, Site, SiteCard
from generator.readers.archive_images import prune_archive_folders
from generator.readers.scan import ReadMemory, ScanResult, scan
from generator.render.outputs import PlannedOutput, plan_outputs
from generator.render.renderer import (
    PageBatch,
    Renderer,
    RenderSetup,
    fingerprint_static,
    render_batch,
    template_sources,
)
from generator.render.search import SEARCH_STYLESHEET, build_index, index_digest
from generator.render.site_static import STATIC_FOLDER
from generator.render.themes import SHARE_IMAGE, Theme, load_theme
from generator.site.assemble import assemble
from generator.site.pages import plan_pages
from generator.store.bodies import BodyStore
from generator.store.cache import BUILDING, BUILT, BuildState, OutputRecord
from generator.store.executor import LOCAL, JobRunner, index_batches
from generator.store.images import ImagePlan, plan_images, prune_cache, run_jobs
from generator.store.journal import (
    SWAPPING,
    InPlaceOutput,
    Journal,
    JournalDamaged,
    clear_journal,
    finish,
    in_place_output,
    journal_path,
    read_journal,
    write_journal,
)
from generator.store.lock import LOCK_WAIT_SECONDS, build_lock
from generator.store.output import StagedOutput
from generator.store.targets import OUTPUT, STATE_FOLDER, check_target, remember_target

DEFAULT_OUTPUT = "public"
COMPILED_TEMPLATES = "templates"  # in the build state
SEARCH_INDEX = "search-index:"  # the fingerprints of the search index's files start so
RENDER_BATCH = 100  # pages per worker task: large enough that process overhead stays small
PARALLEL_RENDER_MIN = 200  # fewer pages render faster here than workers start


@dataclass
class BuildMemory:
    """What a process that builds one site again and again (``serve``) keeps from one build to the next.

    ``reads``: the captures it read, kept unpickled. ``inputs``: the stamps of the files the last successful
    build was made from; with them, ``changed`` (every path a watcher saw change since that build began) is
    all that is looked at again, where ``None`` means not watched: every file is.
    """

    reads: ReadMemory = field(default_factory=ReadMemory)
    inputs: SiteInputs | None = None
    changed: set[str] | None = None


class Progress:
    """Progress of long stages; the default reports nothing."""

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        yield lambda: None


@dataclass(frozen=True)
class BuildReport:
    """What a build did, made once at its end."""

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


@dataclass(frozen=True)
class Loaded:
    """What the site is made of, read: its settings, theme, and captures, and the stamps of its files."""

    config: SiteConfig
    theme: Theme
    inputs: SiteInputs
    scanned: ScanResult


@dataclass(frozen=True)
class BuildPlan:
    """Everything the build will write, decided before anything is written."""

    site: Site
    pages: tuple[Page, ...]
    images: ImagePlan
    images_processed: int
    renderer: Renderer
    outputs: tuple[PlannedOutput, ...]
    search_digest: str  # "" without search
    diagnostics: tuple[Diagnostic, ...]
    placing: tuple[Diagnostic, ...]  # those of placing the articles (also in *diagnostics*)


@dataclass(frozen=True)
class MadeOutput:
    """An output as the build left it: ``failed`` when it could not be made, ``kept`` when its previous
    version (and fingerprint) stays in the output instead."""

    relative: str
    fingerprint: str
    size: int
    failed: bool = False
    kept: bool = False


@dataclass(frozen=True)
class Made:
    """What making the plan did."""

    outputs: tuple[MadeOutput, ...]
    files: int
    changed: int
    rendered: int
    errors: tuple[Diagnostic, ...]


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
    memory: BuildMemory | None = None,
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
    any failure the previous output is untouched, or, when the failure cuts short
    a commit in place, every file is whole and the next build finishes or undoes
    the commit (:mod:`generator.store.journal`). The output folder must pass
    :func:`~generator.targets.check_target` (:class:`~generator.targets.TargetRefused`
    otherwise); *overwrite* lets it replace a folder backissue has no record of making. A process that
    builds again and again (``serve``) passes the same *memory* each time (:class:`BuildMemory`), so captures
    it read before are not unpickled again, and only the files a watcher saw change are looked at.
    """
    runner = JobRunner(executor, jobs, cluster_timeout, notice)  # an unknown executor is refused here, before any write
    out_path = out_path or site_path / DEFAULT_OUTPUT
    check_target(out_path, site_path, OUTPUT, overwrite)
    with build_lock(site_path / STATE_FOLDER, lock_wait, notice), runner:
        report = _build(site_path, out_path, progress or Progress(), runner, clean, notice, memory)
    remember_target(site_path, out_path)
    return report


def _build(
    site_path: Path,
    out_path: Path,
    progress: Progress,
    runner: JobRunner,
    clean: bool,
    notice: Callable[[str], None],
    memory: BuildMemory | None,
) -> BuildReport:
    """Load → plan → make → remember; an unchanged site stops after loading its settings, and an edit that
    changes only its articles' own pages is made from the last build's records (:mod:`generator.edit`)."""
    started = time.perf_counter()
    state = BuildState(site_path / STATE_FOLDER, notice, clean)
    target = str(out_path.resolve())
    state.mark_build(target, BUILDING)  # stays so if the build is killed: publish refuses the folder
    journal = journal_path(site_path / STATE_FOLDER, out_path)
    try:
        _recover(state, target, journal, out_path, notice)
        config = config_module.load(site_path)
        runner.use_settings(config.cluster.timeout)
        theme = load_theme(site_path, config.theme)
        memory = memory or BuildMemory()
        inputs = SiteInputs.of(config, theme.paths, site_path / STATIC_FOLDER, memory.inputs, memory.changed)
        memory.inputs = None  # until this build succeeds: the next one looks at every file
        last, previous = state.last_build(target), state.outputs(target)
        intact = _outputs_intact(previous, out_path)
        if last and intact and last.key == inputs.key:  # nothing the site is made of changed since the last build
            state.mark_build(target, BUILT)
            seconds = time.perf_counter() - started
            report = dataclasses.replace(last.report, rendered=0, changed=0, images_processed=0, seconds=seconds)
        else:
            last_build = (last.key, last.report.diagnostics) if last and intact else None
            edit = last_build and plan_edit(state, target, config, last_build, inputs, previous, memory.reads)
            if edit:
                sizes = {item.relative: previous[item.relative].size for item in edit.outputs}
                live = InPlaceOutput(out_path, journal, sizes)
                made = _make(edit.outputs, edit.renderer, "", previous, out_path, progress, runner, journal, live=live)
                report = _remember_edit(state, target, last.report, edit, previous, made, started, journal)
            else:
                loaded = Loaded(config, theme, inputs, scan(config, state, runner.jobs, memory.reads, runner=runner))
                prune_archive_folders(site_path, loaded.scanned.state_folders)
                plan = _plan(site_path, loaded, previous, progress, runner, state.bodies())
                outputs, search_digest = plan.outputs, plan.search_digest
                made = _make(
                    outputs, plan.renderer, search_digest, previous, out_path, progress, runner, journal, intact=intact
                )
                report = _remember(state, target, site_path, out_path, loaded, plan, made, started, journal)
        memory.inputs = inputs
        return report
    except BaseException as error:
        state.mark_build(target, f"failed: {error or type(error).__name__}")
        raise
    finally:
        state.close()


def _recover(state: BuildState, target: str, journal: Path, out_path: Path, notice: Callable[[str], None]) -> None:
    """Finish or roll back the commit an interrupted build left in *out_path*, and forget the records of its files.

    A journal that cannot be read says nothing about which files are whole: every record is forgotten, and the
    build stages the whole folder again.
    """
    try:
        left = read_journal(journal)
    except JournalDamaged as error:
        notice(f"unreadable commit journal ({error}); writing the whole output again")
        state.forget_outputs(target, None)
    else:
        if left is None:
            return
        finish(left, out_path)
        state.forget_outputs(target, left.paths)
    clear_journal(journal)


def _plan(
    site_path: Path,
    loaded: Loaded,
    previous: dict[str, OutputRecord],
    progress: Progress,
    runner: JobRunner,
    bodies: BodyStore,
) -> BuildPlan:
    """The site assembled from what was read (its articles light, their *bodies* in the state), and every output
    it will have, with its fingerprint.

    Image derivatives are made here, not with the other files: an image that turns out broken is shown as a
    placeholder, which changes the pages that show it and so their fingerprints.
    """
    config, theme, scanned = loaded.config, loaded.theme, loaded.scanned
    urls = SiteUrls.of(config)
    registry = UrlRegistry()
    site, placing = assemble(scanned.articles, config, urls, registry, scanned.pages, bodies)
    diagnostics = list(placing)
    templates = template_sources(theme)
    localizer = load_localizer(theme.paths, config.language)
    pages = plan_pages(site, urls, registry, localizer)
    images, image_diagnostics = plan_images(site.articles + site.pages, config.images, _images_path(site_path), urls)
    with progress.stage("Making images", len(images.jobs)) as advance:
        images_processed, job_diagnostics = run_jobs(images, runner, advance)
    diagnostics += image_diagnostics + job_diagnostics
    static_files = theme.static_files()
    if config.share_image and config.share_image not in static_files:
        missing = f"share_image {config.share_image!r} is not a file in the theme's static folder"
        message = f"{missing}; articles without images get the theme's {SHARE_IMAGE}"
        diagnostics.append(Diagnostic(config_module.CONFIG_NAME, message))
    if not config.search.enabled:
        static_files.pop(SEARCH_STYLESHEET, None)  # without search, a site is exactly as before search existed
    static_urls = fingerprint_static(static_files)
    for url in [*static_urls.values(), *images.files]:  # before aliases, which may not take their place
        registry.claim(url, "a theme or image file")
    diagnostics += untranslated_warning(localizer, theme.paths, templates, config_module.CONFIG_NAME)
    shown = SiteCard.of(site)
    compiled = site_path / STATE_FOLDER / COMPILED_TEMPLATES
    compiled.mkdir(exist_ok=True)
    taxonomies = tuple(site.taxonomies)
    setup = RenderSetup(
        shown, templates, static_urls, images.published, urls, taxonomies, (), localizer, str(compiled), bodies
    )
    renderer = Renderer(setup)
    outputs, output_diagnostics = plan_outputs(site, pages, renderer, static_files, images.files, site_path, registry)
    search_digest = _search_digest(outputs) if config.search.enabled else ""
    outputs += _kept_index(previous, search_digest)
    return BuildPlan(
        site, tuple(pages), images, images_processed, renderer, tuple(outputs), search_digest,
        (*diagnostics, *output_diagnostics), tuple(placing),
    )  # fmt: skip


def _images_path(site_path: Path) -> Path:
    return site_path / STATE_FOLDER / "images"


def _make(
    outputs: tuple[PlannedOutput, ...],
    renderer: Renderer,
    search_digest: str,
    previous: dict[str, OutputRecord],
    out_path: Path,
    progress: Progress,
    runner: JobRunner,
    journal: Path,
    intact: bool = False,
    live: InPlaceOutput | None = None,
) -> Made:
    """Make every output that changed; commit a small change in place, else stage the whole folder and swap it in.

    *intact* says the last build's files are all in *out_path* as it left them. An edit passes the *live*
    folder as its output, and only the *outputs* it may change: they are files that are there (checked a
    moment before), so the folder need not be listed, and every other file stays.
    """
    if intact and _unchanged(outputs, previous):  # nothing to write: the output folder is left exactly as it is
        made = tuple(MadeOutput(p.relative, p.fingerprint, previous[p.relative].size) for p in outputs)
        return Made(made, len(made), 0, 0, ())
    index_files = [item for item in outputs if item.kind == "search-index"]
    planned = [item for item in outputs if item.kind != "search-index"]
    output = live or _in_place(outputs, search_digest, previous, out_path, journal, index_files)
    output = output or StagedOutput(out_path)
    try:
        made, rendered, errors = _write_outputs(planned, previous, output, progress, runner, renderer)
        if search_digest:
            with progress.stage("Indexing for search", 1) as advance:
                made += _stage_index(index_files, made, planned, previous, output, journal.parent)
                advance()
        if isinstance(output, StagedOutput):  # the records of what the swap changes are distrusted if it is killed
            swapped = output.changed_paths | (previous.keys() - output.written)
            write_journal(journal, Journal(str(out_path.resolve()), SWAPPING, {}, swapped=tuple(sorted(swapped))))
        output.commit()
    except BaseException:
        output.abort()
        raise
    return Made(tuple(made), len(output.written), output.changed, rendered, tuple(errors))


def _in_place(
    outputs: tuple[PlannedOutput, ...],
    search_digest: str,
    previous: dict[str, OutputRecord],
    out_path: Path,
    journal: Path,
    index_files: list[PlannedOutput],
) -> InPlaceOutput | None:
    """The live folder as the output, when few files change and the search index (if any) stays as it is."""
    if not previous or (search_digest and not index_files):
        return None
    for item in index_files:
        try:
            if (out_path / item.relative).stat().st_size != previous[item.relative].size:
                return None
        except OSError:
            return None
    changing = [
        item.relative
        for item in outputs
        if item.relative not in previous or previous[item.relative].fingerprint != item.fingerprint
    ]
    return in_place_output(out_path, journal, {item.relative for item in outputs}, changing)


def _remember(
    state: BuildState,
    target: str,
    site_path: Path,
    out_path: Path,
    loaded: Loaded,
    plan: BuildPlan,
    made: Made,
    started: float,
    journal: Path,
) -> BuildReport:
    """Record what was made, for the next build and for ``publish``, and report it; then drop the journal."""
    kinds = {item.relative: item.kind for item in plan.outputs}  # the rest are a search index made anew
    kept = {
        p.relative: OutputRecord(p.fingerprint, p.size, kinds.get(p.relative, "search-index"))
        for p in made.outputs
        if not p.failed or p.kept
    }
    state.save(target, kept, set(loaded.scanned.sources))
    prune_cache(plan.images, _images_path(site_path))
    scanned = loaded.scanned
    report = BuildReport(
        out_path,
        articles=len(plan.site.articles),
        pages=len(plan.pages),
        files=made.files,
        changed=made.changed,
        drafts=scanned.drafts,
        images_processed=plan.images_processed,
        rendered=made.rendered,
        merged_captures=plan.site.merged_captures,
        skipped=scanned.skipped,
        not_articles=scanned.not_articles,
        diagnostics=[*scanned.diagnostics, *plan.diagnostics],
        errors=list(made.errors),
        seconds=time.perf_counter() - started,
    )
    if not any(item.failed for item in made.outputs):
        records = site_records(loaded.inputs, plan.renderer, scanned, plan.site, plan.placing, plan.outputs)
        state.records.replace_all(records[0], target, records[1], records[2], records[3])
    return _finish(state, target, loaded.inputs.key, report, made, journal)


def _remember_edit(
    state: BuildState,
    target: str,
    last: BuildReport,
    edit: EditPlan,
    previous: dict[str, OutputRecord],
    made: Made,
    started: float,
    journal: Path,
) -> BuildReport:
    """Record an edit: the outputs it changed and the records it updated; report it as the last build, redone."""
    kinds = {item.relative: item.kind for item in edit.outputs}
    made_now = {p.relative: OutputRecord(p.fingerprint, p.size, kinds[p.relative]) for p in made.outputs}
    state.save_edit(target, {path: record for path, record in made_now.items() if previous.get(path) != record})
    state.records.update(edit.site, target, edit.pages, edit.cards)
    report = dataclasses.replace(
        last, files=len(previous), changed=made.changed, images_processed=0, rendered=made.rendered,
        diagnostics=list(edit.diagnostics), errors=list(made.errors), seconds=time.perf_counter() - started,
    )  # fmt: skip
    return _finish(state, target, edit.site.key, report, made, journal)


def _finish(state: BuildState, target: str, key: str, report: BuildReport, made: Made, journal: Path) -> BuildReport:
    """Remember the build as made from *key*, unless a page failed; then drop the journal."""
    failed = sum(item.failed for item in made.outputs)  # perhaps the cluster's fault: try those pages again next time
    state.remember_build(target, "" if failed else key, report)
    clear_journal(journal)  # the records now match the folder
    state.mark_build(target, f"failed: {failed} page(s) could not be rendered" if failed else BUILT)
    return report


def _indexed(item: PlannedOutput) -> bool:
    return item.kind == "page" and item.page is not None and item.page.kind == "article"


def _search_digest(planned: Sequence[PlannedOutput], failed: frozenset[str] = frozenset()) -> str:
    """The fingerprint of every index file: what the index is made from (a page that failed to render is not)."""
    pages = ((item.relative, item.fingerprint, item.relative in failed) for item in planned if _indexed(item))
    return SEARCH_INDEX + index_digest(pages)


def _kept_index(previous: dict[str, OutputRecord], search_digest: str) -> list[PlannedOutput]:
    """The previous build's index files, when that index was made from exactly these pages."""
    names = sorted(name for name, record in previous.items() if record.fingerprint.startswith(SEARCH_INDEX))
    if not search_digest or not names or any(previous[name].fingerprint != search_digest for name in names):
        return []
    return [PlannedOutput(name, search_digest, "search-index") for name in names]


def _stage_index(
    kept: list[PlannedOutput],
    made: list[MadeOutput],
    planned: list[PlannedOutput],
    previous: dict[str, OutputRecord],
    output: StagedOutput | InPlaceOutput,
    state_path: Path,
) -> list[MadeOutput]:
    """Stage the search index: the previous one when its pages are unchanged, else one made from the staged site."""
    if kept and all(output.reuse(item.relative, previous[item.relative].size) for item in kept):
        return [MadeOutput(item.relative, item.fingerprint, previous[item.relative].size) for item in kept]
    if isinstance(output, InPlaceOutput):  # checked before choosing the in-place commit; gone since
        raise OSError(f"a search index file disappeared from {output.out_path} during the build; build again")
    for item in kept:  # a file of the previous index is gone: make the whole index again
        output.forget(item.relative)
    failed = frozenset(item.relative for item in made if item.failed)
    search_digest = _search_digest(planned, failed)
    expected = sum(1 for item in planned if _indexed(item) and item.relative not in failed)
    index = []
    for relative, data in build_index(output.staging_path, state_path, expected).items():
        output.write(relative, data)
        index.append(MadeOutput(relative, search_digest, len(data)))
    return index


def _outputs_intact(previous: dict[str, OutputRecord], out_path: Path) -> bool:
    """Whether every file the last build into *out_path* made is there, with the size it had."""
    root = str(out_path)
    try:
        return bool(previous) and all(os.stat(f"{root}/{name}").st_size == kept.size for name, kept in previous.items())
    except OSError:
        return False


def _unchanged(planned: Sequence[PlannedOutput], previous: dict[str, OutputRecord]) -> bool:
    """True when the last build made exactly these outputs."""
    return len(planned) == len(previous) and all(
        item.relative in previous and previous[item.relative].fingerprint == item.fingerprint for item in planned
    )


def _write_outputs(
    planned: list[PlannedOutput],
    previous: dict[str, OutputRecord],
    output: StagedOutput | InPlaceOutput,
    progress: Progress,
    runner: JobRunner,
    renderer: Renderer,
) -> tuple[list[MadeOutput], int, list[Diagnostic]]:
    """Stage every output; those whose fingerprint is unchanged are reused, not made again.

    Returns each output as made, how many were made, and an error for each page that failed; the previous
    version of a failed page is kept, so publishing never deletes it.
    """
    made: dict[str, MadeOutput] = {}
    to_make = []
    for item in planned:
        before = previous.get(item.relative)
        if before and before.fingerprint == item.fingerprint and output.reuse(item.relative, before.size):
            made[item.relative] = MadeOutput(item.relative, item.fingerprint, before.size)
        else:
            to_make.append(item)
    for item in to_make:
        if item.page is None:
            data = item.make() if item.make is not None else item.source.read_bytes()
            output.write(item.relative, data)
            made[item.relative] = MadeOutput(item.relative, item.fingerprint, len(data))
    pages = [item for item in to_make if item.page is not None]
    with progress.stage("Rendering pages", len(pages)) as advance:
        rendered, diagnostics = _render_pages(pages, output, runner, renderer, advance)
    for item, result in zip(pages, rendered, strict=True):
        before = previous.get(item.relative)
        if result.failed and before and output.reuse(item.relative, before.size):
            result = MadeOutput(item.relative, before.fingerprint, before.size, failed=True, kept=True)
        made[item.relative] = result
    return [made[item.relative] for item in planned], sum(1 for item in to_make if item.source is None), diagnostics


def _render_pages(
    pages: list[PlannedOutput],
    output: StagedOutput | InPlaceOutput,
    runner: JobRunner,
    renderer: Renderer,
    advance: Callable[[], None],
) -> tuple[list[MadeOutput], list[Diagnostic]]:
    """Render *pages* in batches on the runner's workers and stage what comes back, in plan order."""
    if not pages:
        return [], []
    parts = index_batches(len(pages), RENDER_BATCH, PARALLEL_RENDER_MIN)
    if runner.local_pool:  # its workers inherit every page: tasks carry page numbers
        setup = runner.share("render", dataclasses.replace(renderer.setup, pages=tuple(item.page for item in pages)))
        tasks = ((setup, part) for part in parts)
    else:  # each task carries its pages, and no worker holds the site
        setup = runner.share("render", renderer.setup.shared())
        tasks = ((setup, PageBatch.of([pages[index].page for index in part], renderer.setup)) for part in parts)
    made: dict[int, MadeOutput] = {}
    diagnostics = []
    for part, future in zip(parts, runner.stream(render_batch, tasks, len(parts)), strict=True):
        error = future.exception()
        results = future.result() if error is None else [f"{type(error).__name__}: {error}"] * len(part)
        for index, result in zip(part, results, strict=True):
            item = pages[index]
            if isinstance(result, bytes):
                output.write(item.relative, result)
                made[index] = MadeOutput(item.relative, item.fingerprint, len(result))
            else:
                made[index] = MadeOutput(item.relative, item.fingerprint, 0, failed=True)
                diagnostics.append(_render_failure(item, result))
            advance()
    return [made[index] for index in range(len(pages))], diagnostics


def _render_failure(item: PlannedOutput, error: str) -> Diagnostic:
    article = item.page.context.get("article")
    source = article.source_path if article is not None else item.relative
    return Diagnostic(source, f"page {item.relative} not made (its previous version, if any, is kept): {error}")
