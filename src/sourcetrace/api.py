"""sourcetrace's public Python API.

Everything the command line does is available here; the CLI is a thin shell
over these names.
"""

from sourcetrace.progress import NullProgress, Progress
from sourcetrace.records import (
    Document,
    FurnitureSpan,
    IngestedInput,
    InputKind,
    InputRecord,
    Problem,
    ProblemReason,
    RawDocument,
    Segment,
    SegmentedDocument,
)
from sourcetrace.runner import RunOptions, RunSummary, run_case
from sourcetrace.store import CaseCounts, CaseError, CaseStore

__all__ = [
    "CaseCounts",
    "CaseError",
    "CaseStore",
    "Document",
    "FurnitureSpan",
    "IngestedInput",
    "InputKind",
    "InputRecord",
    "NullProgress",
    "Problem",
    "ProblemReason",
    "Progress",
    "RawDocument",
    "RunOptions",
    "RunSummary",
    "Segment",
    "SegmentedDocument",
    "run_case",
]
