"""A citation of a WARC document names its archive record: WARC-Record-ID and WARC-Target-URI.

Wherever citations are rendered: the read layer's segments (what the app and
the report's Cite button read), the report, the JSON export, `trace --json`
and the terminal's claim citations.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sourcetrace.report.export import write_export
from sourcetrace.report.html import write_report
from sourcetrace.report.terminal import citation
from sourcetrace.report.trace import trace_json
from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader
from sourcetrace.views import PositionView, TraceMatch
from tests.ingest.builders import article_html, http_response, make_warc

RECORD_ID = "<urn:uuid:6a1f3c9e-2b7d-4e51-9c0a-8f2e4d6b1a07>"
TARGET_URI = "https://www.marlow-gazette.example/news/harbour"


@pytest.fixture(scope="module")
def warc_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warc")
    make_warc(folder / "crawl.warc", [http_response(TARGET_URI, article_html("harbour"), record_id=RECORD_ID)])
    (folder / "notes.txt").write_text("Notes\n\nThe ferry to Sorrel resumed service on Monday, the operator said.\n")
    run_case([folder / "crawl.warc", folder / "notes.txt"], folder / "c.case", RunOptions(workers=1))
    return folder / "c.case"


def test_a_segment_of_a_warc_record_carries_its_record_id_and_target_uri(warc_case: Path) -> None:
    with CaseReader(warc_case) as reader:
        by_path = {Path(s.path).name: s for s in reader.segments(reader.segment_ids()).values()}
    archived, plain = by_path["crawl.warc"], by_path["notes.txt"]
    assert (archived.warc_record_id, archived.warc_target_uri) == (RECORD_ID, TARGET_URI)
    assert archived.archive_record() == f"WARC-Record-ID {RECORD_ID} · WARC-Target-URI {TARGET_URI}"
    assert (plain.warc_record_id, plain.warc_target_uri, plain.archive_record()) == (None, None, None)


def test_the_report_embeds_the_record_id_and_target_uri_its_cite_button_copies(warc_case: Path,
                                                                                tmp_path: Path) -> None:
    with CaseReader(warc_case) as reader:
        write_report(reader, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    embedded_id = json.dumps(RECORD_ID).replace("<", "\\u003c").replace(">", "\\u003e")
    assert f'"warc_record_id":{embedded_id}' in page
    assert f'"warc_target_uri":"{TARGET_URI}"' in page


def test_the_export_names_the_record_of_each_warc_document(warc_case: Path) -> None:
    out = io.StringIO()
    with CaseReader(warc_case) as reader:
        write_export(reader, out)
    documents = {Path(d["path"]).name: d for d in json.loads(out.getvalue())["documents"]}
    assert documents["crawl.warc"]["warc_record_id"] == RECORD_ID
    assert documents["crawl.warc"]["warc_target_uri"] == TARGET_URI
    assert documents["notes.txt"]["warc_record_id"] is None and documents["notes.txt"]["warc_target_uri"] is None


def test_trace_json_and_the_terminal_citation_name_the_record(warc_case: Path) -> None:
    with CaseReader(warc_case) as reader:
        segment = next(s for s in reader.segments(reader.segment_ids()).values() if s.path.endswith(".warc"))
    traced = json.loads(trace_json([TraceMatch(segment, "exact", 1.0, ())]))[0]
    assert (traced["warc_record_id"], traced["warc_target_uri"]) == (RECORD_ID, TARGET_URI)
    position = PositionView(segment, "supports", 0, 10, "The harbour", 0, 10, "said", None, None, None)
    assert f"WARC-Record-ID {RECORD_ID}" in citation(position)
    assert f"WARC-Target-URI {TARGET_URI}" in citation(position)
