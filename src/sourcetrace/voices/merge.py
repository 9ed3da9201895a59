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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

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


def merge_statements(
    attributions_by_segment: Mapping[int, Sequence[Attribution]],
    segment_dates: Mapping[int, str | None],
    families: Mapping[int, int] | None = None,
) -> list[Statement]:
    """Merge every segment's statements into case-wide ones, sorted by their
    first (segment, start); ``Statement.key`` is that rank, from 1.
    ``families`` maps a segment id to its copy-family key, when known."""
    items = [a for segment in sorted(attributions_by_segment) for a in attributions_by_segment[segment]]
    words = [normalised_words(a.occurrence.text) for a in items]
    groups = _group(items, words, families or {})
    statements = [_statement(items, words, members, segment_dates) for members in groups]
    statements.sort(key=lambda s: min((o.segment, o.start) for o in s.occurrences))
    return [replace(statement, key=rank) for rank, statement in enumerate(statements, start=1)]


def _group(items: list[Attribution], words: list[list[str]], families: Mapping[int, int]) -> list[list[int]]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(words):
        if find(i) != find(j) and _same_statement(items[i], items[j], words[i], words[j], families):
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for index in range(len(items)):
        groups[find(index)].append(index)
    return list(groups.values())


def _candidate_pairs(words: list[list[str]]) -> Iterable[tuple[int, int]]:
    """Pairs that share one of their rarest shared words: a word no other
    occurrence has cannot pair, so the rarest of the rest are the anchors."""
    frequency = Counter(word for item in words for word in set(item))
    index: dict[str, list[int]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for i, item in enumerate(words):
        anchors = sorted((w for w in set(item) if frequency[w] > 1), key=lambda w: (frequency[w], w))[:_ANCHORS]
        for word in anchors:
            for j in index[word]:
                if (j, i) not in seen:
                    seen.add((j, i))
                    yield j, i
            index[word].append(i)


def _same_statement(a: Attribution, b: Attribution, words_a: list[str], words_b: list[str],
                    families: Mapping[int, int]) -> bool:
    if a.occurrence.segment == b.occurrence.segment and a.occurrence.start == b.occurrence.start:
        return True
    text_a, text_b = " ".join(words_a), " ".join(words_b)
    score = fuzz.ratio(text_a, text_b)
    shorter = min(len(words_a), len(words_b))
    contained = shorter >= 5 and fuzz.partial_ratio(text_a, text_b) >= CONTAINED
    family_a, family_b = families.get(a.occurrence.segment), families.get(b.occurrence.segment)
    same_family = family_a is not None and family_a == family_b
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
