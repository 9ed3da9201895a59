"""A generated news corpus for engine comparisons: invented wire stories,
copied, excerpted, edited and pasted together across invented sites.

Every text is made here from word lists and sentence patterns of our own, so
the corpus can be as large as a test or benchmark needs. It carries what the
pipeline looks for: copies in families with dated origins, quotes with named
speakers (some altered in copies), dates, and site furniture. Deterministic
for a given seed and size.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

SYLLABLES = (
    "kal ver mor tan os bel cor dun el far gre hal iv jes ker lin mar nor or pel qua rus sal tho ul "
    "var wex yar zol bra dri fen gil hob kip lom nest pry rod sib tov"
).split()
ROLES = ("spokeswoman for", "director of", "a lawyer for", "the head of", "a researcher at", "chairman of")
BODIES = (
    "Harbour Authority",
    "Regional Council",
    "Miners' Union",
    "Water Board",
    "Hospital",
    "Transport Office",
    "Rights Forum",
    "Port Workers' Guild",
    "University",
    "Chamber of Trade",
    "Fire Service",
    "Rail Company",
)
THINGS = (
    "pier",
    "dam",
    "ring road",
    "grain terminal",
    "mill",
    "rail yard",
    "ferry",
    "water plant",
    "archive",
    "bus depot",
    "tunnel",
    "market hall",
    "bridge",
    "school",
    "power line",
    "sea wall",
    "clinic",
    "quarry",
)
EVENTS = (
    "was closed after inspectors found cracks in",
    "reopened after repairs to",
    "was flooded when storms hit",
    "will be rebuilt with funds set aside for",
    "was evacuated after a fire broke out near",
    "lost power for six hours after a fault in",
    "was sold to a company that also owns",
)
WHO = ("we", "the council", "the engineers", "the company", "our members", "the inspectors", "nobody", "the families")
ACTS = (
    "will not reopen",
    "have not been told about",
    "warned for years about",
    "cannot afford to repair",
    "found new faults in",
    "paid twice for",
    "were never asked about",
    "will rebuild",
)
WHEN = (
    "before the winter",
    "since May",
    "this year",
    "until every part is checked",
    "after the election",
    "within three months",
    "at any price",
    "without a public hearing",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
NAV = (
    "Home | World | Business | Sport | Contact",
    "Subscribe to our newsletter",
    "Share this article",
    "All rights reserved.",
    "Follow us on social media",
    "Most read this week",
)


def _word(rng: random.Random, syllables: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


@dataclass(frozen=True, slots=True)
class Story:
    title: str
    paragraphs: tuple[str, ...]
    day: int  # day of the month the wire published it


def _quote(rng: random.Random, place: str) -> str:
    name = f"{_word(rng)} {_word(rng, 3)}"
    body = f"the {place} {rng.choice(BODIES)}"
    # Two invented words in every quote: statements of different stories are not near-duplicates.
    clause = (
        f"{rng.choice(WHO)} in {_word(rng)} {rng.choice(ACTS)} the {rng.choice(THINGS)} of {_word(rng)} "
        f"{rng.choice(WHEN)}"
    )
    if rng.random() < 0.5:
        return f"\u201c{clause[0].upper()}{clause[1:]},\u201d {name}, {rng.choice(ROLES)} {body}, said."
    return f"{name}, {rng.choice(ROLES)} {body}, said {clause}."


def make_story(rng: random.Random, number: int) -> Story:
    place, thing = _word(rng, 3), rng.choice(THINGS)
    day = rng.randint(1, 27)
    lead = (
        f"{place.upper()} \u2014 The {thing} of {place} {rng.choice(EVENTS)} the {rng.choice(THINGS)} of "
        f"{_word(rng)} on {rng.choice(DAYS)}."
    )
    body = [_quote(rng, place) for _ in range(rng.randint(1, 3))]
    body.insert(
        1,
        f"About {rng.randint(12, 900)} people in {_word(rng)} and {_word(rng)} were affected, and work "
        f"costing {rng.randint(2, 80)}.{rng.randint(0, 9)} million crowns was planned for March {day}, 2026.",
    )
    return Story(f"The {thing} of {place}: report {number}", (lead, *body), day)


def _edited(paragraphs: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """A copy that changed one word of one paragraph (often inside a quote)."""
    index = rng.randrange(len(paragraphs))
    words = paragraphs[index].split(" ")
    spot = rng.randrange(len(words))
    words[spot] = "really" if words[spot] != "really" else "truly"
    return (*paragraphs[:index], " ".join(words), *paragraphs[index + 1 :])


def write_corpus(root: Path, documents: int, *, seed: int = 5) -> int:
    """Write about ``documents`` documents under ``root``, as one JSONL feed
    per invented site plus a folder of plain-text pages. Returns the count."""
    rng = random.Random(seed)
    sites = [f"site{n:02d}" for n in range(12)]
    rows: dict[str, list[dict[str, str]]] = {site: [] for site in sites}
    pages: list[tuple[str, str]] = []
    written, number = 0, 0
    while written < documents:
        number += 1
        story = make_story(rng, number)
        copies = rng.choice((0, 0, 1, 2, 4))
        for copy in range(copies + 1):
            site = rng.choice(sites)
            paragraphs = story.paragraphs
            if copy and rng.random() < 0.3:
                paragraphs = _edited(paragraphs, rng)
            elif copy and rng.random() < 0.3:
                paragraphs = paragraphs[: max(2, len(paragraphs) // 2)]
            text = "\n\n".join((rng.choice(NAV), *paragraphs, rng.choice(NAV)))
            date = f"2026-03-{min(28, story.day + copy):02d}T{8 + copy:02d}:00:00Z"
            url = f"https://{site}.example/news/{number}-{copy}"
            if rng.random() < 0.1:
                pages.append((f"{site}-{number}-{copy}.txt", f"{story.title}\n\n{text}\n"))
            else:
                rows[site].append({"text": text, "title": story.title, "url": url, "date": date})
            written += 1
    feeds = root / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    for site, site_rows in rows.items():
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in site_rows)
        (feeds / f"{site}.jsonl").write_text(lines, encoding="utf-8")
    text_folder = root / "pages"
    text_folder.mkdir(exist_ok=True)
    for name, text in pages:
        (text_folder / name).write_text(text, encoding="utf-8")
    return written
