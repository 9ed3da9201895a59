"""Which occurrences are one statement: candidate pairs and their components.

Two occurrences are a candidate pair when they share a *key*: a block (a
word of the speaker's name, or the copy family) together with an anchor (one
of the few content words of the quote whose stable hash is lowest, a
bottom-k sketch). Both halves depend only on the occurrence itself and its
family, never on the rest of the case, so whether two occurrences are a
candidate pair is a property of the pair. That is what lets a run that adds
segments regroup only the statements its new occurrences touch and still
get exactly the groups a run over everything would.
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
# Words that begin names without telling them apart ("the ministry"): never
# a key. (A last word such as "Inc" must stay one: "the company" and "Acme
# company" can be one speaker, see speakers_compatible.)
NAME_FILLERS = frozenset(("the", "its", "a"))
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Item:
    """One occurrence to group: its attribution, its normalised words, its keys."""

    attribution: Attribution
    words: tuple[str, ...]
    keys: frozenset[Key]

    @property
    def at(self) -> tuple[int, int]:
        return self.attribution.occurrence.segment, self.attribution.occurrence.start


def anchors(words: Sequence[str], k: int = ANCHORS) -> list[str]:
    """The first ``k`` content words in one fixed order of all words (longest
    first, then by CRC-32, which is the same in every process): a bottom-k sketch, so a quote and a trimmed
    copy of it share an anchor whenever the copy keeps one of the original's.
    Long words first, because they are the rare ones ("barrier", not "mln")."""
    content = {w for w in words if w not in STOPWORDS and not w.isdigit()} or set(words)
    return sorted(content, key=lambda w: (-len(w), zlib.crc32(w.encode()), w))[:k]


def blocks(speaker_words: Sequence[str], family: int | None) -> set[str]:
    """What two occurrences share whenever they could be one statement:
    compatible speakers share their name's first or last word, and a speaker
    mismatch is forgiven only inside one family."""
    ends = [*speaker_words[:1], *speaker_words[-1:]]
    keys = {f"speaker:{w}" for w in ends if w not in NAME_FILLERS}
    keys = keys or {"speaker:" + " ".join(speaker_words)}
    if family is not None:
        keys.add(f"family:{family}")
    return keys


class KeyIndex:
    """Items by key, to find each one's candidate partners."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._by_key: dict[Key, list[int]] = defaultdict(list)
        for index, item in enumerate(items):
            for key in item.keys:
                self._by_key[key].append(index)

    def partners(self, indices: Iterable[int], items: Sequence[Item]) -> set[int]:
        found: set[int] = set()
        for index in indices:
            for key in items[index].keys:
                found.update(self._by_key[key])
        return found

    def pairs(self, within: set[int] | None = None) -> list[tuple[int, int]]:
        """Candidate pairs (i < j), sorted; only among ``within`` when given."""
        found: set[tuple[int, int]] = set()
        for members in self._by_key.values():
            chosen = members if within is None else [m for m in members if m in within]
            for position, first in enumerate(chosen):
                found.update((first, second) for second in chosen[position + 1 :])
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
    pairs = sorted({(min(t, p), max(t, p)) for t in changed for p in index.partners([t], items) if p != t})
    joined = {i for pair, is_same in zip(pairs, same(pairs)) if is_same for i in pair}
    reached = changed | joined
    replaced = {previous[items[i].at] for i in reached if items[i].at in previous}
    regroup = set(reached)
    regroup.update(i for i, item in enumerate(items) if previous.get(item.at) in replaced)
    return regroup, replaced
