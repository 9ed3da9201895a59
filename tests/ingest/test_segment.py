"""Splitting documents into articles: composite pages, repeated copies,
single pages, and the invariants that keep every character accounted for."""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcetrace.ingest import segment as segment_module
from sourcetrace.ingest.furniture import FurnitureModel, line_fingerprint
from sourcetrace.ingest.segment import (
    PAGE_FOOTER_REASON,
    PAGE_HEADER_REASON,
    DocumentText,
    SegmentDocuments,
    extract_credit,
    is_headline_like,
    parse_byline,
    segment_document,
)
from sourcetrace.records import FurnitureSpan, SegmentedDocument

DATA = Path(__file__).parent / "data"


def assert_accounts_for_every_character(text: str, result: SegmentedDocument) -> None:
    """The contract of segmentation (see records.Segment)."""
    owner = bytearray(len(text))  # 0: nothing, 1: furniture, 2: segment
    for span in result.furniture:
        assert 0 <= span.start < span.end <= len(text)
        owner[span.start:span.end] = b"\x01" * (span.end - span.start)
    for before, after in itertools.pairwise(result.furniture):
        assert before.end <= after.start
    previous_end = 0
    for ordinal, segment in enumerate(result.segments):
        assert segment.ordinal == ordinal
        assert previous_end <= segment.start < segment.end <= len(text)
        previous_end = segment.end
        pieces, cursor = [], segment.start
        for low, high in segment.removed:
            assert cursor <= low < high <= segment.end
            assert all(owner[i] == 1 for i in range(low, high)), "removed text must be furniture"
            pieces.append(text[cursor:low])
            cursor = high
        pieces.append(text[cursor:segment.end])
        assert segment.text == "".join(pieces)
        removed = {i for low, high in segment.removed for i in range(low, high)}
        for i in range(segment.start, segment.end):
            if i not in removed:
                assert owner[i] == 0, "furniture inside a segment must be listed as removed"
                owner[i] = 2
        assert not text[segment.start].isspace() and not text[segment.end - 1].isspace()
        if segment.duplicate_of is not None:
            assert segment.duplicate_of < ordinal
            assert result.segments[segment.duplicate_of].duplicate_of is None
    for i, char in enumerate(text):
        assert owner[i] or char.isspace(), f"character {i} {char!r} silently dropped"


def segment_text(text: str, published: str | None = None, model: FurnitureModel | None = None) -> SegmentedDocument:
    result = segment_document(1, text, (model or FurnitureModel()).find(text), published)
    assert_accounts_for_every_character(text, result)
    return result


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


# -- composite pages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def aggregator() -> tuple[str, SegmentedDocument]:
    text = (DATA / "aggregator_page.txt").read_text(encoding="utf-8")
    return text, segment_text(text, published="2024-08-31")


def test_an_aggregator_page_gives_one_segment_per_story(aggregator: tuple[str, SegmentedDocument]) -> None:
    _, result = aggregator
    assert [s.title for s in result.segments] == [
        "Flood Barrier Fails Its First Test in Lower Valdora",
        "Harbour Workers Vote to End Six-Week Strike",
        "Drought Pushes Grain Prices to Three-Year High",
        "Chart: Rainfall by Province – Who Got the Least?",
    ]
    assert all(s.duplicate_of is None for s in result.segments)


def test_each_story_keeps_its_byline_names_or_none_for_a_bare_wrote_line(
    aggregator: tuple[str, SegmentedDocument],
) -> None:
    _, result = aggregator
    assert [s.byline for s in result.segments] == ["Ana Ruiz and Tomas Berg", None, "Lena Okafor", None]


def test_each_story_keeps_the_source_its_credit_line_names(aggregator: tuple[str, SegmentedDocument]) -> None:
    _, result = aggregator
    assert [s.credit for s in result.segments] == ["MP", "Harbor Wire", "Coastline News Agency", "DataPoint"]


def test_a_story_segment_runs_from_its_headline_to_its_credit_line(aggregator: tuple[str, SegmentedDocument]) -> None:
    text, result = aggregator
    first = result.segments[0]
    assert first.text.startswith("Flood Barrier Fails Its First Test in Lower Valdora\n\nAna Ruiz and Tomas Berg wrote")
    assert first.text.endswith("Source : MP")
    assert text[first.start:first.end] == first.text


def test_sub_headings_do_not_split_a_story(aggregator: tuple[str, SegmentedDocument]) -> None:
    _, result = aggregator
    assert "Questions for the builder\n\nThe contractor, Danube Line Works" in result.segments[0].text
    assert "PAY AND HOURS\n\nUnder the agreement" in result.segments[1].text


def test_every_paragraph_of_the_stories_lands_in_exactly_one_segment(
    aggregator: tuple[str, SegmentedDocument],
) -> None:
    text, result = aggregator
    furniture = {text[f.start:f.end] for f in result.furniture}
    for paragraph in paragraphs(text):
        homes = [s.ordinal for s in result.segments if paragraph in paragraphs(s.text)]
        assert len(homes) == (0 if paragraph in furniture else 1), paragraph


def test_site_name_and_tag_line_above_the_first_of_several_stories_are_page_header(
    aggregator: tuple[str, SegmentedDocument],
) -> None:
    text, result = aggregator
    reasons = {text[f.start:f.end]: f.reason for f in result.furniture}
    assert reasons == {
        "northwind-daily": PAGE_HEADER_REASON,
        "Notes on Weather, Water and Trade": PAGE_HEADER_REASON,
        "Tag Archives: Rivers": "known:tag-archive",
    }


def test_the_published_date_of_the_document_is_given_to_every_segment(
    aggregator: tuple[str, SegmentedDocument],
) -> None:
    _, result = aggregator
    assert {s.published for s in result.segments} == {"2024-08-31"}


TWO_WIRE_STORIES = """Lighthouse Keepers Return to Maren Point

MAREN (Coastline) — Two keepers moved back into the Maren Point lighthouse on Monday, ten years after it was automated.

The harbour board said the keepers would run a visitor centre and watch the lamp during winter storms.

Rail Freight Doubles on Northern Line

KESSEL, June 3 (Meridian Press) - Freight traffic on the northern rail line doubled in the first half of the year, the operator said on Tuesday.

Most of the growth came from grain shipped to the port of Kessel.
"""


def test_stories_without_credit_lines_split_at_headline_and_dateline_and_take_the_dateline_agency() -> None:
    result = segment_text(TWO_WIRE_STORIES)
    assert [s.title for s in result.segments] == [
        "Lighthouse Keepers Return to Maren Point",
        "Rail Freight Doubles on Northern Line",
    ]
    assert [s.credit for s in result.segments] == ["Coastline", "Meridian Press"]
    assert result.segments[0].text.endswith("during winter storms.")


def test_short_lines_after_the_last_credit_line_are_page_footer() -> None:
    text = TWO_WIRE_STORIES + "\nSource : Meridian Press\n\nAbout this blog\n\nContact the editor\n"
    result = segment_text(text)
    assert len(result.segments) == 2
    assert result.segments[-1].text.endswith("Source : Meridian Press")
    footer = [text[f.start:f.end] for f in result.furniture if f.reason == PAGE_FOOTER_REASON]
    assert footer == ["About this blog", "Contact the editor"]


def test_prose_after_the_last_credit_line_is_kept_as_its_own_segment() -> None:
    note = "The editors of this digest add a short note on how they choose the stories they reprint each week."
    result = segment_text(TWO_WIRE_STORIES + "\nSource : Meridian Press\n\n" + note + "\n")
    assert result.segments[-1].text == note
    assert result.segments[-1].title is None


def test_prose_before_the_first_of_several_stories_is_kept_as_its_own_segment() -> None:
    intro = "This week we collected two reports on transport along the coast, with thanks to our readers."
    result = segment_text(intro + "\n\n" + TWO_WIRE_STORIES)
    assert result.segments[0].text == intro
    assert len(result.segments) == 3


def test_byline_lines_starting_with_by_anchor_a_story() -> None:
    text = (
        "Dam Inspection Finds Cracks\n\nBy Jonas Feld\n\nInspectors found cracks in the Oberfeld dam, the authority said.\n\n"
        "Clinic Opens in Santa Ruth\n\nBy Rhea Castell and Bruno Tal | Harbor Wire\n\n"
        "A new clinic opened in Santa Ruth on Friday, the first in the valley for twenty years.\n"
    )
    result = segment_text(text)
    assert [(s.title, s.byline) for s in result.segments] == [
        ("Dam Inspection Finds Cracks", "Jonas Feld"),
        ("Clinic Opens in Santa Ruth", "Rhea Castell and Bruno Tal"),
    ]


def test_a_stray_line_between_byline_and_dateline_does_not_split_the_story() -> None:
    text = (
        "At Least Nine Hurt as Tram Derails in Kessel\nBy Jonas Feld\n\n· Updated ago\n\n"
        "KESSEL, May 2 (Meridian Press) - Nine people were hurt when a tram left the rails near the central"
        " station on Thursday, the city transport office said.\n\nThe line will stay closed until Monday.\n"
    )
    (only,) = segment_text(text).segments
    assert (only.title, only.byline, only.credit) == (
        "At Least Nine Hurt as Tram Derails in Kessel", "Jonas Feld", "Meridian Press",
    )
    assert only.start == 0


def test_a_cms_user_name_byline_is_a_byline_and_a_dateline_after_the_site_header_gives_the_credit() -> None:
    text = (
        "valley-courier\nHome | World | Contact\n\nTram Derails in Kessel\n\nBy admin - May 2, 2024\n\n"
        "KESSEL (Meridian Press) — Nine people were hurt when a tram left the rails on Thursday, officials said.\n"
    )
    (only,) = segment_text(text).segments
    assert (only.title, only.byline, only.credit) == ("Tram Derails in Kessel", "admin", "Meridian Press")


# -- repeated articles --------------------------------------------------------------------


def test_a_page_repeating_one_article_keeps_it_once_and_marks_the_copies() -> None:
    text = (DATA / "content_farm_repeats.txt").read_text(encoding="utf-8")
    result = segment_text(text)
    assert [s.duplicate_of for s in result.segments] == [None, 0, 0]
    starts = [s.start for s in result.segments]
    assert len(set(starts)) == 3
    assert len({s.text for s in result.segments}) == 1
    assert all(s.text.startswith("City Council Approves New Tram Line\n\nThe city council") for s in result.segments)


def test_short_lines_after_the_last_copy_are_page_footer_so_the_copy_is_still_a_duplicate() -> None:
    text = (DATA / "content_farm_repeats.txt").read_text(encoding="utf-8") + "\nFollow us\nGet the app\n"
    result = segment_text(text)
    assert [s.duplicate_of for s in result.segments] == [None, 0, 0]
    footer = [text[f.start:f.end] for f in result.furniture if f.reason == PAGE_FOOTER_REASON]
    assert footer == ["Follow us", "Get the app"]


def test_front_matter_values_become_segment_title_byline_and_date() -> None:
    text = (DATA / "content_farm_repeats.txt").read_text(encoding="utf-8")
    first = segment_text(text, published="2024-06-01").segments[0]
    assert (first.title, first.byline, first.published) == (
        "City Council Approves New Tram Line",
        "Staff Writer",
        "2024-05-14",
    )
    assert "title:" not in first.text and "---" not in first.text


ARTICLE = [
    "Ferry Fares Frozen for Islanders",
    "Islanders who use the Brask ferry will pay the same fares next year after the regional council agreed to cover rising fuel costs.",
    "The decision follows a petition signed by more than 600 residents, nearly half of the island's population.",
    "“Without the ferry there is no school, no doctor and no work,” said Inga Solberg, who organised the petition.",
]


def test_a_repeated_headline_alone_separates_copies() -> None:
    text = "\n\n".join(ARTICLE * 3)
    result = segment_text(text)
    assert [s.duplicate_of for s in result.segments] == [None, 0, 0]
    assert all(s.title == ARTICLE[0] for s in result.segments)


def test_the_first_long_paragraph_coming_round_again_starts_a_copy_with_what_preceded_it() -> None:
    copy = ["14 May 2024", *ARTICLE[1:]]
    text = "\n".join(copy + copy)  # HTML-extracted text: no blank lines
    result = segment_text(text)
    assert len(result.segments) == 2
    assert result.segments[1].text.startswith("14 May 2024\n")
    assert result.segments[1].duplicate_of == 0


def test_copies_differing_only_in_case_spacing_or_quote_style_are_duplicates() -> None:
    second = [line.replace("“", '"').replace("”", '"').upper() for line in ARTICLE]
    second[1] = second[1].replace(" ", "  ")
    result = segment_text("\n\n".join(ARTICLE + second))
    assert [s.duplicate_of for s in result.segments] == [None, 0]


def test_a_list_of_identical_short_lines_is_not_taken_for_repeated_articles() -> None:
    (only,) = segment_text("Harbour Strike Ends\n" * 50).segments
    assert only.text.count("Harbour Strike Ends") == 50


LONG_ARTICLE = [
    "Lighthouse Keepers Return to Skerra Point",
    "After eleven years of automatic operation, the lighthouse at Skerra Point will again have a keeper living "
    "on the rock from next spring, the coastal authority of the fictional Varn archipelago announced on Monday.",
    "The authority said storms had damaged the automatic lamp three times in two winters and that a resident "
    "keeper could carry out repairs within hours instead of waiting days for a boat from the mainland.",
    "“A light that fails in January is worse than no light at all,” said harbour pilot Edda Marsk, who had "
    "campaigned for the post to be restored, adding that fishing crews would feel safer on the northern route.",
]


def test_copies_with_a_changed_word_are_repeats_of_the_first() -> None:
    second = [*LONG_ARTICLE[:3], LONG_ARTICLE[3].replace("feel safer", "feel calmer")]
    text = "\n\n".join(LONG_ARTICLE + second)
    first, repeat = segment_text(text).segments
    assert (first.duplicate_of, repeat.duplicate_of) == (None, 0)
    assert (repeat.start, repeat.end) == (text.rindex(LONG_ARTICLE[0]), len(text))  # the repeat's own offsets
    assert "feel calmer" in repeat.text and "feel calmer" not in first.text


def test_a_copy_whose_headline_and_first_paragraph_changed_a_word_is_still_found_as_a_repeat() -> None:
    second = [LONG_ARTICLE[0].replace("Return", "Come Back"), LONG_ARTICLE[1].replace("Monday", "Tuesday"),
              *LONG_ARTICLE[2:]]
    text = "\n\n".join(LONG_ARTICLE + second)
    first, repeat = segment_text(text).segments
    assert repeat.duplicate_of == 0
    assert repeat.text.startswith("Lighthouse Keepers Come Back") and "Come Back" not in first.text


@pytest.mark.parametrize(
    "front_matter",
    [
        'title: "Keepers Back on Skerra" date: "1998-04-02" author: "Jon Vessel"',
        "---\ntitle: Keepers Back on Skerra\ndate: 1998-04-02\nauthor: Jon Vessel\n---",
    ],
    ids=["one-line", "fenced"],
)
def test_repeats_separated_by_front_matter_keep_one_primary_dated_by_the_block(front_matter: str) -> None:
    second = [*LONG_ARTICLE[:2], LONG_ARTICLE[2].replace("within hours", "in hours"), LONG_ARTICLE[3]]
    text = "\n\n".join([*LONG_ARTICLE, front_matter, *second])
    first, repeat = segment_text(text).segments
    assert (first.duplicate_of, repeat.duplicate_of) == (None, 0)
    for segment in (first, repeat):
        assert "title:" not in segment.text and "1998" not in segment.text and "Jon Vessel" not in segment.text
    assert (first.title, first.byline, first.published) == (LONG_ARTICLE[0], "Jon Vessel", "1998-04-02")
    assert repeat.start > text.index("Jon Vessel")


def test_front_matter_does_not_override_the_date_of_a_page_that_has_one() -> None:
    text = "\n\n".join([*LONG_ARTICLE, 'title: "Keepers" date: "1998-04-02"', *LONG_ARTICLE])
    first, repeat = segment_text(text, published="1998-04-01T09:15:00+01:00").segments
    assert first.published == "1998-04-01T09:15:00+01:00"
    assert repeat.duplicate_of == 0


def test_two_different_stories_sharing_a_quote_are_not_repeats() -> None:
    quote = LONG_ARTICLE[3]
    other = ["Ferry Fares Frozen for Islanders", ARTICLE[1], ARTICLE[2], quote]
    result = segment_text("\n\n".join([*LONG_ARTICLE, "Source : Varn Post", *other, "Source : Varn Post"]))
    assert [s.duplicate_of for s in result.segments] == [None, None]


# -- single pages ----------------------------------------------------------------------------


def test_a_plain_page_is_one_segment_without_its_trailing_furniture() -> None:
    text = (DATA / "plain_page_with_prompts.txt").read_text(encoding="utf-8")
    result = segment_text(text, published="2024-03-07")
    (only,) = result.segments
    assert only.title == "Ferry Service to Island of Brask Resumes After Storm Repairs"
    assert only.text.endswith("said Inga Solberg, who runs the island’s guest house.")
    assert only.removed == []
    assert only.published == "2024-03-07"
    assert [text[f.start:f.end] for f in result.furniture] == [
        "Source link", "Leave a Reply", "Please enter your comment!", "Please enter your name here",
    ]


def test_furniture_inside_an_article_is_cut_from_its_text_and_listed_as_removed() -> None:
    text = f"{ARTICLE[0]}\n\n{ARTICLE[1]}\n\nAdvertisement\n\n{ARTICLE[2]}"
    (only,) = segment_text(text).segments
    advert = text.index("Advertisement")
    assert only.removed == [(advert, advert + len("Advertisement"))]
    assert "Advertisement" not in only.text
    assert only.text == text[: advert] + text[advert + len("Advertisement"):]


def test_a_page_without_a_headline_has_no_title() -> None:
    (only,) = segment_text("\n\n".join(ARTICLE[1:])).segments
    assert only.title is None


def test_a_single_story_keeps_its_unlearned_site_header_and_takes_the_anchor_headline() -> None:
    text = "valley-courier\n\nNews from the valley\n\nDam Inspection Finds Cracks\n\nBy Jonas Feld\n\n" + ARTICLE[1]
    (only,) = segment_text(text).segments
    assert only.start == 0
    assert only.title == "Dam Inspection Finds Cracks"
    assert only.byline == "Jonas Feld"


def test_a_credit_line_ends_the_article_and_names_its_source() -> None:
    text = "\n\n".join(ARTICLE) + "\n\nSource: Harbor Wire\n\nShare this:\n"
    (only,) = segment_text(text).segments
    assert only.credit == "Harbor Wire"
    assert only.text.endswith("Source: Harbor Wire")


def test_learned_furniture_on_a_headline_byline_or_credit_line_is_taken_back() -> None:
    text = (DATA / "aggregator_page.txt").read_text(encoding="utf-8")
    wrongly_learned = ["Drought Pushes Grain Prices to Three-Year High", "By Lena Okafor", "Source : MP"]
    spans = [FurnitureSpan(text.index(line), text.index(line) + len(line), "learned:recurs across unrelated documents")
             for line in wrongly_learned]
    result = segment_document(1, text, spans)
    assert_accounts_for_every_character(text, result)
    assert result.segments[0].credit == "MP"
    assert result.segments[2].title == "Drought Pushes Grain Prices to Three-Year High"
    assert result.segments[2].byline == "Lena Okafor"
    assert not [f for f in result.furniture if f.reason.startswith("learned:")]


def test_overlapping_or_out_of_range_furniture_spans_are_merged_and_clipped() -> None:
    text = "\n\n".join(ARTICLE)
    spans = [FurnitureSpan(5, 20, "a"), FurnitureSpan(10, 30, "b"), FurnitureSpan(-4, 2, "c"),
             FurnitureSpan(len(text) - 3, len(text) + 50, "d"), FurnitureSpan(7, 7, "empty")]
    result = segment_document(1, text, spans)
    assert_accounts_for_every_character(text, result)
    assert [(f.start, f.end, f.reason) for f in result.furniture] == [
        (0, 2, "c"), (5, 30, "a; b"), (len(text) - 3, len(text), "d"),
    ]


# -- line helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Source : AP", "AP"),
        ("Source: Reuters", "Reuters"),
        ("Source : United Nations", "United Nations"),
        ("SOURCE: Harbor Wire.", "Harbor Wire"),
        ("GENEVA (AP) — China’s envoy said on Friday that the talks would continue.", "AP"),
        ("LONDON, June 3 (Reuters) - Prices rose.", "Reuters"),
        ("(Reuters) -", "Reuters"),
        ("Source link", None),
        ("Sources said the talks had failed.", None),
        ("Source: officials familiar with the talks who asked not to be named because they were not authorised", None),
        ("Officials (who asked not to be named) - said the talks failed.", None),
        ("", None),
    ],
)
def test_extract_credit_names_the_credited_source(line: str, credit: str | None) -> None:
    assert extract_credit(line) == credit


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Ana Ruiz wrote . . . . . . . . .", "Ana Ruiz"),
        ("Ana Ruiz and Edith M. Berg wrote . . .", "Ana Ruiz and Edith M. Berg"),
        ("wrote . . . . . . . . .", None),
        ("By Lena Okafor", "Lena Okafor"),
        ("By Lena Okafor, Harbor Wire", "Lena Okafor"),
        ("Written by Jonas Feld | Coastline", "Jonas Feld"),
        ("By admin - March 16, 2024", "admin"),
    ],
)
def test_byline_lines_give_the_names(line: str, names: str | None) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert byline.names == names


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the ministry had left the talks.",
        "by the end of the year prices had doubled",
        "He wrote . . .",
        "The minister wrote to the council on Friday.",
        "Lena Okafor",
    ],
)
def test_sentences_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Harbour Workers Vote to End Six-Week Strike", True),
        ("Chart: Rainfall by Province – Who Got the Least?", True),
        ("PAY AND HOURS", True),
        ("The port authority said it expected the backlog to clear.", False),
        ("“We strongly urge the council not to publish the report.”", False),
        ("Source : MP", False),
        ("By Lena Okafor", False),
        ("12345", False),
        ("· Updated ago", False),
        ("x" * 200, False),
    ],
)
def test_headline_like_lines_are_short_and_do_not_end_as_sentences(line: str, expected: bool) -> None:
    assert is_headline_like(line) is expected


# -- the stage -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\r\n\t ",
        "Leave a Reply\n\nShare this:\n\nSource link",
        "One line only",
        "---",
        "---\ntitle: x\ndate: 2024\n---",
        "Broken \ud800 surrogate and NUL \x00 bytes",
        "Headline\r\n\r\nJane Doe wrote . . .\r\n\r\nThe council met on Monday and agreed the plan.\r\n\r\nSource : AP\r\n",
    ],
)
def test_the_stage_never_raises_and_accounts_for_every_character(text: str) -> None:
    stage = SegmentDocuments(FurnitureModel())
    (result,) = stage.run([DocumentText(7, text, None)])
    assert result.document_id == 7
    assert_accounts_for_every_character(text, result)
    assert stage.stats["segments"] == len(result.segments)


def test_crlf_text_splits_like_lf_text() -> None:
    text = (DATA / "aggregator_page.txt").read_text(encoding="utf-8")
    crlf = segment_text(text.replace("\n", "\r\n"))
    assert [s.title for s in crlf.segments] == [s.title for s in segment_text(text).segments]
    assert all("\r" not in s.text[-1:] for s in crlf.segments)


def test_a_megabyte_without_newlines_is_one_segment() -> None:
    text = ("The council met again and the vote was delayed once more. " * 18_000)[:1_000_000]
    (result,) = SegmentDocuments().run([DocumentText(1, text)])
    assert len(result.segments) == 1
    assert result.segments[0].text == text.strip()


def test_the_stage_keeps_the_whole_text_if_segmentation_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> SegmentedDocument:
        raise RuntimeError("bug")

    monkeypatch.setattr(segment_module, "segment_document", broken)
    stage = SegmentDocuments()
    (result,) = stage.run([DocumentText(3, "  Headline\n\nBody text here.  ", "2024-01-02")])
    assert [(s.text, s.published) for s in result.segments] == [("Headline\n\nBody text here.", "2024-01-02")]
    assert stage.stats["segmentation_failed"] == 1
    assert result.failure == "RuntimeError: bug"


def test_the_stage_counts_segments_duplicates_and_composite_pages() -> None:
    stage = SegmentDocuments()
    records = [
        DocumentText(1, (DATA / "aggregator_page.txt").read_text(encoding="utf-8")),
        DocumentText(2, (DATA / "content_farm_repeats.txt").read_text(encoding="utf-8")),
    ]
    list(stage.run(records))
    assert (stage.stats["segments"], stage.stats["duplicate_segments"], stage.stats["composite_documents"]) == (7, 2, 1)


def test_the_stage_pickles_with_its_model() -> None:
    model = FurnitureModel.from_rows([(1, "x", 3)])
    stage = pickle.loads(pickle.dumps(SegmentDocuments(model)))
    assert len(stage.model) == 1


# -- random pages -------------------------------------------------------------------------------------

LINE_POOL = [
    "Flood Barrier Fails in Valdora", "Harbour Strike Ends", "PAY AND HOURS", "Background",
    "Ana Ruiz wrote . . . . .", "wrote . . .", "By Lena Okafor", "Source : MP", "Source: Harbor Wire",
    "VALDORA (MP) — The barrier gave way on Tuesday night, the authority said.",
    "The council met on Monday and agreed to rebuild the harbour wall by next spring.",
    "“It lasted one spring,” said Mila Horvat, who runs a bakery in the Old Quay district.",
    "Engineers said a section near the railway bridge had been weakened by seepage that monitoring missed.",
    "Leave a Reply", "Share this:", "Source link", "Advertisement", "© 2024 northwind-daily",
    "---", "title: Harbour Strike Ends", "date: 2024-05-14", "author: Ana Ruiz", "Tag Archives: Rivers",
]


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINE_POOL) | st.text(max_size=30), max_size=40))
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\n \n", "\n\t"]),
                               min_size=len(lines), max_size=len(lines)))
    padding = draw(st.sampled_from(["", " ", "\t", "\xa0"]))
    return "".join(padding + line + sep for line, sep in zip(lines, separators))


# A model that has (wrongly or rightly) learned a headline, a byline, a
# credit line, a sub-heading and a sentence, so every path is exercised.
POOL_MODEL = FurnitureModel.from_rows(
    (line_fingerprint(line), line, 5)
    for line in ["Harbour Strike Ends", "By Lena Okafor", "Source : MP", "Background", LINE_POOL[10]]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_random_pages_account_for_every_character(text: str) -> None:
    (result,) = SegmentDocuments(POOL_MODEL).run([DocumentText(1, text)])
    assert_accounts_for_every_character(text, result)


@settings(max_examples=200, deadline=None)
@given(pages(), st.lists(st.tuples(st.integers(-5, 300), st.integers(-5, 300)), max_size=8))
def test_random_furniture_spans_never_break_the_invariants(text: str, bounds: list[tuple[int, int]]) -> None:
    spans = [FurnitureSpan(low, high, "learned:recurs across unrelated documents") for low, high in bounds]
    assert_accounts_for_every_character(text, segment_document(1, text, spans))


# -- items pasted without credit lines --------------------------------------------------

STATE_MEDIA_STORY = [
    "Port Aldo Opens Grain Terminal to Foreign Ships",
    "PORT ALDO, March 11 (Valdora News Agency) -- The fictional state of Valdora opened its new grain terminal "
    "at Port Aldo to foreign ships on Friday, calling it a milestone for the country's farmers.",
    "The agency said the terminal could load forty thousand tonnes of wheat a week and would employ more than "
    "two hundred dock workers once the second berth is finished next year.",
]
NGO_STATEMENT = [
    "Harbour Rights Watch said on Friday that dock workers at the new Port Aldo terminal had been denied rest "
    "breaks during the first week of loading and called on the operator to publish its shift rotas.",
    "The group said it had spoken to eleven workers, four of whom said they had worked sixteen hours without a "
    "break while the terminal prepared for its opening ceremony.",
]
OFFICIAL_STATEMENT = [
    "Statement by the Ministry of Ports on the Grain Terminal",
    "March 10, 2022",
    "The Ministry of Ports welcomes the opening of the grain terminal at Port Aldo and thanks the engineers and "
    "dock workers who completed the first berth ahead of schedule.",
    "Working hours at the terminal follow the national labour code, and the ministry will review any complaint "
    "brought to it by the workers or their representatives.",
]


def pasted_items_page(ngo_headline: str | None = None) -> str:
    ngo_header = ["Harbour Rights Watch", "March 11, 2022", *([ngo_headline] if ngo_headline else [])]
    return "\n\n".join([
        "Saturday, March 12, 2022", *STATE_MEDIA_STORY, "Read more: Valdora Signs Grain Deal With Neighbours",
        *ngo_header, *NGO_STATEMENT, *OFFICIAL_STATEMENT,
    ])


def test_items_pasted_without_credit_lines_are_each_a_segment_with_headline_outlet_and_date() -> None:
    text = pasted_items_page()
    story, ngo, official = segment_text(text).segments
    assert (story.title, story.credit, story.published) == (
        STATE_MEDIA_STORY[0], "Valdora News Agency", "2022-03-12",  # the blog's date header dates the page
    )
    assert (ngo.title, ngo.credit, ngo.published) == (None, "Harbour Rights Watch", "2022-03-11")
    assert (official.title, official.credit, official.published) == (OFFICIAL_STATEMENT[0], None, "2022-03-10")
    assert story.text.endswith(STATE_MEDIA_STORY[-1])  # the "Read more:" line is nobody's text
    assert ngo.text.startswith("Harbour Rights Watch\n\nMarch 11, 2022") and ngo.text.endswith(NGO_STATEMENT[-1])
    assert official.text.startswith(OFFICIAL_STATEMENT[0])


def test_an_outlet_and_date_over_a_headline_give_the_item_that_headline() -> None:
    ngo = segment_text(pasted_items_page("Dock Workers Denied Breaks at Port Aldo")).segments[1]
    assert (ngo.title, ngo.credit, ngo.published) == ("Dock Workers Denied Breaks at Port Aldo", "Harbour Rights Watch",
                                                      "2022-03-11")


def test_a_blog_date_header_dates_the_page_and_is_not_its_headline() -> None:
    text = "\n\n".join(["Saturday, March 12, 2022", *LONG_ARTICLE])
    (only,) = segment_text(text).segments
    assert (only.title, only.published) == (LONG_ARTICLE[0], "2022-03-12")
    assert segment_text(text, published="2022-03-12T07:45:00+01:00").segments[0].published == "2022-03-12T07:45:00+01:00"


def test_a_date_line_inside_an_article_does_not_split_it() -> None:
    text = "\n\n".join([*LONG_ARTICLE[:2], "14 March 2022", *LONG_ARTICLE[2:]])
    (only,) = segment_text(text).segments
    assert only.title == LONG_ARTICLE[0]


def test_a_title_case_headline_over_a_date_line_is_the_items_headline_not_an_outlet() -> None:
    text = "\n\n".join(["Port Aldo Opens Grain Terminal", "March 11, 2022", *STATE_MEDIA_STORY[1:]])
    (only,) = segment_text(text).segments
    assert (only.title, only.credit, only.published) == ("Port Aldo Opens Grain Terminal", "Valdora News Agency",
                                                         "2022-03-11")
