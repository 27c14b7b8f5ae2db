"""Commit a small change into the live output folder file by file, journalled first.

Staging a whole build costs a hard link per file and the removal of the old tree, however little changed.
When few files change (at most :data:`IN_PLACE_SHARE` of the outputs), :class:`InPlaceOutput` writes each
changed file to a temporary name beside it, fsyncs it and renames it over the old one, and removes the
files no longer made; every other file is not touched. The journal, a JSON file in the build-state folder,
lists every write with the SHA-256 of its new bytes and every removal, and is fsynced before the first
change; its phase says how far the commit got, so a build killed at any moment leaves each file wholly
old or wholly new, and the next build (:func:`finish`) knows which:

* ``writing``: temporary files are being written; no live file has changed: roll back (remove them);
* ``renaming``: every temporary file is complete: roll forward (rename what is left, remove the rest);
* ``swapping``: a staged build is being swapped in (one atomic exchange): nothing to finish.

Either way the paths the journal names may not be what the build state recorded, so the build forgets
their records and makes them again. A journal is removed only after the build state recorded the
commit; ``publish`` refuses a folder that has one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.store.output import UnsafePath, safe_join, same_bytes

WRITING, RENAMING, SWAPPING = "writing", "renaming", "swapping"
# Measured with bench/commit.py on a 2-core machine's ext4 disk: staging costs a hard link, an unlink and a folder
# per file of the site, the in-place commit two fsyncs per changed file, about twice as much per file; in place
# stays cheaper up to 40-60% of the files. A quarter keeps a margin, and keeps short the time during which the
# live folder shows some files new and others old (the staged swap changes them all at once).
IN_PLACE_SHARE = 0.25
TEMPORARY_SUFFIX = ".backissue-new"


class JournalDamaged(ValueError):
    """A journal that cannot be read: nothing in it can be trusted."""


@dataclass(frozen=True)
class Journal:
    """One commit into *folder*: new files by path with the SHA-256 of their bytes, files removed, or the
    paths a staged swap changes."""

    folder: str
    phase: str
    writes: dict[str, str]
    removals: tuple[str, ...] = ()
    swapped: tuple[str, ...] = ()

    @property
    def paths(self) -> frozenset[str]:
        """Every output path the commit changes."""
        return frozenset((*self.writes, *self.removals, *self.swapped))


def journal_path(state_path: Path, out_path: Path) -> Path:
    """The journal of commits into *out_path*, in the build-state folder *state_path*."""
    key = hashlib.sha256(os.fsencode(out_path.resolve())).hexdigest()[:16]
    return state_path / f"commit-{key}.json"


def read_journal(path: Path) -> Journal | None:
    """The journal at *path*, or None when there is none; :class:`JournalDamaged` when it cannot be read."""
    try:
        data = json.loads(path.read_bytes())
        return Journal(
            str(data["folder"]),
            str(data["phase"]),
            {str(name): str(digest) for name, digest in data["writes"].items()},
            tuple(map(str, data["removals"])),
            tuple(map(str, data["swapped"])),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise JournalDamaged(f"{path}: {error}") from error


def write_journal(path: Path, journal: Journal) -> None:
    """Write *journal* whole (a temporary file, fsynced, renamed), and fsync its folder."""
    data = {
        "folder": journal.folder,
        "phase": journal.phase,
        "writes": journal.writes,
        "removals": list(journal.removals),
        "swapped": list(journal.swapped),
    }
    temporary = path.with_name(path.name + ".tmp")
    _write_synced(temporary, json.dumps(data, indent=0, sort_keys=True).encode())
    os.replace(temporary, path)
    _sync_folder(path.parent)


def clear_journal(path: Path) -> None:
    path.unlink(missing_ok=True)


def finish(journal: Journal, out_path: Path) -> None:
    """Roll the commit *journal* describes back (``writing``) or forward (``renaming``).

    A temporary file whose bytes are not those the journal lists is removed, leaving the old file.
    """
    if journal.phase == WRITING:
        for relative in journal.writes:
            _temporary(safe_join(out_path, relative)).unlink(missing_ok=True)
        _prune(out_path, journal.writes)
    elif journal.phase == RENAMING:
        _apply(out_path, journal, verify=True)


class InPlaceOutput:
    """The live output folder as a build's output: files written in memory, committed in place.

    Same interface as :class:`~generator.store.output.StagedOutput`; a file whose bytes did not
    change is not touched, so it keeps its modification time.
    """

    def __init__(self, out_path: Path, journal: Path, live: dict[str, int]) -> None:
        self.out_path = out_path
        self.journal = journal
        self.live = live
        self.written: set[str] = set()
        self.changed = 0
        self._new: dict[str, bytes] = {}
        self._phase = ""

    def write(self, relative: str, data: bytes) -> None:
        """Keep *data* for *relative*, unless the live file holds exactly these bytes."""
        if relative in self.written:
            raise UnsafePath(f"{relative} written twice in one build")
        target = safe_join(self.out_path, relative)
        self.written.add(relative)
        if not same_bytes(target, data):
            self._new[relative] = data

    def reuse(self, relative: str, size: int) -> bool:
        """Keep the live file as it is; False when it is gone, or not a plain file of *size* bytes, as *live*
        gave the folder's files a moment ago (listed, or checked against the build state's records)."""
        if self.live.get(relative) != size:
            return False
        self.written.add(relative)
        return True

    def commit(self) -> None:
        """Journal, write every new file beside its place, then rename them in and remove what is gone."""
        writes = {relative: hashlib.sha256(data).hexdigest() for relative, data in sorted(self._new.items())}
        journal = Journal(str(self.out_path.resolve()), WRITING, writes, tuple(sorted(self.live.keys() - self.written)))
        if not journal.paths:
            return
        write_journal(self.journal, journal)
        self._phase = WRITING
        made: set[Path] = set()
        for relative, data in sorted(self._new.items()):
            target = safe_join(self.out_path, relative)
            made |= _make_folders(target.parent, self.out_path)
            _write_synced(_temporary(target), data)
        for folder in made:  # the new folders' own entries
            _sync_folder(folder.parent)
        write_journal(self.journal, replace(journal, phase=RENAMING))
        self._phase = RENAMING
        _apply(self.out_path, journal, verify=False)
        self.changed = len(self._new)

    def abort(self) -> None:
        """Roll back a commit that has not renamed anything yet; a later one is left for the next build."""
        if self._phase == WRITING:
            journal = read_journal(self.journal)
            if journal is not None:
                finish(journal, self.out_path)
            clear_journal(self.journal)


def in_place_output(
    out_path: Path, journal: Path, planned: Collection[str], changing: Iterable[str]
) -> InPlaceOutput | None:
    """*out_path* as the output of a build of *planned* files of which *changing* are new or changed, when
    that is a small change (:data:`IN_PLACE_SHARE`); None when the whole folder is better staged again.

    Files in the folder that are not planned are removed, as a staged build would leave them out. A folder
    holding a symbolic link or a special file, or where a new file would replace a folder (or be put in
    place of a file), is staged.
    """
    listing = _listing(out_path)
    if listing is None:
        return None
    sizes, folders = listing
    files, planned = sizes.keys(), set(planned)
    new = set(changing) | (planned - files)
    removals = files - planned
    if len(new) + len(removals) > IN_PLACE_SHARE * len(planned):
        return None
    for relative in new:
        parents = relative.split("/")[:-1]
        if relative in folders or any("/".join(parents[: n + 1]) in files for n in range(len(parents))):
            return None
    return InPlaceOutput(out_path, journal, sizes)


def _listing(root: Path) -> tuple[dict[str, int], set[str]] | None:
    """Every file (with its size) and folder below *root* (relative, posix); None when it is missing or holds
    anything else."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            for entry in os.scandir(os.path.join(root, prefix)):
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(relative)
                    pending.append(relative + "/")
                elif entry.is_file(follow_symlinks=False):
                    files[relative] = entry.stat(follow_symlinks=False).st_size
                else:
                    return None
        except OSError:
            return None
    return files, folders


def _apply(out_path: Path, journal: Journal, verify: bool) -> None:
    """Rename every temporary file still there over its place, remove the removals, fsync the folders."""
    touched: set[Path] = set()
    for relative, expected in sorted(journal.writes.items()):
        target = safe_join(out_path, relative)
        temporary = _temporary(target)
        if not os.path.lexists(temporary):
            continue  # renamed already
        if verify and _sha256(temporary) != expected:
            temporary.unlink()
            continue
        os.replace(temporary, target)
        touched.add(target.parent)
    for relative in journal.removals:
        target = safe_join(out_path, relative)
        target.unlink(missing_ok=True)
        touched.add(target.parent)
    touched |= _prune(out_path, journal.removals)
    for folder in sorted(touched):
        if folder.is_dir():
            _sync_folder(folder)


def _prune(root: Path, relatives: Iterable[str]) -> set[Path]:
    """Remove the folders of *relatives* left empty, up to *root*; returns the folders whose entries changed."""
    changed = set()
    for relative in relatives:
        folder = safe_join(root, relative).parent
        while folder != root:
            try:
                folder.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                break  # not empty
            changed.add(folder.parent)
            folder = folder.parent
    return changed


def _make_folders(folder: Path, root: Path) -> set[Path]:
    """Make *folder* and its missing parents below *root*; returns those it made."""
    made = set()
    while folder != root and not folder.is_dir():
        made.add(folder)
        folder = folder.parent
    for path in sorted(made):
        path.mkdir()
    return made


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMPORARY_SUFFIX}")


def _write_synced(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
