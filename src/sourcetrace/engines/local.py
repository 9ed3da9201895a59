"""Run a stage on all local cores.

The stage is sent once to each worker process (not once per record). Work
goes out in chunks with a bounded number in flight, so a corpus larger than
memory streams through, and results come back in input order so that a case
built twice from the same inputs gets the same ids.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

from sourcetrace.pipeline import Stage

In = TypeVar("In")
Out = TypeVar("Out")

_worker_stage: Stage[Any, Any] | None = None


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalEngine:
    """Maps a stage over records with a pool of ``workers`` processes, or
    threads when ``threads`` is set.

    Threads suit stages whose work is numpy on large arrays (MinHash
    signatures), which releases the GIL: they start in microseconds and share
    memory, where a process pool costs about half a second to start and
    pickles every batch both ways. Each thread gets its own copy of the stage,
    as each process does, so stages need not be thread-safe.
    """

    def __init__(self, workers: int | None = None, *, threads: bool = False) -> None:
        self.workers = max(1, workers or default_workers())
        self.threads = threads

    def map(self, stage: Stage[In, Out], records: Iterable[In], *, chunksize: int = 8) -> Iterator[Out]:
        if self.workers == 1:
            yield from stage.run(records)
            return
        if self.threads:
            yield from _map_on_threads(stage, iter(records), self.workers, chunksize)
            return
        # spawn, not fork: the parent may hold threads (progress display) and
        # an open SQLite connection, neither of which survives a fork safely.
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(self.workers, initializer=_start_worker, initargs=(stage,))
        try:
            yield from _ordered_bounded(pool, iter(records), chunksize, in_flight=2 * self.workers)
            pool.close()
        finally:
            pool.terminate()
            pool.join()


def _ordered_bounded(pool: Any, records: Iterator[Any], chunksize: int, in_flight: int) -> Iterator[Any]:
    pending: deque[AsyncResult[list[Any]]] = deque()
    while True:
        while len(pending) < in_flight:
            chunk = list(islice(records, chunksize))
            if not chunk:
                break
            pending.append(pool.apply_async(_process_chunk, (chunk,)))
        if not pending:
            return
        yield from pending.popleft().get()


def _map_on_threads(stage: Stage[In, Out], records: Iterator[In], workers: int, chunksize: int) -> Iterator[Out]:
    copies: queue.SimpleQueue[Stage[In, Out]] = queue.SimpleQueue()
    for _ in range(workers):
        copies.put(pickle.loads(pickle.dumps(stage)))

    def process_chunk(chunk: list[In]) -> list[Out]:
        own = copies.get()  # a stage copy no other thread is using
        try:
            return [own.process(record) for record in chunk]
        finally:
            copies.put(own)

    with ThreadPoolExecutor(workers, thread_name_prefix=f"sourcetrace-{stage.name}") as pool:
        pending: deque[Future[list[Out]]] = deque()
        while True:
            while len(pending) < 2 * workers:
                chunk = list(islice(records, chunksize))
                if not chunk:
                    break
                pending.append(pool.submit(process_chunk, chunk))
            if not pending:
                return
            yield from pending.popleft().result()


def _start_worker(stage: Stage[Any, Any]) -> None:
    global _worker_stage
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    _worker_stage = stage


def _process_chunk(chunk: list[Any]) -> list[Any]:
    assert _worker_stage is not None, "worker started without a stage"
    return [_worker_stage.process(record) for record in chunk]
