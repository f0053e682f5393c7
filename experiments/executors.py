"""Where runs execute: in this process, a local process pool, or a Dask cluster.

All three have one interface, :meth:`Executor.run`, yielding ``(index, result)`` as runs
finish. Each run depends only on its own job (its seed included), so the results are
the same whatever executor or number of workers ran them; only the order of arrival
differs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

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


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class ExecutorError(RuntimeError):
    """An executor that cannot be used (e.g. an unreachable scheduler)."""


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


class PoolExecutor(Executor):
    """A local pool of processes (default: one per core).

    Each worker loads the model's compiled loops as it starts. At most
    ``2 * workers`` runs are in flight, so an interrupted sweep loses few.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        context = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                         initializer=warm_up)

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
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            self.client.run(warm_up)  # each worker loads the compiled loops once
        except (OSError, TimeoutError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address} within "
                                f"{CONNECT_TIMEOUT} s ({type(error).__name__}); check the "
                                "address, or use --scheduler local") from None

    def run(self, fn, jobs):  # noqa: D102
        from distributed import as_completed

        futures = {self.client.submit(fn, job, pure=False): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def close(self) -> None:  # noqa: D102
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for the command-line flags ``--workers`` and ``--scheduler``."""
    if scheduler:
        return DaskExecutor(scheduler, workers)
    if workers == 1:
        return SerialExecutor()
    return PoolExecutor(workers)
