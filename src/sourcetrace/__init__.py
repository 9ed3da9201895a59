"""sourcetrace: map a pile of collected pages to what was said, by whom, and
how many independent sources stand behind it.

The public API (docs/api.md) is the names in ``__all__``; start with
``sourcetrace.open_case``.
"""

from __future__ import annotations

__version__ = "0.1.0"  # first: modules imported below read it

from typing import TYPE_CHECKING, Any

from sourcetrace.api import Case, TraceInputError, open_case, read_text_to_trace
from sourcetrace.ingest.discover import NoInputError
from sourcetrace.progress import NullProgress, Progress
from sourcetrace.store import CaseCounts, CaseError
from sourcetrace.views import (
    ClaimSummary,
    ClaimView,
    FamilyView,
    MemberView,
    OccurrenceView,
    PassageView,
    PositionView,
    ProblemView,
    RunView,
    SegmentView,
    SpeakerView,
    StatementSummary,
    StatementView,
    StepView,
    TraceMatch,
)

if TYPE_CHECKING:
    from sourcetrace.runner import RunOptions, RunSummary

__all__ = [
    "Case",
    "CaseCounts",
    "CaseError",
    "ClaimSummary",
    "ClaimView",
    "FamilyView",
    "MemberView",
    "NoInputError",
    "NullProgress",
    "OccurrenceView",
    "PassageView",
    "PositionView",
    "ProblemView",
    "Progress",
    "RunOptions",
    "RunSummary",
    "RunView",
    "SegmentView",
    "SpeakerView",
    "StatementSummary",
    "StatementView",
    "StepView",
    "TraceInputError",
    "TraceMatch",
    "__version__",
    "open_case",
    "read_text_to_trace",
]

# The runner imports spaCy (about two seconds); its names load on first use,
# so `import sourcetrace` and the reading commands stay fast.
_FROM_RUNNER = frozenset({"RunOptions", "RunSummary"})


def __getattr__(name: str) -> Any:
    if name in _FROM_RUNNER:
        from sourcetrace import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'sourcetrace' has no attribute {name!r}")
