"""A small case whose family has decided and undecided parents, written for these tests.

The wire's own text (on its own site, dated) is copied four times:

- ``EDITED``: an edited copy crediting the wire, dated after it: decided;
- ``EDITED_AGAIN``: the edited copy word for word, crediting the wire, undated: its
  parent is the edited copy, but which of the two copied the other is not shown;
- ``PLAIN_1`` and ``PLAIN_2``: the wire text word for word, credit and date
  removed: each is as close to the wire as to the other, and nothing says which
  it copied.
"""

from __future__ import annotations

import json
from pathlib import Path

from sourcetrace.runner import RunOptions, run_case
from tests.reuse.stories import NEAR_EXACT, ORIGINAL

WIRE_TEXT = ORIGINAL.replace("HALVERSTAD, March 3 (Northwire) - ", "HALVERSTAD, March 3 - ")
EDITED_TEXT = NEAR_EXACT
ROWS = (  # (name, url, source, published, text); document ids follow the rows' order
    ("wire", "https://www.northwire.example/varno-floodgates", None, "2024-03-05T08:00:00Z", WIRE_TEXT),
    ("edited", "https://dailyplanet.example/varno", "Northwire", "2024-03-05T10:00:00Z", EDITED_TEXT),
    ("edited_again", "https://harbourpost.example/varno", "Northwire", None, EDITED_TEXT),
    ("plain_1", "https://valleynews.example/gates", None, None, WIRE_TEXT),
    ("plain_2", "https://coastcaller.example/gates", None, None, WIRE_TEXT),
)
OPTIONS = RunOptions(workers=1)


def write_rows(path: Path, names: tuple[str, ...] | None = None) -> Path:
    """The rows (all, or those ``names``) as a JSON Lines table at ``path``."""
    with path.open("w", encoding="utf-8") as out:
        for name, url, source, published, text in ROWS:
            if names is None or name in names:
                row = {
                    "title": "Varno floodgates opened",
                    "url": url,
                    "source": source,
                    "published": published,
                    "text": text,
                }
                out.write(json.dumps(row) + "\n")
    return path


FIRST = ("wire", "edited", "plain_1")  # what a first run brings; a second brings the rest


def write_inputs(folder: Path) -> list[Path]:
    """The rows as two tables: the first run's, then the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    rest = tuple(name for name, *_ in ROWS if name not in FIRST)
    return [write_rows(folder / "first.jsonl", FIRST), write_rows(folder / "second.jsonl", rest)]


def build_undecided_case(folder: Path) -> Path:
    """The case of all five rows, built at once."""
    case = folder / "undecided.case"
    run_case(write_inputs(folder), case, OPTIONS)
    return case


def segment_of(name: str) -> int:
    """The segment id of a row: rows are documents in the order the two tables give them."""
    rest = [n for n, *_ in ROWS if n not in FIRST]
    return ([*FIRST, *rest].index(name) + 1) * 1000
