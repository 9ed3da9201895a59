"""One statement across many copies, and how copies changed its words.

Occurrences are grouped when their speakers are compatible and their words
are close (rapidfuzz on normalised words). Candidates come from an index of
the statements' rarer words, so the work grows with the number of sharing
pairs, not with all pairs. Each group becomes a :class:`Statement` whose
reference form is its earliest dated occurrence (or the most common form
when dates are missing); an occurrence whose words differ from it is
``altered``, with a word-level diff. Quote style, case, whitespace and
punctuation never count as alteration.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from sourcetrace.records import DiffOp, Statement
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
_ANCHORS = 6  # rarest words per occurrence used as index keys
_WORD = re.compile(r"[\w]+(?:['’][\w]+)*")
_QUOTE_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def normalised_words(text: str) -> list[str]:
    """Lower-cased words with quote style and punctuation removed."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).lower()
    return _WORD.findall(folded)


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


def merge_statements(
    attributions_by_segment: Mapping[int, Sequence[Attribution]],
    segment_dates: Mapping[int, str | None],
    families: Mapping[int, int] | None = None,
    decide: PairDecider = decide_here,
) -> list[Statement]:
    """Merge every segment's statements into case-wide ones, sorted by their
    first (segment, start); ``Statement.key`` is that rank, from 1.
    ``families`` maps a segment id to its copy-family key, when known;
    ``decide`` answers the pair questions the merge needs (in batches)."""
    items = [a for segment in sorted(attributions_by_segment) for a in attributions_by_segment[segment]]
    words = [normalised_words(a.occurrence.text) for a in items]
    groups = _group(items, words, families or {}, decide)
    statements = [_statement(items, words, members, segment_dates) for members in groups]
    statements.sort(key=lambda s: min((o.segment, o.start) for o in s.occurrences))
    return [replace(statement, key=rank) for rank, statement in enumerate(statements, start=1)]


def _group(items: list[Attribution], words: list[list[str]], families: Mapping[int, int],
           decide: PairDecider) -> list[list[int]]:
    """Connected components of the candidate pairs that are one statement.
    Cheap certainties join first; then only pairs not already joined are
    asked, in one batch. Components do not depend on which joined pairs were
    skipped, so any order of asking gives the same groups."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    undecided: list[tuple[int, int]] = []
    for i, j in _candidate_pairs(words, [_blocks(a, families) for a in items]):
        if find(i) == find(j):
            continue
        if _certainly_same(items[i], items[j], words[i], words[j]):
            parent[find(i)] = find(j)
        else:
            undecided.append((i, j))
    asked = [(i, j) for i, j in undecided if find(i) != find(j)]
    questions = [PairQuestion(items[i], items[j], _same_family(items[i], items[j], families)) for i, j in asked]
    for (i, j), same in zip(asked, decide(questions)):
        if same:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(items)):
        groups[find(index)].append(index)
    return list(groups.values())


def _certainly_same(a: Attribution, b: Attribution, words_a: list[str], words_b: list[str]) -> bool:
    """The same span, or the same words from compatible speakers: what
    :func:`same_statement` would say, without its fuzzy matching."""
    if a.occurrence.segment == b.occurrence.segment and a.occurrence.start == b.occurrence.start:
        return True
    return words_a == words_b and bool(words_a) and speakers_compatible(a, b)


def _same_family(a: Attribution, b: Attribution, families: Mapping[int, int]) -> bool:
    family_a, family_b = families.get(a.occurrence.segment), families.get(b.occurrence.segment)
    return family_a is not None and family_a == family_b


def _blocks(attribution: Attribution, families: Mapping[int, int]) -> set[str]:
    """Keys that two occurrences share whenever :func:`same_statement` could
    join them: compatible speakers share their name's first or last word, and
    a speaker mismatch is only forgiven inside one family."""
    name = normalised_words(attribution.speaker)
    keys = {f"speaker:{w}" for w in name[:1] + name[-1:] if w not in ("the", "its", "a")}
    keys = keys or {"speaker:" + " ".join(name)}
    family = families.get(attribution.occurrence.segment)
    if family is not None:
        keys.add(f"family:{family}")
    return keys


def _candidate_pairs(words: list[list[str]], blocks: list[set[str]]) -> Iterable[tuple[int, int]]:
    """Pairs in a common block that share one of their rarest words: a word
    no other occurrence has cannot pair, so the rarest of the rest are the
    anchors. Blocks keep apart what could never be one statement (different
    speakers, outside one family), which is most of the pairs words alone give."""
    frequency = Counter(word for item in words for word in set(item))
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for i, item in enumerate(words):
        anchors = sorted((w for w in set(item) if frequency[w] > 1), key=lambda w: (frequency[w], w))[:_ANCHORS]
        for key in ((block, word) for word in anchors for block in sorted(blocks[i])):
            for j in index[key]:
                if (j, i) not in seen:
                    seen.add((j, i))
                    yield j, i
            index[key].append(i)


def same_statement(question: PairQuestion) -> bool:
    """Whether two occurrences are one statement: compatible speakers and
    close words (closer between families than within one)."""
    a, b, same_family = question.first, question.second, question.same_family
    if a.occurrence.segment == b.occurrence.segment and a.occurrence.start == b.occurrence.start:
        return True
    words_a, words_b = normalised_words(a.occurrence.text), normalised_words(b.occurrence.text)
    text_a, text_b = " ".join(words_a), " ".join(words_b)
    score = fuzz.ratio(text_a, text_b)
    shorter = min(len(words_a), len(words_b))
    contained = shorter >= 5 and fuzz.partial_ratio(text_a, text_b) >= CONTAINED
    if speakers_compatible(a, b):
        threshold = SAME_STATEMENT_IN_FAMILY if same_family else SAME_STATEMENT
        return score >= threshold or contained
    suspect = a.occurrence.garbled_speaker or b.occurrence.garbled_speaker or _unresolved(a) or _unresolved(b)
    return same_family and suspect and (score >= SPEAKER_MISMATCH_IN_FAMILY or contained)


def speakers_compatible(a: Attribution, b: Attribution) -> bool:
    """Same canonical speaker, or one name is a part of the other ("Bachelet",
    "Michelle Bachelet"), as happens across segments resolved separately."""
    name_a, name_b = normalised_words(a.speaker), normalised_words(b.speaker)
    if name_a == name_b:
        return True
    shorter, longer = sorted((name_a, name_b), key=len)
    if shorter and shorter[0] in ("the", "its", "a"):  # "the panel" unresolved in one copy
        return len(shorter) == 2 and shorter[1] == longer[-1]
    return len(shorter) == 1 and a.speaker_kind == b.speaker_kind == "person" and shorter[0] in (longer[0], longer[-1])


def _unresolved(attribution: Attribution) -> bool:
    return attribution.speaker == attribution.occurrence.speaker_as_written and attribution.speaker_kind != "person"


def _statement(items: list[Attribution], words: list[list[str]], members: list[int],
               dates: Mapping[int, str | None]) -> Statement:
    reference = _reference(items, words, members, dates)
    ref_words = words[reference]
    ref_tokens = _display_words(items[reference].occurrence.text)
    occurrences = []
    for index in sorted(members, key=lambda i: (items[i].occurrence.segment, items[i].occurrence.start)):
        occurrence = items[index].occurrence
        altered = words[index] != ref_words
        diff = word_diff(ref_tokens, _display_words(occurrence.text)) if altered else ()
        occurrences.append(replace(occurrence, altered=altered, diff=diff))
    speaker, role = _speaker(items, members, reference)
    kinds = Counter(items[i].occurrence.kind for i in members)
    return Statement(
        key=0,
        speaker=speaker,
        speaker_role=role,
        kind=kinds.most_common(1)[0][0],
        cue=items[reference].occurrence.cue,
        text=items[reference].occurrence.text,
        occurrences=tuple(occurrences),
    )


def _reference(items: list[Attribution], words: list[list[str]], members: list[int],
               dates: Mapping[int, str | None]) -> int:
    dated = [i for i in members if dates.get(items[i].occurrence.segment)]
    if dated:
        return min(dated, key=lambda i: (str(dates[items[i].occurrence.segment]), items[i].occurrence.segment))
    forms = Counter(tuple(words[i]) for i in members)
    return min(members, key=lambda i: (-forms[tuple(words[i])], items[i].occurrence.segment, items[i].occurrence.start))


def _speaker(items: list[Attribution], members: list[int], reference: int) -> tuple[str, str | None]:
    """The fullest resolved name among the occurrences, the reference's first;
    the first role any occurrence gives."""
    ordered = [reference] + [i for i in members if i != reference]
    clean = [i for i in ordered if not items[i].occurrence.garbled_speaker] or ordered
    best = max(clean, key=lambda i: (items[i].speaker_kind == "person" and " " in items[i].speaker,
                                     not _unresolved(items[i]), -ordered.index(i)))
    role = next((items[i].speaker_role for i in ordered if items[i].speaker_role), None)
    return items[best].speaker, role


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
