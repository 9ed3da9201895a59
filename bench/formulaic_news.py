"""Formulaic independent news is not a rewrite (issue 12, point 4).

    python bench/formulaic_news.py ../shared/corpora/reuters21578 [--originals 400] [--formula 600] [--workers 2]

Earnings reports, dividend notices and results tables of one day share a
formula ("Qtly div 25 cts vs 25 cts prior", "Shr 26 cts vs 18 cts") while
reporting different companies' figures. This adds such stories, real and
unedited, to the copy benchmark's corpus (bench/copy_corpus.py) as hard
negatives: each is its own family, so any link between two of them, or
between one and a corpus story, is a false pair.

Selection: Reuters ``earn`` stories of 15 to 149 words (shorter than any
story the corpus copies, so none is also a corpus original), Reuters' own
re-sends and corrections dropped (copy_corpus's ``_without_repeats``), from
the days with the most of them, one story per *subject*. A subject is the
title's ticker and distinctive words (those outside the 150 commonest words
of earn titles: "QTR", "NET", "DIVIDEND"...); two stories are of one subject
when they share a ticker or one's words are all in the other's title. So
"FRANKLIN MICHIGAN INSURED" and "FRANKLIN MINNESOTA" are two subjects, and
two reports of one company's results are one (kept once). Recall is the
corpus's, per kind of copy, as in bench/copy_accuracy.py; precision is over every predicted pair; the family
adjusted Rand index is over every segment, formulaic ones included.

Prints a Markdown table and writes bench/out/formulaic_news.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from copy_accuracy import _pair, family_ari, pair_scores
from copy_corpus import _without_repeats, make_corpus, reuters_topics
from reuters_corpus import ReutersStory, parse_reuters

from sourcetrace.engines import LocalEngine
from sourcetrace.records import SegmentForReuse
from sourcetrace.reuse.copymap import build_copy_map

OUT = Path(__file__).parent / "out" / "formulaic_news.json"
MIN_WORDS, MAX_WORDS = 15, 149  # copy_corpus copies stories of 150 words or more
COMMON_TITLE_WORDS = 150
_TITLE_WORD = re.compile(r"[A-Z][A-Z'&.-]*[A-Z]|[A-Z]")
_TICKER = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom a story is about: its ticker ("<TBCX.O>" -> "TBCX") and its title's distinctive words."""

    ticker: str
    words: frozenset[str]

    def same(self, other: Subject) -> bool:
        """One company, however titled: the same ticker, or one title's words within the other's."""
        if self.ticker and self.ticker == other.ticker:
            return True
        return self.words <= other.words or other.words <= self.words


@dataclass(frozen=True, slots=True)
class FormulaStory:
    story: ReutersStory
    subject: Subject


def subject_of(title: str, common: set[str]) -> Subject:
    ticker = _TICKER.search(title)
    words = frozenset(_TITLE_WORD.findall(_TICKER.sub(" ", title).upper())) - common
    return Subject(ticker.group(1).split(".")[0].upper() if ticker else "", words)


def formula_stories(src_dir: str, count: int) -> list[FormulaStory]:
    """Up to ``count`` earn stories of the busiest days, one per subject."""
    topics = reuters_topics(src_dir)
    earn = [s for s in parse_reuters(src_dir)
            if "earn" in topics.get(s.newid, ()) and MIN_WORDS <= len(s.body.split()) <= MAX_WORDS]
    earn = _without_repeats(earn)
    common = {w for w, _ in Counter(w for s in earn for w in set(_TITLE_WORD.findall(_TICKER.sub(" ", s.title.upper()))))
              .most_common(COMMON_TITLE_WORDS)}
    by_day: dict[str, list[ReutersStory]] = defaultdict(list)
    for story in earn:
        by_day[story.date[:10]].append(story)
    chosen: list[FormulaStory] = []
    for day in sorted(by_day, key=lambda d: (-len(by_day[d]), d)):
        for story in by_day[day]:
            subject = subject_of(story.title, common)
            if subject.words and not any(subject.same(c.subject) for c in chosen):
                chosen.append(FormulaStory(story, subject))
            if len(chosen) >= count:
                return chosen
    return chosen


def measure(src_dir: str, originals: int, formula: int, workers: int) -> dict[str, object]:
    segments, truth = make_corpus(src_dir, originals=originals)
    first_id = max(s.id for s in segments) + 1
    stories = formula_stories(src_dir, formula)
    added = [SegmentForReuse(id=first_id + k, text=f.story.body, document_id=first_id + k, published=f.story.date)
             for k, f in enumerate(stories)]
    for segment in added:
        truth.family_of[segment.id] = segment.id  # its own family: any link is a false pair
        truth.kind_of[segment.id] = "formula"
    started = time.perf_counter()
    copy_map = build_copy_map(segments + added, LocalEngine(workers))
    seconds = time.perf_counter() - started
    predicted = {_pair(r.segment, r.parent): r.kind for r in copy_map.relations}
    family_of = {m.segment: f.key for f in copy_map.families for m in f.members}
    formula_ids = {s.id for s in added}
    false_formula = {p: k for p, k in predicted.items() if p[0] in formula_ids or p[1] in formula_ids}
    return {
        "segments": len(segments) + len(added),
        "formula_stories": len(added),
        "formula_days": len({f.story.date[:10] for f in stories}),
        "seconds": round(seconds, 1),
        "pairs": pair_scores(predicted, truth),
        "family_ari": round(family_ari(family_of, truth), 4),
        "formula_pairs_linked": len(false_formula),
        "formula_pairs_by_kind": dict(Counter(false_formula.values())),
    }


def markdown(result: dict[str, object]) -> str:
    pairs = result["pairs"]
    assert isinstance(pairs, dict)
    lines = ["| kind | precision | recall | pairs |", "|---|---:|---:|---:|"]
    for kind, row in pairs.items():
        if "recall" in row:
            lines.append(f"| {kind} | {row['precision']:.3f} | {row['recall']:.3f} | {row['pairs']} |")
    everything = pairs["all"]
    lines.append(f"| **all pairs** | **{everything['precision']:.3f}** | | {everything['predicted_pairs']} predicted |")
    lines.append("")
    lines.append(f"{result['formula_stories']} formulaic stories of {result['formula_days']} days: "
                 f"{result['formula_pairs_linked']} false pairs touch them {result['formula_pairs_by_kind']}; "
                 f"family ARI {result['family_ari']}; "
                 f"{result['segments']} segments in {result['seconds']} s.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reuters", help="the Reuters-21578 folder (reut2-*.sgm)")
    parser.add_argument("--originals", type=int, default=400, help="stories copied in every way (default 400)")
    parser.add_argument("--formula", type=int, default=600, help="formulaic hard negatives (default 600)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = measure(args.reuters, args.originals, args.formula, args.workers)
    print(markdown(result))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"command": " ".join(sys.argv), "result": result}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
