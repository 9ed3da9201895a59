"""The app's read index: search, browsing and the timeline give what the case's own queries give."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader, read_index
from sourcetrace.views import EVENT_KINDS, MARK_END, MARK_START, EventView, Page, SearchPage, SegmentFilters

OUTLETS = ["Harbour Ledger", "Northgate Daily", "Coastal Times"]
PLACES = ["Lindqvist", "Osterby", "Sorrel", "Holm", "Varde"]
TOPICS = ["ferry", "bridge", "school", "clinic", "harvest", "museum"]


def _story(rng: random.Random, n: int) -> str:
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    day = rng.randint(1, 28)
    return (f"The {topic} of {place} will reopen on {day} March 2024, the council said in statement number {n}. "
            f"Work on the {topic} began in {rng.choice(['May', 'June', 'July'])} 2023 and cost {n + 2} million "
            f"crowns. Residents of {place} said the {topic} had been closed for too long.")


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty pages from three outlets over two files, a quarter of them copies of another page."""
    rng = random.Random(7)
    folder = tmp_path_factory.mktemp("index")
    inputs = folder / "in"
    inputs.mkdir()
    rows: list[dict[str, Any]] = []
    for n in range(40):
        text = rows[rng.randrange(len(rows))]["text"] if rows and n % 4 == 3 else _story(rng, n)
        outlet = OUTLETS[n % 3]
        rows.append({"url": f"https://{outlet.split()[0].lower()}.example/{n}", "title": f"{outlet}: item {n}",
                     "published": f"2024-03-{1 + n % 28:02d}", "source": outlet, "text": text})
    for name, part in (("early.jsonl", rows[:20]), ("late.jsonl", rows[20:])):
        (inputs / name).write_text("\n".join(json.dumps(r) for r in part) + "\n", encoding="utf-8")
    path = folder / "index.case"
    run_case([inputs], path, RunOptions(workers=1))
    return path


@pytest.fixture()
def readers(case: Path) -> Iterator[tuple[CaseReader, CaseReader]]:
    """The same case read with the index attached, and without."""
    with CaseReader(case, full_paths=False) as plain, CaseReader(case, full_paths=False) as indexed:
        index = indexed.build_read_index()
        try:
            indexed.attach_read_index(index)
            yield indexed, plain
        finally:
            index.remove()


AnyPage = TypeVar("AnyPage", Page[EventView], SearchPage)


def _all_pages(read: Callable[[int, int], AnyPage], per_page: int) -> list[AnyPage]:
    """Pages 1, 2, … up to the first empty one."""
    pages = []
    number = 1
    while True:
        page = read(number, per_page)
        pages.append(page)
        if not page.items:
            return pages
        number += 1


# -- the timeline ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, *EVENT_KINDS])
@pytest.mark.parametrize("per_page", [1, 7, 50])
def test_the_timeline_by_place_pages_exactly_as_the_sorting_query(readers: tuple[CaseReader, CaseReader],
                                                                  kind: str | None, per_page: int) -> None:
    indexed, plain = readers
    by_place = _all_pages(lambda n, size: indexed.events_page(n, size, kind=kind), per_page)
    sorted_ = _all_pages(lambda n, size: plain.events_page(n, size, kind=kind), per_page)
    assert by_place == sorted_
    listed = [event for page in by_place for event in page.items]
    assert len(listed) == len(set(listed)) == by_place[-1].total > 0
    assert by_place[-1].items == ()


def test_the_timeline_holds_both_kinds_of_event(readers: tuple[CaseReader, CaseReader]) -> None:
    indexed, _ = readers
    assert all(indexed.events_page(1, kind=kind).total > 0 for kind in EVENT_KINDS)
    assert indexed.events_page(10**6).items == ()


# -- browsing and search -----------------------------------------------------------------------


FILTERS = [
    SegmentFilters(),
    SegmentFilters(kind="origin"),
    SegmentFilters(kind="exact"),
    SegmentFilters(outlet="HARBOUR"),  # case does not matter
    SegmentFilters(outlet="late.jsonl"),  # the input's shown path
    SegmentFilters(outlet="northgate.example/1"),  # part of a URL
    SegmentFilters(date_from="2024-03-10", date_to="2024-03-20"),
    SegmentFilters(kind="exact", outlet="coastal"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_browsing_in_the_index_finds_what_browsing_the_case_finds(readers: tuple[CaseReader, CaseReader],
                                                                  filters: SegmentFilters) -> None:
    indexed, plain = readers
    pages = _all_pages(lambda n, size: indexed.browse(filters, n, size), 6)
    assert pages == _all_pages(lambda n, size: plain.browse(filters, n, size), 6)
    assert pages[0].total > 0


def test_browsing_by_family_lists_the_family(readers: tuple[CaseReader, CaseReader]) -> None:
    indexed, plain = readers
    family = plain.families()[0]
    found = indexed.browse(SegmentFilters(family=family.id))
    assert found == plain.browse(SegmentFilters(family=family.id))
    assert {hit.segment.id for hit in found.items} == {m.segment.id for m in family.members}


def _search_ids(reader: CaseReader, query: str, filters: SegmentFilters) -> list[int]:
    pages = _all_pages(lambda n, size: reader.search(query, filters, n, size), 4)
    return [hit.segment.id for page in pages for hit in page.items]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_a_filtered_search_finds_the_matches_among_the_browsed_segments(
        readers: tuple[CaseReader, CaseReader], filters: SegmentFilters) -> None:
    indexed, plain = readers
    browsed = {hit.segment.id for page in _all_pages(lambda n, size: plain.browse(filters, n, size), 50)
               for hit in page.items}
    matched = set(_search_ids(indexed, "council", SegmentFilters()))
    found = _search_ids(indexed, "council", filters)
    assert len(found) == len(set(found)) == indexed.search("council", filters).total
    assert set(found) == matched & browsed


def test_few_matches_come_best_first_and_many_in_case_order(readers: tuple[CaseReader, CaseReader],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    indexed, _ = readers
    ranked = indexed.search("ferry ferry council", SegmentFilters())
    monkeypatch.setattr(read_index, "RANKED_MATCHES", ranked.total - 1)
    listed = indexed.search("ferry ferry council", SegmentFilters())
    assert (ranked.order, listed.order) == ("relevance", "case")
    assert listed.total == ranked.total > 1
    in_case_order = _search_ids(indexed, "ferry council", SegmentFilters())
    assert in_case_order == sorted(in_case_order)
    monkeypatch.setattr(read_index, "RANKED_MATCHES", 10**6)
    assert set(_search_ids(indexed, "ferry council", SegmentFilters())) == set(in_case_order)


def test_each_hit_carries_its_segment_and_a_snippet_marking_the_words(readers: tuple[CaseReader, CaseReader]) -> None:
    indexed, plain = readers
    page = indexed.search("residents", SegmentFilters(outlet="coastal"))
    assert isinstance(page, SearchPage) and page.items
    for hit in page.items:
        assert f"{MARK_START}Residents{MARK_END}" in hit.snippet
        assert "coastal" in f"{hit.segment.url} {hit.segment.credit}".lower()
        document = plain.document(hit.segment.document)
        assert document is not None and hit.segment in document.segments
    assert indexed.search("residents", SegmentFilters(), page=99).items == ()


# -- its folder --------------------------------------------------------------------------------


def test_an_index_whose_app_died_is_removed_and_no_other(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    folders = {}
    for name, owner in (("dead", str(gone.pid)), ("alive", str(os.getpid())), ("unowned", None), ("garbled", "x")):
        folder = tmp_path / f"{read_index.PREFIX}{name}"
        folder.mkdir()
        (folder / "read-index.sqlite").write_bytes(b"texts")
        if owner is not None:
            (folder / read_index.OWNER).write_text(owner)
        folders[name] = folder
    (tmp_path / "sourcetrace-other").mkdir()
    assert read_index.remove_orphans(tmp_path) == [folders["dead"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{read_index.PREFIX}{name}" for name in ("alive", "unowned", "garbled")] + ["sourcetrace-other"])


def test_building_an_index_names_its_owner_and_removing_it_leaves_nothing(case: Path) -> None:
    with CaseReader(case) as reader:
        index = reader.build_read_index()
    assert (index.folder / read_index.OWNER).read_text() == str(os.getpid())
    assert index.folder.name.startswith(read_index.PREFIX) and index.path.is_file()
    index.remove()
    assert not index.folder.exists()


def test_an_index_that_fails_to_build_leaves_nothing(case: Path, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(read_index, "_build_filters", broken)
    with CaseReader(case) as reader, pytest.raises(sqlite3.OperationalError, match="disk full"):
        reader.build_read_index()
    assert list(tmp_path.iterdir()) == []


def test_the_pages_of_one_search_count_its_matches_once(readers: tuple[CaseReader, CaseReader],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    indexed, plain = readers
    counted: list[str] = []
    count = read_index._match_count

    def counting(db: sqlite3.Connection, match: str, filters: SegmentFilters) -> int:
        counted.append(match)
        return count(db, match, filters)

    monkeypatch.setattr(read_index, "_match_count", counting)
    pages = [indexed.search("residents council", SegmentFilters(), n, 2) for n in (1, 2, 3)]
    indexed.search("residents council", SegmentFilters(outlet="coastal"))
    assert len(counted) == 2 and len({p.total for p in pages}) == 1
    with pytest.raises(RuntimeError, match="attach_read_index"):
        plain.search("council", SegmentFilters())
