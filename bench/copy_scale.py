"""How the copy map scales: wall time and peak memory of the whole reuse stage,
and of a trace query, on N generated segments.

    python bench/copy_scale.py ../shared/corpora/reuters21578 --sizes 20000 100000 [--workers 2]

For each N the corpus is generated here, pickled to bench/out/, and measured
in a fresh Python process, so every size starts cold and its peak RSS is its
own: ``build_copy_map(segments, workers=W)`` (all of it: exact groups, both
candidate indexes, pair classification on W worker processes, families), then
``ReuseIndex.build(segments)`` and one ``find_reuse(press_release)``, which is
what ``sourcetrace trace CASE FILE`` does after reading the case's segments.
Memory is ``ru_maxrss`` of the measuring process (RUSAGE_SELF), and the peak
of its RSS plus its workers' sampled from /proc every 0.2 s (RUSAGE_CHILDREN
is kept in the JSON but is no use here: a worker started by fork+exec reports
at least the RSS its parent had at the fork). The saved index's load time
(``ReuseIndex.save`` then ``ReuseIndex.load``) shows what trace would cost if
it loaded the index instead of building it. Prints a
Markdown table with the growth exponent (least-squares slope of log time and
log memory against log N) and writes bench/out/copy_scale.json.
``--profile`` also writes a cProfile of the measuring process (the workers'
time shows there as waiting for results).

The mix, as fractions of N (a case collected around a few stories, where
about half the pages repeat someone else's text):

* families: an original and 1-40 copies (Pareto-distributed, mean about 4):
  copies are 30 % exact, 30 % near_exact, 20 % excerpt, 20 % rewrite (10, 20
  or 30 % of the words swapped for WordNet synonyms, sentences reordered,
  merged and dropped), made by bench/copy_corpus.py's generators; 40 % of
  copies credit Reuters, and the original is on the wire's own site;
* aggregator pages (1 %): three originals of different families in one text;
* independent stories (the rest, about 40 %): Reuters stories that nobody
  copies.

Reuters-21578 has about 19,000 stories; beyond that, originals and
independent stories are *clones*: a Reuters story whose every content word is
replaced by a random word from the vocabulary of the story's topic (numbers
by random digits). A clone keeps the story's length, sentences and the
topic's rare words (so the rare-word index finds as many same-topic
candidates as among real stories), but shares no 5-gram with any other text.
It is not readable English, which only matters for the rewrite test's
sentence vectors, made for candidate pairs alone.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from copy_corpus import (
    _STOP,
    eligible_stories,
    exact_copy,
    excerpt,
    load_synonyms,
    near_exact,
    reuters_topics,
    spin,
)
from reuters_corpus import ReutersStory, parse_reuters

from sourcetrace.records import SegmentForReuse

OUT = Path(__file__).parent / "out"
COPY_KINDS = ("exact", "near_exact", "excerpt", "rewrite")
COPY_WEIGHTS = (0.3, 0.3, 0.2, 0.2)
INDEPENDENT_SHARE = 0.4
AGGREGATOR_SHARE = 0.01
WIRE_SITE = "https://www.reuters.example/article/"
UNDATED_STORY = "1987-03-15T12:00:00"  # for the few Reuters records without a date
_WORD = re.compile(r"[A-Za-z]{3,}")


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A text to use as an original or an independent story."""

    text: str
    date: str
    title: str
    topic: str


class SourcePool:
    """Reuters stories first, then clones of them, never the same text twice."""

    def __init__(self, stories: Sequence[ReutersStory], topics: dict[int, tuple[str, ...]], rng: random.Random) -> None:
        self.rng = rng
        self.stories = list(stories)
        rng.shuffle(self.stories)
        self.topic_of = {s.newid: (topics.get(s.newid) or ("none",))[0] for s in self.stories}
        self.vocabulary = _topic_vocabularies(self.stories, self.topic_of)
        self.next_story = 0
        self.clones = 0

    def take(self) -> Source:
        story = self.stories[self.next_story % len(self.stories)]
        topic = self.topic_of[story.newid]
        date = story.date or UNDATED_STORY
        first_pass = self.next_story < len(self.stories)
        self.next_story += 1
        if first_pass:
            return Source(story.body, date, story.title, topic)
        self.clones += 1
        shifted = datetime.fromisoformat(date) + timedelta(days=self.rng.randint(-300, 300))
        return Source(clone(story.body, self.vocabulary[topic], self.rng), shifted.isoformat(), "", topic)


def _topic_vocabularies(stories: Sequence[ReutersStory], topic_of: dict[int, str]) -> dict[str, list[str]]:
    words: dict[str, set[str]] = defaultdict(set)
    for story in stories:
        words[topic_of[story.newid]].update(w.lower() for w in _WORD.findall(story.body) if w.lower() not in _STOP)
    every = sorted(set().union(*words.values()))
    return {topic: sorted(found) if len(found) >= 500 else every for topic, found in words.items()}


def clone(text: str, vocabulary: Sequence[str], rng: random.Random) -> str:
    """The text with every content word and digit replaced at random."""

    def word(match: re.Match[str]) -> str:
        original = match.group(0)
        if original.lower() in _STOP:
            return original
        new = rng.choice(vocabulary)
        return new.upper() if original.isupper() else new.capitalize() if original[0].isupper() else new

    return re.sub(r"\d", lambda _: str(rng.randrange(10)), _WORD.sub(word, text))


@dataclass(slots=True)
class Corpus:
    segments: list[SegmentForReuse]
    press_release: str  # the largest family's original, as a press release would word it
    counts: dict[str, int]


def generate(src_dir: str | Path, size: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    synonyms = load_synonyms()
    topics = reuters_topics(src_dir)
    eligible = eligible_stories(src_dir)
    eligible_ids = {s.newid for s in eligible}
    originals = SourcePool(eligible, topics, rng)
    independents = SourcePool([s for s in parse_reuters(src_dir) if s.newid not in eligible_ids], topics, rng)
    drafts: list[tuple[str, Source | None, dict[str, str | None]]] = []  # kind, source, fields
    counts: Counter[str] = Counter()
    family_originals: list[tuple[Source, int]] = []
    copy_budget = round(size * (1 - INDEPENDENT_SHARE - AGGREGATOR_SHARE))
    while counts["family_member"] < copy_budget:
        source = originals.take()
        copies = min(40, int(rng.paretovariate(1.3)))
        family_originals.append((source, copies))
        drafts.append(("original", source, {"url": WIRE_SITE + str(len(drafts)), "credit": None}))
        for _ in range(copies):
            kind = rng.choices(COPY_KINDS, COPY_WEIGHTS)[0]
            text = _copy(kind, source.text, originals.stories[rng.randrange(len(originals.stories))].body, synonyms, rng)
            undated = rng.random() < 0.15
            later = datetime.fromisoformat(source.date) + timedelta(hours=rng.randint(2, 72))
            credit = "Reuters" if rng.random() < 0.4 else None
            drafts.append((kind, Source(text, later.isoformat(), "", source.topic), {"undated": "1" if undated else None, "credit": credit}))
            counts[kind] += 1
        counts["original"] += 1
        counts["family_member"] += 1 + copies
    for _ in range(round(size * AGGREGATOR_SHARE)):
        parts = rng.sample(family_originals, 3)
        text = "\n\n".join(p.text for p, _ in parts)
        drafts.append(("aggregator", Source(text, max(p.date for p, _ in parts)[:10] + "T23:00:00", "", ""), {}))
        counts["aggregator"] += 1
    while len(drafts) < size:
        drafts.append(("independent", independents.take(), {}))
        counts["independent"] += 1
    counts["clones"] = originals.clones + independents.clones
    del counts["family_member"]
    segments = _numbered(drafts[:size], rng)
    largest = max(family_originals, key=lambda f: f[1])[0]
    press = "FOR IMMEDIATE RELEASE\n\n" + largest.text + "\n\nMedia contact: press office, +1 555 0100"
    return Corpus(segments, press, dict(counts))


def _copy(kind: str, text: str, other: str, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    if kind == "exact":
        return exact_copy(text)
    if kind == "near_exact":
        return near_exact(text, other, rng)
    if kind == "excerpt":
        return excerpt(text, rng)
    return spin(text, rng.choice((0.1, 0.2, 0.3)), synonyms, rng)


def _numbered(drafts: list[tuple[str, Source | None, dict[str, str | None]]], rng: random.Random) -> list[SegmentForReuse]:
    """Segments with ids in a shuffled order, as pages arrive in a real case."""
    ids = list(range(1, len(drafts) + 1))
    rng.shuffle(ids)
    segments = []
    for segment_id, (_, source, fields) in zip(ids, drafts):
        assert source is not None
        published = None if fields.get("undated") else source.date
        segments.append(
            SegmentForReuse(segment_id, source.text, segment_id, published, fields.get("credit"), source.title or None, fields.get("url"))
        )
    return sorted(segments, key=lambda s: s.id)


# --- one measurement, in a fresh process -------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    segments: int
    workers: int
    copy_map_seconds: float
    copy_map_rss_mb: float  # ru_maxrss of the measuring process after build_copy_map
    worker_rss_mb: float  # ru_maxrss of the largest worker (see the module's doc)
    copy_map_total_rss_mb: float  # peak of the process's RSS plus its workers', sampled
    relations: int
    families_with_copies: int
    index_build_seconds: float
    query_seconds: float
    query_found: int
    index_load_seconds: float  # ReuseIndex.load of the saved index, as trace could do
    final_rss_mb: float  # after the trace index too


class TreeMemory(threading.Thread):
    """Peak RSS of this process plus all its child processes, sampled every
    0.2 s. ru_maxrss cannot give it: a worker started by fork+exec reports
    at least the RSS its parent had at the fork."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.2):
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return round(self.peak_kib / 1024, 1)


def _tree_rss_kib(pid: int) -> int:
    total = _rss_kib(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            total += _rss_kib(int(stat.parent.name))
    return total


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def measure(corpus_file: Path, workers: int, profile: Path | None) -> Measurement:
    from sourcetrace.reuse.copymap import ReuseIndex, build_copy_map

    with corpus_file.open("rb") as f:
        corpus: Corpus = pickle.load(f)
    segments = corpus.segments
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    sampler = TreeMemory()
    sampler.start()
    started = time.perf_counter()
    copy_map = build_copy_map(segments, workers=workers)
    copy_seconds = time.perf_counter() - started
    total_rss = sampler.stop()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    copy_rss = _max_rss_mb(resource.RUSAGE_SELF)
    started = time.perf_counter()
    index = ReuseIndex.build(segments)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    found = index.find_reuse(corpus.press_release)
    query_seconds = time.perf_counter() - started
    saved = corpus_file.with_suffix(".npz")
    index.save(saved)
    started = time.perf_counter()
    ReuseIndex.load(saved)
    load_seconds = time.perf_counter() - started
    saved.unlink()
    return Measurement(
        len(segments),
        workers,
        round(copy_seconds, 1),
        copy_rss,
        _max_rss_mb(resource.RUSAGE_CHILDREN),
        total_rss,
        len(copy_map.relations),
        sum(len(f.members) > 1 for f in copy_map.families),
        round(build_seconds, 2),
        round(query_seconds, 2),
        len(found),
        round(load_seconds, 2),
        _max_rss_mb(resource.RUSAGE_SELF),
    )


def _max_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


# --- driver ------------------------------------------------------------------------------------


def growth_exponent(sizes: Sequence[int], values: Sequence[float]) -> float | None:
    """Least-squares slope of log value against log size."""
    if len(sizes) < 2:
        return None
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    return round(slope, 2)


def table(results: Sequence[Measurement], counts: dict[int, dict[str, int]]) -> str:
    header = (
        "| segments | copy map (s) | peak RSS, process (MB) | peak RSS, process + workers (MB) | relations "
        "| families with copies | ReuseIndex.build (s) | find_reuse (s) | found | ReuseIndex.load (s) | mix |"
    )
    lines = [
        header,
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        mix = ", ".join(f"{k} {v}" for k, v in sorted(counts[r.segments].items()))
        lines.append(
            f"| {r.segments:,} | {r.copy_map_seconds:,.1f} | {r.copy_map_rss_mb:,.0f} | {r.copy_map_total_rss_mb:,.0f} "
            f"| {r.relations:,} | {r.families_with_copies:,} | {r.index_build_seconds:.2f} | {r.query_seconds:.2f} "
            f"| {r.query_found} | {r.index_load_seconds:.2f} | {mix} |"
        )
    sizes = [r.segments for r in results]
    lines.append("")
    lines.append(
        f"Growth exponents (slope of log value on log N): copy-map time "
        f"{growth_exponent(sizes, [r.copy_map_seconds for r in results])}, main-process peak RSS "
        f"{growth_exponent(sizes, [r.copy_map_total_rss_mb for r in results])} (process + workers), ReuseIndex.build "
        f"{growth_exponent(sizes, [r.index_build_seconds for r in results])}."
    )
    return "\n".join(lines)


def run_size(src_dir: str, size: int, workers: int, seed: int, profile: bool, timeout: float) -> tuple[Measurement | None, dict[str, int]]:
    OUT.mkdir(exist_ok=True)
    started = time.perf_counter()
    corpus = generate(src_dir, size, seed)
    corpus_file = OUT / f"copy_scale_{size}.pkl"
    with corpus_file.open("wb") as f:
        pickle.dump(corpus, f)
    print(f"{size:,} segments generated in {time.perf_counter() - started:.0f} s: {corpus.counts}", file=sys.stderr)
    command = [sys.executable, __file__, "--measure", str(corpus_file), "--workers", str(workers)]
    if profile:
        command += ["--profile-file", str(OUT / f"copy_scale_{size}.prof")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"{size:,}: stopped after {timeout:.0f} s", file=sys.stderr)
        return None, corpus.counts
    finally:
        corpus_file.unlink(missing_ok=True)
    if done.returncode != 0:
        print(f"{size:,}: the measuring process failed ({done.returncode}):\n{done.stderr[-3000:]}", file=sys.stderr)
        return None, corpus.counts
    result = Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{size:,}: {result}", file=sys.stderr)
    return result, corpus.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src_dir", nargs="?")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one size")
    parser.add_argument("--profile", action="store_true", help="write bench/out/copy_scale_N.prof")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--profile-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(asdict(measure(args.measure, args.workers, args.profile_file))))
        return
    if args.src_dir is None:
        parser.error("src_dir is required")
    results, counts = [], {}
    for size in args.sizes:
        result, counts[size] = run_size(args.src_dir, size, args.workers, args.seed, args.profile, args.timeout)
        if result is None:
            break
        results.append(result)
    report = table(results, counts)
    print(report)
    (OUT / "copy_scale.json").write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
