"""A run killed with SIGKILL leaves a case that opens, whose status says the
run did not finish, and that the next run completes to the export of a run
never killed (issue 15; bench/kill_resume.py does the same at scale)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.runner import RUN_STEPS
from sourcetrace.store import CaseStore
from sourcetrace.store.case import _migrate, _split_sql
from sourcetrace.store.read import CaseReader
from sourcetrace.store.schema import MIGRATIONS
from tests.engines.synthetic_news import write_corpus
from tests.test_incremental import _without_run_metadata

STEP_NAMES = [step.name for step in RUN_STEPS]
# Claims in the corpus's own phrasing, so the claims and positions steps have work.
CLAIMS = (
    "The council will not reopen the bridge before the winter",
    "The engineers found new faults in the tunnel",
    "The inspectors were never asked about the dam",
)
# Where each kill of the chain lands: once the run has recorded the steps before
# `step` (so `step` has begun), wait `delay` seconds, then kill. Each run resumes
# the one killed before it, so later kills aim at steps no earlier run finished.
KILLS = (("ingest", 0.5), ("verify", 0.2), ("statements", 1.0), ("stories", 0.0), ("claims", 0.0),
         ("positions", 2.0))


def run_command(corpus: Path, claims: Path, case: Path) -> list[str]:
    return [sys.executable, "-m", "sourcetrace", "run", str(corpus), "--case", str(case), "--claims", str(claims),
            "--find-claims", "--workers", "2", "--quiet"]


def exported(case: Path, out: Path) -> Any:
    subprocess.run([sys.executable, "-m", "sourcetrace", "export", str(case), "--json", str(out)], check=True,
                   capture_output=True)
    return _without_run_metadata(json.loads(out.read_text()))


def recorded_steps(case: Path) -> tuple[int, list[str]]:
    """The latest run's id and the steps it recorded as done, read-only (0, [] before any run)."""
    if not case.exists():
        return 0, []
    try:
        with closing(sqlite3.connect(case.resolve().as_uri() + "?mode=ro", uri=True)) as db:
            row = db.execute("SELECT max(id) FROM runs").fetchone()
            run_id = int(row[0] or 0)
            steps = [name for (name,) in db.execute(
                "SELECT step FROM run_steps WHERE run_id = ? ORDER BY ordinal", (run_id,))]
    except sqlite3.OperationalError:  # the case is being created: no tables yet
        return 0, []
    return run_id, steps


def kill_during(command: list[str], case: Path, step: str, delay: float) -> str | None:
    """Start a run, SIGKILL its process group once `step` has begun and `delay` passed;
    the step it was in, as the case records it (the first one not recorded); None
    when the run finished first."""
    before, _ = recorded_steps(case)
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wanted = STEP_NAMES.index(step)
    while process.poll() is None:
        run_id, steps = recorded_steps(case)
        if run_id > before and len(steps) >= wanted:
            break
        time.sleep(0.02)
    time.sleep(delay)
    if process.poll() is not None:  # a busy machine can make a short step end before the kill
        return None
    os.killpg(process.pid, signal.SIGKILL)  # the workers too
    process.wait()
    _, steps = recorded_steps(case)
    return STEP_NAMES[len(steps)]


def assert_status_says_killed(case: Path) -> None:
    """The case opens for reading and writing; status names the run killed and only the steps it finished."""
    shown = subprocess.run([sys.executable, "-m", "sourcetrace", "status", str(case)], capture_output=True,
                           text=True, env={**os.environ, "COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "Last run" in shown.stdout and ": killed," in shown.stdout
    with CaseReader(case) as reader:
        last = reader.last_run()
    assert last is not None and last.status == "killed" and last.finished_at is None
    assert [s.step for s in last.steps] == recorded_steps(case)[1]
    CaseStore(case, create=False).close()  # the writer's checks pass and the killed run's lock is gone


class Killed(BaseException):
    """The process dying: nothing after it runs, and SQLite keeps only what was committed."""


class DiesAtStatement:
    """A connection whose process is killed when it is about to run its ``at``-th statement."""

    def __init__(self, db: sqlite3.Connection, at: int) -> None:
        self.db, self.left = db, at

    def execute(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        self.left -= 1
        if self.left < 0:
            raise Killed
        return self.db.execute(sql, *parameters)

    def __enter__(self) -> DiesAtStatement:
        self.db.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.db.__exit__(*exc)


@pytest.mark.slow  # a hundred cases made
def test_a_new_case_killed_at_any_statement_of_its_creation_opens(tmp_path: Path) -> None:
    statements = sum(len(_split_sql(sql)) + 4 for sql in MIGRATIONS)  # with BEGIN, meta and mark
    for at in range(statements + 1):
        case = tmp_path / f"{at}.case"
        db = sqlite3.connect(case)
        with contextlib.suppress(Killed):  # the last ones run the whole creation
            _migrate(DiesAtStatement(db, at), case)  # type: ignore[arg-type]
        db.close()
        with CaseStore(case, create=False):  # the next run opens it and completes the creation
            pass
        with CaseReader(case) as reader:
            assert reader.last_run() is None


def test_a_run_that_never_recorded_its_end_shows_as_killed_once_no_writer_holds_the_case(tmp_path: Path) -> None:
    case = tmp_path / "c.case"
    store = CaseStore(case)
    first = store.begin_run({})
    with CaseReader(case) as reader:
        running = reader.last_run()
    assert running is not None and running.status == "running"  # its writer still holds the case
    store.close()  # as the kernel closes a killed process's files, without finish_run
    with CaseReader(case) as reader:
        killed = reader.last_run()
    assert killed is not None and killed.id == first and killed.status == "killed"
    shown = CliRunner().invoke(cli, ["status", str(case)])
    assert shown.exit_code == 0 and f"Last run #{first}: killed," in shown.output
    with CaseStore(case) as store:
        store.begin_run({})  # the next run: the killed one is recorded as such
    with closing(sqlite3.connect(case)) as db:
        assert db.execute("SELECT status FROM runs WHERE id = ?", (first,)).fetchone() == ("killed",)


@pytest.mark.slow
def test_a_run_killed_in_each_step_is_completed_by_the_next(tmp_path: Path) -> None:
    corpus, claims = tmp_path / "corpus", tmp_path / "claims.txt"
    write_corpus(corpus, 300, seed=7)
    claims.write_text("\n".join(CLAIMS) + "\n")
    whole = tmp_path / "whole.case"
    subprocess.run(run_command(corpus, claims, whole), check=True, capture_output=True)
    expected = exported(whole, tmp_path / "whole.json")
    assert expected["claims"] and expected["statements"]

    killed = tmp_path / "killed.case"
    landed = []
    for step, delay in KILLS:
        landed.append(kill_during(run_command(corpus, claims, killed), killed, step, delay))
        if landed[-1] is not None:
            assert_status_says_killed(killed)
    print("kills aimed at", [step for step, _ in KILLS], "landed in", landed)
    assert any(step is not None for step in landed)  # where they land depends on the machine's speed
    subprocess.run(run_command(corpus, claims, killed), check=True, capture_output=True)

    assert exported(killed, tmp_path / "killed.json") == expected
    with CaseReader(killed) as reader:
        last = reader.last_run()
    assert last is not None and last.status == "finished"
    with closing(sqlite3.connect(killed.resolve().as_uri() + "?mode=ro", uri=True)) as db:
        statuses = [status for (status,) in db.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["finished" if step is None else "killed" for step in landed] + ["finished"]
