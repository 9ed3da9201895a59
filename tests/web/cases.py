"""Cases for the report and app tests: the demo corpus, and hostile crawled content."""

from __future__ import annotations

import json
from pathlib import Path

from sourcetrace.runner import RunOptions, demo_claims_path, demo_corpus_path, run_case

# Each payload sets window.__pwned if it ever runs; the tests check it never does.
SCRIPT_TAG = "<script>window.__pwned = 'script tag'</script>"
HANDLER = '<img src=x onerror="window.__pwned = \'onerror\'">'
CLOSE_SCRIPT = "</script><script>window.__pwned = 'closed script'</script><!--"
JS_URL = "javascript:window.__pwned='url'"
SEPARATORS = "line\u2028separator\u2029end"
SPEAKER = '<img src=x onerror="window.__pwned = \'speaker\'">'  # a statement's speaker (issue 15, point 4)
# Bidi overrides and isolates (which reorder what is shown), a zero-width mark
# and terminal control characters: kept as given, shown as text.
BIDI_TITLE = "Osterby \u202ellaw doolf\u202c ferry \u2067timetable\u2069\u200f \x07bell \x1b[31mred\x1b[0m"
BIDI_ROLE = "mayor \u202eof Osterby\u202c\x07"
BIDI_NAME = "notice \u202etxt.exe\u202c \x1b[2J\x07bell.txt"

HOSTILE_STORY = [
    (f"The river authority of the fictional town of Osterby said on Tuesday that {SCRIPT_TAG} flood defences "
    "along the northern embankment would be raised by two metres before the autumn storms."),
    (f"Engineers found cracks in three sluice gates during an inspection last month, {HANDLER} the authority "
    "said in a statement, and the repairs will cost an estimated 4.2 million crowns."),
    (f"Residents of the lower quarter will be asked to move their cars {CLOSE_SCRIPT} from the quayside car park "
    "while heavy machinery is brought in over the bridge."),
    (f"The mayor, Ingrid Solberg, said the work was overdue and that {SEPARATORS} the council had asked for "
    "national funding twice since the floods of the previous spring."),
    ("Fishermen on the harbour wall said they had not been told how long the slipway would stay closed, "
    "and several said they would lose most of the herring season."),
    ("The authority said a public meeting would be held at the town hall on Thursday evening to answer "
    "questions about the timetable and the detours for lorries."),
]

HOSTILE_CLAIM = f"The flood defences {SCRIPT_TAG} along the northern embankment will be raised by two metres"


def build_hostile_case(folder: Path) -> Path:
    """A case whose titles, URLs, texts and file names carry script injections."""
    inputs = folder / "hostile-inputs"
    inputs.mkdir(parents=True)
    text = "\n\n".join(HOSTILE_STORY)
    rows = [
        {"url": JS_URL, "title": f"Osterby {SCRIPT_TAG} raises flood wall", "published": "2025-04-01", "text": text},
        {"url": "https://copy.example/osterby?a=\"><script>window.__pwned='attr'</script>",
         "title": f"Flood wall {HANDLER}", "published": "2025-04-02", "text": text},
        {"url": "https://other.example/osterby", "title": "Osterby flood wall (excerpt)",
         "published": "2025-04-03", "text": "\n\n".join(HOSTILE_STORY[:4])},
    ]
    rows.append({"url": "https://ferry.example/osterby", "title": BIDI_TITLE, "published": "2025-04-04",
                 "text": FERRY_STORY})
    (inputs / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (inputs / f"{HANDLER}.txt").write_text("", encoding="utf-8")  # an empty input: a problem with a hostile path
    (inputs / BIDI_NAME).write_text("", encoding="utf-8")  # and one with bidi overrides and control characters
    case = folder / "hostile.case"
    run_case([inputs], case, RunOptions(workers=1, claims=(HOSTILE_CLAIM,)))
    _add_hostile_statement(case)
    return case


FERRY_STORY = ("The ferry operator of the fictional town of Osterby will add two evening crossings to the island "
               "of Holm from the first week of June, its director said on Friday.")


def _add_hostile_statement(case: Path) -> None:
    """A statement whose speaker is a script injection and whose role carries
    bidi overrides, quoting the mayor's segment: statements the extractor
    would not make, stored as the merge step stores them."""
    from sourcetrace.records import Statement, StatementOccurrence
    from sourcetrace.store import CaseStore
    from sourcetrace.store.case import _write_statement

    quote = "the work was overdue"
    with CaseStore(case) as store:
        segment, text = next((seg.id, seg.text) for seg in store.iter_segments_for_reuse() if quote in seg.text)
        start = text.index(quote)
        with store.transaction() as db:
            key = db.execute("SELECT coalesce(max(id), 0) + 1 FROM statements").fetchone()[0]
            _write_statement(db, Statement(key, SPEAKER, BIDI_ROLE, "reported", "said", quote, (
                StatementOccurrence(segment, start, start + len(quote), quote, f"{SPEAKER} {BIDI_ROLE}", "said",
                                    "reported"),)))


def build_demo_case(folder: Path) -> Path:
    corpus = demo_corpus_path()
    assert corpus is not None, "the demo corpus (examples/demo) is missing from the checkout"
    claims_file = demo_claims_path()
    assert claims_file is not None, "the demo claims (examples/demo-claims.txt) are missing from the checkout"
    claims = tuple(line for line in claims_file.read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.lstrip().startswith("#"))
    case = folder / "demo.case"
    run_case([corpus], case, RunOptions(workers=1, claims=claims))  # as `sourcetrace run` with no input
    return case


QUOTE = "We will reopen the northern quay before the winter storms arrive"
ALTERED = "We will reopen the north dock before the winter"
_PAGE = ("Quay repairs in Lindqvist\n\nThe fictional port of Lindqvist will repair its storm-damaged quay, the city said "
         "on Friday. \"{quote},\" Mayor Ilse Dahl said at a news conference. Engineers have surveyed the damage and "
         "expect the work to take four months.\n")


def build_statements_case(folder: Path) -> Path:
    """Two pages quoting the mayor, one with altered words, and the statement stored through the store."""
    from sourcetrace.records import Statement, StatementOccurrence
    from sourcetrace.store import CaseStore

    inputs = folder / "statement-inputs"
    inputs.mkdir(parents=True)
    (inputs / "a-herald.txt").write_text(_PAGE.format(quote=QUOTE), encoding="utf-8")
    (inputs / "b-gazette.txt").write_text(_PAGE.format(quote=ALTERED).replace("Mayor", "the mayor"), encoding="utf-8")
    case = folder / "statements.case"
    run_case([inputs], case, RunOptions(workers=1))
    with CaseStore(case) as store:
        texts = {seg.id: seg.text for seg in store.iter_segments_for_reuse()}
        original, altered = sorted(texts, key=lambda s: ALTERED in texts[s])
        start, spun = texts[original].index(QUOTE), texts[altered].index(ALTERED)
        diff = (("=", "We"), ("=", "will"), ("=", "reopen"), ("=", "the"), ("-", "northern"), ("-", "quay"),
                ("+", "north"), ("+", "dock"), ("=", "before"), ("=", "the"), ("=", "winter"), ("-", "storms"),
                ("-", "arrive"))
        store.replace_statements([Statement(1, "Ilse Dahl", "mayor of Lindqvist", "direct", "said", QUOTE, (
            StatementOccurrence(original, start, start + len(QUOTE), QUOTE, "Mayor Ilse Dahl", "said", "direct"),
            StatementOccurrence(altered, spun, spun + len(ALTERED), ALTERED, "the mayor Ilse Dahl", "said", "direct",
                                altered=True, diff=diff)))])
    return case


def build_sources_case(folder: Path) -> Path:
    """A wire, four papers carrying its stories and an aggregator that the sources step
    suggests as one (tests/stories/test_sources_case.py); the wire's type set as a user would."""
    from sourcetrace.api import open_case
    from tests.stories.test_sources_case import build_case, run_sources_step

    case = folder / "sources.case"
    build_case(case)
    run_sources_step(case)
    with open_case(case) as opened:
        opened.set_source_type("Example Wire", "wire")
    return case
