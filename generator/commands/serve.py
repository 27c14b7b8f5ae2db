"""``backissue serve``: build, serve, watch, rebuild, reload.

Editors save in bursts (temp file, rename, backup), so events are debounced:
a rebuild starts once the files have been quiet for a moment. A change that
arrives during a rebuild queues exactly one more. A failed rebuild leaves the
last good site in place and shows its error in every open page.
"""

from __future__ import annotations

import gc
import re
import threading
import time
import warnings
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from generator.build import BuildMemory, BuildReport, build
from generator.commands.server import PreviewServer, PreviewState
from generator.common.config import CONFIG_NAME, ConfigError
from generator.common.config import load as load_config
from generator.render.renderer import describe_failure
from generator.store.targets import PREVIEW_FOLDER

DEBOUNCE_SECONDS = 0.15
PORT_ATTEMPTS = 10
_EDITOR_LITTER = re.compile(
    r"(^\.#|^#.*#$|~$|\.sw[a-p]$|^4913$|\.tmp$|\.kate-swp$|^\.goutputstream-|^\.DS_Store$|\.part$)"
)
WATCHED_FOLDERS = ("content", "themes", "static")
# watchdog's recursive inotify watch re-adds folders created in quick succession
# (mkdir -p) and warns about it; the watch stays correct, so the warning is noise.
warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning, module="watchdog")


def is_relevant(path: str, site_path: Path) -> bool:
    """A change the site is built from: not editor litter, not output or caches."""
    relative = Path(path)
    try:
        relative = relative.resolve().relative_to(site_path.resolve())
    except (ValueError, OSError):
        return False
    if _EDITOR_LITTER.search(relative.name):
        return False
    return relative.as_posix() == CONFIG_NAME or (relative.parts and relative.parts[0] in WATCHED_FOLDERS)


@dataclass
class Rebuilder:
    """Runs builds one at a time; changes during a build queue exactly one more."""

    build_once: Callable[[set[str]], BuildReport]  # given the paths changed since the last build began
    state: PreviewState
    log: Callable[[str], None]
    pending: set[str] = field(default_factory=set)
    builds: int = 0
    shown: tuple[str, ...] = ()  # the warnings already printed
    _wake: threading.Condition = field(default_factory=threading.Condition)
    _stopping: bool = False
    _last_change: float = 0.0

    def changed(self, path: str) -> None:
        with self._wake:
            self.pending.add(path)
            self._last_change = time.monotonic()
            self._wake.notify()

    def run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self.pending or self._stopping)
                if self._stopping:
                    return
                while (quiet := time.monotonic() - self._last_change) < DEBOUNCE_SECONDS:
                    self._wake.wait(DEBOUNCE_SECONDS - quiet)
                changed, self.pending = self.pending, set()
            self.rebuild(changed)

    def rebuild(self, changed: set[str]) -> None:
        started = time.perf_counter()
        try:
            report = self.build_once(changed)
        except Exception as error:  # any failure keeps the last good site
            message = describe_failure(error)
            self.state.fail(message)
            self.log(f"rebuild failed: {message}")
            return
        finally:
            self.builds += 1
        if report.errors:  # pages a template could not make: their last good version is still served
            self.state.fail("\n".join(str(error) for error in report.errors))
            for error in report.errors:
                self.log(f"rebuild failed: {error}")
            return
        warnings = tuple(str(diagnostic) for diagnostic in report.diagnostics)
        css_only = bool(changed) and all(path.endswith(".css") for path in changed)
        self.state.announce("css" if css_only else "reload", warnings)
        for warning in warnings if warnings != self.shown else ():  # an unchanged rebuild does not repeat them
            self.log(f"warning: {warning}")
        self.shown = warnings
        counted = f", {len(warnings):,} warnings" if warnings else ""
        self.log(f"rebuilt in {time.perf_counter() - started:.2f} s ({report.changed:,} files changed{counted})")

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()


# Only events that mean a change. Subscribing to opens and reads would make every
# build (which reads all of content/) flood the kernel's event queue on large sites.
CHANGE_EVENTS = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]  # fmt: skip


class _Events(FileSystemEventHandler):
    def __init__(self, site_path: Path, rebuilder: Rebuilder, observer: Observer) -> None:
        self.site_path = site_path
        self.rebuilder = rebuilder
        self.observer = observer
        self.watched: set[Path] = set()

    def watch(self, folder: Path) -> None:
        if folder not in self.watched:
            self.watched.add(folder)
            self.observer.schedule(self, str(folder), recursive=True, event_filter=CHANGE_EVENTS)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type == "modified":
            return  # a folder's "modified" only echoes a change to one of its entries
        created = Path(str(event.src_path))
        if event.is_directory and event.event_type == "created" and created.parent == self.site_path:
            if created.name in WATCHED_FOLDERS:
                self.watch(created)  # content/ or themes/ made after serve started
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path and is_relevant(str(path), self.site_path):
                self.rebuilder.changed(str(path))


@dataclass
class Preview:
    """A running preview: server, watcher and rebuild thread."""

    url: str
    server: PreviewServer
    rebuilder: Rebuilder
    observer: Observer
    threads: list[threading.Thread]

    def stop(self) -> None:
        self.observer.stop()
        self.rebuilder.stop()
        self.server.shutdown()
        self.server.server_close()
        self.observer.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=5)


def start_preview(site_path: Path, host: str, port: int, log: Callable[[str], None]) -> Preview:
    """Build once, then serve and watch; a failing first build is shown in the browser too."""
    out_path = site_path / PREVIEW_FOLDER
    try:
        prefix = urlsplit(load_config(site_path).base_url).path or "/"
    except ConfigError:
        prefix = "/"
    state = PreviewState(root=out_path, prefix=prefix if prefix.endswith("/") else prefix + "/")
    # One process: forking workers beside the server's threads is not safe, and warm rebuilds are small.
    memory = BuildMemory()  # captures read by earlier rebuilds, kept unpickled while serve runs, and file stamps

    def build_kept(changed: set[str]) -> BuildReport:
        memory.changed = changed
        report = build(site_path, out_path, jobs=1, notice=log, memory=memory)
        gc.freeze()  # what the memory keeps is no garbage: a collection walking it would cost more than an edit
        return report

    rebuilder = Rebuilder(build_kept, state, log)
    rebuilder.rebuild(set())
    server = _bind(host, port, state, log)
    observer = Observer()
    events = _Events(site_path, rebuilder, observer)
    observer.schedule(events, str(site_path), recursive=False, event_filter=CHANGE_EVENTS)  # site.toml, new folders
    for folder in WATCHED_FOLDERS:
        if (site_path / folder).is_dir():
            events.watch(site_path / folder)
    observer.start()
    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=rebuilder.run, daemon=True),
    ]
    for thread in threads:
        thread.start()
    bound_host, bound_port = server.server_address[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return Preview(f"http://{shown_host}:{bound_port}{state.prefix}", server, rebuilder, observer, threads)


def _bind(host: str, port: int, state: PreviewState, log: Callable[[str], None]) -> PreviewServer:
    """The first free port from *port* on (port 0: any free port)."""
    last = port if port == 0 else port + PORT_ATTEMPTS - 1
    candidate = port
    while True:
        try:
            return PreviewServer((host, candidate), state)
        except OSError as error:
            if candidate >= last:
                raise
            log(f"port {candidate} is taken ({error.strerror}); trying {candidate + 1}")
            candidate += 1


def open_browser(url: str) -> None:
    webbrowser.open(url)
