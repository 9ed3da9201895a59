"""One statement across many copies, and how copies changed its words.

Occurrences are grouped when their speakers are compatible and their words
are close (rapidfuzz on normalised words). Candidates come from an index of
the statements' rarer words, so the work grows with the number of sharing
pairs, not with all pairs. Each group becomes a :class:`Statement` whose
reference form is its occurrence in a copy family's origin, where it has
one, else its earliest dated occurrence (or the most common form when dates
are missing); an occurrence whose words differ from it is
``altered``, with a word-level diff. The reference's text may hold the
statement in several occurrences (two quotes that a flattened copy runs
together): none of them is altered, nor a copy that says one of them, or
several in a row, word for word. Quote style, case, whitespace and
punctuation never count as alteration.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from rapidfuzz import fuzz

from sourcetrace.records import DiffOp, Statement
from sourcetrace.reuse.origins import PublicationTime, parse_published
from sourcetrace.voices.grouping import (
    NAME_FILLERS,
    Item,
    KeyIndex,
    KeyRows,
    blocks,
    components,
    item,
    touched_members,
)
from sourcetrace.voices.statements import Attribution

# Word similarity (0..100, rapidfuzz ratio on normalised words) to merge two
# occurrences: stricter between unrelated texts than within one copy family,
# where rewording ("spun" copies) is expected.
SAME_STATEMENT = 80.0
SAME_STATEMENT_IN_FAMILY = 60.0
# Within a family a garbled or pronoun speaker may differ; the words must then agree closely.
SPEAKER_MISMATCH_IN_FAMILY = 85.0
# A shorter form (a trimmed quote) contained in a longer one.
CONTAINED = 95.0
_WORD = re.compile(r"[\w]+(?:['’][\w]+)*")
_QUOTE_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def normalised_words(text: str) -> list[str]:
    """Lower-cased words with quote style and punctuation removed."""
    return list(_normalised(text))


@lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> tuple[str, ...]:
    # Cached: a merge compares each quote and speaker name with many others.
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).lower()
    return tuple(_WORD.findall(folded))


@dataclass(frozen=True, slots=True)
class PairQuestion:
    """Are two occurrences one statement? What a decider is asked."""

    first: Attribution
    second: Attribution
    same_family: bool


PairDecider = Callable[[Sequence[PairQuestion]], Sequence[bool]]


def decide_here(questions: Sequence[PairQuestion]) -> list[bool]:
    """Answer in this process (an engine can answer the same questions)."""
    return [same_statement(q) for q in questions]


ITEM_BASE = 10_000  # a statement's id: its first occurrence's segment id * 10,000 + its rank there


@dataclass(frozen=True, slots=True)
class MergeChanges:
    """What a merge changes: ``replaced`` statement keys go, ``statements`` come.
    ``keys`` are the grouping keys of every occurrence the merge read."""

    statements: list[Statement]
    replaced: set[int]
    keys: KeyRows


def merge_statements(
    attributions_by_segment: Mapping[int, Sequence[Attribution]],
    segment_dates: Mapping[int, str | None],
    families: Mapping[int, int] | None = None,
    decide: PairDecider = decide_here,
    origins: Collection[int] = frozenset(),
) -> list[Statement]:
    """Merge every segment's statements into case-wide ones, sorted by their
    first occurrence. ``families`` maps a segment id to its copy-family key,
    when known; ``decide`` answers the pair questions the merge needs (in
    batches); ``origins`` are the segments that are their family's origin.
    ``Statement.key`` is the first occurrence's segment id times
    :data:`ITEM_BASE` plus its rank among that segment's statements."""
    changes = merge_changes(attributions_by_segment, segment_dates, families or {}, {}, set(), decide, origins)
    return changes.statements


def merge_changes(
    attributions_by_segment: Mapping[int, Sequence[Attribution]],
    segment_dates: Mapping[int, str | None],
    families: Mapping[int, int],
    previous: Mapping[tuple[int, int], int],
    moved: set[int],
    decide: PairDecider = decide_here,
    origins: Collection[int] = frozenset(),
) -> MergeChanges:
    """The statements to replace after segments were added or moved between
    families. ``previous`` maps each occurrence merged before, by (segment,
    start), to its statement; ``moved`` are the segments whose family changed
    since (or that stopped or started being their family's origin). The result equals a merge of everything (see voices/grouping.py)."""
    codes, items = _items(attributions_by_segment, families)
    index = KeyIndex(items)
    changed = {i for i, item in enumerate(items) if item.at not in previous or item.at[0] in moved}

    def same(pairs: list[tuple[int, int]]) -> Sequence[bool]:
        certain = [_certainly_same(items[i], items[j]) for i, j in pairs]
        answers = iter(ask([pair for pair, sure in zip(pairs, certain) if not sure]))
        return [True if sure else next(answers) for sure in certain]

    def ask(pairs: list[tuple[int, int]]) -> Sequence[bool]:
        questions = [PairQuestion(items[i].attribution, items[j].attribution,
                                  _same_family(items[i].attribution, items[j].attribution, families))
                     for i, j in pairs]
        # Different speakers outside one family are never one statement: no need to ask.
        plausible = [q.same_family or speakers_compatible(q.first, q.second) for q in questions]
        answers = iter(decide([q for q, worth in zip(questions, plausible) if worth]))
        return [next(answers) if worth else False for worth in plausible]

    if previous:
        members, replaced = touched_members(items, index, changed, previous, same)
    else:  # nothing merged before: everything is regrouped, with no need to ask who joins what first
        members, replaced = set(range(len(items))), set()
    groups = components(items, index.pairs(members), _certainly_same, ask, members)
    statements = [_statement(items, codes, group, segment_dates, origins) for group in groups]
    statements.sort(key=lambda s: s.key)
    return MergeChanges(statements, replaced, index.rows())


def occurrence_keys(attributions_by_segment: Mapping[int, Sequence[Attribution]], families: Mapping[int, int]) -> KeyRows:
    """The grouping keys of the segments' occurrences (see voices/grouping.py)."""
    return KeyIndex(_items(attributions_by_segment, families)[1]).rows()


def _items(by_segment: Mapping[int, Sequence[Attribution]], families: Mapping[int, int]) -> tuple[list[int], list[Item]]:
    codes, items = [], []
    for segment in sorted(by_segment):
        for rank, attribution in enumerate(by_segment[segment]):
            words = _normalised(attribution.occurrence.text)
            speaker = _normalised(attribution.speaker)
            codes.append(segment * ITEM_BASE + rank)
            items.append(item(attribution, words, blocks(speaker, attribution.speaker_kind, families.get(segment))))
    return codes, items


def _certainly_same(a: Item, b: Item) -> bool:
    """The same span, or the same words from compatible speakers: what
    :func:`same_statement` would say, without its fuzzy matching."""
    if a.at == b.at:
        return True
    return a.words == b.words and bool(a.words) and speakers_compatible(a.attribution, b.attribution)


def _same_family(a: Attribution, b: Attribution, families: Mapping[int, int]) -> bool:
    family_a, family_b = families.get(a.occurrence.segment), families.get(b.occurrence.segment)
    return family_a is not None and family_a == family_b


def same_statement(question: PairQuestion) -> bool:
    """Whether two occurrences are one statement: compatible speakers and
    close words (closer between families than within one)."""
    a, b, same_family = question.first, question.second, question.same_family
    if a.occurrence.segment == b.occurrence.segment:
        # One text does not repeat itself: two spans of it are one statement only where they overlap.
        first, second = sorted((a.occurrence, b.occurrence), key=lambda o: o.start)
        return second.start < first.end
    words_a, words_b = _normalised(a.occurrence.text), _normalised(b.occurrence.text)
    text_a, text_b = " ".join(words_a), " ".join(words_b)
    if speakers_compatible(a, b):
        threshold = SAME_STATEMENT_IN_FAMILY if same_family else SAME_STATEMENT
    elif same_family and (a.occurrence.garbled_speaker or b.occurrence.garbled_speaker
                          or _unresolved(a) or _unresolved(b)):
        threshold = SPEAKER_MISMATCH_IN_FAMILY
    else:
        return False
    # score_cutoff lets rapidfuzz stop as soon as a pair cannot reach the threshold.
    if fuzz.ratio(text_a, text_b, score_cutoff=threshold):
        return True
    return min(len(words_a), len(words_b)) >= 5 and bool(fuzz.partial_ratio(text_a, text_b, score_cutoff=CONTAINED))


def speakers_compatible(a: Attribution, b: Attribution) -> bool:
    """Same canonical speaker, or one name is a part of the other ("Bachelet",
    "Michelle Bachelet"), as happens across segments resolved separately."""
    name_a, name_b = _normalised(a.speaker), _normalised(b.speaker)
    if name_a == name_b:
        return True
    # Of two names of one length, the one opening with a filler counts as the shorter, whichever comes first.
    shorter, longer = sorted((name_a, name_b), key=lambda name: (len(name), not name or name[0] not in NAME_FILLERS))
    if shorter and shorter[0] in NAME_FILLERS:  # "the panel" unresolved in one copy
        return len(shorter) == 2 and shorter[1] == longer[-1]
    return len(shorter) == 1 and a.speaker_kind == b.speaker_kind == "person" and shorter[0] in (longer[0], longer[-1])


def _unresolved(attribution: Attribution) -> bool:
    return attribution.speaker == attribution.occurrence.speaker_as_written and attribution.speaker_kind != "person"


def _statement(items: list[Item], codes: list[int], members: list[int],
               dates: Mapping[int, str | None], origins: Collection[int]) -> Statement:
    said = [items[i].attribution for i in members]
    words = [list(items[i].words) for i in members]
    local = list(range(len(members)))
    reference = _reference(said, words, local, dates, origins)
    as_said = _reference_runs(said, words, local, reference)
    occurrences = []
    ref_tokens: list[str] | None = None
    for index in sorted(local, key=lambda i: (said[i].occurrence.segment, said[i].occurrence.start)):
        occurrence = said[index].occurrence
        altered = tuple(words[index]) not in as_said
        if altered and ref_tokens is None:  # display words only where a diff is shown
            ref_tokens = _display_words(said[reference].occurrence.text)
        diff = word_diff(ref_tokens or [], _display_words(occurrence.text)) if altered else ()
        occurrences.append(replace(occurrence, altered=altered, diff=diff))
    speaker, role = _speaker(said, local, reference)
    kinds = Counter(a.occurrence.kind for a in said)
    return Statement(
        key=min(codes[i] for i in members),
        speaker=speaker,
        speaker_role=role,
        kind=kinds.most_common(1)[0][0],
        cue=said[reference].occurrence.cue,
        text=said[reference].occurrence.text,
        occurrences=tuple(occurrences),
    )


# Consecutive occurrences of the reference's text joined at most: a copy that runs two of its quotes
# together (a flattened page: extraction joins one speaker's quotes within a paragraph) says them as
# they were said.
MAX_JOINED_PARTS = 4


def _reference_runs(items: list[Attribution], words: list[list[str]], members: list[int],
                    reference: int) -> set[tuple[str, ...]]:
    """The words the statement was said in: each of its occurrences in the reference's text (that
    text is the reference: none of them is altered), and runs of consecutive ones joined. An
    occurrence elsewhere is altered unless its words are one of these."""
    segment = items[reference].occurrence.segment
    parts = sorted((i for i in members if items[i].occurrence.segment == segment), key=lambda i: items[i].occurrence.start)
    runs: set[tuple[str, ...]] = set()
    for first in range(len(parts)):
        joined: tuple[str, ...] = ()
        for part in parts[first:first + MAX_JOINED_PARTS]:
            joined += tuple(words[part])
            runs.add(joined)
    return runs


def _reference(items: list[Attribution], words: list[list[str]], members: list[int],
               dates: Mapping[int, str | None], origins: Collection[int]) -> int:
    """The occurrence the others are compared with: one in a family's origin
    (the text every copy in that family derives from), else the earliest
    dated, else the most common form."""
    in_origin = [i for i in members if items[i].occurrence.segment in origins]
    members = in_origin or members
    published = {i: parse_published(dates.get(items[i].occurrence.segment)) for i in members}
    dated = [i for i in members if published[i] is not None]
    if dated:  # the earliest moment (dates with and without time of day, any offset)
        return min(dated, key=lambda i: (_moment(published[i]), items[i].occurrence.segment))
    forms = Counter(tuple(words[i]) for i in members)
    return min(members, key=lambda i: (-forms[tuple(words[i])], items[i].occurrence.segment, items[i].occurrence.start))


def _moment(time: PublicationTime | None) -> datetime:
    assert time is not None
    return time.moment


def _speaker(items: list[Attribution], members: list[int], reference: int) -> tuple[str, str | None]:
    """The fullest resolved name among the occurrences (a body's own name
    before "the panel"), the reference's first;
    the first role any occurrence gives."""
    ordered = [reference] + [i for i in members if i != reference]
    clean = [i for i in ordered if not items[i].occurrence.garbled_speaker] or ordered
    best = max(clean, key=lambda i: (items[i].speaker_kind == "person" and " " in items[i].speaker,
                                     not _unresolved(items[i]), not _opens_with_filler(items[i].speaker),
                                     -ordered.index(i)))
    role = next((items[i].speaker_role for i in ordered if items[i].speaker_role), None)
    return items[best].speaker, role


def _opens_with_filler(speaker: str) -> bool:
    """ "the panel": a name that stands for a fuller one elsewhere."""
    words = _normalised(speaker)
    return bool(words) and words[0] in NAME_FILLERS


def _display_words(text: str) -> list[str]:
    return [word for word in text.split() if normalised_words(word)]


def word_diff(reference: list[str], other: list[str]) -> tuple[DiffOp, ...]:
    """Word-level diff of ``other`` against ``reference``, comparing normalised
    words and reporting them as written."""
    keys_a = [" ".join(normalised_words(w)) for w in reference]
    keys_b = [" ".join(normalised_words(w)) for w in other]
    ops: list[DiffOp] = []
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            ops.extend(("=", word) for word in other[b0:b1])
            continue
        ops.extend(("-", word) for word in reference[a0:a1])
        ops.extend(("+", word) for word in other[b0:b1])
    return tuple(ops)
