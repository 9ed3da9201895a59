"""How long the HTML report takes to build, and how slow the app's slowest page is, on a large case.

    python bench/report_speed.py [--segments 100000] [--case /tmp/big.case]

The case is synthetic and written through CaseStore (the store's own API),
not by run_case: ingesting, segmenting and tracing 100k pages would take far
longer than what is measured here. One input per 100 documents, one segment
per document; a fifth of the segments form families of 2-6 (exact copies,
near-exact copies with a changed sentence, excerpts, rewrites with swapped
words), with passages as the copy map would give them. Texts are generated
from a small fictional vocabulary, so search has common and rare words.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import threading
import time
import urllib.request
from pathlib import Path

from sourcetrace.records import (
    Document,
    Family,
    FamilyMember,
    IngestedInput,
    InputKind,
    InputRecord,
    Passage,
    Relation,
    Segment,
    SegmentedDocument,
)
from sourcetrace.report.html import write_report
from sourcetrace.store import CaseReader, CaseStore
from sourcetrace.web.app import make_server

WORDS = ["council", "harbour", "ministry", "report", "river", "storm", "court", "village", "election", "trade", "minister", "police", "budget", "province", "border", "school", "hospital", "farmers", "union", "strike", "bridge", "railway", "market", "festival", "drought", "flood", "inquiry", "protest", "museum", "contract", "airport", "factory", "harvest", "museum", "tribunal", "vaccine", "clinic", "wildfire"]
VERBS = ["said", "announced", "denied", "confirmed", "reported", "warned", "promised", "rejected", "approved", "delayed"]
OUTLETS = ["Harbor Ledger", "Northgate Daily", "Coastal Times", "Riverside Tribune", "Continental Press", None]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return f"The {words[0]} {rng.choice(VERBS)} on Monday that " + " ".join(words[1:]) + f" by {rng.randint(2, 900)} units."


def variants(rng: random.Random, text: str, size: int) -> list[tuple[str, str, list[Passage]]]:
    """Copies of ``text``: (kind, copy text, passages)."""
    out = []
    for _ in range(size):
        kind = rng.choice(["exact", "near_exact", "excerpt", "rewrite"])
        if kind == "exact":
            copy, passages = text, [Passage(0, len(text), 0, len(text))]
        elif kind == "near_exact":
            copy = text + " " + sentence(rng)
            passages = [Passage(0, len(text), 0, len(text))]
        elif kind == "excerpt":
            copy = text[: len(text) // 2]
            passages = [Passage(0, len(copy), 0, len(copy))]
        else:
            copy = text.replace(" said ", " stated ").replace(" the ", " a ")
            passages = [Passage(0, len(text), 0, len(copy))]
        out.append((kind, copy, passages))
    return out


def build_case(path: Path, segments: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    texts: list[tuple[str, str | None, int | None, str | None, list[Passage]]] = []  # text, kind, group, ...
    while len(texts) < segments:
        text = " ".join(sentence(rng) for _ in range(rng.randint(5, 9)))
        texts.append((text, None, None, None, []))
        if rng.random() < 0.06:  # ~20% of segments end up in families
            origin = len(texts) - 1
            for kind, copy, passages in variants(rng, text, rng.randint(1, 5)):
                texts.append((copy, kind, origin, None, passages))
    texts = texts[:segments]
    with CaseStore(path) as store:
        for first in range(0, len(texts), 100):
            chunk = texts[first:first + 100]
            raw = "".join(t[0] for t in chunk).encode()
            record = InputRecord(f"/bench/input-{first // 100:05d}.jsonl", hashlib.sha256(raw).hexdigest(), len(raw),
                                 InputKind.JSONL, "2026-01-01T00:00:00+00:00")
            documents = [Document(i, t[0], "text/plain", "plain", title=f"Story {first + i}",
                                  url=f"https://news{(first + i) % 50}.example/{first + i}",
                                  site=OUTLETS[(first + i) % len(OUTLETS)],
                                  published=f"2025-{1 + (first + i) % 12:02d}-{1 + (first + i) % 28:02d}")
                         for i, t in enumerate(chunk)]
            store.add_ingested(IngestedInput(record, documents), 0, None)
        rows = sqlite3.connect(store.path).execute("SELECT id, text, title, published FROM documents ORDER BY id").fetchall()
        for first in range(0, len(rows), 2000):
            store.add_segmented(SegmentedDocument(d, [], [Segment(0, 0, len(text), text, title=title, published=published)])
                                for d, text, title, published in rows[first:first + 2000])
        ids = [row[0] for row in sqlite3.connect(store.path).execute("SELECT id FROM segments ORDER BY id")]
        write_copy_map(store, texts, ids)


def write_copy_map(store: CaseStore, texts: list, ids: list[int]) -> None:  # type: ignore[type-arg]
    members: dict[int, list[FamilyMember]] = {}
    relations = []
    for position, (_, kind, origin, _, passages) in enumerate(texts):
        if kind is None:
            members.setdefault(position, []).insert(0, FamilyMember(ids[position], "origin", None, 1.0))
        else:
            members[origin].append(FamilyMember(ids[position], kind, ids[origin], 0.95, tuple(passages)))
            relations.append(Relation(ids[position], ids[origin], kind, 0.95, tuple(passages)))
    families = [Family(m[0].segment, m[0].segment, "earliest date", tuple(m)) for m in members.values()]
    store.replace_copy_map(relations, families)


def time_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--case", type=Path, default=Path("/tmp/report-speed.case"))
    args = parser.parse_args()
    if not args.case.exists():
        started = time.perf_counter()
        build_case(args.case, args.segments)
        print(f"built {args.case} ({args.segments:,} segments) in {time.perf_counter() - started:.1f} s")
    report = args.case.with_suffix(".html")
    started = time.perf_counter()
    with CaseReader(args.case) as reader:
        write_report(reader, report)
    print(f"report: {time.perf_counter() - started:.1f} s, {report.stat().st_size / 2**20:.1f} MB")
    started = time.perf_counter()
    server = make_server(args.case)
    print(f"app start (read index): {time.perf_counter() - started:.1f} s")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sqlite3.connect(args.case) as db:
        family, = db.execute("SELECT id FROM families ORDER BY size DESC LIMIT 1").fetchone()
        copy, = db.execute("SELECT segment_id FROM family_members WHERE parent_id IS NOT NULL LIMIT 1").fetchone()
        families_pages = -(-db.execute("SELECT count(*) FROM families WHERE size > 1").fetchone()[0] // 50)
    pages = ["api/overview", "api/families", f"api/families?page={families_pages}", f"api/family/{family}",
             f"api/pair/{copy}", "api/document/5000", "api/problems", "api/search?q=harbour",
             "api/search?q=harbour&page=200", "api/search?q=%22flood+inquiry%22&kind=rewrite",
             "api/search?outlet=coastal&from=2025-03-01&to=2025-03-31", "api/search?kind=excerpt&page=20", ""]
    # The first request is made by the store; the app keeps its answer, so later ones are the kept answer's.
    timings = {page: [time_get(server.url + page) for _ in range(3)] for page in pages}
    print("  first ms   kept ms  page")
    for page, (first, *kept) in sorted(timings.items(), key=lambda item: -item[1][0]):
        print(f"  {first * 1000:8.1f}  {statistics.median(kept) * 1000:8.1f}  /{page}")
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()
