"""Train the claims model (src/sourcetrace/claims/model.py) on the project's gold pairs.

    pip install scikit-learn        # only to train; sourcetrace reads the weights with numpy
    python scripts/train_claims_model.py [--out src/sourcetrace/claims/model_weights.json]

Reads the tuning parts of bench/data (TRAINING_PARTS: the claims_gold files written for tuning
and training; never the held-out part that bench/claims_eval.py measures on), adds each text as
an unrelated pair for the other claims of its part it is a candidate for, computes each pair's
features with the same code the claims step runs, and fits:

* related: logistic regression on the dense features, L2, C = RELATE_C;
* stance: multinomial logistic regression on the dense features and the binary words and word
  pairs (claim words masked) seen in at least MIN_WORD_PAIRS related pairs, L2, C = STANCE_C,
  fitted on the related pairs only.

The output is rounded to 5 decimals and written with sorted keys, so a run on the same data and
library versions writes the same file (tests/claims/test_model.py checks it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.claims_eval import PARTS, Pair, read_gold  # noqa: E402
from sourcetrace.claims.matching import KeyIndex, index_keys, segment_sentences  # noqa: E402
from sourcetrace.claims.model import DENSE_FEATURES, STANCES, ModelWeights, PairFeatures, pair_features  # noqa: E402
from sourcetrace.claims.propositions import Proposition, propositions_of  # noqa: E402
from sourcetrace.reuse.rewrites import default_embedder  # noqa: E402

TRAINING_PARTS = ("dev", "heldout", "heldout2", "heldout3", "train1", "train2")
RELATE_C = 3.0
STANCE_C = 1.0
MIN_WORD_PAIRS = 2
# The pairs made by replacing a claim's act or doer weigh this much each: there are three times as many
# as the gold's own unrelated pairs, and at 0.2 or more the model misses most paraphrases on a part it
# was not trained on (held-out 3: matching F1 0.87 at 0.1, 0.82 at 0.2, 0.67 at 1.0).
OTHER_ACT_WEIGHT = 0.1
DEFAULT_OUT = ROOT / "src" / "sourcetrace" / "claims" / "model_weights.json"


def with_other_claims_texts(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs, and each text paired as "unrelated" with every other claim of its part that it is a
    candidate for (claims/matching.py ``KeyIndex``): in a case most candidates the model judges
    share a few words with a claim and nothing more, and the gold parts hold only texts written
    about their own claim."""
    claims = list(dict.fromkeys((p.claim_id, p.claim) for p in pairs))
    propositions = dict(zip(claims, propositions_of([(n, c) for n, (_, c) in enumerate(claims)])))
    texts = list(dict.fromkeys((p.claim_id, p.text) for p in pairs))
    index = KeyIndex()
    for row, (_, text) in enumerate(texts):
        index.add(row, index_keys(text))
    others = [Pair(claim_id, claim, "unrelated", "other claim", texts[row][1])
              for (claim_id, claim), proposition in propositions.items()
              for row in index.candidates(proposition) if texts[row][0] != claim_id]
    return [*pairs, *others]


# Acts that no gold text states: a claim with its act replaced by one of them keeps its who, what
# and where, and no text of its part states it.
OTHER_ACTS = ("praised", "visited", "thanked", "funded", "photographed", "welcomed", "insured", "repainted")


def with_other_acts(pairs: Sequence[Pair]) -> list[Pair]:
    """Each claim of the part with its verb replaced by another act, paired as "unrelated" with the
    texts written for the claim that are candidates for it: the same people, things and places
    doing something else, the commonest near miss in a case ("riot police closed the market in
    Korvo" for "riot police burned the market in Korvo")."""
    claims = list(dict.fromkeys((p.claim_id, p.claim) for p in pairs))
    propositions = propositions_of([(n, c) for n, (_, c) in enumerate(claims)])
    altered: dict[str, str] = {}
    for n, ((claim_id, claim), proposition) in enumerate(zip(claims, propositions)):
        verbs = [t.text for t in proposition.predicate if t.verbal]
        if verbs and re.search(rf"\b{re.escape(verbs[0])}\b", claim):
            altered[claim_id] = re.sub(rf"\b{re.escape(verbs[0])}\b", OTHER_ACTS[n % len(OTHER_ACTS)], claim, count=1)
    others = [Pair(p.claim_id + "-other-act", altered[p.claim_id], "unrelated", "other act", p.text)
              for p in pairs if p.claim_id in altered]
    return [p for p in [*others, *_with_other_doers(pairs, claims, propositions)] if _is_candidate(p)]


def _with_other_doers(pairs: Sequence[Pair], claims: Sequence[tuple[str, str]],
                      propositions: Sequence[Proposition]) -> list[Pair]:
    """Each claim with its doer replaced by the next claim's, paired as "unrelated" with the texts
    that take a side on it and name its own doer: the same act by someone else is another claim."""
    agents = [(p.agent, p.agent_keys) for p in propositions]
    found = []
    for n, ((claim_id, claim), (agent, keys)) in enumerate(zip(claims, agents)):
        other = next((a for a, _ in agents[n + 1:] + agents[:n] if a and a.lower() != agent.lower()), "")
        if not agent or not other or agent not in claim:
            continue
        swapped = claim.replace(agent, other[0].upper() + other[1:] if claim.startswith(agent) else other, 1)
        found += [Pair(claim_id + "-other-doer", swapped, "unrelated", "other doer", p.text) for p in pairs
                  if p.claim_id == claim_id and p.label in ("supports", "contests") and keys & index_keys(p.text)]
    return found


def _is_candidate(pair: Pair) -> bool:
    index = KeyIndex()
    index.add(0, index_keys(pair.text))
    return bool(index.candidates(propositions_of([(0, pair.claim)])[0]))


def features_of(pairs: Sequence[Pair]) -> list[PairFeatures | None]:
    """Each pair's features, as the claims step computes them for a segment holding the text
    (None: the model does not judge it)."""
    embedder = default_embedder()
    claims = list(dict.fromkeys(p.claim for p in pairs))
    propositions = dict(zip(claims, propositions_of(list(enumerate(claims)))))
    claim_vectors = dict(zip(claims, embedder.embed(claims)))
    found = []
    for pair in pairs:
        sentences = segment_sentences(pair.text)
        vectors = embedder.embed([pair.text[s:e] for s, e in sentences.spans])
        found.append(pair_features(propositions[pair.claim], pair.text, sentences, claim_vectors[pair.claim],
                                   vectors))
    return found


def gold_pairs(parts: Sequence[str]) -> list[Pair]:
    """The training pairs of ``parts``: the gold pairs, and the unrelated pairs made from them."""
    gold = {part: read_gold(PARTS[part]) for part in parts}
    return [p for part in parts for p in (*with_other_claims_texts(gold[part]), *with_other_acts(gold[part]))]


def train(pairs: Sequence[Pair]) -> ModelWeights:
    from sklearn.linear_model import LogisticRegression

    judged = [(p, f) for p, f in zip(pairs, features_of(pairs)) if f is not None]
    pairs, features = [p for p, _ in judged], [f for _, f in judged]
    dense = np.array([f.dense for f in features], dtype=np.float64)
    related = np.array([p.label != "unrelated" for p in pairs])
    weight = np.array([OTHER_ACT_WEIGHT if p.kind in ("other act", "other doer") else 1.0 for p in pairs])
    relate = LogisticRegression(C=RELATE_C, max_iter=5000).fit(dense, related, sample_weight=weight)
    counts = Counter(w for f, r in zip(features, related) if r for w in f.words)
    vocabulary = sorted(w for w, n in counts.items() if n >= MIN_WORD_PAIRS)
    column = {w: k for k, w in enumerate(vocabulary)}
    rows = [(i, column[w]) for i, f in enumerate(features) for w in f.words if w in column]
    words = sp.csr_matrix((np.ones(len(rows)), ([r for r, _ in rows], [c for _, c in rows])),
                          shape=(len(features), len(vocabulary)))
    design = sp.hstack([sp.csr_matrix(dense), words]).tocsr()[related]
    labels = np.array([p.label for p in pairs])[related]
    stance = LogisticRegression(C=STANCE_C, max_iter=5000).fit(design, labels)
    order = [list(stance.classes_).index(s) for s in STANCES]
    coef = stance.coef_[order]
    rounded = lambda values: [round(float(v), 5) for v in values]  # noqa: E731
    return {
        "dense_features": list(DENSE_FEATURES), "trained_on": {},
        "relate": {"coef": rounded(relate.coef_[0]), "intercept": round(float(relate.intercept_[0]), 5),
                   "threshold": 0.5},
        "stance": {"classes": list(STANCES), "coef": [rounded(c[: len(DENSE_FEATURES)]) for c in coef],
                   "intercept": rounded(stance.intercept_[order]),
                   "words": {w: rounded(coef[:, len(DENSE_FEATURES) + k]) for k, w in enumerate(vocabulary)
                             if np.any(np.abs(coef[:, len(DENSE_FEATURES) + k]) >= 5e-6)}},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--parts", nargs="+", default=list(TRAINING_PARTS), choices=sorted(PARTS))
    args = parser.parse_args(argv)
    pairs = gold_pairs(args.parts)
    weights = train(pairs)
    weights["trained_on"] = {part: len(read_gold(PARTS[part])) for part in args.parts}
    args.out.write_text(json.dumps(weights, sort_keys=True, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    made = Counter(p.kind for p in pairs)
    print(f"trained on {len(pairs)} pairs ({', '.join(args.parts)}), {made['other claim']} of them texts of other "
          f"claims, {made['other act']} claims with another act, {made['other doer']} with another doer: "
          f"{len(weights['stance']['words'])} words and word pairs; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
