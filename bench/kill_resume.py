"""Kill ``sourcetrace run`` with SIGKILL at N random points and check that each
killed case opens, that ``status`` says the run was killed, and that the next
run completes it to the export of a run never killed (issue 15, point 2).

    python bench/kill_resume.py [--documents 20000] [--kills 50] [--seed 15] [--workers N]

Writes about M invented news pages (tests/engines/synthetic_news.py) and a
claims file in their phrasing, in a temporary folder, and builds the case once
uninterrupted (its export is the reference; its run_steps give each step's
time). Each kill then builds a fresh case: kill k aims at step k of a seeded
shuffle of the steps (repeated as often as needed, so kills spread over all
of them, the short ones included), waits until the run has recorded the steps
before it, then a random share of that step's uninterrupted time, and kills
the run's process group (workers too). The step a kill landed in is the first
one the case has not recorded. Then:

- opens: ``sourcetrace status`` exits 0 and the writer opens the case;
- truthful: status says ``killed`` and lists exactly the steps the case recorded;
- equal: after one more uninterrupted run, the export equals the reference,
  run metadata aside (as in tests/test_incremental.py).

Prints one row per kill and writes bench/out/kill_resume.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.engines.synthetic_news, tests.test_incremental

from sourcetrace.runner import RUN_STEPS  # noqa: E402
from sourcetrace.store import CaseStore  # noqa: E402
from sourcetrace.store.case import CaseError  # noqa: E402
from sourcetrace.store.read import CaseReader  # noqa: E402
from tests.engines.synthetic_news import write_corpus  # noqa: E402
from tests.test_incremental import _without_run_metadata  # noqa: E402

OUT = ROOT / "bench" / "out" / "kill_resume.json"
STEP_NAMES = [step.name for step in RUN_STEPS]
CLAIMS = (
    "The council will not reopen the bridge before the winter",
    "The engineers found new faults in the tunnel",
    "The inspectors were never asked about the dam",
)


@dataclass(frozen=True, slots=True)
class KillResult:
    kill: int
    aimed_at: str
    seconds: float  # after the run started
    step: str  # the step it landed in ("finished" when the run ended first)
    opens: bool
    status_truthful: bool
    export_equal: bool


def sourcetrace(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sourcetrace", *arguments]


def run_arguments(corpus: Path, claims: Path, case: Path, workers: int | None) -> list[str]:
    workers_option = ["--workers", str(workers)] if workers else []
    return sourcetrace("run", str(corpus), "--case", str(case), "--claims", str(claims), "--find-claims", "--quiet",
                       *workers_option)


def recorded_steps(case: Path) -> list[tuple[str, float]] | None:
    """The latest run's recorded steps with their seconds, read-only (None before the case has a run)."""
    try:
        with closing(sqlite3.connect(case.resolve().as_uri() + "?mode=ro", uri=True)) as db:
            if db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0:
                return None
            return list(db.execute("SELECT step, seconds FROM run_steps WHERE run_id = (SELECT max(id) FROM runs)"
                                   " ORDER BY ordinal"))
    except sqlite3.OperationalError:  # no file or no tables yet
        return None


def steps_done(case: Path) -> list[str]:
    return [name for name, _ in recorded_steps(case) or []]


def exported(case: Path, out: Path) -> Any:
    subprocess.run(sourcetrace("export", str(case), "--json", str(out)), check=True, capture_output=True)
    return _without_run_metadata(json.loads(out.read_text()))


def kill_at(command: list[str], case: Path, step: str, delay: float) -> tuple[float, str]:
    """Start a run on a fresh case and SIGKILL its process group `delay` s after `step`
    began; seconds after the start, and the step it landed in."""
    started = time.monotonic()
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wanted = STEP_NAMES.index(step)
    while process.poll() is None and ((done := recorded_steps(case)) is None or len(done) < wanted):
        time.sleep(0.02)
    time.sleep(delay)
    if process.poll() is not None:
        return time.monotonic() - started, "finished"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    seconds = time.monotonic() - started
    return seconds, STEP_NAMES[len(steps_done(case))]


def case_opens(case: Path) -> bool:
    shown = subprocess.run(sourcetrace("status", str(case)), capture_output=True, text=True)
    try:
        CaseStore(case, create=False).close()
    except CaseError:
        return False
    return shown.returncode == 0


def status_truthful(case: Path, landed: str) -> bool:
    """Status says the run was killed (or finished, when it was) and lists just the steps recorded."""
    shown = subprocess.run(sourcetrace("status", str(case)), capture_output=True, text=True,
                           env={**os.environ, "COLUMNS": "200"})
    with CaseReader(case) as reader:
        last = reader.last_run()
    said = "finished" if landed == "finished" else "killed"
    return (last is not None and last.status == said and f": {said}," in shown.stdout
            and [s.step for s in last.steps] == steps_done(case))


def kill_targets(kills: int, rng: random.Random) -> list[str]:
    """Kill k aims at step k of seeded shuffles of all the steps, one shuffle after another."""
    targets: list[str] = []
    while len(targets) < kills:
        targets += rng.sample(STEP_NAMES, len(STEP_NAMES))
    return targets[:kills]


def one_kill(number: int, step: str, step_seconds: float, setup: dict[str, Any], rng: random.Random) -> KillResult:
    case = setup["work"] / f"kill{number}.case"
    command = run_arguments(setup["corpus"], setup["claims"], case, setup["workers"])
    seconds, landed = kill_at(command, case, step, rng.uniform(0, step_seconds))
    opens = case_opens(case)
    truthful = opens and status_truthful(case, landed)
    equal = False
    if opens:
        subprocess.run(command, check=True, capture_output=True)
        equal = exported(case, setup["work"] / f"kill{number}.json") == setup["expected"]
    for leftover in setup["work"].glob(f"kill{number}.*"):
        leftover.unlink()
    return KillResult(number, step, round(seconds, 2), landed, opens, truthful, equal)


def summary(results: list[KillResult]) -> dict[str, Any]:
    return {"done": len(results),
            "steps_hit": [s for s in (*STEP_NAMES, "finished") if any(r.step == s for r in results)],
            "all_ok": all(r.opens and r.status_truthful and r.export_equal for r in results),
            "results": [asdict(r) for r in results]}


def print_row(result: KillResult) -> None:
    marks = ["yes" if ok else "NO" for ok in (result.opens, result.status_truthful, result.export_equal)]
    print(f"{result.kill:>4}  {result.seconds:>8.1f}  {result.aimed_at:<12} {result.step:<12} "
          f"{marks[0]:<6} {marks[1]:<9} {marks[2]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kill_resume-") as folder:
        work = Path(folder)
        documents = write_corpus(work / "corpus", args.documents, seed=args.seed)
        (work / "claims.txt").write_text("\n".join(CLAIMS) + "\n")
        started = time.monotonic()
        whole = work / "whole.case"
        subprocess.run(run_arguments(work / "corpus", work / "claims.txt", whole, args.workers), check=True,
                       capture_output=True)
        uninterrupted = time.monotonic() - started
        step_seconds = dict(recorded_steps(whole) or [])
        setup = {"work": work, "corpus": work / "corpus", "claims": work / "claims.txt", "workers": args.workers,
                 "expected": exported(whole, work / "whole.json")}
        print(f"{documents:,} documents; uninterrupted run {uninterrupted:.1f} s; {args.kills} kills (seed {args.seed})")
        print("kill   seconds  aimed at     landed in    opens  truthful  resumed export equal")
        results: list[KillResult] = []
        for number, step in enumerate(kill_targets(args.kills, rng), start=1):
            results.append(one_kill(number, step, step_seconds[step], setup, rng))
            print_row(results[-1])
            report = {"documents": documents, "kills": args.kills, "seed": args.seed, "workers": args.workers,
                      "uninterrupted_seconds": round(uninterrupted, 1), "step_seconds": step_seconds,
                      **summary(results)}
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(report, indent=2) + "\n")  # after each kill: a long run can be cut
    print(f"steps hit: {', '.join(report['steps_hit'])}; all as required: {report['all_ok']}; wrote {args.out}")


if __name__ == "__main__":
    main()
