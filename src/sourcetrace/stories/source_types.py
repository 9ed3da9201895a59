"""The types an outlet can have, and the state-media typology codes.

Kept apart from :mod:`sourcetrace.stories.sources` so that the command line
can offer the types without loading the registry (docs/sources.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

SourceType = Literal["wire", "un_body", "ngo", "government", "state_media", "newspaper", "broadcaster",
                     "aggregator", "content_farm", "unknown"]
SOURCE_TYPES: tuple[SourceType, ...] = get_args(SourceType)

# State Media Monitor's typology, read off its three factors (funding,
# ownership/governance, editorial autonomy). What decides `state_media` is
# editorial control: SC, CaPu and CaPr outlets are editorially controlled by
# the state (directly, or captured through their owners); the four
# independent types keep editorial autonomy whatever funds or manages them,
# so an independent public broadcaster (IP: BBC, NPR) is a broadcaster.
TYPOLOGY: Mapping[str, tuple[str, bool]] = {
    "SC": ("state-controlled", True),
    "CaPu": ("captured public or state-managed", True),
    "CaPr": ("captured private", True),
    "ISFM": ("independent state-funded and state-managed", False),
    "ISF": ("independent state-funded", False),
    "ISM": ("independent state-managed", False),
    "IP": ("independent public", False),
}


def check_source_type(value: str) -> SourceType:
    """``value`` as a SourceType; ValueError listing the types when it is none of them."""
    for source_type in SOURCE_TYPES:
        if value == source_type:
            return source_type
    raise ValueError(f"unknown source type {value!r}; choose one of: {', '.join(SOURCE_TYPES)}")
