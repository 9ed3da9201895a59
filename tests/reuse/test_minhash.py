"""MinHash signatures: unbiased Jaccard estimates, deterministic, computed per
block so that excerpt windows come almost for free."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from sourcetrace.engines import LocalEngine
from sourcetrace.reuse.minhash import (
    EMPTY_SLOT,
    MinHasher,
    SignatureStage,
    SketchParams,
    batched,
    window_signatures,
)
from sourcetrace.reuse.shingles import ShingleHashes, mix64, shingle_hash_batch


def invented_text(seed: int, length: int) -> str:
    rng = np.random.default_rng(seed)
    syllables = ["ka", "lo", "mi", "ter", "ves", "un", "dra", "pol", "sen", "ith", "or", "bas"]
    return " ".join("".join(rng.choice(syllables, size=rng.integers(1, 4))) for _ in range(length))


def as_shingles(*sets: np.ndarray) -> ShingleHashes:
    offsets = np.cumsum([0] + [len(s) for s in sets]).astype(np.int64)
    return ShingleHashes(np.concatenate(sets).astype(np.uint64), offsets)


def test_signature_agreement_estimates_jaccard_without_bias() -> None:
    rng = np.random.default_rng(3)
    hasher = MinHasher(num_perm=128)
    errors = []
    for _ in range(300):
        universe = mix64(rng.integers(0, 2**63, size=600, dtype=np.uint64))
        first, second = universe[:400], universe[200:]  # Jaccard 200/600
        signatures = hasher.signatures(as_shingles(first, second))
        errors.append(np.mean(signatures[0] == signatures[1]) - 1 / 3)
    theory = np.sqrt((1 / 3) * (2 / 3) / 128)
    assert abs(np.mean(errors)) < 3 * theory / np.sqrt(len(errors))
    assert 0.8 * theory < np.std(errors) < 1.2 * theory


def test_identical_texts_have_identical_signatures_and_different_texts_do_not() -> None:
    texts = [invented_text(1, 200), invented_text(1, 200), invented_text(2, 200)]
    signatures = MinHasher().signatures_of_texts(texts)
    assert np.array_equal(signatures[0], signatures[1])
    assert np.mean(signatures[0] == signatures[2]) < 0.1


def test_block_size_does_not_change_a_text_signature() -> None:
    shingles = shingle_hash_batch([invented_text(seed, size) for seed, size in [(4, 3), (5, 70), (6, 333)]])
    reference = MinHasher(block_shingles=1).signatures(shingles)
    for block in (2, 7, 32, 1000):
        assert np.array_equal(MinHasher(block_shingles=block).signatures(shingles), reference)


def test_a_window_signature_is_the_signature_of_two_consecutive_blocks() -> None:
    block = 8
    hasher = MinHasher(block_shingles=block)
    shingles = shingle_hash_batch([invented_text(7, 45), invented_text(8, 6)])
    windows, owners = window_signatures(hasher.block_signatures(shingles))
    first = shingles.of(0)  # 41 shingles: blocks of 8, 8, 8, 8, 8, 1 -> 5 windows
    assert owners.tolist() == [0] * 5 + [1]
    for k in range(5):
        alone = hasher.signatures(as_shingles(first[k * block : (k + 2) * block]))
        assert np.array_equal(windows[k], alone[0])
    assert np.array_equal(windows[5], hasher.signatures(as_shingles(shingles.of(1)))[0])


def test_a_text_without_words_gets_the_empty_signature() -> None:
    signatures = MinHasher().signatures_of_texts(["...", invented_text(9, 20)])
    assert np.all(signatures[0] == EMPTY_SLOT)
    assert not np.all(signatures[1] == EMPTY_SLOT)


def test_the_stage_gives_the_same_batches_on_two_workers_as_in_process() -> None:
    records = [(100 + i, invented_text(i, 50 + 7 * i)) for i in range(40)]
    stage = SignatureStage(SketchParams(num_perm=64))
    local = [stage.process(batch) for batch in batched(records, 8)]
    pooled = list(LocalEngine(workers=2).map(stage, batched(records, 8), chunksize=1))
    assert [b.ids.tolist() for b in pooled] == [b.ids.tolist() for b in local]
    for mine, theirs in zip(local, pooled):
        assert np.array_equal(mine.signatures, theirs.signatures)
        assert np.array_equal(mine.window_signatures, theirs.window_signatures)  # type: ignore[arg-type]


_PRINT_SIGNATURE = """
from sourcetrace.reuse.minhash import MinHasher
print(MinHasher(num_perm=16, seed=5).signatures_of_texts([{text!r}])[0].tolist())
"""


def test_signatures_are_the_same_in_another_process() -> None:
    text = invented_text(11, 80)
    here = MinHasher(num_perm=16, seed=5).signatures_of_texts([text])[0].tolist()
    # A fresh interpreter with another hash seed: nothing may depend on hash().
    output = subprocess.run(
        [sys.executable, "-c", _PRINT_SIGNATURE.format(text=text)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    ).stdout
    assert output.strip() == str(here)


def test_another_seed_gives_other_signatures() -> None:
    text = [invented_text(12, 80)]
    assert not np.array_equal(MinHasher(seed=1).signatures_of_texts(text), MinHasher(seed=2).signatures_of_texts(text))
