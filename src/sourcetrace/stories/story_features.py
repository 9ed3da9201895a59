"""What a segment says about who, where and what: the per-segment features stories cluster on.

Full named-entity recognition over every segment would cost as much as the
statements step again, so the features are cheap surface signals that pick
out events well enough: capitalised name sequences (people, places,
organisations), numbers (amounts, counts, scores) and content words. They
depend only on the segment's own text, so they are computed once per
segment and stored; their weights (how rare each term is in the case) are
case-wide and recomputed by the clustering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sourcetrace.engines.contract import MapStep

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’\-]*\w)?|\d(?:[\d.,]*\d)?")
_SENTENCE_END = re.compile(r"[.!?:;\"”]\s*$|\n\s*$")
_CONNECTORS = frozenset({"of", "de", "la", "van", "von", "der", "al", "bin", "du", "da"})
# Function words and wire vocabulary that name no event.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my no nor not now of off on
once only or other our ours out over own same she should so some such than that the their theirs them then there
these they this those through to too under until up very was we were what when where which while who whom why
will with would you your said says say told tell according added new one two three year years last week month
percent pct mln billion bln dlrs dlr cts per reuter reuters inc corp co ltd mr mrs ms today yesterday monday
tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december jan feb mar apr jun jul aug sep sept oct nov dec us may might must shall
""".split())


@dataclass(frozen=True, slots=True)
class SegmentText:
    """One kept segment as the feature step reads it."""

    segment: int
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """A segment's event signals; stored per segment (``story_features``)."""

    segment: int
    names: tuple[str, ...]  # lower-cased words of capitalised name sequences, sorted, distinct
    numbers: tuple[str, ...]  # numbers as written without separators ("1,150" -> "1150"), sorted, distinct
    words: tuple[str, ...]  # other content words, lower-cased, sorted, distinct


def story_features(segment: int, title: str | None, text: str) -> StoryFeatures:
    """The features of one segment; the title counts as part of its text."""
    names: set[str] = set()
    numbers: set[str] = set()
    words: set[str] = set()
    if title and title.isupper():  # a shouted headline: its words are not all names
        title = title.lower()
    body = f"{title}.\n{text}" if title else text
    lowered = body.lower()
    run: list[str] = []
    for match in _TOKEN.finditer(body):
        token = match.group()
        if token[0].isdigit():
            _close_name(run, names)
            if len(token) > 1:
                numbers.add(token.replace(",", ""))
            continue
        lower = token.lower()
        if _is_name_word(token, lower, body, match.start(), lowered):
            run.append(lower)
            continue
        if run and lower in _CONNECTORS and token.islower():
            run.append(lower)
            continue
        _close_name(run, names)
        if len(lower) > 2 and lower not in STOP_WORDS:
            words.add(lower)
    _close_name(run, names)
    return StoryFeatures(segment, tuple(sorted(names)), tuple(sorted(numbers)), tuple(sorted(words - names)))


def _is_name_word(token: str, lower: str, body: str, start: int, lowered: str) -> bool:
    """A capitalised word (or an acronym, or a dateline's place) that is a name rather
    than a sentence's first word: there it must not also occur in lower case."""
    if not token[0].isupper() or lower in STOP_WORDS or len(lower) < 2:
        return False
    if start == 0 or _SENTENCE_END.search(body, max(0, start - 3), start):
        return f" {lower} " not in lowered
    return True


def _close_name(run: list[str], names: set[str]) -> None:
    while run and run[-1] in _CONNECTORS:
        run.pop()
    names.update(word for word in run if word not in _CONNECTORS)
    run.clear()


class StoryFeatureStep(MapStep[SegmentText, StoryFeatures]):
    """Computes :class:`StoryFeatures` on the engine's workers."""

    name = "story-features"

    def process(self, record: SegmentText) -> StoryFeatures:
        features = story_features(record.segment, record.title, record.text)
        self.stats["segments"] += 1
        self.stats["names"] += len(features.names)
        return features
