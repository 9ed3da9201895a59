"""Coverage-guided fuzzing of every reader, extraction, segmentation, statement
extraction and the JSON export round trip (issue 15, point 1), with atheris.

    pip install atheris
    python bench/fuzz.py [TARGET...] [--runs 1000000] [--hours H] [--keep | --keep-only]

The targets are tests/fuzz/targets.py (what each one promises is written
there). Each target runs in its own process, from its kept corpus
(tests/fuzz/corpus/TARGET) and its seeds (tests/fuzz/seeds.py), until it has
made ``--runs`` executions or spent its share of ``--hours``. An input that
breaks a promise is saved in bench/out/fuzz/TARGET/crashes with its traceback
and the fuzzing goes on; an input that hangs or exhausts memory stops the
process, is saved as well, and the process is started again.

With ``--keep`` the corpus is minimised (libFuzzer's -merge) into
tests/fuzz/corpus/TARGET, at most KEEP_PER_TARGET inputs, and every crash is
added there too: tests/fuzz/test_corpus.py replays them all in CI.

Prints one row per target (executions, seconds, executions per second,
crashes) and writes bench/out/fuzz.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.fuzz

from tests.fuzz.targets import CORPUS, MAX_INPUT_BYTES, TARGETS  # noqa: E402

OUT = ROOT / "bench" / "out" / "fuzz"
KEEP_PER_TARGET = 120  # kept inputs per target: CI replays them all in about a minute
FINDINGS_PER_KIND = 5  # kept crashes per kind of fault (the last line of the traceback, numbers aside)
HANG_SECONDS = 60  # libFuzzer's -timeout: one input this slow is a hang, saved as a crash
RSS_LIMIT_MB = 6144
EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
DONE = re.compile(r"^Done (\d+) (?:runs )?in", re.MULTILINE)


@dataclass(slots=True)
class TargetResult:
    target: str
    executions: int = 0
    seconds: float = 0.0
    crashes: int = 0  # inputs saved in crashes/ (broken promises, hangs, memory)
    slow: int = 0  # inputs that took over libFuzzer's 10 s report threshold (kept, not crashes)
    restarts: int = 0  # processes stopped by a hang or the memory limit

    @property
    def per_second(self) -> float:
        return self.executions / self.seconds if self.seconds else 0.0


def fuzz(target: str, runs: int, seconds: float) -> TargetResult:
    """Run one target's fuzzer processes until ``runs`` executions or ``seconds``."""
    corpus, crashes = _folders(target)
    result = TargetResult(target)
    started = time.monotonic()
    processes = 0
    while result.executions < runs and (left := seconds - (time.monotonic() - started)) > 5:
        arguments = [str(corpus), f"-atheris_runs={runs - result.executions + 1}", f"-max_len={MAX_INPUT_BYTES}",
                     f"-max_total_time={int(left)}", f"-timeout={HANG_SECONDS}", f"-rss_limit_mb={RSS_LIMIT_MB}",
                     f"-artifact_prefix={crashes}/", "-print_final_stats=1", "-print_pcs=0"]
        done = _worker(target, arguments, OUT / target / f"log-{processes}.txt")
        processes += 1
        result.executions += done.executions
        if done.stopped_early:
            result.restarts += 1
    result.seconds = time.monotonic() - started
    result.crashes = len(_findings(crashes))
    result.slow = sum(1 for path in crashes.iterdir() if path.name.startswith("slow-unit-"))
    return result


def _findings(crashes: Path) -> list[Path]:
    """Inputs that broke a promise (crash-, with a .txt traceback), hung (timeout-) or exhausted memory (oom-)."""
    return sorted(path for path in crashes.iterdir()
                  if path.name.startswith(("crash-", "timeout-", "oom-")) and not path.name.endswith(".txt"))


@dataclass(frozen=True, slots=True)
class _WorkerRun:
    executions: int
    stopped_early: bool


TARGET_VARIABLE = "SOURCETRACE_FUZZ_TARGET"  # set: this process is a fuzzer of that target


def _worker(target: str, arguments: list[str], log: Path) -> _WorkerRun:
    # The target goes by the environment: libFuzzer's -merge starts the same command
    # again with its own arguments, and would take any other argument for a corpus folder.
    command = [sys.executable, __file__, *arguments]
    with open(log, "w") as out:
        finished = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False, cwd=ROOT,
                                  env={**os.environ, TARGET_VARIABLE: target})
    text = log.read_text(errors="replace")
    # The final stats when libFuzzer ends on its own; "Done N in" when atheris_runs ends it.
    executed = sum(int(n) for n in EXECUTED.findall(text) or DONE.findall(text))
    return _WorkerRun(executed, finished.returncode != 0)


def _folders(target: str) -> tuple[Path, Path]:
    """The working corpus (kept inputs and seeds) and the crash folder of a target."""
    from tests.fuzz.seeds import seeds

    corpus, crashes = OUT / target / "corpus", OUT / target / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    kept = CORPUS / target
    for path in sorted(kept.iterdir()) if kept.is_dir() else []:
        shutil.copyfile(path, corpus / path.name)
    for seed in seeds(target):
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)
    return corpus, crashes


def keep(target: str) -> int:
    """Minimise the working corpus into tests/fuzz/corpus/TARGET, crashes included."""
    corpus, crashes = OUT / target / "corpus", OUT / target / "crashes"
    merged = OUT / target / "merged"
    shutil.rmtree(merged, ignore_errors=True)
    merged.mkdir()
    _worker(target, [str(merged), str(corpus), "-merge=1", f"-max_len={MAX_INPUT_BYTES}"], OUT / target / "merge.txt")
    kept = CORPUS / target
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    chosen = sorted(merged.iterdir(), key=lambda path: (path.stat().st_size, path.name))[:KEEP_PER_TARGET]
    for path in chosen:
        shutil.copyfile(path, kept / path.name)
    for path in _kept_findings(crashes):
        shutil.copyfile(path, kept / f"crash-{hashlib.sha1(path.read_bytes()).hexdigest()}")
    return len(list(kept.iterdir()))


def _kept_findings(crashes: Path) -> list[Path]:
    """The smallest few findings of each kind: the same fault found a hundred times is kept a few times."""
    by_kind: dict[str, list[Path]] = {}
    for path in _findings(crashes):
        trace = path.with_name(path.name + ".txt")
        last = trace.read_text(errors="replace").strip().splitlines()[-1] if trace.is_file() else path.name.split("-")[0]
        by_kind.setdefault(re.sub(r"\d+", "N", last), []).append(path)
    return [path for paths in by_kind.values()
            for path in sorted(paths, key=lambda p: (p.stat().st_size, p.name))[:FINDINGS_PER_KIND]]


# --- inside a fuzzer process ------------------------------------------------------------


def run_worker(target_name: str, libfuzzer_arguments: list[str]) -> None:
    import atheris  # type: ignore[import-not-found]

    target = TARGETS[target_name]
    crashes = OUT / target_name / "crashes"
    with atheris.instrument_imports(include=list(target.instrumented)):
        # Everything the target reaches is first imported here, so that it is instrumented.
        from tests.fuzz.seeds import seeds

        for seed in seeds(target_name):  # imports, inside the block, everything the target reaches
            _attempt(target.run, seed, crashes)

    def one_input(data: bytes) -> None:
        _attempt(target.run, data, crashes)

    # libFuzzer runs its merge children through the shell from argv[0]: the interpreter and this script.
    atheris.Setup([f"{sys.executable} {Path(__file__).resolve()}", *libfuzzer_arguments], one_input)
    atheris.Fuzz()


def _attempt(run: Callable[[bytes], None], data: bytes, crashes: Path) -> None:
    """Run the target; a broken promise is saved, and the fuzzing goes on."""
    try:
        run(data)
    except Exception:  # noqa: BLE001 - every exception is a finding
        name = f"crash-{hashlib.sha1(data).hexdigest()}"
        if not (crashes / name).exists():
            (crashes / name).write_bytes(data)
            (crashes / f"{name}.txt").write_text(traceback.format_exc())


def main() -> None:
    if target := os.environ.get(TARGET_VARIABLE):
        run_worker(target, sys.argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"default: all of {', '.join(TARGETS)}")
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--hours", type=float, default=24.0, help="time for all the targets together")
    parser.add_argument("--keep", action="store_true", help="keep the minimised corpus and crashes in tests/fuzz/corpus")
    parser.add_argument("--keep-only", action="store_true", help="keep what earlier runs found, without fuzzing")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fuzz.json")
    options = parser.parse_args()
    if unknown := set(options.targets) - set(TARGETS):
        parser.error(f"no such target: {', '.join(sorted(unknown))}")
    options.targets = options.targets or list(TARGETS)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if options.keep_only:
        for target in options.targets:
            print(f"{target:14} kept {keep(target)}", flush=True)
        return
    results = []
    for target in options.targets:
        result = fuzz(target, options.runs, options.hours * 3600 / len(options.targets))
        kept = keep(target) if options.keep else None
        results.append(result)
        print(f"{target:14} {result.executions:>10,} runs {result.seconds:>8.0f} s {result.per_second:>8.0f}/s "
              f"{result.crashes:>4} crashes {result.slow:>3} slow {result.restarts:>3} restarts" + (f"  kept {kept}" if kept else ""),
              flush=True)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps([asdict(r) | {"per_second": r.per_second} for r in results], indent=2) + "\n")


if __name__ == "__main__":
    main()
