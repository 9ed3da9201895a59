"""The web app under load: N concurrent clients for T seconds over its JSON routes, on loopback.

    python bench/app_load.py --make-case 100000 --case /tmp/app-load.case   # build a case first (timed)
    python bench/app_load.py --case /tmp/app-load.case --clients 50 --seconds 60

``--make-case N [--statements M]`` builds a case of N segments, timing each part:
bench/report_speed.py's synthetic case written through CaseStore (documents,
segments, about 20% of them in families of copies), then the sources, dates
and stories steps of ``sourcetrace run`` on it; with ``--statements M``,
also M invented statements written through the store (``add_statements``).
With ``--via-run`` it instead writes about N invented news pages (tests/engines/synthetic_news.py: copies,
quotes, dates) and runs the whole ``sourcetrace run`` on them, which also
gives statements, but takes about a minute per 1,000 pages on 2 cores.

The load: the app runs as its own process (``python -m sourcetrace serve``),
so the clients do not share its interpreter. The ids, page counts and search
words come from the app itself before the clock starts. Then ``--clients``
asyncio clients each send one request at a time (a new connection per
request, as the app speaks HTTP/1.0) for ``--seconds``, picking routes by
weight from ROUTES (``--skip`` leaves some out). A response that is not 200, or a request that fails or
takes over 30 s, is an error. Latency runs from connecting to the last byte.

Prints a table and writes bench/out/app_load.json: requests/s, p50/p95/p99
and max latency and errors, per route and overall, with the load average
before and after. Targets (hardening issue): p99 at most 500 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.engines.synthetic_news
sys.path.insert(0, str(ROOT / "bench"))  # report_speed
OUT = ROOT / "bench" / "out" / "app_load.json"
TIMEOUT = 30.0


# -- building a case ------------------------------------------------------------


SPEAKERS = [f"{first} {last}" for first in ("Aino", "Tomas", "Ilse", "Pia", "Kiran", "Marta", "Jonas", "Leila")
            for last in ("Lahti", "Rellig", "Dahl", "Sorensen", "Varga", "Okafor", "Brandt", "Moreau", "Silva", "Haas")]


def add_statements(case: Path, count: int, seed: int = 5) -> None:
    """``count`` invented statements written through the store, each in 1 to 4 segments (its first
    sentence), every fifth copy with a word changed: what the statements and merge steps would
    store, for the app's statement routes at scale, without spaCy over every segment."""
    from sourcetrace.records import Statement, StatementOccurrence
    from sourcetrace.store import CaseReader, CaseStore

    rng = random.Random(seed)
    with CaseReader(case) as reader:
        segments = list(reader.segment_ids())
        rng.shuffle(segments)
        texts = reader.segment_texts(segments[:4 * count])
    chosen = iter(segments)
    statements = []
    with CaseStore(case) as store:
        for key in range(1, count + 1):
            occurrences = []
            for copy in range(rng.randint(1, 4)):
                segment = next(chosen)
                text = texts[segment]
                end = text.find(".") if "." in text else len(text)
                said = text[:end] if copy == 0 or rng.random() < 0.8 else text[:end].replace(" the ", " a ", 1)
                occurrences.append(StatementOccurrence(segment, 0, end, said, rng.choice(SPEAKERS), "said", "reported",
                                                       altered=said != text[:end]))
            reference = occurrences[0]
            statements.append(Statement(key, reference.speaker_as_written, None, "reported", "said", reference.text,
                                        tuple(occurrences)))
        store.replace_statements(statements)


def make_case(case: Path, segments: int, *, via_run: bool) -> dict[str, float]:
    """Build a case of about ``segments`` segments; seconds per part."""
    if case.exists():
        raise SystemExit(f"{case} exists: remove it or choose another --case")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if via_run:
        from tests.engines.synthetic_news import write_corpus

        corpus = case.with_suffix(".corpus")
        write_corpus(corpus, segments, seed=11)
        timings["write corpus"] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sourcetrace", "run", str(corpus), "--case", str(case), "--quiet"],
                       check=True)
        timings["sourcetrace run"] = time.perf_counter() - started
        return timings
    from report_speed import build_case

    from sourcetrace.runner import run_case
    from sourcetrace.stories.steps_sources import BuildSources
    from sourcetrace.stories.steps_stories import BuildStories
    from sourcetrace.stories.steps_timeline import FindEvents

    build_case(case, segments)
    timings["segments and families through CaseStore"] = time.perf_counter() - started
    started = time.perf_counter()
    run_case([], case, steps=(BuildSources(), FindEvents(), BuildStories()))
    timings["sources, dates and stories steps"] = time.perf_counter() - started
    return timings


# -- what to request ------------------------------------------------------------


@dataclass
class Targets:
    """Ids and page counts read from the app before the clock starts."""

    pages: dict[str, int] = field(default_factory=dict)  # list route -> its last page
    ids: dict[str, list[int]] = field(default_factory=dict)  # item route -> ids that exist
    words: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)


def fetch(base: str, route: str) -> Any:
    with urllib.request.urlopen(base + "api/" + route, timeout=TIMEOUT) as response:
        return json.loads(response.read())


def discover(base: str) -> Targets:
    found = Targets()
    for name in ("families", "stories", "statements", "claims", "timeline", "problems", "search"):
        first = fetch(base, name)
        found.pages[name] = max(1, -(-first["total"] // first["per_page"]))
    family_ids = [f["id"] for page in (1, 2, 3) for f in fetch(base, f"families?page={page}")["items"]]
    found.ids["family"] = family_ids
    members = [m for fid in family_ids[:40] for m in fetch(base, f"family/{fid}")["members"]]
    found.ids["pair"] = [m["segment"]["id"] for m in members if m["compare_with"] is not None]
    found.ids["text"] = [m["segment"]["id"] for m in members]
    found.ids["document"] = sorted({m["segment"]["document"] for m in members})
    for listing, item in (("stories", "story"), ("statements", "statement"), ("claims", "claim")):
        found.ids[item] = [entry["id"] for entry in fetch(base, listing)["items"]]
    words = {w.lower() for sid in found.ids["text"][:20] for w in re.findall(r"[A-Za-z]{4,}", fetch(base, f"text/{sid}")["text"])}
    found.words = sorted(words)
    found.outlets = sorted({m["segment"]["site"] for m in members if m["segment"]["site"]})
    return found


def _page(t: Targets, name: str, rng: random.Random) -> int:
    return rng.randint(1, t.pages[name])


def _search(t: Targets, rng: random.Random) -> str | None:
    if not t.words:
        return None
    query = "+".join(rng.sample(t.words, rng.choice((1, 1, 2, 3))))
    if t.outlets and rng.random() < 0.2:
        query += "&outlet=" + rng.choice(t.outlets).replace(" ", "+")
    return f"search?q={query}&page={rng.choice((1, 1, 1, 2, 5))}"


def _item(name: str) -> Callable[[Targets, random.Random], str | None]:
    return lambda t, rng: f"{name}/{rng.choice(t.ids[name])}" if t.ids.get(name) else None


# name, weight, the route to request (None: nothing of that kind in the case)
ROUTES: tuple[tuple[str, int, Callable[[Targets, random.Random], str | None]], ...] = (
    ("overview", 1, lambda t, rng: "overview"),
    ("families", 3, lambda t, rng: f"families?page={_page(t, 'families', rng)}"),
    ("family", 4, _item("family")),
    ("pair", 3, _item("pair")),
    ("text", 3, _item("text")),
    ("document", 3, _item("document")),
    ("search", 6, _search),
    ("segments", 2, lambda t, rng: f"search?kind={rng.choice(('exact', 'near_exact', 'rewrite'))}&page={rng.randint(1, 20)}"),
    ("stories", 2, lambda t, rng: f"stories?page={_page(t, 'stories', rng)}"),
    ("story", 2, _item("story")),
    ("timeline", 2, lambda t, rng: f"timeline?page={_page(t, 'timeline', rng)}"),
    ("statements", 1, lambda t, rng: f"statements?page={_page(t, 'statements', rng)}"),
    ("statement", 1, _item("statement")),
    ("claims", 1, lambda t, rng: "claims"),
    ("claim", 1, _item("claim")),
    ("sources", 1, lambda t, rng: "sources"),
    ("problems", 1, lambda t, rng: f"problems?page={_page(t, 'problems', rng)}"),
)


# -- the load -------------------------------------------------------------------


async def request(port: int, path: str) -> int:
    """One GET over a new connection; the status (the app closes the connection after each answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET /api/{path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        await writer.drain()
        answer = await reader.read()  # to the end: the whole body
    finally:
        writer.close()
    status = answer[9:12]
    return int(status) if status.isdigit() else 0


async def client(port: int, targets: Targets, stop: float, seed: int, results: list[tuple[str, float, str]],
                 skip: frozenset[str]) -> None:
    rng = random.Random(seed)
    routes = [(name, pick) for name, _, pick in ROUTES if name not in skip]
    weights = [weight for name, weight, _ in ROUTES if name not in skip]
    while time.perf_counter() < stop:
        name, pick = rng.choices(routes, weights)[0]
        path = pick(targets, rng)
        if path is None:
            continue
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(request(port, path), TIMEOUT)
            outcome = "ok" if status == 200 else f"HTTP {status}"
        except (OSError, TimeoutError) as error:
            outcome = type(error).__name__
        results.append((name, time.perf_counter() - started, outcome))


async def drive(port: int, targets: Targets, clients: int, seconds: float,
                skip: frozenset[str]) -> list[tuple[str, float, str]]:
    results: list[tuple[str, float, str]] = []
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(client(port, targets, stop, seed, results, skip) for seed in range(clients)))
    return results


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def summarise(results: list[tuple[str, float, str]], seconds: float) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[tuple[str, float, str]]] = {"all": results}
    for row in results:
        groups.setdefault(row[0], []).append(row)
    summary = {}
    for name, rows in groups.items():
        latencies = sorted(r[1] * 1000 for r in rows)
        errors = [r[2] for r in rows if r[2] != "ok"]
        summary[name] = {"requests": len(rows), "requests_per_s": round(len(rows) / seconds, 1),
                         "p50_ms": round(percentile(latencies, 0.50), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
                         "p99_ms": round(percentile(latencies, 0.99), 1), "max_ms": round(latencies[-1], 1),
                         "errors": len(errors), "error_kinds": sorted(set(errors))}
    return summary


def print_table(summary: dict[str, dict[str, Any]]) -> None:
    print("| route | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in sorted(summary.items(), key=lambda item: (item[0] != "all", item[0])):
        print(f"| {name} | {s['requests']:,} | {s['requests_per_s']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} "
              f"| {s['max_ms']} | {s['errors']} |")


# -- the app --------------------------------------------------------------------


def start_app(case: Path) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT / "src")}
    app = subprocess.Popen([sys.executable, "-m", "sourcetrace", "serve", str(case)], env=env,
                           stdout=subprocess.PIPE, text=True)
    assert app.stdout is not None
    announced = re.search(r"http://127\.0\.0\.1:(\d+)/", app.stdout.readline())
    if announced is None:
        app.kill()
        raise SystemExit("the app did not announce its address")
    return app, int(announced.group(1))


def load(case: Path, clients: int, seconds: float, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    started = time.perf_counter()
    app, port = start_app(case)
    try:
        startup = time.perf_counter() - started
        targets = discover(f"http://127.0.0.1:{port}/")
        load_before = os.getloadavg()
        results = asyncio.run(drive(port, targets, clients, seconds, skip))
        load_after = os.getloadavg()
    finally:
        app.send_signal(signal.SIGINT)  # as Ctrl-C: the app closes and removes its search index
        app.wait(timeout=60)
    from sourcetrace.store import CaseReader

    with CaseReader(case) as reader:
        segments = reader.counts().segments
    return {"case": str(case), "segments": segments, "clients": clients, "seconds": seconds,
            "app_start_s": round(startup, 2), "load_average_before": load_before, "load_average_after": load_after,
            "cores": os.cpu_count(), "skipped": sorted(skip), "routes": summarise(results, seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=Path("/tmp/app-load.case"))
    parser.add_argument("--make-case", type=int, metavar="N", help="first build a case of N segments at --case")
    parser.add_argument("--via-run", action="store_true", help="with --make-case: invented pages through sourcetrace run")
    parser.add_argument("--statements", type=int, default=0, metavar="N",
                        help="with --make-case: also N invented statements written through the store")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--skip", nargs="*", default=[], metavar="ROUTE", help="leave these routes (ROUTES' names) out")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if args.make_case:
        timings = make_case(args.case, args.make_case, via_run=args.via_run)
        if args.statements:
            started = time.perf_counter()
            add_statements(args.case, args.statements)
            timings["invented statements through CaseStore"] = time.perf_counter() - started
        report["build_s"] = {part: round(s, 1) for part, s in timings.items()}
        print("built", args.case, {part: f"{s:.1f} s" for part, s in timings.items()})
    if args.seconds > 0:
        report.update(load(args.case, args.clients, args.seconds, frozenset(args.skip)))
        print_table(report["routes"])
        print(f"{report['segments']:,} segments, {args.clients} clients, {args.seconds:g} s; load average "
              f"{report['load_average_before'][0]:.2f} before, {report['load_average_after'][0]:.2f} after")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
