"""What a case shows: the view records every reader uses, and the shared viewer.

Records are read by sourcetrace.store.read.CaseReader and rendered by the
terminal commands (report/terminal.py), the HTML report (report/html.py), the
web app (web/app.py) and returned by the public API (sourcetrace.api).
"""

from sourcetrace.views.records import (
    KINDS,
    MARK_END,
    MARK_START,
    DocumentView,
    FamilySummary,
    FamilyView,
    InputView,
    MemberView,
    OccurrenceView,
    Overview,
    Page,
    PairView,
    PassageView,
    ProblemView,
    RunView,
    SearchHit,
    SegmentFilters,
    SegmentView,
    SharedSpan,
    SpeakerView,
    StatementSummary,
    StatementView,
    StepView,
    TraceMatch,
)

__all__ = [
    "KINDS",
    "MARK_END",
    "MARK_START",
    "DocumentView",
    "FamilySummary",
    "FamilyView",
    "InputView",
    "MemberView",
    "OccurrenceView",
    "Overview",
    "Page",
    "PairView",
    "PassageView",
    "ProblemView",
    "RunView",
    "SearchHit",
    "SegmentFilters",
    "SegmentView",
    "SharedSpan",
    "SpeakerView",
    "StatementSummary",
    "StatementView",
    "StepView",
    "TraceMatch",
]
