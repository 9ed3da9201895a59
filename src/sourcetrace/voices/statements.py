"""Attributed statements in one segment: direct quotes and reported speech.

Rules over spaCy's parse (see docs in the functions):

* direct quotes are found in the text (straight, typographic and guillemet
  quotes), then attributed by a speech cue right after the closing quote
  (``"…," said X`` / ``"…," X told reporters``) or right before the opening
  one (``X said: "…"``); a quote with no cue of its own continues the quote
  before it in the same or the previous paragraph (``"…," X said. "…"``);
* reported speech is a cue verb's clause: ``X said (that) …``, ``X denied …``,
  ``X urged … to …``, ``X called on … to …``, ``according to X, …``; or what a
  judging verb says of its object: ``X called Y Z``, ``X described Y as Z``,
  ``X welcomed Y`` (direct when Z is a quotation: ``called it "a turning point …"``).
A dateline opening the line ("VELMONT (CP) — ") is never part of a statement.

spaCy parses only the sentences that can hold a statement, with the context
their speakers need (:func:`parse_spans`, the pre-filter); speakers are then
resolved over all the parsed pieces of a segment as in one text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sourcetrace.records import StatementKind, StatementOccurrence
from sourcetrace.voices.nlp import MAX_PIECE_CHARS, load_nlp
from sourcetrace.voices.speakers import (
    ORG_NOUNS,
    PERSON_NOUNS,
    TITLES,
    SegmentResolver,
    SpeakerKind,
    SpeakerPhrase,
    phrase_for,
    same_body_names,
)
from sourcetrace.voices.wrapping import unwrapped

if TYPE_CHECKING:  # spaCy is imported where a pipeline loads (voices/nlp.py)
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Verbs whose clause complement is what was said.
SAY_CUES = frozenset(
    ["said", "says", "say", "saying", "told", "tells", "tell", "telling", "added", "adds", "adding", "stated", "states", "announced", "announces", "claimed", "claims", "insisted", "insists", "argued", "argues", "warned", "warns", "explained", "explains", "noted", "notes", "acknowledged", "acknowledges", "admitted", "admits", "confirmed", "confirms", "stressed", "stresses", "emphasised", "emphasized", "asserted", "asserts", "alleged", "alleges", "wrote", "writes", "reported", "reports", "predicted", "predicts", "estimated", "estimates", "concluded", "concludes", "found", "finds", "maintained", "maintains", "contended", "contends", "suggested", "suggests", "recalled", "complained", "complains", "promised", "promises", "pledged", "pledges", "vowed", "vows", "declared", "declares", "replied", "replies", "responded", "conceded", "concedes", "revealed", "reveals", "disclosed", "discloses", "indicated", "indicates", "asked", "asks", "forecast", "forecasts", "agreed", "agrees", "believes", "believed", "thinks", "thought", "feared", "fears", "hopes", "hoped", "expects", "expected", "projected", "projects", "showed", "shows", "signalled", "signaled", "assured", "assures", "informed"]
)
# Their plain forms ("critics argue that …", "to explain that …") and posting on Twitter.
SAY_CUES |= frozenset(
    ["argue", "insist", "suggest", "note", "explain", "claim", "warn", "acknowledge", "state", "announce", "add",
     "write", "ask", "contend", "maintain", "complain", "declare", "reply", "respond", "concede", "reveal",
     "disclose", "admit", "allege", "assert", "stress", "emphasise", "emphasize", "confirm", "predict", "report",
     "tweeted", "tweets", "tweet", "tweeting"]
)
# Their participles, a cue continuing a clause ("…, arguing that …", "…, insisting …").
SAY_CUES |= frozenset(
    (
        "arguing insisting suggesting noting explaining claiming warning acknowledging stating announcing writing "
        "asking contending maintaining complaining declaring replying responding conceding revealing disclosing "
        "admitting alleging asserting stressing emphasising emphasizing confirming predicting reporting promising "
        "vowing pledging recalling"
    ).split()
)
# Verbs whose object (or infinitive) is what was said.
OBJECT_CUES = frozenset(
    ["denied", "denies", "deny", "denying", "urged", "urges", "urging", "accused", "accuses", "rejected", "rejects", "demanded", "demands", "estimated", "estimates"]
)
CALL_CUES = frozenset(["called", "calls", "calling", "call", "appealed", "appeals"])
# Verbs whose infinitive cue is no statement of their subject: "declined to say", "refused to call".
_REFUSING = frozenset(["declined", "declines", "refused", "refuses", "failed", "fails", "decline", "refuse", "fail"])
# Verbs that judge their object: "called the ruling a turning point", "described
# it as …", "denounced the findings as …", "welcomed the decision", "condemned the arrests",
# "praised the rescuers for …", "criticised the plan", "hailed the deal as …".
JUDGING_CUES = frozenset(
    ["described", "describes", "describing", "denounced", "denounces", "denouncing", "condemned", "condemns",
     "condemning", "welcomed", "welcomes", "welcoming", "praised", "praises", "praising", "criticised",
     "criticises", "criticising", "criticized", "criticizes", "criticizing", "hailed", "hails", "hailing"]
)
# Judging verbs whose "for" phrase is the reason judged: "praised the crew for its calm".
_REASON_CUES = frozenset(["praised", "praises", "praising", "criticised", "criticises", "criticising", "criticized",
                          "criticizes", "criticizing", "hailed", "hails", "hailing", "condemned", "condemns",
                          "condemning", "denounced", "denounces", "denouncing"])
# Of those, the ones that need a complement to be a statement ("described the scene" is none).
_NEED_COMPLEMENT = frozenset(["called", "calls", "calling", "described", "describes", "describing"])
# Cues whose object alone is a statement too: "announced his resignation", "acknowledged the delays",
# "noted the rule" (PolNeAR annotates them so, and scores better with them on both of its splits).
_OBJECT_TOO = frozenset(
    "warned warns promised promises pledged vowed announced announces announce announcing acknowledged acknowledges "
    "noted notes".split()
)
# Cues that are reported speech only with a clause, never with just an object.
_CLAUSE_ONLY = SAY_CUES - _OBJECT_TOO
_ALL_CUES = SAY_CUES | OBJECT_CUES | CALL_CUES | JUDGING_CUES
# Two apostrophes are a quotation mark too: the typewriter style of newspaper archives (''…,'' she said).
_OPENING = {'"': '"', "“": "”", "„": "“", "«": "»", "''": "''"}
_MARKS = re.compile(r"''|[\"“”„«»]")
_SENTENCE_END = frozenset(".!?")
_MIN_QUOTE_WORDS = 3
# Changed with any rule that changes what is extracted: a case whose statements an earlier
# version found extracts them again (store.forget_statements_unless_extracted_by).
EXTRACTOR_VERSION = "2026-12-01.unwrapped-paragraphs"
_WINDOW_TOKENS = 30


@dataclass(frozen=True, slots=True)
class Attribution:
    """An occurrence together with who its speaker is, as resolved in its segment."""

    occurrence: StatementOccurrence
    speaker: str  # canonical within the segment
    speaker_role: str | None
    speaker_kind: SpeakerKind


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int  # content, quote marks excluded
    end: int
    open_at: int  # the opening mark
    close_at: int | None  # the closing mark; None when the quote runs to the paragraph end


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    speaker: SpeakerPhrase
    cue: str
    kind: StatementKind
    cue_index: int | None
    # A quote split by its attribution ('"…," she said. "…"'): the spans of its
    # parts, which the statement's text joins; () when it is one stretch.
    parts: tuple[tuple[int, int], ...] = ()


def find_quotes(text: str) -> list[_Quote]:
    """Quoted stretches, paired within each paragraph. A quote left open at
    the end of a paragraph runs to it (news style for multi-paragraph quotes)."""
    quotes = []
    for paragraph in re.finditer(r"[^\n]+", text):
        open_at: int | None = None
        closing = ""
        for match in _MARKS.finditer(paragraph.group()):
            at, mark = paragraph.start() + match.start(), match.group()
            if open_at is None and mark in _OPENING:
                open_at, closing = at, _OPENING[mark]
            elif open_at is not None and (mark == closing or (mark in "\"”" and closing in "\"”")):
                quotes.append(_quote(text, open_at, at))
                open_at = None
        if open_at is not None:
            quotes.append(_quote(text, open_at, None, paragraph.end()))
    return [q for q in quotes if len(text[q.start : q.end].split()) >= 1]


def _quote(text: str, open_at: int, close_at: int | None, paragraph_end: int = 0) -> _Quote:
    start, end = open_at + len(_mark_at(text, open_at)), close_at if close_at is not None else paragraph_end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return _Quote(start, end, open_at, close_at)


def _mark_at(text: str, at: int) -> str:
    """The quotation mark at ``at``: one character, or two apostrophes."""
    return "''" if text.startswith("''", at) else text[at : at + 1]


def extract_attributions(doc: Doc, segment: int, offset: int = 0) -> list[Attribution]:
    """Every attributed statement of a parsed segment text, in text order.
    ``offset`` is added to spans when ``doc`` holds a piece of the segment."""
    return _attribute(segment, [(doc, offset)])


def _attribute(segment: int, parts: list[tuple[Doc, int]]) -> list[Attribution]:
    """The statements of one segment parsed as ``parts`` (docs of pieces of
    its text, in text order, with their offsets): found in each piece, then
    speakers resolved over all of them, as in one text."""
    found = [(doc, offset, item) for doc, offset in parts for item in _find(doc)]
    resolver = SegmentResolver()
    for doc, offset in parts:
        resolver.note_entities(doc, offset)
    resolver.exclude_inside([(item.start + offset, item.end + offset) for _, offset, item in found])
    results = []
    for doc, offset, item in found:
        resolved = resolver.resolve(item.speaker, offset)
        garbled = _garbled(doc, item)
        name = resolver.canonical_name(garbled.split()) if garbled else resolved.name
        occurrence = StatementOccurrence(
            segment=segment,
            start=item.start + offset,
            end=item.end + offset,
            text=_statement_text(_text(doc), item),
            speaker_as_written=item.speaker.text,
            cue=item.cue,
            kind=item.kind,
            garbled_speaker=bool(garbled),
        )
        kind = "person" if garbled else resolved.kind
        results.append(Attribution(occurrence, name, resolved.role, kind))
    bodies = same_body_names([a.speaker for a in results if a.speaker_kind == "organisation"])
    return [replace(a, speaker=bodies.get(a.speaker, a.speaker)) if a.speaker_kind == "organisation" else a
            for a in results]


def _statement_text(text: str, item: _Found) -> str:
    """The statement's words: its span, or the parts of a split quote joined
    by " … " (what lies between them is the attribution, not the quote)."""
    if not item.parts:
        return text[item.start : item.end]
    return " … ".join(text[start:end] for start, end in item.parts)


def _find(doc: Doc) -> list[_Found]:
    """The statements of one doc with their speaker phrases, in text order."""
    quotes = find_quotes(_text(doc))
    found = _direct_quotes(doc, quotes)
    used_cues = {f.cue_index for f in found}
    quoted = [(f.start, f.end) for f in found]
    reported = [f for f in _reported(doc, quotes, used_cues) if not _mostly_inside(f, quoted)]
    found += [f for f in reported if not _nested(doc, f, reported)]
    found.sort(key=lambda f: f.start)
    return found


def extract_from_texts(
    texts: Iterable[tuple[int, str]],
    nlp: Language | None = None,
    batch_size: int = 64,
    *,
    prefilter: bool | None = None,
) -> Iterator[tuple[int, list[Attribution]]]:
    """Parse (segment id, text) pairs in batches and yield each one's statements.

    With the pre-filter (``prefilter``, default :data:`PREFILTER`) only the
    sentences that can hold a statement, and their context, are parsed
    (:func:`parse_spans`); a text with none is not parsed at all. A
    hard-wrapped text is read with its paragraphs unwrapped (same offsets:
    :func:`~sourcetrace.voices.wrapping.unwrapped`)."""
    use_filter = PREFILTER if prefilter is None else prefilter
    items = [(segment, unwrapped(text)) for segment, text in texts]
    pieces = [
        (index, start, end)
        for index, (_, text) in enumerate(items)
        for start, end in (parse_spans(text) if use_filter else _pieces(text, 0, len(text)))
    ]
    parsed: Iterator[tuple[tuple[int, int, int], Doc]] = iter(())
    if pieces:
        nlp = nlp or load_nlp()
        docs = nlp.pipe((items[index][1][start:end] for index, start, end in pieces), batch_size=batch_size)
        parsed = zip(pieces, docs, strict=True)
    pending = next(parsed, None)
    for index, (segment, text) in enumerate(items):
        parts = []
        while pending is not None and pending[0][0] == index:
            (_, start, _), doc = pending
            doc.user_data[_SEGMENT_KEY] = (text, start)
            parts.append((doc, start))
            pending = next(parsed, None)
        yield segment, _attribute(segment, parts) if parts else []


def _pieces(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """``text[start:stop]`` in paragraph-aligned pieces short enough for the parser."""
    if stop - start <= MAX_PIECE_CHARS:
        return [(start, stop)] if stop > start else []
    pieces = []
    while start < stop:
        end = min(stop, start + MAX_PIECE_CHARS)
        if end < stop:
            cut = text.rfind("\n", start + MAX_PIECE_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append((start, end))
        start = end
    return pieces


# --- the pre-filter: parse only what can hold a statement ---------------------

# Parse only the sentences that can hold a statement (and their context);
# ``extract_from_texts(..., prefilter=False)`` parses whole texts.
PREFILTER = True
# Sentences of context kept before and after each one that can hold a statement.
# None before (but the sentence before a quote's paragraph, which may name its
# speaker): antecedents of pronouns, full names and role holders are kept by
# their own rules below; one sentence before each added 12% of the text to
# parse, for the same PolNeAR and gold-set figures (docs/statements.md).
CONTEXT_BEFORE = 0
CONTEXT_AFTER = 0
_QUOTE_MARK = _MARKS
_CUE_WORD = re.compile(r"\b(?:according|" + "|".join(sorted(_ALL_CUES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# A sentence ends at ".", "!" or "?" (and closing quotes or brackets) before
# white space and a capital, a digit or an opening mark...
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
# ... but not after a title, an initial or an abbreviation ("Mr.", "J.", "U.S.", "Corp.").
_NO_BREAK_AFTER = frozenset(title.rstrip(".") for title in TITLES if title.endswith(".")) | frozenset(
    ["st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "nos", "vs", "mt", "ft", "lt", "sgt", "capt", "cmdr",
     "adm", "maj", "gen", "sen", "rep", "gov", "atty", "supt", "det", "insp", "messrs", "mme", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ave", "blvd", "dept", "est", "fig",
     "approx", "etc", "al"]
)
# Also keep, for the speakers of kept sentences, a sentence naming in full a
# person they name by surname only, and one holding the role word of "the governor".
NAME_CONTEXT = True
_WORD = re.compile(r"[^\s\"“”‘(),;:]+")
_POSSESSIVE = re.compile(r"['’]s$")
_NOT_NAMES = frozenset(title.rstrip(".") for title in TITLES) | frozenset(
    ["the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "as", "for", "with", "by", "to", "of",
     "from", "after", "before", "while", "this", "that", "it", "he", "she", "they", "we", "i", "his", "her",
     "their", "our", "its", "former", "then", "new", "vice", "deputy", "acting", "chief"]
)
_ROLE_NOUN = re.compile(
    r"\bthe\s+(?:[\w-]+\s+){0,2}?(" + "|".join(sorted(w for w in PERSON_NOUNS | TITLES | ORG_NOUNS if "." not in w)) + r")\b",
    re.IGNORECASE,
)
PRONOUN_CONTEXT = True
_PRONOUN = re.compile(r"\b(?:he|she|it|they|we)\b", re.IGNORECASE)
# "Its spokeswoman said", "a statement from her office": the owner is named before.
_POSSESSED_ROLE = re.compile(
    r"\b(?:its|their|his|her)\s+(?:[\w-]+\s+)?(?:" + "|".join(sorted(PERSON_NOUNS | ORG_NOUNS)) + r")\b", re.IGNORECASE
)
_SEGMENT_KEY = "sourcetrace_segment"  # doc.user_data: (segment text, offset of the doc in it)


def parse_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` worth parsing, as (start, end) offsets, in order.

    A statement needs a quotation mark or a speech cue (a word form of the
    extractor's cue lexicon, or "according"): sentences are split cheaply
    (:func:`sentence_spans`), and kept when they hold a cue and their line
    ends like a sentence (the extractor reads no statement in headlines and
    bylines), or when their paragraph holds a quotation mark (quotes are
    paired, attributed and continued within and across whole paragraphs).
    :data:`CONTEXT_BEFORE` sentences before each kept one are kept too (the
    person a pronoun refers to, a title cut off by a wrong split), and
    :data:`CONTEXT_AFTER` after; with :data:`NAME_CONTEXT`, so are the
    sentences that give the full names and roles of the speakers named
    (:func:`_keep_full_names`, :func:`_keep_role_holders`), and with
    :data:`PRONOUN_CONTEXT` the antecedents of pronouns
    (:func:`_keep_antecedents`). Kept sentences
    next to each other are one stretch, so text between two stretches is
    never joined: each is parsed as a doc of its own."""
    units: list[tuple[int, int]] = []
    hits: list[bool] = []
    for line in re.finditer(r"[^\n]+", text):
        sentences = [(start, end) for start, end in sentence_spans(text, line.start(), line.end()) if not text[start:end].isspace()]
        if _QUOTE_MARK.search(line.group()):
            line_hits = [True] * len(sentences)
            if hits and sentences:  # who opens a quote may be named just before it ("… put it this way:")
                hits[-1] = True
        elif _complete_line(text, line.start()):
            line_hits = [bool(_CUE_WORD.search(text, start, end)) for start, end in sentences]
        else:
            line_hits = [False] * len(sentences)
        units += sentences
        hits += line_hits
    keep = [any(hits[max(0, i - CONTEXT_AFTER) : i + CONTEXT_BEFORE + 1]) for i in range(len(units))]
    if NAME_CONTEXT:
        _keep_full_names(text, units, keep)
        _keep_role_holders(text, units, keep)
        if PRONOUN_CONTEXT:
            _keep_antecedents(text, units, keep)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(units) and keep[j + 1]:
            j += 1
        spans += _pieces(text, units[i][0], units[j][1])
        i = j + 1
    return spans


def _keep_full_names(text: str, units: list[tuple[int, int]], keep: list[bool]) -> None:
    """For each name that kept sentences give alone ("Mr. McKinley said"),
    keep the first sentence of the text that gives it after a first name
    ("Kevin McKinley, 58, ..."): a one-word speaker takes the first full name
    of the segment that ends with it, as when the whole text is parsed."""
    wanted: set[str] = set()
    for (start, end), kept in zip(units, keep, strict=True):
        if kept:
            wanted |= _names(text, start, end)[0]
    for i, (start, end) in enumerate(units):
        if not wanted:
            return
        found = _names(text, start, end)[1] & wanted
        if found:
            keep[i] = True
            wanted -= found


def _keep_role_holders(text: str, units: list[tuple[int, int]], keep: list[bool]) -> None:
    """"The governor told reporters …", "the court said …": keep the nearest
    earlier sentence that holds the role word ("Governor Pieter Sand toured
    …", "the Supreme Court"), where the person or body it stands for is named."""
    wanted: dict[str, int] = {}  # role word -> index of the first kept unit using it
    for i, (start, end) in enumerate(units):
        if keep[i]:
            for match in _ROLE_NOUN.finditer(text, start, end):
                wanted.setdefault(match.group(1).lower(), i)
    for noun, first in wanted.items():
        word = re.compile(rf"\b{re.escape(noun)}\b", re.IGNORECASE)
        for i in range(first - 1, -1, -1):
            if word.search(text, *units[i]):
                keep[i] = True
                break


def _keep_antecedents(text: str, units: list[tuple[int, int]], keep: list[bool]) -> None:
    """"He said …": keep the nearest earlier sentence naming someone, unless a
    kept sentence between names someone (a pronoun takes the nearest person)."""
    for i in range(len(units) - 1, -1, -1):
        if not keep[i] or not (_PRONOUN.search(text, *units[i]) or _POSSESSED_ROLE.search(text, *units[i])):
            continue
        for j in range(i - 1, -1, -1):
            alone, named = _names(text, *units[j], first_alone=False)
            if alone or named:
                keep[j] = True
                break


def _names(text: str, start: int, end: int, first_alone: bool = True) -> tuple[set[str], set[str]]:
    """Capitalised words of ``text[start:end]`` that may be names: those
    standing alone (or after a title: "Mr. McKinley"), and those of a run of
    two or more ("Kevin McKinley", "Charles E. Grassley", "Ban Ki-moon").
    Without ``first_alone``, a lone first word (capitalised anyway) is none."""
    alone: set[str] = set()
    named: set[str] = set()
    run: list[str] = []
    run_first = False  # the run started with the first word
    joins = False  # the next word continues the run
    position = start
    for index, match in enumerate(_WORD.finditer(text, start, end)):
        raw = match.group()
        word = _POSSESSIVE.sub("", raw.rstrip(".,;:!?"))
        initial = len(word) == 1 and word.isupper() and raw.endswith(".")
        name_word = initial or (word[:1].isupper() and not word.isupper() and word.lower() not in _NOT_NAMES)
        if not (name_word and joins and text[position : match.start()].isspace()):
            _end_run(run, alone if first_alone or not run_first else set(), named)
            run_first = index == 0
        if name_word:
            run.append(word)
        joins = name_word and (initial or raw[-1] not in ".,;:!?")
        position = match.end()
    _end_run(run, alone if first_alone or not run_first else set(), named)
    return alone, named


def _end_run(run: list[str], alone: set[str], named: set[str]) -> None:
    words = [word for word in run if len(word) > 1]
    if len(run) > 1:
        named.update(words)
    else:
        alone.update(words)
    run.clear()


def sentence_spans(text: str, start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """Cheap sentence spans of ``text[start:stop]`` (one line): split at
    sentence ends, never after a title, an initial or an abbreviation. A
    sentence missed only makes a longer one; each span ends at its final
    mark (the white space after it belongs to no span)."""
    stop = len(text) if stop is None else stop
    spans = []
    for mark in _SENTENCE_BREAK.finditer(text, start, stop):
        if mark.group()[0] == ".":
            word = text[start : mark.start()].rsplit(None, 1)[-1:]
            word_text = word[0].lstrip("\"“‘'(").lower() if word else ""
            if len(word_text) <= 1 or "." in word_text or word_text in _NO_BREAK_AFTER:
                continue
        end = mark.start() + len(mark.group().rstrip())
        spans.append((start, end))
        start = mark.end()
    if start < stop:
        spans.append((start, stop))
    return spans


# --- direct quotes -----------------------------------------------------------


def _direct_quotes(doc: Doc, quotes: list[_Quote]) -> list[_Found]:
    found: list[_Found] = []
    previous: _Found | None = None
    previous_quote: _Quote | None = None
    for quote in quotes:
        content = _text(doc)[quote.start : quote.end]
        if len(content.split()) < _MIN_QUOTE_WORDS or _is_quoted_title(doc, quote):
            continue
        attribution: tuple[SpeakerPhrase, str, int | None] | None = _cue_after(doc, quote) or _cue_before(doc, quote)
        continued = previous is not None and previous_quote is not None and _continues(_text(doc), previous_quote, quote)
        if attribution is None and continued and _is_sentence(content):
            assert previous is not None
            attribution = (previous.speaker, previous.cue, None)
        if attribution is None:
            continue
        speaker, cue, cue_index = attribution
        if cue_index is None and previous is not None and previous_quote is not None \
                and _split_by_its_cue(doc, previous, previous_quote, quote):
            found[-1] = previous = _joined(previous, quote)
        else:
            previous = _Found(quote.start, quote.end, speaker, cue, "direct", cue_index)
            found.append(previous)
        previous_quote = quote
    return found


_SPLIT_GAP_CHARS = 120  # ', Ilka Varga, a political scientist at Serin University, said. ' and the like


def _split_by_its_cue(doc: Doc, previous: _Found, before: _Quote, quote: _Quote) -> bool:
    """'"…," said Ilka Varga. "…"': a quote that carries on, in the same
    paragraph, right after the attribution of the one before it. One
    statement, as readers (and annotators) take it: a copy that keeps only
    the first part has cut the quote."""
    if previous.cue_index is None or before.close_at is None:
        return False
    gap_start, gap_end = before.close_at, quote.open_at
    gap = _text(doc)[gap_start:gap_end]
    cue_at = doc[previous.cue_index].idx
    return "\n" not in gap and len(gap) <= _SPLIT_GAP_CHARS and gap_start <= cue_at < gap_end


def _joined(previous: _Found, quote: _Quote) -> _Found:
    parts = previous.parts or ((previous.start, previous.end),)
    return replace(previous, end=quote.end, parts=(*parts, (quote.start, quote.end)))


def _is_quoted_title(doc: Doc, quote: _Quote) -> bool:
    """'said on "Fox News Sunday"', 'on CBS's "Face the Nation,"': quoted words
    opened right after a preposition or a possessive, or that are the object
    of a preposition outside the quote, name a show, a book or a film; nobody
    says them."""
    opening = _token_at(doc, quote.open_at)
    if opening > 0 and (doc[opening - 1].pos_ == "ADP" or doc[opening - 1].tag_ == "POS"):
        return True
    inside = doc[_token_at(doc, quote.start) : _token_at(doc, quote.end)]
    roots = [t for t in inside if not quote.start <= t.head.idx < quote.end and not t.is_punct]
    return len(roots) == 1 and roots[0].dep_ == "pobj" and roots[0].head.pos_ == "ADP"


def _is_sentence(content: str) -> bool:
    return content[:1].isupper() or content[:1] in "‘'"


def _continues(text: str, before: _Quote, quote: _Quote) -> bool:
    """The quote follows an attributed one in its paragraph, or opens the
    paragraph after the one that held it, with no other quote in between."""
    gap = text[(before.close_at or before.end) : quote.open_at]
    return gap.count("\n") <= 2 and (gap.count("\n") == 0 or not gap.split("\n")[-1].strip())


def _cue_after(doc: Doc, quote: _Quote) -> tuple[SpeakerPhrase, str, int] | None:
    """``"…," X said`` / ``"…?" asked X``: the quote ends open (comma, question
    or exclamation mark, dash), or a cue verb follows the closing mark directly."""
    if quote.close_at is None:
        return None
    ends_open = bool(re.search(r"[,?!—–-]\s*$", _text(doc)[quote.start : quote.close_at]))
    window = _tokens_after(doc, quote.close_at + 1)
    if not ends_open and not (window and window[0].lower_ in SAY_CUES and window[0].pos_ in ("VERB", "AUX")):
        return None
    return _speech_cue(window, before_quote=False, quote_opens=_token_at(doc, quote.open_at))


def _cue_before(doc: Doc, quote: _Quote) -> tuple[SpeakerPhrase, str, int] | None:
    lead = _text(doc)[: quote.open_at].rstrip()
    if not lead or lead[-1] not in ":,":
        # 'X said "We …"' without punctuation: only a whole quoted sentence,
        # not a phrase quoted inside reported speech ('found "reasonable grounds"').
        window = _tokens_before(doc, quote.open_at)
        if not window or window[-1].lower_ not in SAY_CUES or not _is_sentence(_text(doc)[quote.start : quote.end]):
            return None
    window = _tokens_before(doc, quote.open_at)
    if not window and lead[-1] == ":" and not _text(doc)[len(lead) : quote.open_at].strip(" \t\n"):
        # 'The director, Jane Roe, said:' closing the paragraph before the quote's.
        window = _tokens_before(doc, len(lead))
    return _speech_cue(window, before_quote=True)


def _tokens_after(doc: Doc, char: int) -> list[Token]:
    tokens: list[Token] = []
    for token in doc[_token_at(doc, char) :]:
        if token.text in _SENTENCE_END or "\n" in token.text or token.text in _OPENING or len(tokens) >= _WINDOW_TOKENS:
            break
        tokens.append(token)
    return tokens


def _tokens_before(doc: Doc, char: int) -> list[Token]:
    tokens: list[Token] = []
    index = _token_at(doc, char) - 1
    while index >= 0 and len(tokens) < _WINDOW_TOKENS:
        token = doc[index]
        if token.text in _SENTENCE_END or "\n" in token.text or token.text in ("\"", "”", "»", "''"):
            break
        tokens.insert(0, token)
        index -= 1
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return tokens


def _token_at(doc: Doc, char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    starts = doc.user_data.get("sourcetrace_starts")
    if starts is None:
        starts = doc.user_data["sourcetrace_starts"] = [t.idx for t in doc]
    return bisect.bisect_left(starts, char)


def _text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins the tokens on every access."""
    text = doc.user_data.get("sourcetrace_text")
    if text is None:
        text = doc.user_data["sourcetrace_text"] = doc.text
    return text


def _speech_cue(window: list[Token], before_quote: bool, quote_opens: int = 0) -> tuple[SpeakerPhrase, str, int] | None:
    cues = [t for t in window if t.lower_ in SAY_CUES | OBJECT_CUES | CALL_CUES and t.pos_ in ("VERB", "AUX")]
    if not cues:
        return None
    cue = cues[-1] if before_quote else cues[0]
    inside = {t.i for t in window}
    subject = _subject_of(cue)
    # 'X called it "…," adding …': the subject of a cue continuing a verb before the quote.
    named_before = subject is not None and not before_quote and subject.i < quote_opens
    if subject is None or (subject.i not in inside and not named_before):
        # '"…," said Feher, 29': the parser may take a word of the quote as subject.
        subject = _speaker_near(window, cue)
    if subject is None:
        return None
    if named_before:
        # 'X called it "…," adding that …': the quote is the judgement, "adding" keeps its own clause;
        # 'X said it was "…," adding …': the quote is inside X's reported statement.
        if subject.head.i > quote_opens or subject.head.lower_ not in JUDGING_CUES | CALL_CUES:
            return None
        cue = subject.head
    return phrase_for(subject), cue.lower_, cue.i


def _speaker_near(window: list[Token], cue: Token) -> Token | None:
    """The speaker of an attribution the parse got wrong: the first noun phrase
    before the cue ('"…," Flynn, an adviser, said'), else the first after it
    ('"…," said Feher'); never a date or time ("said Thursday morning") nor the
    object of a preposition ("said on Twitter")."""
    nouns = [t for t in window if t.pos_ in ("PROPN", "NOUN", "PRON") and t.i != cue.i
             and t.ent_type_ not in ("DATE", "TIME") and t.dep_ not in ("pobj", "npadvmod")]
    before = [t for t in nouns if t.i < cue.i]
    after = [t for t in nouns if t.i > cue.i]
    return _head_of_phrase((before or after)[0]) if before or after else None


def _head_of_phrase(token: Token) -> Token:
    while token.dep_ in ("compound", "amod", "det", "poss") and token.head.i > token.i:
        token = token.head
    return token


def _subject_of(verb: Token) -> Token | None:
    """The speaker: the cue's subject, or that of the cue it continues ("and
    added", "adding"); a relative pronoun stands for the noun it attaches to."""
    for _ in range(3):
        # A dateline ("GENTHAL, March 4 -") can be parsed as a second subject.
        # Nor a day ("Saturday at the convention Sen. Roe said"): a misparse.
        subjects = [
            c
            for c in verb.children
            if c.dep_ == "nsubj" and c.lower_ != "that" and not _is_dateline(c) and c.ent_type_ not in ("DATE", "TIME")
        ]
        if subjects:
            child = min(subjects, key=lambda c: abs(verb.i - c.i))
            if child.lower_ in ("who", "which") and verb.dep_ == "relcl":
                return verb.head
            return child
        # "WASHINGTON -- President Obama … said": the parse may hang the speaker on the dateline.
        apposed = [a for c in verb.children if c.dep_ == "nsubj" for a in c.children if a.dep_ == "appos"]
        if apposed:
            return apposed[0]
        if verb.dep_ == "pcomp" and verb.head.lower_ == "by" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "X responded by saying …": X says it
            continue
        head = _coordinated_with(verb)
        main_clause = head.lower_ in _ALL_CUES or head.dep_ in ("ROOT", "conj")
        continues = verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.lower_.endswith("ing")) or _infinitive_of(verb)
        if continues and head.i != verb.i and main_clause:
            verb = head
        else:
            return None
    return None


def _coordinated_with(verb: Token) -> Token:
    """The verb that ``verb`` continues: its head, or, for 'X said that it would
    declare … and suggested …', the cue whose tense it shares rather than the
    reported verb the parse hung it on."""
    head = verb.head
    outer = head.head
    if (
        verb.dep_ == "conj"
        and head.dep_ == "ccomp"
        and head.tag_ != verb.tag_
        and outer.tag_ == verb.tag_
        and outer.lower_ in _ALL_CUES
        and outer.i < head.i
    ):
        return outer
    return head


def _infinitive_of(verb: Token) -> bool:
    """'Protesters continued to call for …', 'she went on to say …': the cue is
    the infinitive of an affirmative verb, whose subject speaks; not after a
    refusal ("declined to say") or a negation."""
    head = verb.head
    return (verb.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX") and head.lower_ not in _REFUSING
            and not any(c.dep_ == "neg" for c in head.children))


def _phrase_before(doc: Doc, verb: Token) -> Token | None:
    start = verb.sent.start
    commas = [t.i for t in doc[start : verb.i] if t.text in (",", "—", "–")]
    if not commas:
        return None
    inside = range(commas[-1] + 1, verb.i)
    heads = [t for t in doc[inside.start : inside.stop] if t.head.i not in inside and t.pos_ in ("NOUN", "PROPN", "PRON")]
    return heads[0] if len(heads) == 1 else None


def _is_dateline(token: Token) -> bool:
    """"GENTHAL, March 4 -"; "VELMONT -- Ms Roe said" opening its line."""
    if len(token.text) < 2 or not token.text.isupper() or token.i + 1 >= len(token.doc):
        return False
    after = token.nbor().text
    line_start = token.i == 0 or "\n" in token.doc[token.i - 1].text
    return after == "," or (after in ("--", "—", "–", "-") and bool(token.whitespace_) and line_start)


def _is_cue_verb(token: Token) -> bool:
    """A speech verb used actively and affirmatively ("was told", "did not say" are not)."""
    if token.pos_ not in ("VERB", "AUX") or token.lower_ not in _ALL_CUES:
        return False
    return not any(c.dep_ in ("auxpass", "neg") for c in token.children)


# --- reported speech ---------------------------------------------------------


def _reported(doc: Doc, quotes: list[_Quote], used_cues: set[int | None]) -> list[_Found]:
    found = []
    # The line is read in the segment text: a piece may end before its line does.
    text, offset = doc.user_data.get(_SEGMENT_KEY) or (_text(doc), 0)
    for token in doc:
        if token.i in used_cues or (token.lower_ not in _ALL_CUES and token.lower_ != "according"):
            continue
        if not _complete_line(text, token.idx + offset):
            continue
        if token.lower_ == "according":
            item = _according_to(doc, token)
        elif _is_cue_verb(token):
            item = _verb_statement(doc, token)
        else:
            continue
        if item is not None and not _inside_quote(item, quotes):
            # "called on … to" keeps its quoted words inside: only a judgement is its quote.
            found.append(_quoted_judgement(doc, item, quotes) if item.cue in JUDGING_CUES | CALL_CUES else item)
    return found


def _judged(verb: Token) -> list[Token]:
    """The object and its complement of a judging verb: "the ruling" + "a turning
    point", "it" + "as a blow", "the findings" + "as biased"; [] when it has none."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
    if not objects or any(c.dep_ == "nummod" for c in objects[0].children):
        return []  # "welcomed two million visitors" is no judgement
    complements = [c for c in verb.children if c.i > objects[0].i and (
        c.dep_ == "oprd" or (c.dep_ in ("prep", "advcl") and next(iter(c.subtree)).lower_ == "as"))]
    complements += [c for c in objects[0].children if c.dep_ == "prep" and c.lower_ == "as"]
    if verb.lower_ in _REASON_CUES:
        complements += [c for c in [*verb.children, *objects[0].children] if c.dep_ == "prep" and c.lower_ == "for"]
    if not complements and verb.lower_ in _NEED_COMPLEMENT:
        return []
    return objects[:1] + complements[:1]


def _quoted_judgement(doc: Doc, item: _Found, quotes: list[_Quote]) -> _Found:
    """'called the ruling "a turning point for …"': the quoted words are the statement, direct."""
    for quote in quotes:
        if not item.start < quote.open_at < item.end:
            continue
        if len(_text(doc)[quote.start : quote.end].split()) >= _MIN_QUOTE_WORDS:
            return _Found(quote.start, quote.end, item.speaker, item.cue, "direct", item.cue_index)
        if quote.close_at is not None and quote.close_at <= item.end + 1:  # 'it "a disgrace"', both marks kept
            return _Found(item.start, max(item.end, quote.close_at + len(_mark_at(_text(doc), quote.close_at))), item.speaker, item.cue, item.kind, item.cue_index)
    return item


def _verb_statement(doc: Doc, verb: Token) -> _Found | None:
    lowered = verb.lower_
    special = _as_much(verb) or _inverted_attribution(doc, verb)
    if special is not None:
        return special
    if verb.dep_ == "parataxis" and lowered in SAY_CUES:
        return _parenthetical(doc, verb)
    clause = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i != verb.i]
    # "It is unlikely; the team says she will …": with clauses on both sides, the one after is reported.
    clause = [c for c in clause if c.i > verb.i] or clause or _that_clause_on_object(verb)
    judged = _judged(verb) if lowered in JUDGING_CUES or lowered in CALL_CUES else []
    if judged:
        cue, parts, start_token = lowered, judged, None
    elif lowered in JUDGING_CUES:
        return None
    elif lowered in CALL_CUES:
        # "on" may be parsed a particle ("called on Republicans to …", "on" prt, "Republicans" dobj).
        preps = [c for c in verb.children if c.dep_ in ("prep", "prt") and c.lower_ in ("on", "for", "upon", "to")]
        if not preps:
            return None
        cue = f"{lowered} {preps[0].lower_}"
        # Not a clause of time or reason ("… after X claimed that …"): that one is no part of the call.
        parts = [preps[0]] + [
            c
            for c in verb.children
            if c.i > preps[0].i
            and c.dep_ in ("xcomp", "advcl", "dobj")
            and not any(m.dep_ == "mark" for m in c.children)
        ]
        start_token = preps[0].i + 1
    elif clause:
        cue, parts, start_token = lowered, clause, None
    elif lowered.startswith(("told", "tell", "ask")) and {"xcomp", "dobj"} <= {c.dep_ for c in verb.children}:
        # "told residents to stay away": an instruction, object and infinitive.
        parts = [c for c in verb.children if c.dep_ in ("dobj", "xcomp") and c.i > verb.i]
        cue, start_token = lowered, None
    elif lowered in OBJECT_CUES or lowered not in _CLAUSE_ONLY:
        parts = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp", "pobj") and c.i > verb.i]
        parts += [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "for") and parts and c.i > verb.i]
        if lowered.startswith(("urg", "order")):
            parts = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "ccomp") and c.i > verb.i]
        cue, start_token = lowered, None
    else:
        return None
    if not parts:
        return None
    first, last = _extent(parts)
    subject = _subject_of(verb) or _name_before(doc, verb)
    if last < verb.i:
        # "…, an independent panel of the Council said": the speaker is the
        # phrase between the last comma and the cue, whatever the parse says.
        subject = _phrase_before(doc, verb) or subject
    if subject is None or first <= subject.i <= last:
        return None
    first = start_token if start_token is not None else first
    # "… denied that X and said that Y": the second cue starts its own statement.
    last = next((t.i - 1 for t in doc[first : last + 1] if t.dep_ == "conj" and t.i > verb.i and _is_cue_verb(t)), last)
    while last > first and doc[last].dep_ == "cc":
        last -= 1
    span = _trim(doc, first, last)
    if span is None:
        return None
    return _Found(span[0], span[1], phrase_for(subject), cue, "reported", verb.i)


def _as_much(verb: Token) -> _Found | None:
    """'X said as much': the words stand for what was reported before them,
    and are the statement (annotators mark them so)."""
    much = next((c for c in verb.children if c.lower_ == "much" and c.i == verb.i + 2), None)
    if much is None or verb.nbor().lower_ != "as" or verb.lower_ not in SAY_CUES:
        return None
    subject = _subject_of(verb)
    if subject is None:
        return None
    start = verb.nbor()
    return _Found(start.idx, much.idx + len(much.text), phrase_for(subject), verb.lower_, "reported", verb.i)


def _inverted_attribution(doc: Doc, verb: Token) -> _Found | None:
    """'The plan, said Ilka Varga, an analyst, is dead': an attribution with the
    speaker after the cue, set off inside the clause it reports. The parse
    takes the words before it ("The plan") for the subject; the speaker is the
    noun phrase after the cue, and the statement the whole clause (as for
    'The plan, she said, is dead')."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    sentence = verb.sent
    if subject is None or verb.lower_ not in SAY_CUES or verb.i < 2 or doc[verb.i - 1].text != ",":
        return None
    # Not "Ann Roe, 58, said …" nor "The mayor, a lawyer, said …": a common noun, no aside of its own.
    commas = [t for t in doc[subject.i : verb.i - 1] if t.text in (",", "—", "–", "(")]
    if subject.pos_ != "NOUN" or commas or any(c.dep_ == "appos" for c in subject.children):
        return None
    limit = min(sentence.end, verb.i + 12)
    close = next((t.i for t in doc[verb.i + 1 : limit] if t.text == ","), None)
    if close is None or subject.i >= verb.i - 1 or close + 2 >= sentence.end:
        return None
    named = [t for t in doc[verb.i + 1 : close] if t.pos_ in ("PROPN", "NOUN")]
    continued = any(t.pos_ in ("VERB", "AUX") for t in doc[close + 1 : sentence.end])  # not just a role after
    span = _trim(doc, sentence.start, sentence.end - 1)
    if not named or not continued or span is None:
        return None
    return _Found(span[0], span[1], phrase_for(_head_of_phrase(named[0])), verb.lower_, "reported", verb.i)


def _parenthetical(doc: Doc, verb: Token) -> _Found | None:
    """'The plan, she said, was never approved': an attribution set off by
    commas inside a clause reports that clause (its words around the
    attribution, which the span keeps)."""
    subject = _subject_of(verb)
    own = sorted(t.i for t in verb.subtree if t.text != ",")
    if subject is None or not own or own[0] == 0 or own[-1] + 1 >= len(doc):
        return None
    if doc[own[0] - 1].text != "," or doc[own[-1] + 1].text != ",":
        return None
    first, last = _extent([verb.head])
    if first >= own[0] - 1 or last <= own[-1] + 1:
        return None  # words on one side only: "…, she said, and …" is no interrupted clause
    span = _trim(doc, first, last)
    return None if span is None else _Found(span[0], span[1], phrase_for(subject), verb.lower_, "reported", verb.i)


def _name_before(doc: Doc, verb: Token) -> Token | None:
    """'In a meeting with the board of the Post Trump said that …': a cue the
    parse left without a subject has the name written right before it."""
    at = verb.i - 1
    if at > 0 and doc[at].text == ")":  # "Sen. Ann Roe (D-Vt.) said": past the party and state
        at = next((t.i - 1 for t in reversed(doc[max(0, at - 8) : at]) if t.text == "("), at)
    before = doc[at] if at >= 0 else None
    if before is None or before.pos_ != "PROPN" or before.ent_type_ in ("DATE", "TIME") or verb.dep_ != "ROOT":
        return None
    return before


def _according_to(doc: Doc, according: Token) -> _Found | None:
    to = next((c for c in according.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    sentence = according.sent
    phrase_end = max(t.i for t in according.subtree) + 1
    phrase_start = min(t.i for t in according.subtree)
    before = (sentence.start, phrase_start)
    after = (phrase_end, sentence.end)
    first, last = max(before, after, key=lambda part: part[1] - part[0])
    span = _trim(doc, first, last - 1)
    if span is None:
        return None
    return _Found(span[0], span[1], phrase_for(source), "according to", "reported", according.i)


def _that_clause_on_object(verb: Token) -> list[Token]:
    """'told a briefing that three officers had been injured': the parser may
    hang the clause on the listener as a relative clause."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
        for clause in (c for c in obj.children if c.dep_ in ("relcl", "acl")):
            first = next(iter(clause.subtree))
            has_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in clause.children)
            if first.lower_ == "that" and has_subject:
                return [clause]
    return []


def _complete_line(text: str, at: int) -> bool:
    """The line holding ``at`` ends like a sentence: headlines and bylines
    ("Panel says …", "Lena Hartwig wrote . . .") are not statements."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)].rstrip()
    return bool(line) and line[-1] in ".!?\"”’'):;" and not line.endswith(". .")


def _extent(parts: list[Token]) -> tuple[int, int]:
    indexes = [t.i for part in parts for t in part.subtree]
    return min(indexes), max(indexes)


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    """Character span of tokens first..last without a leading "that" or edge punctuation."""
    while first <= last and (doc[first].is_punct or doc[first].is_space or doc[first].lower_ == "that"):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space) and doc[last].text not in "”\"’":
        last -= 1
    if last < first or last - first + 1 < 2:
        return None
    return _after_dateline(_text(doc), doc[first].idx), doc[last].idx + len(doc[last].text)


# "VELMONT (CP) — ", "LONDON, March 3 (Reuters) - ", "MAREN, Vardenia (AP) — ": place in
# capitals, then an optional region, date and credit, then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+)*(?:,\s+[A-Z][\w.'’]*(?: [A-Z][\w.'’]*)*)?"
    r"(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^()\n]{1,40}\))?\s*[—–-]{1,2}\s+"
)


def _after_dateline(text: str, start: int) -> int:
    """Where a statement starting a line begins, past the line's dateline."""
    if start > 0 and text[start - 1] != "\n":
        return start
    dateline = _DATELINE.match(text, start)
    return dateline.end() if dateline and dateline.end() < len(text) else start


def _inside_quote(item: _Found, quotes: list[_Quote]) -> bool:
    """A cue inside a quotation is the quoted speaker's own words, not an attribution."""
    return any(q.start <= item.start and item.end <= q.end and q.start < item.start for q in quotes)


def _nested(doc: Doc, item: _Found, others: list[_Found]) -> bool:
    """'X said it expected Y': the cue of "it expected" lies inside X's statement."""
    if item.cue_index is None:
        return False
    at = doc[item.cue_index].idx
    return any(other is not item and other.start <= at < other.end for other in others)


def _mostly_inside(item: _Found, spans: list[tuple[int, int]]) -> bool:
    length = max(1, item.end - item.start)
    return any(min(item.end, end) - max(item.start, start) > 0.5 * length for start, end in spans)


# --- garbled attributions ----------------------------------------------------


def _garbled(doc: Doc, item: _Found) -> str | None:
    """``… Agnes said. Callamard, secretary general of …``: a lone first name
    before the cue, and a capitalised word plus comma opening the next
    sentence. Returns the reassembled name."""
    if item.kind != "direct" or item.cue_index is None:
        return None
    speaker = item.speaker.text.split()
    if len(speaker) != 1 or not speaker[0][:1].isupper():
        return None
    index = item.cue_index + 1
    if index + 2 >= len(doc) or doc[index].text != ".":
        return None
    name, comma = doc[index + 1], doc[index + 2]
    # The small model often tags a lone surname as a plural noun ("Reyes"/NNS).
    if name.text[:1].isupper() and not name.text.isupper() and name.pos_ in ("PROPN", "NOUN") and comma.text == ",":
        return f"{speaker[0]} {name.text}"
    return None
