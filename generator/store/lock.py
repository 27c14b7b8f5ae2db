"""One build of a site at a time: a second one waits for the first, then gives up with a message."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not serialised
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "build.lock"
LOCK_WAIT_SECONDS = 300.0  # how long a build or publish waits for another build of the same site


class BuildLocked(Exception):
    """Another build of the same site kept the lock for longer than we would wait."""


@contextmanager
def build_lock(cache_path: Path, wait_seconds: float, notice: Callable[[str], None]) -> Iterator[None]:
    cache_path.mkdir(parents=True, exist_ok=True)
    with open(cache_path / LOCK_FILE, "a+") as handle:
        if fcntl is not None:
            _acquire(handle, wait_seconds, notice)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.lockf(handle, fcntl.LOCK_UN)


def _acquire(handle, wait_seconds: float, notice: Callable[[str], None]) -> None:
    deadline = time.monotonic() + wait_seconds
    waited = False
    while True:
        try:
            # lockf, not flock: a POSIX lock belongs to this process alone, so worker
            # processes forked later never keep it alive after this process dies.
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except (BlockingIOError, PermissionError):
            if not waited:
                notice("another build of this site is running; waiting for it to finish")
                waited = True
            if time.monotonic() >= deadline:
                raise BuildLocked(
                    f"another build of this site is still running after {wait_seconds:.0f} s; "
                    "try again when it has finished"
                ) from None
            time.sleep(0.1)
