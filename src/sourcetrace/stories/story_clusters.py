"""Clustering families of copies into stories: who, where, when and what.

The unit is a family (a family never splits). Each family is one vector of
typed terms (name words, numbers, content words) weighted by how rare they
are among the case's families, names and numbers weighted up: two reports of
one event name the same people and places and give the same figures, while
two events of one kind share only topic words. Two families quoting one
statement report one event. Dates bound it: families published further apart
than a window are never linked directly.

Candidate pairs are never all pairs: only families that share at least two
rare terms (blocking on a sparse product of rare terms) are compared. The
clusters are built by average linkage over those pairs, a pair never compared
counting as similarity 0, so one strong link cannot chain two events
together the way single linkage would.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """The clustering's parameters, tuned on bench/stories_eval.py's tuning seed."""

    name_weight: float = 2.0  # who and where count more than topic words
    number_weight: float = 1.5  # figures tell one event's reports from another event's
    block_max_df: int = 40  # a term shared by more families than this is too common to block on
    min_shared: int = 2  # rare terms two families must share to be compared
    window_days: int = 2  # families published further apart are never linked directly
    threshold: float = 0.3  # average similarity at which two clusters merge
    shared_quote_similarity: float = 1.0  # two families quoting one statement report one event
    min_name_similarity: float = 0.1  # two families naming people and places must name some of the same
    chunk_rows: int = 2000  # families per block of the candidate product (bounds memory)


DEFAULT_SETTINGS = ClusterSettings()


@dataclass(frozen=True, slots=True)
class StoryUnit:
    """One family as the clustering sees it."""

    family: int  # the family's id
    published: str | None  # its earliest publication (ISO), None when no member is dated
    terms: frozenset[str]  # typed terms: "n:" name word, "d:" number, "w:" content word, "q:" quoted statement


def cluster_units(units: Sequence[StoryUnit], settings: ClusterSettings = DEFAULT_SETTINGS) -> list[list[int]]:
    """Families grouped into stories: lists of family ids, each sorted, in order of their smallest id."""
    if not units:
        return []
    present, kinds = _presence(units)
    days = np.array([_day(u.published) for u in units], dtype=np.int64)
    first, second = _candidate_pairs(_rare_columns(present, settings), days, settings)
    similarity = _similarity(present, kinds, first, second, settings)
    keep = similarity > 0
    merged = _average_linkage(len(units), first[keep], second[keep], similarity[keep], settings.threshold)
    groups = [sorted(units[i].family for i in members) for members in merged]
    return sorted(groups, key=lambda group: group[0])


def _presence(units: Sequence[StoryUnit]) -> tuple[sp.csr_matrix, npt.NDArray[np.str_]]:
    """The binary unit x term matrix, and each column's kind ("n", "d", "w" or "q")."""
    # Terms numbered in sorted order: a frozenset's own order changes with the process's string
    # hashing. Whole-list operations, one sort of the distinct terms: a case has millions of terms.
    flat = [term for unit in units for term in unit.terms]
    vocabulary = {term: column for column, term in enumerate(sorted(set(flat)))}
    columns = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(units), dtype=np.int64), [len(unit.terms) for unit in units])
    present = sp.csr_matrix((np.ones(len(flat)), (rows, columns)), shape=(len(units), len(vocabulary)))
    return present, np.array([term[0] for term in vocabulary], dtype="<U1")


def _rare_columns(present: sp.csr_matrix, settings: ClusterSettings) -> sp.csr_matrix:
    """The terms to block on: shared by at least two families, and by few."""
    df = np.asarray(present.sum(axis=0)).ravel()
    return sp.csr_matrix(present[:, np.flatnonzero((df >= 2) & (df <= settings.block_max_df))])


def _similarity(present: sp.csr_matrix, kinds: npt.NDArray[np.str_], first: I64, second: I64,
                settings: ClusterSettings) -> npt.NDArray[np.float64]:
    """Per pair, the weighted mean of the IDF cosines of names, numbers and words,
    over the kinds both families have (numbers only when some are shared); 0 when
    both name people or places but hardly the same ones. Two families quoting one
    statement (as merged by the statements step) are as similar as copies."""
    df = np.asarray(present.sum(axis=0)).ravel()
    idf = np.log((present.shape[0] + 1) / (df + 1)) + 1.0
    total = np.zeros(len(first))
    weight = np.zeros(len(first))
    gate = np.ones(len(first), dtype=bool)
    for kind, kind_weight in (("n", settings.name_weight), ("d", settings.number_weight), ("w", 1.0)):
        columns = np.flatnonzero(kinds == kind)
        vectors = sp.csr_matrix(present[:, columns].multiply(idf[columns]))
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        vectors = sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ vectors)
        cosine = np.asarray(vectors[first].multiply(vectors[second]).sum(axis=1)).ravel()
        both = (norms[first] > 0) & (norms[second] > 0)
        if kind == "d":  # figures change as a toll rises: shared ones are evidence, different ones are not
            both &= cosine > 0
        total += kind_weight * cosine
        weight += kind_weight * both
        if kind == "n":
            gate &= ~both | (cosine >= settings.min_name_similarity)
    mean = np.where(gate, np.divide(total, weight, out=np.zeros_like(total), where=weight > 0), 0.0)
    quotes = sp.csr_matrix(present[:, np.flatnonzero(kinds == "q")])
    shared_quote = np.asarray(quotes[first].multiply(quotes[second]).sum(axis=1)).ravel() > 0
    return np.where(shared_quote, np.maximum(mean, settings.shared_quote_similarity), mean)


def _day(published: str | None) -> int:
    """Days since year 1 of an ISO date; -1 when there is none or it cannot be read."""
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return -1


def _candidate_pairs(rare: sp.csr_matrix, days: I64, settings: ClusterSettings) -> tuple[I64, I64]:
    """Pairs (i < j) sharing ``min_shared`` rare terms and published within the window."""
    firsts: list[I64] = []
    seconds: list[I64] = []
    for block_first, block_second in _shared_term_pairs(rare, settings):
        gap = np.abs(days[block_first] - days[block_second])
        undated = (days[block_first] < 0) | (days[block_second] < 0)
        near = undated | (gap <= settings.window_days)
        firsts.append(block_first[near])
        seconds.append(block_second[near])
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def _shared_term_pairs(rare: sp.csr_matrix, settings: ClusterSettings) -> Iterator[tuple[I64, I64]]:
    transposed = sp.csr_matrix(rare.T)
    for start in range(0, rare.shape[0], settings.chunk_rows):
        shared = sp.coo_matrix(rare[start:start + settings.chunk_rows] @ transposed)
        rows = shared.row.astype(np.int64) + start
        columns = shared.col.astype(np.int64)
        keep = (shared.data >= settings.min_shared) & (rows < columns)
        yield rows[keep], columns[keep]


def _average_linkage(count: int, first: I64, second: I64, similarity: npt.NDArray[np.float64],
                     threshold: float) -> list[list[int]]:
    """Agglomerative clustering by average linkage over a sparse similarity graph.

    The best pair of clusters (highest mean similarity over all their member
    pairs, missing pairs 0) merges while that mean reaches ``threshold``;
    ties go to the smallest ids, so the result does not depend on run history.
    """
    sums: list[dict[int, float]] = [{} for _ in range(count)]
    for a, b, s in zip(first.tolist(), second.tolist(), similarity.tolist()):
        sums[a][b] = sums[a].get(b, 0.0) + s
        sums[b][a] = sums[b].get(a, 0.0) + s
    members: list[list[int]] = [[i] for i in range(count)]
    version = [0] * count
    heap = [(-s, a, b, 0, 0) for a in range(count) for b, s in sums[a].items() if a < b and s >= threshold]
    heapq.heapify(heap)
    while heap:
        negative_mean, a, b, version_a, version_b = heapq.heappop(heap)
        if version[a] != version_a or version[b] != version_b:
            continue  # one of the two merged since: its entry is stale
        if -negative_mean < threshold:
            break
        _merge(a, b, sums, members, version)
        for other, total in sums[a].items():
            mean = total / (len(members[a]) * len(members[other]))
            if mean >= threshold:
                low, high = min(a, other), max(a, other)
                heapq.heappush(heap, (-mean, low, high, version[low], version[high]))
    return [group for group in members if group]


def _merge(a: int, b: int, sums: list[dict[int, float]], members: list[list[int]], version: list[int]) -> None:
    """Cluster ``b`` joins ``a`` (a < b): its similarity sums are added to a's."""
    for other, total in sums[b].items():
        del sums[other][b]
        if other != a:
            sums[a][other] = sums[a].get(other, 0.0) + total
            sums[other][a] = sums[a][other]
    sums[a].pop(b, None)
    sums[b] = {}
    members[a].extend(members[b])
    members[b] = []
    version[a] += 1
    version[b] += 1
