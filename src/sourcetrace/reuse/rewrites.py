"""Rewrites: texts spun sentence by sentence, and the signals that find them.

A spun copy (synonym swaps, back-translation) shares few word 5-grams with
its original, so MinHash misses it. Two things survive spinning and are used
here:

* rare words, names and numbers: :class:`AnchorIndex` weighs every word by
  its rarity in the case (IDF, common words dropped) and finds, for each
  segment, the segments sharing much of its rare-word weight. Sparse matrix
  products over rare words only, so never all pairs. It also finds exact
  copies and excerpts, and answers "who reuses this new text" queries.
* sentence meaning: each sentence of one text has a close counterpart in the
  other, mostly in the same order (:func:`rewrite_evidence`). Independent
  reports of one event share a quotation or two, not every sentence.

Sentence embeddings come from WordLlama, a static (token-average) embedding
shipped inside its PyPI package: numpy only, ~15,000 sentences/s on one core.
all-MiniLM-L6-v2 separates rewrites from independent reports a little better
but embeds ~60 sentences/s on these two cores (see the report of
bench/copy_accuracy.py); with the number/name agreement below the static
embedding reaches the targets, so the transformer is not needed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, TypedDict

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sourcetrace.engines.contract import Engine, MapStep
from sourcetrace.reuse.align import PreparedText, SentenceAlignment, align_sentences
from sourcetrace.reuse.shingles import WordHashes, sorted_unique, word_hashes

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

# --- sentence embeddings -------------------------------------------------------


class SentenceEmbedder:
    """Unit-length sentence vectors from the WordLlama static embedding.

    Loaded from the files inside the installed ``wordllama`` package (its own
    ``WordLlama.load`` looks for the tokenizer in a folder the wheel does not
    have and then tries to download it; nothing may download at run time).
    """

    def __init__(self) -> None:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer

        base = Path(wordllama.__file__).parent
        with safe_open(str(base / "weights" / "l2_supercat_256.safetensors"), framework="np") as weights:
            self._table = np.ascontiguousarray(weights.get_tensor("embedding.weight"), dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(base / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    def embed(self, sentences: Sequence[str]) -> F32:
        vectors = np.zeros((len(sentences), self._table.shape[1]), dtype=np.float32)
        if not sentences:
            return vectors
        # Whitespace runs become one space: the tokenizer reads a line break as a token of its
        # own and the next word without its word-start mark, so a hard-wrapped sentence would
        # score below its own reflowed copy (0.97 instead of 1.0): wire archives are hard-wrapped.
        unwrapped = [" ".join(sentence.split()) for sentence in sentences]
        for row, encoding in enumerate(self._tokenizer.encode_batch(unwrapped, add_special_tokens=False)):
            if encoding.ids:
                vectors[row] = self._table[encoding.ids].mean(axis=0)
        # float32 throughout; numpy's stubs type norm() with keepdims as Any.
        norms: F32 = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return vectors / norms

    def pieces_per_word(self, words: Sequence[str]) -> float:
        """Mean tokenizer pieces per word: rare and garbled words split into
        more pieces, so spun text scores higher than the text it came from."""
        if not words:
            return 0.0
        encodings = self._tokenizer.encode_batch([" " + w for w in words], add_special_tokens=False)
        return float(np.mean([len(e.ids) for e in encodings]))


@lru_cache(maxsize=1)
def default_embedder() -> SentenceEmbedder:
    """One embedder per process (worker processes each load their own)."""
    return SentenceEmbedder()


# --- sentence similarity ----------------------------------------------------------

_NUMBER = re.compile(r"\d")


def sentence_vectors(text: PreparedText, embedder: SentenceEmbedder) -> F32:
    return embedder.embed([text.sentence_text(i) for i in range(len(text.sentences))])


def sentence_similarity(a: PreparedText, b: PreparedText, vectors_a: F32, vectors_b: F32) -> F64:
    """Cosine of sentence vectors, lowered where the sentences' figures
    disagree: spinning keeps numbers, templated reports of other events
    ("profit rose 5 pct" / "profit rose 9 pct") change them."""
    similarity = (vectors_a @ vectors_b.T).astype(np.float64)
    numbers_a = [_numbers(a, i) for i in range(len(a.sentences))]
    numbers_b = [_numbers(b, j) for j in range(len(b.sentences))]
    for i, left in enumerate(numbers_a):
        if not left:
            continue
        for j, right in enumerate(numbers_b):
            if right:
                agreement = len(left & right) / min(len(left), len(right))
                similarity[i, j] *= 0.5 + 0.5 * agreement
    return similarity


def _numbers(text: PreparedText, sentence: int) -> frozenset[str]:
    first, last = text.sentence_words[sentence]
    return frozenset(w for w in text.words[first:last] if _NUMBER.search(w))


# --- the rewrite test ---------------------------------------------------------------

SENTENCE_THRESHOLD = 0.55  # a sentence and its spun form (WordLlama cosine)
MOVED_THRESHOLD = 0.7  # a sentence matched out of order must be closer


@dataclass(frozen=True, slots=True)
class RewriteEvidence:
    """How two texts' sentences correspond."""

    pairs: tuple[tuple[int, int], ...]  # (sentence of a, sentence of b)
    similarities: tuple[float, ...]
    coverage_a: float  # share of a's words in matched sentences
    coverage_b: float
    in_order: float  # share of matched pairs that are in the monotone alignment

    @property
    def median_similarity(self) -> float:
        return float(np.median(self.similarities)) if self.similarities else 0.0


def rewrite_evidence(a: PreparedText, b: PreparedText, vectors_a: F32, vectors_b: F32) -> RewriteEvidence:
    """Align a's and b's sentences: in order first, then sentences moved
    elsewhere (reordered copies) at a stricter threshold."""
    if not a.sentences or not b.sentences:
        return RewriteEvidence((), (), 0.0, 0.0, 0.0)
    similarity = sentence_similarity(a, b, vectors_a, vectors_b)
    ordered: SentenceAlignment = align_sentences(similarity, SENTENCE_THRESHOLD)
    pairs = dict(ordered.pairs)
    used_b = set(pairs.values())
    for i in range(len(a.sentences)):
        if i in pairs:
            continue
        j = int(np.argmax(similarity[i]))
        if similarity[i, j] >= MOVED_THRESHOLD:
            pairs[i] = j  # a sentence of b may take two of a's (merged sentences)
            used_b.add(j)
    for j in range(len(b.sentences)):
        if j not in used_b:
            i = int(np.argmax(similarity[:, j]))
            if similarity[i, j] >= MOVED_THRESHOLD:
                used_b.add(j)
    matched = sorted(pairs.items())
    return RewriteEvidence(
        pairs=tuple(matched),
        similarities=tuple(float(similarity[p]) for p in matched),
        coverage_a=_word_share(a, pairs.keys()),
        coverage_b=_word_share(b, used_b),
        in_order=len(ordered.pairs) / len(matched) if matched else 0.0,
    )


def _word_share(text: PreparedText, sentences: Iterable[int]) -> float:
    total = sum(last - first for first, last in text.sentence_words)
    if total == 0:
        return 0.0
    chosen = set(sentences)
    return sum(last - first for i, (first, last) in enumerate(text.sentence_words) if i in chosen) / total


def rewritten_side(a: PreparedText, b: PreparedText, embedder: SentenceEmbedder, margin: float = 0.05) -> int | None:
    """0 when a shows the signs of rewriting (rarer, more fragmented words
    where the texts differ), 1 when b does, None when it is too close to call."""
    words_a, words_b = set(a.words), set(b.words)
    only_a = [w for w in words_a - words_b if w.isalpha()]
    only_b = [w for w in words_b - words_a if w.isalpha()]
    if len(only_a) < 3 or len(only_b) < 3:
        return None
    rarity_a, rarity_b = (
        embedder.pieces_per_word(only_a),
        embedder.pieces_per_word(only_b),
    )
    if abs(rarity_a - rarity_b) < margin:
        return None
    return 0 if rarity_a > rarity_b else 1


# --- rare-word candidates -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnchorPair:
    a: int  # segment ids, a < b
    b: int
    overlap: float  # shared rare-word weight / the smaller segment's weight


class AnchorArrays(TypedDict):
    """An :class:`AnchorIndex` as named arrays. Named keys, not ``dict[str, ...]``,
    so that ``np.savez(..., **arrays)`` type-checks (no key can be ``allow_pickle``)."""

    ids: I64
    vocabulary: U64
    idf: F64
    data: npt.NDArray[Any]  # the CSR matrix; its index dtype is scipy's choice
    indices: npt.NDArray[Any]
    indptr: npt.NDArray[Any]
    shape: npt.NDArray[Any]


@dataclass(frozen=True, slots=True)
class WordTable:
    """The distinct (text, word) pairs of a set of texts with each word's
    frequency in text groups: the costly part of an :class:`AnchorIndex`,
    computed once for every index over the same texts (the copy map's and
    the trace index differ only in which words they keep)."""

    texts: int
    owners: I64  # text of each distinct pair
    columns: I64  # word of each pair, as an index into ``vocabulary``
    vocabulary: U64  # sorted word hashes
    df: I64  # text groups per word
    idf: F64
    ranks: I64  # each pair's rank by frequency within its text (0: the rarest)

    @classmethod
    def of(cls, texts: Sequence[str], groups: Sequence[int] | None = None) -> WordTable:
        return cls.of_words(word_hashes(texts), groups)

    @classmethod
    def of_words(cls, words: WordHashes, groups: Sequence[int] | None = None) -> WordTable:
        """The table of texts whose words were hashed already."""
        texts = len(words.counts)
        vocabulary = sorted_unique(words.hashes)
        owners, columns = _distinct_pairs(
            np.repeat(np.arange(texts, dtype=np.int64), words.counts),
            np.searchsorted(vocabulary, words.hashes).astype(np.int64),
            len(vocabulary),
        )
        group_of = np.arange(texts, dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
        df = _groups_per_column(group_of[owners], columns, len(vocabulary))
        idf = np.log((len(sorted_unique(group_of)) + 1) / np.maximum(df, 1))
        ranks = _rank_in_row(owners, df[columns])
        return cls(texts, owners, columns, vocabulary, df, idf, ranks)


# A word in more than this many segments is never an anchor when pairs are
# searched: each segment keeps its rarest words even when they are common (a
# short note has no others), and one word shared by n segments makes n * n
# products (a word in all of 50,000 tiny notes took the step past 7 GB). A
# bucket this crowded says nothing of copying; a pair needs three shared words,
# and the rarer ones still count.
MAX_ANCHOR_SEGMENTS = 2000


class _RareWordChunks(MapStep[int, tuple[I64, F64]]):
    """The rare-word pairs of one chunk of rows (a record is the chunk's first
    row): (pair codes of row positions, overlaps)."""

    name = "rare-word-pairs"
    releases_gil = True  # sparse products and numpy over whole chunks: threads share the matrices

    def __init__(self, matrix: sp.csr_matrix, weights: F64, ids: I64, min_overlap: float, min_shared: int,
                 top_k: int, chunk: int) -> None:
        super().__init__()
        self.matrix, self.weights, self.ids = matrix, weights, ids
        self.min_overlap, self.min_shared, self.top_k, self.chunk = min_overlap, min_shared, top_k, chunk
        self._products: tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix] | None = None

    def _operands(self) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """(transposed, binary, binary transposed), made by each copy of the step on
        first use: the engine hands each thread a pickled copy, and these are three times
        the matrix."""
        if self._products is None:
            binary = self.matrix.copy()
            binary.data[:] = 1.0
            self._products = self.matrix.T.tocsr(), binary, binary.T.tocsr()
        return self._products

    def __getstate__(self) -> dict[str, Any]:
        return {**{k: getattr(self, k) for k in ("stats", "matrix", "weights", "ids", "min_overlap", "min_shared",
                                                 "top_k", "chunk")}, "_products": None}

    def process(self, record: int) -> tuple[I64, F64]:
        first, last = record, record + self.chunk
        transposed, binary, binary_t = self._operands()
        shared = (self.matrix[first:last] @ transposed).tocsr()
        counts = (binary[first:last] @ binary_t).tocsr()
        # Same sparsity pattern in, same entry order out: the two products
        # line up without sorting (a third of this method's time), unless
        # scipy ever orders them differently.
        if not (np.array_equal(shared.indptr, counts.indptr) and np.array_equal(shared.indices, counts.indices)):
            shared.sort_indices()
            counts.sort_indices()
        rows = first + np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
        columns = shared.indices.astype(np.int64)
        overlap = shared.data / np.maximum(np.minimum(self.weights[rows], self.weights[columns]), 1e-9)
        good = (columns != rows) & (overlap >= self.min_overlap) & (counts.data >= self.min_shared)
        rows, columns, overlap = rows[good], columns[good], overlap[good]
        order = np.lexsort((-overlap, rows))
        rows, columns, overlap = rows[order], columns[order], overlap[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        keep = rank < self.top_k
        # Codes of row positions, not ids: segment ids need not fit 32 bits.
        first_row, second_row = rows[keep], columns[keep]
        swap = self.ids[first_row] > self.ids[second_row]
        lo, hi = np.where(swap, second_row, first_row), np.where(swap, first_row, second_row)
        self.stats["rare_word_chunks"] += 1
        return lo * (1 << 32) + hi, overlap[keep]


class AnchorIndex:
    """Segments as sets of rare words weighted by IDF, for candidate pairs that
    survive rewriting and for queries with a new text.

    ``overlap(x, y) = sum of idf over shared words / min(weight x, weight y)``
    is high for copies, excerpts (either way) and rewrites alike.

    A word's document frequency counts *text groups*, not segments: segments
    already known to carry one text (exact copies, LSH near-duplicates) form
    one group, so a wire story syndicated 500 times keeps its rare words.
    Words in more than ``max_groups`` groups are dropped, except a segment's
    ``rarest_kept`` rarest words: common words say nothing about copying and
    would make the products dense. The cap is absolute, not a share of the
    case, so that finding pairs grows about linearly with the case.
    """

    def __init__(self, ids: I64, vocabulary: U64, idf: F64, matrix: sp.csr_matrix) -> None:
        self.ids = ids
        self.vocabulary = vocabulary  # sorted word hashes
        self.idf = idf
        self.matrix = matrix  # (segments, words), entries sqrt(idf), common words removed
        self.weights = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
        self._row_of = {int(s): r for r, s in enumerate(ids.tolist())}
        self._column_weight = (
            np.asarray(matrix.max(axis=0).todense()).ravel() if matrix.shape[0] else np.zeros(matrix.shape[1])
        )

    @classmethod
    def build(
        cls,
        ids: Sequence[int],
        texts: Sequence[str],
        *,
        groups: Sequence[int] | None = None,
        max_groups: int = 100,
        rarest_kept: int = 20,
    ) -> AnchorIndex:
        """Index ``texts`` (segment ``ids[i]`` has ``texts[i]``); ``groups[i]``
        names the text group of segment ``i`` (each its own by default).
        Besides every word in at most ``max_groups`` groups, each segment
        keeps its ``rarest_kept`` rarest words whatever their frequency, as
        Lucene's MoreLikeThis keeps a document's most telling terms: a story
        told only in words common in the case still has anchors."""
        table = WordTable.of(texts, groups)
        return cls.from_table(ids, table, max_groups=max_groups, rarest_kept=rarest_kept)

    @classmethod
    def from_table(
        cls,
        ids: Sequence[int],
        table: WordTable,
        *,
        max_groups: int = 100,
        rarest_kept: int = 20,
        rows: Sequence[int] | None = None,
    ) -> AnchorIndex:
        """An index over the texts of ``table`` (see :meth:`build`); with
        ``rows``, segment ``ids[i]`` has the words of the table's text
        ``rows[i]`` (an exact copy has its representative's words)."""
        keep = (table.df <= max_groups)[table.columns] | (table.ranks < rarest_kept)
        values = np.sqrt(table.idf[table.columns]) * keep
        shape = (table.texts, len(table.vocabulary))
        matrix = sp.csr_matrix((values, (table.owners, table.columns)), shape=shape)
        matrix.eliminate_zeros()
        if rows is not None:
            matrix = matrix[np.asarray(rows, dtype=np.int64)]
        return cls(np.asarray(ids, dtype=np.int64), table.vocabulary, table.idf, matrix)

    def pairs(
        self,
        min_overlap: float = 0.3,
        min_shared: int = 3,
        top_k: int = 30,
        chunk: int = 2048,
        *,
        engine: Engine | None = None,
    ) -> list[AnchorPair]:
        """Pairs whose overlap reaches ``min_overlap`` with at least
        ``min_shared`` shared rare words; each segment keeps its ``top_k``
        best partners (a pair is kept when either side keeps it). Words in
        more than :data:`MAX_ANCHOR_SEGMENTS` segments are left out of the
        search (see there). The products run by chunks of rows, on the
        ``engine`` when given (on threads: scipy's products release the GIL)."""
        step = _RareWordChunks(self._without_crowded_words(), self.weights, self.ids, min_overlap, min_shared, top_k,
                               chunk)
        starts = range(0, step.matrix.shape[0], chunk)
        found = list(engine.map(step, starts, chunksize=1) if engine is not None else map(step.process, starts))
        all_codes = np.concatenate([np.zeros(0, np.int64), *(codes for codes, _ in found)])
        all_values = np.concatenate([np.zeros(0), *(values for _, values in found)])
        # The first value of each code (a code comes at most once per chunk, and chunks are in row order).
        order = np.argsort(all_codes, kind="stable")
        sorted_codes = all_codes[order]
        starts_of = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if len(order) else order
        unique, first_at = sorted_codes[starts_of], order[starts_of]
        ids = self.ids.tolist()
        return [
            AnchorPair(ids[c >> 32], ids[c & 0xFFFFFFFF], float(all_values[i]))
            for c, i in zip(unique.tolist(), first_at.tolist())
        ]

    def _without_crowded_words(self) -> sp.csr_matrix:
        """The matrix without the words of more than MAX_ANCHOR_SEGMENTS segments."""
        segments_of_word = np.bincount(self.matrix.indices, minlength=self.matrix.shape[1])
        crowded = segments_of_word > MAX_ANCHOR_SEGMENTS
        if not crowded.any():
            return self.matrix
        matrix = self.matrix.copy()
        matrix.data[crowded[matrix.indices]] = 0.0
        matrix.eliminate_zeros()
        return matrix

    def query(self, text: str, min_overlap: float = 0.3, min_shared: int = 3) -> list[tuple[int, float]]:
        """(segment id, overlap) for indexed segments sharing rare words with
        ``text``, most overlapping first."""
        vector = self._vector(text)
        if vector.nnz == 0:
            return []
        shared = np.asarray((self.matrix @ vector.T).todense()).ravel()
        binary = vector.copy()
        binary.data[:] = 1.0
        counts = np.diff((self.matrix[:, vector.indices] > 0).tocsr().indptr)
        query_weight = float(vector.multiply(vector).sum())
        overlap = shared / np.maximum(np.minimum(self.weights, query_weight), 1e-9)
        hits = np.flatnonzero((overlap >= min_overlap) & (counts >= min_shared))
        hits = hits[np.argsort(-overlap[hits], kind="stable")]
        return [(int(self.ids[h]), float(overlap[h])) for h in hits]

    def _vector(self, text: str) -> sp.csr_matrix:
        hashes = np.unique(word_hashes([text]).hashes)
        at = np.minimum(np.searchsorted(self.vocabulary, hashes), max(len(self.vocabulary) - 1, 0))
        known = at[self.vocabulary[at] == hashes] if len(self.vocabulary) else np.zeros(0, np.int64)
        values = self._column_weight[known]
        keep = values > 0
        return sp.csr_matrix(
            (values[keep], (np.zeros(int(keep.sum()), np.int64), known[keep])),
            shape=(1, len(self.vocabulary)),
        )

    def topical_similarity(self, first: int, second: int) -> float:
        """Cosine of two indexed segments' rare-word vectors (0 when either is
        unknown): do they talk about the same names and things at all?"""
        row_a, row_b = self._row_of.get(first), self._row_of.get(second)
        if row_a is None or row_b is None:
            return 0.0
        dot = float(self.matrix[row_a].multiply(self.matrix[row_b]).sum())
        return dot / max(math.sqrt(self.weights[row_a] * self.weights[row_b]), 1e-9)

    # --- persistence --------------------------------------------------------------

    def arrays(self) -> AnchorArrays:
        """The index as named arrays, for ``np.savez`` (alone or beside other arrays)."""
        m = self.matrix
        return {"ids": self.ids, "vocabulary": self.vocabulary, "idf": self.idf, "data": m.data,
                "indices": m.indices, "indptr": m.indptr, "shape": np.array(m.shape)}

    @classmethod
    def from_arrays(cls, f: Mapping[str, npt.NDArray[Any]]) -> AnchorIndex:
        matrix = sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"]))
        return cls(f["ids"], f["vocabulary"], f["idf"], matrix)

    def save(self, path: str | Path | BinaryIO) -> None:
        np.savez_compressed(path, **self.arrays())

    @classmethod
    def load(cls, path: str | Path | BinaryIO) -> AnchorIndex:
        with np.load(path) as f:
            return cls.from_arrays(f)


def _distinct_pairs(owners: I64, columns: I64, width: int) -> tuple[I64, I64]:
    """The distinct (text, word) pairs, sorted by text then word, with words
    as columns below ``width``: one sort of ``text * width + column`` codes,
    several times faster than a lexsort of the two arrays or ``np.unique``."""
    codes = sorted_unique(owners * np.int64(max(width, 1)) + columns)
    pair_owners, pair_columns = np.divmod(codes, np.int64(max(width, 1)))
    return pair_owners, pair_columns


def _groups_per_column(groups: I64, columns: I64, width: int) -> I64:
    """How many distinct groups have each column (word)."""
    keys = sorted_unique(groups * np.int64(max(width, 1)) + columns)
    return np.bincount(keys % max(width, 1), minlength=width).astype(np.int64)


def _rank_in_row(rows: I64, df: I64) -> I64:
    """Each entry's rank by document frequency within its row (0: the rarest)."""
    # One stable sort of (row, df) codes: the lexsort's order, ties in entry order.
    order = np.argsort(rows * (np.int64(df.max(initial=0)) + 1) + df, kind="stable")
    ranks = np.empty(len(rows), dtype=np.int64)
    sorted_rows = rows[order]
    ranks[order] = np.arange(len(rows)) - np.searchsorted(sorted_rows, sorted_rows, side="left")
    return ranks
