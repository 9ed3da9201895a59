"""A case built through the real pipeline for the claims tests (claim_pages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from claim_pages import write_pages
from claim_texts import CLAIM

from sourcetrace.runner import RunOptions, run_case


@pytest.fixture(scope="session")
def claims_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("claims")
    case = root / "c.case"
    run_case([write_pages(root / "pages")], case, RunOptions(workers=1, claims=(CLAIM,), find_claims=True))
    return case
