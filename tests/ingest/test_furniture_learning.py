"""Furniture learning from stored line records: the same verdicts as from the
texts, whatever the order, with each document's lines read once."""

from __future__ import annotations

import random

import numpy as np

from sourcetrace.ingest.furniture import line_fingerprint
from sourcetrace.ingest.furniture_learning import (
    FIGURES_VARY,
    HAS_FIGURES,
    PROSE,
    DocumentLines,
    LineRecordsStep,
    learn_from_lines,
    learn_furniture,
)

STORIES = [
    "The council approved the new budget on Tuesday after a long debate about school repairs.",
    "Rail workers began a two-day strike over pay, and most regional trains stood still.",
    "A storm flooded the harbour road, and the coast guard closed the marina for the weekend.",
    "The museum reopened its north wing with a show of maps drawn by local sailors.",
    "Farmers said the dry spring cut the wheat harvest by a fifth across the valley.",
]
HEADER = "The Valley Courier | News you can use"
FOOTER = "Copyright holders reserve every right"


def site_pages() -> list[tuple[int, str]]:
    return [(k + 1, f"{HEADER}\n{story}\n{FOOTER}") for k, story in enumerate(STORIES)]


def test_a_document_s_records_hold_each_distinct_line_once_with_its_first_offsets() -> None:
    text = f"{HEADER}\nShare this:\n{STORIES[0]}\n  {HEADER}  \n"
    lines = DocumentLines.of(7, text)
    assert lines.records["fingerprint"].tolist() == [line_fingerprint(HEADER), line_fingerprint(STORIES[0])]
    first = lines.records[0]
    assert text[first["start"] : first["start"] + first["length"]] == HEADER  # the first occurrence
    assert lines.records["flags"][1] & PROSE  # the story's sentence reads as prose; "Share this:" is known furniture
    assert DocumentLines.from_bytes(7, lines.to_bytes()).records.tolist() == lines.records.tolist()


def test_a_formula_line_records_whether_its_figures_vary_within_the_document() -> None:
    same = DocumentLines.of(1, "Qtly div 25 cts vs 25 cts prior qtr\nQtly div 25 cts vs 25 cts prior qtr")
    varied = DocumentLines.of(2, "Qtly div 25 cts vs 25 cts prior qtr\nQtly div 30 cts vs 25 cts prior qtr")
    assert same.records["flags"][0] & HAS_FIGURES and not same.records["flags"][0] & FIGURES_VARY
    assert len(varied.records) == 1 and varied.records["flags"][0] & FIGURES_VARY
    assert same.records["figures"][0] == varied.records["figures"][0]  # hashed stably: equal figures, equal hash


def test_learning_from_records_learns_what_learning_from_the_texts_learns() -> None:
    pages = site_pages()
    texts = dict(pages)
    from_texts = learn_furniture(pages)
    from_records = learn_from_lines([DocumentLines.of(i, t) for i, t in pages], texts.__getitem__)
    assert {example for _, example, _ in from_texts.to_rows()} == {HEADER, FOOTER}
    assert sorted(from_records.to_rows()) == sorted(from_texts.to_rows())


def test_the_verdicts_and_examples_do_not_depend_on_the_order_of_the_records() -> None:
    pages = [(i, text.replace(HEADER, HEADER.upper() if i % 2 else HEADER)) for i, text in site_pages()]
    texts = dict(pages)
    records = [DocumentLines.of(i, t) for i, t in pages]
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    forward = learn_from_lines(records, texts.__getitem__).to_rows()
    backward = learn_from_lines(shuffled, texts.__getitem__).to_rows()
    assert sorted(forward) == sorted(backward)
    assert HEADER.upper() in {example for _, example, _ in forward}  # from page 1, the lowest id holding it


def test_a_formula_filled_with_different_figures_in_different_stories_is_never_learned() -> None:
    pages = [(k + 1, f"{HEADER}\nQtly div {10 + k} cts vs {10 + k} cts prior qtr\n{story} {story}\n{FOOTER}")
             for k, story in enumerate(STORIES)]
    learned = {example for _, example, _ in learn_furniture(pages).to_rows()}
    assert learned == {HEADER, FOOTER}
    same_figures = [(i, text.replace(text.split("\n")[1], "Qtly div 10 cts vs 10 cts prior qtr")) for i, text in pages]
    assert "Qtly div 10 cts vs 10 cts prior qtr" in {example for _, example, _ in learn_furniture(same_figures).to_rows()}


def test_the_records_step_counts_documents_and_lines() -> None:
    step = LineRecordsStep()
    found = list(step.run(site_pages()))
    assert [lines.document_id for lines in found] == [1, 2, 3, 4, 5]
    assert step.stats["documents"] == 5 and step.stats["lines"] == 15
    assert np.all([len(lines.records) == 3 for lines in found])
