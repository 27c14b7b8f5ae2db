"""Where a build's work runs: in this process, a local process pool, or a Dask cluster.

Reading captures (:func:`run_batches`), rendering and images all go through a
:class:`JobRunner`: plain picklable job functions and inputs submitted to a
``concurrent.futures.Executor``, results streamed back in submission order
with a bounded number in flight. A job returns bytes; only the build process
writes files, so workers need no shared filesystem.

On a Dask cluster every way a task can fail ends its future: a job's own
exception comes back as it is; a task the cluster could not finish (its
workers died more often than Dask retries, it could not be sent, or its
result could not travel back) raises :class:`TaskLost`; a scheduler or worker
that cannot run this backissue stops the build before it is given work.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError, Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pkgutil import resolve_name
from typing import Any, TypeVar

from generator import __version__
from generator.common.config import DEFAULT_CLUSTER_TIMEOUT, ConfigError

Item = TypeVar("Item")
Result = TypeVar("Result")

LOCAL = "local"
DASK_LOCAL = "dask-local"
DASK_SCHEME = "dask://"
IN_FLIGHT_PER_WORKER = 4  # enough queued work that no worker waits on the build process
WORKER_CHECK_SECONDS = 1.0  # how often a build waiting on a cluster's task checks that it still has workers
MESSAGE_LIMIT = 300  # characters of a cluster's error quoted in a build's message
VERSION_NAME = "generator:__version__"  # what a scheduler or worker imports to show that it runs backissue

_broadcast: dict[str, Any] = {}


def die_with_parent() -> None:
    """Make a worker end when the build process ends, even by SIGKILL (Linux).

    An orphaned worker would go on using memory and CPU for a build that is gone.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def _forked_worker() -> None:
    """Start a forked worker: it ends with the build process, and its garbage collector leaves alone what it
    inherited (walking the whole site would copy every memory page it shares with the build process)."""
    die_with_parent()
    gc.freeze()


def index_batches(count: int, size: int, parallel_from: int) -> list[range]:
    """Indices ``0..count`` in batches of *size*, or one batch when there are too few to share out."""
    if count < parallel_from:
        return [range(count)]
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_batches(
    work: Callable[[Any, Sequence[Item]], Result], parts: Iterable[Sequence[Item]], jobs: int, state: Any
) -> Iterator[Result]:
    """``work(shared, batch)`` over every batch, in order, in up to *jobs* local workers.

    *state* reaches the workers once (they inherit it with the fork);
    ``work`` gets it back with :func:`resolve`.
    """
    parts = list(parts)
    with JobRunner(LOCAL, max(1, min(jobs, len(parts)))) as runner:
        handle = runner.share("batches", state)
        for future in runner.stream(work, ((handle, part) for part in parts), len(parts)):
            yield future.result()


def _fork_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_forked_worker)


@dataclass(frozen=True)
class Broadcast:
    """A value every worker of a local pool got with the fork, by name."""

    key: str


def resolve(value: Any) -> Any:
    """In a job: the value a :class:`Broadcast` names, or *value* itself (as Dask delivers it)."""
    return _broadcast[value.key] if isinstance(value, Broadcast) else value


class InProcessExecutor(Executor):
    """Runs each job at once in this process: ``--jobs 1``, and easy to debug."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # delivered through the future, as any executor does; Ctrl-C is not
            future.set_exception(error)
        return future


class ClusterUnavailable(Exception):
    """A Dask cluster cannot do the build's work: it had no worker (or could not be reached) for longer than the
    build waits, or its scheduler or a worker cannot run this backissue."""


class TaskLost(ClusterUnavailable):
    """A task the cluster could not finish: the workers running it died each time Dask tried it, it could not be
    sent to a worker, or its result could not be sent back."""


def _sealed(job: Callable[..., Any], *arguments: Any) -> bytes:
    """On a Dask worker: *job*'s result or exception, pickled there.

    A result Dask could not serialize would stay on the worker and Dask would
    try to fetch it for ever; pickled here, it becomes an error of its task.
    """
    try:
        outcome = (True, job(*arguments))
    except Exception as error:  # delivered to the caller, as any executor does
        outcome = (False, error)
    try:
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        reason = f"what it returned could not be sent back ({type(error).__name__}: {error})"
        return pickle.dumps((False, TaskLost(reason)), pickle.HIGHEST_PROTOCOL)


def _unsealed(future: Future) -> Future:
    """A finished future of the job's own outcome, from the finished Dask future of a :func:`_sealed` task."""
    opened: Future = Future()
    try:
        ok, value = pickle.loads(future.result())
    except CancelledError:
        ok, value = False, TaskLost("the cluster cancelled it (its scheduler was lost)")
    except Exception as error:  # not the job's: the cluster's, or what came back cannot be read here
        ok, value = False, TaskLost(_lost_reason(error))
    if ok:
        opened.set_result(value)
    else:
        opened.set_exception(value)
    return opened


def _lost_reason(error: Exception) -> str:
    if type(error).__name__ == "KilledWorker":
        return f"every worker that ran it died ({error.args[2] + 1} tries)"
    words = " ".join(str(error).split())
    return f"the cluster could not run it ({type(error).__name__}: {words[:MESSAGE_LIMIT]})"


class JobRunner:
    """Submits jobs to an executor that is started on first use and shut down by :meth:`close`.

    On a running Dask cluster (``dask://HOST:PORT``) work waits for a worker
    at most *wait_seconds* (None: :meth:`use_settings` gives the site's
    ``[cluster] timeout``), saying so through *notice*; then
    :class:`ClusterUnavailable`. That holds at the start and whenever every
    worker has left.
    """

    def __init__(
        self,
        spec: str = LOCAL,
        jobs: int | None = None,
        wait_seconds: float | None = None,
        notice: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.spec = spec
        self.jobs = jobs or os.cpu_count() or 1
        self.wait_seconds = wait_seconds
        self.notice = notice
        self._executor: Executor | None = None
        self._client: Any = None
        self._cluster: Any = None
        self._shared_keys: set[str] = set()
        self._checked: set[str] | None = None  # the workers known to run this backissue; None: not even the scheduler
        check_spec(spec)

    def use_settings(self, timeout: float) -> None:
        """The site's ``[cluster] timeout``, unless a wait was given when the runner was made."""
        if self.wait_seconds is None:
            self.wait_seconds = timeout

    @property
    def local_pool(self) -> bool:
        """Whether the workers are this process or its forks, which inherit what the build process holds."""
        return self.spec == LOCAL

    @property
    def workers(self) -> int:
        if self._client is not None:
            return max(1, len(self._client.scheduler_info()["workers"]))
        return self.jobs

    def share(self, key: str, value: Any) -> Any:
        """Make *value* available to every worker once; pass what this returns to the jobs.

        A local pool is forked again so its workers inherit the value; Dask
        sends one copy to each worker.
        """
        if self.spec != LOCAL:
            self._executor_started()
            try:
                return self._client.scatter(value, broadcast=True, hash=False)
            except Exception as error:  # a worker that cannot take it, or one gone meanwhile
                raise ClusterUnavailable(f"could not send the {key} setup to the Dask workers: {error}") from None
        _broadcast[key] = value
        self._shared_keys.add(key)
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None
        return Broadcast(key)

    def stream(self, job: Callable[..., Result], inputs: Iterable[tuple], total: int) -> Iterator[Future]:
        """``job(*arguments)`` for each input, as finished futures in submission order.

        At most a few tasks per worker are in flight, so results (and inputs
        read lazily from *inputs*) never pile up in the build process.
        """
        if total == 0:
            return  # without starting any workers
        small = total == 1 and self.spec == LOCAL  # not worth starting workers for
        executor = InProcessExecutor() if small else self._executor_started()
        window = IN_FLIGHT_PER_WORKER * self.workers
        pending: deque[Future] = deque()
        sealed = self._client is not None  # on Dask, a result travels back pickled by the job's worker
        for arguments in inputs:
            pending.append(executor.submit(_sealed, job, *arguments) if sealed else executor.submit(job, *arguments))
            if len(pending) >= window:
                yield self._finished(pending.popleft())
        while pending:
            yield self._finished(pending.popleft())

    def close(self) -> None:
        """Stop the workers (a Dask client cancels what it still runs for this build)."""
        if isinstance(self._executor, ProcessPoolExecutor):
            self._executor.shutdown(cancel_futures=True)
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._executor = self._client = self._cluster = None
        self._checked = None
        for key in self._shared_keys:  # a served site would otherwise keep the last build in memory
            _broadcast.pop(key, None)
        self._shared_keys.clear()

    def __enter__(self) -> JobRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _executor_started(self) -> Executor:
        if self._executor is None:
            self._executor = self._start()
        self._await_workers()
        return self._executor

    def _finished(self, future: Future) -> Future:
        """*future* once done (the caller decides what a failed job means); on a cluster, while it has workers."""
        while self._client is not None:
            try:
                future.exception(timeout=WORKER_CHECK_SECONDS)
            except TimeoutError:
                self._await_workers()
                continue
            except CancelledError:
                if self._client.status != "running":  # Dask cancels every task of a client that lost its scheduler
                    raise self._scheduler_lost() from None
            return _unsealed(future)
        future.exception()
        return future

    def _await_workers(self) -> None:
        """Return when the cluster (if any) has a worker that can run this backissue (:meth:`_check_software`);
        :class:`ClusterUnavailable` after waiting too long, or when the scheduler is gone for longer."""
        if self._client is None:
            return
        seconds, address = self._patience, self.spec.removeprefix(DASK_SCHEME)
        try:
            workers = self._client.nthreads()
            if not workers:
                self.notice(f"waiting for Dask workers at {address} (at most {seconds:g} s)")
                self._client.wait_for_workers(1, timeout=seconds)
                workers = self._client.nthreads()
        except TimeoutError:
            raise ClusterUnavailable(
                f"no Dask worker at {address} for {seconds:g} s; the build stopped and the previous output was kept"
            ) from None
        except OSError:  # the client gave up reconnecting to its scheduler
            raise self._scheduler_lost() from None
        self._check_software(set(workers))

    def _scheduler_lost(self) -> ClusterUnavailable:
        address = self.spec.removeprefix(DASK_SCHEME)
        return ClusterUnavailable(
            f"lost the Dask scheduler at {address}; the build stopped and the previous output was kept"
        )

    def _check_software(self, workers: set[str]) -> None:
        """Stop the build if the scheduler or a worker not seen before cannot run this backissue.

        Such a worker would die on its first task (Dask cannot unpickle it there), and the build would wait
        for workers that never come; a different version would make different bytes.
        """
        if self._checked is None:
            try:
                answer = self._client.run_on_scheduler(resolve_name, VERSION_NAME)
            except Exception as error:  # raised again here as it was raised there
                answer = error
            self._refuse("scheduler", answer)
            self._checked = set()
        new = workers - self._checked
        if not new:
            return
        try:
            answers = self._client.run(resolve_name, VERSION_NAME, workers=sorted(new), on_error="return")
        except Exception:  # a worker gone meanwhile; those still there are asked next time
            return
        for address, answer in sorted(answers.items()):
            self._refuse(f"worker {address}", answer)
        self._checked |= new

    @staticmethod
    def _refuse(who: str, answer: object) -> None:
        """:class:`ClusterUnavailable` when *answer* (to ``VERSION_NAME``) shows that *who* cannot run this
        backissue; an answer that is some other error (a worker gone meanwhile) is no reason to stop."""
        if isinstance(answer, ImportError | AttributeError):  # no backissue there, or something else by its name
            problem = f"it cannot import backissue: {type(answer).__name__}: {answer}"
        elif isinstance(answer, str) and answer != __version__:
            problem = f"it has backissue {answer}"
        else:
            return
        raise ClusterUnavailable(
            f"the Dask {who} cannot run backissue {__version__} ({problem}); install the same backissue "
            "on the scheduler and on every worker"
        )

    @property
    def _patience(self) -> float:
        return DEFAULT_CLUSTER_TIMEOUT if self.wait_seconds is None else self.wait_seconds

    def _start(self) -> Executor:
        if self.spec == LOCAL:
            return _fork_pool(self.jobs) if self.jobs > 1 and _can_fork() else InProcessExecutor()
        distributed = _import_distributed(self.spec)
        if self.spec == DASK_LOCAL:
            self._cluster = distributed.LocalCluster(
                n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
            )
            self._client = distributed.Client(self._cluster)
        else:
            address = self.spec.removeprefix(DASK_SCHEME)
            try:
                self._client = distributed.Client("tcp://" + address, timeout=self._patience)
            except (OSError, TimeoutError) as error:
                raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {error}") from None
        return self._client.get_executor(pure=False)


def check_spec(spec: str) -> None:
    """Refuse an executor name we do not know, before any work starts."""
    if spec in (LOCAL, DASK_LOCAL):
        return
    address = spec.removeprefix(DASK_SCHEME)
    host, _, port = address.rpartition(":")
    if not spec.startswith(DASK_SCHEME) or not host or not port.isdigit():
        raise ConfigError(f"--executor {spec!r}: expected 'local', 'dask-local' or 'dask://HOST:PORT'")


def _import_distributed(spec: str) -> Any:
    try:
        import distributed
    except ImportError as error:
        raise ConfigError(f"--executor {spec}: Dask is not installed; install backissue[dask]") from error
    return distributed
