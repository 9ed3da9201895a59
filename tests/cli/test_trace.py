"""`sourcetrace trace`: every segment that reuses a given text (the churnalism check)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sourcetrace.cli import cli
from sourcetrace.store import CaseReader

RELEASE = [
    "The ministry of water of the fictional state of Corvia announced on Friday a ban on drilling new wells "
    "in the Amber valley until the end of the year, citing a fall of eleven metres in the water table.",
    "Farmers who already hold permits may keep pumping, but must fit meters by the first of September and "
    "report their monthly use to the regional office, the ministry said in its statement.",
    "Inspectors will visit every registered well before the harvest, and owners found pumping without a "
    "meter face fines of up to twenty thousand crowns, according to the decree published on Friday.",
]


def make_case(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "paper.txt").write_text("Well ban in Amber valley\n\n" + "\n\n".join(RELEASE) + "\n")
    (folder / "blog.txt").write_text(
        "Drought rules\n\n" + RELEASE[1] + "\n\n" + RELEASE[2] + "\n\nI think this is unfair to small farms.\n"
    )
    (folder / "unrelated.txt").write_text(
        "Choir wins prize\n\nThe youth choir of the fictional town of Ebben won the national prize on Sunday "
        "with a programme of folk songs arranged by its conductor, Lise Marr, who founded it ten years ago.\n"
    )
    case = tmp_path / "c.case"
    assert CliRunner().invoke(cli, ["run", str(folder), "--case", str(case), "--workers", "1"]).exit_code == 0
    return case


def test_trace_lists_the_segments_that_reuse_a_press_release(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    release = tmp_path / "release.txt"
    release.write_text("\n\n".join(RELEASE))
    result = CliRunner().invoke(cli, ["trace", str(case), str(release)])
    assert result.exit_code == 0, result.output
    assert "Well ban in Amber valley" in result.output
    assert "Choir wins prize" not in result.output
    assert "ban on drilling new wells" in result.output  # the shared passage is quoted


def test_trace_says_so_when_nothing_reuses_the_text(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    result = CliRunner().invoke(cli, ["trace", str(case), "-"], input="A text about nothing in this case at all.")
    assert result.exit_code == 0 and "No segment of the case reuses this text." in result.output


def test_trace_json_gives_each_match_with_passages_that_quote_both_texts(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    release_text = "\n\n".join(RELEASE)
    result = CliRunner().invoke(cli, ["trace", str(case), "-", "--json"], input=release_text)
    assert result.exit_code == 0, result.output
    matches = json.loads(result.output)
    by_title = {m["title"]: m for m in matches}
    assert set(by_title) == {"Well ban in Amber valley", "Drought rules"}
    blog = by_title["Drought rules"]
    assert blog["kind"] == "excerpt" and blog["input"].endswith("blog.txt")
    with CaseReader(case) as reader:
        segment_text = reader.segment_text(blog["segment"]) or ""
    query_start, query_end, start, end = blog["passages"][0]
    assert release_text[query_start:query_end].split() == segment_text[start:end].split()


def test_trace_of_an_empty_file_says_it_is_empty_and_fails(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["trace", str(case), str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "empty.txt is empty: there is no text to trace" in result.output
    assert "No segment" not in result.output


def test_trace_of_an_unreadable_or_binary_file_says_why_and_fails(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    for path, why in [(tmp_path / "in", "cannot be read: Is a directory"),
                      (tmp_path / "gone.txt", "cannot be read: No such file or directory"),
                      (tmp_path / "photo.png", "is not text: its bytes are binary")]:
        result = CliRunner().invoke(cli, ["trace", str(case), str(path)])
        assert result.exit_code == 1 and f"{path} {why}" in result.output, result.output
