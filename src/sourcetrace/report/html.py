"""The self-contained HTML report: one file, script, styles and data inside.

The page is the app's viewer (assets/app.js) reading its data from an
embedded JSON block instead of /api. A meta Content-Security-Policy allows
only the report's own inline script and style, by hash, so nothing else can
run even if a crawled text slipped past the escaping.

On a large case the report would not open if it carried every text, so it
embeds budgets (see ReportBudget): the copy map and the texts of every
segment in a family with copies always, other segments' metadata and texts
and documents' full texts only while they fit. The report says what it left
out; ``sourcetrace serve`` shows everything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sourcetrace import __version__
from sourcetrace.store import CaseStore
from sourcetrace.web import data

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True, slots=True)
class ReportBudget:
    segments: int = 50_000  # above this, only segments in families with copies are listed
    text_chars: int = 8_000_000  # segment texts beyond the families' own
    document_chars: int = 4_000_000  # full document texts, for the per-document view
    problems: int = 20_000
    statements: int = 5_000  # most repeated first


def asset(name: str) -> str:
    """A viewer asset (app.js, app.css) shipped inside the package."""
    return (resources.files("sourcetrace.report") / "assets" / name).read_text(encoding="utf-8")


def embed_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no '</script>', no '<!--', no line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def write_report(store: CaseStore, path: str | Path, budget: ReportBudget | None = None) -> None:
    """Write the HTML report of ``store``'s case to ``path``."""
    dataset = report_data(store.connection, store.path.name, budget or ReportBudget())
    Path(path).write_text(render_page(dataset, store.path.name), encoding="utf-8")


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


def report_data(db: sqlite3.Connection, case_name: str, budget: ReportBudget | None = None) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready values."""
    budget = budget or ReportBudget()
    overview = data.overview(db, case_name)
    summaries = data.families_page(db, 1, per_page=1 << 62).items
    families = [data.family_detail(db, f.id) for f in summaries]
    member_ids = [m.segment.id for f in families if f for m in f.members]
    parents = [m.compare_with for f in families if f for m in f.members if m.compare_with is not None]
    listed = member_ids + parents if overview.segments > budget.segments else _all_segment_ids(db)
    segments = data.segment_infos(db, sorted(set(listed)))
    texts, all_texts = _texts(db, set(member_ids) | set(parents), list(segments), budget.text_chars)
    documents, all_documents = _documents(db, segments, budget.document_chars)
    problems = data.problems_page(db, 1, per_page=budget.problems)
    statements = data.statements_page(db, 1, per_page=budget.statements)
    left_out = [what for what, whole in (("some segments' texts", all_texts), ("some documents", all_documents),
                                         ("segments outside families", len(segments) == overview.segments),
                                         ("some problems", problems.total <= budget.problems),
                                         (f"statements beyond the {budget.statements:,} most repeated",
                                          statements.total <= budget.statements)) if not whole]
    note = ("this report leaves out " + ", ".join(left_out) + " to stay small; `sourcetrace serve` shows all"
            if left_out else "")
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "overview": asdict(overview),
        "summaries": [asdict(f) for f in summaries],
        "families": [_slim(f) for f in families if f],
        "segments": {str(k): asdict(v) for k, v in segments.items()},
        "texts": texts,
        "documents": {str(d.id): asdict(d) for d in documents},
        "problems": [asdict(p) for p in problems.items],
        "limits": {"note": note},
        "statements": [asdict(d) for d in _statement_details(db, statements.items)],
    }


def _statement_details(db: sqlite3.Connection, listed: Sequence[data.StatementSummary]) -> list[data.StatementDetail]:
    return [d for d in (data.statement_detail(db, s.id) for s in listed) if d is not None]


def _slim(family: data.FamilyDetail) -> dict[str, Any]:
    """A family whose members name their segment by id: the metadata is in "segments" once."""
    value = asdict(family)
    for member in value["members"]:
        member["segment"] = member["segment"]["id"]
    return value


def _all_segment_ids(db: sqlite3.Connection) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM segments ORDER BY id")]


def _texts(db: sqlite3.Connection, required: set[int], listed: list[int], budget: int) -> tuple[dict[str, str], bool]:
    """The texts of ``required`` segments, then others of ``listed`` while within ``budget`` characters."""
    texts: dict[str, str] = {}
    for segment, text in _select_texts(db, sorted(required)):
        texts[str(segment)] = text
    used, complete = 0, True
    for segment, text in _select_texts(db, [i for i in listed if i not in required]):
        if used + len(text) > budget:
            complete = False
            break
        texts[str(segment)] = text
        used += len(text)
    return texts, complete


def _select_texts(db: sqlite3.Connection, ids: list[int]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        found += db.execute(f"SELECT id, text FROM segments WHERE id IN ({','.join('?' * len(part))})", part).fetchall()
    return found


def _documents(db: sqlite3.Connection, segments: dict[int, data.SegmentInfo],
               budget: int) -> tuple[list[data.DocumentView], bool]:
    """Documents of family members first, then the rest, while their texts fit in ``budget``."""
    in_families = sorted({s.document for s in segments.values() if s.family is not None and s.kind is not None})
    ordered = in_families + [row[0] for row in db.execute("SELECT id FROM documents ORDER BY id")]
    sizes = dict(db.execute("SELECT id, length(text) FROM documents"))
    chosen: list[data.DocumentView] = []
    used, seen = 0, set()
    for document in ordered:
        if document in seen:
            continue
        seen.add(document)
        if used + sizes[document] > budget:
            return chosen, False
        view = data.document_view(db, document)
        if view is not None:
            chosen.append(view)
            used += sizes[document]
    return chosen, True
