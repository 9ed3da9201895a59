"""Time, CPU use and peak memory of a whole `sourcetrace run` on the Reuters
pages, and of each of its steps.

    python bench/reuters_corpus.py ../shared/corpora/reuters21578 bench/out/reuters
    python bench/pipeline.py [bench/out/reuters] [--extractor trafilatura|resiliparse] [--workers N] [--limit N]

Runs ``python -m sourcetrace run CORPUS/html --case C --quiet --extractor X
[--workers N]`` as a process of its own, into a fresh case in a temporary
folder, once per extractor (both by default, one after the other).
``--limit N`` copies the first N pages (by story id) into a temporary folder
and runs on that, for smoke tests.

While it runs, the process tree (the run and every process under it) is
sampled from /proc every 0.2 s: utime+stime from /proc/PID/stat, resident
pages from /proc/PID/statm. A process is remembered once seen, so the CPU of
workers that have exited counts with its last-seen value. RSS is summed over
the live processes, so pages shared by forked workers count once per
process: an upper bound on what the tree holds.

Whole run: wall time around the process; CPU seconds from os.wait4, exact
(the run, plus every descendant it waited for); CPU use as a percentage of
one core (200% is both cores of the development machine busy); peak RSS of
the tree as sampled.

Per step: the runner writes one row per step of the run into the case's
``run_steps`` table (started_at, wall seconds, cpu_seconds, records,
counters). Those are shown as the runner measured them, next to the
samples that fall in each step's window (started_at to started_at +
seconds): the step's peak RSS and its CPU use as sampled. A case without
rows there gives whole-run figures only.

Prints Markdown tables and the issue 9 targets (all 19,043 pages on 2 cores:
at most 240 s with trafilatura, 120 s with resiliparse; CPU use at least
180%) with pass or fail, and writes bench/out/pipeline.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

EXTRACTORS = ("trafilatura", "resiliparse")
OUT = Path(__file__).parent / "out"
DEFAULT_CORPUS = OUT / "reuters"
DEFAULT_JSON = OUT / "pipeline.json"
REUTERS_PAGES = 19_043
TARGET_SECONDS = {"trafilatura": 240.0, "resiliparse": 120.0}
TARGET_CPU_PERCENT = 180.0
SAMPLE_SECONDS = 0.2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


# --- sampling the process tree from /proc --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """The process tree at one moment."""

    at: float  # time.time()
    cpu_seconds: float  # utime+stime of every process seen so far (last-seen values for those that exited)
    rss_bytes: int  # summed over the live processes
    processes: int  # live processes in the tree
    driver_rss_bytes: int = 0  # the root process alone (the driver); the rest is workers (and Spark's JVM)


@dataclass(frozen=True, slots=True)
class ProcStat:
    ppid: int
    started: int  # clock ticks after boot: tells a reused pid from the process once seen
    cpu_ticks: int  # utime + stime


def read_stat(pid: int) -> ProcStat | None:
    """/proc/PID/stat, or None when the process has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the command name may hold spaces and brackets
    return ProcStat(ppid=int(fields[1]), started=int(fields[19]), cpu_ticks=int(fields[11]) + int(fields[12]))


def read_rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def process_table() -> dict[int, ProcStat]:
    table = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat is not None:
                table[int(entry.name)] = stat
    return table


class TreeSampler(threading.Thread):
    """Samples the tree under ``root`` every SAMPLE_SECONDS until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.samples: list[Sample] = []
        self._known: dict[tuple[int, int], int] = {}  # (pid, started) -> last-seen CPU ticks
        self._stop_event = threading.Event()

    def run(self) -> None:
        self.samples.append(self.sample())
        while not self._stop_event.wait(SAMPLE_SECONDS):
            self.samples.append(self.sample())

    def stop(self) -> list[Sample]:
        self._stop_event.set()
        self.join()
        return self.samples

    def sample(self) -> Sample:
        table = process_table()
        tree = self._tree(table)
        for pid in tree:
            self._known[(pid, table[pid].started)] = table[pid].cpu_ticks
        rss = {pid: read_rss_bytes(pid) for pid in tree}
        cpu = sum(self._known.values()) / CLOCK_TICKS
        return Sample(time.time(), cpu, sum(rss.values()), len(tree), rss.get(self.root, 0))

    def _tree(self, table: dict[int, ProcStat]) -> set[int]:
        """The root and its descendants, and processes seen before that are still
        alive (a worker whose parent exited is re-parented out of the tree)."""
        children: dict[int, list[int]] = {}
        for pid, stat in table.items():
            children.setdefault(stat.ppid, []).append(pid)
        seen = {pid for pid, started in self._known if pid in table and table[pid].started == started}
        todo = [self.root, *seen] if self.root in table else list(seen)
        tree: set[int] = set()
        while todo:
            pid = todo.pop()
            if pid not in tree:
                tree.add(pid)
                todo.extend(children.get(pid, ()))
        return tree


# --- one run ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepFigures:
    """One row of the case's run_steps, with the samples of its window."""

    ordinal: int
    step: str
    started_at: str
    seconds: float  # the runner's wall time
    cpu_seconds: float  # the runner's CPU time, main process and workers
    records: int
    counters: dict[str, int]
    samples: int  # samples taken in the step's window
    sampled_cpu_percent: float | None  # None: no sample interval in the window
    peak_rss_mb: float | None

    @property
    def cpu_percent(self) -> float:
        return 100 * self.cpu_seconds / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class RunResult:
    """One `sourcetrace run` into a fresh or given case."""

    label: str
    extractor: str
    workers: int | None  # None: sourcetrace's default, all cores
    inputs: list[str]
    exit_code: int
    wall_seconds: float
    cpu_seconds: float  # os.wait4: the run and every descendant it waited for
    sampled_cpu_seconds: float
    peak_rss_mb: float
    samples: int
    summary: dict[str, object]  # the runner's summary of the run (runs.summary), {} when absent
    steps: list[StepFigures] = field(default_factory=list)
    errors: str = ""  # the end of stderr when the run failed
    peak_driver_rss_mb: float = 0.0  # the `sourcetrace run` process alone
    peak_workers_rss_mb: float = 0.0  # every other process of the tree at once (workers; Spark's JVM and its Python)

    @property
    def cpu_percent(self) -> float:
        return 100 * self.cpu_seconds / self.wall_seconds if self.wall_seconds else 0.0


def run_command(inputs: Sequence[Path], case: Path, extractor: str, workers: int | None,
                options: Sequence[str] = ()) -> list[str]:
    command = [sys.executable, "-m", "sourcetrace", "run", *map(str, inputs), "--case", str(case), "--quiet"]
    command += ["--extractor", extractor, *options]
    return command + (["--workers", str(workers)] if workers is not None else [])


def measure_run(label: str, inputs: Sequence[Path], case: Path, extractor: str, workers: int | None,
                options: Sequence[str] = ()) -> RunResult:
    """Run `sourcetrace run` (with ``options`` added) in its own process,
    sampling its tree, then read the run's summary and steps from the case."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        command = run_command(inputs, case, extractor, workers, options)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        samples = sampler.stop()
        process.returncode = exit_code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        errors = "\n".join(err.read().decode("utf-8", "replace").splitlines()[-12:]) if exit_code else ""
    summary, steps = read_case_run(case)
    return RunResult(
        label=label, extractor=extractor, workers=workers, inputs=[str(p) for p in inputs], exit_code=exit_code,
        wall_seconds=round(wall, 2), cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        sampled_cpu_seconds=round(samples[-1].cpu_seconds if samples else 0.0, 2),
        peak_rss_mb=round(max((s.rss_bytes for s in samples), default=0) / 2**20, 1), samples=len(samples),
        peak_driver_rss_mb=round(max((s.driver_rss_bytes for s in samples), default=0) / 2**20, 1),
        peak_workers_rss_mb=round(max((s.rss_bytes - s.driver_rss_bytes for s in samples), default=0) / 2**20, 1),
        summary=summary, steps=[with_samples(step, samples) for step in steps], errors=errors,
    )


# --- the case's record of the run ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepRow:
    ordinal: int
    step: str
    started_at: str
    seconds: float
    cpu_seconds: float
    records: int
    counters: dict[str, int]

    @property
    def window(self) -> tuple[float, float]:
        """Start and end as time.time() values."""
        start = datetime.fromisoformat(self.started_at)
        start = start if start.tzinfo is not None else start.replace(tzinfo=UTC)
        return start.timestamp(), start.timestamp() + self.seconds


def read_case_run(case: Path) -> tuple[dict[str, object], list[StepRow]]:
    """The last run's summary and its run_steps rows ({} and [] when absent)."""
    if not case.exists():
        return {}, []
    try:
        with sqlite3.connect(f"file:{case}?mode=ro", uri=True) as db:
            found = db.execute("SELECT id, summary FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            if found is None:
                return {}, []
            summary = json.loads(found[1]) if found[1] else {}
            return summary, read_steps(db, int(found[0]))
    except sqlite3.Error as error:
        print(f"pipeline: could not read {case}: {error}", file=sys.stderr)
        return {}, []


def read_steps(db: sqlite3.Connection, run_id: int) -> list[StepRow]:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_steps'").fetchone() is None:
        return []
    rows = db.execute(
        "SELECT ordinal, step, started_at, seconds, cpu_seconds, records, counters FROM run_steps "
        "WHERE run_id = ? ORDER BY ordinal",
        (run_id,),
    )
    return [
        StepRow(int(o), str(s), str(at), float(sec), float(cpu), int(n), json.loads(c) if c else {})
        for o, s, at, sec, cpu, n, c in rows
    ]


def with_samples(row: StepRow, samples: Sequence[Sample]) -> StepFigures:
    """The step with its peak sampled RSS and its sampled CPU use: each
    interval between two samples counts for the step holding its midpoint."""
    start, end = row.window
    rss = [s.rss_bytes for s in samples if start <= s.at < end]
    cpu = wall = 0.0
    for before, after in pairwise(samples):
        if start <= (before.at + after.at) / 2 < end:
            cpu += after.cpu_seconds - before.cpu_seconds
            wall += after.at - before.at
    return StepFigures(
        row.ordinal, row.step, row.started_at, row.seconds, row.cpu_seconds, row.records, row.counters,
        samples=len(rss), sampled_cpu_percent=round(100 * cpu / wall, 1) if wall else None,
        peak_rss_mb=round(max(rss) / 2**20, 1) if rss else None,
    )


# --- inputs -------------------------------------------------------------------------------------


def corpus_pages(corpus: Path) -> list[Path]:
    """The corpus's HTML pages by story id."""
    pages = sorted((corpus / "html").glob("*.html"), key=lambda p: int(p.stem))
    if not pages:
        raise SystemExit(f"no pages in {corpus}/html: run bench/reuters_corpus.py first")
    return pages


def copy_pages(pages: Sequence[Path], folder: Path) -> Path:
    """Copy pages (keeping their mtimes) into a new folder; return it."""
    folder.mkdir(parents=True)
    for page in pages:
        shutil.copy2(page, folder / page.name)
    return folder


def page_note(pages: int, limit: int | None) -> str:
    if limit is not None:
        return f"--limit {limit}: {pages:,} pages. The targets are for all {REUTERS_PAGES:,} pages: not judged."
    if pages != REUTERS_PAGES:
        return f"{pages:,} pages, not the {REUTERS_PAGES:,} bench/reuters_corpus.py writes: targets not judged."
    return f"all {pages:,} Reuters pages."


# --- report -------------------------------------------------------------------------------------


def verdict(ok: bool, judged: bool) -> str:
    return ("pass" if ok else "**fail**") if judged else "not judged"


def run_table(results: Sequence[RunResult], judged: bool) -> str:
    lines = [
        "| run | extractor | workers | exit | documents | segments | statements | wall s | CPU s | CPU % "
        "| peak RSS MB | time target | time | CPU target | CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for r in results:
        target = TARGET_SECONDS.get(r.extractor)
        time_ok = target is not None and r.exit_code == 0 and r.wall_seconds <= target
        cpu_ok = r.exit_code == 0 and r.cpu_percent >= TARGET_CPU_PERCENT
        lines.append(
            f"| {r.label} | {r.extractor} | {r.workers or 'default'} | {r.exit_code} | {_count(r, 'documents')} "
            f"| {_count(r, 'segments')} | {_count(r, 'statements')} | {r.wall_seconds:,.1f} | {r.cpu_seconds:,.1f} "
            f"| {r.cpu_percent:.0f} | {r.peak_rss_mb:,.0f} | ≤ {target or 0:.0f} s | {verdict(time_ok, judged)} "
            f"| ≥ {TARGET_CPU_PERCENT:.0f}% | {verdict(cpu_ok, judged)} |"
        )
    return "\n".join(lines)


def _count(result: RunResult, key: str) -> str:
    value = result.summary.get(key)
    return f"{value:,}" if isinstance(value, int) else "?"


def step_table(result: RunResult) -> str:
    if not result.steps:
        return f"{result.label}: no per-step figures in this case (its run_steps table has no rows for the run)."
    lines = [
        f"{result.label}, per step (runner's figures from run_steps; sampled from /proc in each step's window):",
        "",
        "| # | step | records | wall s | CPU s | CPU % | CPU % sampled | peak RSS MB | samples | counters |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in result.steps:
        counters = ", ".join(f"{k} {v:,}" for k, v in s.counters.items())
        lines.append(
            f"| {s.ordinal} | {s.step} | {s.records:,} | {s.seconds:,.2f} | {s.cpu_seconds:,.2f} | {s.cpu_percent:.0f} "
            f"| {_maybe(s.sampled_cpu_percent, '.0f')} | {_maybe(s.peak_rss_mb, ',.0f')} | {s.samples} | {counters} |"
        )
    covered = sum(s.seconds for s in result.steps)
    lines.append(f"\nSteps cover {covered:,.1f} s of the {result.wall_seconds:,.1f} s run (the rest: start-up, exit).")
    return "\n".join(lines)


def _maybe(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def environment() -> dict[str, object]:
    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()}


def write_json(path: Path, argv: Sequence[str], results: Sequence[RunResult], extra: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": " ".join([Path(sys.argv[0]).name, *argv]),
        "environment": environment(),
        **extra,
        "results": [asdict(r) | {"cpu_percent": round(r.cpu_percent, 1)} for r in results],
    }
    path.write_text(json.dumps(report, indent=2))


# --- driver -------------------------------------------------------------------------------------


def run_all(corpus: Path, extractors: Sequence[str], workers: int | None, limit: int | None) -> tuple[list[RunResult], int]:
    """One run per extractor, each into a fresh case; and how many pages were used."""
    pages = corpus_pages(corpus)[:limit] if limit is not None else corpus_pages(corpus)
    results = []
    with tempfile.TemporaryDirectory(prefix="st-pipeline-") as tmp:
        folder = copy_pages(pages, Path(tmp) / "html") if limit is not None else corpus / "html"
        for extractor in extractors:
            case = Path(tmp) / f"{extractor}.case"
            result = measure_run(f"{len(pages):,} pages", [folder], case, extractor, workers)
            print(f"{extractor}: exit {result.exit_code} in {result.wall_seconds:.1f} s, "
                  f"CPU {result.cpu_percent:.0f}%, peak RSS {result.peak_rss_mb:,.0f} MB", file=sys.stderr)
            if result.exit_code:
                print(f"{extractor}: the run failed:\n{result.errors}", file=sys.stderr)
            results.append(result)
    return results, len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS,
                        help=f"OUTDIR of bench/reuters_corpus.py (default: {DEFAULT_CORPUS})")
    parser.add_argument("--extractor", choices=EXTRACTORS, action="append", help="default: both, one after the other")
    parser.add_argument("--workers", type=int, default=None, help="default: sourcetrace's own (all cores)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages (smoke tests)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default: {DEFAULT_JSON}")
    args = parser.parse_args(argv)
    argv = argv if argv is not None else sys.argv[1:]

    results, pages = run_all(args.corpus, args.extractor or EXTRACTORS, args.workers, args.limit)
    judged = args.limit is None and pages == REUTERS_PAGES
    print(f"Pipeline: {page_note(pages, args.limit)} {os.cpu_count()} cores.\n")
    print(run_table(results, judged))
    for result in results:
        print()
        print(step_table(result))
    write_json(args.json, argv, results, {"pages": pages, "judged": judged})
    return 0 if all(r.exit_code == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
