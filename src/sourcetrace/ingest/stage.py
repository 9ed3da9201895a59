"""The ingest stage: one input path in, one IngestedInput out."""

from __future__ import annotations

import contextlib

from sourcetrace.engines.contract import MapStep
from sourcetrace.ingest.read import ReadOptions, ingest_input
from sourcetrace.records import IngestedInput


class ReadInputs(MapStep[str, IngestedInput]):
    """Reads, hashes, decodes and extracts one input file per record."""

    name = "ingest"

    def __init__(self, options: ReadOptions) -> None:
        super().__init__()
        self.options = options

    def warm_up(self) -> None:
        """Import the extractor (a second or two per process, most of it trafilatura's and lxml's)."""
        with contextlib.suppress(ImportError):  # a missing extractor is reported by the first page, not here
            if self.options.extractor == "resiliparse":
                import resiliparse.extract.html2text  # noqa: F401
            import trafilatura  # noqa: F401  (metadata and dates come from it with either extractor)

    def process(self, record: str) -> IngestedInput:
        result = ingest_input(record, self.options)
        self.stats["documents"] += result.document_count
        self.stats["problems"] += len(result.problems)
        return result
