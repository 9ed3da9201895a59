"""Offsets between a segment's text and its document, and line spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcetrace.ingest.spans import document_to_segment_offset, segment_to_document_offset, split_lines
from sourcetrace.records import Segment


def _segment(document: str, start: int, end: int, removed: list[tuple[int, int]]) -> Segment:
    pieces, cursor = [], start
    for low, high in removed:
        pieces.append(document[cursor:low])
        cursor = high
    pieces.append(document[cursor:end])
    return Segment(ordinal=0, start=start, end=end, text="".join(pieces), removed=removed)


DOCUMENT = "Site name\n\nHeadline here\n\nShare this:\n\nFirst paragraph.\n\nAdvertisement\n\nSecond paragraph."


def _at(needle: str) -> int:
    return DOCUMENT.index(needle)


@pytest.fixture
def segment() -> Segment:
    share = (_at("Share"), _at("Share") + len("Share this:"))
    advert = (_at("Advertisement"), _at("Advertisement") + len("Advertisement"))
    return _segment(DOCUMENT, _at("Headline"), len(DOCUMENT), [share, advert])


def test_a_character_of_segment_text_maps_to_the_same_character_of_the_document(segment: Segment) -> None:
    for offset, char in enumerate(segment.text):
        assert DOCUMENT[segment_to_document_offset(segment, offset)] == char


def test_text_after_removed_furniture_maps_past_it(segment: Segment) -> None:
    offset = segment.text.index("First paragraph")
    assert segment_to_document_offset(segment, offset) == _at("First paragraph")
    offset = segment.text.index("Second paragraph")
    assert segment_to_document_offset(segment, offset) == _at("Second paragraph")


def test_the_end_of_the_segment_text_maps_to_the_segment_end(segment: Segment) -> None:
    assert segment_to_document_offset(segment, len(segment.text)) == segment.end


def test_offsets_outside_the_segment_text_are_rejected(segment: Segment) -> None:
    with pytest.raises(ValueError):
        segment_to_document_offset(segment, -1)
    with pytest.raises(ValueError):
        segment_to_document_offset(segment, len(segment.text) + 1)


def test_document_offsets_inside_removed_furniture_have_no_segment_offset(segment: Segment) -> None:
    assert document_to_segment_offset(segment, _at("Share")) is None
    assert document_to_segment_offset(segment, _at("Advertisement") + 3) is None


def test_document_offsets_outside_the_segment_have_no_segment_offset(segment: Segment) -> None:
    assert document_to_segment_offset(segment, 0) is None
    assert document_to_segment_offset(segment, segment.end + 1) is None


def test_document_offset_right_after_furniture_maps_into_the_segment(segment: Segment) -> None:
    after_share = _at("Share") + len("Share this:")
    mapped = document_to_segment_offset(segment, after_share)
    assert mapped is not None
    assert segment.text[mapped:].startswith(DOCUMENT[after_share:after_share + 10])


def test_segment_end_maps_to_the_length_of_the_text(segment: Segment) -> None:
    assert document_to_segment_offset(segment, segment.end) == len(segment.text)


def test_offsets_round_trip_through_the_document(segment: Segment) -> None:
    for offset in range(len(segment.text) + 1):
        assert document_to_segment_offset(segment, segment_to_document_offset(segment, offset)) == offset


@st.composite
def segments_with_removals(draw: st.DrawFn) -> tuple[str, Segment]:
    document = draw(st.text(alphabet="ab \n", min_size=1, max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(document)), min_size=2, max_size=10)))
    start, end = cuts[0], cuts[-1]
    inner = cuts[1:-1]
    removed = [(low, high) for low, high in zip(inner[::2], inner[1::2]) if low < high]
    return document, _segment(document, start, end, removed)


@given(segments_with_removals())
def test_round_trips_hold_for_any_removed_spans(case: tuple[str, Segment]) -> None:
    document, segment = case
    for offset in range(len(segment.text)):
        doc_offset = segment_to_document_offset(segment, offset)
        assert document[doc_offset] == segment.text[offset]
        assert document_to_segment_offset(segment, doc_offset) == offset
    for doc_offset in range(segment.start, segment.end + 1):
        mapped = document_to_segment_offset(segment, doc_offset)
        inside_removed = any(low <= doc_offset < high for low, high in segment.removed)
        assert (mapped is None) == inside_removed
        if mapped is not None and mapped < len(segment.text):
            assert segment_to_document_offset(segment, mapped) == doc_offset


def test_split_lines_strips_each_line_and_skips_blank_ones() -> None:
    text = "  Title \r\n\r\n\tBody line one.\r\n   \nLast"
    lines = split_lines(text)
    assert [line.text for line in lines] == ["Title", "Body line one.", "Last"]
    assert all(text[line.start:line.end] == line.text for line in lines)


def test_split_lines_treats_lone_carriage_returns_and_unicode_separators_as_breaks() -> None:
    lines = split_lines("one\rtwo\u2028three\x0cfour")
    assert [line.text for line in lines] == ["one", "two", "three", "four"]


def test_split_lines_of_blank_text_is_empty() -> None:
    assert split_lines("") == []
    assert split_lines(" \n\t\r\n ") == []
