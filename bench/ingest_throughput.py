"""Ingest throughput of sourcetrace over the Reuters pages: documents/s and
MB/s of input, for a folder of HTML files and for one WARC holding the same
pages, with each extractor.

    python bench/reuters_corpus.py ../shared/corpora/reuters21578 bench/out/reuters
    python bench/ingest_throughput.py bench/out/reuters [--workers 2] [--limit N]

Prints a Markdown table and writes bench/out/ingest.json. Each run ingests
into a fresh case file in a temporary folder. MB/s counts input bytes as
stored: the WARC is gzipped, so its MB/s is not comparable with the folder's;
documents/s is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

EXTRACTORS = ("trafilatura", "resiliparse")
DEFAULT_JSON = Path(__file__).parent / "out" / "ingest.json"


@dataclass(frozen=True, slots=True)
class ThroughputResult:
    """One ingest run: which input, which extractor, and how fast it went."""

    input_kind: str  # "html-folder" or "warc"
    extractor: str
    workers: int
    limit: int | None
    inputs: int
    documents: int
    segments: int
    problems: dict[str, int]
    seconds: float  # as reported by run_case
    wall_seconds: float  # around the run_case call, as measured here
    input_bytes: int

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.input_bytes / 1e6 / self.seconds if self.seconds else 0.0


def html_inputs(corpus_dir: Path, limit: int | None) -> list[str]:
    """The HTML folder itself, or its first ``limit`` pages by story id."""
    html_dir = corpus_dir / "html"
    if limit is None:
        return [str(html_dir)]
    pages = sorted(html_dir.glob("*.html"), key=lambda p: int(p.stem))
    return [str(p) for p in pages[:limit]]


def warc_input(corpus_dir: Path, limit: int | None, scratch: Path) -> str:
    """The WARC itself, or a copy cut after its first ``limit`` responses.

    Records are separate gzip members, so a byte prefix ending at a record
    boundary is a valid WARC."""
    warc = corpus_dir / "reuters.warc.gz"
    if limit is None:
        return str(warc)
    end = _offset_after_responses(warc, limit)
    cut = scratch / f"reuters-first-{limit}.warc.gz"
    with open(warc, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(end))
    return str(cut)


def _offset_after_responses(warc: Path, count: int) -> int:
    seen = 0
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream, parse_http=False):
            if seen == count:
                return record.stream_pos
            if record.record_type == WarcRecordType.response:
                seen += 1
    return warc.stat().st_size


def measure(inputs: list[str], input_kind: str, extractor: str, workers: int, limit: int | None) -> ThroughputResult:
    """Run one ingest into a fresh case and time it."""
    from sourcetrace.api import RunOptions, run_case  # imported late: --help works without it

    with tempfile.TemporaryDirectory(prefix="st-ingest-") as tmp:
        case_path = str(Path(tmp) / "bench.case")
        started = time.perf_counter()
        summary = run_case(inputs, case_path, RunOptions(workers=workers, extractor=extractor))
        wall = time.perf_counter() - started
    return ThroughputResult(
        input_kind=input_kind,
        extractor=extractor,
        workers=workers,
        limit=limit,
        inputs=summary.inputs,
        documents=summary.documents,
        segments=summary.segments,
        problems=dict(summary.problems),
        seconds=summary.seconds,
        wall_seconds=wall,
        input_bytes=summary.input_bytes,
    )


def markdown_table(results: list[ThroughputResult]) -> str:
    lines = [
        "| input | extractor | workers | limit | documents | segments | problems | seconds | docs/s | input MB | MB/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.input_kind} | {r.extractor} | {r.workers} | {r.limit or 'all'} | {r.documents} "
            f"| {r.segments} | {sum(r.problems.values())} | {r.seconds:.1f} | {r.docs_per_second:.1f} "
            f"| {r.input_bytes / 1e6:.1f} | {r.mb_per_second:.2f} |"
        )
    return "\n".join(lines)


def environment() -> dict[str, object]:
    packages = ("sourcetrace", "trafilatura", "resiliparse", "fastwarc", "warcio")
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "versions": {name: _version_or_none(name) for name in packages},
    }


def _version_or_none(package: str) -> str | None:
    try:
        return version(package)
    except Exception:  # noqa: BLE001 - not installed, or broken metadata: record the gap rather than fail the benchmark
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="OUTDIR of bench/reuters_corpus.py (html/ and reuters.warc.gz)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="ingest only the first N pages")
    parser.add_argument("--extractor", choices=EXTRACTORS, action="append", help="default: both")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default: {DEFAULT_JSON}")
    args = parser.parse_args(argv)

    results: list[ThroughputResult] = []
    with tempfile.TemporaryDirectory(prefix="st-ingest-input-") as scratch:
        runs = [
            ("html-folder", html_inputs(args.corpus, args.limit)),
            ("warc", [warc_input(args.corpus, args.limit, Path(scratch))]),
        ]
        for extractor in args.extractor or EXTRACTORS:
            for kind, inputs in runs:
                result = measure(inputs, kind, extractor, args.workers, args.limit)
                print(f"{kind} / {extractor}: {result.documents} documents in {result.seconds:.1f} s", file=sys.stderr)
                results.append(result)

    print(markdown_table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
        "environment": environment(),
        "results": [asdict(r) | {"docs_per_second": r.docs_per_second, "mb_per_second": r.mb_per_second} for r in results],
    }
    args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
