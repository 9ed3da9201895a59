"""The local engine: every operation of the contract on all local cores.

One pool of worker processes serves the whole run, so models (spaCy,
WordLlama) load once per worker, not once per step. A map step is shipped to
the workers once per ``map`` call (through a file, not with every chunk), work
goes out in chunks with a bounded number in flight, so a corpus larger than
memory streams through, and results come back in input order. Whatever the
number of workers, chunks take the same path (:func:`~sourcetrace.engines.contract.run_chunk`), which
returns the step's counters and CPU time with the results.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import count, islice
from multiprocessing.pool import Pool
from typing import Any, TypeVar

from sourcetrace.engines.contract import ChunkResult, MapStep, StepClock, run_chunk

In = TypeVar("In")
Out = TypeVar("Out")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
W = TypeVar("W")
R = TypeVar("R")


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalEngine(StepClock):
    """Runs pipeline steps on ``workers`` local processes (threads for map
    steps that declare ``releases_gil``: numpy work shares memory and needs no
    pickling)."""

    def __init__(self, workers: int | None = None, *, threads: bool = False) -> None:
        super().__init__()
        self._workers = max(1, workers or default_workers())
        self.threads = threads  # every map step on threads
        self._pool: Pool | None = None
        self._step_files: list[str] = []
        self._ids = count()

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def local_disk(self) -> bool:
        return True

    # -- the operations --------------------------------------------------------

    def map(self, step: MapStep[In, Out], records: Iterable[In], *, chunksize: int = 8) -> Iterator[Out]:
        chunks = _chunks(iter(records), chunksize)
        if self._workers == 1:
            results = (run_chunk(step, c) for c in chunks)
            yield from self._gather(results, worker_cpu=False)
        elif self.threads or getattr(step, "releases_gil", False):
            yield from self._gather(_on_threads(step, chunks, self._workers), worker_cpu=False)
        else:
            yield from self._gather(self._on_processes(step, chunks), worker_cpu=True)

    def group_by_key(self, pairs: Iterable[tuple[K, V]]) -> Iterator[tuple[K, list[V]]]:
        groups: dict[K, list[V]] = {}
        for key, value in pairs:
            groups.setdefault(key, []).append(value)
        yield from groups.items()

    def join(self, left: Iterable[tuple[K, V]], right: Iterable[tuple[K, W]]) -> Iterator[tuple[K, V, W]]:
        by_key: dict[K, list[W]] = {}
        for key, right_value in right:
            by_key.setdefault(key, []).append(right_value)
        for key, left_value in left:
            for other in by_key.get(key, ()):
                yield key, left_value, other

    def warm_up(self, step: MapStep[Any, Any]) -> None:
        """One warm-up task per worker process; with one worker, or threads,
        the map would wait for it, so nothing happens."""
        if self._workers == 1 or self.threads or getattr(step, "releases_gil", False):
            return
        pool = self._ensure_pool()
        for _ in range(self._workers):  # each loads for a while, so each worker takes one
            pool.apply_async(_warm_up, (step,))

    def on_driver(self, name: str, work: Callable[[], R]) -> R:
        return work()  # locally the driver is this process; its CPU counts in end_step

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        for path in self._step_files:
            _remove(path)
        self._step_files.clear()

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------

    def _gather(self, results: Iterator[ChunkResult], *, worker_cpu: bool) -> Iterator[Any]:
        for values, counters, cpu in results:
            # in-process and thread CPU is already in process_time()
            self._add_chunk(len(values), counters, cpu if worker_cpu else 0.0)
            yield from values

    def _on_processes(self, step: MapStep[Any, Any], chunks: Iterator[list[Any]]) -> Iterator[ChunkResult]:
        pool = self._ensure_pool()
        shipped = self._ship(step)
        pending: deque[Any] = deque()
        while True:
            while len(pending) < 2 * self._workers:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(pool.apply_async(_run_shipped_chunk, (shipped, chunk)))
            if not pending:
                return
            yield pending.popleft().get()

    def _ensure_pool(self) -> Pool:
        if self._pool is None:
            # spawn, not fork: the parent holds threads (progress display) and an
            # open SQLite connection, neither of which survives a fork safely.
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self._workers, initializer=_start_worker)
        return self._pool

    def _ship(self, step: MapStep[Any, Any]) -> tuple[int, str]:
        """Write the step once to a file the workers read when they first meet it."""
        handle, path = tempfile.mkstemp(prefix=f"sourcetrace-{step.name}-", suffix=".pickle")
        with os.fdopen(handle, "wb") as f:
            pickle.dump(step, f, protocol=pickle.HIGHEST_PROTOCOL)
        self._step_files.append(path)
        return next(self._ids) + os.getpid() * 1_000_000, path


def _chunks(records: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(records, max(1, size))):
        yield chunk


def _on_threads(step: MapStep[Any, Any], chunks: Iterator[list[Any]], workers: int) -> Iterator[ChunkResult]:
    copies: queue.SimpleQueue[MapStep[Any, Any]] = queue.SimpleQueue()
    for _ in range(workers):  # each thread its own copy: steps need not be thread-safe
        copies.put(pickle.loads(pickle.dumps(step)))

    def run(chunk: list[Any]) -> ChunkResult:
        own = copies.get()
        try:
            return run_chunk(own, chunk)
        finally:
            copies.put(own)

    with ThreadPoolExecutor(workers, thread_name_prefix=f"sourcetrace-{step.name}") as pool:
        pending: deque[Future[ChunkResult]] = deque()
        while True:
            while len(pending) < 2 * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(pool.submit(run, chunk))
            if not pending:
                return
            yield pending.popleft().result()


# -- inside a worker process ---------------------------------------------------

_worker_steps: dict[int, MapStep[Any, Any]] = {}


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop


def _warm_up(step: MapStep[Any, Any]) -> None:
    step.warm_up()


def _run_shipped_chunk(shipped: tuple[int, str], chunk: list[Any]) -> ChunkResult:
    key, path = shipped
    step = _worker_steps.get(key)
    if step is None:
        _worker_steps.clear()  # one step at a time: free the last one's caches
        with open(path, "rb") as f:
            step = _worker_steps[key] = pickle.load(f)
    return run_chunk(step, chunk)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):  # already gone: nothing to clean
        os.remove(path)
