"""The local engine runs any stage on several processes, in input order."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sourcetrace.engines import LocalEngine
from sourcetrace.engines.contract import MapStep


class SquareWithPid(MapStep[int, tuple[int, int]]):
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


class SquareWithThread(MapStep[int, tuple[int, int, int]]):
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


class CountParity(MapStep[int, int]):
    """Doubles, counting odd and even records."""

    name = "parity"

    def process(self, record: int) -> int:
        self.stats["odd" if record % 2 else "even"] += 1
        return record * 2


def test_counters_come_back_from_the_workers_whatever_their_number() -> None:
    for workers in (1, 2):
        with LocalEngine(workers=workers) as engine:
            engine.begin_step("parity")
            assert list(engine.map(CountParity(), range(101), chunksize=4)) == [n * 2 for n in range(101)]
            report = engine.end_step()
        assert report.step == "parity"
        assert report.records == 101
        assert report.counters == {"odd": 50, "even": 51}


class Busy(MapStep[int, int]):
    name = "busy"

    def process(self, record: int) -> int:
        return sum(i * i for i in range(200_000 + record))


def test_worker_cpu_time_is_counted_in_the_step_report() -> None:
    with LocalEngine(workers=2) as engine:
        list(engine.map(SquareWithPid(), range(4)))  # the pool is up before the step starts
        parent = time.process_time()
        engine.begin_step("busy")
        list(engine.map(Busy(), range(40), chunksize=2))
        report = engine.end_step()
        parent = time.process_time() - parent
    assert report.cpu_seconds > parent + 0.2  # the workers' CPU, not only the waiting parent's
    assert report.started_at.endswith("+00:00")


def test_one_pool_serves_every_map_of_a_run() -> None:
    with LocalEngine(workers=2) as engine:
        first = {pid for _, pid in engine.map(SquareWithPid(), range(50), chunksize=2)}
        second = {pid for _, pid in engine.map(SquareWithPid(), range(50), chunksize=2)}
    assert len(first | second) <= 2 and os.getpid() not in first  # no second pool was started


def test_group_by_key_keeps_first_appearance_order_of_keys_and_input_order_of_values() -> None:
    engine = LocalEngine(workers=1)
    pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)]
    assert list(engine.group_by_key(pairs)) == [("b", [1, 3]), ("a", [2, 5]), ("c", [4])]


def test_join_pairs_every_match_in_the_order_of_the_left_side() -> None:
    engine = LocalEngine(workers=1)
    left = [(1, "x"), (2, "y"), (3, "z")]
    right = [(2, "B"), (1, "A"), (2, "C")]
    assert list(engine.join(left, right)) == [(1, "x", "A"), (2, "y", "B"), (2, "y", "C")]


def test_driver_steps_and_driver_counts_go_to_the_current_step() -> None:
    engine = LocalEngine(workers=1)
    engine.begin_step("families")
    assert engine.on_driver("families", lambda: 42) == 42
    engine.count("relations", 7)
    report = engine.end_step()
    assert report.counters == {"relations": 7}
    assert engine.end_step().counters == {}  # the next report starts empty


class LoadsOnWarmUp(MapStep[int, int]):
    """Its warm-up stands for loading a model: it leaves the worker's pid in a folder."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder

    def warm_up(self) -> None:
        time.sleep(0.5)  # long enough that each worker takes one warm-up task
        with open(os.path.join(self.folder, str(os.getpid())), "w") as marker:
            marker.write("loaded")

    def process(self, record: int) -> int:
        return record


def test_a_warm_up_runs_in_the_worker_processes_without_blocking_the_driver(tmp_path: Path) -> None:
    with LocalEngine(workers=2) as engine:
        list(engine.map(SquareWithPid(), range(4), chunksize=1))  # the pool is up
        engine.warm_up(LoadsOnWarmUp(str(tmp_path)))
        assert os.listdir(tmp_path) == []  # returned before any warm-up was done
        deadline = time.monotonic() + 30
        while len(os.listdir(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    pids = {int(name) for name in os.listdir(tmp_path)}
    assert len(pids) == 2 and os.getpid() not in pids


def test_with_one_worker_a_warm_up_does_nothing(tmp_path: Path) -> None:
    with LocalEngine(workers=1) as engine:
        engine.warm_up(LoadsOnWarmUp(str(tmp_path)))
    assert os.listdir(tmp_path) == []
