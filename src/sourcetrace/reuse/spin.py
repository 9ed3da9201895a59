"""Marks of machine spinning, per 1,000 words: which of two copies is spun.

Article spinners rewrite word by word and leave traces that fluent news
prose does not have. Each occurrence of one of these counts as a mark:

* broken punctuation: a space before a full stop or comma (``term .``) or two
  marks in a row (``. ,``);
* a doubled word (``use of of``), except the few doubles grammar allows;
* a name split off its sentence (``…,” Agnes said. Callamard, secretary…``):
  a lone capitalised word and a speech verb end a sentence, and the next
  begins with a capitalised word and a comma;
* a fixed expression swapped word by word (``minutes into her term`` for
  ``with minutes to go in her term``): "tortured phrases" in the sense of
  Cabanac et al. (2021), from a short list of news expressions;
* a spoken verb stranded as a fragment (``… statement.``, ``He added.``): a
  sentence of at most five words that only attributes, with no quotation.

Between two copies of one story, the one with *markedly* fewer marks is the
closer to the origin (:func:`spun_side`): at least :data:`MIN_MARKS` more
marks, :data:`MARGIN` more per 1,000 words, and at most half the rate, so
that one stray double space never decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MARGIN = 3.0  # per 1,000 words
MIN_MARKS = 2
FLUENT_SHARE = 0.5  # the fluent side has at most this share of the spun side's rate

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SPACE_BEFORE = re.compile(r"(?<=[^\W_])[ \t]+[.,;:!?](?=\s|$)")
_DOUBLE_MARK = re.compile(r"[,;:][ \t]*[.,;:](?!\.)|(?<!\.)\.[ \t]+[,;:]")
_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
_GRAMMATICAL_DOUBLES = frozenset({"that", "had", "is", "do", "bye", "so", "very", "ha", "no"})
_SPEECH = r"(?:said|says|added|told|stated|noted|explained|announced|wrote|declared)"
_SPLIT_NAME = re.compile(rf"(?:[,.!?”\"’]\s+|\b{_SPEECH}\s+)([A-Z][a-z]+)(?:\s+{_SPEECH})?\.\s+([A-Z][a-z]+),")
# Words that open a fluent sentence with a comma after a quotation's attribution.
_SENTENCE_OPENERS = frozenset(
    "however instead indeed meanwhile nevertheless nonetheless still also separately earlier later "
    "yesterday today tomorrow overall last next first second finally moreover besides but and so thus "
    "analysts officials traders dealers economists sources".split()
)
_FRAGMENT = re.compile(
    rf"(?:\A|(?<=[.!?])[ \t\n]+)((?:[\w’']+[ \t\n]+){{0,4}}(?:{_SPEECH}|statement|announcement))\.(?=\s|\Z)",
    re.IGNORECASE,
)
# Word-by-word swaps of expressions news prose uses as fixed wholes.
TORTURED_PHRASES = (
    "minutes into her term",
    "minutes into his term",
    "agreeing to a statement",
    "as per a statement",
    "in expansion to",
    "at the same point in time",
    "on the other hand of",
    "in request to",
    "head administrator",
    "joined states",
    "joined realm",
    "stock showcase",
    "intrigue rates",
    "squeeze gathering",
    "squeeze meeting",
    "net benefit rose",
    "net benefit fell",
    "exchange shortage",
    "focal bank",
    "for the main time",
    "not long from now",
    "in the interim of",
    "talked with correspondents",
)
_TORTURED = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in TORTURED_PHRASES) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SpinMarks:
    """The marks of spinning found in one text, by kind."""

    words: int
    broken_punctuation: int
    doubled_words: int
    split_names: int
    tortured_phrases: int
    stranded_fragments: int

    @property
    def count(self) -> int:
        return (
            self.broken_punctuation
            + self.doubled_words
            + self.split_names
            + self.tortured_phrases
            + self.stranded_fragments
        )

    @property
    def per_thousand(self) -> float:
        """Marks per 1,000 words."""
        return 1000 * self.count / max(self.words, 1)


def spin_marks(text: str) -> SpinMarks:
    """Count the marks of machine spinning in ``text`` (see the module's list)."""
    doubled = sum(1 for m in _DOUBLED.finditer(text) if m.group(1).casefold() not in _GRAMMATICAL_DOUBLES)
    fragments = sum(1 for m in _FRAGMENT.finditer(text) if _stranded(text, m))
    return SpinMarks(
        words=len(_WORD.findall(text)),
        broken_punctuation=len(_SPACE_BEFORE.findall(text)) + len(_DOUBLE_MARK.findall(text)),
        doubled_words=doubled,
        split_names=sum(1 for m in _SPLIT_NAME.finditer(text) if _split_off(m.group(1), m.group(2))),
        tortured_phrases=len(_TORTURED.findall(text)),
        stranded_fragments=fragments,
    )


_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+|\b[A-Z][a-z]{0,3}\.)\s*\Z")


def _stranded(text: str, fragment: re.Match[str]) -> bool:
    """Whether a short attributing sentence stands alone: it holds no
    quotation, and what ends before it is a sentence, not an abbreviation
    ("U.S.", "Corp.")."""
    if re.search(r"[\"“”]", fragment.group(1)):
        return False
    return _ABBREVIATION.search(text, 0, fragment.start(1)) is None


def _split_off(first: str, second: str) -> bool:
    """Whether "First said. Second," reads as one name cut in two, not as a
    sentence that opens with the same name again or with an adverb."""
    opener = second.casefold()
    return second != first and opener not in _SENTENCE_OPENERS and not opener.endswith("ly")


@dataclass(frozen=True, slots=True)
class SpinDirection:
    """Of two copies, the spun one and the fluent one, with the rates that decided."""

    spun: int
    fluent: int
    spun_rate: float
    fluent_rate: float

    @property
    def evidence(self) -> str:
        return (
            f"fewer marks of machine spinning: {self.fluent_rate:.1f} vs {self.spun_rate:.1f} per 1,000 words"
        )


def spun_side(a: int, marks_a: SpinMarks, b: int, marks_b: SpinMarks) -> SpinDirection | None:
    """Which of two copies of one story is the spun one, or None when their
    marks do not differ markedly (see :data:`MARGIN`)."""
    (spun, spun_marks), (fluent, fluent_marks) = sorted(
        ((a, marks_a), (b, marks_b)), key=lambda item: item[1].per_thousand, reverse=True
    )
    if spun_marks.count - fluent_marks.count < MIN_MARKS:
        return None
    if spun_marks.per_thousand - fluent_marks.per_thousand < MARGIN:
        return None
    if fluent_marks.per_thousand > FLUENT_SHARE * spun_marks.per_thousand:
        return None
    return SpinDirection(spun, fluent, spun_marks.per_thousand, fluent_marks.per_thousand)


class SpinReadings:
    """Spin marks of the segments of a case, counted on first use."""

    def __init__(self, texts: Mapping[int, str]) -> None:
        self._texts = texts
        self._marks: dict[int, SpinMarks] = {}

    def marks(self, segment: int) -> SpinMarks:
        if segment not in self._marks:
            self._marks[segment] = spin_marks(self._texts[segment])
        return self._marks[segment]

    def direction(self, a: int, b: int) -> SpinDirection | None:
        """The spun and the fluent one of two segments, if the marks tell."""
        if a not in self._texts or b not in self._texts:
            return None
        return spun_side(a, self.marks(a), b, self.marks(b))

    def rates(self, segments: Iterable[int]) -> list[float]:
        return [self.marks(s).per_thousand for s in segments if s in self._texts]
