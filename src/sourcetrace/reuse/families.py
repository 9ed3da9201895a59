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
and every other member's parent is its neighbour on the strongest path to the
origin (a maximum spanning tree: exact links before near-exact before
excerpts before rewrites). When the origin is undetermined the tree is rooted
at the likeliest member, but a member gets a parent only where the pair's own
structure (excerpt, rewrite, composite) says who copied whom.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sourcetrace.records import Family, FamilyMember, Relation, SegmentForReuse
from sourcetrace.reuse.origins import decide_origin, pair_direction, parse_published
from sourcetrace.reuse.relations import PairVerdict, oriented

KIND_RANK = {"exact": 3, "near_exact": 2, "excerpt": 1, "rewrite": 0}
Related = Callable[[int, int], bool]  # are two segments about the same thing at all?


def strength(verdict: PairVerdict) -> tuple[int, float]:
    return KIND_RANK[verdict.kind], verdict.score


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


class _UnionFind:
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


@dataclass(frozen=True, slots=True)
class CopyGraph:
    relations: tuple[Relation, ...]
    families: tuple[Family, ...]


def build_families(
    segments: Mapping[int, SegmentForReuse],
    verdicts: Sequence[PairVerdict],
    related: Related,
) -> CopyGraph:
    """Relations (every derived pair, oriented) and families (every segment
    in exactly one; a segment without copies is a family of one)."""
    composites = find_composites(verdicts, related, segments)
    joining = _joining_verdicts(verdicts, composites)
    groups = _UnionFind()
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
        family, family_relations = _family(sorted(member_ids), edges_of[root], segments, composites)
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
        or id(v) in chosen
        and not (v.a in composites and v.b in composites)
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
) -> tuple[Family, list[Relation]]:
    decision = decide_origin([segments[i] for i in member_ids], edges, composites)
    root = decision.origin if decision.origin is not None else _provisional_root(member_ids, edges, composites)
    tree = _spanning_tree(root, edges)
    depth = _depths(root, tree)
    members = [FamilyMember(root, "origin", None, 1.0)] if decision.origin is not None else []
    for member in member_ids:
        if member == root and decision.origin is not None:
            continue
        if member == root:
            members.append(_undetermined_root(member, edges))
            continue
        parent, verdict = tree[member]
        direction = pair_direction(verdict, composites)
        known = decision.origin is not None or (direction is not None and direction[0] == member)
        members.append(
            FamilyMember(
                member,
                verdict.kind,
                parent if known else None,
                verdict.score,
                oriented(verdict, parent),
            )
        )
    relations = [_relation(v, depth, composites) for v in edges]
    key = member_ids[0]
    return Family(
        key,
        decision.origin,
        decision.evidence,
        tuple(sorted(members, key=lambda m: m.segment)),
    ), relations


def _undetermined_root(member: int, edges: list[PairVerdict]) -> FamilyMember:
    strongest = max((v for v in edges if member in (v.a, v.b)), key=strength)
    other = strongest.b if strongest.a == member else strongest.a
    return FamilyMember(member, strongest.kind, None, strongest.score, oriented(strongest, other))


def _provisional_root(member_ids: list[int], edges: list[PairVerdict], composites: set[int]) -> int:
    derived = {d[0] for v in edges if (d := pair_direction(v, composites)) is not None}
    candidates = [m for m in member_ids if m not in derived]
    return (candidates or member_ids)[0]


def _spanning_tree(root: int, edges: list[PairVerdict]) -> dict[int, tuple[int, PairVerdict]]:
    """Prim's maximum spanning tree from ``root``: member -> (parent, verdict)."""
    neighbours: dict[int, list[PairVerdict]] = defaultdict(list)
    for verdict in edges:
        neighbours[verdict.a].append(verdict)
        neighbours[verdict.b].append(verdict)
    tree: dict[int, tuple[int, PairVerdict]] = {}
    seen = {root}
    heap: list[tuple[tuple[int, float], int, int, int]] = []
    counter = 0

    def push(node: int) -> None:
        nonlocal counter
        for verdict in neighbours[node]:
            rank, score = strength(verdict)
            heapq.heappush(heap, ((-rank, -score), counter, node, id(verdict)))
            counter += 1

    by_id = {id(v): v for v in edges}
    push(root)
    while heap:
        _, _, node, verdict_id = heapq.heappop(heap)
        verdict = by_id[verdict_id]
        child = verdict.b if verdict.a == node else verdict.a
        if child in seen:
            continue
        seen.add(child)
        tree[child] = (node, verdict)
        push(child)
    return tree


def _depths(root: int, tree: Mapping[int, tuple[int, PairVerdict]]) -> dict[int, int]:
    depth = {root: 0}
    for node in tree:
        path = []
        while node not in depth:
            path.append(node)
            node = tree[node][0]
        for step in reversed(path):
            depth[step] = depth[node] + 1
            node = step
    return depth


def _relation(verdict: PairVerdict, depth: Mapping[int, int], composites: set[int]) -> Relation:
    """Orient a verdict: by its own structure, else the member nearer the
    origin is the parent, else the lower id."""
    direction = pair_direction(verdict, composites)
    if direction is not None:
        derived = direction[0]
    else:
        key_a, key_b = (
            (depth.get(verdict.a, 0), verdict.a),
            (depth.get(verdict.b, 0), verdict.b),
        )
        derived = verdict.b if key_a < key_b else verdict.a
    parent = verdict.b if derived == verdict.a else verdict.a
    return Relation(derived, parent, verdict.kind, verdict.score, oriented(verdict, parent))
