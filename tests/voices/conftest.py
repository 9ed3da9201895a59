"""Shared fixtures: spaCy's pipeline is loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from sourcetrace.voices.nlp import load_nlp
from sourcetrace.voices.statements import Attribution, extract_from_texts

Extract = Callable[[str], list[Attribution]]


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="session")
def extract(nlp: Language) -> Extract:
    def run(text: str, segment: int = 1) -> list[Attribution]:
        return dict(extract_from_texts([(segment, text)], nlp=nlp))[segment]

    return run

