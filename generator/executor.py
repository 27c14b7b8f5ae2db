"""Run batches of work in worker processes that start as copies of the build.

Workers are forked after the site is assembled, so they share the parsed site,
the templates and the image plan without pickling any of it; each batch
sends back only small results. Where fork is not available (or one job is
asked for), batches run in this process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_shared: dict[str, Any] = {}


def shared() -> dict[str, Any]:
    """What the parent set up for its workers (they got it with the fork)."""
    return _shared


def die_with_parent() -> None:
    """Make a worker end when the build process ends, even by SIGKILL (Linux).

    An orphaned worker would go on writing into a staging folder that the
    next build is using.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def index_batches(count: int, size: int, parallel_from: int) -> list[range]:
    """Indices ``0..count`` in batches of *size*, or one batch when there are too few to share out."""
    if count < parallel_from:
        return [range(count)]
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def run_batches(
    work: Callable[[Sequence[Item]], Result], parts: Iterable[Sequence[Item]], jobs: int, state: dict[str, Any]
) -> Iterator[Result]:
    """``work`` over every batch, in order; in *jobs* forked processes when that helps."""
    parts = list(parts)
    _shared.clear()
    _shared.update(state)
    try:
        if jobs <= 1 or len(parts) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(work, parts)
            return
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(parts)), mp_context=context, initializer=die_with_parent) as pool:
            yield from pool.map(work, parts)
    finally:
        _shared.clear()
