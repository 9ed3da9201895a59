"""The self-contained HTML report: one file, script, styles and data inside.

The page is the app's viewer (views/assets/app.js) reading its data from an
embedded JSON block instead of /api. A meta Content-Security-Policy allows
only the report's own inline script and style, by hash, so nothing else can
run even if a crawled text slipped past the escaping.

On a large case the report would not open if it carried every text, so it
embeds budgets (see ReportBudget): the copy map and the texts of every
segment in a family with copies always, other segments' metadata and texts
and documents' full texts only while they fit; the stories with the most
independent sources (with their segments' metadata, statements and events),
the claims with their positions and the start of the case timeline. The report says what it left out;
``sourcetrace serve`` shows everything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sourcetrace import __version__
from sourcetrace.store import CaseReader
from sourcetrace.views import ClaimView, DocumentView, FamilyView, PositionView, SegmentView, StoryView
from sourcetrace.views.viewer import asset

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True, slots=True)
class ReportBudget:
    segments: int = 50_000  # above this, only segments in families with copies are listed
    text_chars: int = 8_000_000  # segment texts beyond the families' own
    document_chars: int = 4_000_000  # full document texts, for the per-document view
    problems: int = 20_000
    statements: int = 5_000  # most repeated first
    stories: int = 2_000  # most independent sources first, each with its segments, statements and events
    events: int = 20_000  # the case timeline's first, in date order
    claims: int = 2_000  # supplied ones first, then found ones, each with its positions


def embed_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no '</script>', no '<!--', no line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def write_report(reader: CaseReader, path: str | Path, budget: ReportBudget | None = None) -> None:
    """Write the HTML report of ``reader``'s case to ``path``."""
    dataset = report_data(reader, budget or ReportBudget())
    Path(path).write_text(render_page(dataset, reader.name), encoding="utf-8")


def render_page(dataset: dict[str, Any], case_name: str) -> str:
    script, style = asset("app.js"), asset("app.css")
    policy = (f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    name = html.escape(case_name, quote=True)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta name=\"generator\" content=\"sourcetrace {html.escape(__version__)}\">\n"
        f"<title>sourcetrace report: {name}</title>\n<style>{style}</style></head>\n"
        f"<body data-case=\"{name}\"><main id=\"main\" aria-busy=\"true\"></main>\n"
        f"<script type=\"application/json\" id=\"case-data\">{embed_json(dataset)}</script>\n"
        f"<script>{script}</script>\n</body></html>\n"
    )


def report_data(reader: CaseReader, budget: ReportBudget | None = None) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready values."""
    budget = budget or ReportBudget()
    overview = reader.overview()
    summaries = reader.families_page(1, per_page=1 << 62).items
    families = reader.families()
    stories = reader.stories_page(1, per_page=budget.stories)
    story_views = [view for view in (reader.story(s.id) for s in stories.items) if view is not None]
    claims = reader.claims(budget.claims + 1)
    claim_views = [view for view in (reader.claim(c.id) for c in claims[:budget.claims]) if view is not None]
    member_ids = [m.segment.id for f in families for m in f.members]
    parents = [m.compare_with for f in families for m in f.members if m.compare_with is not None]
    in_stories = [s.id for view in story_views for s in view.segments]
    in_claims = [p.segment.id for view in claim_views for p in _positions(view)]
    listed = member_ids + parents + in_stories + in_claims if overview.segments > budget.segments else reader.segment_ids()
    segments = reader.segments(sorted(set(listed)))
    texts, all_texts = _texts(reader, set(member_ids) | set(parents), list(segments), budget.text_chars)
    documents, all_documents = _documents(reader, segments, budget.document_chars)
    problems = reader.problems_page(1, per_page=budget.problems)
    statements = reader.statements_page(1, per_page=budget.statements)
    events = reader.events_page(1, per_page=budget.events)
    note = _left_out_note([
        ("some segments' texts", all_texts), ("some documents", all_documents),
        ("segments outside families, stories and claims", len(segments) == overview.segments),
        ("some problems", problems.total <= budget.problems),
        (f"statements beyond the {budget.statements:,} most repeated", statements.total <= budget.statements),
        (f"stories beyond the {budget.stories:,} with the most sources", stories.total <= budget.stories),
        (f"claims beyond the first {budget.claims:,}", len(claims) <= budget.claims),
        (f"events after the first {budget.events:,} of the timeline", events.total <= budget.events)])
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "overview": asdict(overview),
        "summaries": [asdict(f) for f in summaries],
        "families": [_slim(f) for f in families],
        "segments": {str(k): asdict(v) for k, v in segments.items()},
        "texts": texts,
        "documents": {str(d.id): asdict(d) for d in documents},
        "problems": [asdict(p) for p in problems.items],
        "limits": {"note": note},
        "statements": [asdict(s) for s in reader.with_occurrences(statements.items)],
        "sources": [asdict(s) for s in reader.sources()],
        "stories": [asdict(s) for s in stories.items],
        "story_views": {str(view.story.id): _slim_story(view) for view in story_views},
        "events": [asdict(e) for e in events.items],
        "claims": [asdict(c) for c in claims[:budget.claims]],
        "claim_views": {str(view.claim.id): _slim_claim(view) for view in claim_views},
    }


def _left_out_note(parts: Iterable[tuple[str, bool]]) -> str:
    """What the report leaves out, from (what, whether it is whole) pairs; empty when nothing is."""
    left_out = [what for what, whole in parts if not whole]
    return ("this report leaves out " + ", ".join(left_out) + " to stay small; `sourcetrace serve` shows all"
            if left_out else "")


def _slim(family: FamilyView) -> dict[str, Any]:
    """A family whose members name their segment by id: the metadata is in "segments" once."""
    value = asdict(family)
    for member in value["members"]:
        member["segment"] = member["segment"]["id"]
    return value


def _slim_story(story: StoryView) -> dict[str, Any]:
    """A story whose segments are named by id, like a family's members; its summary is in "stories"."""
    value = asdict(story)
    value["segments"] = [segment.id for segment in story.segments]
    del value["story"]
    return value


def _positions(claim: ClaimView) -> tuple[PositionView, ...]:
    return claim.supporting + claim.contesting + claim.reporting


def _slim_claim(claim: ClaimView) -> dict[str, Any]:
    """A claim whose positions name their segment by id, like a story's; its summary is in "claims"."""
    value = asdict(claim)
    for side in ("supporting", "contesting", "reporting"):
        for position in value[side]:
            position["segment"] = position["segment"]["id"]
    del value["claim"]
    return value


def _texts(reader: CaseReader, required: set[int], listed: list[int], budget: int) -> tuple[dict[str, str], bool]:
    """The texts of ``required`` segments, then others of ``listed`` while within ``budget`` characters."""
    texts = {str(segment): text for segment, text in sorted(reader.segment_texts(sorted(required)).items())}
    others = [i for i in listed if i not in required]
    used = 0
    for first in range(0, len(others), 500):  # read in chunks: a large case's texts need not all be in memory
        chunk = others[first:first + 500]
        found = reader.segment_texts(chunk)
        for segment in (i for i in chunk if i in found):
            if used + len(found[segment]) > budget:
                return texts, False
            texts[str(segment)] = found[segment]
            used += len(found[segment])
    return texts, True


def _documents(reader: CaseReader, segments: dict[int, SegmentView], budget: int) -> tuple[list[DocumentView], bool]:
    """Documents of family members first, then the rest, while their texts fit in ``budget``."""
    sizes = reader.document_sizes()
    in_families = sorted({s.document for s in segments.values() if s.family is not None and s.kind is not None})
    chosen: list[DocumentView] = []
    used = 0
    for document in _unique(in_families + list(sizes)):
        if used + sizes[document] > budget:
            return chosen, False
        view = reader.document(document)
        if view is not None:
            chosen.append(view)
            used += sizes[document]
    return chosen, True


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
