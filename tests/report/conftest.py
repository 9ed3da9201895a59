"""A small case with a hand-made copy map, for the readers of the copy map."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.records import Family, FamilyMember, Passage, Relation, Statement, StatementOccurrence
from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseStore

STORY = (
    "The harbour authority of the fictional port of Lindqvist said on Monday that cargo volumes fell by a "
    "fifth last year, the steepest drop since records began."
)


@pytest.fixture
def case_with_copy_map(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, headline in (("a", "Cargo falls at Lindqvist"), ("b", "Lindqvist cargo drops"), ("c", "Port slump")):
        (folder / f"{name}.txt").write_text(f"{headline}\n\n{STORY}\n")
    case = tmp_path / "c.case"
    run_case([folder], case, RunOptions(workers=1))
    with CaseStore(case) as store:
        a, b, c = (segment.id for segment in store.iter_segments_for_reuse())
        passage = (Passage(0, 40, 0, 40),)
        relations = [Relation(b, a, "exact", 1.0, passage), Relation(c, b, "rewrite", 0.91, passage)]
        family = Family(
            key=a,
            origin=a,
            origin_evidence="earliest date",
            members=(
                FamilyMember(a, "origin", None, 1.0),
                FamilyMember(b, "exact", a, 1.0, passage),
                FamilyMember(c, "rewrite", b, 0.91, passage),
            ),
        )
        store.replace_copy_map(relations, [family])
    return case


QUOTE = "We will reopen the northern quay before winter"
SPUN = "We will reopen the north dock before the winter"


@pytest.fixture
def case_with_statements(case_with_copy_map: Path) -> Path:
    """The copy-map case, plus one statement carried by all three segments,
    altered in the third, and one reported statement."""
    with CaseStore(case_with_copy_map) as store:
        a, b, c = (segment.id for segment in store.iter_segments_for_reuse())
        exact = [StatementOccurrence(s, 0, len(QUOTE), QUOTE, "Mayor Ilse Dahl", "said", "direct") for s in (a, b)]
        diff = (("=", "We"), ("=", "will"), ("=", "reopen"), ("=", "the"), ("-", "northern"), ("-", "quay"),
                ("+", "north"), ("+", "dock"), ("=", "before"), ("+", "the"), ("=", "winter"))
        spun = StatementOccurrence(c, 0, len(SPUN), SPUN, "Ilse said. Dahl", "said", "direct", altered=True,
                                   diff=diff, garbled_speaker=True)
        reported = StatementOccurrence(a, 5, 30, "cargo volumes fell by a fifth", "the harbour authority", "said",
                                       "reported")
        store.replace_statements([
            Statement(1, "Ilse Dahl", "mayor of Lindqvist", "direct", "said", QUOTE, (*exact, spun)),
            Statement(2, "Lindqvist harbour authority", None, "reported", "said", reported.text, (reported,)),
        ])
    return case_with_copy_map
