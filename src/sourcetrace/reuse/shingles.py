"""Word n-gram shingles of a text, hashed to 64 bits, for a whole batch at once.

Normalisation: NFKC (non-ASCII texts only; ASCII is already normal), case
folding, apostrophes deleted (so "don't", "don’t" and "dont" agree), and every
other non-word character is a separator, so quote styles, dashes and
punctuation need no mapping of their own. Words are ``\\w+`` runs of the
normalised text, the same as ``re.findall(r"\\w+", ...)``; :func:`words` is that
slow reference, kept for tests and inspection.

Speed is the point of this module: Python tools spend most of their time
creating one string per word. Here a batch of texts becomes one byte buffer
and words are found and hashed with numpy, without a Python object per word:

* the buffer is lowercased and non-word ASCII bytes become spaces with one
  ``bytes.translate``; non-ASCII bytes are word bytes because the non-ASCII
  non-word characters were replaced by spaces beforehand;
* each word's hash is a polynomial in its bytes modulo 2**64, read off a
  prefix sum (``cumsum`` of ``byte * R**i``) and made position independent by
  multiplying with ``R**-start`` (R is odd, hence invertible modulo 2**64);
* n consecutive word hashes are combined by multiply-add with n odd constants
  and finished with the splitmix64 mixer.

All constants are fixed, so hashes are identical across processes and runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

DEFAULT_SHINGLE_SIZE = 5
_MASK64 = (1 << 64) - 1
_APOSTROPHES = "'\u2018\u2019\u02bc`"  # ' ‘ ’ ʼ `
_NON_ASCII_NON_WORD = re.compile(r"[^\w\x00-\x7f]+")
_WORD = re.compile(r"\w+")
_SPACE = 0x20


def splitmix64(x: int) -> int:
    """The splitmix64 output function on a Python int (for constants)."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def fixed_constants(seed: int, count: int, *, odd: bool = False) -> U64:
    """``count`` pseudo-random 64-bit constants from ``seed``; pure Python, so
    they never change with the numpy version."""
    values = [splitmix64((seed * 0x632BE59BD9B4E019 + i) & _MASK64) for i in range(count)]
    if odd:
        values = [v | 1 for v in values]
    return np.array(values, dtype=np.uint64)


def mix64(x: U64) -> U64:
    """splitmix64's finaliser on an array (in place on a copy); spreads every
    input bit over the whole output so low and high bits are equally good."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


_Integer = TypeVar("_Integer", bound=np.integer)


def sorted_unique(values: npt.NDArray[_Integer]) -> npt.NDArray[_Integer]:
    """``np.unique`` by sorting: numpy 2.4's np.unique hashes integers and is
    roughly 10x slower on small arrays and 100x on millions of values."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# --- normalisation -----------------------------------------------------------


def _byte_table() -> bytes:
    """Lowercase ASCII letters; keep digits, '_' and non-ASCII bytes; turn every
    other ASCII byte into a space."""
    table = bytearray(range(256))
    for byte in range(128):
        char = chr(byte)
        if "A" <= char <= "Z":
            table[byte] = ord(char.lower())
        elif not (char.isalnum() or char == "_"):
            table[byte] = _SPACE
    return bytes(table)


_BYTE_TABLE = _byte_table()
_APOSTROPHE_TABLE = {ord(c): None for c in _APOSTROPHES}


def normalised_bytes(text: str) -> bytes:
    """The text as UTF-8 bytes in which words are runs of non-space bytes."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHE_TABLE)
        text = _NON_ASCII_NON_WORD.sub(" ", text)
    return text.encode("utf-8").translate(_BYTE_TABLE, b"'`")


def words(text: str) -> list[str]:
    """The words shingles are made of (slow reference implementation)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHE_TABLE)
    return _WORD.findall(text)


# --- word hashes -------------------------------------------------------------

_R = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_R_INVERSE = pow(_R, -1, 1 << 64)
_powers: dict[int, U64] = {}


def _power_table(base: int, length: int) -> U64:
    """base**i modulo 2**64 for i < length, cached and grown by doubling."""
    table = _powers.get(base)
    if table is None or len(table) < length:
        size = max(length, 2 * len(table) if table is not None else 1 << 16)
        table = np.full(size, base, dtype=np.uint64)
        table[0] = 1
        np.multiply.accumulate(table, out=table)  # wraps modulo 2**64
        _powers[base] = table
    return table[:length]


@dataclass(frozen=True, slots=True)
class WordHashes:
    """Every word of a batch of texts, in order: hash and text it belongs to."""

    hashes: U64
    counts: I64  # words per text


    def select(self, rows: Sequence[int]) -> WordHashes:
        """The words of texts ``rows`` (positions in this batch), in that order."""
        ends = np.cumsum(self.counts)
        picked = np.asarray(rows, dtype=np.int64)
        counts = self.counts[picked]
        starts = (ends - self.counts)[picked]
        # Position of every selected word: its text's start plus its rank in the text.
        within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        return WordHashes(hashes=self.hashes[np.repeat(starts, counts) + within], counts=counts)


WORD_HASH_CHUNK_BYTES = 8 << 20  # hashing needs ~25 bytes of scratch per text byte


def word_hashes(texts: Sequence[str]) -> WordHashes:
    """Hash every word of every text, vectorised over chunks of about
    :data:`WORD_HASH_CHUNK_BYTES`, so memory stays flat on a whole case."""
    parts = [normalised_bytes(text) for text in texts]
    chunks: list[WordHashes] = []
    first = size = 0
    for end, part in enumerate(parts):
        size += len(part) + 1
        if size >= WORD_HASH_CHUNK_BYTES:
            chunks.append(_word_hashes_of(parts[first : end + 1]))
            first, size = end + 1, 0
    if first < len(parts) or not chunks:
        chunks.append(_word_hashes_of(parts[first:]))
    if len(chunks) == 1:
        return chunks[0]
    return WordHashes(
        hashes=np.concatenate([c.hashes for c in chunks]),
        counts=np.concatenate([c.counts for c in chunks]),
    )


def _word_hashes_of(parts: Sequence[bytes]) -> WordHashes:
    if not parts:
        return WordHashes(np.zeros(0, np.uint64), np.zeros(0, np.int64))
    buffer = b" ".join(parts) + b" "  # the separators keep words inside their text
    data = np.frombuffer(buffer, dtype=np.uint8)
    is_word = np.zeros(len(data) + 1, dtype=bool)
    np.not_equal(data, _SPACE, out=is_word[1:])
    # Word starts and ends alternate: the buffer starts after and ends with a space.
    changes = np.flatnonzero(is_word[1:] != is_word[:-1])
    starts, ends = changes[0::2], changes[1::2]
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(data * _power_table(_R, len(data)), out=prefix[1:])
    hashes = mix64((prefix[ends] - prefix[starts]) * _power_table(_R_INVERSE, len(data))[starts])
    text_starts = np.cumsum([0] + [len(part) + 1 for part in parts[:-1]], dtype=np.int64)
    counts = np.diff(np.searchsorted(starts, text_starts), append=len(starts)).astype(np.int64)
    return WordHashes(hashes=hashes, counts=counts)


# --- shingles ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShingleHashes:
    """The shingles of a batch of texts: text ``i`` has
    ``hashes[offsets[i]:offsets[i + 1]]``, one per word position, in text order
    (duplicates kept: excerpt windows need positions; :func:`sorted_unique`
    gives the set)."""

    hashes: U64
    offsets: I64  # len(texts) + 1

    def of(self, index: int) -> U64:
        return self.hashes[self.offsets[index] : self.offsets[index + 1]]


def shingle_hash_batch(texts: Sequence[str], n: int = DEFAULT_SHINGLE_SIZE) -> ShingleHashes:
    """Word n-gram shingle hashes of every text. A text with fewer than ``n``
    (but at least one) words has one shingle of all its words; a text without
    words has none."""
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, got {n}")
    if not texts:
        return ShingleHashes(np.zeros(0, np.uint64), np.zeros(1, np.int64))
    word = word_hashes(texts)
    counts = word.counts
    # Lay each text's words out followed by n-1 zero "words" so that one
    # vectorised pass makes every shingle and short texts get a padded one.
    padded = np.where(counts > 0, counts + n - 1, 0)
    padded_starts = np.cumsum(padded) - padded
    word_starts = np.cumsum(counts) - counts
    text_of_word = np.repeat(np.arange(len(counts)), counts)
    layout = np.zeros(int(padded.sum()) + n, dtype=np.uint64)
    layout[np.arange(len(word.hashes)) + (padded_starts - word_starts)[text_of_word]] = word.hashes
    combined = layout[: len(layout) - n + 1] * _SHINGLE_WEIGHTS[0]
    for k in range(1, n):
        combined += layout[k : len(layout) - n + 1 + k] * _shingle_weight(k)
    per_text = np.where(counts > 0, np.maximum(counts - n + 1, 1), 0)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(per_text, out=offsets[1:])
    positions = np.arange(offsets[-1]) + np.repeat(padded_starts - offsets[:-1], per_text)
    return ShingleHashes(hashes=mix64(combined[positions]), offsets=offsets)


_SHINGLE_WEIGHTS = fixed_constants(0x5E1F, 64, odd=True)


def _shingle_weight(k: int) -> np.uint64:
    if k >= len(_SHINGLE_WEIGHTS):
        raise ValueError(f"shingle size over {len(_SHINGLE_WEIGHTS)} words is not supported")
    return np.uint64(_SHINGLE_WEIGHTS[k])  # indexing an array is untyped (Any) in numpy's stubs


def shingle_hashes(text: str, n: int = DEFAULT_SHINGLE_SIZE) -> U64:
    """Word n-gram shingle hashes of one text, one per position, in text order."""
    return shingle_hash_batch([text], n).hashes
