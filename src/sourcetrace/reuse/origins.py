"""Which member of a family is the origin, and on what evidence.

Evidence, strongest first:

1. credit lines: a segment crediting agency X ("Source: AP", "(Reuters) -")
   is a copy of X's wire text; a member published on X's own site (its URL
   names X) is that wire text;
2. structure, pair by pair: an excerpt derives from the fuller text, a
   rewrite from the clean text (:attr:`PairVerdict.rewritten`), a composite
   (aggregator) segment from the stories it carries;
3. publication dates among the members that 1 and 2 leave: the earliest, if
   it is strictly earliest at the precision both dates give (a day against a
   day, a time against a time) and no remaining member is undated.

When these leave more than one possible origin, the origin is undetermined
and the evidence string says why: guessing would overcount or undercount a
story's independent sources.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.relations import PairVerdict


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


def pair_direction(verdict: PairVerdict, composites: Collection[int] = ()) -> tuple[int, str] | None:
    """(the derived segment, why) when the pair's structure says who copied."""
    if verdict.a in composites and verdict.b not in composites:
        return verdict.a, "a composite page derives from the stories it carries"
    if verdict.b in composites and verdict.a not in composites:
        return verdict.b, "a composite page derives from the stories it carries"
    if verdict.kind == "excerpt" and verdict.part is not None:
        return verdict.part, "an excerpt derives from the fuller text"
    if verdict.kind == "rewrite" and verdict.rewritten is not None:
        return verdict.rewritten, "a rewrite derives from the clean text"
    return None


def decide_origin(
    members: Sequence[SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    composites: Collection[int] = (),
) -> OriginDecision:
    """The origin of a family of ``members`` joined by ``verdicts``."""
    if len(members) == 1:
        return OriginDecision(members[0].id, "only member")
    by_id = {m.id: m for m in members}
    credited = _credited_agencies(members)
    for agency, crediting in credited.items():
        own = [m.id for m in members if is_agency_own(m, agency)]
        if len(own) == 1:
            return OriginDecision(
                own[0],
                f"credit line names the wire: {len(crediting)} member(s) credit it, this is its own text",
            )
    remaining = {m.id for m in members if not (m.credit and agency_key(m.credit) in credited)}
    reasons: list[str] = []
    if len(remaining) < len(members):
        reasons.append("credit lines")
    if not remaining:
        names = ", ".join(sorted({m.credit for m in members if m.credit}))
        return OriginDecision(
            None,
            f"undetermined: every member credits {names}, whose own text is not in the case",
        )
    derived = {d for v in verdicts if (d := pair_direction(v, composites)) is not None}
    structural = remaining - {segment for segment, _ in derived}
    if structural and structural != remaining:
        reasons.extend(sorted({why for segment, why in derived if segment in remaining}))
        remaining = structural
    if len(remaining) == 1:
        return OriginDecision(next(iter(remaining)), "; ".join(reasons) or "structure")
    return _by_date([by_id[i] for i in sorted(remaining)], reasons)


def _credited_agencies(members: Sequence[SegmentForReuse]) -> Mapping[str, list[int]]:
    credited: dict[str, list[int]] = {}
    for member in members:
        if member.credit and not is_agency_own(member, agency_key(member.credit)):
            credited.setdefault(agency_key(member.credit), []).append(member.id)
    return credited


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
    return OriginDecision(earliest[0], "; ".join([*reasons, "earliest date"]))
