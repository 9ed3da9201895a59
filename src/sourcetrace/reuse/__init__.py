"""Text reuse: near-duplicate and excerpt candidates between segments.

``shingles`` turns texts into hashed word n-grams, ``minhash`` into
signatures (and the stage that computes them on any engine), ``candidates``
into verified edges via LSH.
"""

from sourcetrace.reuse.candidates import (
    CandidatePair,
    LSHIndex,
    QueryMatch,
    choose_bands,
)
from sourcetrace.reuse.minhash import (
    MinHasher,
    SignatureBatch,
    SignatureStage,
    SketchParams,
    batched,
)
from sourcetrace.reuse.shingles import (
    ShingleHashes,
    shingle_hash_batch,
    shingle_hashes,
    words,
)

__all__ = [
    "CandidatePair",
    "LSHIndex",
    "MinHasher",
    "QueryMatch",
    "ShingleHashes",
    "SignatureBatch",
    "SignatureStage",
    "SketchParams",
    "batched",
    "choose_bands",
    "shingle_hash_batch",
    "shingle_hashes",
    "words",
]
