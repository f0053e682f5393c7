"""Where runs execute: in this process, a local process pool, or a Dask cluster.

All three have one interface, :meth:`Executor.run`, yielding ``(index, result)`` as runs
finish. Each run depends only on its own job (its seed included), so the results are
the same whatever executor or number of workers ran them; only the order of arrival
differs.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from experiments.output import shown
from model.kernels import warm_up

#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 10
#: Dask settings for a local cluster of CPU-bound runs lasting seconds: the defaults
#: (a 20 ms event-loop tick, sampling profiler, frequent system and memory monitors,
#: aggressive malloc trimming) take the cores from the runs; measured on 2 cores they
#: cost about 25% of throughput, these about 6-9%. Set the same on remote workers.
QUIET_WORKERS = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.tick.interval": "200ms",
                 "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "1s",
                 "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
#: The protocols of a Dask scheduler address (``tcp://host:port`` and the like).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")
#: Seconds between a pool worker's checks that the process that started it still lives:
#: a worker whose parent was killed (``kill -9``) ends within this, rather than idling
#: forever with its few hundred MB.
ORPHAN_CHECK_SECONDS = 1.0


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class ExecutorError(RuntimeError):
    """An executor that cannot be used (e.g. an unreachable scheduler)."""


def check_scheduler(address: str) -> None:
    """Refuse a ``--scheduler`` that is neither ``local`` nor ``protocol://host:port``.

    Raises:
        ExecutorError: Naming the address and what is allowed.
    """
    if address == "local" or _is_address(address):
        return
    raise ExecutorError(f"--scheduler {shown(repr(address))} is not a scheduler address; "
                        f"give 'local' or an address like tcp://host:8786 (protocols: "
                        f"{', '.join(SCHEDULER_SCHEMES)})")


def _is_address(address: str) -> bool:
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:  # a port that is not a number in 0-65535
        return False
    extra = parts.path or parts.query or parts.fragment or parts.username
    return (address.isprintable() and parts.scheme in SCHEDULER_SCHEMES
            and bool(parts.hostname) and bool(port) and not extra)


def _check_speaks_dask(address: str) -> None:
    """Refuse a ``tcp://`` address where no Dask scheduler answers.

    A Dask scheduler sends its handshake as soon as a connection opens; a server of
    another kind (a web server, say) waits for a request, and Dask's client would wait
    for it without end.

    Raises:
        ExecutorError: If nothing answers, or what answers says nothing.
    """
    parts = urlsplit(address)
    try:
        with socket.create_connection((parts.hostname, parts.port),
                                      timeout=CONNECT_TIMEOUT) as connection:
            connection.settimeout(CONNECT_TIMEOUT)
            if not connection.recv(1):
                raise TimeoutError
    except TimeoutError:
        raise ExecutorError(f"{shown(address)} answered, but not as a Dask scheduler (it "
                            f"said nothing within {CONNECT_TIMEOUT} s); check the address, "
                            "or use --scheduler local") from None
    except OSError as error:
        raise ExecutorError(f"cannot reach the Dask scheduler at {shown(address)} "
                            f"({error.strerror or type(error).__name__}); check the "
                            "address, or use --scheduler local") from None


class Executor:
    """Runs ``fn(job)`` for every job; subclasses decide where."""

    def run(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Yield ``(index in jobs, result)`` as each run finishes."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SerialExecutor(Executor):
    """Runs in this process, in order."""

    def run(self, fn, jobs):  # noqa: D102
        for index, job in enumerate(jobs):
            yield index, fn(job)


def start_worker(parent: int) -> None:
    """Prepare a pool worker: load the compiled loops, and end with its parent.

    A pool's workers otherwise outlive a parent killed with ``kill -9``, idling forever.

    Args:
        parent: The process id of the process that started the pool.
    """
    warm_up()
    threading.Thread(target=_end_with, args=(parent,), daemon=True,
                     name="end-with-parent").start()


def _end_with(parent: int) -> None:
    """Exit this process once ``parent`` has ended (checked every second)."""
    while _alive(parent):
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether a process runs: neither gone nor a zombie (ended, not yet waited for)."""
    try:
        os.kill(pid, 0)
    except OSError:  # no such process, or another user's: the pid was reused
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:  # no /proc (not Linux): a zombie passes for alive
        return True
    return stat.rsplit(b")", 1)[-1].split()[0] != b"Z"


class PoolExecutor(Executor):
    """A local pool of processes (default: one per core).

    Each worker loads the model's compiled loops as it starts. At most
    ``2 * workers`` runs are in flight, so an interrupted sweep loses few.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        context = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                         initializer=start_worker, initargs=(os.getpid(),))

    def run(self, fn, jobs):  # noqa: D102
        pending, queue = {}, iter(enumerate(jobs))
        while True:
            while len(pending) < 2 * self.workers:
                item = next(queue, None)
                if item is None:
                    break
                pending[self._pool.submit(fn, item[1])] = item[0]
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()

    def close(self) -> None:
        """Cancel runs not started and wait for those under way (one per worker at most).

        Not waiting (``wait=False``) lets Python 3.12's exit race the pool's own
        shutdown, which now and then prints an ``OSError`` after a finished run.
        """
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """A Dask distributed cluster: a scheduler address, or ``local`` for a LocalCluster.

    Needs the ``cluster`` extra (``pip install .[cluster]``).
    """

    def __init__(self, address: str, workers: int | None = None) -> None:
        """Connect to the scheduler at ``address`` (or start a local cluster).

        Raises:
            ExecutorError: For an address that is not one, a missing Dask, or a scheduler
                not reached within :data:`CONNECT_TIMEOUT`.
        """
        check_scheduler(address)
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorError("--scheduler needs Dask: pip install '.[cluster]'") from None
        self._cluster = None
        try:
            if address == "local":
                import dask

                dask.config.set(QUIET_WORKERS)
                self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self.client = Client(self._cluster, timeout=CONNECT_TIMEOUT)
            else:
                if address.startswith("tcp://"):
                    _check_speaks_dask(address)
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            self.client.run(warm_up)  # each worker loads the compiled loops once
        except (OSError, TimeoutError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address} within "
                                f"{CONNECT_TIMEOUT} s ({type(error).__name__}); check the "
                                "address, or use --scheduler local") from None

    def run(self, fn, jobs):
        """Yield ``(index in jobs, result)`` as runs finish, a few runs to a Dask task.

        Runs without agents take a tenth of a second or less, about what the scheduler
        spends on a task; so consecutive jobs go out in chunks (:func:`chunk_size`),
        and each run's result is yielded as its chunk comes back.
        """
        from distributed import as_completed

        workers = max(len(self.client.scheduler_info().get("workers", {})), 1)
        size = chunk_size(len(jobs), workers)
        indexed = list(enumerate(jobs))
        chunks = [indexed[start:start + size] for start in range(0, len(jobs), size)]
        futures = [self.client.submit(_run_chunk, fn, chunk, pure=False) for chunk in chunks]
        for future in as_completed(futures):
            yield from future.result()

    def close(self) -> None:  # noqa: D102
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


#: Most runs in one Dask task: a chunk of small runs lasts about a second, and a run
#: killed with its chunk costs little to run again.
MAX_CHUNK = 16


def chunk_size(jobs: int, workers: int) -> int:
    """Runs per Dask task: at least eight tasks per worker, at most :data:`MAX_CHUNK` runs."""
    return max(1, min(MAX_CHUNK, jobs // (8 * workers)))


def _run_chunk(fn: Callable[[Any], Any], chunk: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """``fn`` on each ``(index, job)`` of a chunk, in a worker."""
    return [(index, fn(job)) for index, job in chunk]


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for the command-line flags ``--workers`` and ``--scheduler``.

    Raises:
        ExecutorError: For an unusable ``--scheduler`` (see :class:`DaskExecutor`).
    """
    if scheduler is not None:
        return DaskExecutor(scheduler, workers)
    if workers == 1:
        return SerialExecutor()
    return PoolExecutor(workers)
