"""JSON forms of the per-unit results a case keeps between runs.

Pair verdicts and each segment's statements are stored as JSON text so that
any SQLite tool can read them; these functions are their only encoders and
decoders. The forms are documented in docs/case-schema.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sourcetrace.records import Passage, StatementOccurrence

if TYPE_CHECKING:  # imported where used: reading a case must not load spaCy or WordLlama
    from sourcetrace.reuse.relations import PairVerdict
    from sourcetrace.voices.statements import Attribution


def passages_json(passages: tuple[Passage, ...] | list[Passage]) -> str:
    return json.dumps([[p.parent_start, p.parent_end, p.start, p.end] for p in passages])


def _passages(rows: list[list[int]]) -> tuple[Passage, ...]:
    return tuple(Passage(*row) for row in rows)


def verdict_json(verdict: PairVerdict | None) -> str | None:
    if verdict is None:
        return None
    return json.dumps({
        "kind": verdict.kind, "score": verdict.score, "coverage_a": verdict.coverage_a,
        "coverage_b": verdict.coverage_b, "part": verdict.part, "rewritten": verdict.rewritten,
        "passages": [[p.parent_start, p.parent_end, p.start, p.end] for p in verdict.passages],
    })


def verdict_from_json(a: int, b: int, text: str | None) -> PairVerdict | None:
    if text is None:
        return None
    from sourcetrace.reuse.relations import PairVerdict

    v: dict[str, Any] = json.loads(text)
    return PairVerdict(a, b, v["kind"], v["score"], v["coverage_a"], v["coverage_b"], _passages(v["passages"]),
                       part=v["part"], rewritten=v["rewritten"])


def attributions_json(attributions: tuple[Attribution, ...] | list[Attribution]) -> str:
    return json.dumps([_attribution(a) for a in attributions])


def _attribution(a: Attribution) -> dict[str, object]:
    o = a.occurrence
    return {
        "start": o.start, "end": o.end, "text": o.text, "speaker_as_written": o.speaker_as_written,
        "cue": o.cue, "kind": o.kind, "garbled_speaker": o.garbled_speaker,
        "speaker": a.speaker, "speaker_role": a.speaker_role, "speaker_kind": a.speaker_kind,
    }


def attributions_from_json(segment: int, text: str) -> list[Attribution]:
    from sourcetrace.voices.statements import Attribution

    found = []
    for item in json.loads(text):
        occurrence = StatementOccurrence(
            segment=segment, start=item["start"], end=item["end"], text=item["text"],
            speaker_as_written=item["speaker_as_written"], cue=item["cue"], kind=item["kind"],
            garbled_speaker=item["garbled_speaker"],
        )
        found.append(Attribution(occurrence, item["speaker"], item["speaker_role"], item["speaker_kind"]))
    return found
