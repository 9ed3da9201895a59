"""The pipeline components sourcetrace adds to spaCy's (voices/nlp.py loads them)."""

from __future__ import annotations

from functools import lru_cache
from typing import cast

import numpy
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc
from thinc.types import Ints2d

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
