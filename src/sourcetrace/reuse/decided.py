"""Families decided by an earlier run, reused when nothing they rest on changed.

A family's origin, parents and relations (``families._family``) depend only
on its members (their texts, dates, credits, addresses), the verdicts on the
pairs among them, which of them are composite pages, and the rules. The
digest of all of that is stored with each decided family
(``decided_families`` in the case), so a run that adds pages decides again
only the families whose inputs changed: in a case extended by 1% of pages
nearly every family is reused, and the copy map still equals the one a run
over everything would build. The rules are named by a digest of the source
of the modules that decide, so changing them can never reuse a stale result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sourcetrace import records, wording
from sourcetrace.records import Family, FamilyMember, Passage, Relation, SegmentForReuse
from sourcetrace.reuse import explains, origins, parents, relations, spin
from sourcetrace.reuse.relations import PairVerdict
from sourcetrace.rules import source_digest

Decided = tuple[Family, list[Relation]]


# The modules that decide a family; families.py is read by path (it imports this module).
RULES_DIGEST = source_digest([
    Path(__file__).with_name("families.py"), Path(__file__),
    *(Path(m.__file__ or "") for m in (explains, origins, parents, relations, spin, records, wording)),
])


@dataclass(slots=True)
class DecidedFamilies:
    """``stored``: family key -> (inputs digest, result JSON) from the case;
    ``decided``: the same for every family of several members decided or
    reused by this run, what the case keeps for the next."""

    stored: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    decided: dict[int, tuple[str, str]] = field(default_factory=dict)
    reused: int = 0

    def family(self, member_ids: Sequence[int], edges: Sequence[PairVerdict], segments: Mapping[int, SegmentForReuse],
               composites: Collection[int], decide: Callable[[], Decided]) -> Decided:
        """The family of ``member_ids``: the stored one when its inputs are unchanged, else ``decide()``."""
        digest = inputs_digest(member_ids, edges, segments, composites)
        key = member_ids[0]
        stored = self.stored.get(key)
        if stored is not None and stored[0] == digest:
            self.reused += 1
            self.decided[key] = stored
            return decoded(stored[1])
        result = decide()
        self.decided[key] = (digest, encoded(result))
        return result


def inputs_digest(member_ids: Sequence[int], edges: Sequence[PairVerdict], segments: Mapping[int, SegmentForReuse],
                  composites: Collection[int]) -> str:
    """What deciding a family reads, hashed (dataclass reprs are exact: floats print round-trip)."""
    digest = hashlib.blake2b(RULES_DIGEST.encode(), digest_size=16)
    for member in member_ids:
        segment = segments[member]
        text = hashlib.blake2b(segment.text.encode(), digest_size=16).hexdigest()
        fields = (segment.id, text, segment.document_id, segment.published, segment.credit, segment.title,
                  segment.url, segment.captured, member in composites)
        digest.update(repr(fields).encode())
    for edge in sorted(edges, key=lambda v: (v.a, v.b)):
        digest.update(repr(edge).encode())
    return digest.hexdigest()


def encoded(result: Decided) -> str:
    family, family_relations = result
    return json.dumps({"family": asdict(family), "relations": [asdict(r) for r in family_relations]},
                      separators=(",", ":"))


def decoded(data: str) -> Decided:
    loaded = json.loads(data)
    family = loaded["family"]
    members = tuple(FamilyMember(**{**m, "passages": _passages(m["passages"])}) for m in family["members"])
    relations_found = [Relation(**{**r, "passages": _passages(r["passages"])}) for r in loaded["relations"]]
    return Family(family["key"], family["origin"], family["origin_evidence"], members), relations_found


def _passages(rows: list[dict[str, Any]]) -> tuple[Passage, ...]:
    return tuple(Passage(**row) for row in rows)
