"""The JSON export: a versioned, documented snapshot of a case.

Written row by row as the reader streams them (store/read_export.py), so a
case of any size exports in constant memory. The format is specified in
docs/json-export.md; bump EXPORT_VERSION on any change that could break a reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sourcetrace import __version__
from sourcetrace.store import CaseReader

EXPORT_FORMAT = "sourcetrace-export"
EXPORT_VERSION = 3


def export_json(reader: CaseReader, destination: str | Path) -> None:
    """Write the case as one JSON document to the file ``destination``."""
    with open(destination, "w", encoding="utf-8") as out:
        write_export(reader, out)


def write_export(reader: CaseReader, out: IO[str]) -> None:
    """Write the case as one JSON document to the text stream ``out``."""
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "generator": f"sourcetrace {__version__}",
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
    sections = list(reader.export_sections())
    for number, (name, rows) in enumerate(sections):
        _write_array(out, name, rows, last=number == len(sections) - 1)
    out.write("}\n")


def _write_array(out: IO[str], name: str, rows: Iterator[dict[str, Any]], *, last: bool) -> None:
    out.write(f"{json.dumps(name)}: [")
    for number, row in enumerate(rows):
        out.write(("\n" if number == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
    out.write("\n]" + ("\n" if last else ",\n"))
