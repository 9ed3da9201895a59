"""The ingest stage: one input path in, one IngestedInput out."""

from __future__ import annotations

from sourcetrace.engines.contract import MapStep
from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.records import IngestedInput


class ReadInputs(MapStep[str, IngestedInput]):
    """Reads, hashes, decodes and extracts one input file per record."""

    name = "ingest"

    def __init__(self, options: ReadOptions) -> None:
        super().__init__()
        self.options = options

    def process(self, record: str) -> IngestedInput:
        result = ingest_input(record, self.options)
        self.stats["documents"] += result.document_count
        self.stats["problems"] += len(result.problems)
        return result
