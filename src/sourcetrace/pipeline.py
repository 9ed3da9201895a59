"""The pipeline's steps and what they share while a run goes on.

``sourcetrace run`` is a list of :class:`PipelineStep` (declared once, in
:data:`sourcetrace.runner.RUN_STEPS`). Each step takes its work from the case,
describes it with the engine's operations (map, group by key, join, a step on
the driver), and hands finished units to the case store, the only writer. A
step never builds an engine: it uses ``context.engine``, whichever it is.

A step decides for itself what is left to do from what the case records as
done (inputs stored, documents segmented, segments with statements, pairs
verified...), which is what makes runs incremental and a killed run resumable.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from sourcetrace.engines import EngineName
from sourcetrace.engines.contract import Engine
from sourcetrace.ingest.extract import Extractor
from sourcetrace.progress import Progress

if TYPE_CHECKING:
    from sourcetrace.store import CaseStore


@dataclass(frozen=True, slots=True)
class RunOptions:
    workers: int | None = None  # default: all cores (the local engine)
    engine: EngineName = "local"  # or "spark" (docs/spark.md)
    master: str | None = None  # the Spark master; default local[*]
    extractor: Extractor = "trafilatura"
    max_document_bytes: int = 50 * 2**20
    min_furniture_documents: int = 3
    claims: tuple[str, ...] = ()  # claims the investigator supplies, one text each (docs/claims.md)
    # Find claims in the statements too: True or False sets it for the case, None keeps the
    # case's setting (off in a new case: on 19k Reuters pages it finds 4,500 claims, and
    # assessing each against the case costs more than the rest of the run; docs/claims.md).
    find_claims: bool | None = None


@dataclass(slots=True)
class RunSummary:
    """What one run added to a case."""

    case: str
    status: str = "finished"  # or "interrupted", "failed"
    inputs: int = 0  # inputs ingested by this run
    skipped_inputs: int = 0  # already in the case, unchanged
    # Files found in folders that are of no kind sourcetrace reads, not read: extension ("" for none) -> count.
    skipped_files: dict[str, int] = field(default_factory=dict)
    folders_without_inputs: list[str] = field(default_factory=list)  # named folders holding no file it reads
    input_bytes: int = 0
    documents: int = 0
    segments: int = 0
    duplicate_segments: int = 0
    resegmented_documents: int = 0  # segmented again because the learned furniture changed
    families: int = 0  # families with at least one copy, over the whole case
    copies: int = 0  # segments derived from another, over the whole case
    statements: int = 0  # statements over the whole case
    altered_occurrences: int = 0  # occurrences whose words differ from their statement's reference form
    claims: int = 0  # claims over the whole case, supplied and found
    positions: int = 0  # positions taken on them, over the whole case
    problems: dict[str, int] = field(default_factory=dict)  # reason -> count, this run
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class RunContext:
    """What every step of one run sees."""

    inputs: list[str]
    store: CaseStore
    engine: Engine
    options: RunOptions
    progress: Progress
    run_id: int
    summary: RunSummary
    scratch: dict[type, object] = field(default_factory=dict)  # what a step hands to later ones, by type


class PipelineStep(ABC):
    """One step of ``sourcetrace run``."""

    name: str = "step"

    @abstractmethod
    def run(self, context: RunContext) -> None:
        """Do what is left of this step's work, storing each finished unit."""
