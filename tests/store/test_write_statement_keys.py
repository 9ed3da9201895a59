"""The merge step's stored keys: the segments a new occurrence can meet, found from them."""

from __future__ import annotations

from pathlib import Path

from sourcetrace.store.case import CaseStore
from sourcetrace.store.write_statement_keys import (
    replace_statement_keys,
    statement_keys_version,
    stored_statement_keys,
)


def test_replacing_some_segments_keys_keeps_every_other_segments(tmp_path: Path) -> None:
    with CaseStore(tmp_path / "c.case") as store:
        replace_statement_keys(store, {1000: b"\x01\x00\x00\x00", 2000: b"\x02\x00\x00\x00"}, None, "v1")
        replace_statement_keys(store, {2000: b"\x03\x00\x00\x00"}, [2000], "v1")  # segment 2000 moved to another family
        assert stored_statement_keys(store) == [(1000, b"\x01\x00\x00\x00"), (2000, b"\x03\x00\x00\x00")]
        replace_statement_keys(store, {3000: b"\x04\x00\x00\x00"}, None, "v2")  # every segment's keys replaced
        assert stored_statement_keys(store) == [(3000, b"\x04\x00\x00\x00")]
        assert statement_keys_version(store) == "v2"
