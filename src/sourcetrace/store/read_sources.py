"""Reading the sources registry: its listing and its export section (docs/json-export.md).

A source's type is resolved here, at read time: the user's type when set,
else the type the shipped lists give. So a type set with
``sourcetrace sources CASE --set`` shows at once, with no re-run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from sourcetrace.views import SourceView

# A page's other captures (docs/copies.md#captures) are not counted: the page is, once.
_PAGES = " AND m.segment_id NOT IN (SELECT segment_id FROM family_members WHERE kind = 'capture')"
_SOURCES = f"""
    SELECT s.id, s.name, s.key, coalesce(u.type, s.known_type), u.type IS NOT NULL, s.suggested_type, s.evidence,
           s.typology, s.listed_in, s.names, s.hosts,
           (SELECT count(*) FROM source_segments m WHERE m.source_id = s.id AND m.role = 'published'{_PAGES}),
           (SELECT count(*) FROM source_segments m WHERE m.source_id = s.id AND m.role = 'credited'{_PAGES})
    FROM sources s LEFT JOIN source_types_set u ON u.key = s.key
"""


def sources(db: sqlite3.Connection, limit: int | None = None) -> list[SourceView]:
    """Every source (the first ``limit``), most segments first, then by name."""
    listed = [_view(row) for row in db.execute(_SOURCES + " ORDER BY s.id")]
    return sorted(listed, key=lambda s: (-s.segments, s.name.casefold(), s.id))[:limit]


def source_count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM sources").fetchone()[0])


def source_rows(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The export's ``sources`` section: one row per source, by id, with its segment ids."""
    members = db.execute("SELECT source_id, segment_id, role FROM source_segments ORDER BY source_id, segment_id")
    pending = next(members, None)
    for view in (_view(row) for row in db.execute(_SOURCES + " ORDER BY s.id")):
        segments: list[int] = []
        credited: list[int] = []
        while pending is not None and pending[0] == view.id:
            _, segment, role = pending
            segments.append(segment)
            if role == "credited":
                credited.append(segment)
            pending = next(members, None)
        yield {"id": view.id, "name": view.name, "names": list(view.names), "hosts": list(view.hosts), "type": view.type,
               "suggested_type": view.suggested_type, "evidence": view.evidence, "set_by_user": view.set_by_user,
               "segments": segments, "credited_segments": credited, "typology": view.typology,
               "listed_in": view.listed_in}


def _view(row: tuple[Any, ...]) -> SourceView:
    sid, name, key, kind, by_user, suggested, evidence, typology, listed_in, names, hosts, published, credited = row
    return SourceView(sid, name, key, kind, bool(by_user), suggested, evidence, typology, listed_in,
                      tuple(json.loads(names)), tuple(json.loads(hosts)), int(published), int(credited))
