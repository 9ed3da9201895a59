"""The stage contract every engine runs.

A stage turns an iterable of records into an iterator of records, one batch
at a time, and counts what it did. It holds only picklable configuration, so
the local engine can ship it to worker processes and a Spark engine to
executors (``rdd.mapPartitions(stage.run)``) without changes. Modelled on
datatrove's PipelineStep.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class Stage(ABC, Generic[In, Out]):
    """A pipeline step over batches of records."""

    name: str = "stage"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    @abstractmethod
    def process(self, record: In) -> Out:
        """Turn one record into its result. Must not raise for bad data:
        bad data becomes a Problem inside the result."""

    def run(self, records: Iterable[In]) -> Iterator[Out]:
        for record in records:
            self.stats["records"] += 1
            yield self.process(record)

    def __call__(self, records: Iterable[In]) -> Iterator[Out]:
        return self.run(records)
