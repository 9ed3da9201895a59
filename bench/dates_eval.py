"""Accuracy of date extraction: sourcetrace's grammar beside dateparser and datefinder.

Reads the hand-annotated fictional texts of bench/data/dates_gold.txt (format
and annotation rules at the top of that file) and reports, for the dev part
(used to tune the grammar), the test part (written with dev, before the
grammar), the heldout part (written after it, never tuned on) and all, for every
extractor in the same run:

* extraction precision / recall / F1, with a predicted span matching a gold
  one exactly (same start and end) or by overlap (one-to-one, in text order);
* value accuracy: the share of gold expressions found (by overlap) with the
  right ISO value at the right precision ("2019" for "in 2019", not a day);
  and value F1 (TempEval-3's: a prediction counts when its value is right).

Each extractor is given the text's publication date as its base for relative
dates. dateparser's ``search_dates`` finds strings; their spans are located
in the text in order, and each string is parsed again with
``DateDataParser`` to get the period (day, week, month, year) dateparser
assigns, which sets the precision of its value. datefinder gives spans and
datetimes (always a day). ctparse resolves one expression given to it and
does not search a text, so it is not an extractor and is not measured here.

    python bench/dates_eval.py [--split dev|test|all] [--errors] [--json bench/out/dates.json]
    python bench/dates_eval.py --speed [N] [--workers 2]   # the events step on the Reuters pages (0 or none: all)

``--speed`` builds (once) a case of bench/out/reuters/html (bench/reuters_corpus.py)
ingested with resiliparse and segmented, then runs the events step alone on a
copy of it in a fresh process: wall and CPU time, segments per second, and
peak memory of that process and of its largest worker. On a sample of the
same segments it also times each extractor on one process.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sourcetrace.stories.date_calendar import Precision, iso_at  # noqa: E402
from sourcetrace.stories.dates import find_dates  # noqa: E402

GOLD = ROOT / "bench" / "data" / "dates_gold.txt"
SPLITS = ("dev", "test", "heldout")  # heldout: written after the grammar, never tuned on
MARK = re.compile(r"\[([^\[\]|]+)\|([^\]]+)\]")


@dataclass(frozen=True, slots=True)
class Expression:
    start: int
    end: int
    value: str | None  # None: unresolved ("-" in the gold file)


@dataclass(slots=True)
class GoldText:
    key: str
    split: str
    published: date | None
    text: str = ""
    expressions: list[Expression] = field(default_factory=list)


Extractor = Callable[[str, date | None], list[Expression]]


def read_gold(path: Path) -> list[GoldText]:
    texts: list[GoldText] = []
    lines: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("==="):
            _, key, split, published = line.split()
            texts.append(GoldText(key, split, None if published == "none" else date.fromisoformat(published)))
        elif line.strip() and not line.startswith("#") and texts:
            lines.append(line)
        elif lines:
            _unmark(texts[-1], " ".join(lines))
            lines = []
    return texts


def _unmark(gold: GoldText, marked: str) -> None:
    """The text without its [expression|value] marks, and each mark's span in it."""
    plain, last = [], 0
    for match in MARK.finditer(marked):
        plain.append(marked[last:match.start()])
        start = sum(map(len, plain))
        plain.append(match[1])
        gold.expressions.append(Expression(start, start + len(match[1]), None if match[2] == "-" else match[2]))
        last = match.end()
    plain.append(marked[last:])
    gold.text = "".join(plain)


# -- the extractors ---------------------------------------------------------------------------


def ours(text: str, published: date | None) -> list[Expression]:
    return [Expression(m.start, m.end, m.date) for m in find_dates(text, published)]


_PERIODS: dict[str, Precision] = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}


def with_dateparser(text: str, published: date | None) -> list[Expression]:
    from dateparser import DateDataParser  # type: ignore[import-untyped]
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    base = datetime.combine(published or date.today(), datetime.min.time())
    settings = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    found = search_dates(text, languages=["en"], settings=settings) or []
    parser = DateDataParser(languages=["en"], settings=settings)
    located = []
    for start, end, written, value in _located(text, ((s, v) for s, v in found)):
        period = parser.get_date_data(written).period or "day"
        located.append(Expression(start, end, iso_at(value.date(), _PERIODS.get(period, "day"))))
    return located


def with_datefinder(text: str, published: date | None) -> list[Expression]:
    import datefinder  # type: ignore[import-untyped]

    base = datetime.combine(published or date.today(), datetime.min.time())
    found = datefinder.find_dates(text, source=True, index=True, base_date=base)
    return [Expression(start, end, value.date().isoformat()) for value, _, (start, end) in found]


def _located(text: str, found: Iterable[tuple[str, datetime]]) -> Iterable[tuple[int, int, str, datetime]]:
    """Spans for strings a library returns without them: each searched for after the last."""
    position = 0
    for written, value in found:
        start = text.find(written, position)
        if start >= 0:
            position = start + len(written)
            yield start, position, written, value


EXTRACTORS: dict[str, Extractor] = {"sourcetrace": ours, "dateparser": with_dateparser, "datefinder": with_datefinder}


# -- scoring ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Score:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    right_value: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {"exact_f1": _f1(self.exact, self.predicted, self.gold),
                "overlap_f1": _f1(self.overlap, self.predicted, self.gold),
                "overlap_precision": _ratio(self.overlap, self.predicted),
                "overlap_recall": _ratio(self.overlap, self.gold),
                "value_accuracy": _ratio(self.right_value, self.gold),
                "value_f1": _f1(self.right_value, self.predicted, self.gold)}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _f1(hits: int, predicted: int, gold: int) -> float:
    precision, recall = _ratio(hits, predicted), _ratio(hits, gold)
    return round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0


def score(texts: list[GoldText], extractor: Extractor) -> Score:
    total = Score()
    for gold in texts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            predicted = extractor(gold.text, gold.published)
        total.gold += len(gold.expressions)
        total.predicted += len(predicted)
        unmatched = list(predicted)
        for expected in gold.expressions:
            total.exact += any((p.start, p.end) == (expected.start, expected.end) for p in predicted)
            match = next((p for p in unmatched if p.start < expected.end and expected.start < p.end), None)
            if match is None:
                total.errors.append(f"{gold.key} missed {gold.text[expected.start:expected.end]!r}")
                continue
            unmatched.remove(match)
            total.overlap += 1
            total.right_value += match.value == expected.value
            if match.value != expected.value or (match.start, match.end) != (expected.start, expected.end):
                total.errors.append(f"{gold.key} {gold.text[match.start:match.end]!r}={match.value}"
                                    f" for {gold.text[expected.start:expected.end]!r}={expected.value}")
        total.errors += [f"{gold.key} spurious {gold.text[p.start:p.end]!r}={p.value}" for p in unmatched]
    return total


def report(texts: list[GoldText], split: str, show_errors: bool) -> dict[str, dict[str, float]]:
    chosen = [t for t in texts if split == "all" or t.split == split]
    expressions = sum(len(t.expressions) for t in chosen)
    print(f"\n{split}: {len(chosen)} texts, {expressions} expressions")
    print(f"{'extractor':12} {'exact F1':>9} {'overlap F1':>11} {'P':>6} {'R':>6} {'value acc':>10} {'value F1':>9}")
    figures = {}
    for name, extractor in EXTRACTORS.items():
        result = score(chosen, extractor)
        f = figures[name] = result.figures()
        print(f"{name:12} {f['exact_f1']:9.3f} {f['overlap_f1']:11.3f} {f['overlap_precision']:6.3f}"
              f" {f['overlap_recall']:6.3f} {f['value_accuracy']:10.3f} {f['value_f1']:9.3f}")
        if show_errors and name == "sourcetrace" and split == "dev":
            print("  " + "\n  ".join(result.errors))
    return figures


# -- speed ----------------------------------------------------------------------------------

REUTERS_PAGES = ROOT / "bench" / "out" / "reuters" / "html"
SPEED_SAMPLE = 300  # segments for the dateparser comparison, which is much slower


def speed(limit: int, workers: int) -> dict[str, object]:
    """The events step on the Reuters pages, timed in a fresh process (its peak
    memory is its own and its workers'), and, on a sample of the same
    segments, sourcetrace's extractor against dateparser's search."""
    import shutil
    import subprocess
    import tempfile

    case = _reuters_case(limit, workers)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "events.case"
        shutil.copy(case, copy)  # the timed step writes events; the built case stays as it is
        child = subprocess.run([sys.executable, __file__, "--events-step", str(copy), "--workers", str(workers)],
                               check=True, capture_output=True, text=True)
    figures: dict[str, object] = {"pages": limit or "all", "extractor_for_setup": "resiliparse", **json.loads(child.stdout)}
    figures["sample"] = _sample_speeds(case)
    return figures


def _reuters_case(limit: int, workers: int) -> Path:
    """A case of the Reuters pages, ingested and segmented (no later step), built once and kept."""
    case = ROOT / "bench" / "out" / f"reuters-events-{limit or 'all'}.case"
    if case.exists():
        return case
    from sourcetrace.engines.local import LocalEngine
    from sourcetrace.ingest.steps import IngestInputs, LearnFurniture, SegmentPages
    from sourcetrace.pipeline import RunContext, RunOptions, RunSummary
    from sourcetrace.progress import NullProgress
    from sourcetrace.store import CaseStore

    pages = sorted(REUTERS_PAGES.glob("*.html"), key=lambda p: int(p.stem))[: limit or None]
    options = RunOptions(workers=workers, extractor="resiliparse")  # the events step reads segments, not markup
    with CaseStore(case) as store, LocalEngine(workers) as engine:
        run_id = store.begin_run({"bench": "dates_eval --speed"})
        context = RunContext([str(p) for p in pages], store, engine, options, NullProgress(), run_id,
                             RunSummary(str(case)))
        for step in (IngestInputs(), LearnFurniture(), SegmentPages()):
            engine.begin_step(step.name)
            step.run(context)
            engine.end_step()
    return case


def time_events_step(case: Path, workers: int) -> dict[str, object]:
    """Run only the events step on ``case``: wall and CPU time, counts, peak memory."""
    import resource
    import time

    from sourcetrace.engines.local import LocalEngine
    from sourcetrace.pipeline import RunContext, RunOptions, RunSummary
    from sourcetrace.progress import NullProgress
    from sourcetrace.store import CaseStore
    from sourcetrace.stories.steps_timeline import FindEvents

    with CaseStore(case) as store, LocalEngine(workers) as engine:
        context = RunContext([], store, engine, RunOptions(workers=workers), NullProgress(), 0, RunSummary(str(case)))
        started = time.perf_counter()
        engine.begin_step("events")
        FindEvents().run(context)
        report = engine.end_step()
        seconds = time.perf_counter() - started
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    segments = report.counters["segments"]
    return {"workers": workers, "segments": segments, "mentioned": report.counters["mentioned"],
            "unresolved": report.counters["unresolved"], "seconds": round(seconds, 2),
            "cpu_seconds": report.cpu_seconds, "segments_per_second": round(segments / seconds, 1),
            "peak_rss_mb_main": round(own.ru_maxrss / 1024, 1), "peak_rss_mb_worker": round(children.ru_maxrss / 1024, 1)}


def _sample_speeds(case: Path) -> dict[str, object]:
    """Segments per second of each extractor on one process, over the same sample."""
    import time

    from sourcetrace.store import CaseReader
    from sourcetrace.stories.dates import publication_day

    with CaseReader(case) as reader:
        segments = list(reader.segments_for_reuse())[:SPEED_SAMPLE]
    speeds: dict[str, object] = {"segments": len(segments)}
    for name, extractor in EXTRACTORS.items():
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for segment in segments:
                extractor(segment.text, publication_day(segment.published))
        speeds[f"{name}_segments_per_second"] = round(len(segments) / (time.perf_counter() - started), 1)
    ours_speed = speeds["sourcetrace_segments_per_second"]
    speeds["sourcetrace_vs_dateparser"] = round(float(ours_speed) / float(speeds["dateparser_segments_per_second"]), 1)  # type: ignore[arg-type]
    return speeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--split", choices=(*SPLITS, "all"), default=None, help="default: each, then all")
    parser.add_argument("--errors", action="store_true", help="list sourcetrace's errors")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--speed", nargs="?", type=int, const=0, default=None, metavar="N",
                        help="time the events step on the first N Reuters pages (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--events-step", type=Path, default=None, help=argparse.SUPPRESS)  # the timed child
    arguments = parser.parse_args()
    if arguments.events_step:
        print(json.dumps(time_events_step(arguments.events_step, arguments.workers)))
        return
    if arguments.speed is not None:
        figures = speed(arguments.speed, arguments.workers)
        print(json.dumps(figures, indent=2))
        if arguments.json:
            arguments.json.parent.mkdir(parents=True, exist_ok=True)
            arguments.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return
    texts = read_gold(arguments.gold)
    splits = [arguments.split] if arguments.split else [*SPLITS, "all"]
    figures = {split: report(texts, split, arguments.errors) for split in splits}
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
