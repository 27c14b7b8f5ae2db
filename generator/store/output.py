"""Write a build into a staging folder and swap it in only when it is complete.

A build that fails or is killed leaves the previous output untouched: pages
are written next to it into ``.NAME.staging-PID`` and the two folders are
exchanged in one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames
elsewhere). Files whose bytes did not change are hard-linked from the previous
build, so they keep their modification time and publishing moves nothing.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (a temporary file beside it, then a rename); its folder is made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def safe_join(root: Path, relative: str) -> Path:
    """*relative* (posix) under *root*, refusing anything that could escape it."""
    parts = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or "\\" in relative
        or "\x00" in relative
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
    return root.joinpath(*parts)


class StagedOutput:
    """The output folder of one build, published by :meth:`commit`."""

    def __init__(self, out_path: Path) -> None:
        self.out_path = out_path
        for stale in out_path.parent.glob(f".{out_path.name}.staging*"):
            _remove(stale)  # left by a build that was killed
        self.staging_path = out_path.with_name(f".{out_path.name}.staging-{os.getpid()}")
        self.written: set[str] = set()
        self.changed_paths: set[str] = set()  # written with bytes the previous build's file did not have
        self._folders: set[Path] = set()
        self.staging_path.mkdir(parents=True)

    def write(self, relative: str, data: bytes) -> None:
        """Stage one file; writing the same path twice in a build is a bug."""
        if relative in self.written:
            raise UnsafePath(f"{relative} written twice in one build")
        target = self._target(relative)
        self.written.add(relative)
        if _stage(target, safe_join(self.out_path, relative), data):
            self.changed_paths.add(relative)

    @property
    def changed(self) -> int:
        return len(self.changed_paths)

    def reuse(self, relative: str, size: int) -> bool:
        """Stage the previous build's file as it is, without reading it; False when it is gone."""
        previous = safe_join(self.out_path, relative)
        try:
            if previous.is_symlink() or previous.stat().st_size != size:
                return False
            os.link(previous, self._target(relative))
        except OSError:
            return False
        self.written.add(relative)
        return True

    def forget(self, relative: str) -> None:
        """Unstage *relative* (reused or written), so that it can be written anew."""
        if relative in self.written:
            self.written.discard(relative)
            self.changed_paths.discard(relative)
            safe_join(self.staging_path, relative).unlink(missing_ok=True)

    def _target(self, relative: str) -> Path:
        """Where *relative* is staged, its folder made once per build."""
        target = safe_join(self.staging_path, relative)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def commit(self) -> None:
        """Swap the staged build in; afterwards the old one is deleted."""
        if not self.out_path.exists():
            os.rename(self.staging_path, self.out_path)
            return
        if not _exchange(self.staging_path, self.out_path):
            retired = self.out_path.with_name(f".{self.out_path.name}.retired")
            _remove(retired)
            os.rename(self.out_path, retired)
            os.rename(self.staging_path, self.out_path)
            self.staging_path = retired
        _remove(self.staging_path)

    def abort(self) -> None:
        _remove(self.staging_path)


def _stage(target: Path, previous: Path, data: bytes) -> bool:
    """Write *data* to *target*; True when it differs from the previous build's file.

    An unchanged file is hard-linked from the previous build, so it keeps its
    modification time and publishing tools see nothing to move.
    """
    same = same_bytes(previous, data)
    if same:
        try:
            os.link(previous, target)
            return False
        except OSError:
            pass
    target.write_bytes(data)
    return not same


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two folders; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
