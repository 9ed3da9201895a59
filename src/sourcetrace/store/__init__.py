"""The case file: schema, migrations, the only module that writes it (CaseStore)
and the only one that reads it (CaseReader)."""

from sourcetrace.store.case import (
    CaseCounts,
    CaseError,
    CaseStore,
    MergedFamily,
    StoredDocumentText,
    StoredProblem,
)
from sourcetrace.store.read import CaseReader

__all__ = ["CaseCounts", "CaseError", "CaseReader", "CaseStore", "MergedFamily", "StoredDocumentText", "StoredProblem"]
