"""Keys: what makes two wordings of one content comparable, and sentences with their offsets."""

from __future__ import annotations

from sourcetrace.claims.terms import keys, keys_of, sentences


def test_inflection_derivation_and_spelling_give_one_key() -> None:
    assert keys_of("detained") == keys_of("detention") == keys_of("detainees") & keys_of("detained")
    assert keys_of("labour") == keys_of("labor") == keys_of("workers")
    assert keys_of("shelled") == keys_of("bombarded")


def test_common_synonyms_share_a_concept_but_look_alike_words_do_not() -> None:
    assert keys_of("arrested") == keys_of("held")
    assert not keys_of("bank") & keys_of("banned")
    assert not keys_of("released") & keys_of("detained")
    assert not keys_of("rights") & keys_of("rigged")


def test_a_capitalised_word_is_also_a_name_and_a_demonym_is_its_country() -> None:
    assert "vardenia" in keys_of("Vardenian") and keys_of("Vardenia") <= keys_of("Vardenian")
    assert keys_of("Xinjiang") == {"xinjiang"}  # a name is not stemmed


def test_reporting_words_are_never_content() -> None:
    assert keys("The ministry said on Monday, according to officials") == frozenset()


def test_phrases_stand_for_a_concept() -> None:
    assert keys_of("forced") <= keys("They were made to work against their will")
    assert keys_of("shelled") <= keys("Soldiers opened fire on the crowd")


def test_sentences_are_spans_of_the_text_and_abbreviations_do_not_end_them() -> None:
    text = 'Mr. Holm said the U.N. team left. "It was shelled," she said.\nNext line'
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["Mr. Holm said the U.N. team left.", '"It was shelled," she said.',
                                             "Next line"]
