"""The ``sourcetrace`` command: a thin shell over sourcetrace.api.

Each command opens the case through the API, calls one method and prints
the result. The CASE argument, and turning a CaseError into a one-line error
with exit status 1, are written once: ``case_argument`` and ``case_errors``.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from sourcetrace import __version__
from sourcetrace.api import Case, TraceInputError, open_case, read_text_to_trace
from sourcetrace.engines import ENGINES, SparkUnavailableError
from sourcetrace.ingest.discover import NoInputError
from sourcetrace.ingest.extract import EXTRACTORS
from sourcetrace.report.terminal import (
    claim_sides,
    claims_table,
    family_tree,
    position_text,
    reuse_label,
    run_line,
    run_summary_table,
    skipped_files_text,
    statement_block,
    steps_table,
)
from sourcetrace.store import CaseError
from sourcetrace.stories.source_types import SOURCE_TYPES
from sourcetrace.views import EventView, ProblemView, StoryView
from sourcetrace.wording import more_line, plural

if TYPE_CHECKING:
    from sourcetrace.runner import RunOptions, RunSummary

console = Console(stderr=True)
out = Console()
P = ParamSpec("P")


@contextmanager
def case_errors() -> Iterator[None]:
    """A CaseError (no case, not a case, too new) as a click error: its message, exit status 1."""
    try:
        yield
    except CaseError as error:
        raise click.ClickException(str(error)) from error


def case_argument(command: Callable[Concatenate[Case, P], None]) -> Callable[..., None]:
    """Adds the CASE argument: the command receives the opened Case, closed when it returns.

    Put it right under ``@cli.command()``, so that CASE is the first argument.
    """

    @click.argument("case_path", metavar="CASE", type=click.Path(dir_okay=False, path_type=Path))
    @functools.wraps(command)
    def with_case(case_path: Path, *args: P.args, **kwargs: P.kwargs) -> None:
        with case_errors(), open_case(case_path) as case:
            command(case, *args, **kwargs)

    return with_case


class RichProgressBar:
    """Adapts rich's progress display to sourcetrace.progress.Progress."""

    def __init__(self, display: RichProgress) -> None:
        self.display = display
        self.task: object | None = None

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:  # close the previous phase as complete
            done = self.display.tasks[-1]
            final = done.total if done.total is not None else max(done.completed, 1)
            self.display.update(self.task, total=final, completed=final)  # type: ignore[arg-type]
        self.task = self.display.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.display.advance(self.task, steps)  # type: ignore[arg-type]


@click.group()
@click.version_option(__version__, prog_name="sourcetrace")
def cli() -> None:
    """Trace what was published about an event: clean text, copies,
    statements and how many independent sources stand behind them."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--case", "case_path", type=click.Path(dir_okay=False, path_type=Path), default="sourcetrace.case",
              show_default=True, help="The case file to create or extend.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Run the steps on this machine's cores, or on Apache Spark (the spark extra, Java 17).")
@click.option("--master", default=None, metavar="URL",
              help="With --engine spark: the Spark master (default local[*]; spark://HOST:7077, yarn...).")
@click.option("--extractor", type=click.Choice(EXTRACTORS), default="trafilatura", show_default=True,
              help="HTML main-text extractor; resiliparse is faster, trafilatura more accurate.")
@click.option("--max-document-mb", type=click.FloatRange(min=0.001), default=50.0, show_default=True,
              help="A single page larger than this is recorded as a problem instead of read.")
@click.option("--claims", "claims_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A UTF-8 text file of claims to assess, one per line (# starts a comment line).")
@click.option("--find-claims/--no-find-claims", default=None,
              help="Also find claims in the statements (kept for later runs of the case; off in a new case).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(inputs: tuple[Path, ...], case_path: Path, workers: int | None, engine: str, master: str | None,
        extractor: str, max_document_mb: float, claims_file: Path | None, find_claims: bool | None, quiet: bool) -> None:
    """Ingest INPUTS (files and folders, any mix) into a case.

    With no INPUTS, runs on the demo corpus that ships with sourcetrace (and,
    without --claims, on its claims file, finding claims too). Re-running adds only what is new;
    an interrupted run is completed by the next. In folders, files of no supported kind are
    skipped and counted. When nothing given can be read, fails naming each path and leaves
    the case as it was.
    """
    # Imported here: the run pulls in spaCy, which the reading commands
    # (trace, copies, quotes...) need not pay for at start-up.
    from sourcetrace.runner import RunOptions, demo_claims_path, demo_corpus_path

    if not inputs:
        demo = demo_corpus_path()
        if demo is None:
            raise click.UsageError("no INPUT given and the demo corpus (examples/demo) is not installed")
        console.print(f"No input given: running on the demo corpus in [bold]{demo}[/]")
        inputs = (demo,)
        claims_file = claims_file or demo_claims_path()
        find_claims = True if find_claims is None else find_claims
    if master is not None and engine != "spark":
        raise click.UsageError("--master is for --engine spark")
    options = RunOptions(workers=workers, engine=engine, master=master, extractor=extractor,  # type: ignore[arg-type]
                         max_document_bytes=int(max_document_mb * 2**20),
                         claims=tuple(read_claims_file(claims_file)) if claims_file else (), find_claims=find_claims)
    try:
        with case_errors(), open_case(case_path, create=True) as case:
            summary = _run_with_progress(case, list(inputs), options, quiet)
    except KeyboardInterrupt:
        console.print(f"[yellow]Interrupted.[/] {case_path} is valid; run the same command again to complete it.")
        sys.exit(130)
    except NoInputError as error:
        raise click.ClickException(_no_input_message(error)) from error
    except SparkUnavailableError as error:
        raise click.ClickException(str(error)) from error
    _print_summary(summary)
    for folder in summary.folders_without_inputs:
        console.print(f"[yellow]Warning:[/] {escape(folder)} holds no file of a kind sourcetrace reads.", highlight=False,
                      soft_wrap=True)


def _no_input_message(error: NoInputError) -> str:
    """One line per path, so that each missing path is named plainly."""
    lines = "".join(f"\n  {problem.path}: {problem.message}" for problem in error.problems)
    return f"nothing could be read, so no case was changed or made:{lines}"


def read_claims_file(path: Path) -> list[str]:
    """The claims of a UTF-8 file: one per line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise click.BadParameter(f"{path} is not UTF-8 text ({error.reason}); save it as UTF-8",
                                 param_hint="claims file") from error
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _run_with_progress(case: Case, inputs: list[Path], options: RunOptions, quiet: bool) -> RunSummary:
    if quiet or not console.is_terminal:
        return case.run(inputs, options)
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=console, transient=False) as display:
        return case.run(inputs, options, RichProgressBar(display))


def _print_summary(summary: RunSummary) -> None:
    out.print(run_summary_table(summary))


@cli.command()
@case_argument
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="List at most this many problems (0: all).")
def status(case: Case, limit: int) -> None:
    """Show what CASE holds: inputs, documents, segments, problems, and the last run's steps."""
    counts = case.counts()
    table = Table(title=f"Case {case.path}", show_header=False, title_justify="left")
    table.add_row("inputs", f"{counts.inputs:,} ({counts.input_bytes / 2**20:,.1f} MB)")
    table.add_row("documents", f"{counts.documents:,}")
    table.add_row("segments", f"{counts.segments:,} ({counts.duplicate_segments:,} repeated within their page)")
    if counts.unsegmented_documents:
        table.add_row("not yet segmented", f"{counts.unsegmented_documents:,} (run again to complete)")
    table.add_row("problems", f"{counts.problems:,}")
    for reason, count in case.problems_by_reason().items():
        table.add_row(f"  {reason}", f"{count:,}")
    out.print(table)
    last_run = case.last_run()
    if last_run is not None:
        out.print(run_line(last_run), markup=False, highlight=False, soft_wrap=True)
        if last_run.skipped_files:
            out.print(f"skipped: {skipped_files_text(last_run.skipped_files)}", markup=False, highlight=False)
        if last_run.steps:
            out.print(steps_table(last_run))
    problems = case.problems(limit or None)
    if problems:
        _print_problems(problems)
        _print_more(counts.problems, len(problems))


def _print_problems(problems: list[ProblemView]) -> None:
    """One line per problem, never wrapped, so paths stay greppable."""
    out.print("\n[bold]Problems[/]")
    for p in problems:
        where = p.path if p.ordinal is None else f"{p.path} #{p.ordinal}"
        out.print(f"{p.reason} ({p.severity})  {where}: {p.message}", markup=False, soft_wrap=True, highlight=False)


@cli.command()
@case_argument
@click.option("--json", "json_path", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the export here (- for standard output).")
def export(case: Case, json_path: str) -> None:
    """Export CASE as one versioned JSON document (docs/json-export.md)."""
    case.export(sys.stdout if json_path == "-" else json_path)
    if json_path != "-":
        console.print(f"Wrote {json_path}")


@cli.command()
@case_argument
@click.argument("segment", required=False, type=int)
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Show at most this many families (0: all).")
def copies(case: Case, segment: int | None, limit: int) -> None:
    """List families of copies in CASE, largest first, or the family of SEGMENT.

    Each family has one origin (or an undetermined one) and its copies:
    exact, near_exact, excerpt or rewrite, each under the segment it copies.
    """
    if segment is not None:
        _print_family_of(case, segment)
        return
    families = case.families(limit or None)
    for listed in families:
        out.print(family_tree(listed))
    total, singletons = case.family_count(), case.singletons()
    out.print(f"{len(families):,} of {plural(total, 'family', 'families')} with copies shown; "
              f"{plural(singletons, 'segment')} {'has' if singletons == 1 else 'have'} no copies and copy nothing.")
    _print_more(total, len(families))


def _print_family_of(case: Case, segment_id: int) -> None:
    """The family of a segment; for a repeat within its page, the family of the segment it repeats."""
    name = case.path.name
    segment = case.segment(segment_id)
    if segment is None:
        raise click.ClickException(f"{name} has no segment {segment_id} (sourcetrace copies {name} lists families)")
    shown_id = segment_id
    if segment.duplicate_of is not None:
        shown_id = segment.duplicate_of
        out.print(f"Segment {segment_id} is a repeat of segment {shown_id} within its page; "
                  f"the family of segment {shown_id}:", markup=False, highlight=False, soft_wrap=True)
    family = case.family_of(shown_id)
    if family is None:  # the run that would place it stopped before the families step
        raise click.ClickException(f"segment {shown_id} is not in {name}'s copy map yet: run "
                                   f"`sourcetrace run --case {case.path}` again to complete it")
    out.print(family_tree(family))


def _print_more(total: int, shown: int, option: str = "--limit 0") -> None:
    """The line that ends a truncated listing: how many were left out and how to see them."""
    line = more_line(total, shown, option)
    if line is not None:
        out.print(line, markup=False, highlight=False)


@cli.command()
@case_argument
@click.argument("text_file", metavar="FILE", type=click.Path(allow_dash=True, path_type=str))
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="Show at most this many reusing segments (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print every match as JSON (see docs/copies.md).")
def trace(case: Case, text_file: str, limit: int, as_json: bool) -> None:
    """List every segment of CASE that reuses the text in FILE (- for standard input).

    FILE is a press release, a statement or any text: the churnalism check.
    Each reusing segment is shown with its kind (exact, near_exact, excerpt,
    rewrite), score, and the passages it shares with FILE.
    """
    try:  # an empty, unreadable or binary FILE is an error: "nothing reuses it" would mislead
        text = read_text_to_trace(sys.stdin.buffer if text_file == "-" else text_file)
    except TraceInputError as error:
        raise click.ClickException(str(error)) from error
    matches = case.trace(text)
    if as_json:
        from sourcetrace.report.trace import trace_json  # with the reuse index code, loaded only to trace

        click.echo(trace_json(matches))
        return
    if not matches:
        out.print("No segment of the case reuses this text.")
        return
    shown = matches[: limit or None]
    for match in shown:
        out.print(reuse_label(match, text))
    _print_more(len(matches), len(shown))


@cli.command()
@case_argument
def voices(case: Case) -> None:
    """List the speakers in CASE with their roles, statement counts and altered copies."""
    table = Table(title=f"Speakers in {case.path}", title_justify="left")
    table.add_column("speaker", ratio=1)
    table.add_column("role", ratio=1)
    for numeric in ("stmts", "copies", "altered"):  # short headers leave the width to names and roles
        table.add_column(numeric, justify="right", no_wrap=True)
    for s in case.speakers():
        table.add_row(s.speaker, "; ".join(s.roles), f"{s.statements:,}", f"{s.occurrences:,}",
                      f"[bold red]{s.altered:,}[/]" if s.altered else "0")
    out.print(table)


@cli.command()
@case_argument
@click.option("--speaker", help="Only statements by speakers whose name contains this.")
@click.option("--altered", is_flag=True, help="Only statements with at least one altered copy.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="0: all.")
def quotes(case: Case, speaker: str | None, altered: bool, limit: int) -> None:
    """List statements in CASE with every occurrence; altered copies show a word-level diff."""
    found = case.statements(speaker, altered_only=altered, limit=limit or None)
    if not found:
        out.print("No statement matches.")
    plain_diff = not out.is_terminal or out.no_color  # without colour the diff needs its markers in the text
    for statement in found:
        out.print(statement_block(statement, plain_diff=plain_diff))
    if limit:
        _print_more(case.statement_count(speaker, altered_only=altered), len(found))


@cli.command()
@case_argument
@click.argument("story", required=False, type=int)
@click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True, help="0: all.")
def stories(case: Case, story: int | None, limit: int) -> None:
    """List the stories in CASE (one event each), most independent sources first, or STORY in full."""
    if story is not None:
        found = case.story(story)
        if found is None:
            name = case.path.name
            raise click.ClickException(f"{name} has no story {story} (sourcetrace stories {name} lists them)")
        _print_story(found, case.path)
        return
    listed = case.stories(limit or None)
    if not listed:
        out.print("No stories: no two segments of the case report one event.")
        return
    table = Table(title=f"Stories in {case.path}", title_justify="left")
    for column in ("id", "title", "sources", "segments", "outlets", "published"):
        table.add_column(column, justify="right" if column in ("id", "sources", "segments") else "left",
                         ratio=1 if column in ("title", "outlets") else None)
    for s in listed:
        table.add_row(str(s.id), s.title, f"{s.independent_sources:,}", f"{s.segments:,}", ", ".join(s.outlets),
                      _date_range(s.first_published, s.last_published))
    out.print(table)
    _print_more(case.story_count(), len(listed))


def _date_range(first: str | None, last: str | None) -> str:
    first, last = (first or "")[:10], (last or "")[:10]
    return first if first == last else f"{first} – {last}"


def _print_story(found: StoryView, case_path: Path) -> None:
    """One story: its figures, then its segments in date order, each under its family."""
    s = found.story
    lines = [f"Story {s.id}: {s.title}",
             f"{plural(s.independent_sources, 'independent source')}; {plural(s.families, 'family', 'families')}, "
             f"{plural(s.segments, 'segment')}",
             f"published {_date_range(s.first_published, s.last_published)}",
             f"outlets: {', '.join(s.outlets) or '(unknown)'}"]
    if s.agencies:
        lines.append(f"credited: {', '.join(s.agencies)}")
    lines.append("")
    for segment in found.segments:
        details = " · ".join(d for d in (segment.where(), segment.credit and f"credit: {segment.credit}",
                                         segment.published) if d)
        lines.append(f"  family {segment.family}  #{segment.id} {segment.title or '(untitled)'}  {details}")
    if found.statements:
        lines.append(f"\n{plural(len(found.statements), 'statement')} (sourcetrace quotes {case_path} shows them "
                     "in full):")
        lines.extend(f"  {st.speaker}: {st.text[:100]}" for st in found.statements[:10])
    mentioned = [e for e in found.events if e.kind == "mentioned" and e.date]
    if mentioned:
        lines.append(f"\n{plural(len(mentioned), 'date')} mentioned (sourcetrace timeline {case_path} --story {s.id}"
                     " lists them):")
        lines.extend(f"  {e.date}  {e.text}  (#{e.segment})" for e in mentioned[:10])
    out.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


@cli.command()
@case_argument
@click.option("--set", "settings", multiple=True, metavar="NAME=TYPE",
              help=f"Set a source's type (repeatable); TYPE is one of: {', '.join(SOURCE_TYPES)}.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="0: all.")
def sources(case: Case, settings: tuple[str, ...], limit: int) -> None:
    """List the outlets in CASE with their types, most segments first, or set types with --set.

    A type comes from the lists sourcetrace ships, or from --set, which
    survives re-runs; a suggested type (aggregator, content farm) is read
    off an outlet's behaviour and shown with its evidence, never applied.
    """
    for setting in settings:
        name, equals, source_type = setting.rpartition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"{setting!r} is not NAME=TYPE", param_hint="--set")
        try:
            changed = case.set_source_type(name, source_type.strip())
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        out.print(f"{changed.name}: {changed.type} (set by you; kept by later runs)", markup=False, highlight=False)
    if not settings:
        _print_sources(case, limit)


def _print_sources(case: Case, limit: int) -> None:
    """One line per source (never wrapped, so names stay greppable), its suggestion under it."""
    listed = case.sources(limit or None)
    if not listed:
        out.print("No sources: no segment of the case has a URL, a site name or a credit line.")
        return
    for s in listed:
        kind = f"{s.type} (set by you)" if s.set_by_user else s.type
        kind += f", typology {s.typology}" if s.typology else ""
        counted = plural(s.segments, "segment") + (f", {s.credited:,} crediting it" if s.credited else "")
        hosts = ", ".join(s.hosts[:3]) + (f" and {len(s.hosts) - 3} more" if len(s.hosts) > 3 else "")
        line = "  ".join(part for part in (f"#{s.id}", s.name, f"[{kind}]", counted, hosts) if part)
        out.print(line, markup=False, highlight=False, soft_wrap=True)
        if s.suggested_type:
            out.print(f"    suggested: {s.suggested_type}: {s.evidence}", markup=False, highlight=False,
                      soft_wrap=True)
    _print_more(case.source_count(), len(listed))


@cli.command()
@case_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write (default: CASE with .html).")
@click.option("--full-paths", is_flag=True,
              help="Show inputs' full paths (default: relative to the inputs the runs were given).")
def report(case: Case, output: Path | None, full_paths: bool) -> None:
    """Write a self-contained HTML report of CASE: one file that opens offline and can be mailed."""
    written = case.report(output or case.path.with_suffix(".html"), full_paths=full_paths)
    console.print(f"Wrote {written}")


@cli.command()
@case_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one).")
@click.option("--full-paths", is_flag=True,
              help="Show inputs' full paths (default: relative to the inputs the runs were given).")
def serve(case: Case, host: str, port: int, full_paths: bool) -> None:
    """Browse CASE in a local, read-only web app: families, side by side, search, citations."""
    case.serve(host, port, announce=out.print, full_paths=full_paths)


@cli.command()
@case_argument
@click.option("--story", type=int, default=None, help="Only the events of this story (sourcetrace stories CASE).")
@click.option("--limit", type=click.IntRange(min=0), default=200, show_default=True, help="0: all.")
def timeline(case: Case, story: int | None, limit: int) -> None:
    """List the dated events of CASE in date order: publications and the dates their texts mention.

    Each line gives the date at its precision, the kind, the segment and its
    title, and the expression as written; relative dates ("last month", "on
    Wednesday") are resolved against their segment's publication date.
    """
    try:
        found = case.events(story, limit or None)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if not found:
        out.print("No dated events.")
        return
    for event in found:
        out.print(_event_line(event), markup=False, highlight=False, soft_wrap=True)
    _print_more(case.event_count(story), len(found))


def _event_line(event: EventView) -> str:
    """date (precision)  kind  #segment title: "expression" [span]; one line, never wrapped."""
    written = "" if event.text is None else f' "{event.text}" [{event.start}:{event.end}]'
    story = "" if event.story is None else f"  story {event.story}"
    return (f"{event.date or '(unresolved)':<25} {event.precision:<8} {event.kind:<9}"
            f" #{event.segment} {event.title or '(untitled)'}:{written}{story}")


@cli.command()
@case_argument
@click.argument("claim", required=False, type=int)
@click.option("--add", "add_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Add the claims in this UTF-8 file (one per line) and assess only them.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (the view records of docs/api.md).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="With --add: worker processes.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="0: all.")
def claims(case: Case, claim: int | None, add_file: Path | None, as_json: bool, workers: int | None,
           limit: int) -> None:
    """List the claims of CASE with the independent sources that support and contest each, or CLAIM
    with every position side by side, each with the cue that decided it and its citation."""
    if add_file is not None:
        from sourcetrace.runner import RunOptions

        added = case.add_claims(read_claims_file(add_file), RunOptions(workers=workers))
        console.print(f"{plural(len(added), 'claim')} stored and assessed: {', '.join(str(c.id) for c in added)}")
    if claim is not None:
        _print_claim(case, claim, as_json)
        return
    listed = case.claims(limit or None)
    left_out = more_line(case.claim_count(), len(listed))
    if as_json:
        click.echo(json.dumps([asdict(c) for c in listed], ensure_ascii=False, indent=2))
        if left_out:  # on standard error, so that standard output stays one JSON document
            console.print(left_out, markup=False, highlight=False)
    elif not listed:
        out.print(f"No claims: supply some with `sourcetrace run ... --claims FILE` or `sourcetrace claims {case.path} "
                  "--add FILE`; claims are also found when two independent sources state one proposition.")
    else:
        out.print(claims_table(listed, f"Claims in {case.path} (sources are families of copies)"))
        if left_out:
            out.print(left_out, markup=False, highlight=False)


def _print_claim(case: Case, claim_id: int, as_json: bool) -> None:
    view = case.claim(claim_id)
    if view is None:
        name = case.path.name
        raise click.ClickException(f"{name} has no claim {claim_id} (sourcetrace claims {name} lists them)")
    if as_json:
        click.echo(json.dumps(asdict(view), ensure_ascii=False, indent=2))
        return
    out.print(claim_sides(view))
    if view.reporting:
        out.print(f"\nreports without taking a side: {plural(view.claim.reporting_sources, 'independent source')}")
        for position in view.reporting:
            out.print(position_text(position))
    if view.claim.stories:
        out.print(f"\nstories: {', '.join(str(s) for s in view.claim.stories)} (sourcetrace stories {case.path} STORY)")


def main() -> None:
    cli()
