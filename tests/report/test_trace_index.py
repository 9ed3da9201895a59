"""trace_text: answered from the index saved by the run, texts read on demand."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.report.trace import load_index, trace_text
from sourcetrace.reuse.copymap import ReuseIndex
from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader

RELEASE = (
    "The fisheries office of the fictional island of Sorrel closed the northern cod grounds on Thursday for "
    "ninety days after a survey counted fewer spawning fish than in any year since 1998, its director "
    "Henrik Aalto said in a statement."
)


def make_case(tmp_path: Path, copies: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(copies):
        (folder / f"copy{n}.txt").write_text(f"Cod grounds closed ({n})\n\n{RELEASE}\n")
    (folder / "other.txt").write_text("Ferry delayed\n\nThe morning ferry to Sorrel left two hours late on Monday.\n")
    run_case([folder], tmp_path / "c.case", RunOptions(workers=1))
    return tmp_path / "c.case"


def test_the_run_saves_the_index_that_trace_uses(tmp_path: Path) -> None:
    case = make_case(tmp_path, copies=3)
    with CaseReader(case) as reader:
        assert reader.trace_index() is not None
        saved = load_index(reader)
        rebuilt = ReuseIndex.build(list(reader.segments_for_reuse()))
        assert saved.find_reuse(RELEASE) == rebuilt.find_reuse(RELEASE)
        assert len(trace_text(reader, RELEASE)) == 3


def test_a_story_copied_many_times_in_a_small_case_is_still_traced(tmp_path: Path) -> None:
    # Its rare words appear in every copy; they must not be taken for common words.
    with CaseReader(make_case(tmp_path, copies=45)) as reader:
        assert len(trace_text(reader, RELEASE)) == 45
