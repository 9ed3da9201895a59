"""Shingles: normalised word n-grams hashed to 64 bits, a batch at a time."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sourcetrace.reuse import shingles
from sourcetrace.reuse.shingles import (
    shingle_hash_batch,
    shingle_hashes,
    word_hashes,
    words,
)


def test_words_are_casefolded_and_split_on_punctuation_dashes_and_quotes() -> None:
    assert words("The PORT of Velmar—closed; “again”, officials said.") == [
        "the",
        "port",
        "of",
        "velmar",
        "closed",
        "again",
        "officials",
        "said",
    ]


def test_straight_and_curly_apostrophes_give_the_same_word() -> None:
    assert words("Don't") == words("don’t") == words("DONʼT") == ["dont"]


def test_typographic_variants_of_a_text_have_the_same_shingles() -> None:
    plain = 'The mayor said: "We won\'t close the bridge - not this year."'
    typeset = "The Mayor said: \u201cWe won\u2019t close the bridge \u2013 not this year.\u201d"
    assert np.array_equal(shingle_hashes(plain, 3), shingle_hashes(typeset, 3))


def test_fast_tokeniser_finds_the_same_words_as_the_reference() -> None:
    rng = random.Random(7)
    pieces = ["harbour", "Ärzte", "straße", "naïve", "x_y", "42", "café", "Ωmega", "东京", "it's", "rock’n’roll"]
    separators = [" ", ", ", ". ", " — ", " – ", "\n", " (", ") ", " «", "» ", "…", "\u00a0", " • ", " € "]
    for _ in range(200):
        text = "".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(0, 30)))
        expected = words(text)
        hashes = word_hashes([text]).hashes
        assert len(hashes) == len(expected), text
        # The reference words, rejoined with spaces, hash identically.
        assert np.array_equal(hashes, word_hashes([" ".join(expected)]).hashes), text


def test_a_word_hashes_the_same_wherever_it_occurs() -> None:
    hashes = word_hashes(["alpha beta", "gamma alpha", "ALPHA."]).hashes
    assert hashes[0] == hashes[3] == hashes[4]
    assert len(set(hashes.tolist())) == 3


def test_shingles_are_consecutive_word_ngrams_in_text_order() -> None:
    long = shingle_hashes("one two three four five six seven", 5)
    assert len(long) == 3
    assert long[1] == shingle_hashes("two three four five six", 5)[0]
    assert long[2] == shingle_hashes("three four five six seven", 5)[0]
    assert shingle_hashes("two one three four five", 5)[0] != shingle_hashes("one two three four five", 5)[0]


def test_a_text_shorter_than_a_shingle_has_one_shingle_and_an_empty_text_none() -> None:
    assert len(shingle_hashes("only three words", 5)) == 1
    assert shingle_hashes("only three words", 5)[0] != shingle_hashes("only three words more", 5)[0]
    assert len(shingle_hashes("", 5)) == 0
    assert len(shingle_hashes(" -- ... !!", 5)) == 0


def test_a_batch_gives_each_text_the_shingles_it_has_alone() -> None:
    texts = ["a b c", "", "d e f g h i j", "Ünïcode wörds here and there", "k l m n o"]
    batch = shingle_hash_batch(texts, 5)
    for index, text in enumerate(texts):
        assert np.array_equal(batch.of(index), shingle_hashes(text, 5))


def test_shingles_never_span_two_texts_of_a_batch() -> None:
    batch = shingle_hash_batch(["a b c", "d e f g h"], 5)
    spanning = set(shingle_hashes("a b c d e f g h", 5).tolist())
    assert not spanning & set(batch.hashes.tolist()) - set(shingle_hashes("d e f g h", 5).tolist())
    assert len(batch.of(0)) == len(batch.of(1)) == 1


def test_shingle_hashes_use_all_64_bits() -> None:
    text = " ".join(f"w{i}" for i in range(3000))
    hashes = shingle_hashes(text, 5)
    assert len(np.unique(hashes)) == len(hashes)
    assert 0.4 < np.mean(hashes >= np.uint64(1 << 63)) < 0.6  # high bit
    assert 0.4 < np.mean(hashes & np.uint64(1)) < 0.6  # low bit


def test_hashing_in_chunks_gives_the_hashes_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Story {k}: the harbour authority said {k * 7} ships docked." for k in range(40)] + ["", "Ünïcode café"]
    whole = word_hashes(texts)
    monkeypatch.setattr(shingles, "WORD_HASH_CHUNK_BYTES", 100)
    chunked = word_hashes(texts)
    assert chunked.counts.tolist() == whole.counts.tolist()
    assert np.array_equal(chunked.hashes, whole.hashes)


def test_selecting_texts_keeps_their_words_in_order() -> None:
    texts = ["one two three", "", "four five", "six"]
    everything = shingles.word_hashes(texts)
    picked = everything.select([3, 0, 1])
    alone = [shingles.word_hashes([texts[i]]) for i in (3, 0, 1)]
    assert picked.counts.tolist() == [a.counts[0] for a in alone]
    assert picked.hashes.tolist() == [h for a in alone for h in a.hashes.tolist()]
