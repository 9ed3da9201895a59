"""MinHash signatures for a batch of texts at once, and the stage that makes them.

Hash family: slot ``i`` maps a shingle hash ``x`` to ``a_i * x mod 2**32``
(``a_i`` odd; ``x`` is the shingle hash's low 32 bits with the lowest bit set,
so no value is a fixed point of every slot the way 0 would be). Multiplication
by an odd constant permutes the odd 32-bit values; one multiply per slot is
the cheapest permutation numpy can apply, and it runs in uint32 so numpy uses
SIMD for it and for the minimum (AVX2 has neither for 64-bit lanes). Such a
family is not min-wise independent for structured inputs (consecutive
integers bias it), but shingle hashes are splitmix64 outputs, pseudo-random
and independent of the slot constants, so every shingle is equally likely to
be a slot's minimum and each slot estimates Jaccard without bias;
tests/reuse/test_minhash.py checks bias and spread against theory. The
constants come from splitmix64 on a fixed seed in pure Python, so signatures
are the same in every process, run and numpy version.

Signatures are computed per block of ``block_shingles`` consecutive shingles
(a text's last block is padded by repeating its last shingle, which cannot
change a minimum), so the work is one multiply per slot and one ``min`` over
a reshaped array. A text's signature is the minimum over its
blocks, and an excerpt window is the minimum over two consecutive blocks
(see :func:`window_signatures`), both nearly free.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
import numpy.typing as npt

from sourcetrace.engines.contract import MapStep
from sourcetrace.reuse.shingles import (
    DEFAULT_SHINGLE_SIZE,
    I64,
    ShingleHashes,
    fixed_constants,
    shingle_hash_batch,
)

U32 = npt.NDArray[np.uint32]

EMPTY_SLOT = np.uint32(0xFFFFFFFF)  # every slot of a text without words
_CHUNK_ROWS = 4096  # shingles x 128 slots x 4 bytes = 2 MB: stays in L2


@dataclass(frozen=True, slots=True)
class SketchParams:
    """What must agree between signatures that are compared."""

    shingle_size: int = DEFAULT_SHINGLE_SIZE  # words per shingle
    num_perm: int = 128
    seed: int = 1
    block_shingles: int = 32  # an excerpt window is two blocks


@dataclass(frozen=True, slots=True)
class BlockSignatures:
    """Signatures of consecutive blocks of shingles; text ``i`` has blocks
    ``offsets[i]:offsets[i + 1]`` (none when it has no words)."""

    signatures: U32  # (blocks, num_perm)
    offsets: I64  # texts + 1


class MinHasher:
    """MinHash signatures of many texts at once, vectorised across texts."""

    def __init__(self, num_perm: int = 128, seed: int = 1, block_shingles: int = 32) -> None:
        if num_perm < 1 or block_shingles < 1:
            raise ValueError("num_perm and block_shingles must be positive")
        self.num_perm = num_perm
        self.seed = seed
        self.block_shingles = block_shingles
        self._a = fixed_constants(seed, num_perm, odd=True).astype(np.uint32)

    def block_signatures(self, shingles: ShingleHashes) -> BlockSignatures:
        """One signature per block of ``block_shingles`` shingles of each text."""
        block = self.block_shingles
        counts = np.diff(shingles.offsets)
        blocks = -(-counts // block)  # ceiling division; 0 for a text without words
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(blocks, out=offsets[1:])
        rows = _padded_rows(shingles.offsets, counts, blocks * block)
        values = shingles.hashes[rows].astype(np.uint32) | np.uint32(1)  # low 32 bits, odd
        signatures = np.empty((int(offsets[-1]), self.num_perm), dtype=np.uint32)
        chunk_blocks = max(1, _CHUNK_ROWS // block)
        for first in range(0, len(signatures), chunk_blocks):
            last = min(first + chunk_blocks, len(signatures))
            # Shingle k of every block side by side, so that each slot is one
            # scalar-times-vector multiply and the minimum runs over whole rows
            # (both SIMD); three times faster than a (shingles, slots) layout.
            by_rank = values[first * block : last * block].reshape(last - first, block).T.ravel()
            hashed = np.multiply(self._a[:, None], by_rank[None, :])
            minima = np.min(hashed.reshape(self.num_perm, block, last - first), axis=1)
            signatures[first:last] = minima.T
        return BlockSignatures(signatures=signatures, offsets=offsets)

    def signatures(self, shingles: ShingleHashes) -> U32:
        """One signature per text; a text without words gets EMPTY_SLOT everywhere."""
        return text_signatures(self.block_signatures(shingles), self.num_perm)

    def signatures_of_texts(self, texts: Sequence[str], shingle_size: int = DEFAULT_SHINGLE_SIZE) -> U32:
        return self.signatures(shingle_hash_batch(texts, shingle_size))


def _padded_rows(text_offsets: I64, counts: I64, padded: I64) -> I64:
    """Row indices that lay each text out over whole blocks, repeating its last
    shingle to fill the last block."""
    padded_starts = np.cumsum(padded) - padded
    owner = np.repeat(np.arange(len(counts)), padded)
    local = np.arange(int(padded.sum())) - padded_starts[owner]
    return text_offsets[:-1][owner] + np.minimum(local, counts[owner] - 1)


def text_signatures(blocks: BlockSignatures, num_perm: int) -> U32:
    """Each text's signature: the minimum over its blocks."""
    counts = np.diff(blocks.offsets)
    result = np.full((len(counts), num_perm), EMPTY_SLOT, dtype=np.uint32)
    has_words = counts > 0
    if has_words.any():
        result[has_words] = np.minimum.reduceat(blocks.signatures, blocks.offsets[:-1][has_words], axis=0)
    return result


def window_signatures(blocks: BlockSignatures) -> tuple[U32, I64]:
    """Signatures of overlapping windows of two consecutive blocks (one block
    for a one-block text) and the index of the text each window belongs to."""
    counts = np.diff(blocks.offsets)
    owner_of_block = np.repeat(np.arange(len(counts)), counts)
    last_of_text = np.zeros(len(owner_of_block), dtype=bool)
    last_of_text[blocks.offsets[1:][counts > 0] - 1] = True
    single = last_of_text & (counts[owner_of_block] == 1)
    starts = np.flatnonzero(~last_of_text | single)
    following = np.where(single[starts], starts, starts + 1)
    windows = np.minimum(blocks.signatures[starts], blocks.signatures[following])
    return windows, owner_of_block[starts]


# --- the stage ---------------------------------------------------------------

TextRecord = tuple[int, str]  # (segment id, text)


@dataclass(frozen=True, slots=True)
class SignatureBatch:
    """Signatures of a batch of segments, as the LSH index takes them."""

    params: SketchParams
    ids: I64  # segment ids, in input order
    signatures: U32  # (segments, num_perm)
    shingles: ShingleHashes | None  # kept for exact verification, when asked for
    window_signatures: U32 | None  # (windows, num_perm), when excerpt windows are on
    window_owners: I64 | None  # index into ``ids`` of each window


class SignatureStage(MapStep[Sequence[TextRecord], SignatureBatch]):
    """Signatures of batches of (segment_id, text) records. One record of this
    stage is a whole batch, so that numpy works across texts; feed it with
    :func:`batched` and run it on all cores with ``LocalEngine.map``."""

    name = "minhash"
    releases_gil = True  # numpy on whole batches: threads share the arrays, no pickling

    def __init__(self, params: SketchParams | None = None, *, windows: bool = True, keep_shingles: bool = True) -> None:
        super().__init__()
        self.params = params or SketchParams()
        self.windows = windows
        self.keep_shingles = keep_shingles

    def process(self, record: Sequence[TextRecord]) -> SignatureBatch:
        params = self.params
        hasher = _hasher(params)
        ids = np.array([segment_id for segment_id, _ in record], dtype=np.int64)
        shingles = shingle_hash_batch([text for _, text in record], params.shingle_size)
        blocks = hasher.block_signatures(shingles)
        windows, owners = window_signatures(blocks) if self.windows else (None, None)
        self.stats["segments"] += len(record)
        self.stats["shingles"] += len(shingles.hashes)
        self.stats["segments_without_words"] += int(np.count_nonzero(np.diff(shingles.offsets) == 0))
        return SignatureBatch(
            params=params,
            ids=ids,
            signatures=text_signatures(blocks, params.num_perm),
            shingles=shingles if self.keep_shingles else None,
            window_signatures=windows,
            window_owners=owners,
        )


_hashers: dict[SketchParams, MinHasher] = {}


def _hasher(params: SketchParams) -> MinHasher:
    """One MinHasher per parameter set and process (its constants are reused)."""
    hasher = _hashers.get(params)
    if hasher is None:
        hasher = _hashers[params] = MinHasher(params.num_perm, params.seed, params.block_shingles)
    return hasher


def batched(records: Iterable[TextRecord], size: int = 256) -> Iterator[list[TextRecord]]:
    """Group records into lists of ``size`` for :class:`SignatureStage`."""
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch
