"""Find the captures under ``content/`` and read each with the reader for its suffix."""

from __future__ import annotations

import errno
import hashlib
import importlib
import os
import pickle
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from generator.common.config import SiteConfig
from generator.model import Article, Diagnostic
from generator.readers.archivebox_folders import INDEX, is_data_folder, is_snapshot
from generator.readers.base import ReadContext, Reader, ReadResult, file_stamp, isolated, located, stat_stamp
from generator.readers.boilerplate import TABLES, Boilerplate, learn_folder
from generator.readers.comment_links import sound_links
from generator.readers.metadata import FolderDefaults
from generator.store.bodies import detach, stored_keys
from generator.store.cache import BuildState, SourceKey, SourceRecord
from generator.store.executor import JobRunner, index_batches, resolve, run_batches

NOT_CAPTURES = frozenset({"robots.txt", "ads.txt", "app-ads.txt", "humans.txt", "security.txt", "llms.txt"})
KEPT_BESIDE_CAPTURES = frozenset(  # files a site or a mirror keeps on purpose: never a warning (docs/formats.md)
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff", ".ico"}  # images
    | {".css", ".js", ".mjs", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot"}  # a mirror's page requisites
    | {".toml"}  # sidecars and comments files
)
PAGES_FOLDER = "pages"
READ_BATCH = 50
PARALLEL_READ_MIN = 100
DOUBLE_SUFFIXES = (".warc.gz", ".warc.lz4", ".arc.gz")  # read as one suffix


class _Imported:
    """A reader imported when it is first called.

    The HTML and web-archive readers load large libraries (trafilatura, lxml, warcio); a build that reads no
    such capture, and an edit that reads one Markdown file, should not wait for them to load.
    """

    def __init__(self, module: str, function: str) -> None:
        self.module, self.function = module, function

    def __call__(self, path: Path, context: ReadContext) -> ReadResult:
        reader: Reader = getattr(importlib.import_module(f"generator.readers.{self.module}"), self.function)
        return reader(path, context)


_SAVED_HTML = _Imported("singlefile", "read_saved_html")  # SingleFile pages, else the HTML reader
_WEB_ARCHIVE = _Imported("warc", "read_warc")
READERS: dict[str, Reader] = {  # suffix (for ArchiveBox's snapshot index, file name) → reader
    ".md": _Imported("markdown", "read_markdown"),
    ".txt": _Imported("text", "read_text_capture"),
    ".html": _SAVED_HTML,
    ".htm": _SAVED_HTML,
    ".warc": _WEB_ARCHIVE,
    ".warc.gz": _WEB_ARCHIVE,
    ".warc.lz4": _WEB_ARCHIVE,
    ".arc": _WEB_ARCHIVE,
    ".arc.gz": _WEB_ARCHIVE,
    ".wacz": _Imported("wacz", "read_wacz"),
    "index.json": _Imported("archivebox", "read_snapshot"),  # only in an ArchiveBox data folder's archive/<time>/
}


def reader_for(path: Path) -> Reader | None:
    """The reader for files named like *path* (by suffix; ``.warc.gz`` and the like count as one)."""
    name = path.name.lower()
    if name in NOT_CAPTURES:
        return None
    if name == "index.json":
        return READERS[name] if is_snapshot(path.parent) else None
    suffix = next((double for double in DOUBLE_SUFFIXES if name.endswith(double)), path.suffix.lower())
    return READERS.get(suffix)


def is_readable(path: Path) -> bool:
    """Whether a reader handles files like *path*."""
    return reader_for(path) is not None


def kept_on_purpose(path: Path) -> bool:
    """Whether *path*, read by no reader, is a file sites keep beside captures (an image, a sidecar, robots.txt)."""
    name = path.name.lower()
    suffixes = {Path(name).suffix, Path(name.partition("?")[0]).suffix}  # wget keeps "style.css?ver=6.4"
    return name in NOT_CAPTURES or not suffixes.isdisjoint(KEPT_BESIDE_CAPTURES)


def not_read(source: str) -> Diagnostic:
    """The warning for a file under ``content/`` that no reader handles, naming the formats that are read."""
    suffixes = sorted(key for key in READERS if key.startswith("."))  # not ArchiveBox's index.json
    return Diagnostic(source, f"not read: backissue reads {', '.join(suffixes)} files (and ArchiveBox data folders)")


@dataclass
class ScanResult:
    """What reading the content folder found; ``not_articles`` pairs a page with why it is not one."""

    articles: list[Article]
    diagnostics: list[Diagnostic]
    skipped: list[str]
    drafts: int
    not_articles: list[tuple[str, str]] = field(default_factory=list)
    pages: list[Article] = field(default_factory=list)  # standalone pages: not in listings, feeds or archives
    sources: list[str] = field(default_factory=list)
    state_folders: set[str] = field(default_factory=set)
    results: dict[str, ReadResult] = field(default_factory=dict)  # source → what its reader returned


class ReadMemory:
    """What one process read in its earlier builds, kept as objects (``serve`` holds one between rebuilds).

    A capture whose inputs are unchanged is taken from here before the build state, so a warm rebuild
    unpickles nothing it read before; the files a result looked at are checked all the same.
    """

    def __init__(self) -> None:
        self._results: dict[str, tuple[SourceKey, ReadResult]] = {}

    def recall(self, read_from: SourceKey) -> ReadResult | None:
        kept, result = self._results.get(read_from.source, (None, None))
        return result if kept is not None and kept.key == read_from.key and _still_current(result) else None

    def digest(self, source: str, stamp: str) -> str:
        """The content digest of *source* as this process last read it, when its stamp is still *stamp*."""
        kept, _result = self._results.get(source, (None, None))
        return kept.digest if kept is not None and kept.stamp == stamp else ""

    def keep(self, found: Iterable[tuple[SourceKey, ReadResult]], every: bool = True) -> None:
        """Remember each result with what it was read from; when they are *every* source, forget the others."""
        kept = {read_from.source: (read_from, result) for read_from, result in found}
        self._results = kept if every else {**self._results, **kept}


class HeldBodies:
    """The bodies the build state holds, listed when first asked about: a stored reading is used only while
    they are all there, and an edit that reads its capture again never needs the list."""

    def __init__(self, state: BuildState | None) -> None:
        self.state = state
        self._keys: set[str] | None = None

    def hold(self, keys: Iterable[str]) -> bool:
        if self._keys is None:
            self._keys = self.state.body_keys() if self.state else set()
        return self._keys.issuperset(keys)


@dataclass(frozen=True)
class _Miss:
    """A capture to read. When its file changed since it was stored, its digest is not known yet
    (``read_from.digest`` is ""): the task that reads it digests it first, and when the digest shows the file
    as it was when *unchanged* (a key) was stored, it is not read again."""

    path: Path
    context: ReadContext
    read_from: SourceKey | None
    folder_key: str = ""
    unchanged: str = ""


def scan(
    config: SiteConfig,
    state: BuildState | None = None,
    jobs: int = 1,
    memory: ReadMemory | None = None,
    only: Sequence[Path] | None = None,
    runner: JobRunner | None = None,
) -> ScanResult:
    """Read every capture under the content folder (or *only* these captures), in sorted path order.

    With a build *state*, a capture whose inputs are unchanged is taken from it (or from *memory*, the
    results of this process's earlier builds) instead of being read again; the rest are read in *jobs*
    worker processes when there are enough of them. With a state, the articles found are light: their
    bodies and comments are stored in it (:mod:`generator.store.bodies`), and only what the rest of the
    build needs is kept in memory. On a cluster *runner* whose workers see the content folder, captures are
    digested, read and learned from on its workers: this process only lists and stats them.
    """
    contexts = ContextFactory(config, state)
    result = ScanResult([], [], [], 0)
    if only is None:
        paths, problems = capture_paths(config.content_path, config.content.ignore)
        result.diagnostics.extend(problems)
    else:
        paths = sorted(only)
    if runner is not None and not (runner.local_pool or _workers_see(runner, config.content_path)):
        runner = None  # a cluster that cannot see the captures: they are read here, as without one
    if runner is not None and not runner.local_pool:
        contexts.learn_on(runner, {path.parent for path in paths})
    entries = [(path, contexts.for_file(path)) for path in paths]
    found: dict[Path, ReadResult] = {}
    held = HeldBodies(state)
    misses: list[_Miss] = []
    stored_of: dict[Path, SourceRecord] = {}
    keys: dict[Path, SourceKey] = {}
    for path, context in entries:
        read_from, stored = source_key(path, context, contexts, state, memory) if state else (None, None)
        if read_from is not None and not read_from.digest:  # changed on disk: digested where it is read
            if stored is not None:
                stored_of[path] = stored
            key = stored.key if stored is not None else ""
            misses.append(_Miss(path, context, read_from, contexts.folder_key(path.parent), key))
            continue
        recalled = memory.recall(read_from) if memory is not None and read_from else None
        if recalled is not None and state and (stored is None or stored.key != read_from.key):
            recalled = _stored_again(state, read_from, recalled, held)
        cached = recalled or _load(stored, read_from, held)
        if read_from:
            keys[path] = read_from
        if cached is not None:
            found[path] = cached
        else:
            misses.append(_Miss(path, context, read_from))
    for miss, read_from, fresh in _read_misses(misses, stored_of, held, state, jobs, runner):
        found[miss.path] = fresh
        if read_from:
            keys[miss.path] = read_from
    if memory is not None:
        memory.keep(((read_from, found[path]) for path, read_from in keys.items()), every=only is None)
    for path, context in entries:
        result.sources.append(context.relative(path))
        result.results[context.relative(path)] = found[path]
        if found[path].state_folder:
            result.state_folders.add(found[path].state_folder)
        for read_result in (found[path], *found[path].more):
            _collect(result, read_result, context.relative(path))
    result.diagnostics.extend(contexts.defaults.diagnostics)
    return result


def _collect(result: ScanResult, read_result: ReadResult, source: str) -> None:
    result.diagnostics.extend(read_result.diagnostics)
    article = read_result.article
    if read_result.skipped:
        result.not_articles.append((source, read_result.skipped))
    elif article is None:
        result.skipped.append(source)
    elif article.draft:
        result.drafts += 1
    elif is_standalone(article):
        result.pages.append(article)
    else:
        result.articles.append(article)


def is_standalone(article: Article) -> bool:
    """A page of the site's own (About, Contact), not an article: under ``content/pages/`` or ``kind = "page"``."""
    return article.extra.get("kind") == "page" or article.source_path.startswith(f"content/{PAGES_FOLDER}/")


def folder_mark(folder: Path) -> tuple[int, int] | None:
    """What tells one folder from another, seen from any machine that mounts it: its inode and modification
    time (None when it cannot be seen)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def _workers_see(runner: JobRunner, folder: Path) -> bool:
    """Whether the cluster's workers see *folder* as this process does (a cluster on this machine, or a file
    system they share with it), asked of one of them."""
    [answer] = runner.stream(folder_mark, [(folder,)], 1)
    return answer.exception() is None and answer.result() == folder_mark(folder) is not None


def _read_misses(
    misses: list[_Miss],
    stored_of: dict[Path, SourceRecord],
    held: HeldBodies,
    state: BuildState | None,
    jobs: int,
    runner: JobRunner | None,
) -> Iterator[tuple[_Miss, SourceKey | None, ReadResult]]:
    """Each miss with what it was read from and its result, its bodies stored batch by batch (the build
    process never gathers them all). A capture whose digest shows it as it was stored is taken from the state
    (*stored_of*), unless a file its reading looked at changed: then it is read after all."""
    again = []
    parts = index_batches(len(misses), READ_BATCH, PARALLEL_READ_MIN)
    shared = {"misses": misses, "store": state is not None}
    for part, read in zip(parts, _reading(parts, shared, jobs, runner), strict=True):
        if state:
            state.remember_bodies({key: data for _key, _fresh, bodies in read for key, data in bodies.items()})
        for index, (read_from, fresh, bodies) in zip(part, read, strict=True):
            miss = misses[index]
            if fresh is None:  # as it was stored
                fresh = _current(stored_of[miss.path], held)
                if fresh is None:
                    again.append(replace(miss, read_from=read_from, unchanged=""))
                    continue
            elif state and read_from:
                state.remember_source(read_from, fresh, bodies)
            yield miss, read_from, fresh
    if again:
        yield from _read_misses(again, stored_of, held, state, jobs, runner)


def _reading(
    parts: list[range], shared: dict[str, Any], jobs: int, runner: JobRunner | None
) -> Iterator[list[tuple[SourceKey | None, ReadResult | None, dict[str, bytes]]]]:
    """The results of reading each batch of misses: in a local pool of *jobs* processes, or on a cluster."""
    if runner is None or runner.local_pool:
        yield from run_batches(_read_batch, parts, jobs, shared)
        return
    handle = runner.share("read", shared)
    for future in runner.stream(_read_batch, ((handle, part) for part in parts), len(parts)):
        yield future.result()


def _read_batch(shared: Any, indices: Sequence[int]) -> list[tuple[SourceKey | None, ReadResult | None, dict]]:
    """Digest (when not known) and read these captures; to be stored, each result is made light here, in the
    worker, so that the build process gets its bodies as bytes and never holds them as objects. A capture
    whose digest shows it unchanged since it was stored is not read: its result is None."""
    shared = resolve(shared)
    return [_read_miss(shared["misses"][index], shared["store"]) for index in indices]


def _read_miss(miss: _Miss, store: bool) -> tuple[SourceKey | None, ReadResult | None, dict[str, bytes]]:
    read_from = miss.read_from
    if read_from is not None and not read_from.digest:
        try:
            digest = hashlib.sha256(miss.path.read_bytes()).hexdigest()
        except OSError:
            read_from = None  # the reader reports what is wrong with the file
        else:
            read_from = read_from._replace(digest=digest, key=reading_key(digest, miss.folder_key))
            if read_from.key == miss.unchanged:
                return read_from, None, {}
    result = read_one(miss.path, miss.context)
    return (read_from, *stored_reading(result)) if store else (read_from, result, {})


def stored_reading(result: ReadResult) -> tuple[ReadResult, dict[str, bytes]]:
    """*result* as the build state keeps it: its articles light, without what only ``inspect`` and ``import``
    show (dropped lines, the Markdown written), and the bodies they keep in the state by key."""
    bodies: dict[str, bytes] = {}
    more = []
    for further in result.more:
        kept, further_bodies = stored_reading(further)
        more.append(kept)
        bodies.update(further_bodies)
    article = result.article
    if article is not None:
        article, key, data = detach(article, sound_links(article.comments).diagnostics)
        bodies[key] = data
    return replace(result, article=article, dropped=[], body_markdown=None, more=more), bodies


def read_one(path: Path, context: ReadContext) -> ReadResult:
    """Read one file with the reader for its suffix; a failure costs only this file."""
    reader = reader_for(path)
    if reader is None:
        return ReadResult(None, [Diagnostic(context.relative(path), "no reader for this kind of file")])
    return isolated(context.relative(path), lambda: reader(path, context))


def source_key(
    path: Path, context: ReadContext, contexts: ContextFactory, state: BuildState, memory: ReadMemory | None = None
) -> tuple[SourceKey | None, SourceRecord | None]:
    """What a capture is read from now, and the reading stored for it.

    Only the file's stamp is looked at: the digest of a file whose stamp changed since it was stored (or
    read by this process) is left "", for the task that reads it to work out.
    """
    source = context.relative(path)
    try:
        stamp = stat_stamp(path)
    except OSError:
        return None, None  # the reader reports what is wrong with the file
    stored = state.source(source)
    digest = stored.digest if stored and stored.stamp == stamp else memory.digest(source, stamp) if memory else ""
    if not digest:
        return SourceKey(source, stamp, "", ""), stored
    return SourceKey(source, stamp, digest, reading_key(digest, contexts.folder_key(path.parent))), stored


def reading_key(digest: str, folder_key: str) -> str:
    """The key of reading a capture whose content has *digest* in a folder whose key is *folder_key*."""
    return hashlib.sha256(repr((digest, folder_key)).encode()).hexdigest()


def _stored_again(state: BuildState, read_from: SourceKey, recalled: ReadResult, held: HeldBodies) -> ReadResult | None:
    """A reading this process keeps that the state has no record of (read by an edit this build, or a state
    file lost since): recorded again, while the state holds its bodies; else None, and it is read again."""
    bodies = stored_keys(result.article for result in (recalled, *recalled.more))
    if not held.hold(bodies):
        return None
    state.remember_source(read_from, recalled, bodies)
    return recalled


def _load(stored: SourceRecord | None, read_from: SourceKey | None, held: HeldBodies) -> ReadResult | None:
    """The stored result when it was read from exactly these inputs and the state still *held* its bodies."""
    if stored is None or read_from is None or stored.key != read_from.key:
        return None
    return _current(stored, held)


def _current(stored: SourceRecord, held: HeldBodies) -> ReadResult | None:
    """The stored result while the state *held* its bodies and every other file it looked at is unchanged."""
    if not held.hold(stored.bodies.split()):
        return None
    try:
        result = pickle.loads(stored.result)
    except Exception:  # a stale pickle from older code: read again
        return None
    return result if _still_current(result) else None


def _still_current(result: ReadResult) -> bool:
    """Whether every file the reader looked at (found or not) is as it was then."""
    looked_at = {**result.depends_on, **{k: v for more in result.more for k, v in more.depends_on.items()}}
    return all(file_stamp(Path(path)) == stamp for path, stamp in looked_at.items())


class ContextFactory:
    """Read contexts per folder: cascaded defaults and learned boilerplate, each worked out once."""

    def __init__(self, config: SiteConfig, state: BuildState | None = None) -> None:
        self.config = config
        self.state = state
        self.defaults = FolderDefaults(config.content_path)
        self._learned: dict[Path, frozenset[str]] = {}
        self._keys: dict[Path, str] = {}
        self._contexts: dict[Path, ReadContext] = {}

    def learned(self, folder: Path) -> frozenset[str]:
        if folder not in self._learned:
            siblings, stamp, remembered = self._remembered(folder)
            if remembered is None:
                remembered = self._learnt(folder, stamp, learn_folder(siblings, TABLES["en"]))
            self._learned[folder] = remembered
        return self._learned[folder]

    def learn_on(self, runner: JobRunner, folders: Iterable[Path]) -> None:
        """Learn the boilerplate of *folders* on the runner's workers, where the state does not remember it."""
        wanted = []
        for folder in sorted(set(folders) - self._learned.keys()):
            siblings, stamp, remembered = self._remembered(folder)
            if remembered is None and siblings:
                wanted.append((folder, siblings, stamp))
            else:
                self._learned[folder] = remembered or frozenset()
        futures = runner.stream(learn_folder, ((siblings, TABLES["en"]) for _f, siblings, _s in wanted), len(wanted))
        for (folder, _siblings, stamp), future in zip(wanted, futures, strict=True):
            self._learned[folder] = self._learnt(folder, stamp, future.result())

    def _remembered(self, folder: Path) -> tuple[list[Path], str, frozenset[str] | None]:
        """The text captures boilerplate is learned from in *folder*, their stamp, and what the state remembers
        learning from them (None: nothing)."""
        siblings = sorted(folder.glob("*.txt")) if self.config.capture.learn_boilerplate else []
        stamp = hashlib.sha256(repr([(p.name, stat_stamp(p)) for p in siblings]).encode()).hexdigest()
        return siblings, stamp, self.state.learned(str(folder), stamp) if self.state else None

    def _learnt(self, folder: Path, stamp: str, lines: frozenset[str]) -> frozenset[str]:
        """*lines*, learned from *folder* now, remembered for the next build."""
        if self.state:
            self.state.remember_learned(str(folder), stamp, lines)
        return lines

    def folder_key(self, folder: Path) -> str:
        """A digest of what reading any capture of *folder* depends on besides its own files."""
        if folder not in self._keys:
            capture = self.config.capture
            resources = sorted(
                (entry.name, stat_stamp(Path(entry.path)))
                for entry in os.scandir(folder)
                if _regular_file(entry) and not entry.name.endswith(".toml") and reader_for(Path(entry.path)) is None
            )  # images a capture may point at; captures themselves count only for themselves
            parts = (
                repr(sorted(self.defaults.for_folder(folder).items())),
                sorted(self.learned(folder)),
                (capture.boilerplate, capture.image_markers, capture.learn_boilerplate),
                (self.config.timezone, str(self.config.content_path.resolve())),
                resources,
            )
            self._keys[folder] = hashlib.sha256(repr(parts).encode()).hexdigest()
        return self._keys[folder]

    def for_file(self, path: Path) -> ReadContext:
        folder = path.parent
        if folder not in self._contexts:
            capture = self.config.capture
            self._contexts[folder] = ReadContext(
                self.config.site_path,
                self.config.content_path,
                self.config.tzinfo,
                self.defaults.for_folder(folder),
                Boilerplate(TABLES["en"], capture.boilerplate, self.learned(folder)),
                tuple(marker.casefold() for marker in capture.image_markers),
                self.config.limits,
            )
        return self._contexts[folder]


def capture_files(sources: Sequence[Path], ignore: Sequence[str] = ()) -> list[Path]:
    """The files named, and the captures under the folders named (as a build finds them), in sorted order.

    Each is given as :func:`located` makes it, the way the site folder is
    resolved, so folder defaults are found however the paths were written.
    """
    files: list[Path] = []
    for source in map(located, sources):
        if source.is_dir():
            files += sorted(capture_paths(source, ignore)[0])
        else:
            files.append(source)
    return files


def capture_paths(content_path: Path, ignore: Sequence[str] = ()) -> tuple[list[Path], list[Diagnostic]]:
    """Files a reader handles, sorted, never leaving *content_path*, and the warnings about the rest.

    Hidden files and folders are skipped, and those *ignore* names (``[content] ignore``);
    symlinks pointing out of the content folder are refused, and a page bundle's
    folder (one with ``index.md``) holds resources, not more articles; so does
    an ArchiveBox snapshot folder (its ``index.json`` is the capture), and of
    an ArchiveBox data folder only the snapshots under ``archive/`` are read.
    Any other file no reader handles is a warning, unless it is :func:`kept_on_purpose`.
    Folders that cannot be listed, symlink loops and files that are not regular
    files (a FIFO would block the read forever; devices, sockets) are skipped
    with a warning.
    """
    root = content_path.resolve()
    paths: list[Path] = []
    diagnostics: list[Diagnostic] = []

    def wanted(here: Path, name: str) -> bool:
        relative = (here / name).relative_to(content_path).as_posix()
        ignored = any(fnmatchcase(relative, glob) or fnmatchcase(name, glob) for glob in ignore)
        return not name.startswith((".", "_")) and not ignored

    def unlistable(error: OSError) -> None:
        where = Path(error.filename or content_path)
        diagnostics.append(Diagnostic(_shown(where, content_path), f"folder not read: {error.strerror or error}"))

    for folder, dirnames, filenames in os.walk(content_path, onerror=unlistable):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if wanted(here, d))
        names = sorted(n for n in filenames if wanted(here, n))
        if "index.md" in names:
            names, dirnames[:] = ["index.md"], []
        elif is_data_folder(here):
            names, dirnames[:] = [], ["archive"]
        elif INDEX in names and is_snapshot(here):
            names, dirnames[:] = [INDEX], []
        for name in names:
            path = here / name
            if reader_for(path) is None:
                if not kept_on_purpose(path):
                    diagnostics.append(not_read(path.relative_to(content_path.parent).as_posix()))
                continue
            if problem := _not_a_capture_file(path, root):
                diagnostics.append(Diagnostic(_shown(path, content_path), problem))
                continue
            paths.append(path)
    return paths, diagnostics


def _not_a_capture_file(path: Path, root: Path) -> str:
    """Why *path* is not read as a capture ("" when it may be: a regular file inside *root*, or one its reader
    will report as unreadable)."""
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            return "refused: symlink pointing outside the content folder"
        mode = path.stat().st_mode
    except RuntimeError:  # how Python before 3.13 reports a loop while resolving
        return "skipped: symlink loop"
    except OSError as error:
        return "skipped: symlink loop" if error.errno == errno.ELOOP else ""
    if not stat.S_ISREG(mode):
        return "skipped: not a regular file (a FIFO, device or socket)"
    return ""


def _regular_file(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a regular file; a symlink loop or a vanished file is not."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _shown(path: Path, content_path: Path) -> str:
    """*path* as warnings show it: from the site folder."""
    try:
        return path.relative_to(content_path.parent).as_posix()
    except ValueError:
        return path.as_posix()
