"""Kill ``sourcetrace run`` with SIGKILL at N random points and check that each
killed case opens, that ``status`` says the run was killed, and that the next
run completes it to the export of a run never killed (issue 15, point 2).

    python bench/kill_resume.py [--documents 20000] [--kills 50] [--chain K] [--seed 15] [--workers N]
                                [--supplied-claims-only] [--work DIR]

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

With ``--chain K`` (default 1) each case takes K kills before the run that
completes it, as tests/test_kill_resume.py does: the kills of a chain aim at
steps in pipeline order, each run resuming the one killed before it, and
"equal" is the chain's final export. A chain costs about one run however many
kills it holds, which is what makes 50 kills of a 20,000-document case fit in
an afternoon; the kills that follow one another in a chain also prove that a
case survives repeated kills, not just one.

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
    chain: int  # the case it was made in; kills of one chain share the final export
    aimed_at: str
    seconds: float  # after the run started
    step: str  # the step it landed in ("finished" when the run ended first)
    opens: bool
    status_truthful: bool
    export_equal: bool


def sourcetrace(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sourcetrace", *arguments]


def run_arguments(corpus: Path, claims: Path, case: Path, workers: int | None, find_claims: bool) -> list[str]:
    workers_option = ["--workers", str(workers)] if workers else []
    finding = ["--find-claims"] if find_claims else []
    return sourcetrace("run", str(corpus), "--case", str(case), "--claims", str(claims), *finding, "--quiet",
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
    """Start a run (on a fresh case, or resuming a killed one) and SIGKILL its process group
    `delay` s after `step` began; seconds after the start, and the step it landed in."""
    before = latest_run(case)
    started = time.monotonic()
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wanted = STEP_NAMES.index(step)
    while process.poll() is None and (latest_run(case) <= before or len(steps_done(case)) < wanted):
        time.sleep(0.02)
    time.sleep(delay)
    if process.poll() is not None:
        return time.monotonic() - started, "finished"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    seconds = time.monotonic() - started
    return seconds, STEP_NAMES[len(steps_done(case))]


def latest_run(case: Path) -> int:
    """The id of the case's latest run, read-only (0 before the case has one)."""
    try:
        with closing(sqlite3.connect(case.resolve().as_uri() + "?mode=ro", uri=True)) as db:
            return int(db.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:  # no file or no tables yet
        return 0


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


def chains_of(targets: list[str], chain: int) -> list[list[str]]:
    """The kill targets in chains of `chain`, each chain's in pipeline order."""
    return [sorted(targets[i:i + chain], key=STEP_NAMES.index) for i in range(0, len(targets), chain)]


def one_chain(number: int, first_kill: int, steps: list[str], setup: dict[str, Any],
              rng: random.Random) -> list[KillResult]:
    """Kill runs of one fresh case at each of `steps` in turn, then complete it and compare."""
    case = setup["work"] / f"chain{number}.case"
    command = run_arguments(setup["corpus"], setup["claims"], case, setup["workers"], setup["find_claims"])
    kills: list[tuple[str, float, str, bool, bool]] = []
    for step in steps:
        seconds, landed = kill_at(command, case, step, rng.uniform(0, setup["step_seconds"][step]))
        opens = case_opens(case)
        kills.append((step, seconds, landed, opens, opens and status_truthful(case, landed)))
        if not opens:
            break
    equal = False
    if all(opens for *_, opens, _ in kills):
        subprocess.run(command, check=True, capture_output=True)
        equal = exported(case, setup["work"] / f"chain{number}.json") == setup["expected"]
    for leftover in setup["work"].glob(f"chain{number}.*"):
        leftover.unlink()
    return [KillResult(first_kill + i, number, step, round(seconds, 2), landed, opens, truthful, equal)
            for i, (step, seconds, landed, opens, truthful) in enumerate(kills)]


def summary(results: list[KillResult]) -> dict[str, Any]:
    return {"done": len(results),
            "steps_hit": [s for s in (*STEP_NAMES, "finished") if any(r.step == s for r in results)],
            "all_ok": all(r.opens and r.status_truthful and r.export_equal for r in results),
            "results": [asdict(r) for r in results]}


def print_row(result: KillResult) -> None:
    marks = ["yes" if ok else "NO" for ok in (result.opens, result.status_truthful, result.export_equal)]
    print(f"{result.kill:>4}  {result.chain:>5}  {result.seconds:>8.1f}  {result.aimed_at:<12} {result.step:<12} "
          f"{marks[0]:<6} {marks[1]:<9} {marks[2]}", flush=True)


def reference_case(work: Path, documents: int, seed: int, workers: int | None, find_claims: bool) -> tuple[int, float]:
    """The corpus and its uninterrupted case in ``work`` (made unless a finished one is
    there, for the same size and seed): documents written, and the run's seconds."""
    made = work / "reference.json"
    asked = [documents, seed, find_claims]
    if made.is_file() and json.loads(made.read_text())["asked"] == asked:
        kept = json.loads(made.read_text())
        return int(kept["documents"]), float(kept["seconds"])
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("whole.case*"):  # made for other arguments, or cut short
        stale.unlink()
    written = write_corpus(work / "corpus", documents, seed=seed)
    (work / "claims.txt").write_text("\n".join(CLAIMS) + "\n")
    started = time.monotonic()
    subprocess.run(run_arguments(work / "corpus", work / "claims.txt", work / "whole.case", workers, find_claims),
                   check=True, capture_output=True)
    seconds = time.monotonic() - started
    made.write_text(json.dumps({"asked": asked, "documents": written, "seconds": seconds}))
    return written, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--chain", type=int, default=1, help="kills per case before the run that completes it")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the corpus and the uninterrupted case here, and reuse them when present")
    parser.add_argument("--supplied-claims-only", action="store_true",
                        help="assess the three supplied claims only, without --find-claims: at 20,000 documents"
                             " finding claims makes the positions step most of the run")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kill_resume-") as folder:
        work = args.work or Path(folder)
        find_claims = not args.supplied_claims_only
        documents, uninterrupted = reference_case(work, args.documents, args.seed, args.workers, find_claims)
        whole = work / "whole.case"
        step_seconds = dict(recorded_steps(whole) or [])
        setup = {"work": work, "corpus": work / "corpus", "claims": work / "claims.txt", "workers": args.workers,
                 "find_claims": find_claims, "expected": exported(whole, work / "whole.json"),
                 "step_seconds": step_seconds}
        print(f"{documents:,} documents; uninterrupted run {uninterrupted:.1f} s; {args.kills} kills in chains of "
              f"{args.chain} (seed {args.seed})")
        print("kill  chain   seconds  aimed at     landed in    opens  truthful  resumed export equal")
        results: list[KillResult] = []
        for number, steps in enumerate(chains_of(kill_targets(args.kills, rng), args.chain), start=1):
            for result in one_chain(number, len(results) + 1, steps, setup, rng):
                results.append(result)
                print_row(result)
            report = {"documents": documents, "kills": args.kills, "chain": args.chain, "seed": args.seed,
                      "find_claims": find_claims,
                      "workers": args.workers, "uninterrupted_seconds": round(uninterrupted, 1),
                      "step_seconds": step_seconds, **summary(results)}
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(report, indent=2) + "\n")  # after each chain: a long run can be cut
    print(f"steps hit: {', '.join(report['steps_hit'])}; all as required: {report['all_ok']}; wrote {args.out}")


if __name__ == "__main__":
    main()
