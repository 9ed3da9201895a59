"""The app's JSON routes fuzzed against their OpenAPI description, at length (issue 15, point 6).

    python bench/fuzz_app.py [--examples 1000] [--case demo|hostile|PATH ...] [--seed]

The same fuzzing as tests/web/test_openapi.py (its ``fuzz``: schemathesis
reads /api/openapi.json from the running app, then sends every operation
``--examples`` requests of data that fits the description and as many that
do not, and runs its checks on each answer: no 5xx, a documented status and
content type, a body that fits its schema, invalid data refused, valid data
taken), with many more examples than CI's 30. ``demo`` and ``hostile`` are
tests/web/cases.py's cases, built in a temporary folder; any other value is
the path of a case. Randomised by default (each run tries other data);
``--seed`` makes it repeat CI's derandomised examples.

Prints, per case, the requests sent to each operation as it goes, then the
requests and failures in all, and every failure with a curl command that
repeats it. (schemathesis leaves out /api/openapi.json, the route it read.)
Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.web

from sourcetrace.web.app import make_server  # noqa: E402
from tests.web.cases import build_demo_case, build_hostile_case  # noqa: E402
from tests.web.test_openapi import FuzzReport, fuzz  # noqa: E402


def case_path(name: str, folder: Path) -> Path:
    if name == "demo":
        return build_demo_case(folder)  # folder/demo.case
    if name == "hostile":
        return build_hostile_case(folder)  # folder/hostile.case
    return Path(name)


class Progress:
    """Prints each operation's requests as it finishes, and each failure as it is found."""

    def __init__(self) -> None:
        self.shown = 0

    def __call__(self, label: str, report: FuzzReport) -> None:
        print(f"  {report.per_operation.get(label, 0):6d}  {label}", flush=True)
        for failure in report.failures[self.shown:]:
            print(f"          FAILED {failure}", flush=True)
        self.shown = len(report.failures)


def fuzz_case(case: Path, examples: int, *, derandomize: bool) -> FuzzReport:
    server = make_server(case)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        return fuzz(server.url.rstrip("/"), examples, derandomize=derandomize, progress=Progress())
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="per operation and mode (CI: 30)")
    parser.add_argument("--case", nargs="*", default=["demo", "hostile"], help="demo, hostile, or a case's path")
    parser.add_argument("--seed", action="store_true", help="derandomised, as in CI")
    args = parser.parse_args()
    total = FuzzReport()
    with tempfile.TemporaryDirectory(prefix="fuzz-app-") as folder:
        for name in args.case:
            case = case_path(name, Path(folder))
            print(f"{name} ({case.name}): requests per operation and mode", flush=True)
            started = time.perf_counter()
            report = fuzz_case(case, args.examples, derandomize=args.seed)
            seconds = time.perf_counter() - started
            print(f"{name}: {report.requests} requests, {len(report.failures)} failures, {seconds:.0f} s\n")
            total.merge(report)
    print(f"in all: {total.requests} requests, {len(total.failures)} failures")
    return 1 if total.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
