"""Migration 7: a case written before claims (schema 6) is upgraded when opened, then claims can be added."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sourcetrace.api import open_case
from sourcetrace.store.schema import MIGRATIONS, SCHEMA_VERSION


def test_a_case_of_schema_6_is_upgraded_and_takes_claims(tmp_path: Path) -> None:
    case = tmp_path / "old.case"
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("Troops shelled the hospital in Korvo on Monday, witnesses said.\n",
                                              encoding="utf-8")
    with open_case(case, create=True) as opened:
        opened.run([tmp_path / "pages"])
    claims_at = next(n for n, sql in enumerate(MIGRATIONS) if "CREATE TABLE claims" in sql)
    assert claims_at == 6  # migration 7
    with sqlite3.connect(case) as db:  # as a case written before claims
        for table in reversed(re.findall(r"CREATE TABLE (\w+)", MIGRATIONS[claims_at])):
            db.execute(f"DROP TABLE {table}")
        db.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    with open_case(case) as opened:
        assert opened.claims() == []
        added = opened.add_claims(["Troops shelled the hospital in Korvo"])
        assert added[0].supporting_sources == 1
    with sqlite3.connect(case) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
