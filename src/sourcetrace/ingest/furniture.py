"""Page furniture: the lines around an article that are not the article.

Three sources, each named in the span's reason:

* ``known:NAME`` -- a short documented list of whole-line patterns
  (comment forms, share buttons, "Source link", copyright lines, ...), see
  ``KNOWN_PATTERNS``.
* ``front-matter`` -- a YAML-like ``title:``/``date:``/``author:`` block, as
  content farms leave at the top of a page or between repeated copies (also
  on one line: ``title: "..." date: "2024-03-05" author: "..."``). Its
  values are still used: segmentation reads them with ``parse_front_matter``.
* ``learned:recurs across unrelated documents`` -- lines that recur across
  documents that are *not* copies of one article (a site's name, tag line,
  menus, footers). ``furniture_learning.learn_from_lines`` tells the two apart: a
  syndicated wire story recurs word for word too, and must never be
  dropped; its docstring gives the method.

Furniture is line-granular: a span always covers whole stripped lines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sourcetrace.ingest.spans import TextLine, split_lines
from sourcetrace.records import FurnitureSpan

FRONT_MATTER_REASON = "front-matter"
KNOWN_PREFIX = "known:"
LEARNED_PREFIX = "learned:"

# Known patterns are tried only on lines up to this long: furniture lines are
# short, and the cap keeps a 1 MB single-line document cheap.
_KNOWN_MAX_CHARS = 300


@dataclass(frozen=True, slots=True)
class KnownPattern:
    """A furniture line recognised without learning: ``regex`` must match the
    whole stripped line, case-insensitively."""

    name: str
    regex: str


KNOWN_PATTERNS: tuple[KnownPattern, ...] = (
    KnownPattern(
        "comment-prompt",
        r"please enter your (?:comment|name here|email address here|website here)\W*"
        r"|leave a (?:comment|reply)(?:\s+cancel reply)?\W*"
        r"|(?:no|one|\d+)\s+comments?\s*:?|post a comment\W*|add a comment\W*|cancel reply"
        r"|comments? (?:are )?closed\.?|you must be logged in to post a comment\.?"
        r"|your email address will not be published\.?(?:\s*required fields are marked\s*\*?)?"
        r"|save my name, email, and website in this browser for the next time i comment\.?"
        r"|you have entered an incorrect email address!?",
    ),
    KnownPattern("source-link", r"\[?source link\]?"),
    KnownPattern(
        "share-prompt",
        r"share(?: this(?: article| story| post)?)?\s*:?|tweet|pin it|like this\s*:?|(?:like )?loading\.*"
        # a share bar's buttons, one per line
        r"|facebook|twitter|whatsapp|telegram|linkedin|reddit|pinterest|email|print|x|threads|bluesky|messenger"
        r"|share (?:on|via|to) (?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|email|pinterest)"
        r"|click to (?:share|email|print)(?: (?:on|this on|a link to a friend)\s*\w*)?(?:\s*\(opens in new window\))?",
    ),
    KnownPattern("tag-archive", r"(?:tag|category|author|monthly|yearly|daily) archives?\s*:\s*.{1,120}"),
    KnownPattern("posted-in", r"(?:posted|filed) (?:in|under)\s*:?\s*[^.!?]{1,120}"),
    KnownPattern(
        "related-links",
        r"related(?: posts| articles| stories| news| content| topics)?\s*:?"
        r"|you (?:may|might) also like\W*|read (?:more|also)\s*(?::.{0,150})?|more from (?:the )?author",
    ),
    KnownPattern(
        "advertisement",
        r"advertisements?|sponsored(?: content| links?)?|story continues (?:below|after) (?:this )?advertisement",
    ),
    KnownPattern("newsletter", r"(?:subscribe|sign up) (?:to|for) (?:our|the) (?:[\w-]+ )?newsletters?\b.{0,150}"),
    KnownPattern(
        "cookie-notice",
        r"(?:this (?:web)?site|we) uses? cookies\b.{0,250}|(?:accept|reject|allow) (?:all )?cookies"
        r"|cookie (?:policy|settings|preferences|consent)|by (?:continuing to )?(?:use|using|browse|browsing)"
        r" (?:this|our) (?:web)?site.{0,200}\bcookies\b.{0,200}",
    ),
    KnownPattern(
        "copyright",
        # "Copyright" must be followed by a sign or a year so that a sentence
        # opening with the word ("Copyright claims rose ...") is not matched.
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,150}|.{0,150}\ball rights reserved\.?",
    ),
)

_KNOWN = re.compile(
    "|".join(f"(?P<k{i}>{p.regex})" for i, p in enumerate(KNOWN_PATTERNS)), re.IGNORECASE
)


# How a line matched by KNOWN_PATTERNS begins or ends (casefolded): a cheap
# test that spares the regex for most article lines. Keep in step with them.
_KNOWN_OPENINGS = tuple(
    "please leave no one post add cancel comment you save [source source share tweet pin like click tag"
    " category author monthly yearly daily posted filed related read advertisement sponsored story subscribe"
    " sign this we accept reject allow cookie by © (c) copyright facebook twitter whatsapp telegram linkedin"
    " reddit pinterest email print x threads bluesky messenger loading more".split()
) + tuple("0123456789")
_KNOWN_ENDINGS = ("reserved", "reserved.")


def known_furniture(line: str) -> str | None:
    """The name of the known pattern that ``line`` (stripped) is, or None."""
    if len(line) > _KNOWN_MAX_CHARS:
        return None
    folded = line.casefold()
    if not folded.startswith(_KNOWN_OPENINGS) and not folded.endswith(_KNOWN_ENDINGS):
        return None
    match = _KNOWN.fullmatch(line)
    if match is None or match.lastgroup is None:
        return None
    return KNOWN_PATTERNS[int(match.lastgroup[1:])].name


# -- front matter ------------------------------------------------------------

_FRONT_MATTER_KEYS = frozenset(
    "title date author authors byline published updated modified tags categories category slug"
    " description summary keywords lang language layout draft image url permalink".split()
)
_FRONT_MATTER_MAIN_KEYS = frozenset({"title", "date", "author", "authors", "byline", "published"})
_KEY_VALUE = re.compile(r"([A-Za-z][\w-]{0,30})\s*:(?:\s+(.*)|\s*)$", re.DOTALL)
_FENCE = "---"
_MAX_FRONT_MATTER_LINES = 40
_BARE_VALUE_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The values of a front-matter block that describe the article."""

    title: str | None = None
    date: str | None = None
    author: str | None = None


def _key_of(line: str) -> str | None:
    if ":" not in line or len(line) > 500:
        return None
    match = _KEY_VALUE.match(line)
    return match.group(1).casefold() if match else None


def _fenced_block_end(lines: list[TextLine], first: int) -> int | None:
    """Index of the closing fence of a ``---`` block opened at ``first``."""
    keys: set[str] = set()
    last = min(len(lines), first + _MAX_FRONT_MATTER_LINES)
    for index in range(first + 1, last):
        text = lines[index].text
        if text in (_FENCE, "..."):
            return index if keys & _FRONT_MATTER_KEYS else None
        key = _key_of(text)
        if key is not None:
            keys.add(key)
        elif not (text.startswith("- ") and keys):  # a YAML list item continues a key
            return None
    return None


def _bare_block_end(lines: list[TextLine], first: int) -> int | None:
    """Index of the last line of an unfenced block of known keys at ``first``.
    A block needs two distinct known keys, one of them title/date/author."""
    keys: list[str] = []
    index = first
    while index < len(lines) and len(keys) < _MAX_FRONT_MATTER_LINES:
        key = _key_of(lines[index].text)
        if key not in _FRONT_MATTER_KEYS or key in keys or len(lines[index].text) > _BARE_VALUE_MAX_CHARS:
            break  # a long "Summary: ..." line is more likely article than metadata
        keys.append(key)
        index += 1
    if len(keys) >= 2 and _FRONT_MATTER_MAIN_KEYS & set(keys):
        return index - 1
    return None


# One line of quoted pairs, as content farms paste between copies of an
# article: title: "..." date: "2024-03-05" author: "...".
_INLINE_PAIR = r"""[A-Za-z][\w-]{0,30}\s*:\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)"""
_INLINE_FRONT_MATTER = re.compile(rf"{_INLINE_PAIR}(?:\s+{_INLINE_PAIR})+")
_INLINE_PAIRS = re.compile(r"""([A-Za-z][\w-]{0,30})\s*:\s*("[^"\n]*"|'[^'\n]*'|[^\s"']+)""")


def _inline_pairs(line: str) -> list[tuple[str, str]] | None:
    """The (key, value) pairs of a one-line front-matter block: two or more
    distinct known keys, one of them title/date/author; else None."""
    if len(line) > 500 or line.count(":") < 2 or _INLINE_FRONT_MATTER.fullmatch(line) is None:
        return None
    pairs = [(key.casefold(), _unquote(value)) for key, value in _INLINE_PAIRS.findall(line)]
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) or not set(keys) <= _FRONT_MATTER_KEYS or not _FRONT_MATTER_MAIN_KEYS & set(keys):
        return None
    return pairs


def find_front_matter(lines: list[TextLine]) -> list[tuple[int, int]]:
    """Front-matter blocks among ``lines`` as inclusive (first, last) indices."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        end: int | None = None
        if text == _FENCE:
            end = _fenced_block_end(lines, index)
        elif ":" in text and len(text) <= 500:
            end = index if _inline_pairs(text) is not None else _bare_block_end(lines, index)
        if end is None:
            index += 1
            continue
        blocks.append((index, end))
        index = end + 1
    return blocks


def parse_front_matter(block: str) -> FrontMatter:
    """Title, date and author of a front-matter block's text."""
    values: dict[str, str] = {}
    for line in split_lines(block):
        inline = _inline_pairs(line.text)
        if inline is not None:
            for key, value in inline:
                values.setdefault(key, value)
            continue
        match = _KEY_VALUE.match(line.text)
        if match is None or not match.group(2):
            continue
        value = _unquote(match.group(2).strip())
        if value:
            values.setdefault(match.group(1).casefold(), value)
    author = values.get("author") or values.get("authors") or values.get("byline")
    return FrontMatter(values.get("title"), values.get("date") or values.get("published"), author)


def _unquote(value: str) -> str:
    """A YAML scalar or flow list as plain text: 'x' → x, [a, b] → a, b."""
    if len(value) >= 2 and (value[0], value[-1]) in (('"', '"'), ("'", "'"), ("[", "]")):
        return value[1:-1].strip()
    return value


# -- fingerprints -------------------------------------------------------------

# Curly and angled quotes fold to straight ones. A replace() per quote mark
# present is ~20x faster than str.translate on non-ASCII text.
_QUOTE_FOLDS = tuple(
    (curly, "'") for curly in "\u2018\u2019\u201a\u201b\u2032"
) + tuple((curly, '"') for curly in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb")
_DIGIT_MASK = bytes.maketrans(b"123456789", b"000000000")
_DIGIT_RUN = re.compile(rb"0+")
_ASCII_SPACES_BUT_ONE = ("  ", "\t", "\n", "\r", "\x0b", "\x0c")


def fold_text(text: str) -> str:
    """Text casefolded, with one space between words and straight quotes:
    the form in which two copies of an article compare equal."""
    folded = text.casefold()
    if not folded.isascii():
        for curly, straight in _QUOTE_FOLDS:
            if curly in folded:
                folded = folded.replace(curly, straight)
        return " ".join(folded.split())
    folded = folded.strip()
    if any(space in folded for space in _ASCII_SPACES_BUT_ONE):  # fast path: most lines need no split
        return " ".join(folded.split())
    return folded


def _normalised_bytes(line: str) -> bytes:
    return _normalise(line)[0]


def _normalise(line: str) -> tuple[bytes, bool]:
    """The normalised form, and whether digits were masked in it."""
    # Bytes, because translating and counting bytes is several times faster
    # than str, and fingerprinting every line is the hot loop of learning.
    data = fold_text(line).encode("utf-8", "surrogatepass")
    masked = data.translate(_DIGIT_MASK)
    if masked == data:  # no digit but 0: nothing to mask
        return data, False
    digits = masked.count(b"0")
    others = len(masked) - masked.count(b" ") - digits
    return (_DIGIT_RUN.sub(b"0", masked), True) if others >= 2 * digits else (data, False)


def normalise_line(line: str) -> str:
    """The form of a line that furniture is recognised by: ``fold_text``;
    besides, each run of digits becomes "0" when the line is mostly words ("© 2024
    Example News", "Posted on June 3") so that dates and counts do not hide
    recurrence; lines made mostly of numbers (table rows, bare dates) keep
    their digits, so that figures are never merged into furniture. Learning
    then keeps as article a masked line seen with different figures."""
    return _normalised_bytes(line).decode("utf-8", "surrogatepass")


def line_fingerprint(line: str) -> int:
    """A stable 64-bit signed fingerprint of a line's normalised form (stable
    across processes, unlike ``hash``; fits an SQLite INTEGER)."""
    return _fingerprint(_normalised_bytes(line))


def _fingerprint(normalised: bytes) -> int:
    digest = hashlib.blake2b(normalised, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_DIGITS = re.compile(r"[0-9]+")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Dates with a year, and times: what a site's own lines ("Posted on June 3,
# 2024", "Updated 09:42") vary by; their figures are the page's date, not the
# story's facts. A date without a year ("Pay April 15") is a story's fact.
_DATE_OR_TIME = re.compile(
    rf"\b(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:19|20)\d{{2}}|"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)


def line_facts(line: str) -> tuple[int, int | None, str]:
    """The line's fingerprint; its figures ("25 25") when normalising masked
    them and they are more than a date or a time; and its normalised form
    (:func:`normalise_line`). Occurrences of one fingerprint with different
    figures are one formula filled with each story's own facts. The figures
    come as a stable 64-bit hash, since they are stored per document
    (``document_lines``) and compared across runs."""
    normalised, masked = _normalise(line)
    figures = _DIGITS.findall(_DATE_OR_TIME.sub(" ", line)) if masked else []
    text = normalised.decode("utf-8", "surrogatepass")
    if not figures:
        return _fingerprint(normalised), None, text
    return _fingerprint(normalised), _fingerprint("\x1f".join(_DIGITS.findall(line)).encode("ascii")), text


_SENTENCE_END = tuple(".!?…\"'”’»")
_QUOTE_CHARS = ('"', "“", "”", "«", "»")


def looks_like_prose(line: str) -> bool:
    """True for a line that reads as a sentence of an article: long, or of
    several words and ending in sentence punctuation or quoting someone."""
    words = line.count(" ") + 1
    if words >= 15:
        return True
    if words < 6:
        return False
    return line.endswith(_SENTENCE_END) or any(q in line for q in _QUOTE_CHARS)


# -- the model -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearnedLine:
    """A line learned as furniture: its fingerprint, one example of it as
    found, and in how many documents it was seen."""

    fingerprint: int
    example: str
    documents: int

    @property
    def reason(self) -> str:
        # No count here (learned_furniture has it): a span's reason must not
        # change as the case grows, or every page carrying the line would be
        # segmented again at each run.
        return f"{LEARNED_PREFIX}recurs across unrelated documents"


class FurnitureModel:
    """Known patterns plus lines learned from a corpus. Picklable; persisted
    by the store as rows (see ``to_rows``/``from_rows``)."""

    def __init__(self, learned: Iterable[LearnedLine] = ()) -> None:
        self.learned: dict[int, LearnedLine] = {line.fingerprint: line for line in learned}

    def __len__(self) -> int:
        return len(self.learned)

    def __repr__(self) -> str:
        return f"FurnitureModel({len(self.learned)} learned lines)"

    def to_rows(self) -> list[tuple[str, str, int]]:
        """(fingerprint as 16 hex digits, example, document count) rows."""
        return [(_hex(line.fingerprint), line.example, line.documents) for line in self.learned.values()]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int | str, str, int]]) -> FurnitureModel:
        """A model from rows written by ``to_rows`` (int fingerprints too)."""
        return cls(LearnedLine(parse_fingerprint(fp), example, int(count)) for fp, example, count in rows)

    def find(self, text: str) -> list[FurnitureSpan]:
        """The furniture spans of one document, sorted, one per line (one per
        block for front matter), in offsets of ``text``."""
        lines = split_lines(text)
        reasons: list[str | None] = [None] * len(lines)
        spans: list[FurnitureSpan] = []
        for first, last in find_front_matter(lines):
            spans.append(FurnitureSpan(lines[first].start, lines[last].end, FRONT_MATTER_REASON))
            reasons[first : last + 1] = [FRONT_MATTER_REASON] * (last + 1 - first)
        learned_at: dict[int, LearnedLine] = {}
        for index, line in enumerate(lines):
            if reasons[index] is not None:
                continue
            name = known_furniture(line.text)
            if name is not None:
                reasons[index] = KNOWN_PREFIX + name
            elif self.learned:
                learned = self.learned.get(line_fingerprint(line.text))
                if learned is not None:
                    learned_at[index] = learned
        for index in _learned_lines_in_furniture_context(lines, reasons, list(learned_at)):
            reasons[index] = learned_at[index].reason
        spans.extend(
            FurnitureSpan(line.start, line.end, reason)
            for line, reason in zip(lines, reasons)
            if reason is not None and reason != FRONT_MATTER_REASON
        )
        spans.sort(key=lambda span: span.start)
        return spans


def _learned_lines_in_furniture_context(
    lines: list[TextLine], reasons: list[str | None], learned_at: list[int]
) -> list[int]:
    """The learned lines to remove: those outside the article body (before
    its first or after its last prose line) and those next to other
    furniture. A lone learned line between prose lines is kept: it is more
    likely a sub-heading that happens to recur ("Background") than
    furniture, and keeping it loses nothing."""
    if not learned_at:
        return []
    is_furniture = [reason is not None for reason in reasons]
    for index in learned_at:
        is_furniture[index] = True
    prose = [i for i, line in enumerate(lines) if not is_furniture[i] and looks_like_prose(line.text)]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (len(lines), -1)
    chosen: list[int] = []
    for index in learned_at:
        outside_body = index < first_prose or index > last_prose
        beside_furniture = (index > 0 and is_furniture[index - 1]) or (
            index + 1 < len(lines) and is_furniture[index + 1]
        )
        if outside_body or beside_furniture:
            chosen.append(index)
    return chosen


def _hex(fingerprint: int) -> str:
    return (fingerprint & 0xFFFF_FFFF_FFFF_FFFF).to_bytes(8, "big").hex()


def parse_fingerprint(value: int | str) -> int:
    if isinstance(value, int):
        return value
    return int.from_bytes(bytes.fromhex(value), "big", signed=True)
