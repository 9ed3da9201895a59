"""How the copy stage scales, run as `sourcetrace run` runs it, through a case,
and how long `sourcetrace trace CASE FILE` then takes, on N generated segments.

    python bench/copy_scale.py ../shared/corpora/reuters21578 --sizes 20000 100000 [--workers 2] [--keep-case]

For each N the corpus is generated here, pickled to bench/out/, and measured
in a fresh Python process, so every size starts cold and its peak RSS is its
own. That process first writes the corpus into a fresh case,
bench/out/copy_scale_N.case, through CaseStore's own API (one input record
per 100 documents, one document per segment holding that one segment, as
ingesting and segmenting would leave it); this is not measured, and the
corpus is dropped before what is. Then it times, step by step, what the
copy stage of `sourcetrace run` (runner._trace_copies) does:

* reading the case's segments (``store.iter_segments_for_reuse()``);
* ``build_copy_map(segments, LocalEngine(W))``: exact groups, both candidate
  indexes, pair classification on W worker processes, families;
* writing the copy map (``store.replace_copy_map``);
* the trace index: ``ReuseIndex.build(segments, copy_map.text_groups)``,
  serialised and saved in the case (``store.save_trace_index``);

and the total of the four. Then it runs ``python -m sourcetrace trace CASE
PRESS.txt --json`` as a process of its own, on the press release of the
corpus's largest family, and records its wall time end to end (interpreter
start, imports, loading the saved index, the query, printing), its exit
code, how many reusing segments it listed, and os.wait4's peak RSS (an upper
bound only: a forked child reports at least its parent's RSS). For comparison, the
same in process: ``report.trace.load_index(store)`` and one
``find_reuse(press_release)`` on it; that query is warm, as build_copy_map
has already loaded the sentence embedder in this process. The case and the press release are
deleted afterwards unless ``--keep-case`` is given.

Memory: ``ru_maxrss`` of the measuring process (RUSAGE_SELF) over the copy
stage, its peak reset just before it (/proc/self/clear_refs), and the peak of
its RSS plus its workers' sampled from /proc every 0.2 s during the stage
(RUSAGE_CHILDREN, the largest worker, is kept in the JSON but is no use
here: a worker started by fork+exec reports at least the RSS its parent had
at the fork). Prints a Markdown table with growth exponents (least-squares
slope of log time and log memory against log N) and writes
bench/out/copy_scale.json. ``--profile`` also writes a cProfile of the
measuring process over the copy stage to bench/out/copy_scale_N.prof (the
workers' time shows there as waiting for results).

Accuracy against the generator's own families (the case keeps the corpus's
segment ids): the share of copies related to some member of their family
(``copies found``), the share of relations between two family members that
join one family (``relations within a family``), and the share of the press
release's family that ``trace`` lists.

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
import cProfile
import gc
import hashlib
import json
import math
import os
import pickle
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

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

from sourcetrace.records import (
    Document,
    IngestedInput,
    InputKind,
    InputRecord,
    Segment,
    SegmentedDocument,
    SegmentForReuse,
)
from sourcetrace.store import CaseReader, CaseStore

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
    family_of: dict[int, int]  # family member (original or copy) -> its original's segment id
    press_family: int  # the original the press release words
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
    family_originals: list[tuple[Source, int, int]] = []  # original, copies, its draft index
    copy_budget = round(size * (1 - INDEPENDENT_SHARE - AGGREGATOR_SHARE))
    while counts["family_member"] < copy_budget:
        source = originals.take()
        copies = min(40, int(rng.paretovariate(1.3)))
        family_originals.append((source, copies, len(drafts)))
        family = str(len(drafts))  # the original's draft index
        drafts.append(("original", source, {"url": WIRE_SITE + family, "credit": None, "family": family}))
        for _ in range(copies):
            kind = rng.choices(COPY_KINDS, COPY_WEIGHTS)[0]
            text = _copy(kind, source.text, originals.stories[rng.randrange(len(originals.stories))].body, synonyms, rng)
            undated = rng.random() < 0.15
            later = datetime.fromisoformat(source.date) + timedelta(hours=rng.randint(2, 72))
            credit = "Reuters" if rng.random() < 0.4 else None
            fields = {"undated": "1" if undated else None, "credit": credit, "family": family}
            drafts.append((kind, Source(text, later.isoformat(), "", source.topic), fields))
            counts[kind] += 1
        counts["original"] += 1
        counts["family_member"] += 1 + copies
    for _ in range(round(size * AGGREGATOR_SHARE)):
        parts = rng.sample(family_originals, 3)
        text = "\n\n".join(p.text for p, _, _ in parts)
        drafts.append(("aggregator", Source(text, max(p.date for p, _, _ in parts)[:10] + "T23:00:00", "", ""), {}))
        counts["aggregator"] += 1
    while len(drafts) < size:
        drafts.append(("independent", independents.take(), {}))
        counts["independent"] += 1
    counts["clones"] = originals.clones + independents.clones
    del counts["family_member"]
    segments, id_of_draft = _numbered(drafts[:size], rng)
    family_of = {
        id_of_draft[k]: id_of_draft[int(fields["family"])]
        for k, (_, _, fields) in enumerate(drafts[:size])
        if fields.get("family") is not None and int(fields["family"]) < size
    }
    largest, _, largest_draft = max(family_originals, key=lambda f: f[1])
    press = "FOR IMMEDIATE RELEASE\n\n" + largest.text + "\n\nMedia contact: press office, +1 555 0100"
    return Corpus(segments, press, family_of, id_of_draft[largest_draft], dict(counts))


def _copy(kind: str, text: str, other: str, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    if kind == "exact":
        return exact_copy(text)
    if kind == "near_exact":
        return near_exact(text, other, rng)
    if kind == "excerpt":
        return excerpt(text, rng)
    return spin(text, rng.choice((0.1, 0.2, 0.3)), synonyms, rng)


def _numbered(
    drafts: list[tuple[str, Source | None, dict[str, str | None]]], rng: random.Random
) -> tuple[list[SegmentForReuse], list[int]]:
    """Segments with ids in a shuffled order, as pages arrive in a real case,
    and the id given to each draft."""
    ids = list(range(1, len(drafts) + 1))
    rng.shuffle(ids)
    segments = []
    for segment_id, (_, source, fields) in zip(ids, drafts):
        assert source is not None
        published = None if fields.get("undated") else source.date
        segments.append(
            SegmentForReuse(segment_id, source.text, segment_id, published, fields.get("credit"), source.title or None, fields.get("url"))
        )
    return sorted(segments, key=lambda s: s.id), ids


# --- the case: written untimed, as ingesting and segmenting would leave it ----------------------

INPUT_DOCUMENTS = 100  # documents per input record, as in bench/report_speed.py
SEGMENT_BATCH = 2000  # documents segmented per add_segmented transaction
INGESTED_AT = "2026-01-01T00:00:00+00:00"


def case_files(corpus_file: Path) -> tuple[Path, Path]:
    """The case written for a pickled corpus, and its press release for trace."""
    return corpus_file.with_suffix(".case"), corpus_file.with_suffix(".press.txt")


def remove_case_files(corpus_file: Path) -> None:
    case, press_file = case_files(corpus_file)
    for path in (case, Path(f"{case}-wal"), Path(f"{case}-shm"), press_file):
        path.unlink(missing_ok=True)


def write_case(case: Path, segments: Sequence[SegmentForReuse]) -> None:
    """One document holding one segment per generated segment, through CaseStore.

    Written in id order into a fresh case, so the case's document and segment
    ids are the corpus's (whose order is shuffled, as pages arrive). Written
    SEGMENT_BATCH documents at a time, so no second copy of the texts is held."""
    with CaseStore(case) as store:
        for first in range(0, len(segments), SEGMENT_BATCH):
            batch = segments[first : first + SEGMENT_BATCH]
            last_document_id = sqlite3.connect(store.path).execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
            for start in range(0, len(batch), INPUT_DOCUMENTS):
                store.add_ingested(_ingested_input(first + start, batch[start : start + INPUT_DOCUMENTS]), 0, None)
            document_ids = [
                row[0]
                for row in sqlite3.connect(store.path).execute(
                    "SELECT id FROM documents WHERE id > ? ORDER BY id", (last_document_id,)
                )
            ]
            store.add_segmented(_one_segment_each(document_ids, batch))


def _ingested_input(first: int, segments: Sequence[SegmentForReuse]) -> IngestedInput:
    raw = "".join(s.text for s in segments).encode()
    record = InputRecord(
        f"/bench/copy_scale/input-{first // INPUT_DOCUMENTS:05d}.jsonl",
        hashlib.sha256(raw).hexdigest(),
        len(raw),
        InputKind.JSONL,
        INGESTED_AT,
    )
    documents = [
        Document(ordinal, s.text, "text/plain", "plain", url=s.url, title=s.title,
                 site=urlsplit(s.url).netloc if s.url else None, published=s.published)
        for ordinal, s in enumerate(segments)
    ]
    return IngestedInput(record, documents)


def _one_segment_each(document_ids: Sequence[int], segments: Sequence[SegmentForReuse]) -> Iterator[SegmentedDocument]:
    for document_id, s in zip(document_ids, segments, strict=True):
        segment = Segment(0, 0, len(s.text), s.text, title=s.title, credit=s.credit, published=s.published)
        yield SegmentedDocument(document_id, [], [segment])


def write_corpus(corpus_file: Path) -> float:
    """Untimed setup: the pickled corpus into a fresh case, its press release
    into a text file. Returns the seconds it took. The corpus is dropped on
    return, so the measured stage holds only what it reads from the case."""
    started = time.perf_counter()
    with corpus_file.open("rb") as f:
        corpus: Corpus = pickle.load(f)
    remove_case_files(corpus_file)
    case, press_file = case_files(corpus_file)
    write_case(case, corpus.segments)
    press_file.write_text(corpus.press_release, encoding="utf-8")
    return round(time.perf_counter() - started, 1)


# --- one measurement, in a fresh process -------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    segments: int
    workers: int
    setup_seconds: float  # writing the case: not part of what is measured
    read_seconds: float  # list(store.iter_segments_for_reuse())
    copy_map_seconds: float  # build_copy_map
    write_copy_map_seconds: float  # store.replace_copy_map
    trace_index_seconds: float  # ReuseIndex.build, anchors_to_bytes, store.save_trace_index
    stage_seconds: float  # all of the copy stage, as `sourcetrace run` spends it
    stage_rss_mb: float  # ru_maxrss of the measuring process, its peak reset before the stage
    peak_reset: bool  # False: stage_rss_mb also counts loading the corpus and writing the case
    worker_rss_mb: float  # ru_maxrss of the largest worker (see the module's doc)
    stage_total_rss_mb: float  # peak of the process's RSS plus its workers', sampled during the stage
    relations: int
    families_with_copies: int
    case_mb: float
    trace_index_mb: float  # the saved anchors
    trace_cli_seconds: float  # `python -m sourcetrace trace CASE FILE --json`, wall clock
    trace_cli_found: int | None  # matches it listed; None when its output was not understood
    trace_cli_exit: int
    trace_cli_rss_mb: float  # os.wait4's peak RSS: an upper bound, a forked child starts with its parent's
    index_load_seconds: float  # report.trace.load_index, in process
    query_seconds: float  # one ReuseIndex.find_reuse(press release) on that index, embedder loaded
    query_found: int
    copies_found: float  # share of copies related to a member of their own family
    within_families: float  # share of relations between family members that join one family
    trace_family_found: float  # share of the press release's family that trace listed


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


def reset_peak_rss() -> bool:
    """Restart this process's ru_maxrss from its current RSS (Linux 4.0 and
    later: "5" into clear_refs), so that it counts the measured stage and not
    the corpus loaded to write the case. False where the kernel refuses."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Laps:
    """Seconds since the previous lap, and since the start."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()

    def __call__(self) -> float:
        now = time.perf_counter()
        seconds, self._last = now - self._last, now
        return round(seconds, 2)

    def total(self) -> float:
        return round(time.perf_counter() - self.started, 2)


@dataclass(slots=True)
class StageResult:
    segments: int
    read_seconds: float
    copy_map_seconds: float
    write_copy_map_seconds: float
    trace_index_seconds: float
    stage_seconds: float
    relations: int
    families_with_copies: int


def trace_copies(store: CaseStore, workers: int) -> StageResult:
    """The copy stage of `sourcetrace run`, timed step by step.

    The four steps are runner._trace_copies's lines, repeated here because
    that function is private, wants run options, a progress display and a
    summary, and times nothing; keep them in step with it."""
    from sourcetrace.engines import LocalEngine
    from sourcetrace.reuse.copymap import ReuseIndex, build_copy_map

    lap = Laps()
    segments = list(store.iter_segments_for_reuse())
    read_seconds = lap()
    copy_map = build_copy_map(segments, LocalEngine(workers))
    copy_map_seconds = lap()
    store.replace_copy_map(copy_map.relations, copy_map.families)
    write_seconds = lap()
    store.save_trace_index(ReuseIndex.build(segments, copy_map.text_groups).anchors_to_bytes())
    index_seconds = lap()
    families_with_copies = sum(len(f.members) > 1 for f in copy_map.families)
    return StageResult(len(segments), read_seconds, copy_map_seconds, write_seconds, index_seconds, lap.total(),
                       len(copy_map.relations), families_with_copies)


def measure_stage(case: Path, workers: int, profile: Path | None) -> tuple[StageResult, float]:
    """The copy stage on the case, and the sampled peak RSS of this process plus its workers."""
    profiler = cProfile.Profile() if profile is not None else None
    sampler = TreeMemory()
    sampler.start()
    if profiler is not None:
        profiler.enable()
    with CaseStore(case, create=False) as store:
        result = trace_copies(store, workers)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    return result, sampler.stop()


@dataclass(slots=True)
class TraceRun:
    seconds: float
    found: list[int] | None  # segment ids listed; None when the output was not understood
    exit_code: int
    rss_mb: float


def trace_matches(output: str) -> list[int] | None:
    """Segments listed by ``sourcetrace trace --json``; None when the output is not its JSON array."""
    try:
        matches = json.loads(output)
    except json.JSONDecodeError:
        return None
    return [int(m["segment"]) for m in matches] if isinstance(matches, list) else None


def run_trace_cli(case: Path, press_file: Path) -> TraceRun:
    """``sourcetrace trace CASE FILE`` in its own process, end to end."""
    command = [sys.executable, "-m", "sourcetrace", "trace", str(case), str(press_file), "--json"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # wait4 gives this child's own peak RSS
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        print(f"copy_scale: trace exited with {process.returncode}:\n{errors[-3000:]}", file=sys.stderr)
    found = trace_matches(output) if process.returncode == 0 else None
    return TraceRun(round(seconds, 2), found, process.returncode, round(usage.ru_maxrss / 1024, 1))


def trace_in_process(case: Path, text: str) -> tuple[float, float, int, float]:
    """Seconds to load the saved index and to run one query on it, the query's
    matches, and the saved index's size in MB."""
    from sourcetrace.report.trace import load_index

    with CaseReader(case) as reader:
        lap = Laps()
        index = load_index(reader)
        load_seconds = lap()
        found = index.find_reuse(text)
        query_seconds = lap()
    index_bytes = sqlite3.connect(case).execute("SELECT coalesce(length(data), 0) FROM trace_index").fetchone()
    return load_seconds, query_seconds, len(found), round((index_bytes[0] if index_bytes else 0) / 2**20, 1)


@dataclass(slots=True)
class Recall:
    copies: float  # share of copies related to some member of their own family
    within_families: float  # share of relations between two family members that join one family
    trace_family: float  # share of the press release's family that trace listed


def recall(case: Path, corpus_file: Path, traced: list[int] | None) -> Recall:
    """The copy map and the trace against the generator's families (segment
    ids in the case are the corpus's: the case is written in id order)."""
    with corpus_file.open("rb") as f:
        corpus: Corpus = pickle.load(f)
    family_of = corpus.family_of
    edges = sqlite3.connect(case).execute("SELECT segment_id, parent_id FROM relations").fetchall()
    linked: set[int] = set()
    same = among = 0
    for segment, parent in edges:
        if segment in family_of and parent in family_of:
            among += 1
            if family_of[segment] == family_of[parent]:
                same += 1
                linked.update((segment, parent))
    copies = [s for s, f in family_of.items() if s != f]
    family = {s for s, f in family_of.items() if f == corpus.press_family}
    return Recall(
        copies=round(sum(s in linked for s in copies) / max(len(copies), 1), 4),
        within_families=round(same / max(among, 1), 4),
        trace_family=round(len(family & set(traced or ())) / max(len(family), 1), 4),
    )


def measure(corpus_file: Path, workers: int, profile: Path | None, keep_case: bool) -> Measurement:
    case, press_file = case_files(corpus_file)
    try:
        setup_seconds = write_corpus(corpus_file)
        peak_reset = reset_peak_rss()
        stage, total_rss = measure_stage(case, workers, profile)
        stage_rss = _max_rss_mb(resource.RUSAGE_SELF)
        worker_rss = _max_rss_mb(resource.RUSAGE_CHILDREN)  # before trace's process is a child too
        case_mb = round(case.stat().st_size / 2**20, 1)
        cli = run_trace_cli(case, press_file)
        load_seconds, query_seconds, query_found, index_mb = trace_in_process(case, press_file.read_text("utf-8"))
        accuracy = recall(case, corpus_file, cli.found)
    finally:
        if not keep_case:
            remove_case_files(corpus_file)
    if cli.found is not None and len(cli.found) != query_found:
        print(f"copy_scale: trace listed {len(cli.found)} matches, find_reuse found {query_found}", file=sys.stderr)
    return Measurement(
        segments=stage.segments,
        workers=workers,
        setup_seconds=setup_seconds,
        read_seconds=stage.read_seconds,
        copy_map_seconds=stage.copy_map_seconds,
        write_copy_map_seconds=stage.write_copy_map_seconds,
        trace_index_seconds=stage.trace_index_seconds,
        stage_seconds=stage.stage_seconds,
        stage_rss_mb=stage_rss,
        peak_reset=peak_reset,
        worker_rss_mb=worker_rss,
        stage_total_rss_mb=total_rss,
        relations=stage.relations,
        families_with_copies=stage.families_with_copies,
        case_mb=case_mb,
        trace_index_mb=index_mb,
        trace_cli_seconds=cli.seconds,
        trace_cli_found=None if cli.found is None else len(cli.found),
        trace_cli_exit=cli.exit_code,
        trace_cli_rss_mb=cli.rss_mb,
        index_load_seconds=load_seconds,
        query_seconds=query_seconds,
        query_found=query_found,
        copies_found=accuracy.copies,
        within_families=accuracy.within_families,
        trace_family_found=accuracy.trace_family,
    )


def _max_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux
# --- driver ------------------------------------------------------------------------------------


def growth_exponent(sizes: Sequence[int], values: Sequence[float]) -> float | None:
    """Least-squares slope of log value against log size (None without two positive values)."""
    if len(sizes) < 2 or min(values) <= 0:
        return None
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    return round(slope, 2)


TABLE_HEADER = (
    "| segments | read (s) | build_copy_map (s) | write copy map (s) | trace index (s) | copy stage (s) "
    "| peak RSS, process (MB) | peak RSS, process + workers (MB) | relations | families with copies "
    "| trace CLI (s) | trace CLI found | load_index (s) | find_reuse (s) | found "
    "| copies found | relations within a family | trace: family found | mix |"
)


def table(results: Sequence[Measurement], counts: dict[int, dict[str, int]]) -> str:
    lines = [TABLE_HEADER, "| " + " | ".join(["---:"] * 18) + " | --- |"]
    for r in results:
        mix = ", ".join(f"{k} {v}" for k, v in sorted(counts[r.segments].items()))
        lines.append(
            f"| {r.segments:,} | {r.read_seconds:.2f} | {r.copy_map_seconds:,.2f} | {r.write_copy_map_seconds:.2f} "
            f"| {r.trace_index_seconds:.2f} | {r.stage_seconds:,.2f} | {r.stage_rss_mb:,.0f}{'' if r.peak_reset else '*'} "
            f"| {r.stage_total_rss_mb:,.0f} | {r.relations:,} | {r.families_with_copies:,} | {r.trace_cli_seconds:.2f} "
            f"| {_cli_found(r)} | {r.index_load_seconds:.2f} | {r.query_seconds:.2f} | {r.query_found} "
            f"| {r.copies_found:.4f} | {r.within_families:.4f} | {r.trace_family_found:.3f} | {mix} |"
        )
    sizes = [r.segments for r in results]
    lines.append("")
    lines.append(
        f"Growth exponents (slope of log value on log N): copy stage time "
        f"{growth_exponent(sizes, [r.stage_seconds for r in results])}, build_copy_map time "
        f"{growth_exponent(sizes, [r.copy_map_seconds for r in results])}, peak RSS (process + workers) "
        f"{growth_exponent(sizes, [r.stage_total_rss_mb for r in results])}, trace CLI time "
        f"{growth_exponent(sizes, [r.trace_cli_seconds for r in results])}."
    )
    if not all(r.peak_reset for r in results):
        lines.append("* the kernel refused to reset the peak: it includes loading the corpus and writing the case.")
    return "\n".join(lines)


def _cli_found(r: Measurement) -> str:
    if r.trace_cli_exit != 0:
        return f"exit {r.trace_cli_exit}"
    return "?" if r.trace_cli_found is None else str(r.trace_cli_found)


def run_size(
    src_dir: str, size: int, workers: int, seed: int, profile: bool, keep_case: bool, timeout: float
) -> tuple[Measurement | None, dict[str, int]]:
    OUT.mkdir(exist_ok=True)
    started = time.perf_counter()
    corpus = generate(src_dir, size, seed)
    corpus_file = OUT / f"copy_scale_{size}.pkl"
    with corpus_file.open("wb") as f:
        pickle.dump(corpus, f)
    counts = corpus.counts
    del corpus  # the measuring process loads its own copy
    print(f"{size:,} segments generated in {time.perf_counter() - started:.0f} s: {counts}", file=sys.stderr)
    command = [sys.executable, __file__, "--measure", str(corpus_file), "--workers", str(workers)]
    if profile:
        command += ["--profile-file", str(OUT / f"copy_scale_{size}.prof")]
    if keep_case:
        command.append("--keep-case")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"{size:,}: stopped after {timeout:.0f} s", file=sys.stderr)
        return None, counts
    finally:
        corpus_file.unlink(missing_ok=True)
        if not keep_case:
            remove_case_files(corpus_file)  # the child's own clean-up does not run when it is killed
    if done.returncode != 0:
        print(f"{size:,}: the measuring process failed ({done.returncode}):\n{done.stderr[-3000:]}", file=sys.stderr)
        return None, counts
    sys.stderr.write(done.stderr)  # the child's warnings (trace's output not understood, counts differing)
    result = Measurement(**json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{size:,}: {result}", file=sys.stderr)
    return result, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src_dir", nargs="?")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one size")
    parser.add_argument("--profile", action="store_true", help="write bench/out/copy_scale_N.prof")
    parser.add_argument("--keep-case", action="store_true", help="keep bench/out/copy_scale_N.case and .press.txt")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--profile-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(asdict(measure(args.measure, args.workers, args.profile_file, args.keep_case))))
        return
    if args.src_dir is None:
        parser.error("src_dir is required")
    results, counts = [], {}
    for size in args.sizes:
        result, counts[size] = run_size(
            args.src_dir, size, args.workers, args.seed, args.profile, args.keep_case, args.timeout
        )
        if result is None:
            break
        results.append(result)
    report = table(results, counts)
    print(report)
    (OUT / "copy_scale.json").write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
