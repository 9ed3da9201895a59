"""Captures: the same page collected twice is one page shown as its captures,
never a copy of itself; different URLs with the same text stay copies."""

from __future__ import annotations

import itertools

import pytest

from sourcetrace.records import Family, SegmentForReuse
from sourcetrace.reuse.captures import page_address
from sourcetrace.reuse.families import CopyGraph, build_families
from sourcetrace.reuse.relations import PairVerdict, PreparedSegment, classify_pair

from .stories import ORIGINAL

URL = "https://harbourledger.example/news/dam-report"
EDITED = ORIGINAL.replace("Officials", "City officials", 1) + " This article was updated on Friday."


def segment(sid: int, text: str, url: str | None, *, captured: str | None = None,
            published: str | None = "2024-03-04") -> SegmentForReuse:
    return SegmentForReuse(sid, text, document_id=sid // 1000, published=published, url=url, captured=captured)


def families_of(*segments: SegmentForReuse) -> CopyGraph:
    prepared = [PreparedSegment.of(s.id, s.text) for s in segments]
    verdicts = [v for a, b in itertools.combinations(prepared, 2) if (v := classify_pair(a, b)) is not None]
    return build_families({s.id: s for s in segments}, verdicts, lambda a, b: True)


def only_family(graph: CopyGraph) -> Family:
    assert len(graph.families) == 1
    return graph.families[0]


def kinds(family: Family) -> dict[int, tuple[str, int | None]]:
    return {m.segment: (m.kind, m.parent) for m in family.members}


@pytest.mark.parametrize(("url", "same_as"), [
    ("HTTPS://WWW.HarbourLedger.example/news/dam-report/", URL),
    ("http://harbourledger.example:80/news/dam-report#comments", URL),
    ("https://harbourledger.example/news/dam-report?utm_source=feed&utm_medium=rss&fbclid=x", URL),
    ("https://harbourledger.example/news/dam-report?b=2&a=1", "https://harbourledger.example/news/dam-report?a=1&b=2"),
])
def test_one_page_is_one_address_whatever_the_case_slash_fragment_or_tracking(url: str, same_as: str) -> None:
    assert page_address(url) == page_address(same_as) is not None


def test_different_paths_queries_and_no_url_are_different_pages() -> None:
    assert page_address(URL) != page_address(URL.replace("/news/", "/NEWS/"))  # a path keeps its case
    assert page_address(URL) != page_address(URL + "?id=2")
    assert page_address(None) is None and page_address("") is None and page_address("dam-report.html") is None


def test_an_html_file_and_a_warc_capture_of_one_url_are_one_page_shown_as_captures() -> None:
    saved = segment(1000, ORIGINAL, URL, captured="2026-11-30T09:00:00Z")  # the saved file: its mtime
    archived = segment(2000, ORIGINAL, URL + "?utm_source=x", captured="2024-03-05T10:00:00Z")  # WARC-Date
    graph = families_of(saved, archived)
    family = only_family(graph)
    # The earliest capture stands for the page; the other is its capture, not a copy.
    assert kinds(family) == {2000: ("origin", None), 1000: ("capture", 2000)}
    assert (family.key, family.origin, family.pages) == (1000, 2000, 1)
    assert "same time" not in family.origin_evidence
    assert [(r.segment, r.parent, r.kind) for r in graph.relations] == [(1000, 2000, "capture")]


def test_two_captures_of_one_url_with_a_small_edit_are_one_page() -> None:
    first = segment(1000, ORIGINAL, URL, captured="2024-03-05T10:00:00Z")
    later = segment(2000, EDITED, URL, captured="2024-03-08T10:00:00Z")
    family = only_family(families_of(first, later))
    assert kinds(family) == {1000: ("origin", None), 2000: ("capture", 1000)}
    assert family.pages == 1


def test_captures_of_the_origin_are_the_origin_and_copies_count_once() -> None:
    saved = segment(1000, ORIGINAL, URL, captured="2026-11-30T09:00:00Z")
    archived = segment(2000, ORIGINAL, URL, captured="2024-03-05T10:00:00Z")
    copy = segment(3000, ORIGINAL, "https://northgate.example/dam", published="2024-03-05")
    family = only_family(families_of(saved, archived, copy))
    assert family.origin == 2000 and "same time" not in family.origin_evidence
    assert kinds(family) == {1000: ("capture", 2000), 2000: ("origin", None), 3000: ("exact", 2000)}
    assert family.pages == 2  # the page and its copy


def test_a_copy_of_a_later_capture_keeps_that_capture_as_its_parent() -> None:
    first = segment(1000, ORIGINAL, URL, captured="2024-03-05T10:00:00Z")
    later = segment(2000, EDITED, URL, captured="2024-03-08T10:00:00Z")
    copy = segment(3000, EDITED, "https://northgate.example/dam", published="2024-03-09")
    family = only_family(families_of(first, later, copy))
    assert kinds(family)[2000] == ("capture", 1000)
    assert kinds(family)[3000] == ("exact", 2000)  # it copied the edited text, which only the later capture has
    assert family.origin == 1000 and family.pages == 2


def test_two_different_urls_with_identical_text_remain_copies() -> None:
    wire = segment(1000, ORIGINAL, URL, published="2024-03-04T08:00:00Z")
    syndicated = segment(2000, ORIGINAL, "https://northgate.example/news/dam-report", published="2024-03-04T09:00:00Z")
    family = only_family(families_of(wire, syndicated))
    assert kinds(family) == {1000: ("origin", None), 2000: ("exact", 1000)}
    assert family.pages == 2


def test_a_page_without_url_is_never_a_capture() -> None:
    for url in (None, ""):
        family = only_family(families_of(segment(1000, ORIGINAL, url, published="2024-03-04T08:00:00Z"),
                                         segment(2000, ORIGINAL, url, published="2024-03-04T09:00:00Z")))
        assert "capture" not in {m.kind for m in family.members} and family.pages == 2


def test_one_segment_of_a_document_is_never_a_capture_of_another_of_the_same_document() -> None:
    first = segment(1000, ORIGINAL, URL, published="2024-03-04T08:00:00Z")
    second = segment(1001, ORIGINAL, URL, published="2024-03-04T09:00:00Z")  # document 1 too
    family = only_family(families_of(first, second))
    assert kinds(family) == {1000: ("origin", None), 1001: ("exact", 1000)}


def test_captures_do_not_depend_on_the_order_verdicts_arrive_in() -> None:
    segments = [segment(1000, ORIGINAL, URL, captured="2024-03-08T10:00:00Z"),
                segment(2000, EDITED, URL, captured="2024-03-05T10:00:00Z"),
                segment(3000, ORIGINAL, "https://northgate.example/dam", published="2024-03-09")]
    prepared = [PreparedSegment.of(s.id, s.text) for s in segments]
    verdicts: list[PairVerdict] = [v for a, b in itertools.combinations(prepared, 2)
                                   if (v := classify_pair(a, b)) is not None]
    by_id = {s.id: s for s in segments}
    forward = build_families(by_id, verdicts, lambda a, b: True)
    backward = build_families(by_id, verdicts[::-1], lambda a, b: True)
    assert forward == backward
    assert kinds(only_family(forward))[1000] == ("capture", 2000)  # the earlier capture stands for the page
