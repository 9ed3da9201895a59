"""Found claims: one proposition stated by independent sources, grouped across wordings; a topic is not enough."""

from __future__ import annotations

from sourcetrace.claims.found import StatementForClaims, find_claims

PANEL = StatementForClaims(10_000_000, "the panel", "said",
                           "VELMONT (CP) — Security forces detained thousands of people without charge in Vardenia",
                           (1000,))


def statement(i: int, speaker: str, cue: str, text: str, family: int) -> StatementForClaims:
    return StatementForClaims(i, speaker, cue, text, (family,))


def test_one_proposition_in_two_families_is_a_claim_worded_plainly() -> None:
    other = statement(20_000_000, "rights groups", "said", "security forces detained thousands without charge", 2000)
    found = find_claims([PANEL, other])
    assert len(found) == 1
    assert found[0].id == PANEL.id and found[0].statements == (PANEL.id, other.id)
    assert found[0].text == "Security forces detained thousands without charge"  # no dateline, the shorter


def test_a_proposition_only_one_text_states_is_not_a_claim() -> None:
    copy = statement(10_000_001, "an independent panel", "said", PANEL.text, 1000)
    assert find_claims([PANEL, copy]) == []  # one family, one speaker under two names


def test_a_denial_of_the_proposition_joins_it() -> None:
    denial = statement(30_000_000, "Interior Ministry", "denied",
                       "security forces had detained thousands of people without charge", 3000)
    assert find_claims([PANEL, denial])[0].statements == (PANEL.id, denial.id)


def test_the_same_topic_is_not_the_same_proposition() -> None:
    topic = statement(20_000_000, "the ministry", "said", "security forces in Vardenia will get new uniforms", 2000)
    released = statement(30_000_000, "a lawyer", "said", "thousands of people were released in Vardenia", 3000)
    assert find_claims([PANEL, topic, released]) == []


def test_calls_state_no_proposition() -> None:
    call = statement(20_000_000, "the panel", "urged", "security forces to free thousands detained without charge",
                     2000)
    assert find_claims([PANEL, call]) == []
