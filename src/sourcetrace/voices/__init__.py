"""Who said what: attributed statements, their speakers, and how copies altered them.

Public API:

* :func:`extract_from_texts` / :func:`extract_attributions` - statements of segment texts;
* :class:`VoicesStage` - the same over batches of segments, on any engine;
* :func:`merge_statements` - one :class:`~sourcetrace.records.Statement` per
  statement across all segments, with ``altered`` occurrences and their diffs.
"""

from sourcetrace.voices.merge import (
    PairQuestion,
    decide_here,
    merge_statements,
    normalised_words,
    same_statement,
    word_diff,
)
from sourcetrace.voices.stage import SegmentStatements, VoicesStage, batches
from sourcetrace.voices.statements import (
    Attribution,
    extract_attributions,
    extract_from_texts,
)

__all__ = [
    "Attribution",
    "PairQuestion",
    "SegmentStatements",
    "VoicesStage",
    "batches",
    "decide_here",
    "extract_attributions",
    "extract_from_texts",
    "merge_statements",
    "normalised_words",
    "same_statement",
    "word_diff",
]
