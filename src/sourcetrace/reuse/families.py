"""Families from pair verdicts: one origin, one parent per derived segment.

Not connected components over raw edges: an aggregator page that carries
story A and story B relates to both, and components would merge the two
stories' families. Such a *composite* segment is recognised (it contains two
or more texts, in different places, that do not even share their rare words)
and joins only the family of the text it shares most with; its other links
stay relations, but do not join families. "Unrelated" is judged by dates
when they are there (the page is later than both texts it carries) and else
by topic (:func:`sourcetrace.reuse.copymap.topically_related`).

Within a family, the origin comes from :func:`~sourcetrace.reuse.origins.decide_origin`
and every other member's parent is the closest member (exact links before
near-exact before excerpts before rewrites, then score; among equally close
ones the origin, then the earlier text, then the lower id; rewrites scoring
within ``parents.REWRITE_SCORE_TIE`` of each other are equally close) that may be its
parent: never one published after it (full times when both have them, else
days; the same day is allowed), nor the side a pair's structure says is the
copy, nor one that lacks a passage the member shares with the origin (or,
when the origin is undetermined, the tree's root; :mod:`sourcetrace.reuse.explains`). The tree is grown from the origin over those links only (Prim), then
each member moves to its closest possible parent that is not its own copy. A
member whose every link is to a later member hangs under the origin if the
origin is not later, and otherwise keeps parent None (its kind, score and
passages are those of its strongest link). When the origin is undetermined the
tree is rooted at the likeliest member, but a member gets a parent only where
the pair's own structure (excerpt, rewrite, composite) says who copied whom.
Relations are oriented the same way: structure, else dates, else the tree.
Structure includes marks of machine spinning (:mod:`sourcetrace.reuse.spin`):
of two copies, the markedly more spun one is never the other's parent.

Each member with a parent also records whether the evidence decided that
parent (:class:`~sourcetrace.reuse.parents.ParentJudge`): ``evidence``, or a dashed arrow with a reason
(``direction_unknown``, ``tie``, ``no_direct_link``; docs/copies.md#parents).
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sourcetrace.records import Family, FamilyMember, Relation, SegmentForReuse
from sourcetrace.reuse.captures import (
    capture_relations,
    find_captures,
    page_verdicts,
    restore_family,
    restore_relation,
)
from sourcetrace.reuse.decided import DecidedFamilies
from sourcetrace.reuse.explains import drop_unexplaining
from sourcetrace.reuse.origins import (
    PublicationTime,
    decide_origin,
    pair_direction,
    parse_published,
    proven_origin,
    published_after,
    wire_copies,
)
from sourcetrace.reuse.parents import Arc, Direction, Link, ParentJudge, UnionFind, equally_close
from sourcetrace.reuse.relations import KIND_RANK as KIND_RANK  # re-exported: where the ranking was defined first
from sourcetrace.reuse.relations import PairVerdict, oriented, strength
from sourcetrace.reuse.spin import SpinReadings

Related = Callable[[int, int], bool]  # are two segments about the same thing at all?


def find_composites(
    verdicts: Sequence[PairVerdict],
    related: Related,
    segments: Mapping[int, SegmentForReuse] | None = None,
) -> set[int]:
    """Segments that carry two texts in different places, neither of which
    derives from the segment: dates say so when the segment was published
    after both; without dates, the two texts must be about different things
    (``related`` false). A full story with two excerpts of itself is not
    composite: its parts are about the same thing, and are not older."""
    parts_of: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for verdict in verdicts:
        for whole, part in ((verdict.a, verdict.b), (verdict.b, verdict.a)):
            if part == verdict.part or (verdict.kind == "rewrite" and _is_part(verdict, part)):
                passages = oriented(verdict, part)
                span = (min(p.start for p in passages), max(p.end for p in passages)) if passages else (0, 0)
                parts_of[whole].append((part, span))
    composites = set()
    for whole, parts in parts_of.items():
        for i, (first, span_a) in enumerate(parts):
            if any(
                _disjoint(span_a, span_b) and _carries(whole, first, second, related, segments)
                for second, span_b in parts[i + 1 :]
            ):
                composites.add(whole)
                break
    return composites


def _carries(
    whole: int,
    first: int,
    second: int,
    related: Related,
    segments: Mapping[int, SegmentForReuse] | None,
) -> bool:
    if segments is not None:
        times = [parse_published(segments[i].published) if i in segments else None for i in (whole, first, second)]
        whole_time, first_time, second_time = times
        if whole_time is not None and first_time is not None and second_time is not None:
            if first_time.earlier_than(whole_time) and second_time.earlier_than(whole_time):
                return True
            if whole_time.earlier_than(first_time) or whole_time.earlier_than(second_time):
                return False
    return not related(first, second)


def _is_part(verdict: PairVerdict, segment: int) -> bool:
    own, other = (
        (verdict.coverage_a, verdict.coverage_b) if segment == verdict.a else (verdict.coverage_b, verdict.coverage_a)
    )
    return own >= 0.8 and other < 0.6


def _disjoint(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[1] <= second[0] or second[1] <= first[0]


@dataclass(frozen=True, slots=True)
class CopyGraph:
    relations: tuple[Relation, ...]
    families: tuple[Family, ...]


def build_families(
    segments: Mapping[int, SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    related: Related,
    decided: DecidedFamilies | None = None,
) -> CopyGraph:
    """Relations (every derived pair, oriented) and families (every segment
    in exactly one; a segment without copies is a family of one). Families
    are built over pages: the captures of one page
    (:mod:`sourcetrace.reuse.captures`) join its family as ``capture`` members.
    ``decided`` holds the families an earlier run decided, reused where
    their inputs are unchanged (:mod:`sourcetrace.reuse.decided`)."""
    decided = decided if decided is not None else DecidedFamilies()
    captures = find_captures(segments, verdicts)
    if not captures.page_of:
        return _page_families(segments, verdicts, related, decided)
    pages = page_verdicts(verdicts, captures)
    graph = _page_families({i: s for i, s in segments.items() if captures.page(i) == i}, pages.verdicts, related,
                           decided)
    relations = [restore_relation(r, pages, captures) for r in graph.relations] + capture_relations(captures)
    families = [restore_family(f, pages, captures) for f in graph.families]
    relations.sort(key=lambda r: (r.segment, r.parent))
    families.sort(key=lambda f: f.key)
    return CopyGraph(tuple(relations), tuple(families))


def _page_families(
    segments: Mapping[int, SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    related: Related,
    decided: DecidedFamilies,
) -> CopyGraph:
    composites = find_composites(verdicts, related, segments)
    joining = _joining_verdicts(verdicts, composites)
    spin = SpinReadings({i: s.text for i, s in segments.items()})
    groups = UnionFind()
    for segment_id in segments:
        groups.find(segment_id)
    for verdict in joining:
        groups.union(verdict.a, verdict.b)
    members_of: dict[int, list[int]] = defaultdict(list)
    for segment_id in segments:
        members_of[groups.find(segment_id)].append(segment_id)
    edges_of: dict[int, list[PairVerdict]] = defaultdict(list)
    for verdict in joining:
        edges_of[groups.find(verdict.a)].append(verdict)
    families, relations = [], []
    for root, member_ids in members_of.items():
        if len(member_ids) == 1:  # most of a case: no copy, nothing to decide (the origin rules say "only member")
            families.append(Family(root, root, "only member", (FamilyMember(root, "origin", None, 1.0),)))
            continue
        ordered, edges = sorted(member_ids), edges_of[root]
        family, family_relations = decided.family(ordered, edges, segments, composites,
                                                  partial(_family, ordered, edges, segments, composites, spin))
        families.append(family)
        relations.extend(family_relations)
    joined = {id(v) for v in joining}
    relations.extend(_cross_relation(v, composites) for v in verdicts if id(v) not in joined)
    relations.sort(key=lambda r: (r.segment, r.parent))
    families.sort(key=lambda f: f.key)
    return CopyGraph(tuple(relations), tuple(families))


def _joining_verdicts(verdicts: Sequence[PairVerdict], composites: set[int]) -> list[PairVerdict]:
    """All verdicts except a composite's links beyond its strongest one."""
    best: dict[int, PairVerdict] = {}
    for verdict in verdicts:
        for end in (verdict.a, verdict.b):
            if end in composites and (end not in best or strength(verdict) > strength(best[end])):
                best[end] = verdict
    chosen = {id(v) for v in best.values()}
    return [
        v
        for v in verdicts
        if not (v.a in composites or v.b in composites)
        or (id(v) in chosen and not (v.a in composites and v.b in composites))
    ]


def _cross_relation(verdict: PairVerdict, composites: set[int]) -> Relation:
    derived = verdict.a if verdict.a in composites else verdict.b
    parent = verdict.b if derived == verdict.a else verdict.a
    return Relation(derived, parent, verdict.kind, verdict.score, oriented(verdict, parent))


def _family(
    member_ids: list[int],
    edges: list[PairVerdict],
    segments: Mapping[int, SegmentForReuse],
    composites: set[int],
    spin: SpinReadings,
) -> tuple[Family, list[Relation]]:
    decision = decide_origin([segments[i] for i in member_ids], edges, composites, spin)
    times = {i: parse_published(segments[i].published) for i in member_ids}

    def direction(verdict: PairVerdict) -> tuple[int, str] | None:
        return pair_direction(verdict, composites, times, spin)

    preference = _parent_preference(member_ids, times, decision.origin)
    parents_of = _possible_parents(edges, times, direction, preference)
    root = decision.origin if decision.origin is not None else _provisional_root(member_ids, edges, times, direction)
    passed_over = drop_unexplaining(parents_of, root, {i: segments[i].text for i in member_ids})
    links = _parent_links(root, member_ids, parents_of, times, preference)
    edges_of: dict[int, list[PairVerdict]] = defaultdict(list)
    for verdict in edges:
        edges_of[verdict.a].append(verdict)
        edges_of[verdict.b].append(verdict)
    if decision.origin is not None:
        members = [FamilyMember(root, "origin", None, 1.0)]
    else:
        members = [_unattached(root, edges_of[root])]
    wired = wire_copies([segments[i] for i in member_ids], decision)
    judge = ParentJudge(proven_origin(decision), wired, times, direction, parents_of, links, edges, passed_over)
    members.extend(
        judge.judged(_member(member, links[member], decision.origin, edges_of[member], times, direction))
        for member in member_ids
        if member != root
    )
    depth = _depths(root, links)
    relations = [_relation(v, depth, times, direction) for v in edges]
    key = member_ids[0]
    return Family(
        key,
        decision.origin,
        decision.evidence,
        tuple(sorted(members, key=lambda m: m.segment)),
    ), relations


def _parent_preference(
    member_ids: list[int], times: Mapping[int, PublicationTime | None], origin: int | None
) -> dict[int, int]:
    """Member -> its rank as a parent among equally close ones (lower first):
    the origin, then the earlier text, then the lower id. Forty exact copies
    of a wire story are the wire's copies, not copies of the first newspaper
    that happened to have the lowest id."""
    ordered = sorted(member_ids, key=lambda m: (m != origin, _chronological(times[m], m)))
    return {member: rank for rank, member in enumerate(ordered)}


def _arc_key(arc: Arc, preference: Mapping[int, int]) -> tuple[int, float, int]:
    """Closer first (kind, then score), then the preferred parent."""
    rank, score = strength(arc[1])
    return rank, score, -preference[arc[0]]


def _possible_parents(
    edges: list[PairVerdict],
    times: Mapping[int, PublicationTime | None],
    direction_of: Direction,
    preference: Mapping[int, int],
) -> dict[int, list[Arc]]:
    """Member -> the members that may be its parent, closest link first (then
    :func:`_parent_preference`): never one published after it, nor the side a
    pair's structure says is the copy (an excerpt, the rewritten text, a composite page)."""
    parents: dict[int, list[Arc]] = defaultdict(list)
    for verdict in edges:
        direction = direction_of(verdict)
        copy = direction[0] if direction is not None else None
        for parent, child in ((verdict.a, verdict.b), (verdict.b, verdict.a)):
            if parent != copy and not published_after(times[parent], times[child]):
                parents[child].append((parent, verdict))
    for arcs in parents.values():
        arcs.sort(key=lambda arc: _arc_key(arc, preference), reverse=True)
        _prefer_among_equally_close(arcs, preference)
    return parents


def _prefer_among_equally_close(arcs: list[Arc], preference: Mapping[int, int]) -> None:
    """The arcs equally close to the closest (parents.equally_close) come first in
    preference order: among rewrites that close, the origin, then the earlier text."""
    if not arcs:
        return
    closest = arcs[0][1]
    count = next((i for i, (_, verdict) in enumerate(arcs) if not equally_close(verdict, closest)), len(arcs))
    arcs[:count] = sorted(arcs[:count], key=lambda arc: preference[arc[0]])


def _parent_links(
    root: int,
    member_ids: list[int],
    parents_of: Mapping[int, list[Arc]],
    times: Mapping[int, PublicationTime | None],
    preference: Mapping[int, int],
) -> dict[int, Link]:
    """Each member's parent: a maximum spanning tree grown from ``root`` over
    the possible-parent arcs only (Prim), then every member moved to its
    closest possible parent that is not its own descendant. A member that no
    arc reaches (all its links are to later members) starts a subtree of its
    own, earliest first, with parent None."""
    children_of: dict[int, list[Arc]] = defaultdict(list)
    for child, arcs in parents_of.items():
        for parent, verdict in arcs:
            children_of[parent].append((child, verdict))
    links: dict[int, Link] = {}
    reached: set[int] = set()
    heap: list[tuple[int, float, int, int, int, int, PairVerdict]] = []
    order = itertools.count()  # ties go to the arc found first, and tuples never compare verdicts

    def reach(node: int) -> None:
        reached.add(node)
        for child, verdict in children_of[node]:
            if child not in reached:
                rank, score = strength(verdict)
                heapq.heappush(heap, (-rank, -score, preference[node], next(order), node, child, verdict))

    def grow(start: int) -> None:
        reach(start)
        while heap:
            *_, parent, child, verdict = heapq.heappop(heap)
            if child not in reached:
                links[child] = (parent, verdict)
                reach(child)

    grow(root)
    for seed in sorted(member_ids, key=lambda m: _chronological(times[m], m)):
        if seed not in reached:
            links[seed] = (None, None)
            grow(seed)
    _move_to_closer_parents(links, parents_of)
    return links


def _move_to_closer_parents(links: dict[int, Link], parents_of: Mapping[int, list[Arc]]) -> None:
    """Prim attaches a member by the strongest arc from the tree as it was
    then; a closer (or equally close and preferred) possible parent may have
    joined later. Each move takes an arc earlier in the member's own order of
    possible parents (:func:`_possible_parents`) and keeps the links a forest,
    so this ends."""
    moved = True
    while moved:
        moved = False
        for child, (current_parent, current) in list(links.items()):
            for parent, verdict in parents_of.get(child, ()):
                if current is not None and current_parent is not None and \
                        (parent == current_parent and verdict is current):
                    break
                if not _descends_from(parent, child, links):
                    links[child] = (parent, verdict)
                    moved = True
                    break


def _descends_from(node: int, ancestor: int, links: Mapping[int, Link]) -> bool:
    while node != ancestor:
        parent = links[node][0] if node in links else None
        if parent is None:
            return False
        node = parent
    return True


def _chronological(time: PublicationTime | None, member: int) -> tuple[bool, datetime, int]:
    """Sort key: dated members by time (a bare date counts as its midnight,
    which keeps every strictly-earlier pair in order), then undated ones."""
    return (time is None, time.moment if time is not None else datetime.min, member)


def _member(
    member: int,
    link: Link,
    origin: int | None,
    edges: list[PairVerdict],
    times: Mapping[int, PublicationTime | None],
    direction_of: Direction,
) -> FamilyMember:
    parent, verdict = link
    if parent is not None and verdict is not None:
        direction = direction_of(verdict)
        known = origin is not None or (direction is not None and direction[0] == member)
        return FamilyMember(member, verdict.kind, parent if known else None, verdict.score, oriented(verdict, parent))
    # Every member it is linked to was published after it, or is its copy.
    # Under the origin if that is not later either (and no direct link of
    # theirs forbids it); otherwise its parent stays open.
    strongest = max(edges, key=strength)
    linked_to_origin = any(origin in (v.a, v.b) for v in edges)
    if origin is not None and not linked_to_origin and not published_after(times[origin], times[member]):
        return FamilyMember(member, strongest.kind, origin, strongest.score)
    return _unattached(member, edges)


def _unattached(member: int, edges: list[PairVerdict]) -> FamilyMember:
    """A member without a parent: its kind, score and passages are those of its strongest link."""
    strongest = max(edges, key=strength)
    other = strongest.b if strongest.a == member else strongest.a
    return FamilyMember(member, strongest.kind, None, strongest.score, oriented(strongest, other))


def _provisional_root(
    member_ids: list[int],
    edges: list[PairVerdict],
    times: Mapping[int, PublicationTime | None],
    direction_of: Direction,
) -> int:
    derived = {d[0] for v in edges if (d := direction_of(v)) is not None}
    candidates = [m for m in member_ids if m not in derived] or member_ids
    return min(candidates, key=lambda m: _chronological(times[m], m))


def _depths(root: int, links: Mapping[int, Link]) -> dict[int, int]:
    """Distance from the root; a member without a parent counts as the root's child."""
    depth = {root: 0}
    for node in links:
        path = []
        while node not in depth:
            parent = links[node][0]
            if parent is None:
                break
            path.append(node)
            node = parent
        if node not in depth:  # a member without a parent
            depth[node] = 1
        for step in reversed(path):
            depth[step] = depth[node] + 1
            node = step
    return depth


def _relation(
    verdict: PairVerdict,
    depth: Mapping[int, int],
    times: Mapping[int, PublicationTime | None],
    direction_of: Direction,
) -> Relation:
    """Orient a verdict: by its own structure, else by dates (the later one
    copied), else the member nearer the origin is the parent, else the lower id."""
    direction = direction_of(verdict)
    if direction is not None:
        derived = direction[0]
    elif published_after(times[verdict.a], times[verdict.b]):
        derived = verdict.a
    elif published_after(times[verdict.b], times[verdict.a]):
        derived = verdict.b
    else:
        key_a, key_b = (
            (depth.get(verdict.a, 0), verdict.a),
            (depth.get(verdict.b, 0), verdict.b),
        )
        derived = verdict.b if key_a < key_b else verdict.a
    parent = verdict.b if derived == verdict.a else verdict.a
    return Relation(derived, parent, verdict.kind, verdict.score, oriented(verdict, parent))
