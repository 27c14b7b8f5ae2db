"""What a build remembers for the next one, in SQLite under ``.backissue/``.

* sources: per capture, the digest of every input its reader used (the file,
  its comments or sidecar, the folder's defaults and listing, the reading
  settings) and the parsed result with its articles made light, so an
  unchanged capture is never read again;
* bodies: the blocks and comments of those articles, by the digest of what they
  hold (:mod:`generator.store.bodies`); written as they are read, since workers
  load them while the build runs, and pruned by a full build;
* outputs: per output file, the fingerprint of everything the page shows, so an
  unchanged page is not rendered again;
* learned: per folder of text captures, the boilerplate lines learned from it;
* runs: per output folder, whether its latest build is still running, finished
  or failed, so ``publish`` never ships a folder no build completed.

A corrupt or version-mismatched file is discarded with a notice; the build
then runs in full. Writes happen in one transaction at the end of a
successful build, so a killed build leaves the previous state intact (bodies
are written sooner, but a body is only ever found through the record of a
build that finished).
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Collection
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from generator import __version__
from generator.store import records
from generator.store.bodies import StateBodies
from generator.store.records import EditRecords

SCHEMA = "5"
STATE_FILE = "state.sqlite"
BUILDING, BUILT = "building", "built"


class SourceKey(NamedTuple):
    """What a capture was read from: its path as shown, size and mtime, content digest, and the digest of
    everything else its reading depends on (folder defaults, learned boilerplate, settings)."""

    source: str
    stamp: str
    digest: str
    key: str


class SourceRecord(NamedTuple):
    """A capture's stored reading: the inputs it was read from, the pickled ``ReadResult`` and the keys of the
    bodies its articles keep in the bodies table (space-separated)."""

    stamp: str
    digest: str
    key: str
    result: bytes
    bodies: str = ""


class OutputRecord(NamedTuple):
    """An output file as the last build into a folder left it, and its kind (see ``OutputKind``)."""

    fingerprint: str
    size: int
    kind: str = ""


class LastBuild(NamedTuple):
    """The key of everything the last successful build was made from, and its report."""

    key: str
    report: Any


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of backissue's own source: any change to the code retires the whole cache."""
    package = Path(__file__).resolve().parents[1]  # the generator package
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, stamp TEXT NOT NULL, digest TEXT NOT NULL, "
    "key TEXT NOT NULL, result BLOB NOT NULL, bodies TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, data BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS outputs (target TEXT NOT NULL, path TEXT NOT NULL, fingerprint TEXT NOT NULL, "
    "size INTEGER NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (target, path))",
    "CREATE TABLE IF NOT EXISTS learned (folder TEXT PRIMARY KEY, stamp TEXT NOT NULL, lines BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS builds (target TEXT PRIMARY KEY, key TEXT NOT NULL, report BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS runs (target TEXT PRIMARY KEY, status TEXT NOT NULL)",
    *records.TABLES,
)


class BuildState:
    """The state file of one site; ``None``-safe: a missing or broken file reads as empty."""

    def __init__(
        self, cache_path: Path, notice: Callable[[str], None] = lambda message: None, clean: bool = False
    ) -> None:
        self.path = cache_path / STATE_FILE
        self.notice = notice
        self.pending_learned: list[tuple] = []
        cache_path.mkdir(parents=True, exist_ok=True)
        if clean:
            self._discard(None)
        self.db = self._open()
        self.records = EditRecords(self.db)

    def _open(self) -> sqlite3.Connection:
        version = f"{SCHEMA}:{__version__}:{code_digest()}"
        try:
            db = sqlite3.connect(self.path, timeout=30)
            for statement in _TABLES:
                db.execute(statement)
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
                db.commit()
            elif row[0] != version:
                db.close()
                self._discard(f"build cache from another backissue version ({row[0]}); rebuilding everything")
                return self._open()
            db.execute("SELECT count(*) FROM sources").fetchone()
            db.execute("CREATE TEMP TABLE pending_sources AS SELECT * FROM sources WHERE 0")
            return db
        except sqlite3.DatabaseError as error:
            self._discard(f"build cache unreadable ({error}); rebuilding everything")
            return self._open()

    def _discard(self, message: str | None) -> None:
        if message:
            self.notice(message)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def bodies(self) -> StateBodies:
        """The article bodies this state keeps, as workers on this machine reach them."""
        return StateBodies(str(self.path))

    def body_keys(self) -> set[str]:
        """The keys of every body stored."""
        try:
            return {key for (key,) in self.db.execute("SELECT key FROM bodies")}
        except sqlite3.DatabaseError:
            return set()

    def source(self, path: str) -> SourceRecord | None:
        """The reading stored for the capture shown as *path*."""
        try:
            query = "SELECT stamp, digest, key, result, bodies FROM sources WHERE path = ?"
            row = self.db.execute(query, (path,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return SourceRecord(*row) if row else None

    def remember_source(self, read_from: SourceKey, result: Any, bodies: Collection[str] = ()) -> None:
        """Keep a freshly read capture's result, whose articles keep their *bodies* in the bodies table, for the
        next build (saved with the build)."""
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        row = (*read_from, data, " ".join(sorted(bodies)))
        # into a temporary table, on disk, committed with the next write: the build process keeps no reading
        self.db.execute("INSERT INTO temp.pending_sources VALUES (?, ?, ?, ?, ?, ?)", row)

    def remember_bodies(self, bodies: dict[str, bytes]) -> None:
        """Store article bodies now, so that workers find them while this build runs (see the module's note)."""
        if bodies:
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?)", bodies.items())

    def learned(self, folder: str, stamp: str) -> frozenset[str] | None:
        try:
            row = self.db.execute("SELECT stamp, lines FROM learned WHERE folder = ?", (folder,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return pickle.loads(row[1]) if row and row[0] == stamp else None

    def remember_learned(self, folder: str, stamp: str, lines: frozenset[str]) -> None:
        self.pending_learned.append((folder, stamp, pickle.dumps(lines)))

    def outputs(self, target: str) -> dict[str, OutputRecord]:
        """Output path → its record, from the last successful build into *target*."""
        try:
            query = "SELECT path, fingerprint, size, kind FROM outputs WHERE target = ?"
            rows = self.db.execute(query, (target,)).fetchall()
        except sqlite3.DatabaseError:
            return {}
        return {path: OutputRecord(fingerprint, size, kind) for path, fingerprint, size, kind in rows}

    def last_build(self, target: str) -> LastBuild | None:
        """The last successful build into *target*."""
        try:
            row = self.db.execute("SELECT key, report FROM builds WHERE target = ?", (target,)).fetchone()
            return LastBuild(row[0], pickle.loads(row[1])) if row else None
        except Exception:  # a damaged row or a report from older code
            return None

    def remember_build(self, target: str, key: str, report: Any) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)", (target, key, pickle.dumps(report)))

    def mark_build(self, target: str, status: str) -> None:
        """Record how the latest build into *target* stands: BUILDING, BUILT, or why it failed.

        A state file that cannot take the record (damaged, read-only) does not
        stop the build; without a "built" record publish refuses the folder.
        """
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?)", (target, status))
        except sqlite3.DatabaseError:
            pass

    def build_status(self, target: str) -> str | None:
        try:
            row = self.db.execute("SELECT status FROM runs WHERE target = ?", (target,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def save(self, target: str, outputs: dict[str, OutputRecord], sources: set[str]) -> None:
        """Record a successful build: new sources, the outputs now in *target*, and forget vanished sources."""
        with self.db:
            self._save_read()
            known = {row[0] for row in self.db.execute("SELECT path FROM sources")}
            self.db.executemany("DELETE FROM sources WHERE path = ?", [(p,) for p in known - sources])
            self._prune_bodies()
            self.db.execute("DELETE FROM outputs WHERE target = ?", (target,))
            self._save_outputs(target, outputs)

    def save_edit(self, target: str, changed: dict[str, OutputRecord]) -> None:
        """Record an edit: the captures read again and the outputs it *changed*; every other record stays."""
        with self.db:
            self._save_read()
            self._save_outputs(target, changed)

    def _prune_bodies(self) -> None:
        """Forget the bodies no stored reading refers to any more (those of edited and removed captures)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM live")
        for (keys,) in self.db.execute("SELECT bodies FROM sources WHERE bodies != ''").fetchall():
            self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((key,) for key in keys.split()))
        self.db.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM live)")

    def _save_read(self) -> None:
        self.db.execute("INSERT OR REPLACE INTO sources SELECT * FROM temp.pending_sources ORDER BY rowid")
        self.db.execute("DELETE FROM temp.pending_sources")
        self.db.executemany("INSERT OR REPLACE INTO learned VALUES (?, ?, ?)", self.pending_learned)
        self.pending_learned.clear()

    def _save_outputs(self, target: str, outputs: dict[str, OutputRecord]) -> None:
        rows = [(target, path, *record) for path, record in sorted(outputs.items())]
        self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)", rows)

    def forget_outputs(self, target: str, paths: Collection[str] | None) -> None:
        """Distrust the records of *paths* in *target* (all of them when None), and the last build's key, so
        the next build makes those files again: an interrupted commit may have left either version there."""
        with self.db:
            if paths is None:
                self.db.execute("DELETE FROM outputs WHERE target = ?", (target,))
            else:
                self.db.executemany("DELETE FROM outputs WHERE target = ? AND path = ?", [(target, p) for p in paths])
            self.db.execute("DELETE FROM builds WHERE target = ?", (target,))
            self.records.forget(target)

    def close(self) -> None:
        self.db.close()
