"""The Spark engine keeps the engine contract, and a case built on Spark
equals the case the local engine builds from the same inputs.

One Spark session (``local[2]``) serves the whole module: starting one costs
seconds."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sourcetrace.cli import cli, read_claims_file
from sourcetrace.engines import LocalEngine, SparkUnavailableError, start_engine
from sourcetrace.engines import spark as spark_engine
from sourcetrace.engines.contract import MapStep
from sourcetrace.engines.spark import SparkEngine, start_spark, with_task_retries
from sourcetrace.runner import RunOptions, demo_claims_path, demo_corpus_path, run_case
from tests.test_incremental import exported

from .synthetic_news import write_corpus


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    # The test steps below live in this module, which Spark's Python workers
    # must import to unpickle them (sourcetrace's own steps are installed).
    tests = str(Path(__file__).resolve().parents[1])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (tests, before) if p)
    context = start_spark("local[2]", "sourcetrace-tests")
    yield context
    context.stop()
    if before is None:
        del os.environ["PYTHONPATH"]
    else:
        os.environ["PYTHONPATH"] = before


@pytest.fixture
def engine(spark: Any) -> SparkEngine:
    return SparkEngine(context=spark)


class Tripled(MapStep[int, int]):
    name = "tripled"

    def process(self, record: int) -> int:
        self.stats["odd" if record % 2 else "even"] += 1
        return record * 3


def test_map_results_come_back_in_input_order_with_every_workers_counters(engine: SparkEngine) -> None:
    engine.begin_step("tripled")
    assert list(engine.map(Tripled(), range(1_001), chunksize=3)) == [n * 3 for n in range(1_001)]
    report = engine.end_step()
    assert report.records == 1_001
    assert report.counters == {"odd": 500, "even": 501}
    assert engine.workers == 2


def test_map_streams_the_input_in_jobs_instead_of_reading_it_all(engine: SparkEngine) -> None:
    consumed: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(100_000):
            consumed.append(n)
            yield n

    results = engine.map(Tripled(), numbers(), chunksize=1)
    assert next(results) == 0
    assert len(consumed) < 1_000  # one job's records, not the corpus
    results.close()  # type: ignore[attr-defined]


def test_an_empty_input_maps_to_nothing(engine: SparkEngine) -> None:
    assert list(engine.map(Tripled(), [])) == []
    assert list(engine.group_by_key([])) == []
    assert list(engine.join([], [(1, "a")])) == []


def test_group_by_key_and_join_keep_the_local_engines_order(
    engine: SparkEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spark_engine, "RECORDS_PER_SHUFFLE_PARTITION", 16)  # several partitions, as at scale
    pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)] * 40
    assert list(engine.group_by_key(pairs)) == list(LocalEngine(workers=1).group_by_key(pairs))
    left = [(n % 7, f"L{n}") for n in range(60)]
    right = [(n % 5, f"R{n}") for n in range(30)]
    assert list(engine.join(left, right)) == list(LocalEngine(workers=1).join(left, right))


class DiesOnceOnFive(MapStep[int, int]):
    """Kills its own Python worker the first time it meets 5, as an executor
    lost mid-task would be: ``marker`` records that it happened."""

    name = "dies-once"

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def process(self, record: int) -> int:
        if record == 5 and not os.path.exists(self.marker):
            Path(self.marker).write_text("killed", encoding="utf-8")
            os._exit(1)
        return record + 1


def test_a_task_whose_worker_was_killed_is_retried_and_nothing_is_lost(engine: SparkEngine, tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    assert list(engine.map(DiesOnceOnFive(str(marker)), range(40), chunksize=2)) == list(range(1, 41))
    assert marker.exists()  # the worker did die once


def test_local_masters_get_task_retries_and_cluster_masters_are_left_as_given() -> None:
    assert with_task_retries("local[2]") == "local[2,4]"
    assert with_task_retries("local[*]") == "local[*,4]"
    assert with_task_retries("local") == "local[1,4]"
    assert with_task_retries("local[2,7]") == "local[2,7]"
    assert with_task_retries("spark://head:7077") == "spark://head:7077"
    assert with_task_retries("yarn") == "yarn"


def test_without_pyspark_the_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(SparkUnavailableError, match=r"pip install 'sourcetrace\[spark\]'"):
        start_engine("spark")


def test_master_is_refused_without_the_spark_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--case", str(tmp_path / "c.case"), "--master", "local[2]"])
    assert result.exit_code == 2
    assert "--master is for --engine spark" in result.output
    assert not (tmp_path / "c.case").exists()


def _both_engines(inputs: list[Path], tmp_path: Path, options: RunOptions, spark: Any) -> tuple[dict[str, Any], ...]:
    run_case(inputs, tmp_path / "local.case", options, engine=LocalEngine(2))
    with SparkEngine(context=spark) as engine:
        run_case(inputs, tmp_path / "spark.case", options, engine=engine)
    return exported(tmp_path / "local.case"), exported(tmp_path / "spark.case")


def test_the_demo_case_built_on_spark_equals_the_local_one(tmp_path: Path, spark: Any) -> None:
    demo, claims = demo_corpus_path(), demo_claims_path()
    assert demo is not None and claims is not None
    options = RunOptions(claims=tuple(read_claims_file(claims)), find_claims=True)
    local, on_spark = _both_engines([demo], tmp_path, options, spark)
    assert local["families"] and local["statements"]  # the comparison is about something
    assert any(claim["positions"] for claim in local["claims"])
    assert on_spark == local


def test_a_generated_case_of_2000_documents_built_on_spark_equals_the_local_one(tmp_path: Path, spark: Any) -> None:
    assert write_corpus(tmp_path / "corpus", 2_000) >= 2_000
    local, on_spark = _both_engines([tmp_path / "corpus"], tmp_path, RunOptions(), spark)
    assert len(local["documents"]) >= 2_000
    assert len(local["families"]) > 100 and any(o["altered"] for s in local["statements"] for o in s["occurrences"])
    assert on_spark == local


def test_a_case_extended_on_spark_equals_the_case_built_at_once_locally(tmp_path: Path, spark: Any) -> None:
    write_corpus(tmp_path / "corpus", 600, seed=8)
    first, second = tmp_path / "corpus" / "feeds", tmp_path / "corpus" / "pages"
    (second / "damaged.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Kids [1 0 R] >>\n")  # bad data: a recorded problem
    run_case([first, second], tmp_path / "at-once.case", RunOptions(), engine=LocalEngine(2))
    with SparkEngine(context=spark) as engine:
        run_case([first], tmp_path / "extended.case", RunOptions(), engine=engine)
        added = run_case([first, second], tmp_path / "extended.case", RunOptions(), engine=engine)
    assert added.skipped_inputs > 0 and added.inputs > 0  # the second run read only the new inputs
    assert added.problems  # the damaged file is recorded, the run completed
    extended, at_once = exported(tmp_path / "extended.case"), exported(tmp_path / "at-once.case")
    assert extended["problems"] and extended["families"]
    assert extended == at_once
