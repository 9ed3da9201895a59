"""Whether a possible parent explains a copy: it holds every passage the copy shares with the others.

A text cannot be a copy's parent if the copy carries a passage of another
text (the origin, say) that the text lacks: a spinner working from a rewrite
that dropped a sentence cannot put the sentence back. Two rewrites made from one origin by
the same thesaurus share most of their swapped words, so each scores closer
to the other than to the origin (docs/benchmarks.md, "Parents"); what tells
them apart is that each keeps sentences the other dropped, and those
sentences are matched in the origin, not in the other rewrite.

The passages come from the pair verdicts (sentence pairs for rewrites, shared
passages for the other kinds), so nothing is aligned again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sourcetrace.reuse.relations import PairVerdict

# Words of the copy, matched in the origin and in no passage of the possible
# parent, that rule the parent out: a short sentence. Fewer are the noise of
# sentence matching (one sentence spun past the similarity threshold).
MIN_UNEXPLAINED_WORDS = 8
MIN_RUN_WORDS = 5  # a run of the copy's words shorter than this is a gap between passages, not a passage
# Possible parents compared with each other, closest first: the parent is chosen among the closest,
# and a viral story's copy may have thousands.
MAX_COMPARED = 12

Arc = tuple[int, PairVerdict]


@dataclass(frozen=True, slots=True)
class PassedOver:
    """Possible parents removed because they lack a passage a member shares with ``anchor``."""

    anchor: int
    parents: Mapping[int, list[int]]  # member -> the removed parents closer than its closest kept, closest first


def copy_side(verdict: PairVerdict, copy: int) -> list[tuple[int, int]]:
    """The copy's character spans in the verdict's passages, sorted."""
    if copy == verdict.a:
        return sorted((p.parent_start, p.parent_end) for p in verdict.passages)
    return sorted((p.start, p.end) for p in verdict.passages)


def uncovered(spans: Sequence[tuple[int, int]], cover: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``spans`` outside every span of ``cover`` (both sorted by start)."""
    left: list[tuple[int, int]] = []
    for start, end in spans:
        at = start
        for first, last in cover:
            if last <= at or first >= end:
                continue
            if first > at:
                left.append((at, first))
            at = max(at, last)
            if at >= end:
                break
        if at < end:
            left.append((at, end))
    return left


def unexplained_words(text: str, from_other: PairVerdict, from_parent: PairVerdict, copy: int) -> int:
    """Words of the copy (``text``) in the passages it shares with the other text that no passage
    it shares with the parent covers, counting only runs of MIN_RUN_WORDS words or more: the gaps
    between a word alignment's passages (a changed word, a typo) are not missing text."""
    runs = uncovered(copy_side(from_other, copy), _merged(copy_side(from_parent, copy)))
    return sum(words for words in (_words(text, [run]) for run in runs) if words >= MIN_RUN_WORDS)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def drop_unexplaining(parents_of: dict[int, list[Arc]], anchor: int, texts: Mapping[int, str]) -> PassedOver:
    """Remove from each member's possible parents those that lack a passage (MIN_UNEXPLAINED_WORDS
    words or more) the member shares with ``anchor`` (the family's origin, or the tree's root when
    the origin is undetermined), where the member is linked to it; the anchor stays among the
    member's possible parents. Only verdicts with passages are judged
    (the others show nothing of what the parent holds), and never where the closest possible
    parent is an exact copy. Returns the removed parents that were closer than the closest one kept.

    Anchored on one text, not on each possible parent in turn: what the member shares with another
    copy but not with the origin may be that copy's spinning, which a second spinner with the same
    thesaurus repeats; what it shares with the origin and a parent lacks, the parent lost, and a
    copy of the parent could not have it."""
    removed: dict[int, list[int]] = {}
    for child, arcs in parents_of.items():
        to_anchor = next((verdict for parent, verdict in arcs if parent == anchor), None)
        if to_anchor is None or arcs[0][1].kind == "exact":
            continue
        lacking = {parent for parent, verdict in arcs[:MAX_COMPARED] if parent != anchor and verdict.passages and
                   unexplained_words(texts[child], to_anchor, verdict, child) >= MIN_UNEXPLAINED_WORDS}
        if not lacking:
            continue
        first_kept = next(i for i, (parent, _) in enumerate(arcs) if parent not in lacking)
        if first_kept:
            removed[child] = [parent for parent, _ in arcs[:first_kept]]
        arcs[:] = [arc for arc in arcs if arc[0] not in lacking]
    return PassedOver(anchor, removed)


def _words(text: str, spans: Iterable[tuple[int, int]]) -> int:
    return sum(len(text[start:end].split()) for start, end in spans)
