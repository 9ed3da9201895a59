"""The Spark engine: every operation of the contract on an Apache Spark cluster.

The same steps as on the local engine, only run by Spark: a map step goes to
the executors once per ``map`` call (a broadcast), and each executor's Python
worker unpickles it once and keeps it, so models (spaCy, WordLlama) load once
per worker, not once per task. Records stream from the case in jobs of
:data:`PARTITIONS_PER_WORKER` partitions per core, so a corpus larger than the
driver's memory passes through; each partition comes back with its results
in input order, its counters and its CPU, exactly as a local chunk does
(:func:`~sourcetrace.engines.contract.run_chunk`). Grouping and joining are
Spark's ``groupByKey`` and ``join``, with the input positions carried along so
that the results keep the order the contract promises.

pyspark is an optional dependency (``pip install 'sourcetrace[spark]'``, with
Java 17): it is imported when the engine starts, not when this module is.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from sourcetrace.engines.contract import ChunkResult, In, K, MapStep, Out, R, StepClock, V, W, run_chunk

if TYPE_CHECKING:
    from pyspark import SparkContext

DEFAULT_MASTER = "local[*]"
# A Spark job costs tens of milliseconds to schedule: each job carries several
# partitions per core (for balance), each several of the step's chunks.
PARTITIONS_PER_WORKER = 4
CHUNKS_PER_PARTITION = 8
RECORDS_PER_SHUFFLE_PARTITION = 20_000
TASK_ATTEMPTS = 4  # a task that fails (a worker killed, an executor lost) is tried this often
_LOCAL_MASTER = re.compile(r"local(?:\[(\d+|\*)\])?")


class SparkUnavailableError(RuntimeError):
    """pyspark is not installed, or Spark could not start (no Java, bad master)."""


class SparkEngine(StepClock):
    """Runs pipeline steps on Spark at ``master`` (``local[*]``, ``local[2]``,
    ``spark://host:7077``, ``yarn``...). One Spark session serves the whole
    run; pass ``context`` to reuse a running SparkContext (it is then left
    running by :meth:`close`)."""

    def __init__(
        self, master: str = DEFAULT_MASTER, *, context: SparkContext | None = None, app_name: str = "sourcetrace"
    ) -> None:
        super().__init__()
        self.master = master
        self._own_context = context is None
        self._context = context if context is not None else start_spark(master, app_name)
        self._workers = max(1, int(self._context.defaultParallelism))

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def local_disk(self) -> bool:
        """A local master's executors are this machine's processes; a cluster's are not."""
        return str(self._context.master).startswith("local")

    # -- the operations --------------------------------------------------------

    def map(self, step: MapStep[In, Out], records: Iterable[In], *, chunksize: int = 8) -> Iterator[Out]:
        context = self._context
        shipped = (uuid.uuid4().hex, context.broadcast(pickle.dumps(step, protocol=pickle.HIGHEST_PROTOCOL)))
        partitions = self._workers * PARTITIONS_PER_WORKER
        per_partition = max(1, chunksize) * CHUNKS_PER_PARTITION
        source = iter(records)
        try:
            while job := list(islice(source, partitions * per_partition)):
                slices = [job[i : i + per_partition] for i in range(0, len(job), per_partition)]
                rdd = context.parallelize(slices, len(slices))
                for values, counters, cpu in rdd.map(lambda chunk: _run_shipped_chunk(shipped, chunk)).collect():
                    self._add_chunk(len(values), counters, cpu)
                    yield from values
        finally:
            shipped[1].unpersist()

    def group_by_key(self, pairs: Iterable[tuple[K, V]]) -> Iterator[tuple[K, list[V]]]:
        indexed = [(key, (position, value)) for position, (key, value) in enumerate(pairs)]
        if not indexed:
            return
        slices = self._slices(len(indexed))
        grouped = self._context.parallelize(indexed, slices).groupByKey(slices).map(_in_input_order)
        for _, key, values in sorted(grouped.collect(), key=lambda group: group[0]):
            yield key, values

    def join(self, left: Iterable[tuple[K, V]], right: Iterable[tuple[K, W]]) -> Iterator[tuple[K, V, W]]:
        lefts = [(key, (position, value)) for position, (key, value) in enumerate(left)]
        rights = [(key, (position, value)) for position, (key, value) in enumerate(right)]
        if not lefts or not rights:
            return
        context = self._context
        slices = self._slices(len(lefts) + len(rights))
        joined = context.parallelize(lefts, slices).join(context.parallelize(rights, slices), slices)
        # (key, ((left position, left value), (right position, right value))), in left then right order
        for key, ((_, left_value), (_, right_value)) in sorted(joined.collect(), key=_positions_of_match):
            yield key, left_value, right_value

    def warm_up(self, step: MapStep[Any, Any]) -> None:
        """Nothing: Spark gives no way to reach every executor without a job,
        and an executor loads a model once, at its first task."""

    def on_driver(self, name: str, work: Callable[[], R]) -> R:
        return work()  # the driver is this process: its CPU counts in end_step

    def close(self) -> None:
        if self._own_context:
            self._context.stop()

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _slices(self, records: int) -> int:
        """Partitions for a shuffle over ``records`` pairs: every task costs a
        Python worker's round trip, so small inputs take few partitions."""
        return max(1, min(-(-records // RECORDS_PER_SHUFFLE_PARTITION), self._workers * PARTITIONS_PER_WORKER))


def start_spark(master: str = DEFAULT_MASTER, app_name: str = "sourcetrace") -> SparkContext:
    """A SparkContext at ``master`` whose Python workers run this interpreter.
    Fails with :class:`SparkUnavailableError`, saying what to install."""
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError as error:
        raise SparkUnavailableError(
            "the Spark engine needs pyspark: pip install 'sourcetrace[spark]' (and Java 17)"
        ) from error
    # Executors' Python must be the one that has sourcetrace and its models installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    conf = (
        SparkConf()
        .setMaster(with_task_retries(master))
        .setAppName(app_name)
        .set("spark.ui.enabled", "false")  # nothing listens on a port unless asked
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.python.worker.reuse", "true")  # a worker keeps its step, and its models, between tasks
        .set("spark.task.maxFailures", str(TASK_ATTEMPTS))  # on a cluster; locally see with_task_retries
    )
    try:  # not getOrCreate: a context already running elsewhere in this process would ignore ``master``
        context = SparkContext(conf=conf)
    except Exception as error:  # py4j and Java failures have no common type
        raise SparkUnavailableError(f"Spark could not start at {master!r}: {error}") from error
    context.setLogLevel("ERROR")
    return context


def with_task_retries(master: str) -> str:
    """``master``, with local masters given task retries: Spark ignores
    ``spark.task.maxFailures`` in local mode, where ``local[N]`` means a task
    that fails once (a killed Python worker) fails the whole job;
    ``local[N,F]`` retries it."""
    found = _LOCAL_MASTER.fullmatch(master.strip())
    if found is None:
        return master
    return f"local[{found.group(1) or 1},{TASK_ATTEMPTS}]"


# -- inside an executor's Python worker ------------------------------------------

_worker_steps: dict[str, MapStep[Any, Any]] = {}


def _run_shipped_chunk(shipped: tuple[str, Any], chunk: list[Any]) -> ChunkResult:
    key, broadcast = shipped
    step = _worker_steps.get(key)
    if step is None:
        _worker_steps.clear()  # one step at a time: free the last one's caches
        step = _worker_steps[key] = pickle.loads(broadcast.value)
    return run_chunk(step, chunk)


def _positions_of_match(row: tuple[Any, tuple[tuple[int, Any], tuple[int, Any]]]) -> tuple[int, int]:
    _, (left, right) = row
    return left[0], right[0]


def _in_input_order(group: tuple[Any, Iterable[tuple[int, Any]]]) -> tuple[int, Any, list[Any]]:
    """(first position, key, values by position) of one ``groupByKey`` group."""
    key, positioned = group
    ordered = sorted(positioned, key=lambda item: item[0])
    return ordered[0][0], key, [value for _, value in ordered]


__all__ = ["DEFAULT_MASTER", "SparkEngine", "SparkUnavailableError", "start_spark", "with_task_retries"]
