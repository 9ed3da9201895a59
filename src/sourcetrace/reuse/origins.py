"""Which member of a family is the origin, and on what evidence.

Evidence, strongest first:

1. credit lines: a segment crediting agency X ("Source: AP", "(Reuters) -")
   is a copy of X's wire text; a member published on X's own site (its URL
   names X) is that wire text, unless a member published before it neither
   credits X nor is shown by structure to be a copy;
2. structure, pair by pair: an excerpt derives from the fuller text, a
   rewrite from the clean text (:attr:`PairVerdict.rewritten`), a composite
   (aggregator) segment from the stories it carries; an exact copy of a
   derived text is derived too. The spun side of a rewrite (or near-exact
   copy) is the one with markedly more marks of machine spinning
   (:mod:`sourcetrace.reuse.spin`), else the one with rarer words; both are
   weaker evidence than dates: a pair whose dates contradict it gives no
   direction;
3. publication dates among the members that 1 and 2 leave: the earliest, if
   it is strictly earliest at the precision both dates give (a day against a
   day, a time against a time) and no remaining member is undated.

The origin is never published after another member unless 1 or 2 show that
member to be a copy, and its evidence then names the members and which
evidence outweighs their dates. When these leave more than one possible
origin, the origin is undetermined and the evidence string says why:
guessing would overcount or undercount a story's independent sources. The
one exception is spinning: when only spin marks single out one member, it is
recorded as the origin, since the statements' reference forms must come from
the fluent text, but its evidence begins "closest to the origin" and says
that it is not shown to be the original.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.relations import PairVerdict
from sourcetrace.reuse.spin import SpinReadings
from sourcetrace.wording import plural

SPUN_KINDS = ("near_exact", "rewrite")  # the kinds a spinner's output is classified as
SPIN_REASON = "fewer marks of machine spinning"
WIRE_EVIDENCE = "credit line names the wire"
EARLIEST_DATE = "earliest date"
CLOSEST_TO_ORIGIN = "closest to the origin"  # the origin_id set by spin marks alone: not shown to be the original


@dataclass(frozen=True, slots=True)
class OriginDecision:
    origin: int | None
    evidence: str


@dataclass(frozen=True, slots=True)
class PublicationTime:
    moment: datetime  # UTC, naive
    has_time: bool

    def earlier_than(self, other: PublicationTime) -> bool:
        if self.has_time and other.has_time:
            return self.moment < other.moment
        return self.moment.date() < other.moment.date()


def parse_published(value: str | None) -> PublicationTime | None:
    """An ISO date or datetime; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return PublicationTime(moment, has_time=len(text) > 10)


def agency_key(credit: str) -> str:
    return re.sub(r"[^a-z0-9]", "", credit.casefold())


def is_agency_own(segment: SegmentForReuse, agency: str) -> bool:
    """Whether the segment was published on the credited agency's own site."""
    if not segment.url or not agency:
        return False
    host = re.sub(r"[^a-z0-9]", "", (urlsplit(segment.url).hostname or "").casefold())
    return agency in host


def pair_direction(
    verdict: PairVerdict,
    composites: Collection[int] = (),
    times: Mapping[int, PublicationTime | None] | None = None,
    spin: SpinReadings | None = None,
) -> tuple[int, str] | None:
    """(the derived segment, why) when the pair's structure says who copied.
    The spun side of a rewrite is read off marks of machine spinning
    (``spin``, :mod:`sourcetrace.reuse.spin`) when they differ markedly, else
    off word rarity. Both are weaker evidence than two dates: given
    ``times``, a pair whose "spun" side was published strictly before the
    other says nothing about direction."""
    if verdict.a in composites and verdict.b not in composites:
        return verdict.a, "a composite page derives from the stories it carries"
    if verdict.b in composites and verdict.a not in composites:
        return verdict.b, "a composite page derives from the stories it carries"
    if verdict.kind == "excerpt" and verdict.part is not None:
        return verdict.part, "an excerpt derives from the fuller text"
    marked = spin.direction(verdict.a, verdict.b) if spin is not None and verdict.kind in SPUN_KINDS else None
    if marked is not None and (times is None or not published_after(times.get(marked.fluent), times.get(marked.spun))):
        return marked.spun, SPIN_REASON
    if verdict.kind == "rewrite" and verdict.rewritten is not None:
        source = verdict.b if verdict.rewritten == verdict.a else verdict.a
        if times is not None and published_after(times.get(source), times.get(verdict.rewritten)):
            return None
        return verdict.rewritten, "a rewrite derives from the clean text"
    return None


def published_after(first: PublicationTime | None, second: PublicationTime | None) -> bool:
    """Whether ``first`` is later than ``second`` at the precision both give;
    an unknown date is never later nor earlier."""
    return first is not None and second is not None and second.earlier_than(first)


def decide_origin(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int] = (),
    spin: SpinReadings | None = None,
) -> OriginDecision:
    """The origin of a family of ``members`` joined by ``verdicts``. It is
    never published after another member unless credit lines or structure
    show that member to be a copy, and the evidence then says so.

    With ``spin``, a copy with markedly more marks of machine spinning than
    another derives from it. Where only those marks decide (dates and
    credits alone leave the origin undetermined), the member chosen is the
    one *closest to the origin*, and the evidence says so: an undated
    faithful copy is not shown to be the original."""
    decision = _decide_origin(members, verdicts, composites, spin)
    if spin is None or len(members) == 1:
        return decision
    spun = _spun_members(members, verdicts, composites, spin)
    if not spun:
        return decision
    plain = _decide_origin(members, verdicts, composites, None)
    if plain.origin is not None or _shown_by_dates_or_credits(decision):
        return decision
    closest = decision.origin if decision.origin is not None else _closest_unspun(members, verdicts, composites, spin)
    if closest is None or closest in spun:
        return decision
    return OriginDecision(closest, _closest_evidence(closest, spun, spin, plain.evidence))


def proven_origin(decision: OriginDecision) -> int | None:
    """The origin when the evidence shows it to be the original: None when
    undetermined, or when spin marks only made it the member closest to the origin."""
    return None if decision.evidence.startswith(CLOSEST_TO_ORIGIN) else decision.origin


def wire_copies(members: Sequence[SegmentForReuse], decision: OriginDecision) -> frozenset[int]:
    """The members whose credit line names the wire when the origin is that wire's own text."""
    origin = next((m for m in members if m.id == decision.origin), None)
    if origin is None or not decision.evidence.startswith(WIRE_EVIDENCE):
        return frozenset()
    agencies = canonical_agencies([m.credit for m in members if m.credit])
    return frozenset(
        m.id for m in members if m.credit and m.id != origin.id and is_agency_own(origin, agencies[m.credit])
    )


def _shown_by_dates_or_credits(decision: OriginDecision) -> bool:
    """Whether the origin is the wire's own text or strictly the earliest of
    the members not shown to be copies: then it is the origin, not merely
    the member closest to it."""
    evidence = decision.evidence
    return decision.origin is not None and (evidence.startswith(WIRE_EVIDENCE) or EARLIEST_DATE in evidence)


def _closest_unspun(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int],
    spin: SpinReadings,
) -> int | None:
    """The member closest to the origin when spin marks set some members
    aside: the only one left, else the strictly earliest dated of those left
    (an undated one may be as close, but not closer: neither is shown to be
    a copy of the other)."""
    unspun = [m for m in members if m.id not in _structurally_derived(members, verdicts, composites, spin)]
    if len(unspun) == 1:
        return unspun[0].id
    dated = [m for m in unspun if m.published is not None]
    return _by_date(dated, []).origin if dated else None


def _spun_members(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int],
    spin: SpinReadings,
) -> list[int]:
    """The members that spin marks, and nothing stronger, show to be derived."""
    derived = _structurally_derived(members, verdicts, composites, spin)
    return sorted(i for i, why in derived.items() if why == SPIN_REASON)


def _closest_evidence(closest: int, spun: Sequence[int], spin: SpinReadings, undetermined: str) -> str:
    rates = ", ".join(f"{spin.marks(i).per_thousand:.1f} (#{i})" for i in spun[:3])
    more = f" and {len(spun) - 3} more" if len(spun) > 3 else ""
    why = undetermined.removeprefix("undetermined: ")
    return (
        f"{CLOSEST_TO_ORIGIN}: {SPIN_REASON}: {spin.marks(closest).per_thousand:.1f} vs {rates}{more} "
        f"per 1,000 words; not shown to be the original ({why})"
    )


def _decide_origin(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int],
    spin: SpinReadings | None,
) -> OriginDecision:
    if len(members) == 1:
        return OriginDecision(members[0].id, "only member")
    by_id = {m.id: m for m in members}
    credited = _credited_agencies(members)
    excluded = {i: "credit lines" for crediting in credited.values() for i in crediting}
    derived = _structurally_derived(members, verdicts, composites, spin)
    for agency, crediting in credited.items():
        own = [m.id for m in members if is_agency_own(m, agency)]
        if len(own) == 1:
            return _wire_text_origin(by_id[own[0]], members, len(crediting), {**derived, **excluded})
    remaining = set(by_id) - set(excluded)
    if not remaining:
        names = ", ".join(sorted({m.credit for m in members if m.credit}))
        return OriginDecision(
            None,
            f"undetermined: every member credits {names}, whose own text is not in the case",
        )
    structural = remaining - set(derived)
    if structural and structural != remaining:
        excluded.update({i: derived[i] for i in remaining - structural})
        remaining = structural
    reasons = _reasons(excluded)
    if len(remaining) == 1:
        origin = next(iter(remaining))
        return OriginDecision(origin, "; ".join(reasons) + _dated_after(by_id[origin], members, excluded))
    decision = _by_date([by_id[i] for i in sorted(remaining)], reasons)
    if decision.origin is None:
        return decision
    return OriginDecision(decision.origin, decision.evidence + _dated_after(by_id[decision.origin], members, excluded))


def _structurally_derived(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int],
    spin: SpinReadings | None = None,
) -> dict[int, str]:
    """Member -> why structure shows it to be a copy (see :func:`pair_direction`).
    Exact copies share their text's fate: a copy of a spun text or of an
    excerpt is one too."""
    times = {m.id: parse_published(m.published) for m in members}
    derived: dict[int, str] = {}
    for verdict in verdicts:
        if (direction := pair_direction(verdict, composites, times, spin)) is not None:
            derived.setdefault(*direction)
    exact = [(v.a, v.b) for v in verdicts if v.kind == "exact"]
    changed = True
    while changed:
        changed = False
        for first, second in exact:
            for one, other in ((first, second), (second, first)):
                if one in derived and other not in derived:
                    derived[other] = derived[one]
                    changed = True
    return derived


def _wire_text_origin(
    wire: SegmentForReuse,
    members: Sequence[SegmentForReuse],
    crediting: int,
    copies: Mapping[int, str],
) -> OriginDecision:
    """The agency's own text is the origin, unless a member published before
    it neither credits the agency nor is shown by structure to be a copy."""
    unexplained = [m.id for m in _published_before(wire, members) if m.id not in copies]
    if unexplained:
        return OriginDecision(
            None,
            f"undetermined: the wire's own text (#{wire.id}) was published after "
            f"{_segment_list(unexplained)}, which does not credit it",
        )
    credit = "credits" if crediting == 1 else "credit"
    evidence = f"{WIRE_EVIDENCE}: {plural(crediting, 'member')} {credit} it; this is its own text"
    return OriginDecision(wire.id, evidence + _dated_after(wire, members, copies))


def _reasons(excluded: Mapping[int, str]) -> list[str]:
    whys = set(excluded.values())
    return [why for why in ["credit lines", *sorted(whys - {"credit lines"})] if why in whys]


def _published_before(origin: SegmentForReuse, members: Sequence[SegmentForReuse]) -> list[SegmentForReuse]:
    time = parse_published(origin.published)
    return [m for m in members if m.id != origin.id and published_after(time, parse_published(m.published))]


def _dated_after(origin: SegmentForReuse, members: Sequence[SegmentForReuse], copies: Mapping[int, str]) -> str:
    """Evidence suffix naming what outweighs the dates of earlier members."""
    earlier = _published_before(origin, members)
    if not earlier:
        return ""
    whys = _reasons({m.id: copies[m.id] for m in earlier})
    return f"; published after {_segment_list([m.id for m in earlier])}, shown to be copies by {' and '.join(whys)}"


def _segment_list(ids: Sequence[int]) -> str:
    shown = ", ".join(f"#{i}" for i in sorted(ids)[:5])
    return shown + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


def _credited_agencies(members: Sequence[SegmentForReuse]) -> Mapping[str, list[int]]:
    """Agency -> the members crediting it, except those on its own site."""
    agencies = canonical_agencies([m.credit for m in members if m.credit])
    credited: dict[str, list[int]] = {}
    for member in members:
        if member.credit and not is_agency_own(member, agencies[member.credit]):
            credited.setdefault(agencies[member.credit], []).append(member.id)
    return credited


def canonical_agencies(credits: Sequence[str]) -> dict[str, str]:
    """Credit -> agency key, where an initialism ("CP") joins the name it
    abbreviates ("Continental Press") when both credit members of one family."""
    by_initials: dict[str, str] = {}
    for credit in credits:
        words = re.findall(r"[^\W\d_]+", credit)
        if len(words) > 1:
            by_initials.setdefault("".join(w[0] for w in words).casefold(), agency_key(credit))
    return {credit: by_initials.get(agency_key(credit), agency_key(credit)) for credit in credits}


def _by_date(candidates: Sequence[SegmentForReuse], reasons: list[str]) -> OriginDecision:
    parsed = {m.id: parse_published(m.published) for m in candidates}
    times = {i: t for i, t in parsed.items() if t is not None}
    if len(times) < len(parsed):
        undated = len(parsed) - len(times)
        return OriginDecision(None, f"undetermined: {len(candidates)} possible origins, {undated} without a date")
    earliest = [i for i, t in times.items() if all(t.earlier_than(u) for j, u in times.items() if j != i)]
    if len(earliest) != 1:
        return OriginDecision(
            None,
            f"undetermined: {len(candidates)} possible origins published at the same time",
        )
    return OriginDecision(earliest[0], "; ".join([*reasons, EARLIEST_DATE]))
