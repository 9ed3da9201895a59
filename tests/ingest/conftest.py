"""Shared fixtures for the ingest tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .builders import PileResult, ingest_pile


@pytest.fixture
def ingest_folder() -> Callable[..., PileResult]:
    """Discover and ingest a folder as the pipeline does; see builders.ingest_pile."""
    return ingest_pile
