"""Naming the rules that made a stored result by their source.

A result stored for a later run to reuse (a segment's grouping keys, a
decided family) is reused only when the code that made it is the code
running now. Hashing the source of that code means an edit to the rules can
never reuse a stale result, and no version number has to be remembered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


def source_digest(paths: Iterable[Path]) -> str:
    """BLAKE2b of the files' bytes, in order. Where one cannot be read (an
    installation without sources), a digest of no other run: nothing stored
    is then taken for current, and every result is made again."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        for path in paths:
            digest.update(path.read_bytes())
    except OSError:
        return os.urandom(16).hex()
    return digest.hexdigest()
