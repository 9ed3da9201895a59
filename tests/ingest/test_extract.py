"""Main-text and metadata extraction from HTML pages (sourcetrace.ingest.extract).

All pages are fictional and built here.
"""

from __future__ import annotations

import socket

import pytest

from sourcetrace.ingest import extract
from sourcetrace.ingest.extract import EXTRACTORS, ExtractedPage, Extractor, extract_html

NAV = (
    '<header><div class="logo">Harbour Digest</div><nav><ul>'
    '<li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
    '<li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>'
)
SIDEBAR = (
    '<aside id="sidebar"><h3>Recent posts</h3><ul><li><a href="/a">Market prices for the week</a></li>'
    '<li><a href="/b">Weather outlook</a></li></ul><h3>Subscribe</h3>'
    "<p>Enter your email address to receive new posts by email.</p></aside>"
)
FOOTER = (
    "<footer><p>© 2021 Harbour Digest. All rights reserved.</p>"
    '<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>'
)
FURNITURE_WORDS = ("About us", "Recent posts", "Enter your email", "All rights reserved", "Privacy policy")

STORIES = [
    (
        "Ferry service resumes on the Velda river after floods",
        [
            (
                "The ferry linking the twin towns of Marrow and Quill resumed service on Tuesday, nine days "
                "after floodwater tore away its landing stage on the eastern bank."
            ),
            (
                "Engineers from the regional transport office worked through the weekend to anchor a temporary "
                "pontoon, the office said in a statement issued on Monday evening."
            ),
            (
                "“We are relieved that children can cross to school again,” said the Marrow council chair, "
                "Ilse Verhoven, who rode the first crossing at dawn."
            ),
        ],
    ),
    (
        "Orchard growers count losses after late frost",
        [
            (
                "Apple and pear growers in the Lindel valley say a single night of frost last week destroyed "
                "most of the blossom on their lower slopes."
            ),
            (
                "The growers' cooperative estimates that the harvest will fall by more than half, and has asked "
                "the provincial government for emergency support."
            ),
            (
                "Several farmers told reporters they had lit smudge pots through the night but could not keep "
                "the temperature above freezing."
            ),
        ],
    ),
    (
        "City library reopens its restored reading room",
        [
            (
                "The central library of Brennick reopened its nineteenth-century reading room on Saturday after "
                "a three-year restoration of the painted ceiling and oak shelving."
            ),
            (
                "Conservators replaced more than four hundred cracked glass panes in the roof lantern, using "
                "glass blown to match the original thickness."
            ),
            (
                "The library expects the room to draw visitors from across the province, its director said at "
                "the reopening ceremony."
            ),
        ],
    ),
]


def page(body: str, head: str = "<title>Harbour Digest</title>") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def story_html(headline: str, paragraphs: list[str], wrapper: str = "article", css: str = "post") -> str:
    body = "".join(f"<p>{p}</p>" for p in ["Jane Doe wrote . . . . . .", *paragraphs, "Source : AP"])
    return (
        f'<{wrapper} class="{css}"><h2 class="entry-title"><a href="/2021/04/x">{headline}</a></h2>'
        f'<div class="entry-content">{body}</div></{wrapper}>'
    )


def aggregator_page(wrapper: str = "article", css: str = "post") -> str:
    stories = "".join(story_html(h, ps, wrapper, css) for h, ps in STORIES)
    content = f'<div id="content"><h1 class="archive-title">Tag Archives: Rivers</h1>{stories}</div>'
    return page(NAV + content + SIDEBAR + FOOTER)


def teaser(number: int) -> str:
    """A link to another story: each paragraph is a link or inside one."""
    linked_block = (
        f"<p>Regional news, teaser number {number}, filed on Thursday afternoon by the desk</p>"
        f"<p>The council met on Thursday to discuss new bus routes for the valley towns and villages, "
        "and agreed to run a trial service on the northern bank from the first week of spring</p>"
    )
    linked_lines = (
        f"<p><a href='/t{number}'>Read more about teaser number {number}, the bus routes, the trial "
        "service on the northern bank and the other stories of the week</a>.</p>"
        f"<p><a href='/t{number}#c'>Join the discussion about the bus routes in the valley towns and "
        "tell us which stops you would add</a></p>"
    )
    return (
        f'<article class="teaser"><h3><a href="/t{number}">Teaser headline {number}</a></h3>'
        f'<a href="/t{number}">{linked_block}</a>{linked_lines}</article>'
    )


def blocks(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


# --- layout of the text --------------------------------------------------------

ARTICLE_HEAD = """
<title>Dam inspectors find cracks in Oster spillway | The Valley Courier</title>
<meta property="og:title" content="Dam inspectors find cracks in Oster spillway">
<meta property="og:site_name" content="The Valley Courier">
<meta property="og:url" content="https://courier.example.org/2021/05/14/oster-dam-cracks">
<link rel="canonical" href="https://courier.example.org/2021/05/14/oster-dam-cracks">
<meta name="author" content="Tomas Reinholt">
<meta property="article:published_time" content="2021-05-14T08:30:00+02:00">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Dam inspectors find cracks in Oster spillway",
 "datePublished": "2021-05-14T08:30:00+02:00",
 "author": {"@type": "Person", "name": "Tomas Reinholt"},
 "publisher": {"@type": "Organization", "name": "The Valley Courier"}}
</script>
"""
ARTICLE_BLOCKS = [
    "Dam inspectors find cracks in Oster spillway",
    (
        "Inspectors from the provincial water authority found three hairline cracks in the concrete spillway "
        "of the Oster dam during a routine survey on Monday, the authority said."
    ),
    (
        "The authority said the cracks posed no immediate danger to the villages downstream, but that it would "
        "lower the reservoir by two metres as a precaution while engineers take core samples."
    ),
    "Repairs expected in summer",
    (
        "Repairs are expected to begin in July and to last about six weeks, according to a schedule published "
        "on the authority's website."
    ),
]
ARTICLE = page(
    NAV + "<article><h1>{}</h1><p>{}</p><p>{}</p><h2>{}</h2><p>{}</p></article>".format(*ARTICLE_BLOCKS) + FOOTER,
    head=ARTICLE_HEAD,
)


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_headings_and_paragraphs_are_blocks_separated_by_blank_lines(extractor: Extractor) -> None:
    result = extract_html(ARTICLE, extractor=extractor)
    assert result.extractor == extractor
    assert blocks(result.text) == ARTICLE_BLOCKS
    assert "\n\n".join(ARTICLE_BLOCKS) == result.text


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_navigation_and_footer_are_left_out(extractor: Extractor) -> None:
    text = extract_html(ARTICLE, extractor=extractor).text
    assert "About us" not in text and "All rights reserved" not in text


def test_line_breaks_inside_a_paragraph_stay_single() -> None:
    address = "Town hall<br>Market square 4<br>Quill"
    html = page("<article><h1>{}</h1><p>{}</p><p>{}</p><p>{}</p></article>".format(*ARTICLE_BLOCKS[:3], address))
    assert "Town hall\nMarket square 4\nQuill" in blocks(extract_html(html).text)


def test_list_items_and_table_rows_stay_on_lines_of_their_own() -> None:
    body = (
        "<article><h1>{}</h1><p>{}</p><ul><li>North abutment</li><li>South abutment</li></ul><p>{}</p>"
        "<table><tr><th>Site</th><th>Cracks</th></tr><tr><td>North</td><td>2</td></tr></table></article>"
    ).format(*ARTICLE_BLOCKS[:3])
    found = blocks(extract_html(page(body)).text)
    assert found[0:2] == ARTICLE_BLOCKS[:2] and found[3] == ARTICLE_BLOCKS[2]
    assert [line.strip("-• ") for line in found[2].splitlines()] == ["North abutment", "South abutment"]
    rows = found[4].splitlines()
    assert "Site" in rows[0] and "North" in rows[-1] and all(row == row.rstrip() for row in rows)


def test_input_that_is_not_text_is_reported() -> None:
    result = extract_html(b"<html><body><p>bytes</p></body></html>")  # type: ignore[arg-type]
    assert (result.text, result.error) == ("", "expected str, got bytes")


# --- composite (aggregator) pages ------------------------------------------------


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize(
    ("wrapper", "css"), [("article", "post"), ("div", "post-7 post type-post hentry"), ("div", "h-entry")]
)
def test_composite_page_keeps_every_story_in_page_order(extractor: Extractor, wrapper: str, css: str) -> None:
    text = extract_html(aggregator_page(wrapper, css), extractor=extractor).text
    found = blocks(text)
    headlines = [h for h, _ in STORIES]
    assert [b for b in found if b in headlines] == headlines
    for headline, paragraphs in STORIES:
        start = found.index(headline)
        assert found[start + 1 : start + 6] == ["Jane Doe wrote . . . . . .", *paragraphs, "Source : AP"]
    assert not any(word in text for word in FURNITURE_WORDS)


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_stories_listed_inside_one_wrapping_article_are_all_kept(extractor: Extractor) -> None:
    stories = "".join(story_html(h, ps) for h, ps in STORIES)
    html = page(NAV + f'<main><article class="archive"><h1>Tag Archives: Rivers</h1>{stories}</article></main>')
    found = blocks(extract_html(html, extractor=extractor).text)
    assert [b for b in found if b in [h for h, _ in STORIES]] == [h for h, _ in STORIES]
    assert found.count("Source : AP") == len(STORIES)


def test_composite_page_keeps_stories_trafilatura_alone_would_drop() -> None:
    import trafilatura

    html = aggregator_page()
    alone = trafilatura.extract(html, include_comments=False) or ""
    dropped = [h for h, _ in STORIES if h not in alone]
    assert dropped, "fixture no longer exercises the composite fix"
    text = extract_html(html, extractor="trafilatura").text
    assert all(headline in text for headline in dropped)


COMMENTS = (
    '<section id="comments"><article class="comment"><h4>Reader one</h4>'
    "<p>I crossed on that ferry every day for years and it was always late, but the crew were kind "
    "and the coffee on board was better than anything sold on either bank of the river.</p>"
    "<p>Glad to hear the service is back, though I wonder how long a temporary pontoon will last "
    "once the autumn storms arrive.</p></article></section>"
)
BRIEF = '<article class="brief"><h3>Water cut on Friday</h3><p>Mains water is off from 9 to 11.</p></article>'


def test_find_stories_sees_each_declared_story_but_not_teasers_briefs_or_comments() -> None:
    import trafilatura

    teasers = "".join(teaser(i) for i in range(4))
    stories = "".join(story_html(h, ps) for h, ps in STORIES)
    tree = trafilatura.load_html(page(stories + teasers + BRIEF + COMMENTS))
    found = extract.find_stories(tree)
    assert [s.findtext(".//h2/a") for s in found] == [h for h, _ in STORIES]


def test_single_article_with_teasers_and_comments_stays_one_article() -> None:
    article = "<article><h1>{}</h1><p>{}</p><p>{}</p><h2>{}</h2><p>{}</p></article>".format(*ARTICLE_BLOCKS)
    teasers = "".join(teaser(i) for i in range(4))
    html = page(NAV + f"<main>{article}{COMMENTS}{teasers}{BRIEF}</main>" + FOOTER)
    assert blocks(extract_html(html).text) == ARTICLE_BLOCKS


def test_main_text_outside_the_declared_stories_is_kept_and_the_stories_follow() -> None:
    main = "".join(f"<p>{p}</p>" for p in ARTICLE_BLOCKS[1:3])
    stories = "".join(story_html(h, ps) for h, ps in STORIES[:2])
    html = page(f'<h1>{ARTICLE_BLOCKS[0]}</h1><div class="entry-content">{main}</div><div class="more">{stories}</div>')
    found = blocks(extract_html(html).text)
    assert found[:2] == ARTICLE_BLOCKS[1:3]
    assert [b for b in found if b in (STORIES[0][0], STORIES[1][0])] == [STORIES[0][0], STORIES[1][0]]


# --- metadata ----------------------------------------------------------------------


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_metadata_from_meta_tags_and_json_ld(extractor: Extractor) -> None:
    result = extract_html(ARTICLE, url="https://courier.example.org/?p=123", extractor=extractor)
    assert result.title == "Dam inspectors find cracks in Oster spillway"
    assert result.author == "Tomas Reinholt"
    assert result.site == "The Valley Courier"
    assert result.url == "https://courier.example.org/2021/05/14/oster-dam-cracks"
    assert result.published == "2021-05-14T08:30:00+02:00"  # the time of day the page gives is kept


def test_url_given_is_kept_when_the_page_names_none() -> None:
    html = page("<article><h1>{}</h1><p>{}</p><p>{}</p></article>".format(*ARTICLE_BLOCKS[:3]))
    assert extract_html(html, url="https://mirror.example.net/copy/17").url == "https://mirror.example.net/copy/17"


def test_publication_date_cannot_be_after_the_fetch_date() -> None:
    assert extract_html(ARTICLE, fetched="2021-06-01T10:00:00Z").published == "2021-05-14T08:30:00+02:00"
    assert not (extract_html(ARTICLE, fetched="2021-05-01T10:00:00Z").published or "").startswith("2021-05-14")


ARCHIVE_BODY = "<article>{}<h1>{}</h1><p>{}</p><p>{}</p><h2>{}</h2><p>{}</p></article>"
STATED_PUBLICATIONS = {
    "meta article:published_time": ('<meta property="article:published_time" content="1987-10-19">', ""),
    "meta with time and offset": ('<meta property="article:published_time" content="1987-10-19T14:05:00-04:00">', ""),
    "itemprop datePublished": ('<meta itemprop="datePublished" content="1987-10-19T14:05:00-04:00">', ""),
    "JSON-LD datePublished": (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "datePublished": "1987-10-19T14:05:00-04:00"}</script>', ""),
    "time in the article header": ("", '<header><time datetime="1987-10-19T14:05:00-04:00">19 Oct</time></header>'),
}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("where", STATED_PUBLICATIONS)
def test_a_publication_the_page_states_is_kept_as_given_however_old(extractor: Extractor, where: str) -> None:
    head, header = STATED_PUBLICATIONS[where]
    html = page(ARCHIVE_BODY.format(header, *ARTICLE_BLOCKS), head=f"<title>Archive</title>{head}")
    published = extract_html(html, extractor=extractor, fetched="2024-03-05T10:00:00Z").published
    expected = "1987-10-19" if where == "meta article:published_time" else "1987-10-19T14:05:00-04:00"
    assert published == expected


def test_a_stated_publication_is_read_in_the_form_origins_compare() -> None:
    head = '<meta property="article:published_time" content="1987-10-19T18:05:00Z">'
    published = extract_html(page(ARCHIVE_BODY.format("", *ARTICLE_BLOCKS), head=head)).published
    assert published == "1987-10-19T18:05:00+00:00"  # ISO 8601, as datetime.fromisoformat reads it


def test_the_page_stated_publication_beats_a_date_in_its_text() -> None:
    head = '<meta property="article:published_time" content="1987-10-19T14:05:00-04:00">'
    blocks = [ARTICLE_BLOCKS[0], "Posted on 3 March 2011 by the desk.", *ARTICLE_BLOCKS[1:4]]
    assert extract_html(page(ARCHIVE_BODY.format("", *blocks), head=head)).published == "1987-10-19T14:05:00-04:00"


def test_an_unreadable_stated_date_gives_way_to_the_next_statement() -> None:
    head = ('<meta property="article:published_time" content="last Tuesday">'
            '<meta itemprop="datePublished" content="1987-10-19T14:05:00-04:00">')
    published = extract_html(page(ARCHIVE_BODY.format("", *ARTICLE_BLOCKS), head=head)).published
    assert published == "1987-10-19T14:05:00-04:00"



# --- robustness ------------------------------------------------------------------------

FURNITURE_ONLY = page(NAV + SIDEBAR + FOOTER)
ODD_INPUTS = {
    "empty": "",
    "blank": "  \n\t ",
    "control characters": "\x00\x01<html><body><p>hi\x00 there</p></body></html>",
    "unclosed tags": "<html><body><p>Unclosed <b>bold <div><p>x</table></td>&#xZZZ; <<<>>>",
    "only angle brackets": "<<<<>>>>",
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?><html><body><p>Declared.</p></body></html>',
    "deep nesting": "<html><body>" + "<div>" * 3000 + "<p>Deep.</p>" + "</div>" * 3000 + "</body></html>",
    "binary junk": "\ufffd\ufffdPK\x03\x04\x14\x00\x08\x00" * 50,
    "furniture only": FURNITURE_ONLY,
}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("name", ODD_INPUTS)
def test_odd_input_never_raises(extractor: Extractor, name: str) -> None:
    result = extract_html(ODD_INPUTS[name], extractor=extractor)
    assert isinstance(result, ExtractedPage) and isinstance(result.text, str)
    assert result.error is None


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("html", ["", "   ", FURNITURE_ONLY])
def test_page_without_main_text_gives_empty_text(extractor: Extractor, html: str) -> None:
    assert extract_html(html, extractor=extractor).text == ""


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_control_characters_never_reach_the_text(extractor: Extractor) -> None:
    html = "\x01" + ARTICLE.replace("<h2>", "\x00<h2>").replace("Monday", "Mon\x08day")
    assert blocks(extract_html(html, extractor=extractor).text) == ARTICLE_BLOCKS


def test_deeply_nested_text_is_still_found() -> None:
    assert extract_html(ODD_INPUTS["deep nesting"]).text == "Deep."


def test_text_without_any_markup_is_kept() -> None:
    words = "A notice pasted without any markup at all, about the ferry timetable for the winter months."
    assert extract_html(words).text == words


def test_page_too_large_for_trafilatura_goes_whole_to_resiliparse(monkeypatch: pytest.MonkeyPatch) -> None:
    # The limit falls before the article: the text must still be complete,
    # and the metadata is read from the page's start.
    monkeypatch.setattr(extract, "MAX_TRAFILATURA_MARKUP", ARTICLE.index("<article>"))
    result = extract_html(ARTICLE)
    assert result.extractor == "resiliparse"
    assert blocks(result.text) == ARTICLE_BLOCKS
    assert (result.title, result.author, result.published) == (ARTICLE_BLOCKS[0], "Tomas Reinholt", "2021-05-14T08:30:00+02:00")


def test_trafilatura_failure_falls_back_to_resiliparse(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated extractor bug")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    result = extract_html(ARTICLE)
    assert (result.extractor, blocks(result.text), result.error) == ("resiliparse", ARTICLE_BLOCKS, None)


def test_metadata_failure_keeps_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated metadata bug")

    monkeypatch.setattr(trafilatura, "extract_metadata", broken)
    result = extract_html(ARTICLE, url="https://x.example.org/a")
    assert (blocks(result.text), result.url, result.title, result.error) == (
        ARTICLE_BLOCKS,
        "https://x.example.org/a",
        None,
        None,
    )


def test_unexpected_failure_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(markup: str) -> str:
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(extract, "_resiliparse_text", broken)
    result = extract_html(ARTICLE, url="https://x.example.org/a", extractor="resiliparse")
    assert result.text == ""
    assert result.url == "https://x.example.org/a"
    assert result.error == "RuntimeError: simulated parser bug"


# --- determinism and isolation -------------------------------------------------------


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_extraction_is_deterministic(extractor: Extractor) -> None:
    html = aggregator_page()
    assert extract_html(html, extractor=extractor) == extract_html(html, extractor=extractor)


def test_extraction_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network use during extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    for extractor in EXTRACTORS:
        assert extract_html(ARTICLE, url="https://courier.example.org/a", extractor=extractor).text
    assert attempts == []
