"""Found claims: propositions that statements of the case assert or deny, grouped across wordings.

Each statement (merged across the copies that carry it) states a
proposition: "the panel said security forces detained thousands without
charge", "the ministry denied that any unofficial detention sites
existed". Statements are grouped by proposition, conservatively:

* two statements state one proposition when they share at least
  :data:`MIN_SHARED_KEYS` keys (claims/terms.py), these are most of the
  shorter one's (:data:`MIN_SHARED_SHARE`), and among them is what is done
  (an action concept: detaining, killing, attacking...) or one key more: sharing a
  place and an actor is a topic, not a proposition;
* a group is built around its first statement (in id order): a statement
  joins the first group whose first statement it matches, so one loose
  pair cannot chain two propositions together;
* a group becomes a claim only when statements of at least two families
  (independent texts) or two speakers state it. A proposition only one text
  states, however often copied, is not a finding anyone else stands on.

Calls and demands ("urged X to ...") state no proposition and are left out.
A found claim's id is its smallest statement id (never a supplied claim's:
statement ids start at 10,000,000), so it is the same however the case was
built; its text is the plainest wording among its statements.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sourcetrace.claims.cues import CONTEST_VERBS
from sourcetrace.claims.terms import ACTION_CONCEPTS, words

MIN_SHARED_KEYS = 3
MIN_SHARED_SHARE = 0.6
MIN_KEYS = 3  # a statement with fewer content keys ("the findings", "the allegations") states nothing to group
MIN_WORDS = 4
NO_PROPOSITION_CUES = frozenset("urged urges urging called calls calling appealed appeals asked asks demanded demands "
                                "promised promises pledged vowed".split())
_NAME_FILLERS = frozenset("the a an of for and in on s".split())
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:\([^)]*\))?\s*[—–-]+\s*")


@dataclass(frozen=True, slots=True)
class StatementForClaims:
    """A merged statement as found claims read it (from ``statements`` and its occurrences)."""

    id: int
    speaker: str
    cue: str
    text: str
    families: tuple[int, ...]  # the families of the segments that carry it (a segment outside the map: minus its id)


@dataclass(frozen=True, slots=True)
class FoundClaim:
    """A proposition several statements state; stored in ``claims`` with ``supplied`` 0."""

    id: int  # its smallest statement id
    text: str
    statements: tuple[int, ...]


def find_claims(statements: Sequence[StatementForClaims]) -> list[FoundClaim]:
    """The found claims of a case's statements, in id order."""
    usable = [s for s in sorted(statements, key=lambda s: s.id) if _states_something(s)]
    keyed = {s.id: _keys(s.text) for s in usable}
    usable = [s for s in usable if len(keyed[s.id]) >= MIN_KEYS]
    groups: list[list[StatementForClaims]] = []
    by_key: dict[str, list[int]] = defaultdict(list)  # key -> groups whose first statement has it
    for statement in usable:
        group = _first_matching_group(statement, keyed, groups, by_key)
        if group is None:
            for key in keyed[statement.id]:
                by_key[key].append(len(groups))
            groups.append([statement])
        else:
            groups[group].append(statement)
    return [_claim(group) for group in groups if _independent(group)]


def _states_something(statement: StatementForClaims) -> bool:
    return statement.cue.lower() not in NO_PROPOSITION_CUES and len(statement.text.split()) >= MIN_WORDS


def _keys(text: str) -> frozenset[str]:
    return frozenset(k for w in words(_plain(text)) for k in w.keys)


def _first_matching_group(statement: StatementForClaims, keyed: dict[int, frozenset[str]],
                          groups: list[list[StatementForClaims]], by_key: dict[str, list[int]]) -> int | None:
    mine = keyed[statement.id]
    shared: dict[int, int] = defaultdict(int)
    for key in mine:
        for group in by_key.get(key, ()):
            shared[group] += 1
    for group in sorted(g for g, n in shared.items() if n >= MIN_SHARED_KEYS):
        if same_proposition(mine, keyed[groups[group][0].id]):
            return group
    return None


def same_proposition(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two statements' keys state one proposition: enough shared, most of the shorter's, and
    what is done among them (a concept such as ``@detain``), or one shared key more."""
    shared = a & b
    if len(shared) < MIN_SHARED_KEYS or len(shared) < MIN_SHARED_SHARE * min(len(a), len(b)):
        return False
    return bool(shared & ACTION_CONCEPTS) or len(shared) > MIN_SHARED_KEYS


def _independent(group: Sequence[StatementForClaims]) -> bool:
    """Stated in two families, or by two speakers who are not one under two names ("the panel",
    "independent panel of the Council of Nations" are one: they share a word)."""
    families = {f for s in group for f in s.families}
    if len(group) < 2:
        return False
    if len(families) >= 2:
        return True
    names = [_name_words(s.speaker) for s in group]
    return any(not (a & b) for i, a in enumerate(names) for b in names[i + 1:])


def _name_words(speaker: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", speaker.lower()) if w not in _NAME_FILLERS)


def _claim(group: Sequence[StatementForClaims]) -> FoundClaim:
    return FoundClaim(min(s.id for s in group), _wording(group), tuple(sorted(s.id for s in group)))


def _wording(group: Iterable[StatementForClaims]) -> str:
    """The plainest wording: an assertion (not a denial) said in a clause, the shortest, then the first."""
    ranked = sorted(group, key=lambda s: (s.cue.lower() in CONTEST_VERBS, s.cue.lower() in ("accused", "accuses"),
                                          len(_plain(s.text)), s.id))
    text = _plain(ranked[0].text)
    return text[:1].upper() + text[1:]


def _plain(text: str) -> str:
    """A statement's words as a claim: no dateline, no leading "that", no final punctuation or quote marks."""
    text = _DATELINE.sub("", text.strip())
    text = re.sub(r"^that\s+", "", text, flags=re.IGNORECASE)
    return text.strip().strip("\"“”'‘’").rstrip(" .,;:").strip()
