"""Speed of learning page furniture and of segmenting, on a generated corpus.

Pages of about 3.5 KB from many fictional sites (the generators of
tests/ingest/test_furniture.py); every seventh page is a copy of one of a pool
of wire stories, so learning must tell syndicated text from furniture.
One core, no engine. Run from the repository root::

    python bench/segmentation_speed.py [DOCUMENTS ...]     # default: 5000 10000 20000 40000
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sourcetrace.ingest.furniture_learning import learn_furniture
from sourcetrace.ingest.segment import segment_document
from tests.ingest.test_furniture import make_site, make_story


def scaled_corpus(documents: int, seed: int = 1) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    sites = [make_site(f"site-{n:04d}", rng) for n in range(max(1, documents // 50))]
    wires = [make_story(rng, 16) for _ in range(max(1, documents // 60))]
    return [
        (doc_id, sites[doc_id % len(sites)].page(rng.choice(wires) if doc_id % 7 == 0 else make_story(rng, 16)))
        for doc_id in range(documents)
    ]


def measure(documents: int) -> str:
    corpus = scaled_corpus(documents)
    size = sum(len(text) for _, text in corpus) / len(corpus)
    started = time.perf_counter()
    model = learn_furniture(corpus)
    learned = time.perf_counter() - started
    tracemalloc.start()  # a second, untimed pass: tracing slows Python code several times
    learn_furniture(corpus)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    started = time.perf_counter()
    for doc_id, text in corpus:
        segment_document(doc_id, text, model.find(text))
    segmented = time.perf_counter() - started
    return (f"| {documents:,} | {size:,.0f} | {learned:.2f} | {documents / learned:,.0f} | {peak_mb:,.0f} |"
            f" {segmented:.2f} | {documents / segmented:,.0f} |")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 10_000, 20_000, 40_000]
    print("| documents | chars/doc | learn s | learn docs/s | learn peak MB | find+segment s | find+segment docs/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for documents in sizes:
        print(measure(documents), flush=True)


if __name__ == "__main__":
    main()
