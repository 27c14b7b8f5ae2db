"""Peak memory of a process and of every process it starts, sampled from /proc (Linux).

The operating system's max RSS (``wait4``) of a build that forks workers is
the largest of the build process and its workers, and a forked worker's RSS
counts every page it still shares with its parent. PSS (proportional set
size) divides each shared page between the processes that share it, so the
PSS of a process tree adds up to the memory it really holds. A thread reads
``/proc/<pid>/smaps_rollup`` of the process and its descendants (found by
parent pid in ``/proc/*/stat``) every ``interval`` seconds; what happens
between two samples is not seen, except for the root process's own peak RSS,
which the kernel keeps (``VmHWM``).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def _fields(path: Path, names: tuple[str, ...]) -> dict[str, int]:
    """The kB figures of *names* in a /proc file of ``Name:  1234 kB`` lines; empty if the process is gone."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        name, _, rest = line.partition(":")
        if name in names:
            found[name] = int(rest.split()[0])
    return found


def descendants(root: int) -> list[int]:
    """Every living process whose parent chain leads to *root*."""
    children: dict[int, list[int]] = {}
    for name in os.listdir(PROC):  # plain os calls: this runs every sample, on the benchmark's own core time
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                text = stat.read()
        except OSError:  # a process that has ended
            continue
        parent = int(text[text.rindex(b")") + 2 :].split(None, 2)[1])  # after the command name, which may hold spaces
        children.setdefault(parent, []).append(int(name))
    found, waiting = [], [root]
    while waiting:
        for child in children.get(waiting.pop(), ()):
            found.append(child)
            waiting.append(child)
    return found


@dataclass
class TreeMemory:
    """Peaks, in kB, of one process tree while it runs; use as a context manager around waiting for it."""

    root: int
    interval: float = 0.05
    root_rss: int = 0  # the root's own peak RSS (VmHWM)
    peak_rss: dict[int, int] = field(default_factory=dict)  # each process's peak RSS, as sampled
    peak_pss: dict[int, int] = field(default_factory=dict)  # each process's peak PSS
    peak_sum: int = 0  # the largest sum of PSS over the tree in one sample
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeMemory:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exception: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def largest_child(self, peaks: dict[int, int]) -> int:
        """The largest of *peaks* (``peak_rss`` or ``peak_pss``) among the processes the root started."""
        return max((kilobytes for pid, kilobytes in peaks.items() if pid != self.root), default=0)

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def sample(self) -> None:
        self.root_rss = max(self.root_rss, _fields(PROC / str(self.root) / "status", ("VmHWM",)).get("VmHWM", 0))
        total = 0
        for pid in [self.root, *descendants(self.root)]:
            rollup = _fields(PROC / str(pid) / "smaps_rollup", ("Rss", "Pss"))
            if "Pss" in rollup:
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), rollup["Rss"])
                self.peak_pss[pid] = max(self.peak_pss.get(pid, 0), rollup["Pss"])
                total += rollup["Pss"]
        self.peak_sum = max(self.peak_sum, total)
