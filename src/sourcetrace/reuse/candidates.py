"""Candidate pairs of near-duplicate segments: LSH banding, then verification.

A bucket collision is not an edge. Connected components over raw LSH
collisions chain unrelated texts into giant clusters, so every pair that
shares a bucket is checked twice before it is reported:

1. the Jaccard similarity estimated from the two signatures must reach
   ``threshold - margin`` (cheap, vectorised over all pairs);
2. the exact Jaccard and containments of the two shingle sets decide:
   an edge needs ``jaccard >= threshold`` or, when the contained side has
   at least ``min_excerpt_shingles`` shingles, a containment of at least
   ``containment_threshold``.

Excerpts. An excerpt of a third of a text has a Jaccard similarity of about
0.33 with it, far below an LSH tuned for 0.8. With ``excerpts=True`` every
segment is also cut into overlapping windows of two blocks
(``2 * block_shingles`` shingles, about 70 words, stride 32), and windows
are banded at ``window_threshold``. Two windows covering the same passage are
misaligned by at most half a block, so their Jaccard is at least 0.6 and
they collide with high probability. Pairs found through windows skip step 1
(their whole-text Jaccard is low by design) and go straight to the exact
check. Limit: an excerpt much shorter than one window (under ~40 words) is
found only if its Jaccard with the whole text or a window reaches the
thresholds, i.e. usually not.

Exact copies. Segments whose shingle sets are identical are grouped first;
only the lowest id of each group enters the LSH and every other member gets
one edge to it (jaccard 1). So 500 copies of a wire story cost 499 edges, not
124,750, and the families (connected components of the edges) are the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from sourcetrace.engines.contract import Engine
from sourcetrace.reuse.minhash import (
    EMPTY_SLOT,
    U32,
    SignatureBatch,
    SignatureStage,
    SketchParams,
    TextRecord,
    batched,
)
from sourcetrace.reuse.shingles import (
    I64,
    U64,
    fixed_constants,
    mix64,
    shingle_hash_batch,
    sorted_unique,
)

TextLookup = Callable[[Sequence[int]], Sequence[str]]  # segment ids -> their texts


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """A verified near-duplicate edge between segments ``a < b``."""

    a: int
    b: int
    jaccard: float
    containment_a_in_b: float  # share of a's shingles that are in b
    containment_b_in_a: float


@dataclass(frozen=True, slots=True)
class QueryMatch:
    """An indexed segment that a query text verifiably resembles."""

    segment_id: int
    jaccard: float
    containment_query_in_segment: float
    containment_segment_in_query: float


@lru_cache(maxsize=64)
def choose_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """Bands and rows per band whose S-curve ``1 - (1 - s**rows)**bands`` best
    approximates a step at ``threshold``: minimises the weighted area of false
    positives (below the threshold) and false negatives (above it)."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    below = np.linspace(0.0, threshold, 512)
    above = np.linspace(threshold, 1.0, 512)
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            false_positive = np.trapezoid(1 - (1 - below**rows) ** bands, below)
            false_negative = np.trapezoid((1 - above**rows) ** bands, above)
            error = false_positive_weight * false_positive + false_negative_weight * false_negative
            if best is None or error < best[0]:
                best = (float(error), bands, rows)
    assert best is not None
    return best[1], best[2]


class _Banding:
    """Band keys of signatures: one 64-bit key per (signature, band)."""

    def __init__(self, threshold: float, num_perm: int, seed: int, weights: tuple[float, float]) -> None:
        self.bands, self.rows = choose_bands(threshold, num_perm, *weights)
        self._weights = fixed_constants(seed + 0xBA4D, self.rows, odd=True)

    def keys(self, signatures: U32) -> U64:
        used = self.bands * self.rows
        keys = np.empty((len(signatures), self.bands), dtype=np.uint64)
        for first in range(0, len(signatures), 8192):  # bounds the uint64 temporary
            part = signatures[first : first + 8192, :used].astype(np.uint64)
            part = part.reshape(len(part), self.bands, self.rows) * self._weights
            keys[first : first + len(part)] = mix64(part.sum(axis=2, dtype=np.uint64))
        return keys


# A bucket of k items makes k(k-1)/2 pairs. Past MAX_BUCKET items (exact copies are collapsed
# before this: what is left is thousands of near-identical pages, one template with other figures),
# each item is paired only with the next BUCKET_NEIGHBOURS items in input order: the bucket stays
# connected, so its texts still form one family, and the pairs grow as k, not k².
MAX_BUCKET = 200
BUCKET_NEIGHBOURS = 8


def _bucket_positions(length: int) -> tuple[I64, I64]:
    """The (first, second) positions paired within a bucket of ``length`` items."""
    if length <= MAX_BUCKET:
        first, second = np.triu_indices(length, 1)
        return first.astype(np.int64), second.astype(np.int64)
    first = np.repeat(np.arange(length, dtype=np.int64), BUCKET_NEIGHBOURS)
    second = first + np.tile(np.arange(1, BUCKET_NEIGHBOURS + 1, dtype=np.int64), length)
    inside = second < length
    return first[inside], second[inside]


def _colliding_pairs(keys: U64, owners: I64, stats: Counter[str]) -> I64:
    """(owner, owner) pairs sharing a key in some band, as ``lo * 2**32 + hi``
    codes, unique, without self pairs: every pair of a bucket, but in a bucket
    of more than MAX_BUCKET items only neighbours (counted in
    ``stats["bounded_buckets"]``). ``keys`` is (items, bands);
    ``stats["largest_bucket"]`` shows the largest bucket."""
    codes: list[I64] = [np.zeros(0, dtype=np.int64)]
    for band in range(keys.shape[1]):
        # Stable: within a bucket items keep input order, so a bounded bucket's neighbours are always the same.
        order = np.argsort(keys[:, band], kind="stable")
        sorted_keys = keys[order, band]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        lengths = np.diff(np.r_[starts, len(order)])
        stats["largest_bucket"] = max(stats["largest_bucket"], int(lengths.max(initial=0)))
        stats["bounded_buckets"] += int((lengths > MAX_BUCKET).sum())
        for length in sorted_unique(lengths[lengths >= 2]):
            left, right = _bucket_positions(int(length))
            run_starts = starts[lengths == length][:, None]
            first, second = owners[order[run_starts + left]], owners[order[run_starts + right]]
            keep = first != second
            lo, hi = np.minimum(first, second)[keep], np.maximum(first, second)[keep]
            codes.append(sorted_unique(lo * _PAIR_BASE + hi))
    return sorted_unique(np.concatenate(codes))


_PAIR_BASE = np.int64(1 << 32)


@dataclass(frozen=True, slots=True)
class _Part:
    """What the index keeps of one added batch."""

    ids: I64
    signatures: U32
    shingles_of: Callable[[int], U64] | None  # local index -> positional shingles
    window_keys: U64 | None
    window_owners: I64 | None  # local index of each window's segment


@dataclass(frozen=True, slots=True)
class _Built:
    """The index's parts concatenated; positions index these arrays."""

    ids: I64
    signatures: U32
    doc_keys: U64
    window_keys: U64
    window_owners: I64  # positions
    has_words: npt.NDArray[np.bool_]
    part_of: I64
    local_of: I64


class LSHIndex:
    """Near-duplicate and excerpt candidates among segments, verified into edges.

    Add :class:`SignatureBatch` es (from :meth:`signature_stage`, run on any
    engine) or texts, then ask for :meth:`verified_pairs` (all edges) or
    :meth:`query` (segments resembling one new text). Exact verification needs
    the shingle sets: kept from the batches by default, or recomputed for the
    few segments involved from ``text_lookup`` when batches were made with
    ``keep_shingles=False`` (8 bytes per word saved).

    Bands are chosen like datasketch does (the S-curve closest to a step at
    the threshold), but with ``lsh_weights`` = (false positive, false
    negative) favouring recall: every candidate is verified exactly, so a
    false positive costs microseconds while a false negative loses an edge.
    With the defaults a pair at Jaccard 0.8 becomes a candidate with
    probability 0.87 and one at 0.85 with 0.97 (0.40 and 0.69 with
    datasketch's equal weights).
    """

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        *,
        shingle_size: int = 5,
        seed: int = 1,
        margin: float = 0.1,
        containment_threshold: float = 0.8,
        min_excerpt_shingles: int = 20,
        excerpts: bool = True,
        window_threshold: float = 0.5,
        block_shingles: int = 32,
        lsh_weights: tuple[float, float] = (0.1, 0.9),
        text_lookup: TextLookup | None = None,
    ) -> None:
        self.params = SketchParams(shingle_size, num_perm, seed, block_shingles)
        self.threshold = threshold
        self.margin = margin
        self.containment_threshold = containment_threshold
        self.min_excerpt_shingles = min_excerpt_shingles
        self.excerpts = excerpts
        self.text_lookup = text_lookup
        self._doc_banding = _Banding(threshold, num_perm, seed, lsh_weights)
        # Windows keep equal weights: an aligned window pair is already at 0.6
        # or more, above window_threshold, and an excerpt has several windows.
        self._window_banding = _Banding(window_threshold, num_perm, seed + 1, (0.5, 0.5))
        self._parts: list[_Part] = []
        self._built: _Built | None = None
        self._tables: tuple[list[tuple[U64, I64]], list[tuple[U64, I64]]] | None = None
        self._sets: dict[int, U64] = {}
        self.stats: Counter[str] = Counter()

    @property
    def bands(self) -> tuple[int, int]:
        """(bands, rows per band) of the whole-segment LSH."""
        return self._doc_banding.bands, self._doc_banding.rows

    def signature_stage(self, *, keep_shingles: bool = True) -> SignatureStage:
        """The stage that makes batches this index accepts."""
        return SignatureStage(self.params, windows=self.excerpts, keep_shingles=keep_shingles)

    def add(self, batch: SignatureBatch) -> None:
        if batch.params != self.params:
            raise ValueError(f"signatures made with {batch.params}, this index uses {self.params}")
        windows = batch.window_signatures
        if self.excerpts and windows is None:
            raise ValueError("this index finds excerpts: make batches with windows=True")
        shingles = batch.shingles
        self._parts.append(
            _Part(
                ids=batch.ids,
                signatures=batch.signatures,
                shingles_of=shingles.of if shingles is not None else None,
                # Only the band keys of windows are kept, not their signatures.
                window_keys=self._window_banding.keys(windows) if self.excerpts and windows is not None else None,
                window_owners=batch.window_owners,
            )
        )
        self._built = None
        self._tables = None

    def add_texts(self, records: Iterable[TextRecord], batch_size: int = 256, *, engine: Engine | None = None) -> None:
        """Sign and add (segment_id, text) records, on ``engine`` when given
        (in this process otherwise)."""
        stage = self.signature_stage()
        batches = batched(records, batch_size)
        signed = engine.map(stage, batches, chunksize=1) if engine is not None else map(stage.process, batches)
        for batch in signed:
            self.add(batch)

    # --- all pairs -------------------------------------------------------

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """Raw LSH collisions (segment ids, a < b) before any verification,
        exact copies collapsed. For inspection and tests: these are not edges."""
        built = self._build()
        self._reset_stats(built)
        representatives, _ = self._collapse_exact_copies(built)
        codes, _ = self._candidate_codes(built, representatives)
        lo, hi = np.divmod(codes, _PAIR_BASE)
        return sorted(zip(built.ids[lo].tolist(), built.ids[hi].tolist()))

    def verified_pairs(self) -> list[CandidatePair]:
        """Every verified edge, sorted by (a, b). ``stats`` then tells how many
        candidates there were and why the others were rejected."""
        built = self._build()
        self._reset_stats(built)
        representatives, copies = self._collapse_exact_copies(built)
        codes, from_windows = self._candidate_codes(built, representatives)
        lo, hi = np.divmod(codes, _PAIR_BASE)
        estimate = _estimated_jaccard(built.signatures, lo, hi)
        plausible = (estimate >= self.threshold - self.margin) | from_windows
        self.stats["rejected_by_estimate"] += int(np.count_nonzero(~plausible))
        lo, hi = lo[plausible], hi[plausible]
        self._load_sets(built, np.concatenate([lo, hi]))
        edges = [pair for pair in map(self._exact_pair, lo.tolist(), hi.tolist()) if pair is not None]
        self.stats["rejected_by_exact_check"] += len(lo) - len(edges)
        edges.extend(copies)
        self.stats["edges"] += len(edges)
        return sorted(edges, key=lambda pair: (pair.a, pair.b))

    def _reset_stats(self, built: _Built) -> None:
        self.stats = Counter({"segments_without_words": int(np.count_nonzero(~built.has_words))})

    def _candidate_codes(self, built: _Built, representatives: I64) -> tuple[I64, npt.NDArray[np.bool_]]:
        """Pair codes from whole-segment bands and from excerpt windows, and
        which of them came from windows."""
        doc_codes = _colliding_pairs(built.doc_keys[representatives], representatives, self.stats)
        self.stats["candidate_pairs"] += len(doc_codes)
        if not self.excerpts:
            return doc_codes, np.zeros(len(doc_codes), dtype=bool)
        is_representative = np.zeros(len(built.ids), dtype=bool)
        is_representative[representatives] = True
        kept = is_representative[built.window_owners]
        window_codes = _colliding_pairs(built.window_keys[kept], built.window_owners[kept], self.stats)
        codes = sorted_unique(np.concatenate([doc_codes, window_codes]))
        self.stats["window_candidate_pairs"] += len(np.setdiff1d(window_codes, doc_codes, assume_unique=True))
        return codes, np.isin(codes, window_codes, assume_unique=True)

    def _collapse_exact_copies(self, built: _Built) -> tuple[I64, list[CandidatePair]]:
        """Positions that enter the LSH, and an edge from every exact copy to
        the lowest-id segment with the same shingle set. Copies have identical
        signatures, so only signature twins are compared."""
        positions = np.flatnonzero(built.has_words)
        row_keys = _row_keys(built.signatures[positions])
        order = np.argsort(row_keys)
        sorted_keys = row_keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(order)]
        copies: list[CandidatePair] = []
        dropped: list[int] = []
        for start, end in zip(starts[ends - starts >= 2].tolist(), ends[ends - starts >= 2].tolist()):
            group = positions[order[start:end]]
            group = group[np.argsort(built.ids[group], kind="stable")]  # the lowest id represents
            self._load_sets(built, group)
            first = int(group[0])
            for other in group[1:].tolist():
                if np.array_equal(self._sets[first], self._sets[other]):
                    copies.append(_pair(int(built.ids[first]), int(built.ids[other]), 1.0, 1.0, 1.0))
                    dropped.append(other)
        self.stats["exact_copies"] += len(copies)
        return np.setdiff1d(positions, np.array(dropped, dtype=np.int64)), copies

    def _exact_pair(self, lo: int, hi: int) -> CandidatePair | None:
        built = self._built
        assert built is not None
        first, second = self._sets[lo], self._sets[hi]
        common = _overlap(first, second)
        jaccard = common / (len(first) + len(second) - common)
        first_in_second, second_in_first = common / len(first), common / len(second)
        if not self._is_edge(jaccard, (first_in_second, len(first)), (second_in_first, len(second))):
            return None
        return _pair(int(built.ids[lo]), int(built.ids[hi]), jaccard, first_in_second, second_in_first)

    def _is_edge(self, jaccard: float, *containments: tuple[float, int]) -> bool:
        if jaccard >= self.threshold:
            return True
        return any(
            share >= self.containment_threshold and size >= self.min_excerpt_shingles
            for share, size in containments
        )

    # --- one text against the index -----------------------------------------

    def query(self, text: str) -> list[QueryMatch]:
        """Indexed segments that ``text`` verifiably resembles or contains, or
        that contain it; most similar first."""
        built = self._build()
        doc_tables, window_tables = self._lookup_tables(built)
        batch = self.signature_stage().process([(-1, text)])
        assert batch.shingles is not None
        found = [_look_up(doc_tables, self._doc_banding.keys(batch.signatures))]
        if self.excerpts and batch.window_signatures is not None and len(batch.window_signatures):
            windows = _look_up(window_tables, self._window_banding.keys(batch.window_signatures))
            found.append(built.window_owners[windows])
        candidates = sorted_unique(np.concatenate(found))
        self._load_sets(built, candidates)
        query_set = sorted_unique(batch.shingles.hashes)
        matches = [self._exact_match(query_set, position) for position in candidates.tolist()]
        return sorted(
            (match for match in matches if match is not None),
            key=lambda m: (-max(m.jaccard, m.containment_query_in_segment, m.containment_segment_in_query), m.segment_id),
        )

    def _exact_match(self, query_set: U64, position: int) -> QueryMatch | None:
        indexed = self._sets[position]
        if len(query_set) == 0:
            return None
        common = _overlap(query_set, indexed)
        jaccard = common / (len(query_set) + len(indexed) - common)
        query_in, indexed_in = common / len(query_set), common / len(indexed)
        if not self._is_edge(jaccard, (query_in, len(query_set)), (indexed_in, len(indexed))):
            return None
        assert self._built is not None
        return QueryMatch(int(self._built.ids[position]), jaccard, query_in, indexed_in)

    def _lookup_tables(self, built: _Built) -> tuple[list[tuple[U64, I64]], list[tuple[U64, I64]]]:
        """Per band: sorted keys and the positions (or windows) they belong to."""
        if self._tables is None:
            positions = np.flatnonzero(built.has_words)
            self._tables = (_sorted_bands(built.doc_keys[positions], positions), [])
            if self.excerpts:
                windows = np.arange(len(built.window_owners))
                self._tables[1].extend(_sorted_bands(built.window_keys, windows))
        return self._tables

    # --- state ---------------------------------------------------------------

    def _build(self) -> _Built:
        if self._built is not None:
            return self._built
        parts = self._parts
        ids = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        if len(sorted_unique(ids)) != len(ids):
            raise ValueError("segment ids added to the index must be unique")
        signatures = (
            np.concatenate([p.signatures for p in parts])
            if parts
            else np.zeros((0, self.params.num_perm), dtype=np.uint32)
        )
        sizes = np.array([len(p.ids) for p in parts], dtype=np.int64)
        part_starts = np.cumsum(sizes) - sizes
        window_keys, window_owners = np.zeros((0, self._window_banding.bands), dtype=np.uint64), np.zeros(0, np.int64)
        if self.excerpts and parts:
            window_keys = np.concatenate([p.window_keys for p in parts])
            window_owners = np.concatenate([p.window_owners + start for p, start in zip(parts, part_starts)])
        self._sets.clear()
        self._built = _Built(
            ids=ids,
            signatures=signatures,
            doc_keys=self._doc_banding.keys(signatures),
            window_keys=window_keys,
            window_owners=window_owners,
            has_words=~np.all(signatures == EMPTY_SLOT, axis=1),
            part_of=np.repeat(np.arange(len(parts)), sizes),
            local_of=np.arange(len(ids)) - np.repeat(part_starts, sizes),
        )
        return self._built

    def _load_sets(self, built: _Built, positions: I64) -> None:
        """Make the sorted shingle sets of ``positions`` available in
        ``self._sets``: from the kept shingles, else from ``text_lookup``."""
        missing = [p for p in sorted_unique(positions).tolist() if p not in self._sets]
        from_texts: list[int] = []
        for position in missing:
            shingles_of = self._parts[built.part_of[position]].shingles_of
            if shingles_of is None:
                from_texts.append(position)
            else:
                self._sets[position] = sorted_unique(shingles_of(int(built.local_of[position])))
        if not from_texts:
            return
        if self.text_lookup is None:
            raise ValueError("batches were made without shingles and the index has no text_lookup")
        texts = self.text_lookup(built.ids[from_texts].tolist())
        shingles = shingle_hash_batch(texts, self.params.shingle_size)
        for index, position in enumerate(from_texts):
            self._sets[position] = sorted_unique(shingles.of(index))


def _pair(first: int, second: int, jaccard: float, first_in_second: float, second_in_first: float) -> CandidatePair:
    if first < second:
        return CandidatePair(first, second, jaccard, first_in_second, second_in_first)
    return CandidatePair(second, first, jaccard, second_in_first, first_in_second)


def _estimated_jaccard(signatures: U32, lo: I64, hi: I64) -> npt.NDArray[np.float64]:
    """Share of equal slots for each pair, in chunks to bound memory."""
    estimate = np.empty(len(lo), dtype=np.float64)
    for first in range(0, len(lo), 65536):
        chunk = slice(first, first + 65536)
        estimate[chunk] = np.mean(signatures[lo[chunk]] == signatures[hi[chunk]], axis=1)
    return estimate


_ROW_WEIGHTS = fixed_constants(0x2EC0, 1024, odd=True)


def _row_keys(signatures: U32) -> U64:
    """A 64-bit key per whole signature (equal signatures, equal keys)."""
    keys = np.empty(len(signatures), dtype=np.uint64)
    weights = _ROW_WEIGHTS[: signatures.shape[1]] if signatures.shape[1] <= len(_ROW_WEIGHTS) else None
    if weights is None:
        raise ValueError("num_perm over 1024 is not supported")
    for first in range(0, len(signatures), 8192):
        part = signatures[first : first + 8192].astype(np.uint64) * weights
        keys[first : first + len(part)] = mix64(part.sum(axis=1, dtype=np.uint64))
    return keys


def _overlap(first: U64, second: U64) -> int:
    """How many values two sorted unique arrays share."""
    if len(first) > len(second):
        first, second = second, first
    if len(first) == 0:
        return 0
    at = np.minimum(np.searchsorted(second, first), len(second) - 1)
    return int(np.count_nonzero(second[at] == first))


def _sorted_bands(keys: U64, items: I64) -> list[tuple[U64, I64]]:
    tables = []
    for band in range(keys.shape[1]):
        order = np.argsort(keys[:, band])
        tables.append((keys[order, band], items[order]))
    return tables


def _look_up(tables: list[tuple[U64, I64]], keys: U64) -> I64:
    """Items whose key equals one of ``keys`` (queries x bands) in its band."""
    found: list[I64] = [np.zeros(0, dtype=np.int64)]
    for band, (sorted_keys, items) in enumerate(tables):
        lows = np.searchsorted(sorted_keys, keys[:, band], side="left")
        highs = np.searchsorted(sorted_keys, keys[:, band], side="right")
        found.extend(items[low:high] for low, high in zip(lows.tolist(), highs.tolist()) if high > low)
    return np.concatenate(found)
