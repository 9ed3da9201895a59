"""What the segment step adds to segments from their page's metadata
(sourcetrace.ingest.steps.inherit_page_metadata)."""

from __future__ import annotations

from sourcetrace.ingest.steps import PageMetadata, inherit_page_metadata
from sourcetrace.records import Segment, SegmentedDocument

PAGE = PageMetadata(title="Keepers Return", author="Edda Marsk", published="1987-10-19T14:05:00-04:00", source="AP")


def page_of(*segments: Segment) -> SegmentedDocument:
    return SegmentedDocument(document_id=1, furniture=[], segments=list(segments))


def test_a_lone_article_without_a_byline_takes_the_page_author() -> None:
    (only,) = inherit_page_metadata(page_of(Segment(0, 0, 10, "The keeper")), PAGE).segments
    assert (only.byline, only.title, only.published, only.credit) == (
        "Edda Marsk", "Keepers Return", "1987-10-19T14:05:00-04:00", "AP",
    )


def test_a_byline_found_in_the_text_is_kept() -> None:
    (only,) = inherit_page_metadata(page_of(Segment(0, 0, 10, "The keeper", byline="Jon Vessel")), PAGE).segments
    assert only.byline == "Jon Vessel"


def test_the_repeats_of_a_lone_article_take_the_page_author_too() -> None:
    first, repeat = inherit_page_metadata(
        page_of(Segment(0, 0, 10, "The keeper"), Segment(1, 12, 22, "The keeper", duplicate_of=0)), PAGE
    ).segments
    assert first.byline == repeat.byline == "Edda Marsk"


def test_stories_of_a_composite_page_do_not_take_the_page_author_or_title() -> None:
    stories = inherit_page_metadata(
        page_of(Segment(0, 0, 10, "The keeper", title="Keepers"), Segment(1, 12, 22, "The ferry", title="Ferry")),
        PAGE,
    ).segments
    assert [(s.byline, s.title) for s in stories] == [(None, "Keepers"), (None, "Ferry")]
    assert all(s.published == PAGE.published and s.credit == "AP" for s in stories)


def test_a_segment_dated_by_its_own_front_matter_keeps_that_date() -> None:
    (only,) = inherit_page_metadata(page_of(Segment(0, 0, 10, "The keeper", published="1998-04-02")), PAGE).segments
    assert only.published == "1998-04-02"
