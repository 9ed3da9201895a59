"""The engine contract: what every step of the pipeline may ask of an engine.

A pipeline step never loops over records itself and never builds an engine:
it describes its work with the four operations below, named after Spark's
(``mapPartitions``, ``groupByKey``, ``join``, and a step on the driver), and
the engine it is given runs them: :class:`~sourcetrace.engines.local.LocalEngine`
on all local cores, a Spark engine on a cluster. Modelled on datatrove, whose
executors own the loop while steps only say what to do with a batch.

Per-record work is a :class:`MapStep`: a small class holding only picklable
configuration, so that it can be shipped once to each worker. The engine
collects each step's counters from its workers and reports them, with time
and CPU, as one :class:`StepReport` per pipeline step.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
W = TypeVar("W")
R = TypeVar("R")


class MapStep(ABC, Generic[In, Out]):
    """Per-record work: one record in, one result out.

    ``process`` must not raise for bad data: bad data becomes a problem inside
    the result. ``stats`` counts what happened; the engine sums every worker's
    counts into the step's report.
    """

    name: str = "step"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    @abstractmethod
    def process(self, record: In) -> Out:
        """Turn one record into its result."""

    def warm_up(self) -> None:
        """Load what ``process`` needs (a model), so that a later map starts at
        full speed; by default nothing. See :meth:`Engine.warm_up`."""

    def run(self, records: Iterable[In]) -> Iterator[Out]:
        """One partition of records (Spark's ``mapPartitions``)."""
        for record in records:
            yield self.process(record)


ChunkResult = tuple[list[Any], dict[str, int], float]  # results, counters, worker CPU seconds


def run_chunk(step: MapStep[Any, Any], chunk: list[Any]) -> ChunkResult:
    """The one path every chunk takes, on every engine: results, the counters
    they added, CPU."""
    cpu = time.process_time()
    results = list(step.run(chunk))
    counters = dict(step.stats)
    step.stats.clear()
    return results, counters, time.process_time() - cpu


@dataclass(slots=True)
class StepReport:
    """What one pipeline step did in one run: stored in the case's ``run_steps``."""

    step: str
    started_at: str = ""  # ISO 8601 UTC, milliseconds
    seconds: float = 0.0  # wall time
    cpu_seconds: float = 0.0  # the main process and every worker
    records: int = 0  # records the step's map operations processed
    counters: Counter[str] = field(default_factory=Counter)


class StepClock:
    """The step-report bookkeeping every engine shares: :meth:`begin_step`,
    :meth:`end_step` and :meth:`count` of the contract. Engines add their
    workers' records, counters and CPU to ``_report`` as results come back."""

    def __init__(self) -> None:
        self._report = StepReport("")
        self._cpu_at_start = 0.0
        self._clock_at_start = 0.0

    def begin_step(self, name: str) -> None:
        started = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._report = StepReport(name, started_at=started)
        self._cpu_at_start, self._clock_at_start = time.process_time(), time.monotonic()

    def end_step(self) -> StepReport:
        report = self._report
        report.seconds = round(time.monotonic() - self._clock_at_start, 3)
        report.cpu_seconds = round(report.cpu_seconds + time.process_time() - self._cpu_at_start, 3)
        self._report = StepReport("")
        return report

    def count(self, name: str, value: int = 1) -> None:
        self._report.counters[name] += value

    def _add_chunk(self, records: int, counters: dict[str, int], worker_cpu: float) -> None:
        """One chunk's results came back: ``worker_cpu`` is CPU spent outside this process."""
        self._report.records += records
        self._report.counters.update(counters)
        self._report.cpu_seconds += worker_cpu


class Engine(Protocol):
    """Runs the operations of pipeline steps. Results keep input order, so a
    case built twice from the same inputs gets the same ids."""

    @property
    def workers(self) -> int:
        """How many records the engine works on at once."""

    @property
    def local_disk(self) -> bool:
        """Whether every worker writes this machine's disk, so a file a worker writes can be read
        where the results are gathered (a large input's documents wait there: ingest/spill.py)."""

    def map(self, step: MapStep[In, Out], records: Iterable[In], *, chunksize: int = 8) -> Iterator[Out]:
        """``step.process`` over every record, in input order (``mapPartitions``).
        ``chunksize`` records travel together to a worker."""

    def group_by_key(self, pairs: Iterable[tuple[K, V]]) -> Iterator[tuple[K, list[V]]]:
        """Values grouped by key (``groupByKey``): each key once, values in
        input order, keys in order of first appearance."""

    def join(self, left: Iterable[tuple[K, V]], right: Iterable[tuple[K, W]]) -> Iterator[tuple[K, V, W]]:
        """Inner join on key (``join``): one row per matching pair, in the
        order of ``left``."""

    def warm_up(self, step: MapStep[Any, Any]) -> None:
        """Have the workers run ``step.warm_up`` in the background and return
        at once: a step about to work on the driver alone leaves them idle, and
        a model they load meanwhile is not loaded in the next map's time. A
        hint: an engine may do nothing, and a failure shows in the map itself."""

    def on_driver(self, name: str, work: Callable[[], R]) -> R:
        """A whole-case step that needs a global view (furniture learning,
        families): run once, where the results are gathered, and counted
        under ``name``."""

    def begin_step(self, name: str) -> None:
        """A pipeline step starts: time, CPU and counters go to its report."""

    def end_step(self) -> StepReport:
        """The current pipeline step is over: its report."""

    def count(self, name: str, value: int = 1) -> None:
        """Add to a counter of the current step (work done on the driver)."""

    def close(self) -> None:
        """Release the workers."""
