"""Edits built from what the last build recorded: the dirty set, without planning the site again.

A full build records, per output folder, what it was made from (:mod:`generator.store.records`): the stamp
of every file the site is read from, the settings, and for each article's own page the capture it came from,
what other outputs show of the article, and the page without its article. The next build compares stamps;
when the changed files are captures (or their sidecars and comments files) whose articles changed only in
what their own pages show — a body, a comment's text — it reads just those captures and renders just those
pages. Anything else (a new, removed or renamed capture, a changed title, date, tag or comment count, the
settings, the theme, a folder's defaults, a full-content feed, the search index) plans the whole site, where
every page's fingerprint decides again what is rendered.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.common.config import SiteConfig
from generator.common.weburl import page_key
from generator.model import Article, Card, Diagnostic, Page, Site
from generator.readers.base import ReadResult
from generator.readers.scan import ReadMemory, ScanResult, is_standalone, reader_for, scan
from generator.render.outputs import PlannedOutput, page_output
from generator.render.renderer import Renderer
from generator.site.assemble import outside_view, place
from generator.site.taxonomy import spellings, with_tag_spellings
from generator.store.cache import BuildState, OutputRecord
from generator.store.fingerprint import Fingerprinter, digest
from generator.store.records import PageRecord, SiteRecord, card_refs, frame_of, page_from


def tree_stamps(*roots: Path) -> dict[str, str]:
    """Every file below *roots* (absolute paths) → its size and modification time; as a scan of the content
    folder, links to folders are not followed."""
    stamps: dict[str, str] = {}
    pending = [str(root.resolve()) for root in roots]
    while pending:
        try:
            entries = sorted(os.scandir(pending.pop()), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    stat = entry.stat()
                    stamps[entry.path] = f"{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                continue
    return stamps


@dataclass(frozen=True)
class SiteInputs:
    """What a site is made from, by stamps: every content and static file's, a digest of the settings and the
    theme, and the key of them all (equal keys: nothing to build)."""

    key: str
    settings: str
    stamps: dict[str, str]

    @classmethod
    def of(
        cls,
        config: SiteConfig,
        theme_paths: Sequence[Path],
        static_path: Path,
        known: SiteInputs | None = None,
        changed: Collection[str] | None = None,
    ) -> SiteInputs:
        """The site's inputs now; with *known* (this process's last) and the paths a watcher saw *changed*
        since, only those files are looked at, unless one is a folder."""
        roots = (config.content_path, static_path)
        stamps = _restamped(known.stamps, changed, roots) if known and changed is not None else None
        if stamps is None:
            stamps = tree_stamps(*roots)
        settings = digest((config.settings_key, tree_stamps(*theme_paths)))
        return cls(digest((stamps, settings)), settings, stamps)


def _restamped(stamps: dict[str, str], changed: Collection[str], roots: Sequence[Path]) -> dict[str, str] | None:
    """*stamps* with each *changed* file under *roots* stamped again; None when one is new, gone or a folder:
    such a change is planned with the whole site, so everything is looked at."""
    inside = tuple(str(root.resolve()) + os.sep for root in roots)
    updated = dict(stamps)
    for path in changed:
        path = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if not path.startswith(inside):
            continue  # the settings or the theme: read again every time
        if path not in stamps:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        updated[path] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return updated


@dataclass(frozen=True)
class EditPlan:
    """What an edit makes: the outputs it may change, planned anew (every other output stays as it is)."""

    outputs: tuple[PlannedOutput, ...]
    renderer: Renderer
    site: SiteRecord
    pages: tuple[PageRecord, ...]  # the page records the edit changed
    cards: tuple[Card, ...]  # the cards it changed (a comment count)
    diagnostics: tuple[Diagnostic, ...]  # every warning of the site, as a full build would report them


def plan_edit(
    state: BuildState,
    target: str,
    config: SiteConfig,
    last: tuple[str, Sequence[Diagnostic]],
    now: SiteInputs,
    previous: dict[str, OutputRecord],
    memory: ReadMemory | None,
) -> EditPlan | None:
    """The edit from the last build into *target* (its key and warnings, *last*) to the site as it is *now*, or
    None when the change may show outside the pages of the articles it touches and the pages that show their
    cards: then the site is planned again.
    """
    recorded = state.records.site(target)
    if recorded is None or recorded.key != last[0] or recorded.settings != now.settings or config.search.enabled:
        return None
    sources = _touched(recorded, now.stamps, config)
    if sources is None:
        return None
    records = {source: state.records.page(target, source) for source in sources}
    edited = _articles(state, config, recorded, records, memory)
    if edited is None:
        return None
    cards, new_records, diagnostics = [], [], list(last[1])
    read_for = {path: source for path, source in recorded.read_for.items() if source not in edited}
    for source, (article, warnings, result) in edited.items():
        record = records[source]
        if article.comment_count != record.comments:
            if record.standalone:
                return None  # its card is the site's, on every page
            cards.append(Card.of(article))
        diagnostics = _replaced(diagnostics, record.diagnostics, warnings)
        new_records.append(replace(record, diagnostics=tuple(warnings), comments=article.comment_count))
        read_for.update(dict.fromkeys(_sidecars(result), source))
    shown: dict[str, Article | None] = {records[source].relative: found[0] for source, found in edited.items()}
    around = {relative for card in cards for relative in state.records.shown_by(target, card.url)} - shown.keys()
    frames = {relative: state.records.frame(target, relative) for relative in [*shown, *sorted(around)]}
    others = _articles_at(state, config, recorded, target, {r: frames[r] for r in around}, memory)
    if others is None or None in frames.values():
        return None
    renderer = Renderer(recorded.setup, recorded.template_digests)
    fingerprints = Fingerprinter(renderer.shown_globals(), renderer.published_image)
    recounted = {card.url: card for card in cards}
    stored = state.records.cards(target, set().union(*map(card_refs, frames.values())) - recounted.keys())
    if stored is None:
        return None
    shown_cards = {**stored, **recounted}
    outputs = []
    for relative, article in {**shown, **others}.items():
        output = page_output(page_from(frames[relative], article, shown_cards), renderer, fingerprints)
        if output.relative != relative or relative not in previous:
            return None
        outputs.append(output)
    site = replace(recorded, key=now.key, stamps=now.stamps, read_for=read_for)
    return EditPlan(tuple(outputs), renderer, site, tuple(new_records), tuple(cards), tuple(diagnostics))


Placed = tuple[Article, list[Diagnostic], ReadResult]  # an article as its page shows it, its warnings, its reading


def _articles(
    state: BuildState,
    config: SiteConfig,
    recorded: SiteRecord,
    records: dict[str, PageRecord | None],
    memory: ReadMemory | None,
) -> dict[str, Placed] | None:
    """The articles of the captures *records* name, read and placed; None when one has no record or changed
    outside its own page."""
    if None in records.values():
        return None
    if not records:
        return {}
    scanned = scan(config, state, memory=memory, only=[config.site_path / source for source in records])
    placed = {}
    for source, record in records.items():
        found = _placed(scanned, source, record, config, recorded)
        if found is None:
            return None
        placed[source] = (*found, scanned.results[source])
    return placed


def _articles_at(
    state: BuildState,
    config: SiteConfig,
    recorded: SiteRecord,
    target: str,
    frames: dict[str, Page | None],
    memory: ReadMemory | None,
) -> dict[str, Article | None] | None:
    """For each output (its page's frame), the article the page is about (None for a listing); None when one
    cannot be had."""
    about: dict[str, Article | None] = dict.fromkeys(frames)
    records = {}
    for relative, frame in frames.items():
        if frame is not None and "article" in frame.context:
            if (record := state.records.page_at(target, relative)) is None:
                return None
            records[relative] = record
    if records:
        placed = _articles(state, config, recorded, {record.source: record for record in records.values()}, memory)
        if placed is None:
            return None
        about.update({relative: placed[record.source][0] for relative, record in records.items()})
    return about


def _touched(recorded: SiteRecord, stamps: dict[str, str], config: SiteConfig) -> set[str] | None:
    """The captures (as sources) whose reading the changed files touch; None when a change may reach further."""
    site = config.site_path
    touched = set()
    for path in recorded.stamps.keys() | stamps.keys():
        if recorded.stamps.get(path) == stamps.get(path) or os.path.basename(path).startswith("."):
            continue  # unchanged, or a hidden file (an editor's) that no build reads
        if path in recorded.read_for:
            touched.add(recorded.read_for[path])
            continue
        capture = Path(path)
        learned = capture.suffix.lower() == ".txt" and config.capture.learn_boilerplate  # its siblings learn it
        if path not in recorded.stamps or path not in stamps or reader_for(capture) is None or learned:
            return None  # added, removed, not a capture (an image, a folder's defaults, a static file)
        touched.add(capture.relative_to(site).as_posix())
    return touched


def _placed(
    scanned: ScanResult, source: str, record: PageRecord, config: SiteConfig, recorded: SiteRecord
) -> tuple[Article, list[Diagnostic]] | None:
    """The capture's article placed as a full build places it, when nothing outside its own page and its card's
    comment count changed."""
    result = scanned.results.get(source)
    article = result.article if result is not None else None
    if article is None or result.more or result.skipped or article.draft or outside_view(article) != record.outside:
        return None
    if is_standalone(article) != record.standalone:
        return None
    urls = recorded.setup.urls
    if record.standalone:
        return replace(article, url=urls.standalone(article.slug)), list(result.diagnostics)
    placed, problems = place(article, config, urls)
    return with_tag_spellings(placed, recorded.tag_spellings), [*result.diagnostics, *problems]


def _replaced(
    diagnostics: Sequence[Diagnostic], old: Sequence[Diagnostic], new: Sequence[Diagnostic]
) -> list[Diagnostic]:
    """*diagnostics* with *old* (those of one capture) replaced by *new*, where the first of them stood."""
    left = list(old)
    result: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic in left:
            left.remove(diagnostic)
            if len(left) == len(old) - 1:
                result += new
            continue
        result.append(diagnostic)
    return result if len(left) < len(old) else result + list(new)


def _sidecars(result: ReadResult) -> list[str]:
    """The sidecar and comments files (``.toml``) a capture's reading looked at, there or not.

    Images it looked at are not among them: a changed image changes its derivatives, which the site's plan
    makes, so a changed image is never an edit of one page.
    """
    return [path for path in result.depends_on if path.endswith(".toml")]


def site_records(
    now: SiteInputs,
    renderer: Renderer,
    scanned: ScanResult,
    site: Site,
    placing: Sequence[Diagnostic],
    outputs: Sequence[PlannedOutput],
) -> tuple[SiteRecord, list[PageRecord], dict[str, Page], list[Card]]:
    """What a full build records for the next one: the site; a record of each article an edit could make on
    its own (one capture read into one article, merged with no other, shown whole only on its own page);
    every page's frame by output; every card the frames show. *placing* are the warnings of placing the
    articles, *outputs* every output planned (those with a page are the pages)."""
    read = {article.source_path: article for article in (*scanned.articles, *scanned.pages)}
    groups = Counter(key for article in scanned.articles if (key := page_key(article.source_url)) is not None)
    shown_whole = Counter(url for output in outputs for url in output.shows)
    placed: dict[str, list[Diagnostic]] = {}
    for diagnostic in placing:
        placed.setdefault(diagnostic.path, []).append(diagnostic)
    records, frames, cards, read_for = [], {}, {}, {}
    for output in outputs:
        if output.page is None:
            continue
        frames[output.relative], shown = frame_of(output.page)
        cards.update((card.url, card) for card in shown)
        article = output.page.context.get("article") if output.page.kind in ("article", "page") else None
        source = article.source_path if article is not None else ""
        result = scanned.results.get(source)
        if result is None or result.more or source not in read or shown_whole[article.url] != 1:
            continue
        if groups.get(page_key(read[source].source_url) or "", 1) > 1:
            continue
        warnings = (*result.diagnostics, *placed.get(source, ()))
        outside, comments, standalone = outside_view(read[source]), article.comment_count, output.page.kind == "page"
        records.append(PageRecord(source, output.relative, outside, comments, warnings, standalone))
        read_for.update(dict.fromkeys(_sidecars(result), source))
    spelled = spellings(site.articles, "tags")
    setup, digests = replace(renderer.setup, pages=()), renderer.template_digests
    record = SiteRecord(now.key, now.settings, now.stamps, read_for, setup, digests, spelled)
    return record, records, frames, list(cards.values())
