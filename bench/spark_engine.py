"""The local engine against Spark on the same machine: the same `sourcetrace
run`, on generated corpora of several sizes, step by step.

    python bench/spark_engine.py [--documents 2000 10000 ...] [--master local[2]] [--workers 2]

For each size, writes a corpus with ``tests/engines/synthetic_news.py``
(invented wire stories, copied, excerpted and edited across invented sites;
JSON Lines feeds plus plain-text pages), then runs, one after the other,
``sourcetrace run CORPUS --case C`` with ``--engine local --workers N`` and
with ``--engine spark --master M``, each as a process of its own whose tree is
sampled as ``bench/pipeline.py`` does (CPU, peak memory of the driver process
and of everything under it: worker processes, or Spark's JVM and its Python
workers). It then compares the two cases' exports (equal, run metadata
aside) and prints, per step, the wall seconds of each engine, documents/s
and input MB/s per core, and Spark's time as a multiple of the local
engine's. Writes bench/out/spark_engine.json.

Per core: documents (or MB) / seconds / cores, with cores the local
``--workers`` and the number in the Spark master's brackets.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests" / "engines"))
from incremental import export_case  # noqa: E402
from pipeline import OUT, RunResult, environment, measure_run  # noqa: E402
from synthetic_news import write_corpus  # noqa: E402

DEFAULT_JSON = OUT / "spark_engine.json"


def corpus_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def cores_of(master: str, workers: int) -> int:
    found = re.fullmatch(r"local\[(\d+)(?:,\d+)?\]", master)
    return int(found.group(1)) if found else workers


def step_rows(local: RunResult, spark: RunResult, documents: int, megabytes: float, cores: tuple[int, int]) -> str:
    lines = ["| step | local s | spark s | spark / local | local docs/s/core | spark docs/s/core | "
             "local MB/s/core | spark MB/s/core |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    spark_steps = {step.step: step for step in spark.steps}
    for step in local.steps:
        other = spark_steps.get(step.step)
        if other is None:
            continue
        ratio = f"{other.seconds / step.seconds:.2f}" if step.seconds >= 0.05 else "–"
        rates = [_rate(documents, step.seconds, cores[0]), _rate(documents, other.seconds, cores[1]),
                 _rate(megabytes, step.seconds, cores[0], ".2f"), _rate(megabytes, other.seconds, cores[1], ".2f")]
        lines.append(f"| {step.step} | {step.seconds:.2f} | {other.seconds:.2f} | {ratio} | " + " | ".join(rates) + " |")
    return "\n".join(lines)


def _rate(amount: float, seconds: float, cores: int, spec: str = ".0f") -> str:
    return format(amount / seconds / cores, spec) if seconds >= 0.05 else "–"


@dataclass(frozen=True, slots=True)
class SizeResult:
    """Both engines' runs on one generated corpus."""

    documents: int
    input_bytes: int
    exports_equal: bool
    local: RunResult
    spark: RunResult
    cores: tuple[int, int]  # local workers, Spark cores

    @property
    def failed(self) -> bool:
        return not self.exports_equal or bool(self.local.exit_code or self.spark.exit_code)


def run_size(documents: int, master: str, workers: int, scratch: Path) -> SizeResult:
    corpus = scratch / f"corpus-{documents}"
    written = write_corpus(corpus, documents)
    size = corpus_bytes(corpus)
    local_case, spark_case = scratch / f"local-{documents}.case", scratch / f"spark-{documents}.case"
    local = measure_run("local", [corpus], local_case, "trafilatura", workers, ["--engine", "local"])
    spark = measure_run("spark", [corpus], spark_case, "trafilatura", None, ["--engine", "spark", "--master", master])
    equal = export_case(local_case, scratch / "local.json") == export_case(spark_case, scratch / "spark.json")
    shutil.rmtree(corpus)
    for leftover in (local_case, spark_case, scratch / "local.json", scratch / "spark.json"):
        leftover.unlink()
    return SizeResult(written, size, equal, local, spark, (workers, cores_of(master, workers)))


def report(result: SizeResult) -> str:
    local, spark, megabytes = result.local, result.spark, result.input_bytes / 2**20
    head = (f"### {result.documents:,} documents, {megabytes:.1f} MB\n\n"
            "| engine | exit | wall s | CPU % (sampled) | peak RSS driver | peak RSS workers (+ JVM) |\n|---|---:|---:|---:|---:|---:|\n")
    for label, run in (("local", local), ("spark", spark)):
        head += (f"| {label} | {run.exit_code} | {run.wall_seconds:.1f} | {100 * run.sampled_cpu_seconds / run.wall_seconds:.0f} | "
                 f"{run.peak_driver_rss_mb:.0f} MB | {run.peak_workers_rss_mb:.0f} MB |\n")
    head += f"\nExports equal, run metadata aside: **{result.exports_equal}**. Spark / local wall: " \
            f"{spark.wall_seconds / local.wall_seconds:.2f}.\n\n"
    return head + step_rows(local, spark, result.documents, megabytes, result.cores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="st-spark-bench-") as scratch:
        for documents in args.documents:
            result = run_size(documents, args.master, args.workers, Path(scratch))
            results.append(result)
            print(report(result), "\n", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"command": ["python", *sys.argv], "environment": environment(),
                                     "results": [asdict(r) for r in results]}, indent=1), encoding="utf-8")
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
