"""A labelled copy-map corpus made from real Reuters-21578 stories.

    python bench/copy_corpus.py ../shared/corpora/reuters21578 [--originals 400] [--seed 7]

Each chosen original story gets copies of every kind, at several strengths:

* exact: the same words reflowed, with curly quotes and other dashes;
* near_exact: two typos, one sentence changed, one sentence added, sign-off dropped;
* excerpt: a run of leading paragraphs (30-60%) or every other sentence;
* rewrite_10/20/30: that share of the words swapped for a WordNet synonym
  (Debian's wordnet-base, /usr/share/wordnet), sentences reordered, merged
  and dropped;
* aggregator pages: three unrelated originals concatenated;
* hard negatives: other stories of the same topic and day (real, unedited);
* spun families (``--spun``, from other stories): a faithful copy (an
  aggregator's reflowed text) and a machine-spun rewrite carrying the marks
  real spinners leave (broken punctuation, doubled words, a name split off
  its sentence, fixed expressions swapped word by word, a spoken verb
  stranded as a fragment) at three strengths (:data:`SPIN_STRENGTHS`), with
  the original in the case for half of them and absent for the other half;
* chains (from other stories): an original, a 20% rewrite of it, and a copy
  made from that rewrite (exact, excerpt or 10% rewrite), whose parent is
  the rewrite.

Of the rewrites of one original, only ``min(eligible words, share * words)``
words can be swapped, and about a quarter of a story's words are eligible:
a 30% rewrite swaps nearly all of them, a 20% one about 80%, and with a
word's synonyms from one WordNet sense (a single one for 44% of them) two
rewrites of one story share most of their swapped words.

Originals are dated (Reuters' date); copies hours to days later; some
families are left undated. Importable: :func:`make_corpus` returns the
segments and the truth.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from reuters_corpus import ReutersStory, parse_reuters

from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.align import prepare, shingle_coverage, split_sentences

WORDNET = Path("/usr/share/wordnet")
KINDS = ("exact", "near_exact", "excerpt", "rewrite_10", "rewrite_20", "rewrite_30")
# strength -> (share of words swapped for synonyms, marks of spinning per 1,000 words)
SPIN_STRENGTHS = {"spun_light": (0.10, 5.0), "spun_medium": (0.20, 10.0), "spun_heavy": (0.30, 20.0)}


@dataclass(slots=True)
class Truth:
    family_of: dict[int, int] = field(
        default_factory=dict
    )  # segment -> family (original's id); hard negatives are their own
    kind_of: dict[int, str] = field(
        default_factory=dict
    )  # copy segment -> kind ("original", KINDS, "aggregator", "hard_negative")
    origin_of: dict[int, int] = field(default_factory=dict)  # family -> origin segment
    aggregator_parts: dict[int, list[int]] = field(default_factory=dict)
    hard_negative_pairs: list[tuple[int, int]] = field(default_factory=list)  # (original, hard negative)
    spun_families: list[SpunFamily] = field(default_factory=list)
    parent_of: dict[int, int] = field(default_factory=dict)  # a chain's copy -> the rewrite it was made from


@dataclass(frozen=True, slots=True)
class SpunFamily:
    """A faithful copy and a spun rewrite of one story, with or without the
    story itself in the case (``original`` None when absent)."""

    family: int  # the story's NEWID, the family's label
    original: int | None
    faithful: int
    spun: int
    strength: str  # a key of SPIN_STRENGTHS


def reuters_topics(src_dir: str | Path) -> dict[int, tuple[str, ...]]:
    topics: dict[int, tuple[str, ...]] = {}
    for path in sorted(Path(src_dir).glob("reut2-*.sgm")):
        for match in re.finditer(
            r'NEWID="(\d+)">(.*?)</REUTERS>',
            path.read_text(encoding="latin-1"),
            re.DOTALL,
        ):
            found = re.search(r"<TOPICS>(.*?)</TOPICS>", match.group(2), re.DOTALL)
            topics[int(match.group(1))] = tuple(re.findall(r"<D>(.*?)</D>", found.group(1))) if found else ()
    return topics


# --- synonyms -------------------------------------------------------------------


def load_synonyms(folder: Path = WORDNET) -> dict[str, list[str]]:
    """word -> single-word synonyms from its most frequent sense, per WordNet."""
    synonyms: dict[str, list[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        words_at: dict[str, list[str]] = {}
        for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            count = int(fields[3], 16)
            words_at[fields[0]] = [re.sub(r"\(.*\)$", "", w).lower() for w in fields[4 : 4 + 2 * count : 2]]
        for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma, pointers = fields[0], int(fields[3])
            first_sense = fields[6 + pointers]
            options = [w for w in words_at.get(first_sense, []) if w != lemma and "_" not in w and w.isalpha()]
            if options and "_" not in lemma and lemma not in synonyms:
                synonyms[lemma] = options
    return synonyms


_STOP = set(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "is",
        "was",
        "were",
        "be",
        "been",
        "are",
        "that",
        "this",
        "it",
        "its",
        "as",
        "said",
        "says",
        "will",
        "would",
    ]
)


def spin(text: str, share: float, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    """Swap ``share`` of the words for synonyms, then reorder, merge and drop sentences."""
    tokens = re.split(r"(\w+)", text)
    eligible = [i for i, t in enumerate(tokens) if t.islower() and t.isalpha() and t not in _STOP and t in synonyms]
    words = sum(1 for t in tokens if re.fullmatch(r"\w+", t))
    for i in rng.sample(eligible, min(len(eligible), round(share * words))):
        tokens[i] = rng.choice(synonyms[tokens[i]])
    sentences = [text_span for text_span in _sentences("".join(tokens))]
    if len(sentences) >= 4:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]  # reorder
        j = rng.randrange(len(sentences) - 1)
        sentences[j : j + 2] = [
            sentences[j].rstrip(".") + ", and " + sentences[j + 1][:1].lower() + sentences[j + 1][1:]
        ]  # merge
    if len(sentences) >= 6:
        del sentences[rng.randrange(1, len(sentences))]  # drop
    return " ".join(sentences)


def _sentences(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", text[s.start : s.end]) for s in split_sentences(text)]


# --- copies ----------------------------------------------------------------------------


def exact_copy(text: str) -> str:
    reflowed = re.sub(r"[ \t]*\n[ \t]*(?=\S)", " ", text)
    return reflowed.replace('"', "\u201d").replace(" - ", " \u2013 ").replace("'s", "\u2019s")


def faithful_copy(text: str) -> str:
    """An aggregator's faithful copy: the same words and marks, reflowed."""
    return re.sub(r"[ \t]*\n[ \t]*(?=\S)", " ", text)


def near_exact(text: str, other: str, rng: random.Random) -> str:
    sentences = _sentences(text)
    for _ in range(2):  # typos
        i = rng.randrange(len(sentences))
        words = sentences[i].split()
        k = rng.randrange(len(words))
        if len(words[k]) > 4:
            w = words[k]
            words[k] = w[:2] + w[3] + w[2] + w[4:]
        sentences[i] = " ".join(words)
    i = rng.randrange(len(sentences))
    words = sentences[i].split()
    if len(words) > 6:
        words[rng.randrange(len(words))] = rng.choice(["also", "again", "earlier", "now"])
        sentences[i] = " ".join(words)
    added = _sentences(other)[:1]
    if sentences[-1].strip().lower() in ("reuter", "reuters"):
        sentences = sentences[:-1]
    return " ".join([*sentences, "Earlier, " + added[0][:1].lower() + added[0][1:] if added else "More follows."])


def excerpt(text: str, rng: random.Random) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=\s{2,})", text) if p.strip()]
    if len(paragraphs) >= 4 and rng.random() < 0.6:
        return "\n\n".join(paragraphs[: max(1, round(len(paragraphs) * rng.uniform(0.3, 0.6)))])
    sentences = _sentences(text)
    return " ".join(sentences[::2])


# --- marks of machine spinning -------------------------------------------------------

# Fixed news expressions and a spinner's word-by-word swap of each. Some of
# these swaps are in sourcetrace.reuse.spin's list and some are not, so the
# benchmark does not only find what the scorer was written to find.
TORTURED = {
    "in addition to": "in expansion to",
    "prime minister": "head administrator",
    "united states": "joined states",
    "stock market": "stock showcase",
    "interest rates": "intrigue rates",
    "press conference": "squeeze gathering",
    "central bank": "focal bank",
    "for the first time": "for the main time",
    "trade deficit": "exchange shortage",
    "a year ago": "a year back",
    "told reporters": "told columnists",
    "according to": "as indicated by",
    "at the same time": "at the same point in time",
}


def break_punctuation(text: str, rng: random.Random) -> str | None:
    """A full stop or comma with a space before it, or followed by another mark."""
    spots = [m.start() for m in re.finditer(r"(?<=\w)[.,] (?=[A-Za-z])", text)]
    if not spots:
        return None
    at = rng.choice(spots)
    mark = text[at]
    broken = rng.choice([f" {mark} ", ". , ", f" {mark}, "]) if mark == "." else rng.choice([" , ", ", . "])
    return text[:at] + broken + text[at + 2 :]


def double_word(text: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"\b[a-z]{2,}\b", text)]
    if not spots:
        return None
    word = rng.choice(spots)
    return text[: word.end()] + " " + word.group() + text[word.end() :]


def split_name(text: str, rng: random.Random) -> str | None:
    """"Agnes Callamard, secretary general…" -> "Agnes said. Callamard, secretary general…"."""
    spots = list(re.finditer(r"(?<=[ \n])([A-Z][a-z]+) ([A-Z][a-z]+),(?= [a-z])", text))
    if not spots:
        return None
    name = rng.choice(spots)
    return text[: name.start()] + f"{name.group(1)} said. {name.group(2)}," + text[name.end() :]


def swap_expression(text: str, rng: random.Random) -> str | None:
    found = [(m, TORTURED[m.group().lower()]) for m in re.finditer("|".join(TORTURED), text, re.IGNORECASE)]
    if not found:
        return None
    expression, swapped = rng.choice(found)
    return text[: expression.start()] + swapped + text[expression.end() :]


def strand_verb(text: str, rng: random.Random) -> str | None:
    """"The company said it would…" -> "The company said. It would…"."""
    spots = list(re.finditer(r"\b(said|added|told) (?:that )?([a-z])(?=\w* \w+ \w+)", text))
    if not spots:
        return None
    verb = rng.choice(spots)
    return text[: verb.start()] + f"{verb.group(1)}. {verb.group(2).upper()}" + text[verb.end() :]


MARKERS = (break_punctuation, double_word, split_name, swap_expression, strand_verb)


def add_spin_marks(text: str, per_thousand: float, rng: random.Random) -> str:
    """About ``per_thousand`` marks per 1,000 words (at least one), each of a
    kind chosen at random; a kind the text offers no place for falls back to
    broken punctuation or a doubled word."""
    marks = max(1, round(per_thousand * len(re.findall(r"\w+", text)) / 1000))
    for _ in range(marks):
        marker = rng.choice(MARKERS)
        text = marker(text, rng) or break_punctuation(text, rng) or double_word(text, rng) or text
    return text


# --- the corpus ------------------------------------------------------------------------


def eligible_stories(src_dir: str | Path) -> list[ReutersStory]:
    """Stories long enough to copy in every way: 8+ sentences, 150+ words."""
    stories = []
    for story in parse_reuters(src_dir):
        words = len(re.findall(r"\w+", story.body))
        if words >= 150 and len(split_sentences(story.body)) >= 8:
            stories.append(story)
    return _without_repeats(stories)


def _without_repeats(stories: list[ReutersStory]) -> list[ReutersStory]:
    """Drop every story that repeats or largely contains another (Reuters
    re-sends and corrects stories; those would be real copies, not negatives)."""
    from sourcetrace.reuse.candidates import LSHIndex

    index = LSHIndex(0.5, containment_threshold=0.5)
    index.add_texts((s.newid, s.body) for s in stories)
    repeated = {i for p in index.verified_pairs() for i in (p.a, p.b)}
    return [s for s in stories if s.newid not in repeated]


def make_corpus(
    src_dir: str | Path, originals: int = 400, seed: int = 7, spun: int | None = None, chains: int = 0
) -> tuple[list[SegmentForReuse], Truth]:
    """``spun`` spun families (default: half as many as ``originals``) and ``chains`` families of a
    copy made from a rewrite (default: none) are made from stories not otherwise used,
    each with their own random stream, so that the rest of the corpus is the same whatever their
    number."""
    rng = random.Random(seed)
    synonyms = load_synonyms()
    topics = reuters_topics(src_dir)
    stories = eligible_stories(src_dir)
    by_topic_day: dict[tuple[str, str], list[ReutersStory]] = defaultdict(list)
    for story in stories:
        for topic in topics.get(story.newid, ()):
            by_topic_day[(topic, story.date[:10])].append(story)
    with_negatives = [
        s for s in stories if any(len(by_topic_day[(t, s.date[:10])]) > 1 for t in topics.get(s.newid, ()))
    ]
    chosen = rng.sample(with_negatives, min(originals, len(with_negatives)))
    segments: list[SegmentForReuse] = []
    truth = Truth()
    next_id = 1_000_000  # copies; originals and negatives keep their NEWID
    used = {s.newid for s in chosen}
    for story in chosen:
        undated = rng.random() < 0.15
        when = datetime.fromisoformat(story.date)
        segments.append(
            SegmentForReuse(
                story.newid,
                story.body,
                story.newid,
                None if undated else story.date,
                title=story.title,
            )
        )
        truth.family_of[story.newid] = story.newid
        truth.kind_of[story.newid] = "original"
        truth.origin_of[story.newid] = story.newid
        other = rng.choice(stories).body
        variants = {
            "exact": exact_copy(story.body),
            "near_exact": near_exact(story.body, other, rng),
            "excerpt": excerpt(story.body, rng),
            "rewrite_10": spin(story.body, 0.10, synonyms, rng),
            "rewrite_20": spin(story.body, 0.20, synonyms, rng),
            "rewrite_30": spin(story.body, 0.30, synonyms, rng),
        }
        for kind, text in variants.items():
            later = when + timedelta(hours=rng.randint(2, 72))
            dated = not undated and rng.random() < 0.85
            segments.append(SegmentForReuse(next_id, text, next_id, later.isoformat() if dated else None))
            truth.family_of[next_id] = story.newid
            truth.kind_of[next_id] = kind
            next_id += 1
        for negative in _negatives(story, topics, by_topic_day, used, rng):
            used.add(negative.newid)
            segments.append(
                SegmentForReuse(
                    negative.newid,
                    negative.body,
                    negative.newid,
                    negative.date,
                    title=negative.title,
                )
            )
            truth.family_of[negative.newid] = negative.newid
            truth.kind_of[negative.newid] = "hard_negative"
            truth.origin_of[negative.newid] = negative.newid
            truth.hard_negative_pairs.append((story.newid, negative.newid))
    for _ in range(max(1, len(chosen) // 4)):
        parts = rng.sample(chosen, 3)
        if len({t for p in parts for t in topics.get(p.newid, ())}) < sum(len(topics.get(p.newid, ())) for p in parts):
            continue  # the roundup should carry unrelated stories
        text = "\n\n".join(p.body for p in parts)
        segments.append(SegmentForReuse(next_id, text, next_id, max(p.date for p in parts)[:10] + "T23:00:00"))
        truth.kind_of[next_id] = "aggregator"
        truth.aggregator_parts[next_id] = [p.newid for p in parts]
        next_id += 1
    unused = [s for s in stories if s.newid not in used]
    count = originals // 2 if spun is None else spun
    extra = _Extra(segments, truth, synonyms, next_id)
    spun_stories = _add_spun_families(unused, count, random.Random(seed + 1), extra)
    _add_chains([s for s in unused if s.newid not in spun_stories], chains, random.Random(seed + 2), extra)
    return segments, truth


@dataclass(slots=True)
class _Extra:
    """Where the families made from otherwise unused stories (spun, chains) are written, with what."""

    segments: list[SegmentForReuse]
    truth: Truth
    synonyms: dict[str, list[str]]
    next_id: int  # the next copy's id


# The copy made from a rewrite: its kind, and how it is made from the rewrite.
CHAIN_KINDS = ("chain_exact", "chain_excerpt", "chain_rewrite_10")


def _made_from(rewrite: str, kind: str, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    if kind == "chain_exact":
        return exact_copy(rewrite)
    if kind == "chain_excerpt":
        return excerpt(rewrite, rng)
    return spin(rewrite, 0.10, synonyms, rng)


def _add_chains(stories: list[ReutersStory], count: int, rng: random.Random, extra: _Extra) -> None:
    """Families of an original, a 20% rewrite of it and a copy made from that rewrite (an exact
    copy, an excerpt or a 10% rewrite of it, in turn): the copy's parent is the rewrite, not the
    original. Dated in that order, each a few hours after the one before."""
    segments, truth, synonyms = extra.segments, extra.truth, extra.synonyms
    for index, story in enumerate(rng.sample(stories, min(count, len(stories)))):
        kind = CHAIN_KINDS[index % len(CHAIN_KINDS)]
        next_id = extra.next_id
        when = datetime.fromisoformat(story.date)
        rewrite = spin(story.body, 0.20, synonyms, rng)
        made = _made_from(rewrite, kind, synonyms, rng)
        segments.append(SegmentForReuse(story.newid, story.body, story.newid, story.date, title=story.title))
        truth.kind_of[story.newid] = "chain_original"
        truth.family_of[story.newid] = truth.origin_of[story.newid] = story.newid
        rewrite_at = when + timedelta(hours=rng.randint(1, 24))
        copy_at = rewrite_at + timedelta(hours=rng.randint(1, 24))
        for segment_id, text, at, role in ((next_id, rewrite, rewrite_at, "chain_rewrite"), (next_id + 1, made, copy_at, kind)):
            segments.append(SegmentForReuse(segment_id, text, segment_id, at.isoformat()))
            truth.kind_of[segment_id] = role
            truth.family_of[segment_id] = story.newid
        truth.parent_of[next_id + 1] = next_id
        extra.next_id += 2


def _add_spun_families(stories: list[ReutersStory], count: int, rng: random.Random, extra: _Extra) -> set[int]:
    """Families of a faithful copy and a spun rewrite; the original is in
    the case for every other family. Dates never contradict the truth (the
    faithful copy comes before the spun one), but half of them are missing,
    and a third of the families credit the wire in both copies."""
    segments, truth, synonyms = extra.segments, extra.truth, extra.synonyms
    strengths = list(SPIN_STRENGTHS)
    chosen = rng.sample(stories, min(count, len(stories)))
    for index, story in enumerate(chosen):
        next_id = extra.next_id
        strength = strengths[index % len(strengths)]
        present = (index // len(strengths)) % 2 == 0
        share, per_thousand = SPIN_STRENGTHS[strength]
        when = datetime.fromisoformat(story.date)
        faithful_at = when + timedelta(hours=rng.randint(1, 12))
        spun_at = faithful_at + timedelta(hours=rng.randint(1, 48))
        credit = "Reuters" if rng.random() < 1 / 3 else None
        if present:
            segments.append(SegmentForReuse(story.newid, story.body, story.newid, story.date, title=story.title))
            truth.kind_of[story.newid] = "spun_original"
            truth.family_of[story.newid] = story.newid
            truth.origin_of[story.newid] = story.newid
        spun_text = add_spin_marks(spin(story.body, share, synonyms, rng), per_thousand, rng)
        # Either may come first in the case, so that no tie-break on ids favours the faithful copy.
        faithful_id, spun_id = (next_id, next_id + 1) if rng.random() < 0.5 else (next_id + 1, next_id)
        for segment_id, text, at, kind in (
            (faithful_id, faithful_copy(story.body), faithful_at, "faithful"),
            (spun_id, spun_text, spun_at, strength),
        ):
            published = at.isoformat() if rng.random() < 0.5 else None
            segments.append(SegmentForReuse(segment_id, text, segment_id, published, credit))
            truth.kind_of[segment_id] = kind
            truth.family_of[segment_id] = story.newid
        truth.spun_families.append(
            SpunFamily(story.newid, story.newid if present else None, faithful_id, spun_id, strength)
        )
        extra.next_id += 2
    return {story.newid for story in chosen}


def _negatives(
    story: ReutersStory,
    topics: dict[int, tuple[str, ...]],
    by_topic_day: dict[tuple[str, str], list[ReutersStory]],
    used: set[int],
    rng: random.Random,
) -> list[ReutersStory]:
    """Up to two other stories of the story's topic and day that are not
    themselves copies of it (Reuters repeats and corrects stories)."""
    pool = {s.newid: s for t in topics.get(story.newid, ()) for s in by_topic_day[(t, story.date[:10])]}
    pool.pop(story.newid, None)
    mine = prepare(story.body)
    found = []
    for newid in rng.sample(sorted(pool), len(pool)):
        if newid in used:
            continue
        cover = shingle_coverage(mine, prepare(pool[newid].body))
        if max(cover) < 0.2:
            found.append(pool[newid])
        if len(found) == 2:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src_dir")
    parser.add_argument("--originals", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spun", type=int, default=None, help="spun families (default: originals / 2)")
    args = parser.parse_args()
    segments, truth = make_corpus(args.src_dir, args.originals, args.seed, args.spun)
    counts: dict[str, int] = defaultdict(int)
    for kind in truth.kind_of.values():
        counts[kind] += 1
    print(f"{len(segments)} segments:", dict(counts))


if __name__ == "__main__":
    main()
