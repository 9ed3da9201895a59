"""Near-duplicate candidates on Reuters-21578: sourcetrace against datasketch
and rensa, in one run, with the same parameters (word 5-grams, 128
permutations, Jaccard threshold 0.8) and tokenising included in every time.

    pip install datasketch rensa
    python bench/near_duplicates.py ../shared/corpora/reuters21578 [--repeat 2] [--spark local[2]]

Prints a Markdown table and writes bench/out/near_duplicates.json. Each
system runs ``--repeat`` times and the fastest run is reported (the machine is
shared, other benchmarks may run at the same time); every run's time is in
the JSON.

Systems, timed from the list of texts to the list of pairs:

* datasketch: Python tokeniser, ``MinHash.update_batch`` per text,
  ``MinHashLSH`` insert all then query all, then the estimated Jaccard >= 0.8.
* rensa: the same Python tokeniser, ``RMinHash.from_token_sets``,
  ``RMinHashLSH.insert_many`` + ``query_all`` (rensa needs bands dividing 128:
  the best such split by the same criterion), then its estimate >= 0.8.
* sourcetrace: ``SignatureStage`` on ``LocalEngine`` (2 threads, as the copy
  map runs it; 2 processes; and 1 worker, in process), then
  ``LSHIndex.verified_pairs`` (estimate >= 0.7, then exact Jaccard), excerpt
  windows off for the like-for-like rows and on in an extra row.
* with ``--spark MASTER`` (e.g. ``local[2]``): the same ``SignatureStage`` on
  ``SparkEngine`` (signing on the executors, the index on the driver, as
  ``sourcetrace run --engine spark`` runs it); the Spark session is started,
  and its Python workers have signed one small batch, before the clock.

The Python tokeniser is what a user of those libraries writes:
``re.findall(r"\\w+", text.casefold().replace("'", ""))``, the same words as
sourcetrace's on this ASCII corpus. Agreement is measured with exact Jaccard
over sourcetrace's shingle sets. sourcetrace links exact copies to the lowest
id only; its pairs are expanded to every pair of copies before comparing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from itertools import combinations
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from reuters_corpus import parse_reuters

from sourcetrace.engines import Engine, LocalEngine
from sourcetrace.reuse.candidates import CandidatePair, LSHIndex
from sourcetrace.reuse.minhash import batched
from sourcetrace.reuse.shingles import shingle_hash_batch

SHINGLE_WORDS = 5
NUM_PERM = 128
THRESHOLD = 0.8
SEED = 1
DEFAULT_JSON = Path(__file__).parent / "out" / "near_duplicates.json"
Pair = tuple[int, int]
Result = TypeVar("Result")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class SystemResult:
    """The fastest of the runs of one system, and what it found."""

    system: str
    runs_seconds: list[float]
    candidate_pairs: int  # LSH bucket collisions, before any check
    verified_pairs: int  # after the system's own check (sourcetrace: edges, copies collapsed)
    notes: str = ""
    pairs: set[Pair] = field(default_factory=set, repr=False)  # verified, copies expanded
    candidates: set[Pair] = field(default_factory=set, repr=False)  # baselines only

    @property
    def seconds(self) -> float:
        return min(self.runs_seconds)


def python_shingles(text: str) -> list[str]:
    words = _WORD.findall(text.casefold().replace("'", ""))
    if not words:
        return []
    return [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))]


def run_datasketch(texts: Sequence[str]) -> tuple[set[Pair], set[Pair]]:
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    sketches = []
    for text in texts:
        sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
        sketch.update_batch([s.encode("utf-8") for s in set(python_shingles(text))])
        sketches.append(sketch)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch)
    candidates = {(min(i, j), max(i, j)) for i, s in enumerate(sketches) for j in lsh.query(s) if j != i}
    verified = {(i, j) for i, j in candidates if sketches[i].jaccard(sketches[j]) >= THRESHOLD}
    return candidates, verified


def rensa_bands() -> int:
    """Bands dividing NUM_PERM that best approximate the threshold, by the
    criterion sourcetrace and datasketch use."""
    below, above = np.linspace(0, THRESHOLD, 512), np.linspace(THRESHOLD, 1, 512)

    def error(bands: int) -> float:
        rows = NUM_PERM // bands
        false_positive = np.trapezoid(1 - (1 - below**rows) ** bands, below)
        false_negative = np.trapezoid((1 - above**rows) ** bands, above)
        return float(false_positive + false_negative)

    return min((b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0), key=error)


def run_rensa(texts: Sequence[str], bands: int) -> tuple[set[Pair], set[Pair]]:
    from rensa import RMinHash, RMinHashLSH  # type: ignore[import-untyped]

    sketches = RMinHash.from_token_sets([python_shingles(t) for t in texts], NUM_PERM, SEED)
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
    lsh.insert_many(sketches, 0)
    found = lsh.query_all(sketches)
    candidates = {(min(i, j), max(i, j)) for i, keys in enumerate(found) for j in keys if j != i}
    verified = {(i, j) for i, j in candidates if sketches[i].jaccard(sketches[j]) >= THRESHOLD}
    return candidates, verified


def run_sourcetrace(
    texts: Sequence[str], workers: int, excerpts: bool, threads: bool, engine: Engine | None = None
) -> tuple[int, list[CandidatePair], LSHIndex]:
    """On ``engine`` when given (Spark), else a new LocalEngine."""
    index = LSHIndex(THRESHOLD, NUM_PERM, shingle_size=SHINGLE_WORDS, seed=SEED, excerpts=excerpts)
    stage = index.signature_stage()
    engine = engine or LocalEngine(workers, threads=threads)
    for batch in engine.map(stage, batched(enumerate(texts), 256), chunksize=1):
        index.add(batch)
    edges = index.verified_pairs()
    candidates = index.stats["candidate_pairs"] + index.stats["window_candidate_pairs"] + index.stats["exact_copies"]
    return candidates, edges, index


def expand_copies(edges: Sequence[CandidatePair]) -> set[Pair]:
    """All pairs the edges stand for: exact copies are linked to their group's
    lowest id only, and a copy matches whatever its group's first matches."""
    group: dict[int, list[int]] = {}
    for edge in edges:
        if edge.jaccard == 1.0:
            group.setdefault(edge.a, [edge.a]).append(edge.b)
    pairs: set[Pair] = set()
    for members in group.values():
        pairs.update(combinations(sorted(members), 2))
    for edge in edges:
        if edge.jaccard < 1.0:
            pairs.update(
                (min(x, y), max(x, y)) for x in group.get(edge.a, [edge.a]) for y in group.get(edge.b, [edge.b])
            )
    return pairs


def timed(repeat: int, run: Callable[[], Result]) -> tuple[list[float], Result]:
    """Every run's wall seconds and the last run's result."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def exact_jaccard(texts: Sequence[str], pairs: set[Pair]) -> dict[Pair, float]:
    needed = sorted({i for pair in pairs for i in pair})
    shingles = shingle_hash_batch([texts[i] for i in needed], SHINGLE_WORDS)
    sets = {i: np.unique(shingles.of(k)) for k, i in enumerate(needed)}
    result = {}
    for a, b in pairs:
        common = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
        result[(a, b)] = common / (len(sets[a]) + len(sets[b]) - common)
    return result


def spark_result(texts: Sequence[str], repeat: int, master: str) -> SystemResult:
    """Signing on Spark's executors, banding and verification on the driver (as
    `sourcetrace run --engine spark` does). The session and its workers start
    before the clock: that start-up (seconds) is paid once per run, not per step."""
    from sourcetrace.engines.spark import SparkEngine

    with SparkEngine(master) as engine:
        warm_up = LSHIndex(THRESHOLD, NUM_PERM, shingle_size=SHINGLE_WORDS).signature_stage()
        list(engine.map(warm_up, [list(enumerate(texts[:8]))]))  # Python workers up, numpy imported
        seconds, (candidates, edges, index) = timed(repeat, lambda: run_sourcetrace(texts, 0, False, False, engine))
        cores = engine.workers
    note = f"Spark {master}, {cores} cores, {index.stats['exact_copies']} exact copies collapsed"
    return SystemResult(f"sourcetrace on Spark ({master})", seconds, candidates, len(edges), note,
                        expand_copies(edges))


def run_all(texts: Sequence[str], repeat: int, skip: set[str], spark: str | None = None) -> list[SystemResult]:
    results: list[SystemResult] = []
    if "datasketch" not in skip:
        seconds, (candidates, pairs) = timed(repeat, lambda: run_datasketch(texts))
        results.append(
            SystemResult("datasketch", seconds, len(candidates), len(pairs), "estimate >= 0.8", pairs, candidates)
        )
    if "rensa" not in skip:
        bands = rensa_bands()
        seconds, (candidates, pairs) = timed(repeat, lambda: run_rensa(texts, bands))
        note = f"{bands} bands x {NUM_PERM // bands} rows; estimate >= 0.8"
        results.append(SystemResult("rensa", seconds, len(candidates), len(pairs), note, pairs, candidates))
    for workers, threads, excerpts in ((2, True, False), (2, False, False), (1, False, False), (2, True, True), (1, False, True)):
        results.append(sourcetrace_result(texts, repeat, workers, excerpts, threads))
    if spark is not None:
        results.append(spark_result(texts, repeat, spark))
    return results


def sourcetrace_result(texts: Sequence[str], repeat: int, workers: int, excerpts: bool, threads: bool) -> SystemResult:
    seconds, (candidates, edges, index) = timed(repeat, lambda: run_sourcetrace(texts, workers, excerpts, threads))
    bands, rows = index.bands
    kind = "thread" if threads else "process"
    note = (
        f"{workers} {kind}{'s' if workers > 1 else ''}, {bands} bands x {rows} rows, "
        f"{index.stats['exact_copies']} exact copies collapsed, "
        f"{index.stats['rejected_by_estimate']} rejected by estimate, "
        f"{index.stats['rejected_by_exact_check']} by exact check"
    )
    name = f"sourcetrace{' +excerpts' if excerpts else ''} ({workers}{'t' if threads and workers > 1 else 'w'})"
    return SystemResult(name, seconds, candidates, len(edges), note, expand_copies(edges))


def agreement(texts: Sequence[str], results: list[SystemResult]) -> dict[str, object]:
    """Recall of every system's verified pairs against the pairs whose exact
    Jaccard reaches the threshold among datasketch's candidates, and among
    everything any system proposed."""
    proposed = set().union(*(r.candidates | r.pairs for r in results))
    jaccard = exact_jaccard(texts, proposed)
    similar = {pair for pair, value in jaccard.items() if value >= THRESHOLD}
    by_name = {r.system: r for r in results}
    truth_datasketch = similar & by_name["datasketch"].candidates if "datasketch" in by_name else set()
    report: dict[str, object] = {
        "pairs_proposed_by_any_system": len(proposed),
        "similar_pairs_among_them": len(similar),
        "similar_pairs_among_datasketch_candidates": len(truth_datasketch),
        "systems": {},
    }
    for result in results:
        found = result.pairs & similar
        report["systems"][result.system] = {  # type: ignore[index]
            "pairs_with_exact_jaccard_at_least_threshold": len(found),
            "pairs_below_threshold": len(result.pairs - similar),
            "recall_vs_datasketch_candidates": _share(found & truth_datasketch, truth_datasketch),
            "recall_vs_all_proposed": _share(found, similar),
        }
    return report


def _share(part: set[Pair], whole: set[Pair]) -> float | None:
    return round(len(part) / len(whole), 4) if whole else None


def markdown(results: list[SystemResult], megabytes: float, report: dict[str, object]) -> str:
    by_name = {r.system: r for r in results}
    header = (
        "| system | best of runs (s) | MB/s | candidate pairs | verified pairs | pairs (copies expanded) | "
        "recall vs datasketch | recall vs all | vs datasketch | vs rensa |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    systems = report["systems"]  # type: ignore[index]
    for r in results:
        agree = systems[r.system]  # type: ignore[index]
        ratios = [
            f"{by_name[base].seconds / r.seconds:.1f}x" if base in by_name else "-" for base in ("datasketch", "rensa")
        ]
        lines.append(
            f"| {r.system} | {r.seconds:.2f} | {megabytes / r.seconds:.1f} | {r.candidate_pairs} | "
            f"{r.verified_pairs} | {len(r.pairs)} | {agree['recall_vs_datasketch_candidates']} | "
            f"{agree['recall_vs_all_proposed']} | {ratios[0]} | {ratios[1]} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="folder with reut2-*.sgm")
    parser.add_argument("--repeat", type=int, default=2, help="runs per system; the fastest is reported")
    parser.add_argument("--skip", action="append", default=[], choices=["datasketch", "rensa"])
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--spark", metavar="MASTER", default=None,
                        help="also run sourcetrace's signing on Spark at MASTER (e.g. local[2]); needs the spark extra")
    args = parser.parse_args(argv)
    texts = [story.body for story in parse_reuters(args.src)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    load_before = os.getloadavg()
    results = run_all(texts, args.repeat, set(args.skip), args.spark)
    report = agreement(texts, results)
    print(f"{len(texts)} texts, {megabytes:.1f} MB; load average before: {load_before[0]:.2f}\n")
    print(markdown(results, megabytes, report))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_json(texts, megabytes, args.repeat, load_before, results, report), indent=2))
    print(f"\nwrote {args.json}")
    return 0


def _json(
    texts: Sequence[str],
    megabytes: float,
    repeat: int,
    load: tuple[float, float, float],
    results: list[SystemResult],
    report: dict[str, object],
) -> dict[str, object]:
    by_name = {r.system: r for r in results}
    return {
        "corpus": {"texts": len(texts), "megabytes": round(megabytes, 3)},
        "parameters": {"shingle_words": SHINGLE_WORDS, "num_perm": NUM_PERM, "threshold": THRESHOLD, "seed": SEED},
        "repeat": repeat,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": load,
            "python": platform.python_version(),
            "numpy": np.__version__,
            **{p: _version(p) for p in ("datasketch", "rensa")},
        },
        "systems": [
            {
                **{k: v for k, v in asdict(r).items() if k not in ("pairs", "candidates")},
                "seconds": round(r.seconds, 3),
                "mb_per_second": round(megabytes / r.seconds, 2),
                "pairs_copies_expanded": len(r.pairs),
                "speedup_vs_datasketch": round(by_name["datasketch"].seconds / r.seconds, 2)
                if "datasketch" in by_name
                else None,
                "speedup_vs_rensa": round(by_name["rensa"].seconds / r.seconds, 2) if "rensa" in by_name else None,
            }
            for r in results
        ],
        "agreement": report,
    }


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:  # not installed: that system was skipped
        return None


if __name__ == "__main__":
    sys.exit(main())
