"""A real Dask cluster for the tests, as remote machines would be.

``dask scheduler`` and ``dask worker`` processes on loopback, run as another Unix user
(:data:`WORKER_USER`, made by ``tools/setup-test-tools.sh``) who cannot read the site folder or the
build state under pytest's private temporary folder: whatever the workers use has to come through
the cluster. They run the Python packages of this checkout, hard-linked (or copied) into a
world-readable folder, with the first interpreter that user can run: this one, or the system's
``python3.X`` of the same version when this one lives in a folder only root may enter.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import free_port, wait_for_port

import generator

WORKER_USER = "backissue-worker"
STOP_SECONDS = 30


@dataclass(frozen=True)
class Runtime:
    """What the worker user runs: an interpreter and the environment that finds backissue's packages."""

    root: Path
    python: str
    user: pwd.struct_passwd
    env: dict[str, str]
    packages: Path  # the checkout's installed packages
    backissue: Path  # the folder holding the ``generator`` package

    def folder(self, name: str) -> Path:
        """A fresh folder of the worker user's own (scratch space, logs)."""
        path = self.root / "home" / name
        path.mkdir(parents=True)
        os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path


@dataclass
class Cluster:
    """A running scheduler and its workers; ``address`` is HOST:PORT, for ``--executor dask://``."""

    address: str
    processes: list[subprocess.Popen]
    logs: Path


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or links refused
        shutil.copy2(source, target)


def _can_run(python: str, user: pwd.struct_passwd, env: dict[str, str], cwd: Path) -> str:
    """ "" when *user* can run *python* with backissue and Dask importable, else why not."""
    command = [python, "-c", "import distributed, generator, sys; print(sys.version_info[:2])"]
    try:
        done = subprocess.run(
            command, user=user.pw_uid, group=user.pw_gid, extra_groups=[], env=env, cwd=cwd,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    except OSError as error:
        return f"{python}: {error.strerror}"
    if done.returncode != 0:
        return f"{python}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
    if done.stdout.strip() != str(tuple(sys.version_info[:2])):
        return f"{python}: Python {done.stdout.strip()}, not {sys.version_info[:2]}"
    return ""


@contextmanager
def worker_runtime() -> Iterator[Runtime]:
    """A world-readable copy of this checkout's packages and an interpreter the worker user can run;
    skips the test when that cannot be had (not root, no such user, no usable interpreter)."""
    pytest.importorskip("distributed")
    if os.geteuid() != 0:
        pytest.skip("starting Dask workers as another Unix user needs root")
    try:
        user = pwd.getpwnam(WORKER_USER)
    except KeyError:
        pytest.skip(f"no Unix user {WORKER_USER}: run tools/setup-test-tools.sh as root to make it")
    root = Path(tempfile.mkdtemp(prefix="backissue-cluster-"))
    try:
        root.chmod(0o755)
        packages, backissue = root / "packages", root / "backissue"
        installed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
        for folder in sorted(installed):
            shutil.copytree(
                folder, packages, copy_function=_link_or_copy, dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.pth", "__editable__*", "_editable_impl_*"),
            )  # fmt: skip
        source = Path(generator.__file__).parent
        shutil.copytree(source, backissue / "generator", copy_function=_link_or_copy)
        home = root / "home"
        home.mkdir()
        os.chown(home, user.pw_uid, user.pw_gid)
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "PYTHONPATH": f"{packages}{os.pathsep}{backissue}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        candidates = [str(Path(sys.executable).resolve()), f"/usr/bin/{version}", f"/usr/local/bin/{version}"]
        reasons = []
        for python in dict.fromkeys(candidates):
            reason = _can_run(python, user, env, home)
            if not reason:
                yield Runtime(root, python, user, env, packages, backissue)
                return
            reasons.append(reason)
        pytest.skip(f"no Python {WORKER_USER} can run with backissue's packages ({'; '.join(reasons)})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start(runtime: Runtime, arguments: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """``dask ARGUMENTS`` as the worker user, in a process group of its own (so stopping it stops its children)."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [runtime.python, "-m", "dask", *arguments], user=runtime.user.pw_uid, group=runtime.user.pw_gid,
            extra_groups=[], env=env, cwd=runtime.root / "home", stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip


@contextmanager
def running_cluster(runtime: Runtime, name: str, workers: int = 2, worker_path: str | None = None) -> Iterator[Cluster]:
    """A scheduler and *workers* workers (each with a nanny that restarts it if it dies), all stopped on exit,
    however the block ends. *worker_path* replaces the workers' PYTHONPATH (to make a broken worker)."""
    logs = runtime.folder(name)
    port = free_port()
    processes: list[subprocess.Popen] = []
    try:
        scheduler = ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        processes.append(_start(runtime, scheduler, logs / "scheduler.log", runtime.env))
        wait_for_port(port, processes[0], seconds=120)
        env = runtime.env if worker_path is None else {**runtime.env, "PYTHONPATH": worker_path}
        for n in range(workers):
            scratch = runtime.folder(f"{name}-worker-{n}")
            worker = [
                "worker", f"tcp://127.0.0.1:{port}", "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                "--name", f"{name}-{n}", "--local-directory", str(scratch),
            ]  # fmt: skip
            processes.append(_start(runtime, worker, logs / f"worker-{n}.log", env))
        yield Cluster(f"127.0.0.1:{port}", processes, logs)
    finally:
        stop(processes)


def group_members(groups: set[int]) -> list[int]:
    """The processes still alive in the process groups *groups*."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) in groups:
                    alive.append(int(entry.name))
            except ProcessLookupError:
                pass
    return alive


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop every process group of *processes*: politely, then by SIGKILL whatever is left of it."""
    groups = {process.pid for process in processes}  # each leads its own group
    for group in groups:
        _signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for group in groups:
        _signal_group(group, signal.SIGKILL)
    for process in processes:
        process.wait()
    while group_members(groups) and time.monotonic() < deadline + STOP_SECONDS:
        time.sleep(0.1)


def _signal_group(group: int, number: signal.Signals) -> None:
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        pass
