"""A labelled story corpus made from Reuters-21578 at run time, with hard negatives.

    python bench/story_corpus.py ../shared/corpora/reuters21578 [--originals 300] [--seed 7]

On top of bench/copy_corpus.py (each original with its exact, near-exact,
excerpt and spun copies, and up to two real stories of the same topic and
day as hard negatives), a true story gains:

* independent reports of its event: half of the original's sentences that
  carry a name or a figure, reworded (35% of the words swapped for WordNet
  synonyms) and reordered, framed by background sentences taken from another
  story of the same topic; published up to two days later. They share the
  event's who, where and figures but few of its sentences, so the copy map
  does not call them copies: the story step must join them.

and further hard negatives: real stories of the same topic and the same
place (the <PLACES> field) published 2 to 10 days apart, the same kind of
event at another time.

A real story of the same topic and day (or place and week) is not always
another event: Reuters often files a follow-up of the same dispute ("TWA
sues USAir", then "USAir seeks order against TWA"). A negative that names
two or more of its original's rare proper names (capitalised words inside
sentences that fewer than 30 stories of the collection use) is marked
``ambiguous``: benchmarks report scores with and without those segments.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from copy_corpus import _sentences, eligible_stories, load_synonyms, make_corpus, spin
from reuters_corpus import ReutersStory

from sourcetrace.records import SegmentForReuse

_FACT = re.compile(r"\d|(?<!^)(?<![.!?] )\b[A-Z][a-z]+")
INDEPENDENT_ID_BASE = 2_000_000  # ids of the independent reports (copies use 1,000,000 up)


@dataclass(frozen=True, slots=True)
class StoryCorpus:
    segments: list[SegmentForReuse]
    story_of: dict[int, int]  # segment -> its true story (the original's id)
    kind_of: dict[int, str]  # segment -> original, a copy kind, independent, hard_negative, other_time
    hard_negative_pairs: list[tuple[int, int]]  # (original, a story that must stay apart from it)
    ambiguous: frozenset[int]  # negatives sharing two or more rare names with their original


def reuters_tags(src_dir: str | Path, tag: str) -> dict[int, tuple[str, ...]]:
    """NEWID -> the values of one tag field (TOPICS, PLACES, ORGS...)."""
    found: dict[int, tuple[str, ...]] = {}
    for path in sorted(Path(src_dir).glob("reut2-*.sgm")):
        for match in re.finditer(r'NEWID="(\d+)">(.*?)</REUTERS>', path.read_text(encoding="latin-1"), re.DOTALL):
            field = re.search(rf"<{tag}>(.*?)</{tag}>", match.group(2), re.DOTALL)
            found[int(match.group(1))] = tuple(re.findall(r"<D>(.*?)</D>", field.group(1))) if field else ()
    return found


def independent_report(story: ReutersStory, background: ReutersStory, synonyms: dict[str, list[str]],
                       rng: random.Random) -> str:
    """Another outlet's report of the story's event: its facts reworded, other framing."""
    facts = [s for s in _sentences(story.body)[:-1] if _FACT.search(s)]
    kept = rng.sample(facts, max(2, len(facts) // 2)) if len(facts) > 2 else facts
    reworded = spin(" ".join(kept), 0.35, synonyms, rng)
    framing = _sentences(background.body)[1:3]
    return " ".join([reworded, *framing])


def make_story_corpus(src_dir: str | Path, originals: int = 300, seed: int = 7) -> StoryCorpus:
    segments, truth = make_corpus(src_dir, originals, seed)
    segments = [s for s in segments if s.id in truth.family_of]  # aggregator pages belong to no one story
    story_of = dict(truth.family_of)
    kind_of = {s.id: truth.kind_of[s.id] for s in segments}
    pairs = list(truth.hard_negative_pairs)
    rng = random.Random(seed * 1009)
    stories = {s.newid: s for s in eligible_stories(src_dir)}
    topics, places = reuters_tags(src_dir, "TOPICS"), reuters_tags(src_dir, "PLACES")
    by_topic: dict[str, list[ReutersStory]] = defaultdict(list)
    for story in stories.values():
        for topic in topics.get(story.newid, ()):
            by_topic[topic].append(story)
    synonyms = load_synonyms()
    used = {s.id for s in segments}
    next_id = INDEPENDENT_ID_BASE
    for original in [stories[i] for i, kind in truth.kind_of.items() if kind == "original" and i in stories]:
        same_topic = [s for t in topics.get(original.newid, ()) for s in by_topic[t] if s.newid != original.newid]
        if not same_topic:
            continue
        for _ in range(rng.choice((0, 1, 1, 2))):
            text = independent_report(original, rng.choice(same_topic), synonyms, rng)
            when = datetime.fromisoformat(original.date) + timedelta(hours=rng.randint(1, 48))
            segments.append(SegmentForReuse(next_id, text, next_id, when.isoformat()))
            story_of[next_id], kind_of[next_id] = original.newid, "independent"
            next_id += 1
        other = _other_time(original, same_topic, places, used, rng)
        if other is not None:
            used.add(other.newid)
            segments.append(SegmentForReuse(other.newid, other.body, other.newid, other.date, title=other.title))
            story_of[other.newid], kind_of[other.newid] = other.newid, "other_time"
            pairs.append((original.newid, other.newid))
    names = _rare_names(stories.values())
    ambiguous = frozenset(b for a, b in pairs if len(names.get(a, set()) & names.get(b, set())) >= 2)
    return StoryCorpus(segments, story_of, kind_of, pairs, ambiguous)


_INNER_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}")  # after a lower-case word: not a sentence's first
RARE_NAME_STORIES = 30


def _rare_names(stories: Iterable[ReutersStory]) -> dict[int, set[str]]:
    """Each story's capitalised words inside sentences that fewer than 30 stories use."""
    found = {s.newid: set(_INNER_CAPITAL.findall(s.body)) for s in stories}
    df = Counter(name for names in found.values() for name in names)
    return {newid: {n for n in names if df[n] < RARE_NAME_STORIES} for newid, names in found.items()}


def _other_time(original: ReutersStory, same_topic: list[ReutersStory], places: dict[int, tuple[str, ...]],
                used: set[int], rng: random.Random) -> ReutersStory | None:
    """A story of the same topic and place, 2 to 10 days away: the same kind of event at another time."""
    day = date.fromisoformat(original.date[:10])
    where = set(places.get(original.newid, ()))
    pool = sorted({s.newid: s for s in same_topic if s.newid not in used and where & set(places.get(s.newid, ()))
                   and 2 <= abs((date.fromisoformat(s.date[:10]) - day).days) <= 10}.items())
    return rng.choice(pool)[1] if pool else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src_dir")
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = make_story_corpus(args.src_dir, args.originals, args.seed)
    counts: dict[str, int] = defaultdict(int)
    for kind in corpus.kind_of.values():
        counts[kind] += 1
    print(f"{len(corpus.segments)} segments, {len(set(corpus.story_of.values()))} true stories:", dict(counts),
          f"ambiguous negatives: {len(corpus.ambiguous)} of {len(corpus.hard_negative_pairs)}")


if __name__ == "__main__":
    main()
