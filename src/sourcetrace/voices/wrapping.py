"""Hard-wrapped text: line breaks that only wrap a paragraph.

Old wire archives, plain-text e-mails and PDF text layers break every line
at a fixed width, so one paragraph holds many lines. The extractor reads a
line as a paragraph (quotes are paired in it, a line break ends a sentence),
so :func:`unwrapped` turns each soft break into a space before extraction:
the result has the same length, and every span found in it points into the
original text.
"""

from __future__ import annotations

from itertools import pairwise

# A wrap narrower or wider than this is no wrap: web text holds a paragraph per line.
_MIN_WIDTH, _MAX_WIDTH = 30, 120
# A text is wrapped when this share of its lines that another line follows are nearly full.
_FULL_SHARE = 0.5
_NEARLY_FULL = 0.75  # of the width
_MIN_LINES = 3
_SENTENCE_END = ".!?:;\"”’'"


def unwrapped(text: str) -> str:
    """``text`` with each line break inside a paragraph (and a "\\r" before
    it) made a space; the text itself when it is not hard-wrapped."""
    breaks = soft_breaks(text)
    if not breaks:
        return text
    chars = list(text)
    for at in breaks:
        chars[at] = " "
        if at > 0 and chars[at - 1] == "\r":
            chars[at - 1] = " "
    return "".join(chars)


def soft_breaks(text: str) -> list[int]:
    """Offsets of the line breaks that wrap a paragraph. A blank line, or a
    line indented otherwise than the text's lines mostly are (the wire's
    paragraph opening), still starts a paragraph, and so does a line after
    one that ends short of the wrap width (its first word would have fit)
    unless that one ends mid-sentence before a lower-case word."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return []
    indent = _usual_indent(lines)
    breaks = []
    at = 0
    for line, after in pairwise(lines):
        at += len(line)
        if _continues(line, after, width, indent):
            breaks.append(at)
        at += 1
    return breaks


def wrap_width(lines: list[str]) -> int | None:
    """The width the text is wrapped at, None when it is not hard-wrapped:
    most of its lines that another line follows come close to one width
    (read as the length that a tenth of the lines reach, so that one long
    line does not set it)."""
    lengths = sorted((len(line.rstrip()) for line in lines if line.strip()), reverse=True)
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[len(lengths) // 10]
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return None
    followed = [len(line.rstrip()) for line, after in pairwise(lines)
                if line.strip() and after.strip()]
    full = sum(length >= _NEARLY_FULL * width for length in followed)
    return width if followed and full >= _FULL_SHARE * len(followed) else None


def _usual_indent(lines: list[str]) -> int:
    indents = [_indent(line) for line in lines if line.strip()]
    return max(set(indents), key=indents.count) if indents else 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _continues(line: str, after: str, width: int, indent: int) -> bool:
    """Whether ``after`` continues the paragraph of ``line``."""
    if not line.strip() or not after.strip() or _indent(after) != indent:
        return False
    words = after.split()
    if len(line.rstrip()) + 1 + len(words[0]) > width:
        return True  # broken because the next word did not fit
    # "Top Saudi businessmen\ndiscussing ways …": a shorter line the sentence runs on from.
    return words[0][:1].islower() and line.rstrip()[-1] not in _SENTENCE_END
