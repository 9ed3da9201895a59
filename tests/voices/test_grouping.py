"""Regrouping only what new occurrences touch gives the groups of a merge of everything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sourcetrace.records import Statement, StatementOccurrence
from sourcetrace.voices.grouping import Blocks, anchors, blocks
from sourcetrace.voices.merge import merge_changes, merge_statements
from sourcetrace.voices.statements import Attribution

QUOTES = {
    "Iosif Barta": [
        "The river barrier will be finished before the autumn storms arrive in the valley.",
        "We have asked the ministry for another forty engineers to work through the winter.",
    ],
    "Mina Holt": [
        "The library reading club has doubled in size since the Sunday openings began.",
    ],
    "the ministry": [
        "No decision on the barrier budget will be taken before the spring review.",
    ],
}


def said(segment: int, speaker: str, text: str, start: int = 0) -> Attribution:
    occurrence = StatementOccurrence(segment, start, start + len(text), text, speaker, "said", "direct")
    return Attribution(occurrence, speaker, None, "person" if speaker[0].isupper() else "organisation")


def pile(segments: Sequence[int]) -> dict[int, list[Attribution]]:
    """Each segment carries some of the quotes, some of them trimmed or reworded."""
    found: dict[int, list[Attribution]] = {}
    for segment in segments:
        items, start = [], 0
        for n, (speaker, texts) in enumerate(QUOTES.items()):
            if (segment + n) % 3 == 0:
                continue
            text = texts[segment % len(texts)]
            if segment % 4 == 1:
                text = text.replace("finished", "completed").replace("doubled", "grown two-fold")
            if segment % 5 == 2:
                text = text.split(" before ")[0] + "."
            items.append(said(segment, speaker, text, start))
            start += len(text) + 10
        found[segment] = items
    return found


def as_compared(statements: Sequence[Statement]) -> list[tuple[int, str, tuple[tuple[int, int, bool], ...]]]:
    return sorted((s.key, s.text, tuple((o.segment, o.start, o.altered) for o in s.occurrences)) for s in statements)


def merge_in_two_runs(first: Sequence[int], later: Sequence[int], families_before: Mapping[int, int],
                      families_after: Mapping[int, int]) -> list[Statement]:
    dates = {s: f"2024-03-{s:02d}" for s in [*first, *later]}
    kept = merge_statements(pile(first), dates, families_before)
    previous = {(o.segment, o.start): s.key for s in kept for o in s.occurrences}
    moved = {s for s in first if families_before.get(s) != families_after.get(s)}
    changes = merge_changes(pile([*first, *later]), dates, families_after, previous, moved)
    return [s for s in kept if s.key not in changes.replaced] + changes.statements


def test_adding_segments_regroups_only_what_they_touch_and_equals_a_merge_of_everything() -> None:
    first, later = list(range(1, 13)), list(range(13, 19))
    dates = {s: f"2024-03-{s:02d}" for s in [*first, *later]}
    everything = merge_statements(pile([*first, *later]), dates, {})
    assert any(len(s.occurrences) > 3 for s in everything)  # the pile does merge across segments
    assert as_compared(merge_in_two_runs(first, later, {}, {})) == as_compared(everything)


def test_segments_moving_into_one_family_regroup_their_statements_as_a_fresh_merge_would() -> None:
    first, later = list(range(1, 10)), [10, 11]
    after = {1: 1, 5: 1, 9: 1, 10: 1}  # the new segments joined old ones into a family
    dates = {s: f"2024-03-{s:02d}" for s in [*first, *later]}
    everything = merge_statements(pile([*first, *later]), dates, after)
    assert as_compared(merge_in_two_runs(first, later, {}, after)) == as_compared(everything)


def test_an_untouched_statement_is_not_replaced() -> None:
    first = [1, 2, 3]
    kept = merge_statements(pile(first), {}, {})
    previous = {(o.segment, o.start): s.key for s in kept for o in s.occurrences}
    unrelated = {4: [said(4, "Ada Brun", "Cyclists get a lane of their own on the new bridge over the Lune.")]}
    changes = merge_changes({**pile(first), **unrelated}, {}, {}, previous, set())
    assert changes.replaced == set()
    assert [s.occurrences[0].segment for s in changes.statements] == [4]


def test_an_occurrences_keys_depend_on_nothing_but_itself_and_its_family() -> None:
    words = "the barrier will be finished before the autumn storms".split()
    assert anchors(words) == anchors(list(reversed(words)))  # a set sketch, by stable hashes
    assert "the" not in anchors(words) and len(anchors(words)) <= 8
    assert meet(blocks(("iosif", "barta"), "person", None), blocks(("barta",), "person", None))  # a surname alone meets the full name
    assert meet(blocks(("the", "panel"), "organisation", None), blocks(("the", "council", "panel"), "organisation", None))
    assert not meet(blocks(("mina", "holt"), "person", None), blocks(("iosif", "barta"), "person", None))
    assert meet(blocks(("mina", "holt"), "person", 7), blocks(("iosif", "barta"), "person", 7))  # inside a family, any speaker may pair


def test_names_that_share_only_a_last_word_do_not_meet_unless_one_is_the_unresolved_form() -> None:
    acme, beta = blocks(("acme", "inc"), "organisation", None), blocks(("beta", "inc"), "organisation", None)
    assert not meet(acme, beta)  # "Acme Inc" and "Beta Inc" are never one speaker
    assert meet(blocks(("the", "inc"), "organisation", None), acme)
    assert not meet(blocks(("holt",), "organisation", None), blocks(("mina", "holt"), "person", None))  # a surname stands for persons only


def meet(a: Blocks, b: Blocks) -> bool:
    return bool(a.shared & b.shared or a.sought & b.held or b.sought & a.held)


def test_an_occurrences_stored_keys_are_the_same_whatever_else_the_index_holds() -> None:
    from sourcetrace.voices.grouping import KeyIndex
    from sourcetrace.voices.merge import occurrence_keys

    alone, among_others = occurrence_keys(pile([5]), {5: 2}), occurrence_keys(pile([1, 2, 3, 4, 5, 6]), {5: 2})
    mine = set(zip(among_others.keys.tolist(), among_others.tables.tolist(), among_others.segments.tolist()))
    assert set(zip(alone.keys.tolist(), alone.tables.tolist(), alone.segments.tolist())) <= mine
    assert len(set(alone.tables.tolist())) > 1  # shared keys and a name's held keys both stored
    moved = occurrence_keys(pile([5]), {5: 3})
    assert set(moved.keys.tolist()) != set(alone.keys.tolist())  # another family: other keys
    assert KeyIndex([]).rows().keys.size == 0


def test_stored_key_codes_find_the_segments_a_new_occurrence_can_meet() -> None:
    from sourcetrace.voices.grouping import segment_key_codes, segments_meeting
    from sourcetrace.voices.merge import occurrence_keys

    barta = "The river barrier will be finished before the autumn storms arrive in the valley."
    stored = segment_key_codes(occurrence_keys({
        1: [said(1, "Iosif Barta", barta)],
        2: [said(2, "the ministry", "No decision on the barrier budget will be taken before the spring review.")],
        3: [said(3, "Mina Holt", "The library reading club has doubled in size since the Sunday openings began.")],
        4: [said(4, "Acme Ministry", "No decision on the barrier budget will be taken before the spring review.")],
    }, {}))
    assert set(stored) == {1, 2, 3, 4}

    def meeting(segment: int, speaker: str, text: str) -> set[int]:
        return segments_meeting(occurrence_keys({segment: [said(segment, speaker, text)]}, {}), stored.items())

    assert meeting(9, "Barta", barta.replace("finished", "completed")) == {1}  # the surname alone meets the full name
    assert meeting(9, "Beta Ministry", "The barrier budget decision waits for the spring review.") == {2}  # sought by "the ministry"
    assert meeting(9, "Ada Brun", "Cyclists get a lane of their own on the new bridge.") == set()
