"""The public names: what ``sourcetrace.__all__`` promises exists, and covers what docs/api.md uses."""

from __future__ import annotations

import re
from pathlib import Path

import sourcetrace

API_DOC = Path(__file__).parents[1] / "docs" / "api.md"


def test_every_public_name_exists() -> None:
    missing = [name for name in sourcetrace.__all__ if not hasattr(sourcetrace, name)]
    assert missing == []


def test_the_names_docs_api_md_uses_are_public() -> None:
    documented = set(re.findall(r"\bsourcetrace\.([A-Za-z_]\w*)\b", API_DOC.read_text(encoding="utf-8")))
    documented -= {"__all__", "store"}  # the list itself, and the package of the reader behind the API
    assert documented >= {"open_case", "CaseError", "RunOptions", "Progress"}
    assert documented <= set(sourcetrace.__all__)


def test_the_api_and_the_view_records_are_exported() -> None:
    for name in ("open_case", "Case", "CaseError", "RunOptions", "RunSummary", "FamilyView", "StatementView",
                 "TraceMatch", "RunView", "StepView", "__version__"):
        assert name in sourcetrace.__all__
    assert sorted(sourcetrace.__all__) == sourcetrace.__all__  # kept sorted, so a diff shows what changed
