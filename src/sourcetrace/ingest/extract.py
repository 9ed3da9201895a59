"""Main text and metadata from an HTML page.

trafilatura is the default: the most accurate maintained extractor on the
article extraction benchmark (bench/extraction_benchmark.py). Resiliparse is
the fast alternative, and also takes over where trafilatura is out of its
depth: pages it cannot parse, pages too large for its superlinear running time,
and pages where it finds under its own minimum of text (there it would fall
back to dumping the whole page, navigation included).

Both give blocks (headings, paragraphs, lists, tables) separated by blank
lines, because segmentation looks for headline, byline and credit lines.

Composite pages: trafilatura takes the first article container it recognises,
so a page holding several stories would lose all but one. When the markup
declares two or more stories (``<article>``, h-entry/hentry, a schema.org
Article or BlogPosting item), each with a heading and prose, and trafilatura's
text misses some of them, each story is extracted on its own and the texts are
joined in page order. Should trafilatura's text lie partly outside the declared
stories, it is kept as it is and the stories it missed follow it.

Metadata comes from trafilatura's metadata extractor (meta tags, JSON-LD)
for both extractors. The publication is the page's own statement of it, as
given, time of day and offset included (meta article:published_time,
og/itemprop datePublished, JSON-LD datePublished, a <time> marked as the
publication or in an article's header); only a page that states none is
dated by htmldate's search, whose day has no time. Nothing is fetched.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from lxml import html as lxml_html
from lxml.etree import XPath

Extractor = Literal["trafilatura", "resiliparse"]
EXTRACTORS: tuple[Extractor, ...] = ("trafilatura", "resiliparse")

# trafilatura's own MIN_EXTRACTED_SIZE: below it, its result is a whole-page rescue.
SHORT_TEXT = 250
# trafilatura takes ~1 s on 2 MB of markup but ~9 s on 5 MB; past this, resiliparse
# extracts the text, and metadata is read from this much of the page's start.
MAX_TRAFILATURA_MARKUP = 3_000_000
# A story needs this much prose in at least two paragraphs; teasers have less.
MIN_STORY_PROSE = 200
# Share of trafilatura's text that the joined stories must contain.
MIN_COMPOSITE_COVERAGE = 0.9

# The earliest publication date htmldate may return (its default, 1995, fits the web but not archives).
EARLIEST_PUBLICATION = "1900-01-01"
# C0 controls other than tab and line breaks: lxml refuses text containing them.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cheap pre-selection in XPath (no regular expressions, which run per element);
# _STORY_NAMES then keeps whole class tokens only.
_STORY_XPATH = XPath(
    "//article | //*[contains(@class, 'entry') or contains(@class, 'post')"
    " or contains(@itemtype, 'Article') or contains(@itemtype, 'BlogPosting')]"
)
_STORY_NAMES = re.compile(r"(?:^|\s)(?:h-?entry|post)(?:\s|$)")
_STORY_TYPES = re.compile(r"(?:Article|BlogPosting)$")
_FURNITURE_TAGS = frozenset({"aside", "nav", "footer", "form", "header"})
_FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:comments?|respond|reply|related|sidebar|widgets?|share|sharing|social"
    r"|nav|navigation|menu|promo|recommended|newsletter|subscribe)(?:$|[\s_-])",
    re.IGNORECASE,
)

# trafilatura and htmldate log every page they discard; without this a console
# with no logging configured would print one warning per empty page.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What an extractor found in one HTML page."""

    text: str  # main text; blocks separated by blank lines, "" when none
    extractor: str  # the extractor whose text this is
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD), or date-time (with its offset) when the page gives one
    url: str | None = None  # canonical / og:url, else the URL given
    error: str | None = None  # why extraction failed, when it did (text is then "")


def extract_html(
    html: str,
    url: str | None = None,
    extractor: Extractor = "trafilatura",
    *,
    fetched: str | None = None,
) -> ExtractedPage:
    """Extract the main text and metadata of ``html``.

    ``fetched`` (ISO date or datetime, e.g. a WARC-Date) bounds the publication
    date, which makes the date independent of the day the extraction runs.
    Returns empty text when the page has no main text; never raises: a failure
    comes back as empty text with ``error`` set.
    """
    try:
        return _extract(html, url, extractor, fetched)
    except Exception as error:  # noqa: BLE001 -- a bug in a parser must not stop an ingest
        return ExtractedPage("", extractor, url=url, error=f"{type(error).__name__}: {error}")


def _extract(html: str, url: str | None, extractor: Extractor, fetched: str | None) -> ExtractedPage:
    if not isinstance(html, str):
        return ExtractedPage("", extractor, url=url, error=f"expected str, got {type(html).__name__}")
    markup = _CONTROL_CHARS.sub("", html)
    if not markup.strip():
        return ExtractedPage("", extractor, url=url)
    huge = len(markup) > MAX_TRAFILATURA_MARKUP
    # Metadata sits in the head and near the top: for it, a huge page is read up to the limit.
    tree = _parse(markup[:MAX_TRAFILATURA_MARKUP] if huge else markup)
    text, used = "", "resiliparse"
    if extractor == "trafilatura" and tree is not None and not huge:
        try:
            text, used = _trafilatura_text(tree, url), "trafilatura"
        except Exception:  # noqa: BLE001 -- a trafilatura bug on this page: resiliparse takes over
            text = ""
    if used == "resiliparse" or len(text) < SHORT_TEXT:
        text, used = _resiliparse_text(markup), "resiliparse"
    found = _metadata(tree, url, fetched)
    return ExtractedPage(text, used, found.title, found.author, found.site, found.published, found.url)


def _parse(markup: str) -> lxml_html.HtmlElement | None:
    import trafilatura

    try:
        return trafilatura.load_html(markup)
    except Exception:  # noqa: BLE001 -- lxml gave up: resiliparse's own parser still reads the text
        return None


# --- trafilatura -------------------------------------------------------------


def _trafilatura_text(tree: lxml_html.HtmlElement, url: str | None) -> str:
    stories = find_stories(tree)
    text = _trafilatura_blocks(tree, url)
    if len(stories) < 2:
        return text
    squashed = _squash(text)
    missing = [story for story in stories if not _story_in(story, squashed)]
    return _composite_text(stories, missing, text, url) if missing else text


def _trafilatura_blocks(tree: lxml_html.HtmlElement, url: str | None) -> str:
    """trafilatura's text with each block (heading, paragraph, list, table) on
    its own, separated by blank lines; its txt output uses single newlines."""
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.xml import xmltotxt

    document = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True)
    if not isinstance(document, Document) or document.body is None:
        return ""
    blocks = (_tidy(xmltotxt(block, include_formatting=False)) for block in document.body)
    return "\n\n".join(block for block in blocks if block)


def _tidy(block: str) -> str:
    """A block without the trailing spaces trafilatura leaves on table rows."""
    return "\n".join(line.rstrip() for line in block.strip().splitlines())


def _composite_text(
    stories: list[lxml_html.HtmlElement], missing: list[lxml_html.HtmlElement], page_text: str, url: str | None
) -> str:
    """Each story's text, joined in page order. If trafilatura's own text lies
    partly outside the stories, it is kept, followed by the stories it missed."""
    texts = {id(story): _story_text(story, url) for story in stories}
    joined = "\n\n".join(text for text in texts.values() if text)
    found = _squash(joined)
    blocks = [_squash(block) for block in page_text.split("\n\n")]
    covered = sum(len(block) for block in blocks if block in found)
    if covered >= MIN_COMPOSITE_COVERAGE * sum(len(block) for block in blocks):
        return joined
    return "\n\n".join(text for text in [page_text, *(texts[id(story)] for story in missing)] if text)


def _story_text(story: lxml_html.HtmlElement, url: str | None) -> str:
    """One story extracted as a page of its own, its headline kept first."""
    page = lxml_html.document_fromstring("<html><head></head><body></body></html>")
    body = page.body
    assert body is not None, "the page above has a body"
    body.append(copy.deepcopy(story))
    text = _trafilatura_blocks(page, url)
    headline = _headline(story)
    if headline and headline not in _squash(text):
        text = f"{headline}\n\n{text}" if text else headline
    return text


# --- composite pages -----------------------------------------------------------


def find_stories(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The separate stories a page's markup declares, in page order: each has
    a heading and at least two paragraphs of prose, lies outside navigation,
    asides, footers and comment areas, and holds no other story (a listing
    wrapped in one <article> yields the stories inside it)."""
    stories = [c for c in _STORY_XPATH(tree) if _declares_story(c) and _is_story(c)]
    chosen = set(stories)
    wrappers = {id(a) for story in stories for a in story.iterancestors() if a in chosen}
    return [story for story in stories if id(story) not in wrappers]


def _declares_story(element: lxml_html.HtmlElement) -> bool:
    if element.tag == "article":
        return True
    if element.tag in ("body", "html"):
        return False  # themes put "post" on <body> too
    return bool(_STORY_NAMES.search(element.get("class", ""))) or bool(_STORY_TYPES.search(element.get("itemtype", "")))


def _is_story(element: lxml_html.HtmlElement) -> bool:
    if any(_is_furniture(e) for e in (element, *element.iterancestors())):
        return False
    if _headline(element) is None:
        return False
    prose = _prose_paragraphs(element)
    return len(prose) >= 2 and sum(map(len, prose)) >= MIN_STORY_PROSE


def _prose_paragraphs(story: lxml_html.HtmlElement) -> list[str]:
    """Paragraph texts that are not links and not in the story's furniture."""
    paragraphs = []
    for paragraph in story.iter("p"):
        path = [paragraph, *_ancestors_within(paragraph, story)]
        if any(e.tag == "a" or _is_furniture(e) for e in path):
            continue
        text = _squash(paragraph.text_content())
        linked = sum(len(_squash(link.text_content())) for link in paragraph.iter("a"))
        if text and linked < len(text) / 2:
            paragraphs.append(text)
    return paragraphs


def _ancestors_within(element: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> list[Any]:
    ancestors = []
    for ancestor in element.iterancestors():
        if ancestor is root:
            break
        ancestors.append(ancestor)
    return ancestors


def _is_furniture(element: lxml_html.HtmlElement) -> bool:
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return element.tag in _FURNITURE_TAGS or bool(_FURNITURE_NAMES.search(names))


def _headline(story: lxml_html.HtmlElement) -> str | None:
    for heading in story.iter("h1", "h2", "h3", "h4"):
        if text := _squash(heading.text_content()):
            return text
    return None


def _story_in(story: lxml_html.HtmlElement, squashed_text: str) -> bool:
    """Whether the text (whitespace squashed) holds the story's longest paragraph."""
    prose = _prose_paragraphs(story)
    return bool(prose) and max(prose, key=len) in squashed_text


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- resiliparse ---------------------------------------------------------------


def _resiliparse_text(markup: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    text = extract_plain_text(markup, main_content=True, alt_texts=False, links=False, comments=False)
    return text.strip()


# --- metadata ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Metadata:
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    url: str | None = None


def _metadata(tree: lxml_html.HtmlElement | None, url: str | None, fetched: str | None) -> _Metadata:
    import trafilatura

    if tree is None:
        return _Metadata(url=url)
    try:
        found = trafilatura.extract_metadata(tree, default_url=url, date_config=_date_params(fetched))
    except Exception:  # noqa: BLE001 -- metadata is a bonus: never lose the text over it
        return _Metadata(published=_publication(tree, None, fetched), url=url)
    return _Metadata(
        title=found.title or None,
        author=found.author or None,
        site=found.sitename or None,
        published=_publication(tree, found.date or None, fetched),
        url=found.url or url,
    )


# Where pages state their publication explicitly: meta tags and microdata;
# then JSON-LD (_json_ld_published); then a <time> marked as the publication
# or heading an article.
_META_PUBLISHED_XPATH = XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @property='og:article:published_time'"
    " or @itemprop='datePublished' or @name='pubdate' or @name='publish-date']/@content"
    " | //*[@itemprop='datePublished' and not(self::meta)]/@datetime"
)
_TIME_PUBLISHED_XPATH = XPath(
    "//time[@pubdate or contains(@class, 'published')]/@datetime | //article//header//time/@datetime"
)
_JSON_LD_XPATH = XPath("//script[@type='application/ld+json']/text()")


def _publication(tree: lxml_html.HtmlElement, found_date: str | None, fetched: str | None) -> str | None:
    """The page's own statement of its publication, as given (with its time of
    day and offset when stated), else htmldate's day. Stated metadata comes
    first: htmldate drops dates before its floor, and keeps only the day."""
    latest = fetched[:10] if fetched and _is_iso_date(fetched[:10]) else None
    stated = [*_META_PUBLISHED_XPATH(tree), *_json_ld_published(tree), *_TIME_PUBLISHED_XPATH(tree)]
    for value in stated:
        published = _iso_publication(str(value))
        if published is not None and (latest is None or published[:10] <= latest):
            return published
    return found_date


def _iso_publication(value: str) -> str | None:
    """An ISO 8601 date or date-time as downstream reads it (YYYY-MM-DD, or
    YYYY-MM-DDTHH:MM:SS with its offset when stated); None for anything else."""
    text = value.strip()
    if len(text) < 10 or not _is_iso_date(text[:10]):
        return None
    if len(text) == 10:
        return text
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text[:10]  # a readable day with an unreadable time: keep the day
    return moment.isoformat(timespec="seconds")


def _json_ld_published(tree: lxml_html.HtmlElement) -> list[str]:
    found: list[str] = []
    for script in _JSON_LD_XPATH(tree):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        stack = [data]
        while stack:  # datePublished may sit in an @graph or a nested object
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    found.append(item["datePublished"])
                stack.extend(reversed(list(item.values())))
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return found


def _date_params(fetched: str | None) -> dict[str, Any]:
    """htmldate settings: a page cannot be published after it was fetched.
    htmldate's own floor (1995) would drop the dates of archived older pages."""
    latest = fetched[:10] if fetched and _is_iso_date(fetched[:10]) else date.today().isoformat()
    return {"original_date": True, "extensive_search": True, "min_date": EARLIEST_PUBLICATION, "max_date": latest,
            "outputformat": "%Y-%m-%d"}


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
