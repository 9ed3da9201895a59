"""The app's slowest reads, one at a time, with the read index attached and without it.

    python bench/read_queries.py --case /tmp/app-load.case [--repeats 3]

For a large case (bench/app_load.py --make-case 100000 builds one): the
milliseconds of each query through CaseReader, the median of --repeats, on a
reader with the read index attached (store/read_index.py, as the app has it)
and on one without (the case's own SQL: the timeline sorted and counted per
page, browsing filtered over the case's tables; search has no path without
the index). Also the seconds to build the index. Prints a table and writes
bench/out/read_queries.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sourcetrace.store import CaseReader  # noqa: E402
from sourcetrace.views import EVENT_KINDS, SegmentFilters  # noqa: E402

OUT = ROOT / "bench" / "out" / "read_queries.json"


def queries(reader: CaseReader, words: list[str], outlet: str) -> dict[str, Callable[[], object]]:
    last = max(1, -(-reader.event_count() // 50))
    found = {
        "overview": reader.overview,
        "sources": reader.sources,
        "timeline page 1": lambda: reader.events_page(1),
        f"timeline page {last // 2:,}": lambda: reader.events_page(last // 2),
        f"timeline page {last:,} (the last)": lambda: reader.events_page(last),
        f"timeline of one kind ({EVENT_KINDS[-1]}), page 100": lambda: reader.events_page(100, kind=EVENT_KINDS[-1]),
        "browse by kind (rewrite), page 20": lambda: reader.browse(SegmentFilters(kind="rewrite"), 20),
        f"browse by outlet ({outlet})": lambda: reader.browse(SegmentFilters(outlet=outlet)),
        "families, page 1": lambda: reader.families_page(1),
        "stories, page 1": lambda: reader.stories_page(1),
    }
    for query in words:
        found[f"search {query!r}, page 1"] = lambda q=query: reader.search(q, SegmentFilters(), 1)  # type: ignore[misc]
        found[f"search {query!r}, page 5"] = lambda q=query: reader.search(q, SegmentFilters(), 5)  # type: ignore[misc]
        found[f"search {query!r} with outlet"] = lambda q=query: reader.search(q, SegmentFilters(outlet=outlet), 1)  # type: ignore[misc]
    return found


def timed(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=Path("/tmp/app-load.case"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--words", nargs="*", default=["minister", "said minister", "tribunal wildfire vaccine"])
    parser.add_argument("--outlet", default="harbor ledger")
    args = parser.parse_args()
    with CaseReader(args.case, full_paths=False) as indexed, CaseReader(args.case, full_paths=False) as plain:
        started = time.perf_counter()
        index = indexed.build_read_index()
        build_s = time.perf_counter() - started
        try:
            indexed.attach_read_index(index)
            with_index = {name: timed(work, args.repeats) for name, work in queries(indexed, args.words, args.outlet).items()}
            without = {name: timed(work, args.repeats) for name, work in queries(plain, [], args.outlet).items()}
        finally:
            index.remove()
    print(f"read index built in {build_s:.1f} s\n")
    print("| query | with the read index, ms | without, ms |\n|---|---:|---:|")
    for name, ms in with_index.items():
        other = f"{without[name]:,.1f}" if name in without else "–"
        print(f"| {name} | {ms:,.1f} | {other} |")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"case": str(args.case), "build_s": round(build_s, 2), "with_index_ms": with_index,
                               "without_index_ms": without}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
