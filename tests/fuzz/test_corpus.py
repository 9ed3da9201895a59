"""Every input the fuzzer kept, and every crash it found, keeps its promise.

bench/fuzz.py fuzzes the targets of tests/fuzz/targets.py with atheris and
keeps a minimised corpus, with every crash it found, in tests/fuzz/corpus/.
Here they are replayed: a crash that was fixed stays fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.seeds import seeds
from tests.fuzz.targets import CORPUS, TARGETS, corpus_files


def _inputs() -> list[tuple[str, str, bytes]]:
    found = []
    for name in TARGETS:
        found += [(name, f"seed-{number}", seed) for number, seed in enumerate(seeds(name))]
        found += [(name, path.name, path.read_bytes()) for path in corpus_files(name)]
    return found


INPUTS = _inputs()


@pytest.mark.parametrize(("target", "name", "data"), INPUTS, ids=[f"{t}/{n}" for t, n, _ in INPUTS])
def test_a_kept_input_keeps_the_targets_promise(target: str, name: str, data: bytes) -> None:
    TARGETS[target].run(data)


@st.composite
def _mutated_seed(draw: st.DrawFn, target: str) -> bytes:
    """A seed of the target with a stretch replaced by arbitrary bytes: past the format's header checks."""
    seed = draw(st.sampled_from(seeds(target)))
    start = draw(st.integers(0, len(seed)))
    end = draw(st.integers(start, min(len(seed), start + 64)))
    return seed[:start] + draw(st.binary(max_size=64)) + seed[end:]


@pytest.mark.parametrize("target", list(TARGETS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_keep_the_targets_promise(target: str, data: st.DataObject) -> None:
    """hypothesis's side of the fuzzing, in CI: arbitrary bytes, and seeds with a stretch mutated."""
    TARGETS[target].run(data.draw(st.binary(max_size=512) | _mutated_seed(target)))


def test_every_target_has_a_kept_corpus() -> None:
    missing = [name for name in TARGETS if not corpus_files(name)]
    assert not missing, f"no kept corpus for {missing}: run python bench/fuzz.py --keep"


def test_the_corpus_holds_only_known_targets() -> None:
    assert {path.name for path in Path(CORPUS).iterdir() if path.is_dir()} <= set(TARGETS)


def test_a_lone_surrogate_in_a_json_feed_is_replaced_and_recorded(tmp_path: Path) -> None:
    """The first crash the fuzzer found: one "\\ud800" escape stopped the whole run."""
    from sourcetrace.ingest.read import ingest_input
    from sourcetrace.records import ProblemReason

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"title": "A \\ud800 title", "text": "The mayor said \\udfff the bridge would reopen."}\n')
    result = ingest_input(str(feed))
    document, = result.documents
    assert document.text == "The mayor said \ufffd the bridge would reopen."
    assert document.title == "A \ufffd title"
    assert [p.reason for p in result.problems] == [ProblemReason.UNDECODABLE]


def test_a_truncated_gzip_feed_is_a_truncated_input(tmp_path: Path) -> None:
    import gzip

    from sourcetrace.ingest.read import ingest_input
    from sourcetrace.records import ProblemReason

    rows = b"".join(b'{"text": "Row %d of a feed that the crawler cut off halfway."}\n' % n for n in range(200))
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(gzip.compress(rows)[:400])
    result = ingest_input(str(feed))
    assert result.documents, "the rows before the cut are kept"
    assert result.problems[-1].reason is ProblemReason.TRUNCATED
    assert "gzip stream ends early" in result.problems[-1].message
    assert not [p for p in result.problems if p.reason is ProblemReason.EXTRACTION_FAILED]


def test_a_csv_header_cut_by_a_stray_carriage_return_is_a_table_without_a_text_column(tmp_path: Path) -> None:
    """The fuzzer's second finding: csv refused the header line while the delimiter was chosen,
    and the exception reached the catch-all. Now the table is read, and says what it holds."""
    from sourcetrace.ingest.read import ingest_input
    from sourcetrace.records import ProblemReason

    table = tmp_path / "table.csv"
    table.write_bytes(b"title,te\rxt\nA,The mayor said the bridge would reopen.\n")
    result = ingest_input(str(table))
    problem, = result.problems
    assert problem.reason is ProblemReason.NO_TEXT_COLUMN and "'title', 'te'" in problem.message


def test_json_nested_thousands_deep_is_a_bad_record(tmp_path: Path) -> None:
    from sourcetrace.ingest.read import ingest_input
    from sourcetrace.records import ProblemReason

    feed = tmp_path / "deep.jsonl"
    feed.write_bytes(b"[" * 5000 + b"\n" + b'{"text": "The mayor said the bridge would reopen in May."}\n')
    result = ingest_input(str(feed))
    assert [p.reason for p in result.problems] == [ProblemReason.BAD_RECORD]
    assert "nested too deeply" in result.problems[0].message and len(result.documents) == 1
