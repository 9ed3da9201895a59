"""sourcetrace's public Python API: open a case, run it on inputs, read what it found.

    import sourcetrace

    with sourcetrace.open_case("my.case", create=True) as case:
        case.run(["pages/"])
        for family in case.families(limit=10):
            print(family.id, len(family.members), family.origin_evidence)

Everything the command line does is a method of ``Case``; the CLI is a thin
shell over it (docs/api.md). Reads go through a read-only CaseReader; only
``run`` writes, through the runner and CaseStore.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sourcetrace.progress import Progress
from sourcetrace.store import CaseCounts, CaseReader, CaseStore
from sourcetrace.store.case import check_can_create
from sourcetrace.views import (
    ClaimSummary,
    ClaimView,
    EventView,
    FamilyView,
    ProblemView,
    RunView,
    SegmentView,
    SourceView,
    SpeakerView,
    StatementView,
    StorySummary,
    StoryView,
    TraceMatch,
)

if TYPE_CHECKING:  # the runner imports spaCy: reading a case must not pay for it
    from sourcetrace.report.html import ReportBudget
    from sourcetrace.runner import RunOptions, RunSummary


class TraceInputError(ValueError):
    """The text given to trace is empty, unreadable or not text; the message names it and says which."""


def read_text_to_trace(source: str | os.PathLike[str] | IO[bytes]) -> str:
    """The text of a file to trace (a path, or an open binary file such as standard input),
    decoded as plain-text inputs are (BOM, UTF-8, then detection).

    Raises TraceInputError when it cannot be read, is empty (or only white
    space), or holds binary bytes.
    """
    from sourcetrace.ingest.charset import decode_text
    from sourcetrace.ingest.sniff import HEAD_BYTES, looks_binary

    name = str(source) if isinstance(source, (str, os.PathLike)) else str(getattr(source, "name", "the input"))
    try:
        data = Path(source).read_bytes() if isinstance(source, (str, os.PathLike)) else source.read()
    except OSError as error:
        raise TraceInputError(f"{name} cannot be read: {error.strerror or error}") from error
    if looks_binary(data[:HEAD_BYTES]):
        raise TraceInputError(f"{name} is not text: its bytes are binary (NUL or control bytes)")
    text = decode_text(data).text
    if not text.strip():
        raise TraceInputError(f"{name} is empty: there is no text to trace" if not data
                              else f"{name} holds only white space: there is no text to trace")
    return text


def open_case(path: str | os.PathLike[str], *, create: bool = False) -> Case:
    """Open the case file at ``path``; with ``create``, make an empty case there if there is none.

    Raises CaseError when there is no case at ``path`` (and not ``create``),
    when the file is not a sourcetrace case, or when a newer sourcetrace wrote it.
    """
    return Case(Path(path), create=create)


class Case:
    """One case file: what `sourcetrace run` built, and everything the other commands read from it."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        self._opened: CaseReader | None = None
        if create and not path.exists():
            # Made when first run or read, so that a run that can read nothing leaves no empty case behind.
            check_can_create(path)
            return
        if create:
            CaseStore(path, create=True).close()  # the writer checks and migrates the case
        self._opened = CaseReader(path)

    @property
    def _reader(self) -> CaseReader:
        if self._opened is None:  # a new case, not made yet: reads see it empty
            CaseStore(self.path, create=True).close()
            self._opened = CaseReader(self.path)
        return self._opened

    @property
    def reader(self) -> CaseReader:
        """The read-only reader behind this case, for reads the methods here do not offer."""
        return self._reader

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Case {str(self.path)!r}>"

    # -- building ------------------------------------------------------------------------

    def run(self, inputs: Sequence[str | os.PathLike[str]], options: RunOptions | None = None,
            progress: Progress | None = None) -> RunSummary:
        """Ingest ``inputs`` (files and folders, any mix) and bring copies and statements up to date.

        Re-running adds only what is new; an interrupted run is completed by the next.
        Raises NoInputError when ``inputs`` are given and none can be read: the
        case is then left as it was (a new one is not made).
        """
        from sourcetrace.runner import RunOptions, run_case  # spaCy and the rest load only for a run

        return run_case(inputs, self.path, options or RunOptions(), progress)

    # -- what the case holds -------------------------------------------------------------

    def counts(self) -> CaseCounts:
        return self._reader.counts()

    def problems(self, limit: int | None = None) -> list[ProblemView]:
        """What runs could not take, errors first, each with its reason."""
        return self._reader.problems(limit)

    def problems_by_reason(self) -> dict[str, int]:
        return self._reader.problems_by_reason()

    def last_run(self) -> RunView | None:
        """The latest run with its steps' time, CPU and counters; None before any run."""
        return self._reader.last_run()

    # -- copies --------------------------------------------------------------------------

    def families(self, limit: int | None = None) -> list[FamilyView]:
        """Families with at least one copy, largest first, each with its origin and members."""
        return self._reader.families(limit)

    def family_of(self, segment_id: int) -> FamilyView | None:
        """The family of one segment (also a family of one); None for a repeat or an unknown id."""
        return self._reader.family_of(segment_id)

    def family_count(self) -> int:
        """How many families have at least one copy: what ``families`` lists with no limit."""
        return self._reader.family_count()

    def segment(self, segment_id: int) -> SegmentView | None:
        """One segment's metadata (its family, or the segment it repeats); None for an unknown id."""
        return self._reader.segment(segment_id)

    def singletons(self) -> int:
        """How many segments have no copies and copy nothing."""
        return self._reader.singletons()

    def trace(self, text: str) -> list[TraceMatch]:
        """Every segment that copies, excerpts or rewrites ``text`` (the churnalism check), strongest first.

        Raises TraceInputError when ``text`` is empty or only white space: an
        empty list must mean that nothing reuses a text, not that there was none.
        """
        from sourcetrace.report.trace import trace_text  # loads the reuse index code only when tracing

        if not text.strip():
            raise TraceInputError("the text to trace is empty")
        return trace_text(self._reader, text)

    # -- statements ----------------------------------------------------------------------

    def statements(self, speaker: str | None = None, altered_only: bool = False,
                   limit: int | None = None) -> list[StatementView]:
        """Statements with every occurrence, most repeated first.

        ``speaker`` keeps those whose speaker's name contains it (any case);
        ``altered_only`` those with at least one copy whose words differ.
        """
        return self._reader.statements(speaker, altered_only=altered_only, limit=limit)

    def statement_count(self, speaker: str | None = None, altered_only: bool = False) -> int:
        """How many statements ``statements`` lists with no limit."""
        return self._reader.statement_count(speaker, altered_only=altered_only)

    def speakers(self) -> list[SpeakerView]:
        """Speakers by number of statements, with their roles and altered copies."""
        return self._reader.speakers()

    # -- stories -------------------------------------------------------------------------

    def stories(self, limit: int | None = None) -> list[StorySummary]:
        """Stories (one event as the corpus covers it), those with the most independent sources first."""
        return self._reader.stories(limit)

    def story_count(self) -> int:
        return self._reader.story_count()

    def story(self, story_id: int) -> StoryView | None:
        """One story with its families, segments and statements; None for an unknown id."""
        return self._reader.story(story_id)

    # -- sources -------------------------------------------------------------------------

    def sources(self, limit: int | None = None) -> list[SourceView]:
        """The outlets of the case with their types, most segments first (docs/sources.md)."""
        return self._reader.sources(limit)

    def source_count(self) -> int:
        return self._reader.source_count()

    def set_source_type(self, name: str, source_type: str) -> SourceView:
        """Set the type of the source called ``name`` (or with that key or host).

        It is stored apart from what runs compute, so it survives re-runs and
        wins over the shipped lists and any suggestion. Raises ValueError for
        a type that is not one of SOURCE_TYPES, and SourceNameError (a
        ValueError) naming close matches for a name the case does not have.
        """
        from sourcetrace.store.write_sources import set_source_type
        from sourcetrace.stories.source_types import check_source_type
        from sourcetrace.stories.sources import pick_source  # the registry's lists load only to set a type

        check_source_type(source_type)
        source = pick_source(name, self._reader.sources())
        with CaseStore(self.path, create=False) as store:
            set_source_type(store, source.key, source.name, source_type)
        return next(s for s in self._reader.sources() if s.key == source.key)

    # -- timeline ------------------------------------------------------------------------

    def events(self, story: int | None = None, limit: int | None = None) -> list[EventView]:
        """The dated events of the case in date order: each segment's publication and
        every date its text mentions (docs/timeline.md); ``story`` keeps one story's.

        Raises ValueError when ``story`` is given and the case has no such
        story (or no stories yet).
        """
        if story is not None and self._reader.story(story) is None:
            raise ValueError(f"no story {story} in this case" if self._reader.has_stories()
                             else "this case has no stories yet: a run builds them once two segments report one event")
        return self._reader.events(story, limit)

    def event_count(self, story: int | None = None) -> int:
        """How many events ``events`` lists with no limit."""
        return self._reader.event_count(story)

    # -- claims --------------------------------------------------------------------------

    def claims(self, limit: int | None = None) -> list[ClaimSummary]:
        """The claims of the case (docs/claims.md), supplied ones in the order added, then those
        found in the statements; each with how many independent sources support and contest it."""
        return self._reader.claims(limit)

    def claim_count(self) -> int:
        return self._reader.claim_count()

    def claim(self, claim_id: int) -> ClaimView | None:
        """One claim with every position on it, by side, each with its cue and citation; None for an unknown id."""
        return self._reader.claim(claim_id)

    def add_claims(self, texts: Sequence[str], options: RunOptions | None = None,
                   progress: Progress | None = None) -> list[ClaimSummary]:
        """Store the investigator's claims (one text each) and assess only them against the case as it
        stands, without re-running the rest; returns them as stored. A claim already in the case is
        kept as it is; a blank text is skipped."""
        from dataclasses import replace

        from sourcetrace.runner import CLAIM_STEPS, RunOptions, run_case

        wanted = [t for t in texts if t.strip()]
        options = replace(options or RunOptions(), claims=tuple(wanted))
        run_case([], self.path, options, progress, steps=CLAIM_STEPS)
        keys = {" ".join(t.split()) for t in wanted}
        return [c for c in self._reader.claims() if " ".join(c.text.split()) in keys]

    # -- writing views -------------------------------------------------------------------

    def export(self, target: str | os.PathLike[str] | IO[str]) -> None:
        """Write the JSON export (docs/json-export.md) to a path or an open text file."""
        from sourcetrace.report.export import export_json, write_export

        if isinstance(target, (str, os.PathLike)):
            export_json(self._reader, Path(target))
        else:
            write_export(self._reader, target)

    def report(self, path: str | os.PathLike[str], budget: ReportBudget | None = None, *,
               full_paths: bool = False) -> Path:
        """Write the self-contained HTML report to ``path``; returns the path written. Inputs are shown
        relative to the inputs the runs were given (a report gets mailed) unless ``full_paths``."""
        from sourcetrace.report.html import write_report

        with CaseReader(self.path, full_paths=full_paths) as reader:
            write_report(reader, Path(path), budget)
        return Path(path)

    def serve(self, host: str = "127.0.0.1", port: int = 0, announce: Callable[[str], None] = print, *,
              full_paths: bool = False) -> None:
        """Serve the local read-only web app until interrupted, announcing its address first;
        inputs shown as in :meth:`report`."""
        from sourcetrace.web.app import serve

        serve(self.path, host, port, announce, full_paths=full_paths)


# The runner's names, for callers that build options or call run_case
# directly; loaded on first use because the runner imports spaCy.
_FROM_RUNNER = frozenset({"RunOptions", "RunSummary", "run_case"})


def __getattr__(name: str) -> object:
    if name in _FROM_RUNNER:
        from sourcetrace import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'sourcetrace.api' has no attribute {name!r}")
