"""The JSON export: versioned, complete, and citable back to the input bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.report.export import EXPORT_FORMAT, EXPORT_VERSION
from sourcetrace.runner import RunOptions, run_case
from tests.reuse.undecided_case import build_undecided_case, segment_of

STORY = (
    "Museum reopens after flood\n\n"
    "The city museum of the fictional town of Brill reopened on Saturday, eight months after a flood filled its "
    "basement archive, its director Anna Kovac said.\n\n"
    "Leave a Comment\n"
)


def exported(tmp_path: Path) -> dict:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "museum.txt").write_text(STORY)
    (tmp_path / "in" / "empty.txt").write_text("")
    run_case([tmp_path / "in"], tmp_path / "c.case", RunOptions(workers=1))
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "c.case"), "--json", str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "out.json").read_text())


def test_the_export_names_its_format_and_version(tmp_path: Path) -> None:
    data = exported(tmp_path)
    assert (data["format"], data["version"]) == (EXPORT_FORMAT, EXPORT_VERSION)
    assert set(data) >= {"inputs", "documents", "segments", "problems"}


def test_every_segment_cites_its_document_input_hash_and_span(tmp_path: Path) -> None:
    data = exported(tmp_path)
    [segment] = data["segments"]
    [document] = data["documents"]
    assert segment["document"] == document["id"]
    assert document["sha256"] == hashlib.sha256(STORY.encode()).hexdigest()
    assert "Leave a Comment" not in segment["text"]
    assert segment["text"].startswith("Museum reopens after flood")
    assert STORY[segment["start"]:segment["end"]].strip().startswith(segment["text"][:40])


def test_problems_are_exported_with_their_reasons(tmp_path: Path) -> None:
    [problem] = exported(tmp_path)["problems"]
    assert problem["reason"] == "empty" and problem["path"].endswith("empty.txt")


def test_export_to_standard_output(tmp_path: Path) -> None:
    exported(tmp_path)
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "c.case"), "--json", "-"])
    assert json.loads(result.output)["format"] == EXPORT_FORMAT


def test_families_are_exported_with_members_and_passages(case_with_copy_map: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(case_with_copy_map), "--json", "-"])
    [family] = json.loads(result.output)["families"]
    assert family["origin"] == family["id"] and family["origin_evidence"] == "earliest date"
    assert family["members"][0]["kind"] == "origin"
    rewrite = next(m for m in family["members"] if m["kind"] == "rewrite")
    assert rewrite["passages"] == [[0, 40, 0, 40]] and rewrite["score"] == 0.91
    assert rewrite["parent"] in {m["segment"] for m in family["members"]}


def test_each_member_exports_whether_the_evidence_decided_its_parent(tmp_path: Path) -> None:
    case = build_undecided_case(tmp_path / "undecided")
    result = CliRunner().invoke(cli, ["export", str(case), "--json", "-"])
    (family,) = json.loads(result.output)["families"]
    members = {m["segment"]: m for m in family["members"]}
    assert {s: m["parent_basis"] for s, m in members.items()} == {
        segment_of("wire"): None, segment_of("edited"): "evidence", segment_of("edited_again"): "direction_unknown",
        segment_of("plain_1"): "tie", segment_of("plain_2"): "tie"}
    assert members[segment_of("edited_again")]["parent_evidence"] == (
        "which of the two copied the other is not shown by the evidence")
    assert members[segment_of("wire")]["parent_evidence"] is None
