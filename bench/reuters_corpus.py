"""Turn Reuters-21578 into a pile of web pages: one HTML file per story and one
WARC holding the same pages, as a crawl would have saved them.

    python bench/reuters_corpus.py ../shared/corpora/reuters21578 bench/out/reuters [--limit N]

writes OUTDIR/html/<newid>.html and OUTDIR/reuters.warc.gz. Other benchmarks
import :func:`parse_reuters` to get the stories themselves.

The SGML is latin-1 and not well-formed XML (bare ``&`` and control
characters inside <UNKNOWN>), so records are cut out with regular expressions
rather than an XML parser.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE = "https://wire.example.org"
_RECORD = re.compile(r"<REUTERS\b[^>]*\bNEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ReutersStory:
    """One Reuters-21578 record that has a body."""

    newid: int
    date: str  # ISO 8601, "1987-02-26T15:01:01"; the collection gives no time zone
    title: str  # "" when the record has none
    dateline: str  # e.g. "SALVADOR, Feb 26"; "" when none
    body: str  # as sent, line breaks kept; usually ends with the "Reuter" sign-off


def parse_reuters(src_dir: str | Path) -> Iterator[ReutersStory]:
    """Yield every record with a <BODY> from the reut2-*.sgm files in ``src_dir``,
    in file order (which is NEWID order)."""
    files = sorted(Path(src_dir).glob("reut2-*.sgm"))
    if not files:
        raise FileNotFoundError(f"no reut2-*.sgm files in {src_dir}")
    for path in files:
        for match in _RECORD.finditer(path.read_text(encoding="latin-1")):
            story = _story_from_record(int(match.group(1)), match.group(2))
            if story is not None:
                yield story


def _story_from_record(newid: int, record: str) -> ReutersStory | None:
    body = _field(record, "BODY")
    if body is None:
        return None
    return ReutersStory(
        newid=newid,
        date=_iso_date(_field(record, "DATE") or ""),
        title=_clean(_field(record, "TITLE") or "").strip(),
        dateline=_clean(_field(record, "DATELINE") or "").strip().rstrip("-").strip(),
        body=_clean(body).rstrip(),
    )


def _field(record: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", record, re.S)
    return match.group(1) if match else None


def _clean(sgml_text: str) -> str:
    """Resolve entities (&lt; &amp; &#3;) and drop the control characters the
    wire used as transmission markers."""
    return _CONTROL.sub("", html.unescape(sgml_text))


def _iso_date(raw: str) -> str:
    """'26-FEB-1987 15:01:01.79' -> '1987-02-26T15:01:01'. A few records carry
    junk after the time, so only the leading date and time are read."""
    match = re.search(r"(\d{1,2}-[A-Z]{3}-\d{4}) (\d{2}:\d{2}:\d{2})", raw.upper())
    if not match:
        return ""
    parsed = datetime.strptime(f"{match.group(1)} {match.group(2)}", "%d-%b-%Y %H:%M:%S")
    return parsed.isoformat()


# --- pages -------------------------------------------------------------------


def body_paragraphs(body: str) -> list[str]:
    """Split a wire body into paragraphs. The wire marks a new paragraph by
    indenting its first line; other line breaks are just the 80-column wrap."""
    paragraphs: list[list[str]] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        if line.startswith((" ", "\t")) or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(lines) for lines in paragraphs]


def story_url(story: ReutersStory) -> str:
    day = story.date[:10].replace("-", "/") or "undated"
    slug = re.sub(r"[^a-z0-9]+", "-", story.title.lower()).strip("-")[:60] or "story"
    return f"{SITE}/{day}/{story.newid}-{slug}.html"


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Wire Desk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Wire Desk">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{url}">
</head>
<body>
<header class="masthead">
  <a class="logo" href="/">Wire Desk</a>
  <nav><ul>
    <li><a href="/markets">Markets</a></li><li><a href="/commodities">Commodities</a></li>
    <li><a href="/companies">Companies</a></li><li><a href="/economy">Economy</a></li>
    <li><a href="/world">World</a></li><li><a href="/subscribe">Subscribe</a></li>
  </ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">Wire Desk staff &middot; <time datetime="{date}">{date_text}</time></p>
{dateline}{paragraphs}
</article>
<aside class="latest">
<h2>Latest headlines</h2>
<ul>
{latest}
</ul>
</aside>
</main>
<footer>
<p>Market data delayed at least 15 minutes. All quotes in local exchange time.</p>
<p><a href="/about">About us</a> | <a href="/terms">Terms of use</a> | <a href="/privacy">Privacy</a> | <a href="/contact">Contact</a></p>
<p>&copy; 1987 Wire Desk. All rights reserved.</p>
</footer>
</body>
</html>
"""


def render_page(story: ReutersStory, latest: list[ReutersStory]) -> str:
    """The story as a news-site page; ``latest`` fills the sidebar, which
    changes from page to page like a real site's."""
    esc = html.escape
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in body_paragraphs(story.body))
    dateline = f'<p class="dateline">{esc(story.dateline)}</p>\n' if story.dateline else ""
    links = "\n".join(
        f'<li><a href="{esc(story_url(s))}">{esc(s.title or "Untitled")}</a></li>' for s in latest
    )
    return _PAGE.format(
        title=esc(story.title or "Untitled"),
        url=esc(story_url(story)),
        date=story.date,
        date_text=story.date.replace("T", " "),
        dateline=dateline,
        paragraphs=paragraphs,
        latest=links,
    )


# --- output ------------------------------------------------------------------


def write_corpus(src_dir: Path, out_dir: Path, limit: int | None = None) -> int:
    """Write the HTML pages and the WARC; return how many stories were written."""
    html_dir = out_dir / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    for stale in html_dir.glob("*.html"):  # a larger earlier run would skew benchmarks
        stale.unlink()
    recent: deque[ReutersStory] = deque(maxlen=5)
    count = 0
    with open(out_dir / "reuters.warc.gz", "wb") as warc_file:
        writer = WARCWriter(warc_file, gzip=True)
        writer.write_record(_warcinfo_record(writer))
        for story in parse_reuters(src_dir):
            if limit is not None and count >= limit:
                break
            page = render_page(story, list(reversed(recent))).encode("utf-8")
            (html_dir / f"{story.newid}.html").write_bytes(page)
            writer.write_record(_response_record(writer, story, page))
            recent.append(story)
            count += 1
    return count


# Record ids and dates are derived from the stories, not from uuid4() and the
# clock, so that two runs write byte-identical archives.


def _warcinfo_record(writer: WARCWriter) -> ArcWarcRecord:
    fields = b"software: sourcetrace bench/reuters_corpus.py\r\ndescription: Reuters-21578 as web pages\r\n"
    warc_headers = {
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, SITE)}>",
        "WARC-Date": "1987-01-01T00:00:00Z",
        "WARC-Filename": "reuters.warc.gz",
    }
    return writer.create_warc_record(
        "", "warcinfo", payload=BytesIO(fields), length=len(fields),
        warc_content_type="application/warc-fields", warc_headers_dict=warc_headers,
    )


def _response_record(writer: WARCWriter, story: ReutersStory, page: bytes) -> ArcWarcRecord:
    url = story_url(story)
    http_headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        protocol="HTTP/1.1",
    )
    warc_headers = {
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>",
        "WARC-Date": (story.date or "1987-01-01T00:00:00") + "Z",
    }
    return writer.create_warc_record(
        url, "response", payload=BytesIO(page), http_headers=http_headers, warc_headers_dict=warc_headers
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path, help="folder with reut2-*.sgm")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="write only the first N stories")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = write_corpus(args.src, args.outdir, args.limit)
    seconds = time.perf_counter() - started
    print(f"wrote {count} pages to {args.outdir}/html and {args.outdir}/reuters.warc.gz in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
