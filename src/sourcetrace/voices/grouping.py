"""Which occurrences are one statement: candidate pairs and their components.

Two occurrences are a candidate pair when they meet on a *key*: a block
(their speaker's name, a name they may stand for, or their copy family)
together with an anchor (one of the few content words of the quote whose
stable hash is lowest, a bottom-k sketch). Some blocks are shared (any two
holders meet: one name, one family); others are directed, because the
speakers they join are compatible one way only: "the panel" seeks every
name ending in "panel", but "Acme Panel" and "Beta Panel" do not meet each
other through it. Keys depend only on the occurrence itself and its family,
never on the rest of the case, so whether two occurrences are a candidate
pair is a property of the pair. That is what lets a run that adds segments
regroup only the statements its new occurrences touch and still get exactly
the groups a run over everything would.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sourcetrace.reuse.shingles import mix64, sorted_unique
from sourcetrace.rules import source_digest
from sourcetrace.voices.statements import Attribution

ANCHORS = 8  # content words per occurrence kept as anchors
# Words too common to anchor anything; the bottom-k sketch skips them.
STOPWORDS = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been it its this that these those "
    "he she they we you i his her their our not no will would has have had do does did than then so if".split()
)
# Words that open a name without telling it apart: "the ministry" may be any
# name ending in "ministry" (see merge.speakers_compatible).
NAME_FILLERS = frozenset(("the", "its", "a"))
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Blocks:
    """How an occurrence meets others: ``shared`` blocks meet every holder of
    the same block; a ``sought`` block meets every occurrence that ``held`` it."""

    shared: frozenset[str]
    held: frozenset[str]
    sought: frozenset[str]


@dataclass(frozen=True, slots=True)
class Item:
    """One occurrence to group: its attribution, its normalised words, its
    blocks and anchors (its keys are every block with every anchor)."""

    attribution: Attribution
    words: tuple[str, ...]
    blocks: Blocks
    anchors: tuple[str, ...]

    @property
    def at(self) -> tuple[int, int]:
        return self.attribution.occurrence.segment, self.attribution.occurrence.start


def item(attribution: Attribution, words: tuple[str, ...], blocks_of: Blocks) -> Item:
    return Item(attribution, words, blocks_of, tuple(anchors(words)))


def anchors(words: Sequence[str], k: int = ANCHORS) -> list[str]:
    """The first ``k`` content words in one fixed order of all words (longest
    first, then by CRC-32, which is the same in every process): a bottom-k sketch, so a quote and a trimmed
    copy of it share an anchor whenever the copy keeps one of the original's.
    Long words first, because they are the rare ones ("barrier", not "mln")."""
    distinct = set(words)
    content = {w for w in distinct - STOPWORDS if not w.isdigit()} or distinct
    return sorted(content, key=_anchor_rank)[:k]


@lru_cache(maxsize=1 << 18)
def _anchor_rank(word: str) -> tuple[int, int, str]:
    # Cached: a case's quotes share most of their words.
    return -len(word), zlib.crc32(word.encode()), word


@lru_cache(maxsize=1 << 16)
def blocks(speaker_words: tuple[str, ...], speaker_kind: str | None, family: int | None) -> Blocks:
    """The blocks two occurrences meet on whenever they could be one
    statement (merge.speakers_compatible): the same name; "the panel" and a
    name ending in "panel"; a person's surname or first name alone and the
    full name. A speaker mismatch is forgiven only inside one family."""
    shared = {"name:" + " ".join(speaker_words)}
    if family is not None:
        shared.add(f"family:{family}")
    held, sought = set(), set()
    if len(speaker_words) >= 2:
        held.add("ends:" + speaker_words[-1])
        if speaker_kind == "person":
            held.update(("person:" + speaker_words[0], "person:" + speaker_words[-1]))
        if len(speaker_words) == 2 and speaker_words[0] in NAME_FILLERS:
            sought.add("ends:" + speaker_words[1])
    elif len(speaker_words) == 1 and speaker_kind == "person":
        sought.add("person:" + speaker_words[0])
    return Blocks(frozenset(shared), frozenset(held), frozenset(sought))


class KeyIndex:
    """Items by key, to find each one's candidate partners.

    A key is a block and an anchor hashed together (:func:`item_keys`), and each of the
    three tables (shared, held, sought) is a pair of numpy arrays sorted by
    key: a case has millions of keys, and sorted arrays find the items that
    share one without a Python object per key."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._count = len(items)
        self._segments = np.fromiter((entry.at[0] for entry in items), dtype=np.int64, count=len(items))
        self._shared, self._held, self._sought = (_KeyTable(*table) for table in item_keys(items))

    def rows(self) -> KeyRows:
        """Every item's keys as (key, table, segment) rows, what the case stores per segment."""
        tables = (self._shared, self._held, self._sought)
        return KeyRows(
            np.concatenate([table.keys for table in tables]),
            np.concatenate([np.full(len(table.keys), kind, dtype=np.int64) for kind, table in enumerate(tables)]),
            np.concatenate([self._segments[table.owners] for table in tables]),
        )

    def partner_pairs(self, indices: Iterable[int]) -> list[tuple[int, int]]:
        """Candidate pairs (i < j), sorted, that hold at least one of ``indices``."""
        chosen = np.fromiter(indices, dtype=np.int64)
        found = (
            self._shared.meeting(*self._shared.keys_of(chosen)),
            self._held.meeting(*self._sought.keys_of(chosen)),
            self._sought.meeting(*self._held.keys_of(chosen)),
        )
        return _unique_pairs(found, self._count)

    def pairs(self, within: set[int] | None = None) -> list[tuple[int, int]]:
        """Candidate pairs (i < j), sorted; only among ``within`` when given."""
        kept = None
        if within is not None:
            kept = np.zeros(self._count, dtype=bool)
            kept[np.fromiter(within, dtype=np.int64)] = True
        shared, held, sought = (table.among(kept) for table in (self._shared, self._held, self._sought))
        return _unique_pairs((shared.pairs_within_keys(), held.meeting(sought.keys, sought.owners)), self._count)


I64 = npt.NDArray[np.int64]
PairArrays = tuple[I64, I64]


class _KeyTable:
    """(key, owner) entries sorted by key, then owner."""

    def __init__(self, keys: Sequence[int] | I64, owners: Sequence[int] | I64) -> None:
        key_array, owner_array = np.asarray(keys, dtype=np.int64), np.asarray(owners, dtype=np.int64)
        order = np.lexsort((owner_array, key_array))
        self.keys, self.owners = key_array[order], owner_array[order]

    def among(self, kept: npt.NDArray[np.bool_] | None) -> _KeyTable:
        if kept is None:
            return self
        mask = kept[self.owners]
        return _KeyTable(self.keys[mask], self.owners[mask])

    def keys_of(self, chosen: I64) -> PairArrays:
        """(keys, owner) of the entries owned by ``chosen``."""
        mask = np.isin(self.owners, chosen)
        return self.keys[mask], self.owners[mask]

    def meeting(self, keys: I64, owners: I64) -> PairArrays:
        """(owner of a query key, owner here) for every entry here whose key is one of ``keys``."""
        low = np.searchsorted(self.keys, keys, side="left")
        high = np.searchsorted(self.keys, keys, side="right")
        counts = high - low
        return np.repeat(owners, counts), self.owners[_ranges(low, counts)]

    def pairs_within_keys(self) -> PairArrays:
        """Every two owners of one key."""
        if len(self.keys) < 2:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, self.keys[1:] != self.keys[:-1]])
        ends = np.r_[starts[1:], len(self.keys)]
        run_end = np.repeat(ends, ends - starts)
        positions = np.arange(len(self.keys))
        counts = run_end - positions - 1  # the later owners of the same key
        return np.repeat(self.owners, counts), self.owners[_ranges(positions + 1, counts)]


@dataclass(frozen=True, slots=True)
class _Flat:
    """Lists of ids, one per item, flattened: item ``i`` owns ``counts[i]`` ids."""

    ids: I64
    counts: I64

    @classmethod
    def of(cls, lists: Sequence[Sequence[int]]) -> _Flat:
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        ids = np.fromiter((i for ids in lists for i in ids), dtype=np.int64, count=int(counts.sum()))
        return cls(ids, counts)


def item_keys(items: Sequence[Item]) -> tuple[PairArrays, PairArrays, PairArrays]:
    """(keys, owner) of each item's shared, held and sought keys. A key is a
    stable 64-bit hash of a block and an anchor: the same in every process and
    run, so that a case can store each occurrence's keys and a later run can
    find an occurrence's partners from them (store/case.py statement_keys)."""
    anchors = _Flat.of([[_string_hash(a) for a in entry.anchors] for entry in items])
    tables = []
    for table in KEY_TABLES:
        named = _Flat.of([[_string_hash(n) for n in getattr(entry.blocks, table)] for entry in items])
        tables.append(_every_block_with_every_anchor(named, anchors))
    return tables[0], tables[1], tables[2]


KEY_TABLES = ("shared", "held", "sought")  # a key's table, stored as its position here


# The rules that make keys: this module and merge.py, which normalises the words keys are made of
# (read by path: merge imports this module).
KEYS_VERSION = source_digest([Path(__file__), Path(__file__).with_name("merge.py")])


@dataclass(frozen=True, slots=True)
class KeyRows:
    """Keys of occurrences: ``tables[k]`` is the position in :data:`KEY_TABLES` of ``keys[k]``."""

    keys: I64
    tables: I64
    segments: I64


# --- stored keys: each segment's keys, to find the segments a new occurrence can meet --------------


def segment_key_codes(rows: KeyRows) -> dict[int, bytes]:
    """Each segment's keys as sorted distinct 32-bit codes (little-endian),
    what the case stores per segment (store/write_statement_keys.py). A code
    is a key's high 32 bits with its table in the lowest two: two keys may
    share a code, so segments found by codes are a superset of those the keys
    meet, and the merge then pairs only occurrences whose keys meet."""
    codes = _codes(rows.keys, rows.tables)
    order = np.lexsort((codes, rows.segments))
    segments, codes = rows.segments[order], codes[order]
    keep = np.r_[True, (segments[1:] != segments[:-1]) | (codes[1:] != codes[:-1])] if len(codes) else np.empty(0, bool)
    segments, codes = segments[keep], codes[keep]
    starts = np.flatnonzero(np.r_[True, segments[1:] != segments[:-1]]) if len(segments) else np.empty(0, np.int64)
    ends = np.r_[starts[1:], len(segments)].astype(np.int64)
    return {int(segments[a]): codes[a:b].astype("<u4").tobytes() for a, b in zip(starts.tolist(), ends.tolist())}


def segments_meeting(rows: KeyRows, stored: Iterable[tuple[int, bytes]]) -> set[int]:
    """The stored segments holding a code that one of ``rows``' keys meets:
    the same shared key; a held key for a sought one, and back."""
    codes = _codes(rows.keys, rows.tables)
    table = codes & np.uint32(3)
    partner_table = np.where(table == 1, 2, np.where(table == 2, 1, 0)).astype(np.uint32)
    wanted = sorted_unique((codes & ~np.uint32(3)) | partner_table)
    segments, blobs = [], []
    for segment, data in stored:
        segments.append(segment)
        blobs.append(data)
    if not len(wanted) or not blobs:
        return set()
    held = np.frombuffer(b"".join(blobs), dtype="<u4")
    owners = np.repeat(np.array(segments, dtype=np.int64), [len(data) // 4 for data in blobs])
    position = np.minimum(np.searchsorted(wanted, held), len(wanted) - 1)
    return set(owners[wanted[position] == held].tolist())


def _codes(keys: I64, tables: I64) -> npt.NDArray[np.uint32]:
    high = (keys.view(np.uint64) >> np.uint64(32)).astype(np.uint32)
    return (high & ~np.uint32(3)) | tables.astype(np.uint32)


@lru_cache(maxsize=1 << 18)
def _string_hash(text: str) -> int:
    # Cached: a case's blocks and anchors repeat. Signed, as numpy's int64 and SQLite's INTEGER hold it.
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)


_KEY_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _every_block_with_every_anchor(blocks: _Flat, anchors: _Flat) -> PairArrays:
    """(key, owner) of each item's keys: each of its blocks with each of its anchors, mixed into 64 bits."""
    block_owner = np.repeat(np.arange(len(blocks.counts), dtype=np.int64), blocks.counts)
    repeats = anchors.counts[block_owner]
    first_anchor = np.cumsum(anchors.counts) - anchors.counts
    block_part = np.repeat(blocks.ids, repeats).view(np.uint64)
    anchor_part = anchors.ids[_ranges(first_anchor[block_owner], repeats)].view(np.uint64)
    keys = mix64(block_part * _KEY_MULTIPLIER + mix64(anchor_part))
    return keys.view(np.int64), np.repeat(block_owner, repeats)


def _ranges(starts: I64, counts: I64) -> I64:
    """The concatenated ranges starts[k] .. starts[k] + counts[k] - 1."""
    total = int(counts.sum())
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(total, dtype=np.int64)


def _unique_pairs(found: Iterable[PairArrays], count: int) -> list[tuple[int, int]]:
    codes = [np.minimum(a, b) * count + np.maximum(a, b) for a, b in found if len(a)]
    if not codes:
        return []
    kept = sorted_unique(np.concatenate(codes))
    first, second = np.divmod(kept, max(count, 1))
    return [(a, b) for a, b in zip(first.tolist(), second.tolist()) if a != b]


def components(
    items: Sequence[Item],
    pairs: Iterable[tuple[int, int]],
    certainly_same: Callable[[Item, Item], bool],
    decide: Callable[[list[tuple[int, int]]], Sequence[bool]],
    members: Iterable[int],
) -> list[list[int]]:
    """Connected components of ``members`` under the candidate pairs that are
    one statement. Cheap certainties join first; then only pairs not already
    joined are asked, in one batch. Components do not depend on which joined
    pairs were skipped, so any order of asking gives the same groups."""
    parent = {m: m for m in members}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    undecided = []
    for i, j in pairs:
        if find(i) == find(j):
            continue
        if certainly_same(items[i], items[j]):
            parent[find(i)] = find(j)
        else:
            undecided.append((i, j))
    asked = [(i, j) for i, j in undecided if find(i) != find(j)]
    for (i, j), same in zip(asked, decide(asked)):
        if same:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in sorted(parent):
        groups[find(index)].append(index)
    return list(groups.values())


def touched_members(
    items: Sequence[Item],
    index: KeyIndex,
    changed: set[int],
    previous: Mapping[tuple[int, int], int],
    same: Callable[[list[tuple[int, int]]], Sequence[bool]],
) -> tuple[set[int], set[int]]:
    """(items to regroup, previous statement keys they replace).

    ``changed`` are the items that are new or whose family changed;
    ``previous`` maps each occurrence merged before, by (segment, start), to
    its statement; ``same`` answers candidate pairs. A previous statement
    must be regrouped when it holds a changed item, or an item that is one
    statement with a changed one. Any other stays exactly as it is: its
    pairs with everything but the changed items were answered as before, and
    none of its pairs with a changed item is "same"."""
    pairs = index.partner_pairs(changed)
    joined = {i for pair, is_same in zip(pairs, same(pairs)) if is_same for i in pair}
    reached = changed | joined
    replaced = {previous[items[i].at] for i in reached if items[i].at in previous}
    regroup = set(reached)
    regroup.update(i for i, item in enumerate(items) if previous.get(item.at) in replaced)
    return regroup, replaced
