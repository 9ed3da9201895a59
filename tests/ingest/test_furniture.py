"""Page furniture: known patterns, front matter and lines learned from a corpus.

The corpus tests use a small fictional newsroom generated below: sites that
wrap every page in the same header and footer, and stories made of
sentences unique to each story.
"""

from __future__ import annotations

import itertools
import pickle
import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcetrace.ingest.furniture import (
    FRONT_MATTER_REASON,
    FrontMatter,
    FurnitureModel,
    find_front_matter,
    known_furniture,
    line_fingerprint,
    looks_like_prose,
    normalise_line,
    parse_front_matter,
)
from sourcetrace.ingest.furniture_learning import LearningSettings, learn_furniture
from sourcetrace.ingest.segment import segment_document
from sourcetrace.ingest.spans import split_lines
from sourcetrace.records import FurnitureSpan

# -- a fictional newsroom ------------------------------------------------------

PEOPLE = ["Mila Horvat", "Piet Aalders", "Inga Solberg", "Tomas Berg", "Ana Ruiz", "Lena Okafor",
          "Jonas Feld", "Rhea Castell", "Oskar Lind", "Nadia Perrin", "Ilse Marek", "Bruno Tal"]
PLACES = ["Valdora", "Kessel", "Altmark", "Grunow", "Brask", "Port Aldo", "Ostrava Nova", "Lirria",
          "Maren", "Tessin Bay", "Oberfeld", "Santa Ruth"]
BODIES = ["the regional council", "the water authority", "the port union", "the transport department",
          "the health ministry", "the grain exchange", "a residents' association", "the district court"]
ACTIONS = ["approved a plan to rebuild", "voted against money for", "opened an inquiry into",
           "delayed a decision on", "published a report on", "raised new concerns about",
           "agreed to expand", "cut the budget for"]
OBJECTS = ["the harbour wall", "the northern tram line", "the flood defences", "two rural clinics",
           "the grain silos", "the coastal road", "the ferry landing", "the old textile mill"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{Body} {action} {object} in {place} on {day}, officials said.",
    "{person}, who has lived in {place} for {n} years, said the decision came {n2} months too late.",
    "“We have waited {n} weeks for an answer from {body},” said {person}.",
    "The cost was put at {n} million crowns, according to figures from {body}.",
    "Work on {object} near {place} is expected to take {n} months and employ {n2} people.",
    "Critics in {place} said {body} had ignored {n} written objections.",
    "{person} told reporters on {day} that a vote on {object} would follow within {n} days.",
]


@dataclass(frozen=True)
class Story:
    headline: str
    paragraphs: tuple[str, ...]

    def lines(self) -> list[str]:
        return [self.headline, *self.paragraphs]


@dataclass(frozen=True)
class Site:
    name: str
    header: tuple[str, ...]
    footer: tuple[str, ...]

    def page(self, *stories: Story) -> str:
        body = [line for story in stories for line in story.lines()]
        return "\n\n".join([self.name, *self.header, *body, *self.footer]) + "\n"

    def furniture_lines(self) -> list[str]:
        return [self.name, *self.header, *self.footer]


def make_sentence(rng: random.Random) -> str:
    body = rng.choice(BODIES)
    return rng.choice(SENTENCES).format(
        body=body, Body=body[0].upper() + body[1:], action=rng.choice(ACTIONS), object=rng.choice(OBJECTS),
        place=rng.choice(PLACES), day=rng.choice(DAYS), person=rng.choice(PEOPLE),
        n=rng.randint(2, 990), n2=rng.randint(2, 990),
    )


def make_story(rng: random.Random, paragraphs: int = 6) -> Story:
    headline = (f"{rng.choice(BODIES).title()} {rng.choice(['Backs', 'Blocks', 'Reviews', 'Delays'])} "
                f"{rng.choice(OBJECTS).title()} in {rng.choice(PLACES)} After {rng.randint(2, 99)} Days")
    body = tuple(" ".join(make_sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(paragraphs))
    return Story(headline, body)


def make_site(name: str, rng: random.Random) -> Site:
    topics = rng.sample(["Weather", "Water", "Trade", "Rail", "Courts", "Farming", "Ports"], 3)
    return Site(
        name,
        (f"Notes on {topics[0]}, {topics[1]} and {topics[2]}", f"Home | {' | '.join(topics)} | Contact"),
        (f"About {name}", "Write to the editors", f"© 2024 {name}. All rights reserved."),
    )


def newsroom_corpus(
    seed: int = 7, site_pages: int = 5, copies: int = 3
) -> tuple[list[tuple[int, str]], Site, list[Story], Story]:
    """``site_pages`` pages of one site, each a different story, plus
    ``copies`` copies of one syndicated story on as many other sites, plus
    two unrelated pages."""
    rng = random.Random(seed)
    home = make_site("northwind-daily", rng)
    own_stories = [make_story(rng) for _ in range(site_pages)]
    wire = make_story(rng)
    texts = [home.page(story) for story in own_stories]
    texts += [make_site(f"mirror-{chr(97 + i)}-news", rng).page(wire) for i in range(copies)]
    texts += [make_site(f"lone-{chr(97 + i)}-post", rng).page(make_story(rng)) for i in range(2)]
    return list(enumerate(texts)), home, own_stories, wire


def kept_text(text: str, model: FurnitureModel) -> str:
    """All segment text of a document, after furniture removal."""
    result = segment_document(0, text, model.find(text))
    return "\n".join(segment.text for segment in result.segments)


def furniture_texts(text: str, spans: list[FurnitureSpan]) -> list[str]:
    return [text[span.start:span.end] for span in spans]


LINE_CHOICES = [
    "northwind-daily", "Home | Weather | Contact", "Share this:", "Background", "---", "title: A", "date: 2024",
    "The council met on Monday and agreed to rebuild the harbour wall by next spring.",
    "“It lasted one spring,” said Mila Horvat, who runs a bakery in the Old Quay district.",
    "  padded line  ", "", "Source : MP", "By Lena Okafor", "© 2024 northwind-daily",
]


# -- known patterns --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Please enter your comment!", "comment-prompt"),
        ("Please enter your name here", "comment-prompt"),
        ("Leave a Comment", "comment-prompt"),
        ("Leave a Reply", "comment-prompt"),
        ("No comments:", "comment-prompt"),
        ("14 comments:", "comment-prompt"),
        ("Post a Comment", "comment-prompt"),
        ("Source link", "source-link"),
        ("Share this:", "share-prompt"),
        ("Share on Facebook", "share-prompt"),
        ("Click to share on Twitter", "share-prompt"),
        ("Tweet", "share-prompt"),
        ("Share", "share-prompt"),
        ("WhatsApp", "share-prompt"),
        ("Loading...", "share-prompt"),
        ("MORE FROM AUTHOR", "related-links"),
        ("You have entered an incorrect email address!", "comment-prompt"),
        ("Tag Archives: Rivers", "tag-archive"),
        ("Posted in Weather, Water", "posted-in"),
        ("Related posts", "related-links"),
        ("Advertisement", "advertisement"),
        ("Subscribe to our newsletter", "newsletter"),
        ("We use cookies to improve your experience on our site.", "cookie-notice"),
        ("This website uses cookies", "cookie-notice"),
        ("© 2024 Northwind Daily", "copyright"),
        ("Copyright © 2023 Example Media Group", "copyright"),
        ("All rights reserved.", "copyright"),
        ("  LEAVE A REPLY  ", None),  # callers pass stripped lines; padding is not a match
    ],
)
def test_known_patterns_recognise_whole_furniture_lines(line: str, name: str | None) -> None:
    assert known_furniture(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "Copyright claims against the broadcaster rose sharply last year, the office said.",
        "Posted in Kessel, the notice gave residents ten days to object.",
        "Share prices in Altmark fell by a tenth.",
        "Advertisement revenue fell by a third in the second quarter.",
        "Readers can leave a comment at the town hall until Friday.",
        "Source : AP",
    ],
)
def test_known_patterns_leave_article_sentences_alone(line: str) -> None:
    assert known_furniture(line) is None


def test_known_pattern_matching_ignores_case() -> None:
    assert known_furniture("PLEASE ENTER YOUR COMMENT!") == "comment-prompt"
    assert known_furniture("source LINK") == "source-link"


def test_find_returns_whole_stripped_lines_with_a_named_reason() -> None:
    text = "Ferry Resumes Service\n\nThe ferry sailed again on Thursday.\n\n  Source link \r\nLeave a Reply\n"
    spans = FurnitureModel().find(text)
    assert furniture_texts(text, spans) == ["Source link", "Leave a Reply"]
    assert [span.reason for span in spans] == ["known:source-link", "known:comment-prompt"]


def test_find_on_empty_or_blank_text_finds_nothing() -> None:
    assert FurnitureModel().find("") == []
    assert FurnitureModel().find("\n \r\n\t") == []


# -- front matter ------------------------------------------------------------------


FRONT_MATTER_PAGE = """---
title: "Tram Line Approved"
date: 2024-05-14
author: Staff Writer
tags:
- transport
- council
---
Tram Line Approved

The council voted 31 to 9 to build the line.
"""


def test_a_fenced_front_matter_block_is_one_furniture_span() -> None:
    spans = FurnitureModel().find(FRONT_MATTER_PAGE)
    assert len(spans) == 1
    assert spans[0].reason == FRONT_MATTER_REASON
    block = FRONT_MATTER_PAGE[spans[0].start:spans[0].end]
    assert block.startswith("---\ntitle:") and block.endswith("- council\n---")


def test_front_matter_values_are_parsed_for_segmentation() -> None:
    block = FRONT_MATTER_PAGE[: FRONT_MATTER_PAGE.index("Tram Line Approved\n\n")]
    values = parse_front_matter(block)
    assert (values.title, values.date, values.author) == ("Tram Line Approved", "2024-05-14", "Staff Writer")


def test_consecutive_key_lines_without_fences_are_front_matter() -> None:
    text = "Title: Harbour Strike Ends\nDate: 2024-06-02\nAuthor: Ana Ruiz\n\nDock workers voted to return.\n"
    spans = FurnitureModel().find(text)
    assert furniture_texts(text, spans) == ["Title: Harbour Strike Ends\nDate: 2024-06-02\nAuthor: Ana Ruiz"]
    assert parse_front_matter(furniture_texts(text, spans)[0]).author == "Ana Ruiz"


def test_a_single_key_line_or_a_rule_before_prose_is_not_front_matter() -> None:
    lines = split_lines("Date: the talks resume on Monday.\n\n---\n\nThe union said it was ready.\n---\n")
    assert find_front_matter(lines) == []


def test_front_matter_values_lose_yaml_quotes_and_list_brackets_only() -> None:
    values = parse_front_matter("---\ntitle: 'Ports' Busy Year\nauthor: [Ana Ruiz, Tomas Berg]\ndate: \"2024-01-01\"\n---")
    assert (values.title, values.date, values.author) == ("'Ports' Busy Year", "2024-01-01", "Ana Ruiz, Tomas Berg")


def test_a_long_summary_line_is_not_swallowed_into_unfenced_front_matter() -> None:
    summary = "Summary: " + " ".join(["The council agreed to rebuild the harbour wall before the winter storms."] * 4)
    lines = split_lines(f"{summary}\nDate: 2024-05-01\n\nThe vote was close.")
    assert find_front_matter(lines) == []


def test_front_matter_pasted_on_one_line_is_one_span_and_its_values_are_read() -> None:
    line = 'title: "Keepers Back on Skerra" date: "1998-04-02" author: "Jon Vessel"'
    text = f"The keeper returned.\n\n{line}\n\nThe keeper returned again."
    spans = FurnitureModel().find(text)
    assert [(text[s.start:s.end], s.reason) for s in spans] == [(line, FRONT_MATTER_REASON)]
    assert parse_front_matter(line) == FrontMatter("Keepers Back on Skerra", "1998-04-02", "Jon Vessel")


@pytest.mark.parametrize(
    "line",
    ["Note: the vote: postponed", 'title: "Keepers Back"', 'title: "A" title: "B"', "Ratio: 3:1 in favour"],
)
def test_a_line_with_colons_that_is_not_pairs_of_known_keys_is_not_front_matter(line: str) -> None:
    assert find_front_matter(split_lines(line)) == []


def test_a_fence_without_known_keys_is_not_front_matter() -> None:
    assert find_front_matter(split_lines("---\nNote: see below\n---\n")) == []


# -- normalisation --------------------------------------------------------------------


def test_lines_differing_in_case_spacing_quotes_or_a_year_share_a_fingerprint() -> None:
    assert line_fingerprint("© 2024 Northwind  Daily") == line_fingerprint("© 2023 northwind daily")
    assert line_fingerprint("It’s “open”") == line_fingerprint("it's \"open\"")
    assert line_fingerprint("Posted on June 3, 2024") == line_fingerprint("Posted on June 28, 2023")


def test_lines_made_mostly_of_numbers_keep_their_digits() -> None:
    assert line_fingerprint("2019 45.2 12") != line_fingerprint("2020 45.2 12")
    assert normalise_line("June 3, 2024") == "june 3, 2024"


def test_fingerprints_are_stable_signed_64_bit_integers() -> None:
    fingerprint = line_fingerprint("Write to the editors")
    assert -(2**63) <= fingerprint < 2**63
    assert fingerprint == line_fingerprint("Write to the editors")


def test_fingerprinting_survives_lone_surrogates() -> None:
    assert isinstance(line_fingerprint("broken \ud800 text"), int)


def test_prose_is_told_from_short_labels() -> None:
    assert looks_like_prose("“We have waited ten weeks for an answer,” said Mila Horvat.")
    assert looks_like_prose("The council voted on Monday to rebuild the harbour wall in Kessel.")
    assert not looks_like_prose("Notes on Weather, Water and Trade")
    assert not looks_like_prose("Write to the editors")


# -- learning ---------------------------------------------------------------------------


def test_site_header_and_footer_are_learned_while_every_story_sentence_is_kept() -> None:
    documents, home, own_stories, wire = newsroom_corpus()
    model = learn_furniture(documents, min_documents=3)
    for (doc_id, text), story in zip(documents, own_stories):
        spans = model.find(text)
        assert sorted(furniture_texts(text, spans)) == sorted(home.furniture_lines()), doc_id
        kept = kept_text(text, model)
        for line in story.lines():
            assert line in kept
        assert home.name not in kept.split("\n")
    for _, text in documents[len(own_stories):len(own_stories) + 3]:
        kept = kept_text(text, model)
        assert all(line in kept for line in wire.lines())


def test_a_syndicated_story_is_never_learned_as_furniture() -> None:
    documents, _, _, wire = newsroom_corpus(copies=6)
    model = learn_furniture(documents, min_documents=3)
    learned = {example for _, example, _ in model.to_rows()}
    assert not learned & set(wire.lines())
    assert model.find("\n\n".join(wire.lines())) == []


def test_a_copy_of_the_story_on_the_learned_site_keeps_the_story() -> None:
    documents, home, _, wire = newsroom_corpus()
    documents.append((len(documents), home.page(wire)))
    model = learn_furniture(documents, min_documents=3)
    text = documents[-1][1]
    assert sorted(furniture_texts(text, model.find(text))) == sorted(home.furniture_lines())
    assert all(line in kept_text(text, model) for line in wire.lines())


def test_a_story_pasted_on_several_aggregator_pages_is_not_learned() -> None:
    rng = random.Random(11)
    wire = make_story(rng)
    documents = [
        (i, make_site(f"digest-{chr(97 + i)}", rng).page(make_story(rng), wire, make_story(rng)))
        for i in range(4)
    ]
    model = learn_furniture(documents, min_documents=3)
    learned = {example for _, example, _ in model.to_rows()}
    assert not learned & set(wire.lines())
    # Without the prose-block rule the story's headline would be lost: the
    # story is only a third of each page.
    loose = learn_furniture(documents, settings=LearningSettings(copy_prose_lines=10_000))
    assert wire.headline in {example for _, example, _ in loose.to_rows()}


def test_a_short_brief_copied_onto_pages_heavy_with_furniture_keeps_its_headline() -> None:
    rng = random.Random(9)
    brief = make_story(rng, paragraphs=2)
    documents = []
    for i in range(4):
        site = make_site(f"portal-{chr(97 + i)}", rng)
        sections = [f"{thing.title()} in {place}" for thing in OBJECTS for place in PLACES]
        menu = tuple(f"{section} ({chr(97 + i)})" for section in rng.sample(sections, 30))
        documents.append((i, Site(site.name, site.header + menu, site.footer).page(brief)))
    model = learn_furniture(documents, min_documents=3)
    assert brief.headline not in {example for _, example, _ in model.to_rows()}


@pytest.mark.parametrize("stories_per_page", [3, 4, 5])
def test_tag_pages_of_one_site_sharing_stories_lose_the_header_but_keep_the_stories(stories_per_page: int) -> None:
    # Like a blog's "Tag Archives" pages: each of eight pages pastes several
    # of eight stories, so every story recurs on many pages of the same site.
    rng = random.Random(2)
    site = make_site("harbour-digest", rng)
    pool = [make_story(rng) for _ in range(8)]
    documents = [(i, site.page(*(pool[(i + k) % 8] for k in range(stories_per_page)))) for i in range(8)]
    model = learn_furniture(documents, min_documents=3)
    learned = {example for _, example, _ in model.to_rows()}
    assert {line for line in site.furniture_lines() if known_furniture(line) is None} <= learned
    assert not learned & {line for story in pool for line in story.lines()}


def test_a_quoted_sentence_shared_by_a_few_unrelated_reports_is_not_learned() -> None:
    rng = random.Random(5)
    quote = "“The barrier will hold for a generation,” the minister said in a statement."
    documents = []
    for i in range(8):
        story = make_story(rng)
        story = Story(story.headline, (*story.paragraphs[:2], quote, *story.paragraphs[2:]))
        documents.append((i, make_site(f"outlet-{chr(97 + i)}", rng).page(story)))
    model = learn_furniture(documents, min_documents=3)
    assert len(model) == 0 or quote not in {example for _, example, _ in model.to_rows()}


def test_a_recurring_line_between_paragraphs_stays_in_the_article() -> None:
    rng = random.Random(3)
    documents = []
    for i in range(6):
        story = make_story(rng)
        story = Story(story.headline, (*story.paragraphs[:3], "Background", *story.paragraphs[3:]))
        documents.append((i, make_site(f"paper-{chr(97 + i)}", rng).page(story)))
    model = learn_furniture(documents, min_documents=3)
    assert "Background" in {example for _, example, _ in model.to_rows()}
    text = documents[0][1]
    assert "Background" not in furniture_texts(text, model.find(text))


def test_lines_in_fewer_than_min_documents_are_not_learned() -> None:
    documents, home, _, _ = newsroom_corpus(site_pages=2)
    learned = {example for _, example, _ in learn_furniture(documents, min_documents=3).to_rows()}
    assert home.name not in learned
    learned = {example for _, example, _ in learn_furniture(documents, min_documents=2).to_rows()}
    assert home.name in learned


def test_learned_reasons_give_the_number_of_documents() -> None:
    documents, home, _, _ = newsroom_corpus(site_pages=6)
    model = learn_furniture(documents, min_documents=3)
    text = documents[0][1]
    reasons = {text[s.start:s.end]: s.reason for s in model.find(text)}
    assert reasons[home.name] == "learned:recurs across unrelated documents"


def test_learning_does_not_depend_on_document_order_and_reads_the_input_once() -> None:
    documents, _, _, _ = newsroom_corpus(site_pages=8, copies=4)
    shuffled = documents[:]
    random.Random(1).shuffle(shuffled)
    forward = learn_furniture(iter(documents), min_documents=3)
    backward = learn_furniture((doc for doc in shuffled), min_documents=3)
    assert sorted(forward.to_rows()) == sorted(backward.to_rows())


def test_learning_from_nothing_or_blank_documents_learns_nothing() -> None:
    assert len(learn_furniture([])) == 0
    assert len(learn_furniture([(1, ""), (2, "\n\n"), (3, "")])) == 0


def test_known_furniture_is_not_learned_again() -> None:
    documents, _, _, _ = newsroom_corpus()
    documents = [(doc_id, text + "\nShare this:\n") for doc_id, text in documents]
    assert "Share this:" not in {example for _, example, _ in learn_furniture(documents).to_rows()}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(LINE_CHOICES), max_size=12), min_size=1, max_size=12))
def test_found_spans_are_sorted_whole_lines_for_any_corpus(pages: list[list[str]]) -> None:
    documents = [(i, "\n".join(lines)) for i, lines in enumerate(pages)]
    model = learn_furniture(documents, min_documents=2)
    for _, text in documents:
        spans = model.find(text)
        for before, after in itertools.pairwise(spans):
            assert before.end <= after.start
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start:span.end] == text[span.start:span.end].strip()
            assert not text[:span.start].split("\n")[-1].strip(), "a span starts at the start of a line"
            assert not text[span.end:].split("\n")[0].strip(), "a span ends at the end of a line"


# -- persistence --------------------------------------------------------------------------


def test_rows_round_trip_to_an_equal_model() -> None:
    documents, _, _, _ = newsroom_corpus()
    model = learn_furniture(documents)
    rows = model.to_rows()
    assert rows and all(isinstance(fp, str) and len(fp) == 16 for fp, _, _ in rows)
    again = FurnitureModel.from_rows(rows)
    assert sorted(again.to_rows()) == sorted(rows)
    text = documents[0][1]
    assert again.find(text) == model.find(text)


def test_rows_with_integer_fingerprints_are_accepted() -> None:
    fingerprint = line_fingerprint("Write to the editors")
    model = FurnitureModel.from_rows([(fingerprint, "Write to the editors", 9)])
    text = "Write to the editors\n\nA short note."
    assert model.find(text) == [FurnitureSpan(0, 20, "learned:recurs across unrelated documents")]


def test_a_model_survives_pickling() -> None:
    documents, _, _, _ = newsroom_corpus()
    model = learn_furniture(documents)
    text = documents[1][1]
    assert pickle.loads(pickle.dumps(model)).find(text) == model.find(text)


# -- formulas and order ---------------------------------------------------------------

COMPANIES = ["Harlow Mills", "Brask Tin", "Velden Foods", "Ostra Shipping", "Kessel Steel", "Lirria Power",
             "Maren Paper", "Tarnow Glass", "Esk Ferries", "Grunow Salt", "Oberfeld Wool", "Altmark Rail"]


def dividend_page(company: str, rng: random.Random) -> str:
    """A wire dividend notice: headline, one formula line with the company's
    own figures, dates, and the wire's sign-off, under the wire's header."""
    cents = rng.randint(5, 90)
    # Some notices add a paragraph or two: the shared template is then a small part of the page.
    extra = [make_sentence(rng) + " " + make_sentence(rng) for _ in range(rng.choice([0, 0, 2, 3]))]
    lines = [
        "Meridian Wire | Markets", f"{company.upper()} SETS QUARTERLY DIVIDEND",
        f"Qtly div {cents} cts vs {cents - rng.randint(0, 4)} cts prior qtr",
        f"Pay April {rng.randint(1, 28)}", f"Record March {rng.randint(1, 28)}", *extra, "Meridian Wire",
    ]
    return "\n\n".join(lines) + "\n"


def formula_corpus(seed: int = 4) -> list[str]:
    """Dividend notices of twelve unrelated companies, two of them with
    equal figures, among ordinary stories under the same wire header."""
    rng = random.Random(seed)
    texts = [dividend_page(company, rng) for company in COMPANIES]
    texts.append(texts[0].replace(COMPANIES[0].upper(), "PORT ALDO BANK"))  # the same figures, another company
    wire = Site("Meridian Wire | Markets", (), ("Meridian Wire",))
    texts += [wire.page(make_story(rng)) for _ in range(8)]
    return texts


def test_a_formula_line_carrying_each_storys_figures_is_never_furniture() -> None:
    texts = formula_corpus()
    model = learn_furniture(enumerate(texts), min_documents=3)
    learned = {example for _, example, _ in model.to_rows()}
    assert "Meridian Wire | Markets" in learned  # the header recurs verbatim: furniture
    assert not any(example.startswith(("Qtly div", "Pay April", "Record March")) for example in learned)
    for text in texts[: len(COMPANIES) + 1]:
        kept = kept_text(text, model)
        formula = next(line for line in text.splitlines() if line.startswith("Qtly div"))
        assert formula in kept.split("\n")
        assert "Meridian Wire | Markets" not in kept


def test_a_line_recurring_verbatim_with_the_same_figures_is_still_learned() -> None:
    documents, _, _, _ = newsroom_corpus()
    documents = [(doc_id, f"Call 0800 555 0100 for home delivery\n\n{text}") for doc_id, text in documents]
    learned = {example for _, example, _ in learn_furniture(documents, min_documents=3).to_rows()}
    assert "Call 0800 555 0100 for home delivery" in learned


def test_a_site_line_that_varies_only_by_its_date_or_time_is_still_learned() -> None:
    documents, _, _, _ = newsroom_corpus()
    dated = [(doc_id, f"Posted on March {3 + n}, 2024 by the Northwind desk\n\n{text}") for n, (doc_id, text) in enumerate(documents)]
    learned = {example for _, example, _ in learn_furniture(dated, min_documents=3).to_rows()}
    assert any(example.startswith("Posted on March") for example in learned)


def learned_verdicts(model: FurnitureModel) -> set[tuple[str, int]]:
    """What learning decided, without the example text (any one occurrence)."""
    return {(fingerprint, count) for fingerprint, _, count in model.to_rows()}


def mixed_corpus() -> list[str]:
    """Site pages, syndicated copies and dividend notices: lines whose
    verdict rests on which documents are sampled."""
    documents, _, _, _ = newsroom_corpus(site_pages=9, copies=7)
    return [text for _, text in documents] + formula_corpus()


@pytest.mark.parametrize("seed", [1, 4, 7])
def test_learning_does_not_depend_on_the_ids_documents_got_from_their_arrival_order(seed: int) -> None:
    texts = mixed_corpus()
    shuffled = texts[:]
    random.Random(seed).shuffle(shuffled)
    small_samples = LearningSettings(sample_size=4)  # so that which documents are sampled matters
    in_order = learn_furniture(enumerate(texts), settings=small_samples)
    reordered = learn_furniture(enumerate(shuffled), settings=small_samples)
    assert learned_verdicts(in_order) == learned_verdicts(reordered)


def test_a_case_extended_by_a_second_run_learns_what_one_run_over_all_pages_learns() -> None:
    texts = mixed_corpus()
    first_run, added = texts[:-6], texts[-6:]
    # Ids follow the runs (the added pages last) or, in one run, the order of the given inputs.
    extended = list(enumerate(first_run)) + [(len(first_run) + i, text) for i, text in enumerate(added)]
    given_order = texts[:]
    random.Random(4).shuffle(given_order)  # one run numbers the pages as its inputs are listed
    one_run = list(enumerate(given_order))
    small_samples = LearningSettings(sample_size=4)
    model_after_two_runs = learn_furniture(extended, settings=small_samples)
    model_of_one_run = learn_furniture(one_run, settings=small_samples)
    assert learned_verdicts(model_after_two_runs) == learned_verdicts(model_of_one_run)
    for text in texts:  # and so every page is cut the same way
        assert kept_text(text, model_after_two_runs) == kept_text(text, model_of_one_run)
