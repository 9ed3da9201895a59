"""A small case with a hand-made copy map, for the readers of the copy map."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.records import Family, FamilyMember, Passage, Relation
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
