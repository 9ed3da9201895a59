"""The case file: schema, migrations, and the only module that writes it."""

from sourcetrace.store.case import (
    CaseCounts,
    CaseError,
    CaseStore,
    StoredDocumentText,
    StoredProblem,
)

__all__ = ["CaseCounts", "CaseError", "CaseStore", "StoredDocumentText", "StoredProblem"]
