"""The claims tests' pages: one wire story carried by 40 syndicated copies, two independent
reports of the same finding, the accused's denial, and a page on the same topic (claim_texts.py)."""

from __future__ import annotations

import json
from pathlib import Path

from claim_texts import DENIAL, REPORT_A, REPORT_B, SAME_TOPIC, WIRE

COPIES = 40
OUTLETS = [f"outlet{i:02d}.example" for i in range(COPIES)]


def write_pages(folder: Path) -> Path:
    """The wire story on Northwire and on 40 outlets, and four other pages, as one JSON Lines feed."""
    rows = [{"url": "https://northwire.example/korvo", "title": "Hospital in Korvo shelled",
             "date": "2025-04-02T06:00:00Z", "text": WIRE}]
    rows += [{"url": f"https://{host}/world/korvo", "title": "Korvo hospital shelled",
              "date": f"2025-04-02T{8 + i // 10:02d}:{i % 10:d}0:00Z", "source": "Northwire", "text": WIRE}
             for i, host in enumerate(OUTLETS)]
    rows += [
        {"url": "https://harbourledger.example/korvo-inspectors", "title": "Inspectors blame artillery",
         "date": "2025-04-03T09:00:00Z", "text": REPORT_A},
        {"url": "https://openwatch.example/korvo-report", "title": "Open Watch report on Korvo",
         "date": "2025-04-04T10:00:00Z", "text": REPORT_B},
        {"url": "https://vardenia-mod.example/statement", "title": "Ministry statement",
         "date": "2025-04-03T12:00:00Z", "text": DENIAL},
        {"url": "https://healthnews.example/korvo-hospital", "title": "New hospital for Korvo",
         "date": "2025-03-01T12:00:00Z", "text": SAME_TOPIC},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return feed
