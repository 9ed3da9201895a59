"""Terminal renderings of case findings (rich renderables) for the CLI's views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from sourcetrace.views import (
    ClaimSummary,
    ClaimView,
    FamilyView,
    MemberView,
    OccurrenceView,
    PositionView,
    RunView,
    SourcePositions,
    StatementView,
    TraceMatch,
    positions_by_source,
)
from sourcetrace.wording import plural, times

if TYPE_CHECKING:
    from sourcetrace.pipeline import RunSummary

KIND_STYLES = {"origin": "bold green", "exact": "cyan", "near_exact": "blue", "excerpt": "magenta", "rewrite": "yellow",
               "capture": "dim"}


def member_label(member: MemberView, captured: str | None = None) -> Text:
    """A member's line; ``captured`` (:func:`captured_line`) lists its page's captures when there are several."""
    seg = member.segment
    label = Text()
    label.append(f"{member.kind:<10}", style=KIND_STYLES.get(member.kind, ""))
    label.append(f" #{seg.id} ")
    label.append(seg.title or "(untitled)", style="bold")
    details = [d for d in (seg.where(), seg.credit and f"credit: {seg.credit}", seg.published) if d]
    if member.kind != "origin":
        details.append(f"score {member.score:.2f}, {plural(len(member.passages), 'passage')}")
    label.append("  " + " · ".join(details), style="dim")
    if member.parent_undecided():
        label.append(f"\n    (parent undecided: {member.parent_evidence})", style="italic")
    if captured:
        label.append(f"\n    {captured}", style="dim")
    return label


def captured_line(family: FamilyView, member: MemberView) -> str | None:
    """"captured twice: page.html, WARC record <urn:uuid:…> in crawl.warc.gz" for a page collected
    more than once (the member that stands for it first); None for a page collected once."""
    others = family.captures_of(member.segment.id)
    if not others:
        return None
    names = [member.segment.capture_name(), *(m.segment.capture_name() for m in others)]
    return f"captured {times(len(names))}: " + ", ".join(names)


def family_tree(family: FamilyView) -> Tree:
    """The family as a tree: each copy under the segment it copies; a page's captures on its own line."""
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(family.kind_counts().items()) if kind != "capture")
    captured = sum(1 for m in family.members if m.kind != "capture" and family.captures_of(m.segment.id))
    also = f", {plural(captured, 'page')} captured more than once" if captured else ""
    tree = Tree(Text(f"Family {family.id}: {plural(family.pages(), 'segment')} ({counts}{also}); "
                     f"{origin_line(family)}", style="bold"))
    page_of = {m.segment.id: m.parent for m in family.members if m.kind == "capture"}
    children: dict[int | None, list[MemberView]] = {}
    for member in family.members:
        if member.kind != "capture":  # a capture is shown on its page's line, and what copies it under the page
            children.setdefault(page_of.get(member.parent, member.parent) if member.parent else None, []).append(member)
    roots = [m for m in family.members if m.parent is None]
    for root in roots:
        _add(tree, root, children, family, seen=set())
    return tree


def origin_line(family: FamilyView) -> str:
    """"origin #12: earliest date", or "origin undetermined: 2 possible origins..." with the
    evidence's own "undetermined:" dropped, so that the word is not said twice."""
    if family.origin is not None:
        return f"origin #{family.origin}: {family.origin_evidence}"
    why = family.origin_evidence.removeprefix("undetermined:").strip()
    return f"origin undetermined: {why}" if why else "origin undetermined"


def _add(node: Tree, member: MemberView, children: dict[int | None, list[MemberView]], family: FamilyView,
         seen: set[int]) -> None:
    if member.segment.id in seen:  # a malformed map must not recurse forever
        return
    seen.add(member.segment.id)
    branch = node.add(member_label(member, captured_line(family, member)))
    for child in children.get(member.segment.id, []):
        _add(branch, child, children, family, seen)


def reuse_label(match: TraceMatch, query: str, *, shown: int = 2) -> Text:
    """A reusing segment, with the first ``shown`` passages it shares with the query."""
    seg = match.segment
    label = Text()
    label.append(f"{match.kind:<10}", style=KIND_STYLES.get(match.kind, ""))
    label.append(f" #{seg.id} ")
    label.append(seg.title or "(untitled)", style="bold")
    label.append("  " + " · ".join(d for d in (seg.where(), seg.published, f"score {match.score:.2f}") if d),
                 style="dim")
    for passage in match.passages[:shown]:
        quoted = " ".join(query[passage.parent_start:passage.parent_end].split())
        label.append(f"\n    “{quoted[:160]}{'…' if len(quoted) > 160 else ''}”", style="italic")
    if len(match.passages) > shown:
        label.append(f"\n    … {plural(len(match.passages) - shown, 'more passage')}", style="dim")
    return label


def diff_text(occurrence: OccurrenceView, *, plain: bool = False) -> Text:
    """Words removed from the reference form struck in red, added ones in green.

    ``plain`` (no terminal, or NO_COLOR) marks them in the text instead, wdiff
    style, since the styles would be lost: "a [-method-]{+system+}".
    """
    if plain:
        return Text(plain_diff(occurrence.diff))
    text = Text()
    for op, word in occurrence.diff:
        style = {"-": "red strike", "+": "green underline"}.get(op, "")
        text.append(word + " ", style=style)
    return text


_PLAIN_MARKS = {"-": ("[-", "-]"), "+": ("{+", "+}"), "=": ("", "")}


def plain_diff(diff: Sequence[tuple[str, str]]) -> str:
    """A word diff in wdiff's marks: each run of removed words in [-...-], of added words
    in {+...+}; an addition replacing a removal follows it without a space."""
    runs: list[tuple[str, list[str]]] = []
    for op, word in diff:
        if runs and runs[-1][0] == op:
            runs[-1][1].append(word)
        else:
            runs.append((op, [word]))
    text = ""
    for index, (op, words) in enumerate(runs):
        opening, closing = _PLAIN_MARKS.get(op, ("", ""))
        replaces = op == "+" and index > 0 and runs[index - 1][0] == "-"
        text += ("" if not text or replaces else " ") + opening + " ".join(words) + closing
    return text


def occurrence_status(occurrence: OccurrenceView) -> str:
    """Whether a copy changed the words, and whether they were a quote or a paraphrase."""
    if not occurrence.altered:
        return "same"
    return "ALTERED quote" if occurrence.kind == "direct" else "ALTERED paraphrase"


def statement_block(view: StatementView, *, plain_diff: bool = False) -> Tree:
    """A statement with each occurrence; altered ones show their word-level diff
    (marked in the text with ``plain_diff``, for output without colour)."""
    statement = view.statement
    role = f" ({statement.speaker_role})" if statement.speaker_role else ""
    head = Text()
    head.append(f"#{statement.id} {statement.speaker}{role}", style="bold")
    head.append(f"  {statement.kind}, {statement.cue}", style="dim")
    head.append(f"\n“{statement.text}”")
    tree = Tree(head)
    for occurrence in view.occurrences:
        seg = occurrence.segment
        line = Text()
        line.append(f"{occurrence_status(occurrence):<19}", style="bold red" if occurrence.altered else "dim")
        line.append(f"#{seg.id} {seg.title or '(untitled)'}", style="bold")
        where = seg.where()
        shown_where = None if occurrence.outlet and where.lower() == occurrence.outlet.lower() else where
        line.append("  " + " · ".join(d for d in (occurrence.outlet, shown_where, seg.published,
                                                  f"as “{occurrence.speaker_as_written}”") if d), style="dim")
        if occurrence.garbled_speaker:
            line.append("  speaker garbled", style="bold red")
        if occurrence.altered:
            line.append("\n    ")
            line.append_text(diff_text(occurrence, plain=plain_diff))
        tree.add(line)
    return tree


def run_line(run: RunView) -> str:
    """The last run in one line: its status, when it started and finished, and how long it took."""
    total = "unfinished" if run.seconds is None else f"{run.seconds:,.1f} s"
    finished = f", finished {run.finished_at}" if run.finished_at else ""
    line = f"Last run #{run.id}: {run.status}, started {run.started_at}{finished}, {total}"
    if run.status == "killed":
        line += " (its process was stopped before the run ended; the next run completes the case)"
    return line


def run_summary_table(summary: RunSummary) -> Table:
    """What a run added, apart from what the case holds now (families and statements are
    recomputed over the whole case, so only their totals mean something)."""
    case = summary.case
    table = Table(title=f"Run summary: {case}", show_header=False, title_justify="left")
    table.add_row(Text("added by this run", style="bold"), "")
    table.add_row("  inputs ingested", f"{summary.inputs:,} ({summary.input_bytes / 2**20:,.1f} MB)")
    table.add_row("  inputs already in the case", f"{summary.skipped_inputs:,} (skipped)")
    table.add_row("  documents", f"{summary.documents:,}")
    table.add_row("  segments", f"{summary.segments:,} ({summary.duplicate_segments:,} repeated within their page)")
    problems = sum(summary.problems.values())
    table.add_row("  problems", f"{problems:,}" + (f"  (sourcetrace status {case} lists them)" if problems else ""))
    for reason, count in summary.problems.items():
        table.add_row(f"    {reason}", f"{count:,}")
    if summary.skipped_files:
        table.add_row("  skipped", skipped_files_text(summary.skipped_files))
    table.add_row(Text("in the case now", style="bold"), "")
    table.add_row("  families of copies", f"{summary.families:,}, holding {plural(summary.copies, 'copy', 'copies')}"
                  f"  (sourcetrace copies {case} lists them)")
    altered = plural(summary.altered_occurrences, "altered copy", "altered copies")
    table.add_row("  statements", f"{summary.statements:,}, {altered}  (sourcetrace quotes {case} --altered)")
    if summary.claims:
        table.add_row("  claims", f"{summary.claims:,}, {plural(summary.positions, 'position')}"
                      f"  (sourcetrace claims {case})")
    table.add_row("time", f"{summary.seconds:,.1f} s")
    return table


def skipped_files_text(skipped: Mapping[str, int]) -> str:
    """Files a folder walk skipped: "3 files of no supported kind (.toml, .png)"."""
    extensions = ", ".join(extension or "no extension" for extension in skipped)
    return f"{plural(sum(skipped.values()), 'file')} of no supported kind ({extensions})"


def steps_table(run: RunView) -> Table:
    """Each step of a run: wall time, CPU use (100% is one core busy all along), records and counters."""
    table = Table(title="Steps of the last run", title_justify="left")
    for column in ("step", "time", "CPU", "records"):
        table.add_column(column, justify="left" if column == "step" else "right", no_wrap=True)
    table.add_column("counters", ratio=1)
    for step in run.steps:
        counters = ", ".join(f"{name} {count:,}" for name, count in step.counters.items())
        table.add_row(step.step, f"{step.seconds:,.1f} s", f"{step.cpu_percent():.0f}%", f"{step.records:,}", counters)
    return table


def claims_table(claims: Sequence[ClaimSummary], title: str) -> Table:
    """Claims with the independent sources on each side (families, not pages)."""
    table = Table(title=title, title_justify="left")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("claim", ratio=1)
    for column in ("supports", "contests", "reports"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("from", no_wrap=True)
    for c in claims:
        table.add_row(str(c.id), c.text, f"{c.supporting_sources:,}", f"{c.contesting_sources:,}",
                      f"{c.reporting_sources:,}", "you" if c.supplied else "statements")
    return table


def claim_sides(view: ClaimView) -> Table:
    """One claim: who supports it beside who contests it, each position with its cue and citation."""
    claim = view.claim
    table = Table(title=f"Claim {claim.id}: {claim.text}", title_justify="left", show_lines=True, expand=True)
    table.add_column(f"supports: {plural(claim.supporting_sources, 'independent source')}", ratio=1)
    table.add_column(f"contests: {plural(claim.contesting_sources, 'independent source')}", ratio=1)
    sides = [positions_by_source(view.supporting), positions_by_source(view.contesting)]
    for index in range(max(len(sides[0]), len(sides[1]), 1)):
        table.add_row(*(source_text(side[index]) if index < len(side) else Text("") for side in sides))
    return table


def source_text(source: SourcePositions) -> Text:
    """A source's leading position in full; the family's other copies taking it, folded into one line."""
    text = position_text(source.lead)
    others = source.positions[1:]
    if others:
        where = sorted({p.segment.where() for p in others})
        shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
        text.append(f"\n+ {plural(len(others), 'copy', 'copies')} in the same family, one source: {shown}", style="dim")
    return text


def position_text(position: PositionView) -> Text:
    """Who takes the position, the sentence, the cue that decided it, and the citation."""
    seg = position.segment
    text = Text()
    text.append(position.speaker or seg.where(), style="bold")
    text.append(f"  family {position.family}" if position.family is not None else "", style="dim")
    text.append(f"\n“{' '.join(position.text.split())[:300]}”", style="italic")
    text.append(f"\ncue: {position.cue}", style="cyan")
    text.append(f"\n{citation(position)}", style="dim")
    return text


def citation(position: PositionView) -> str:
    """Input SHA-256, document, character span in its text, and URL (or file)."""
    seg = position.segment
    record = seg.archive_record()
    return (f"#{seg.id} · sha256 {seg.sha256[:16]}… · document {seg.document} · chars "
            f"{position.document_start}–{position.document_end} · {seg.url or seg.path}"
            + (f" · {record}" if record else ""))
