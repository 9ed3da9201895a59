"""Accuracy of statement extraction, speaker resolution and altered-quote detection.

Reads the hand-annotated fictional texts of bench/data/statements_gold.txt
(format and annotation rules at the top of that file), runs the voices stage
on them and reports, for the dev part (used to tune the rules), the held-out
test part and both:

* statement precision / recall / F1: a predicted statement matches a gold one
  of the same text when their spans overlap by at least 30% of the longer of
  the two (one-to-one, best overlap first); by kind (direct, reported), where
  a match also needs the same kind;
* speaker accuracy over matched statements: strict (canonical names equal,
  ignoring case, a leading article and a possessive 's) and lenient (for
  unnamed speakers, "analysts" also matches "analysts at Brenton Securities");
* altered detection: each copy text is merged with its source (the source
  dated earlier); over the gold statements of the copy found and merged with
  their source occurrence, the share whose ``altered`` flag is right (an edit
  changed its words; quote-style-only edits do not).

    python bench/statements_eval.py [--gold FILE] [--json bench/out/statements.json]
    python bench/statements_eval.py --speed [N]   # also time the stage on Reuters-21578 (2 workers)

The pre-filter (``voices/statements.py``: spaCy parses only the sentences that
can hold a statement) is measured on and off in the same run:

    python bench/statements_eval.py --prefilter both \
        --polnear ../shared/corpora/polnear/dev [--polnear ../shared/corpora/polnear/train] \
        --statements-speed 3000 --repeats 2

* ``--polnear SPLIT_DIR``: extract the statements of every ``text/*.txt`` of
  a PolNeAR split (one segment per file, as ``sourcetrace run`` makes them),
  write them as an export (``bench/out/polnear-<split>-<on|off>.json``: one
  statement per occurrence, no merging) and score it with
  ``../shared/tools/score_polnear.py`` (speech recall, precision, F1 and
  named-speaker accuracy); with ``both``, also how many occurrences (span,
  kind, cue and speaker) are the same with and without the pre-filter;
* ``--statements-speed N``: segments per second of the statements step alone
  (``extract_from_texts``, one process) on the first N Reuters-21578 stories,
  pre-filter on and off alternately, best of ``--repeats``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sourcetrace.voices import Attribution, extract_from_texts, merge_statements  # noqa: E402
from sourcetrace.voices.merge import normalised_words  # noqa: E402
from sourcetrace.voices.statements import parse_spans  # noqa: E402

OVERLAP = 0.3


@dataclass
class GoldStatement:
    kind: str
    speaker: str
    start: int
    end: int


@dataclass
class GoldText:
    id: str
    split: str
    text: str
    statements: list[GoldStatement] = field(default_factory=list)
    source: str | None = None  # for altered copies
    edits: list[tuple[str, str]] = field(default_factory=list)


def read_gold(path: Path) -> list[GoldText]:
    texts: list[GoldText] = []
    blocks = re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    for block in blocks:
        header, _, body = block.partition("\n")
        parts = header.split()
        item = GoldText(parts[0], parts[1], "")
        if len(parts) > 3 and parts[2] == "copy-of":
            item.source = parts[3]
            for line in body.splitlines():
                if line.startswith("~ STYLE"):
                    item.edits.append(("STYLE", ""))
                elif line.startswith("~ "):
                    old, _, new = line[2:].partition(" => ")
                    item.edits.append((old, new))
        else:
            text, _, annotations = body.partition("\n---\n")
            item.text = text.strip("\n")
            item.statements = _locate(item.text, annotations, item.id)
        texts.append(item)
    return texts


def _locate(text: str, annotations: str, text_id: str) -> list[GoldStatement]:
    found, position = [], 0
    for line in annotations.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, speaker, words = (part.strip() for part in line.split("|", 2))
        spans = []
        for piece in words.split(" … "):  # the parts of a quote split by its attribution
            start = text.find(piece, position)
            if start < 0:
                raise ValueError(f"{text_id}: statement not found in order: {piece!r}")
            spans.append((start, start + len(piece)))
            position = start + 1
        found.append(GoldStatement(kind, speaker, spans[0][0], spans[-1][1]))
        position = spans[0][0] + 1
    return found


def make_copy(source: GoldText, edits: list[tuple[str, str]]) -> tuple[str, list[GoldStatement], list[bool]]:
    """The copy's text, its gold statements and whether each one's words changed."""
    text = source.text
    spans = [(s.start, s.end) for s in source.statements]
    for old, new in edits:
        if old == "STYLE":
            text = _typographic(text)  # same length: offsets unchanged
            continue
        at = text.find(old)
        if at < 0:
            raise ValueError(f"edit not found: {old!r}")
        text = text[:at] + new + text[at + len(old):]
        delta = len(new) - len(old)
        spans = [(s + (delta if s > at else 0), e + (delta if e > at else 0)) for s, e in spans]
    statements, altered = [], []
    for gold, (start, end) in zip(source.statements, spans, strict=True):
        statements.append(GoldStatement(gold.kind, gold.speaker, start, end))
        altered.append(normalised_words(text[start:end]) != normalised_words(source.text[gold.start:gold.end]))
    return text, statements, altered


def _typographic(text: str) -> str:
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("“" if opening else "”")
            opening = not opening
        elif char == "'":
            out.append("’")
        else:
            out.append(char)
    return "".join(out)


def match(gold: list[GoldStatement], predicted: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best overlap first."""
    scored = []
    for g, item in enumerate(gold):
        for p, attribution in enumerate(predicted):
            o = attribution.occurrence
            inter = min(item.end, o.end) - max(item.start, o.start)
            if inter > 0:
                share = inter / max(item.end - item.start, o.end - o.start)
                if share >= OVERLAP:
                    scored.append((share, g, p))
    pairs, used_g, used_p = [], set(), set()
    for _, g, p in sorted(scored, reverse=True):
        if g not in used_g and p not in used_p:
            pairs.append((g, p))
            used_g.add(g)
            used_p.add(p)
    return pairs


def _norm_speaker(name: str) -> list[str]:
    words = re.sub(r"['’]s\b", "", name.lower()).replace("’", "'").split()
    return words[1:] if words and words[0] in ("the", "a", "an") else words


def speaker_matches(gold: str, predicted: str, lenient: bool) -> bool:
    g, p = _norm_speaker(gold), _norm_speaker(predicted)
    if g == p:
        return True
    if not lenient or gold[:1].isupper() or not p:
        return False
    return any(g[i : i + len(p)] == p for i in range(len(g) - len(p) + 1)) and p[0] == g[0]


@dataclass
class Tally:
    gold: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    speaker_strict: int = 0
    speaker_lenient: int = 0
    speaker_total: int = 0
    altered_right: int = 0
    altered_total: int = 0
    copies_merged: int = 0
    copies_total: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, text: GoldText, predicted: list[Attribution]) -> None:
        pairs = match(text.statements, predicted)
        self.gold.update(["all"] + [s.kind for s in text.statements])
        self.predicted.update(["all"] + [a.occurrence.kind for a in predicted])
        self.gold["all"] -= 1
        self.predicted["all"] -= 1
        self.gold["all"] += len(text.statements)
        self.predicted["all"] += len(predicted)
        matched_g = {g for g, _ in pairs}
        for g, p in pairs:
            gold, attribution = text.statements[g], predicted[p]
            self.matched["all"] += 1
            if gold.kind == attribution.occurrence.kind:
                self.matched[gold.kind] += 1
            self.speaker_total += 1
            self.speaker_strict += speaker_matches(gold.speaker, attribution.speaker, lenient=False)
            lenient = speaker_matches(gold.speaker, attribution.speaker, lenient=True)
            self.speaker_lenient += lenient
            if not lenient:
                self.errors.append(f"{text.id} speaker: gold {gold.speaker!r} got {attribution.speaker!r}")
        for g, gold in enumerate(text.statements):
            if g not in matched_g:
                self.errors.append(f"{text.id} missed {gold.kind}: {text.text[gold.start:gold.end][:70]!r}")
        matched_p = {p for _, p in pairs}
        for p, attribution in enumerate(predicted):
            if p not in matched_p:
                self.errors.append(f"{text.id} extra {attribution.occurrence.kind} [{attribution.speaker}]: "
                                   f"{attribution.occurrence.text[:70]!r}")

    def metrics(self, kind: str) -> dict[str, float | int]:
        gold, predicted, matched = self.gold[kind], self.predicted[kind], self.matched[kind]
        precision = matched / predicted if predicted else 0.0
        recall = matched / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"gold": gold, "predicted": predicted, "matched": matched,
                "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}

    def summary(self) -> dict[str, object]:
        return {
            "statements": {kind: self.metrics(kind) for kind in ("all", "direct", "reported")},
            "speaker_accuracy_strict": round(self.speaker_strict / max(1, self.speaker_total), 3),
            "speaker_accuracy_lenient": round(self.speaker_lenient / max(1, self.speaker_total), 3),
            "speakers_scored": self.speaker_total,
            "altered_accuracy": round(self.altered_right / max(1, self.altered_total), 3),
            "altered_scored": self.altered_total,
            "copy_statements_merged_with_source": f"{self.copies_merged}/{self.copies_total}",
        }


def evaluate_copy(tally: Tally, source: GoldText, copy: GoldText,
                  found: dict[str, list[Attribution]], prefilter: bool | None = None) -> None:
    text, statements, altered = make_copy(source, copy.edits)
    copy_found = dict(extract_from_texts([(2, text)], prefilter=prefilter))[2]
    source_found = [a for a in found[source.id]]
    relabelled = [Attribution(_with_segment(a.occurrence, 1), a.speaker, a.speaker_role, a.speaker_kind) for a in source_found]
    # The copy map would put a copy in its source's family: say so, as the pipeline will.
    merged = merge_statements({1: relabelled, 2: copy_found}, {1: "2024-01-01", 2: "2024-01-02"}, {1: 1, 2: 1})
    pairs = dict(match(statements, copy_found))
    for g in range(len(statements)):
        tally.copies_total += 1
        if g not in pairs:
            continue
        occurrence = copy_found[pairs[g]].occurrence
        statement = next(s for s in merged if any(o.segment == 2 and o.start == occurrence.start for o in s.occurrences))
        if not any(o.segment == 1 for o in statement.occurrences):
            tally.errors.append(f"{copy.id} copy not merged with source: {occurrence.text[:60]!r}")
            continue
        tally.copies_merged += 1
        mine = next(o for o in statement.occurrences if o.segment == 2 and o.start == occurrence.start)
        tally.altered_total += 1
        if mine.altered == altered[g]:
            tally.altered_right += 1
        else:
            tally.errors.append(f"{copy.id} altered={mine.altered} expected {altered[g]}: {occurrence.text[:60]!r}")


def _with_segment(occurrence, segment: int):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(occurrence, segment=segment)


def run(gold_path: Path, prefilter: bool | None = None) -> dict[str, Tally]:
    texts = read_gold(gold_path)
    originals = [t for t in texts if t.source is None]
    by_id = {t.id: t for t in originals}
    ids = {i: t.id for i, t in enumerate(originals)}
    pairs = ((i, t.text) for i, t in enumerate(originals))
    found = {ids[i]: a for i, a in extract_from_texts(pairs, prefilter=prefilter)}
    tallies = {split: Tally() for split in [*sorted({t.split for t in texts}), "all"]}
    for text in originals:
        for split in (text.split, "all"):
            tallies[split].add(text, found[text.id])
    for copy in (t for t in texts if t.source is not None):
        for split in (copy.split, "all"):
            evaluate_copy(tallies[split], by_id[copy.source], copy, found, prefilter)
    return tallies


def markdown(tallies: dict[str, Tally]) -> str:
    lines = ["| split | kind | gold | predicted | P | R | F1 (30% overlap) |", "|---|---|---:|---:|---:|---:|---:|"]
    for split, tally in tallies.items():
        for kind in ("all", "direct", "reported"):
            m = tally.metrics(kind)
            lines.append(f"| {split} | {kind} | {m['gold']} | {m['predicted']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
    lines += ["", "| split | speaker acc. strict | speaker acc. lenient | speakers | altered acc. | copies merged |",
              "|---|---:|---:|---:|---:|---:|"]
    for split, tally in tallies.items():
        s = tally.summary()
        lines.append(f"| {split} | {s['speaker_accuracy_strict']:.3f} | {s['speaker_accuracy_lenient']:.3f} | "
                     f"{s['speakers_scored']} | {s['altered_accuracy']:.3f} ({s['altered_scored']}) | "
                     f"{s['copy_statements_merged_with_source']} |")
    return "\n".join(lines)


def speed(limit: int | None, workers: int = 2) -> dict[str, object]:
    """Time the voices stage over Reuters-21578 stories on ``workers`` processes."""
    sys.path.insert(0, str(ROOT / "bench"))
    from reuters_corpus import body_paragraphs, parse_reuters

    from sourcetrace.engines.local import LocalEngine
    from sourcetrace.records import SegmentForReuse
    from sourcetrace.voices import VoicesStage, batches

    corpus = ROOT.parent / "shared" / "corpora" / "reuters21578"
    stories = list(parse_reuters(corpus))[:limit]
    # One paragraph a line, as main-text extraction gives them (the wire's 80-column wrap undone).
    segments = [SegmentForReuse(id=s.newid, text="\n".join(body_paragraphs(s.body)), document_id=s.newid)
                for s in stories]
    import resource

    started = time.perf_counter()
    results = [r for batch in LocalEngine(workers).map(VoicesStage(), batches(segments, 64), chunksize=1) for r in batch]
    elapsed = time.perf_counter() - started
    # CPU time of the (reaped) workers: wall time depends on what else the machine runs.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    statements = sum(len(r.attributions) for r in results)
    return {"stories": len(segments), "chars": sum(len(s.text) for s in segments), "workers": workers,
            "seconds": round(elapsed, 1), "stories_per_second": round(len(segments) / elapsed, 1),
            "worker_cpu_seconds": round(children.ru_utime + children.ru_stime, 1),
            "statements": statements, "failed": sum(1 for r in results if r.error)}


# --- PolNeAR and the pre-filter ---------------------------------------------

SCORER = ROOT.parent / "shared" / "tools" / "score_polnear.py"
_SCORE_LINE = re.compile(r"polnear speech: recall ([\d.]+), precision ([\d.]+), F1 ([\d.]+), speaker ([\d.]+)")
_NAMED_LINE = re.compile(r"^speech: .*\(n=(\d+)\)", re.MULTILINE)


def polnear_texts(split_dir: Path) -> list[tuple[Path, str]]:
    """Every text of a PolNeAR split, as ``sourcetrace run`` keeps it (one
    segment per file, the final line break dropped)."""
    return [(path, path.read_text(encoding="utf-8").rstrip("\n")) for path in sorted((split_dir / "text").glob("*.txt"))]


def polnear_export(texts: list[tuple[Path, str]], found: dict[int, list[Attribution]]) -> dict[str, object]:
    """The parts of a sourcetrace JSON export that score_polnear.py reads."""
    statements = [
        {"speaker": a.speaker, "occurrences": [{"segment": i, "text": a.occurrence.text,
                                                "speaker_as_written": a.occurrence.speaker_as_written}]}
        for i in sorted(found) for a in found[i]
    ]
    return {"documents": [{"id": i, "path": str(path)} for i, (path, _) in enumerate(texts)],
            "segments": [{"id": i, "document": i} for i in range(len(texts))],
            "statements": statements}


def score_polnear(split_dir: Path, prefilter: bool, out_dir: Path) -> tuple[dict[str, object], set[tuple[object, ...]]]:
    """Extract, export and score one PolNeAR split with the pre-filter on or
    off; also the found occurrences, keyed for :func:`identical`."""
    texts = polnear_texts(split_dir)
    started = time.perf_counter()
    found = dict(extract_from_texts(((i, text) for i, (_, text) in enumerate(texts)), prefilter=prefilter))
    seconds = time.perf_counter() - started
    export = out_dir / f"polnear-{split_dir.name}-{'on' if prefilter else 'off'}.json"
    export.parent.mkdir(parents=True, exist_ok=True)
    export.write_text(json.dumps(polnear_export(texts, found)), encoding="utf-8")
    scored = subprocess.run([sys.executable, str(SCORER), str(export), str(split_dir)],
                            capture_output=True, text=True, check=False)
    line = _SCORE_LINE.search(scored.stdout)
    named = _NAMED_LINE.search(scored.stdout)
    if line is None or named is None:
        raise RuntimeError(f"unexpected output of {SCORER}:\n{scored.stdout}{scored.stderr}")
    recall, precision, f1, speaker = (float(x) for x in line.groups())
    row = {"split": split_dir.name, "prefilter": prefilter, "texts": len(texts),
           "occurrences": sum(len(v) for v in found.values()), "speech_recall": recall,
           "precision": precision, "speech_f1": f1, "named_speaker_accuracy": speaker,
           "named_speakers": int(named.group(1)), "seconds": round(seconds, 1), "export": str(export)}
    keys = {(i, a.occurrence.start, a.occurrence.end, a.occurrence.kind, a.occurrence.cue, a.speaker)
            for i, attributions in found.items() for a in attributions}
    return row, keys


def identical(on: set[tuple[object, ...]], off: set[tuple[object, ...]]) -> dict[str, int]:
    """How many statements the pre-filter changes: occurrences (segment,
    span, kind, cue, speaker) found with it and without it."""
    return {"with_filter": len(on), "without_filter": len(off), "identical": len(on & off),
            "only_with_filter": len(on - off), "only_without_filter": len(off - on)}


def reuters_texts(limit: int | None) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from reuters_corpus import body_paragraphs, parse_reuters

    stories = list(parse_reuters(ROOT.parent / "shared" / "corpora" / "reuters21578"))[:limit]
    # One paragraph a line, as main-text extraction gives them (the wire's 80-column wrap undone).
    return ["\n".join(body_paragraphs(s.body)) for s in stories]


def statements_speed(texts: list[str], repeats: int = 2) -> dict[str, object]:
    """Segments per second of ``extract_from_texts`` alone (one process), with
    the pre-filter on and off, alternately; the best of ``repeats`` runs each
    (wall time depends on what else the machine runs)."""
    pairs = list(enumerate(texts))
    list(extract_from_texts(pairs[:20]))  # load the model first
    best: dict[bool, float] = {}
    statements: dict[bool, int] = {}
    for _ in range(repeats):
        for prefilter in (False, True):
            started = time.process_time()
            found = list(extract_from_texts(pairs, prefilter=prefilter))
            elapsed = time.process_time() - started
            best[prefilter] = min(best.get(prefilter, elapsed), elapsed)
            statements[prefilter] = sum(len(f) for _, f in found)
    chars = sum(len(t) for t in texts)
    parsed = sum(end - start for t in texts for start, end in parse_spans(t))
    return {"segments": len(texts), "chars": chars, "share_of_chars_parsed_with_filter": round(parsed / chars, 3),
            "segments_without_parsing": sum(1 for t in texts if not parse_spans(t)),
            "cpu_seconds_off": round(best[False], 1), "cpu_seconds_on": round(best[True], 1),
            "segments_per_second_off": round(len(texts) / best[False], 1),
            "segments_per_second_on": round(len(texts) / best[True], 1),
            "statements_off": statements[False], "statements_on": statements[True]}


def prefilter_markdown(rows: list[dict[str, object]]) -> str:
    lines = ["| data | pre-filter | speech recall | precision | speech F1 | named-speaker acc. (n) | occurrences |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| PolNeAR {r['split']} | {'on' if r['prefilter'] else 'off'} | {r['speech_recall']:.3f} | "
                     f"{r['precision']:.3f} | {r['speech_f1']:.3f} | {r['named_speaker_accuracy']:.3f} "
                     f"({r['named_speakers']}) | {r['occurrences']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "bench" / "data" / "statements_gold.txt")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "statements.json")
    parser.add_argument("--errors", action="store_true", help="list every miss, extra and wrong speaker")
    parser.add_argument("--speed", nargs="?", const=-1, type=int, metavar="N",
                        help="also time the stage on the first N Reuters stories (all if no N)")
    parser.add_argument("--prefilter", choices=("default", "on", "off", "both"), default="default",
                        help="score with the statements pre-filter on, off or both ways (default: as configured)")
    parser.add_argument("--polnear", type=Path, action="append", default=[], metavar="SPLIT_DIR",
                        help="also score a PolNeAR split (e.g. ../shared/corpora/polnear/dev); repeatable")
    parser.add_argument("--statements-speed", type=int, metavar="N",
                        help="segments/s of the statements step alone on N Reuters stories, pre-filter on and off")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each --statements-speed setting")
    args = parser.parse_args()
    settings: list[bool | None] = {"default": [None], "on": [True], "off": [False], "both": [False, True]}[args.prefilter]
    report: dict[str, object] = {}
    for prefilter in settings:
        tallies = run(args.gold, prefilter)
        name = {None: "", True: "pre-filter on", False: "pre-filter off"}[prefilter]
        print(f"\n## gold set{', ' + name if name else ''}\n" + markdown(tallies))
        summary = {split: tally.summary() for split, tally in tallies.items()}
        if prefilter is None:
            report.update(summary)
        else:
            report[f"gold_prefilter_{'on' if prefilter else 'off'}"] = summary
    if args.errors:
        for split in (s for s in tallies if s != "all"):
            print(f"\n## {split} errors")
            print("\n".join(tallies[split].errors))
    if args.polnear:
        rows, same = [], {}
        for split in args.polnear:
            keys = {}
            for prefilter in [s is not False for s in settings]:
                row, keys[prefilter] = score_polnear(split, prefilter, args.json.parent)
                rows.append(row)
            if len(keys) == 2:
                same[split.name] = identical(keys[True], keys[False])
        report["polnear"] = rows
        print("\n" + prefilter_markdown(rows))
        if same:
            report["polnear_identical"] = same
            print("occurrences with and without the pre-filter: " + json.dumps(same))
    if args.statements_speed:
        report["statements_speed"] = statements_speed(reuters_texts(args.statements_speed), args.repeats)
        print("\n" + json.dumps(report["statements_speed"]))
    if args.speed is not None:
        report["speed"] = speed(None if args.speed < 0 else args.speed)
        print("\n" + json.dumps(report["speed"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
