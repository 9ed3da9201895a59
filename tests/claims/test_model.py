"""The claims model: a second route to a position where the rules find none, on invented text of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from sourcetrace.claims.assess import Position, SegmentToAssess, assess_segment
from sourcetrace.claims.matching import segment_sentences
from sourcetrace.claims.model import DENSE_FEATURES, ClaimModel, ModelWeights, default_model, pair_features
from sourcetrace.claims.propositions import Proposition, propositions_of
from sourcetrace.claims.stance import Carrier
from sourcetrace.reuse.rewrites import default_embedder
from sourcetrace.voices import extract_from_texts

ROOT = Path(__file__).resolve().parents[2]
BEATING = "Border guards beat asylum seekers at the Velka crossing"


def claim(text: str = BEATING, claim_id: int = 3) -> Proposition:
    return propositions_of([(claim_id, text)])[0]


def positions(text: str, claims: tuple[Proposition, ...], model: ClaimModel | None) -> list[Position]:
    attributions = next(iter(extract_from_texts([(1, text)])))[1]
    carriers = tuple(Carrier(a.occurrence.start, a.occurrence.end, a.speaker, a.occurrence.cue, a.occurrence.kind)
                     for a in attributions)
    return assess_segment(SegmentToAssess(1, text, carriers, claims), model=model)


@pytest.mark.parametrize(("text", "stance"), [
    ("Guards at the Velka crossing punched asylum seekers and hit them with batons, a medical charity found.",
     "supports"),
    ("The border guard service denied that any asylum seeker had been hurt by its staff at the Velka crossing.",
     "contests"),
    ("Prosecutors are investigating whether asylum seekers were assaulted at the Velka crossing.", "reports"),
])
def test_the_model_takes_the_position_the_rules_miss_in_other_words(text: str, stance: str) -> None:
    assert positions(text, (claim(),), None) == []  # "punched", "hurt", "assaulted": no word the rules know
    found = positions(text, (claim(),), default_model())
    assert [p.stance for p in found] == [stance]
    assert found[0].cue.startswith("the claims model (related 0.")  # its probability and the cues that weighed
    assert (found[0].start, found[0].end) == (0, len(text))


def test_sharing_who_and_where_is_not_judged_at_all() -> None:
    text = "Border guards at Velka received new uniforms on Monday."
    sentences = segment_sentences(text)
    embedder = default_embedder()
    vectors = embedder.embed([text])
    proposition = claim()
    assert pair_features(proposition, text, sentences, embedder.embed([proposition.text])[0], vectors) is None
    assert positions(text, (proposition,), default_model()) == []


def test_a_position_of_the_rules_is_never_replaced_by_the_models() -> None:
    text = "The border guard service rejected claims that its officers had beaten asylum seekers at Velka."
    assert positions(text, (claim(),), default_model()) == positions(text, (claim(),), None) != []


def test_a_pair_is_judged_alone_whatever_other_claims_the_segment_is_assessed_for() -> None:
    text = "Guards at the Velka crossing punched asylum seekers and hit them with batons, a medical charity found."
    other = claim("Border guards confiscated the phones of asylum seekers at the Velka crossing", 4)
    alone = positions(text, (claim(),), default_model())
    together = [p for p in positions(text, (claim(), other), default_model()) if p.claim == 3]
    assert alone == together


def test_weights_for_other_features_are_refused() -> None:
    weights: ModelWeights = json.loads((ROOT / "src/sourcetrace/claims/model_weights.json").read_text("utf-8"))
    weights["dense_features"] = weights["dense_features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        ClaimModel.from_json(weights)


def test_the_shipped_weights_are_what_the_training_script_makes() -> None:
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_claims_model as training

    made = training.train(training.gold_pairs(training.TRAINING_PARTS))
    shipped: ModelWeights = json.loads((ROOT / "src/sourcetrace/claims/model_weights.json").read_text("utf-8"))
    assert made["dense_features"] == shipped["dense_features"] == list(DENSE_FEATURES)
    np.testing.assert_allclose(made["relate"]["coef"], shipped["relate"]["coef"], atol=1e-3)
    np.testing.assert_allclose(made["stance"]["coef"], shipped["stance"]["coef"], atol=1e-3)
    assert made["stance"]["words"].keys() == shipped["stance"]["words"].keys()
