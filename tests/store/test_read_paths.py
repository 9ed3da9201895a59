"""Input paths as readers show them: relative to the inputs the runs were given (store/read_paths.py)."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.store import CaseReader
from sourcetrace.store.read_paths import ShownPaths
from tests.store.test_read import small_case


def test_an_input_found_in_a_given_folder_is_shown_from_the_folders_name() -> None:
    shown = ShownPaths(("/home/ana/corpora/demo",))
    assert shown.shown("/home/ana/corpora/demo/wire.html") == "demo/wire.html"
    assert shown.shown("/home/ana/corpora/demo/feeds/a.jsonl") == "demo/feeds/a.jsonl"


def test_an_input_given_itself_is_shown_by_its_file_name() -> None:
    shown = ShownPaths(("/home/ana/notes/release.txt",))
    assert shown.shown("/home/ana/notes/release.txt") == "release.txt"


def test_the_outermost_given_input_that_holds_a_path_decides_its_form() -> None:
    shown = ShownPaths(("/data/demo", "/data/demo/text/a.txt"))
    assert shown.shown("/data/demo/text/a.txt") == "demo/text/a.txt"


def test_an_older_run_that_recorded_only_a_relative_input_is_matched_by_its_name() -> None:
    shown = ShownPaths((), relative_given=("corpus",))
    assert shown.shown("/home/ana/work/corpus/sub/b.html") == "corpus/sub/b.html"


def test_a_path_under_no_given_input_is_shown_by_its_file_name() -> None:
    assert ShownPaths(("/data/demo",)).shown("/elsewhere/x/stray.txt") == "stray.txt"


def test_a_reader_shows_inputs_relative_to_the_runs_inputs_unless_asked_for_full_paths(tmp_path: Path) -> None:
    case = small_case(tmp_path)
    with CaseReader(case, full_paths=False) as reader:
        segment = next(iter(reader.segments(reader.segment_ids()).values()))
        document = reader.document(segment.document)
        assert document is not None
        assert [i.path for i in reader.overview().first_inputs] == ["in/empty.html", "in/ferry.txt"]
        assert [p.path for p in reader.problems()] == ["in/empty.html"]
        assert segment.path == document.path == "in/ferry.txt"
    with CaseReader(case) as reader:  # the terminal and the export keep the stored, absolute paths
        assert [i.path for i in reader.overview().first_inputs] == [str(tmp_path / "in" / n) for n in
                                                                    ("empty.html", "ferry.txt")]


def test_a_message_quoting_a_path_loses_the_folders_above_the_given_inputs() -> None:
    shown = ShownPaths(("/home/ana/corpora/demo",))
    message = "PermissionError: [Errno 13] Permission denied: '/home/ana/corpora/demo/locked.html'"
    assert shown.scrubbed(message) == "PermissionError: [Errno 13] Permission denied: 'demo/locked.html'"
