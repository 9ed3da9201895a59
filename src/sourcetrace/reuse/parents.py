"""Whether the evidence decided each family member's parent (docs/copies.md#parents).

The family tree (``families.py``) chooses each member's parent: the closest
possible parent, the preferred among equally close ones. This module says,
for each chosen parent, whether evidence decided it (a date, the pair's
structure, a credit line, the proven origin) or only the preference did, in
which case the arrow is drawn dashed with the reason.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sourcetrace.records import FamilyMember
from sourcetrace.reuse.explains import PassedOver
from sourcetrace.reuse.origins import PublicationTime, published_after
from sourcetrace.reuse.relations import PairVerdict

Arc = tuple[int, PairVerdict]  # (the other member, the verdict joining them)
Link = tuple[int | None, PairVerdict | None]  # a member's parent and the verdict joining them
Direction = Callable[[PairVerdict], tuple[int, str] | None]  # the pair's derived side and why (origins.pair_direction)


class UnionFind:
    """Disjoint sets of member ids; each set's representative is its lowest id."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            item, self.parent[item] = self.parent[item], root
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


SCORE_TIE = 1e-9  # scores closer than this are equally close: rounding, not evidence
# Rewrite scores this close are equally close: a rewrite of the origin scores within
# this of the origin's near-exact copies and of its other rewrites, by the chance of
# which words each one changed, so the score cannot say which of them it was made from.
REWRITE_SCORE_TIE = 0.03


def equally_close(first: PairVerdict, second: PairVerdict) -> bool:
    """Whether two links are equally close: the same kind, and scores within that kind's tie."""
    tie = REWRITE_SCORE_TIE if first.kind == "rewrite" else SCORE_TIE
    return first.kind == second.kind and abs(first.score - second.score) <= tie
DIRECTION_UNKNOWN = "which of the two copied the other is not shown by the evidence"
NO_DIRECT_LINK = "no verdict joins it to the origin: every text it matches was published after it or copies it"
PREFERENCE = "the origin, then the earlier text, then the lower id"


class ParentJudge:
    """Whether the evidence decided each member's parent. Decided (``evidence``)
    when evidence shows that the member copied its parent, not the other way
    (the pair's structure, a later date, its credit line, or the parent being
    the proven origin), and no other possible parent is as close unless the
    evidence sets it below (the parent was published strictly before it, or
    the member credits the wire whose own text the parent is). Otherwise the
    arrow is dashed: ``direction_unknown``, ``tie`` (only the preference
    chose), or ``no_direct_link`` (hung under the origin without a verdict)."""

    def __init__(
        self,
        origin: int | None,  # the proven origin (origins.proven_origin), not merely the member closest to it
        wire_copies: frozenset[int],  # members crediting the wire whose own text is the origin
        times: Mapping[int, PublicationTime | None],
        direction_of: Direction,
        parents_of: Mapping[int, list[Arc]],
        links: Mapping[int, Link],
        edges: Sequence[PairVerdict],
        passed_over: PassedOver | None = None,  # closer texts lacking a passage a member has (explains.py)
    ) -> None:
        self.origin, self.wire_copies, self.times = origin, wire_copies, times
        self.passed_over = passed_over
        self.direction_of, self.parents_of = direction_of, parents_of
        self.children: dict[int, list[int]] = defaultdict(list)
        for child, (parent, _) in links.items():
            if parent is not None:
                self.children[parent].append(child)
        self.links = links
        self.texts = SameTexts(list(times), edges, times)

    def judged(self, member: FamilyMember) -> FamilyMember:
        """The member with its parent's basis; a member without a parent, as it is."""
        if member.parent is None:
            return member
        parent, verdict = self.links[member.segment]
        if verdict is None or parent != member.parent:
            if self._credits_wire(member.segment, member.parent):
                return replace(member, parent_basis="evidence", parent_evidence=_credit_words(member.parent))
            return replace(member, parent_basis="no_direct_link", parent_evidence=NO_DIRECT_LINK)
        why = self._direction(member.segment, parent, verdict)
        if why is None:
            return replace(member, parent_basis="direction_unknown", parent_evidence=DIRECTION_UNKNOWN)
        first, count = self._tied(member.segment, parent, verdict)
        if count:
            named = _segment_names([parent, *first], count + 1)
            words = f"equally close to {named}; #{parent} is drawn by preference: {PREFERENCE}"
            return replace(member, parent_basis="tie", parent_evidence=words)
        return replace(member, parent_basis="evidence", parent_evidence=why + self._lacking(member.segment))

    def _direction(self, child: int, parent: int, verdict: PairVerdict) -> str | None:
        """Why ``child`` copied ``parent`` rather than the other way; None when nothing shows it."""
        shown = self.direction_of(verdict)
        if shown is not None and shown[0] == child:
            return shown[1]
        if published_after(self.times[child], self.times[parent]):
            return f"published after #{parent}"
        if self._credits_wire(child, parent):
            return _credit_words(parent)
        if parent == self.origin:
            return f"#{parent} is the family's origin"
        return None

    def _lacking(self, child: int) -> str:
        """Why closer texts are not the parent: each lacks a passage ``child`` shares with the origin."""
        others = self.passed_over.parents.get(child) if self.passed_over is not None else None
        if not others or self.passed_over is None:
            return ""
        verb = "lacks" if len(others) == 1 else "lack"
        return f"; {_segment_names(others[:SHOWN], len(others))}, closer, {verb} a passage this copy shares with #{self.passed_over.anchor}"

    def _tied(self, child: int, parent: int, verdict: PairVerdict) -> tuple[list[int], int]:
        """The other possible parents as close as ``parent`` that no evidence sets below it:
        the first few by id, and how many."""
        if self._credits_wire(child, parent):
            return [], 0  # its credit line says whose text it copied
        excluded = {child, parent} | self._descendants(child)
        if verdict.kind == "exact":  # candidates link exact copies to one of them only, yet each is as close
            return self.texts.as_close(child, parent, excluded)
        tied = sorted(
            other
            for other, link in self.parents_of.get(child, ())
            if other not in excluded
            and equally_close(link, verdict)
            and not _set_below(self.times[parent], self.times[other])
        )
        return tied[:SHOWN], len(tied)

    def _descendants(self, member: int) -> set[int]:
        found, stack = set(), [member]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def _credits_wire(self, child: int, parent: int) -> bool:
        return parent == self.origin and child in self.wire_copies


SHOWN = 5  # equally close texts named in a tie's words; the rest are counted


def _set_below(parent: PublicationTime | None, other: PublicationTime | None) -> bool:
    """Whether dates prefer ``parent`` to an equally close ``other``: it was published strictly before."""
    return parent is not None and other is not None and parent.earlier_than(other)


def _credit_words(wire: int) -> str:
    return f"it credits the wire, whose own text #{wire} is"


@dataclass(frozen=True, slots=True)
class _TextGroup:
    undated: tuple[int, ...]  # by id
    dated: tuple[tuple[datetime, int], ...]  # (moment, id), by moment
    undated_set: frozenset[int]


class SameTexts:
    """A family's members grouped by text (joined by exact verdicts, transitively),
    each group's undated members by id and dated ones by time, so that finding an
    exact copy's equally close texts looks at the few that dates allow, not the
    whole group: a wire story copied 2,000 times is one group."""

    def __init__(
        self, member_ids: Sequence[int], edges: Sequence[PairVerdict], times: Mapping[int, PublicationTime | None]
    ) -> None:
        groups = UnionFind()
        for verdict in edges:
            if verdict.kind == "exact":
                groups.union(verdict.a, verdict.b)
        members: dict[int, list[int]] = defaultdict(list)
        for member in sorted(member_ids):
            members[groups.find(member)].append(member)
        self.times, self.group_of = times, {m: groups.find(m) for m in member_ids}
        self.groups = {root: _text_group(ids, times) for root, ids in members.items()}

    def as_close(self, child: int, parent: int, excluded: set[int]) -> tuple[list[int], int]:
        """The members of ``child``'s text, not ``excluded``, not published after it, and not
        published after ``parent``'s day or time: the first few by id, and how many."""
        group = self.groups[self.group_of[child]]
        # Undated members are never later than anything: count them without listing them all.
        undated = list(itertools.islice((m for m in group.undated if m not in excluded), SHOWN))
        undated_count = len(group.undated) - len(excluded & group.undated_set)
        dated = [
            m
            for m in self._dated_until(group, child, parent)
            if m not in excluded
            and not published_after(self.times[m], self.times[child])
            and not _set_below(self.times[parent], self.times[m])
        ]
        return sorted(undated + dated)[:SHOWN], undated_count + len(dated)

    def _dated_until(self, group: _TextGroup, child: int, parent: int) -> list[int]:
        """The dated members of ``group`` no later than ``child`` and ``parent`` (up to the time of one with
        a time, the end of the day of one without): later ones are published after one of the two."""
        ends = [_latest_moment(t) for t in (self.times[child], self.times[parent]) if t is not None]
        if not ends:
            return [m for _, m in group.dated]
        return [m for _, m in group.dated[: bisect.bisect_right(group.dated, (min(ends), _AFTER_EVERY_ID))]]


def _text_group(ids: Sequence[int], times: Mapping[int, PublicationTime | None]) -> _TextGroup:
    undated = tuple(m for m in ids if times[m] is None)
    dated = tuple(sorted((t.moment, m) for m in ids if (t := times[m]) is not None))
    return _TextGroup(undated, dated, frozenset(undated))


_AFTER_EVERY_ID = 1 << 62  # sorts after every segment id at one moment


def _latest_moment(time: PublicationTime) -> datetime:
    """The latest moment of another member that is not published after ``time`` at any precision:
    its time; for a bare date, the end of its day."""
    if time.has_time:
        return time.moment
    return datetime.combine(time.moment.date() + timedelta(days=1), datetime.min.time()) - timedelta(microseconds=1)


def _segment_names(first: Sequence[int], count: int) -> str:
    """ "#12 and #40", "#12, #40 and #41", "#1, #2, #3, #4, #5, #6 and 3 more": ``first`` of ``count``."""
    names = [f"#{i}" for i in first]
    if count > len(names):
        return ", ".join(names) + f" and {count - len(names)} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
