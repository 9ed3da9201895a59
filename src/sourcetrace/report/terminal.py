"""Terminal renderings of case findings (rich renderables) for the CLI's views."""

from __future__ import annotations

from collections.abc import Sequence

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
    StatementView,
    TraceMatch,
)

KIND_STYLES = {"origin": "bold green", "exact": "cyan", "near_exact": "blue", "excerpt": "magenta", "rewrite": "yellow"}


def member_label(member: MemberView) -> Text:
    seg = member.segment
    label = Text()
    label.append(f"{member.kind:<10}", style=KIND_STYLES.get(member.kind, ""))
    label.append(f" #{seg.id} ")
    label.append(seg.title or "(untitled)", style="bold")
    details = [d for d in (seg.where(), seg.credit and f"credit: {seg.credit}", seg.published) if d]
    if member.kind != "origin":
        details.append(f"score {member.score:.2f}, {len(member.passages)} passage(s)")
    label.append("  " + " · ".join(details), style="dim")
    return label


def family_tree(family: FamilyView) -> Tree:
    """The family as a tree: each copy under the segment it copies."""
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(family.kind_counts().items()))
    origin = f"origin #{family.origin}" if family.origin is not None else "origin undetermined"
    tree = Tree(Text(f"Family {family.id}: {len(family.members)} segments ({counts}); {origin}: "
                     f"{family.origin_evidence}", style="bold"))
    children: dict[int | None, list[MemberView]] = {}
    for member in family.members:
        children.setdefault(member.parent, []).append(member)
    roots = [m for m in family.members if m.parent is None]
    for root in roots:
        _add(tree, root, children, seen=set())
    return tree


def _add(node: Tree, member: MemberView, children: dict[int | None, list[MemberView]], seen: set[int]) -> None:
    if member.segment.id in seen:  # a malformed map must not recurse forever
        return
    seen.add(member.segment.id)
    branch = node.add(member_label(member))
    for child in children.get(member.segment.id, []):
        _add(branch, child, children, seen)


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
        label.append(f"\n    … {len(match.passages) - shown} more passage(s)", style="dim")
    return label


def diff_text(occurrence: OccurrenceView) -> Text:
    """Words removed from the reference form struck in red, added ones in green."""
    text = Text()
    for op, word in occurrence.diff:
        style = {"-": "red strike", "+": "green underline"}.get(op, "")
        text.append(word + " ", style=style)
    return text


def statement_block(view: StatementView) -> Tree:
    """A statement with each occurrence; altered ones show their word-level diff."""
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
        line.append("ALTERED " if occurrence.altered else "same    ", style="bold red" if occurrence.altered else "dim")
        line.append(f"#{seg.id} {seg.title or '(untitled)'}", style="bold")
        line.append("  " + " · ".join(d for d in (seg.where(), seg.published, f"as “{occurrence.speaker_as_written}”")
                                       if d), style="dim")
        if occurrence.garbled_speaker:
            line.append("  speaker garbled", style="bold red")
        if occurrence.altered:
            line.append("\n    ")
            line.append_text(diff_text(occurrence))
        tree.add(line)
    return tree


def run_line(run: RunView) -> str:
    """The last run in one line: its status, when it started and finished, and how long it took."""
    total = "unfinished" if run.seconds is None else f"{run.seconds:,.1f} s"
    finished = f", finished {run.finished_at}" if run.finished_at else ""
    return f"Last run #{run.id}: {run.status}, started {run.started_at}{finished}, {total}"


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
    table.add_column(f"supports: {claim.supporting_sources} independent source(s)", ratio=1)
    table.add_column(f"contests: {claim.contesting_sources} independent source(s)", ratio=1)
    for index in range(max(len(view.supporting), len(view.contesting), 1)):
        table.add_row(*(position_text(side[index]) if index < len(side) else Text("")
                        for side in (view.supporting, view.contesting)))
    return table


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
    return (f"#{seg.id} · sha256 {seg.sha256[:16]}… · document {seg.document} · chars "
            f"{position.document_start}–{position.document_end} · {seg.url or seg.path}")
