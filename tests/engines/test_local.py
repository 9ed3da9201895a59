"""The local engine runs any stage on several processes, in input order."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

from sourcetrace.engines import LocalEngine
from sourcetrace.pipeline import Stage


class SquareWithPid(Stage[int, tuple[int, int]]):
    name = "square"

    def process(self, record: int) -> tuple[int, int]:
        return record * record, os.getpid()


def test_results_come_back_in_input_order_from_several_processes() -> None:
    results = list(LocalEngine(workers=2).map(SquareWithPid(), range(200), chunksize=3))
    assert [value for value, _ in results] == [n * n for n in range(200)]
    assert os.getpid() not in {pid for _, pid in results}


def test_one_worker_runs_in_process_without_a_pool() -> None:
    results = list(LocalEngine(workers=1).map(SquareWithPid(), [3, 4]))
    assert results == [(9, os.getpid()), (16, os.getpid())]


def test_the_input_is_consumed_lazily_with_bounded_work_in_flight() -> None:
    consumed: list[int] = []

    def numbers() -> object:
        for n in range(10_000):
            consumed.append(n)
            yield n

    results = LocalEngine(workers=2).map(SquareWithPid(), numbers(), chunksize=5)  # type: ignore[arg-type]
    first = next(results)
    assert first[0] == 0
    assert len(consumed) <= 5 * 2 * 2 + 5  # in-flight chunks only, not the whole input
    results.close()  # type: ignore[attr-defined]


def test_an_empty_input_yields_nothing() -> None:
    assert list(LocalEngine(workers=2).map(SquareWithPid(), [])) == []


class SquareWithThread(Stage[int, tuple[int, int, int]]):
    """Squares, naming the thread and the stage copy that did the work."""

    name = "square-threads"

    def process(self, record: int) -> tuple[int, int, int]:
        self.stats["records"] += 1
        return record * record, threading.get_ident(), id(self)


def test_thread_workers_keep_input_order_and_each_use_their_own_stage_copy() -> None:
    stage = SquareWithThread()
    results = list(LocalEngine(workers=2, threads=True).map(stage, range(500), chunksize=7))
    assert [value for value, _, _ in results] == [n * n for n in range(500)]
    assert id(stage) not in {copy for _, _, copy in results}  # the caller's stage is never shared
    assert len({copy for _, _, copy in results}) <= 2


def test_thread_workers_consume_the_input_lazily() -> None:
    consumed: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(10_000):
            consumed.append(n)
            yield n

    results = LocalEngine(workers=2, threads=True).map(SquareWithThread(), numbers(), chunksize=5)
    assert next(results)[0] == 0
    assert len(consumed) <= 5 * 2 * 2 + 5
