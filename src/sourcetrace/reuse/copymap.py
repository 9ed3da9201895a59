"""The copy map of a case: who copied whom, and the families of one text.

:func:`build_copy_map` runs the whole reuse stage on a case's kept segments:

1. exact copies (same normalised words) are grouped first, so 500 copies of
   a wire story cost 499 links, not 124,750 comparisons;
2. candidate pairs come from two indexes, never all pairs: MinHash LSH
   (:class:`~sourcetrace.reuse.candidates.LSHIndex`: near-duplicates and
   excerpts) and rare words (:class:`~sourcetrace.reuse.rewrites.AnchorIndex`:
   also rewrites, whose word 5-grams are mostly gone); a word's rarity counts
   text groups (exact copies and LSH near-duplicates as one), so syndication
   does not make a story's own words common;
3. every candidate is classified (:func:`~sourcetrace.reuse.relations.classify_pair`)
   on all cores by :class:`PairClassificationStage`; sentence vectors are made
   only for the pairs that reach the rewrite test;
4. families, origins and parents (:func:`~sourcetrace.reuse.families.build_families`).

:class:`ReuseIndex` answers "trace": given a new text (a press release), which
segments reuse it, how, and where.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from sourcetrace.engines.contract import Engine, MapStep
from sourcetrace.records import Family, Passage, Relation, RelationKind, SegmentForReuse
from sourcetrace.reuse.candidates import CandidatePair, LSHIndex
from sourcetrace.reuse.decided import DecidedFamilies
from sourcetrace.reuse.families import build_families
from sourcetrace.reuse.relations import PairVerdict, PreparedSegment, classify_pair
from sourcetrace.reuse.rewrites import AnchorIndex, WordTable, default_embedder
from sourcetrace.reuse.shingles import WordHashes, word_hashes

MINHASH_THRESHOLD = 0.8


@dataclass(frozen=True, slots=True)
class CopyMap:
    relations: tuple[Relation, ...]
    families: tuple[Family, ...]
    text_groups: Mapping[int, int]  # segment -> its text group (see :func:`text_groups`)


@dataclass(frozen=True, slots=True)
class PairTask:
    a: int
    a_text: str
    b: int
    b_text: str


class PairClassificationStage(MapStep[PairTask, PairVerdict | None]):
    """Classify candidate pairs; keeps recent segments' prepared texts and
    sentence vectors (tasks arrive sorted by their first segment)."""

    name = "copy-classify"

    def __init__(self, cache_size: int = 4096) -> None:
        super().__init__()
        self.cache_size = cache_size
        self._cache: dict[int, PreparedSegment] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"stats": self.stats, "cache_size": self.cache_size}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.stats = state["stats"]  # type: ignore[assignment]
        self.cache_size = state["cache_size"]  # type: ignore[assignment]
        self._cache = {}

    def process(self, record: PairTask) -> PairVerdict | None:
        verdict = classify_pair(
            self._prepared(record.a, record.a_text),
            self._prepared(record.b, record.b_text),
            default_embedder(),
        )
        self.stats[verdict.kind if verdict else "not_derived"] += 1
        return verdict

    def _prepared(self, segment_id: int, text: str) -> PreparedSegment:
        cached = self._cache.pop(segment_id, None)
        if cached is None:
            if len(self._cache) >= self.cache_size:
                del self._cache[next(iter(self._cache))]  # least recently used
            cached = PreparedSegment.of(segment_id, text)
        self._cache[segment_id] = cached  # dicts keep insertion order: most recent last
        return cached


@dataclass(frozen=True, slots=True)
class CopyCandidates:
    """The pairs worth verifying in a set of segments, and what families need
    of the candidate search: computed over the whole case at every run (it is
    cheap and rests on case-wide word rarity); only new pairs are verified."""

    representative_of: Mapping[int, int]  # segment -> lowest id with the same words
    text_groups: Mapping[int, int]  # segment -> its text group (see :func:`text_groups`)
    representatives: tuple[int, ...]  # sorted: the rows of ``words``
    words: WordTable  # the representatives' words, for the trace index too
    anchors: AnchorIndex
    pairs: tuple[tuple[int, int], ...]  # sorted, a < b: candidates and exact copies


def find_candidates(segments: Sequence[SegmentForReuse], engine: Engine | None = None) -> CopyCandidates:
    """Exact copies, MinHash LSH near-duplicates and rare-word pairs."""
    all_words = word_hashes([s.text for s in segments])  # hashed once for exact copies and rare words
    representative_of = exact_groups(segments, all_words)
    representatives = sorted(set(representative_of.values()))
    by_id = {s.id: s.text for s in segments}
    texts = {i: by_id[i] for i in representatives}
    near_duplicates = near_duplicate_pairs(representatives, texts, engine=engine)
    group_of = text_groups(representative_of, near_duplicates)
    position = {s.id: k for k, s in enumerate(segments)}
    words = WordTable.of_words(
        all_words.select([position[i] for i in representatives]), [group_of[i] for i in representatives]
    )
    anchors = AnchorIndex.from_table(representatives, words)
    # Exact copies are classified too, for their passages (cheap: same words).
    exact_pairs = [(min(r, s), max(r, s)) for s, r in representative_of.items() if s != r]
    pairs = tuple(sorted(set(candidate_pairs(near_duplicates, anchors, engine)) | set(exact_pairs)))
    return CopyCandidates(representative_of, group_of, tuple(representatives), words, anchors, pairs)


def pair_tasks(pairs: Iterable[tuple[int, int]], texts: Mapping[int, str]) -> Iterator[PairTask]:
    return (PairTask(a, texts[a], b, texts[b]) for a, b in pairs)


def copy_families(
    segments: Sequence[SegmentForReuse], verdicts: Sequence[PairVerdict], candidates: CopyCandidates,
    decided: DecidedFamilies | None = None,
) -> CopyMap:
    """Families, origins and parents from the verdicts on the candidate pairs
    (reusing ``decided`` families whose inputs are unchanged)."""
    by_id = {s.id: s for s in segments}
    representative_of, anchors = candidates.representative_of, candidates.anchors

    def related(first: int, second: int) -> bool:
        a, b = representative_of[first], representative_of[second]
        return topically_related(anchors.topical_similarity(a, b), by_id[a].text, by_id[b].text)

    graph = build_families(by_id, verdicts, related, decided)
    return CopyMap(graph.relations, graph.families, candidates.text_groups)


def build_copy_map(segments: Sequence[SegmentForReuse], engine: Engine | None = None) -> CopyMap:
    """Relations and families of ``segments`` (a case's kept segments), in
    one go: what the pipeline's copy steps do, without a case."""
    candidates = find_candidates(segments, engine)
    texts = {s.id: s.text for s in segments}
    tasks = pair_tasks(candidates.pairs, texts)
    step = PairClassificationStage()
    found = engine.map(step, tasks, chunksize=64) if engine is not None else map(step.process, tasks)
    return copy_families(segments, [v for v in found if v is not None], candidates)


RARE_WORD_RELATED = 0.1  # cosine of rare-word vectors
MEANING_RELATED = 0.35  # cosine of whole-text WordLlama vectors


def topically_related(rare_word_cosine: float, first_text: str, second_text: str) -> bool:
    """Whether two texts are about the same thing: they share weighted rare
    words, or their whole-text embeddings are close. Two halves of one story
    pass (in bench/copy_accuracy.py's corpus the halves of a story are 0.3 or
    more apart in meaning, unrelated stories mostly less); two stories of an
    aggregator page usually fail."""
    if rare_word_cosine >= RARE_WORD_RELATED:
        return True
    vectors = default_embedder().embed([first_text, second_text])
    return float(vectors[0] @ vectors[1]) >= MEANING_RELATED


def exact_groups(segments: Sequence[SegmentForReuse], words: WordHashes | None = None) -> dict[int, int]:
    """Segment id -> the lowest id with the same normalised words
    (``words``: the segments' word hashes, when already made)."""
    words = words if words is not None else word_hashes([s.text for s in segments])
    ends = np.cumsum(words.counts)
    first_of: dict[bytes, int] = {}
    representative: dict[int, int] = {}
    for segment, end, count in sorted(zip(segments, ends.tolist(), words.counts.tolist()), key=lambda t: t[0].id):
        digest = (
            hashlib.blake2b(words.hashes[end - count : end].tobytes(), digest_size=16).digest()
            if count
            else segment.id.to_bytes(8, "little", signed=True) + b"empty"
        )
        representative[segment.id] = first_of.setdefault(digest, segment.id)
    return representative


def near_duplicate_pairs(
    ids: Sequence[int], texts: Mapping[int, str], *, engine: Engine | None = None
) -> list[CandidatePair]:
    """MinHash LSH pairs, verified at the usual threshold, excerpts included."""
    lsh = LSHIndex(MINHASH_THRESHOLD)
    lsh.add_texts(((i, texts[i]) for i in ids), engine=engine)
    pairs = lsh.verified_pairs()
    if engine is not None:  # in the run's counters: buckets past the bound pair only neighbours
        engine.count("largest_bucket", lsh.stats["largest_bucket"])
        engine.count("bounded_buckets", lsh.stats["bounded_buckets"])
    return pairs


def text_groups(representative_of: Mapping[int, int], near_duplicates: Iterable[CandidatePair]) -> dict[int, int]:
    """Segment id -> the lowest id of its text group: exact copies and
    near-duplicates (Jaccard at least :data:`MINHASH_THRESHOLD`; an excerpt is
    not one, or a roundup would join the stories it carries), joined
    transitively. Groups only tell the rare-word index how many *different*
    texts have a word; they are never families."""
    ids = sorted(representative_of)
    row = {segment: k for k, segment in enumerate(ids)}
    edges = [(row[p.a], row[p.b]) for p in near_duplicates if p.jaccard >= MINHASH_THRESHOLD]
    edges += [(row[s], row[r]) for s, r in representative_of.items() if s != r]
    first = np.array([e[0] for e in edges], dtype=np.int64)
    second = np.array([e[1] for e in edges], dtype=np.int64)
    graph = sp.coo_matrix((np.ones(len(edges)), (first, second)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    lowest = np.full(len(ids), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, labels, np.array(ids, dtype=np.int64))
    return {segment: int(lowest[label]) for segment, label in zip(ids, labels.tolist())}


def candidate_pairs(near_duplicates: Iterable[CandidatePair], anchors: AnchorIndex,
                    engine: Engine | None = None) -> list[tuple[int, int]]:
    """Near-duplicate pairs and rare-word pairs, sorted and unique."""
    found = {(p.a, p.b) for p in near_duplicates}
    found.update((p.a, p.b) for p in anchors.pairs(engine=engine))
    return sorted(found)


# --- trace: who reuses a new text ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reuse:
    """A segment that reuses the query text; ``passages`` give offsets in the
    query text as ``parent_*`` and in the segment as ``start/end``."""

    segment: int
    kind: RelationKind
    score: float
    passages: tuple[Passage, ...]


def trace_cap(segments: int) -> int:
    """A query costs one sparse product, so trace can afford the mid-frequency
    words that finding all pairs cannot (1% of the case, as rare as words of
    a story reported in many pages still are)."""
    return max(100, segments // 100)


class ReuseIndex:
    """Segments indexed by rare words, to find every segment that reuses a new
    text. Saved beside the case as one ``.npz`` (texts included, so a query
    needs nothing else)."""

    def __init__(self, anchors: AnchorIndex, texts: Mapping[int, str]) -> None:
        self.anchors = anchors
        self.texts = texts

    @classmethod
    def build(cls, segments: Sequence[SegmentForReuse], group_of: Mapping[int, int] | None = None) -> ReuseIndex:
        """Index ``segments``; ``group_of`` (:attr:`CopyMap.text_groups`)
        keeps a widely copied story's words rare (see :class:`AnchorIndex`)."""
        texts = {s.id: s.text for s in segments}
        ids = sorted(texts)
        if group_of is None:
            group_of = exact_groups(segments)
        groups = [group_of.get(i, i) for i in ids]
        return cls(AnchorIndex.build(ids, [texts[i] for i in ids], groups=groups, max_groups=trace_cap(len(ids))), texts)

    @classmethod
    def from_candidates(cls, segments: Sequence[SegmentForReuse], candidates: CopyCandidates) -> ReuseIndex:
        """The same index as :meth:`build` with the candidates' text groups,
        from the words the candidate search already tabled: an exact copy has
        its representative's words, so it gets its representative's row."""
        texts = {s.id: s.text for s in segments}
        ids = sorted(texts)
        row_of = {segment: row for row, segment in enumerate(candidates.representatives)}
        rows = [row_of[candidates.representative_of[i]] for i in ids]
        anchors = AnchorIndex.from_table(ids, candidates.words, max_groups=trace_cap(len(ids)), rows=rows)
        return cls(anchors, texts)

    def find_reuse(self, text: str, *, max_candidates: int = 1000) -> list[Reuse]:
        """Every indexed segment that copies, excerpts or rewrites ``text``,
        strongest first."""
        query = PreparedSegment.of(-1, text)
        found = []
        for segment_id, _ in self.anchors.query(text, min_overlap=0.3)[:max_candidates]:
            verdict = classify_pair(query, PreparedSegment.of(segment_id, self.texts[segment_id]))
            if verdict is not None:
                found.append(Reuse(segment_id, verdict.kind, verdict.score, verdict.passages))
        rank = {"exact": 0, "near_exact": 1, "excerpt": 2, "rewrite": 3}
        return sorted(found, key=lambda r: (rank[r.kind], -r.score, r.segment))

    def anchors_to_bytes(self) -> bytes:
        """The rare-word index alone (the texts stay where they are stored)."""
        buffer = io.BytesIO()
        self.anchors.save(buffer)
        return buffer.getvalue()

    @classmethod
    def from_anchor_bytes(cls, data: bytes, texts: Mapping[int, str]) -> ReuseIndex:
        """An index saved by :meth:`anchors_to_bytes`, reading texts from ``texts`` on demand."""
        return cls(AnchorIndex.load(io.BytesIO(data)), texts)

    def save(self, path: str | Path) -> None:
        ids = np.array(sorted(self.texts), dtype=np.int64)
        encoded = [self.texts[int(i)].encode("utf-8") for i in ids]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        np.savez_compressed(path, text_ids=ids, text_offsets=offsets, text_blob=blob, **self.anchors.arrays())

    @classmethod
    def load(cls, path: str | Path) -> ReuseIndex:
        with np.load(path) as f:
            blob = f["text_blob"].tobytes()
            offsets = f["text_offsets"].tolist()
            texts = {
                int(i): blob[offsets[k] : offsets[k + 1]].decode("utf-8") for k, i in enumerate(f["text_ids"].tolist())
            }
            return cls(AnchorIndex.from_arrays(f), texts)


def find_reuse(text: str, index: ReuseIndex) -> list[Reuse]:
    """Segments of ``index`` that reuse ``text`` (see :meth:`ReuseIndex.find_reuse`)."""
    return index.find_reuse(text)
