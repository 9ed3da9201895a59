"""Learning furniture from a corpus: which recurring lines surround different
articles (furniture) and which are copies of one article (never furniture).

Learning runs in two parts, so that a grown case does not read every text
again:

1. :class:`DocumentLines`, per document and on any engine: the distinct
   lines of the document as learning sees them (fingerprint, length, prose
   or not, the figures of a formula line), 29 bytes a line. The case stores
   them (``document_lines``) and makes them only for new documents.
2. :func:`learn_from_lines`, over the whole case on the driver: which lines
   recur in enough documents, and for each, whether a sample of those
   documents are copies of one article. It reads the stored records; the
   text of a document is read only to quote an example of a learned line.

What is learned depends on the set of documents, never on their order or
on which run added them.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcetrace.engines.contract import MapStep
from sourcetrace.ingest.furniture import (
    FurnitureModel,
    LearnedLine,
    known_furniture,
    line_facts,
    looks_like_prose,
    normalise_line,
)
from sourcetrace.ingest.spans import split_lines

# Bump when what a record holds changes (fingerprints, figures, the prose test): stored records are made again.
LINE_RECORDS_VERSION = 1
LINE_RECORD = np.dtype(
    [("fingerprint", "<i8"), ("figures", "<i8"), ("start", "<i8"), ("length", "<i4"), ("flags", "u1")]
)
PROSE = 1  # the line reads as a sentence
PROSE_FORM = 2  # its normalised form does, judged on the first 300 characters (the example's)
HAS_FIGURES = 4  # a formula line: ``figures`` holds its first figures in the document
FIGURES_VARY = 8  # the document holds the line with different figures
EXAMPLE_CHARS = 300
LineRecords = npt.NDArray[np.void]


@dataclass(frozen=True, slots=True)
class DocumentLines:
    """The distinct lines of one document that learning looks at (known
    furniture left out), in the order they first occur, as
    :data:`LINE_RECORD` rows. ``start`` and ``length`` are the line's first
    occurrence in the document's text."""

    document_id: int
    records: LineRecords

    @classmethod
    def of(cls, document_id: int, text: str) -> DocumentLines:
        seen: dict[int, list[int]] = {}  # fingerprint -> [figures, start, length, flags]
        for line in split_lines(text or ""):
            if known_furniture(line.text) is not None:
                continue
            fingerprint, figures, normalised = line_facts(line.text)
            entry = seen.get(fingerprint)
            if entry is None:
                if len(line.text) > EXAMPLE_CHARS:  # judged on the example's characters
                    normalised = normalise_line(line.text[:EXAMPLE_CHARS])
                flags = PROSE * looks_like_prose(line.text) | PROSE_FORM * looks_like_prose(normalised)
                entry = seen[fingerprint] = [0, line.start, min(line.end - line.start, 2**31 - 1), flags]
            if figures is None:
                continue
            if not entry[3] & HAS_FIGURES:
                entry[0] = figures
                entry[3] |= HAS_FIGURES
            elif entry[0] != figures:
                entry[3] |= FIGURES_VARY
        records = np.array(
            [(fingerprint, *entry) for fingerprint, entry in seen.items()], dtype=LINE_RECORD
        ) if seen else np.zeros(0, dtype=LINE_RECORD)
        return cls(document_id, records)

    def holds(self, fingerprints: set[int]) -> bool:
        """Whether one of the document's lines has one of ``fingerprints``."""
        return any(fingerprint in fingerprints for fingerprint in self.records["fingerprint"].tolist())

    def to_bytes(self) -> bytes:
        return self.records.tobytes()

    @classmethod
    def from_bytes(cls, document_id: int, data: bytes) -> DocumentLines:
        return cls(document_id, np.frombuffer(data, dtype=LINE_RECORD))


class LineRecordsStep(MapStep[tuple[int, str], DocumentLines]):
    """(document id, text) -> the document's line records, on any engine."""

    name = "line-records"

    def process(self, record: tuple[int, str]) -> DocumentLines:
        lines = DocumentLines.of(*record)
        self.stats["documents"] += 1
        self.stats["lines"] += len(lines.records)
        return lines


@dataclass(frozen=True, slots=True)
class LearningSettings:
    """Thresholds of :func:`learn_from_lines`; defaults are documented there."""

    min_documents: int = 3
    prose_min_documents: int = 20
    sample_size: int = 32
    together_share: float = 0.8
    copy_share: float = 0.5
    copy_prose_lines: int = 4


TextOf = Callable[[int], str]  # document id -> its text


def learn_furniture(
    documents: Iterable[tuple[int, str]], min_documents: int = 3, *, settings: LearningSettings | None = None
) -> FurnitureModel:
    """:func:`learn_from_lines` over (document id, text) pairs. Holds the
    texts for the examples; the pipeline learns from stored records instead."""
    texts = dict(documents)
    lines = [DocumentLines.of(i, text) for i, text in texts.items()]
    return learn_from_lines(lines, texts.__getitem__, min_documents, settings=settings)


def learn_from_lines(
    documents: Iterable[DocumentLines],
    text_of: TextOf,
    min_documents: int = 3,
    *,
    settings: LearningSettings | None = None,
) -> FurnitureModel:
    """Learn the lines that recur across unrelated documents.

    A line seen in at least ``min_documents`` documents is judged on a
    sample of up to ``sample_size`` of them (the same documents, ranked by a
    hash of their lines, for every line, so lines sharing documents share
    samples and verdicts are cached). The lines found in ``together_share``
    of the sample form the recurring block; if in the median sampled
    document that block is at least ``copy_share`` of the characters or of
    the prose characters, or the block holds ``copy_prose_lines`` or more
    prose lines, the documents are copies of one article (syndication,
    reposts, aggregators) and the line is article. Otherwise it is furniture
    recurring around different articles. A line whose digits were masked and
    whose figures differ between its occurrences is never judged: it is a
    formula carrying each story's own facts ("Qtly div 25 cts vs 20 cts
    prior qtr"). A prose line needs ``prose_min_documents`` documents, since
    independent reports can share a quoted sentence. ``settings`` overrides
    all thresholds (``min_documents`` included). A learned line's example is
    its first occurrence in the lowest-id document holding it, read with
    ``text_of``.
    """
    chosen = settings or LearningSettings(min_documents=min_documents)
    corpus = _CorpusLines.of(list(documents))
    learned = []
    for fingerprint, count in _judge_recurring_lines(corpus, chosen):
        document, start, length = corpus.examples[fingerprint]
        example = text_of(document)[start : start + length][:EXAMPLE_CHARS]
        learned.append(LearnedLine(fingerprint, example, count))
    return FurnitureModel(learned)


@dataclass(slots=True)
class _CorpusLines:
    """Every document's line records, packed: document ``d`` owns
    ``fingerprints[bounds[d]:bounds[d + 1]]``, and the same slice of
    ``lengths`` and ``prose``."""

    doc_ids: list[int]
    bounds: list[int]
    fingerprints: array[int]
    lengths: array[int]
    prose: array[int]
    counts: dict[int, int]  # documents per fingerprint
    # A line seen in 2+ documents -> (document id, start, length) of its occurrence in the lowest-id one.
    examples: dict[int, tuple[int, int, int]]
    prose_form: dict[int, bool]  # for those lines: whether the normalised line reads as prose
    ranks: list[int]  # per document, from its content (see _content_rank)
    varying: set[int]  # formula lines seen with different figures: content, never furniture

    @classmethod
    def of(cls, documents: list[DocumentLines]) -> _CorpusLines:
        records = np.concatenate([d.records for d in documents]) if documents else np.zeros(0, LINE_RECORD)
        sizes = np.array([len(d.records) for d in documents], dtype=np.int64)
        owners = np.repeat(np.array([d.document_id for d in documents], dtype=np.int64), sizes)
        fingerprints = records["fingerprint"]
        # Occurrences of each line together, lowest document id first.
        order = np.lexsort((owners, fingerprints))
        sorted_fingerprints = fingerprints[order]
        starts = np.flatnonzero(np.r_[True, sorted_fingerprints[1:] != sorted_fingerprints[:-1]]) if len(order) else order
        counts = np.diff(np.r_[starts, len(order)])
        repeated = order[starts[counts >= 2]]
        repeated_lines = fingerprints[repeated].tolist()
        sites = zip(owners[repeated].tolist(), records["start"][repeated].tolist(), records["length"][repeated].tolist())
        return cls(
            doc_ids=[d.document_id for d in documents],
            bounds=[0, *np.cumsum(sizes).tolist()],
            fingerprints=array("q", fingerprints.tobytes()),
            lengths=array("i", records["length"].astype("<i4").tobytes()),
            prose=array("b", (records["flags"] & PROSE).astype("i1").tobytes()),
            counts=dict(zip(sorted_fingerprints[starts].tolist(), counts.tolist())),
            examples=dict(zip(repeated_lines, sites)),
            prose_form=dict(zip(repeated_lines, (records["flags"][repeated] & PROSE_FORM > 0).tolist())),
            ranks=[_content_rank(d.records["fingerprint"].tolist()) for d in documents],
            varying=_varying_formulas(records),
        )

    def lines_of(self, doc: int) -> Iterator[tuple[int, int, int]]:
        """(fingerprint, length, is prose) of each distinct line of ``doc``."""
        lo, hi = self.bounds[doc], self.bounds[doc + 1]
        return zip(self.fingerprints[lo:hi], self.lengths[lo:hi], self.prose[lo:hi])


def _varying_formulas(records: LineRecords) -> set[int]:
    """Formula lines held with different figures, within a document or across documents."""
    formulas = records[(records["flags"] & HAS_FIGURES) > 0]
    varying = set(formulas["fingerprint"][(formulas["flags"] & FIGURES_VARY) > 0].tolist())
    order = np.lexsort((formulas["figures"], formulas["fingerprint"]))
    fingerprints, figures = formulas["fingerprint"][order], formulas["figures"][order]
    differ = (fingerprints[1:] == fingerprints[:-1]) & (figures[1:] != figures[:-1])
    varying.update(fingerprints[1:][differ].tolist())
    return varying


def _content_rank(fingerprints: Iterable[int]) -> int:
    """A fixed pseudo-random rank of a document drawn from its lines, not its
    id: ids follow the order inputs were given (and which run added them), so
    a rank by id would make samples, and verdicts, depend on that order."""
    return _mix(sum(fingerprints) & 0xFFFF_FFFF_FFFF_FFFF)


def _mix(value: int) -> int:
    """splitmix64's finaliser."""
    z = (value + 0x9E3779B97F4A7C15) & 0xFFFF_FFFF_FFFF_FFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFF_FFFF_FFFF_FFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFF_FFFF_FFFF_FFFF
    return z ^ (z >> 31)


def _candidate_samples(corpus: _CorpusLines, settings: LearningSettings) -> dict[int, list[int]]:
    """For each line frequent enough to judge, its lowest-ranked documents."""
    floor = max(settings.min_documents, 2)
    prose_floor = max(settings.prose_min_documents, floor)
    samples: dict[int, list[int]] = {}
    for fingerprint, count in corpus.counts.items():
        if count < floor or fingerprint in corpus.varying:
            continue
        if count >= prose_floor or not corpus.prose_form[fingerprint]:
            samples[fingerprint] = []
    if not samples:
        return samples
    order = sorted(range(len(corpus.doc_ids)), key=lambda doc: (corpus.ranks[doc], corpus.doc_ids[doc]))
    for doc in order:
        for fingerprint, _, _ in corpus.lines_of(doc):
            sample = samples.get(fingerprint)
            if sample is not None and len(sample) < settings.sample_size:
                sample.append(doc)
    return samples


def _sample_is_copies(corpus: _CorpusLines, sample: list[int], settings: LearningSettings) -> bool:
    """Whether the sampled documents are copies of one article: the lines
    found in (nearly) all of them hold several prose lines, or most of the
    prose or of the text of the median document."""
    tally: Counter[int] = Counter()
    for doc in sample:
        tally.update(fingerprint for fingerprint, _, _ in corpus.lines_of(doc))
    # "Nearly all", not "half": a blog's tag pages share stories among
    # themselves, but a story is on a few of them while the header is on all.
    needed = max(2, math.ceil(len(sample) * settings.together_share))
    together = {fingerprint for fingerprint, count in tally.items() if count >= needed}
    prose_lines = sum(1 for fingerprint in together if corpus.prose_form[fingerprint])
    if prose_lines >= settings.copy_prose_lines:  # a story pasted among others on aggregator pages
        return True
    text_shares, prose_shares = [], []
    for doc in sample:
        total = shared = prose_total = prose_shared = 0
        for fingerprint, length, prose in corpus.lines_of(doc):
            inside = fingerprint in together
            total += length
            shared += length if inside else 0
            prose_total += length if prose else 0
            prose_shared += length if prose and inside else 0
        text_shares.append(shared / total if total else 1.0)
        if prose_total:
            prose_shares.append(prose_shared / prose_total)
    # Prose share catches a short brief copied onto pages heavy with menus,
    # where the shared text is a small part of each page but all its prose.
    return statistics.median(text_shares) >= settings.copy_share or (
        bool(prose_shares) and statistics.median(prose_shares) >= settings.copy_share
    )


def _judge_recurring_lines(corpus: _CorpusLines, settings: LearningSettings) -> list[tuple[int, int]]:
    """(fingerprint, documents) of each line learned as furniture."""
    verdicts: dict[tuple[int, ...], bool] = {}
    learned: list[tuple[int, int]] = []
    for fingerprint, sample in _candidate_samples(corpus, settings).items():
        key = tuple(sample)
        if key not in verdicts:
            verdicts[key] = _sample_is_copies(corpus, sample, settings)
        if not verdicts[key]:
            learned.append((fingerprint, corpus.counts[fingerprint]))
    return learned
