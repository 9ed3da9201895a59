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

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

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
    content = {w for w in words if w not in STOPWORDS and not w.isdigit()} or set(words)
    return sorted(content, key=lambda w: (-len(w), zlib.crc32(w.encode()), w))[:k]


def blocks(speaker_words: Sequence[str], speaker_kind: str | None, family: int | None) -> Blocks:
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

    A key is a block and an anchor, numbered as one integer: a case has
    millions of keys, and integers are what Python hashes fastest."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._names: dict[str, int] = {}
        self._anchors: dict[str, int] = {}
        self._shared: dict[int, list[int]] = defaultdict(list)
        self._held: dict[int, list[int]] = defaultdict(list)
        self._sought: dict[int, list[int]] = defaultdict(list)
        self._keys: list[tuple[list[int], list[int], list[int]]] = []
        for index, entry in enumerate(items):
            keys = self._item_keys(entry)
            self._keys.append(keys)
            for table, found in zip((self._shared, self._held, self._sought), keys, strict=True):
                for key in found:
                    table[key].append(index)

    def _item_keys(self, entry: Item) -> tuple[list[int], list[int], list[int]]:
        """(shared, held, sought) keys of one item."""
        anchor_ids = [self._anchors.setdefault(a, len(self._anchors)) for a in entry.anchors]

        def keys(names: frozenset[str]) -> list[int]:
            name_ids = [self._names.setdefault(n, len(self._names)) for n in names]
            return [(name << 32) | anchor for name in name_ids for anchor in anchor_ids]

        blocks_of = entry.blocks
        return keys(blocks_of.shared), keys(blocks_of.held), keys(blocks_of.sought)

    def partners(self, indices: Iterable[int]) -> set[int]:
        found: set[int] = set()
        for index in indices:
            shared, held, sought = self._keys[index]
            for key in shared:
                found.update(self._shared[key])
            for key in sought:
                found.update(self._held.get(key, ()))
            for key in held:
                found.update(self._sought.get(key, ()))
        return found

    def pairs(self, within: set[int] | None = None) -> list[tuple[int, int]]:
        """Candidate pairs (i < j), sorted; only among ``within`` when given."""
        def chosen(members: list[int]) -> list[int]:
            return members if within is None else [m for m in members if m in within]

        found: set[tuple[int, int]] = set()
        for members in self._shared.values():
            if len(members) < 2:
                continue
            kept = chosen(members)
            for position, first in enumerate(kept):
                found.update((first, second) for second in kept[position + 1 :])
        for key, seekers in self._sought.items():
            holders = chosen(self._held.get(key, []))
            for seeker in chosen(seekers):
                found.update((min(seeker, h), max(seeker, h)) for h in holders if h != seeker)
        return sorted(found)


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
    pairs = sorted({(min(t, p), max(t, p)) for t in changed for p in index.partners([t]) if p != t})
    joined = {i for pair, is_same in zip(pairs, same(pairs)) if is_same for i in pair}
    reached = changed | joined
    replaced = {previous[items[i].at] for i in reached if items[i].at in previous}
    regroup = set(reached)
    regroup.update(i for i, item in enumerate(items) if previous.get(item.at) in replaced)
    return regroup, replaced
