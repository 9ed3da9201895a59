"""A large input's documents, kept on disk between the worker that reads them and the store.

A worker holds an input's documents until the input is read, and the driver
receives them all at once: a feed of 5 GB would cost its whole text in the
worker and again in the driver. Past SPILL_AFTER_CHARACTERS of text, the worker
writes the input's documents, in order, to a file of the run's spill folder
(JSON lines, one :class:`~sourcetrace.records.Document`'s values each), and the store
reads them back one batch at a time as it writes them into the case; then the
file is removed. So a run holds, per input being read or stored, at most
about SPILL_AFTER_CHARACTERS of text plus one document (itself at most the
document limit).

The spill folder is the case's path with ``-spill`` (SQLite's ``-wal``
convention), only one run writes a case at a time, so a folder found there
when a run starts was left by a run that was killed, and is removed. It is
used only by engines whose workers write this machine's disk.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import IO

from sourcetrace.records import Document, IngestedInput

SPILL_AFTER_CHARACTERS = 32 * 2**20
FIELDS = tuple(field.name for field in fields(Document))  # a spilled document's values, in this order


def spill_folder(case: Path) -> Path:
    return case.with_name(case.name + "-spill")


def remove_spill_folder(case: Path) -> None:
    """Remove the case's spill folder and what is in it (a killed run's files, or this run's)."""
    shutil.rmtree(spill_folder(case), ignore_errors=True)


def make_spill_folder(case: Path) -> Path:
    """The run's spill folder, made empty (after remove_spill_folder)."""
    folder = spill_folder(case)
    folder.mkdir(mode=0o700)
    return folder


class DocumentSink:
    """Where one input's documents go: into ``result.documents``, then, past the limit, a spill file."""

    def __init__(self, result: IngestedInput, folder: str | None, after_characters: int) -> None:
        self.result, self.folder, self.after = result, folder, after_characters
        self._held = 0
        self._file: IO[str] | None = None

    def add(self, document: Document) -> None:
        if self._file is not None:
            self._write(document)
            return
        self.result.documents.append(document)
        self._held += len(document.text)
        if self.folder is not None and self._held > self.after:
            self._spill_held()

    def _spill_held(self) -> None:
        assert self.folder is not None
        handle, path = tempfile.mkstemp(prefix="input-", suffix=".jsonl", dir=self.folder)
        self._file = os.fdopen(handle, "w", encoding="utf-8")
        self.result.spilled = path
        held, self.result.documents = self.result.documents, []
        for document in held:
            self._write(document)

    def _write(self, document: Document) -> None:
        assert self._file is not None
        # A list in FIELDS order (asdict copies every value, at a third of the speed); ASCII escapes,
        # so any string survives, even a lone surrogate.
        self._file.write(json.dumps([getattr(document, name) for name in FIELDS]) + "\n")
        self.result.spilled_count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def spilled_documents(path: str) -> Iterator[Document]:
    """The documents of a spill file, in the order they were written."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            yield Document(*json.loads(line))


def all_documents(result: IngestedInput) -> Iterator[Document]:
    """An input's documents, those held and those spilled, in order."""
    yield from result.documents
    if result.spilled is not None:
        yield from spilled_documents(result.spilled)
