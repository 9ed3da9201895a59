"""docs/api.md: every python example runs, in order, against a small case built from scratch."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from sourcetrace.report.export import EXPORT_VERSION

API_DOC = Path(__file__).parents[2] / "docs" / "api.md"

STORY = ("The harbour authority of the fictional port of Lindqvist said on Monday that cargo volumes fell by a "
         "fifth last year, the steepest drop since records began. \"We will reopen the northern quay before the "
         "winter storms arrive,\" Mayor Ilse Dahl said at a news conference on Monday afternoon.")
SPUN = STORY.replace("northern quay", "north dock")
OTHER = ("The youth choir of the fictional town of Ebben won the national prize on Sunday with a programme of folk "
         "songs arranged by its conductor, who founded it ten years ago.")


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What the examples expect beside them: pages/ to run on, release.txt to trace."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "herald.txt").write_text(f"Cargo falls at Lindqvist\n\n{STORY}\n", encoding="utf-8")
    (pages / "gazette.txt").write_text(f"Lindqvist cargo drops\n\n{STORY}\n", encoding="utf-8")
    (pages / "farm.txt").write_text(f"Port slump\n\n{SPUN}\n", encoding="utf-8")
    (pages / "choir.txt").write_text(f"Choir wins prize\n\n{OTHER}\n", encoding="utf-8")
    (tmp_path / "release.txt").write_text(STORY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_api_doc_has_an_example_for_each_part_of_the_api() -> None:
    code = "\n".join(python_blocks(API_DOC.read_text(encoding="utf-8")))
    for call in ("open_case(", ".run(", ".families(", ".statements(", ".claims(", ".add_claims(", ".trace(",
                 ".export(", ".report("):
        assert call in code


def test_every_example_in_the_api_doc_runs(folder: Path) -> None:
    namespace: dict[str, object] = {"__name__": "api_doc"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(python_blocks(API_DOC.read_text(encoding="utf-8")), start=1):
            exec(compile(block, f"docs/api.md, python block {number}", "exec"), namespace)
    output = printed.getvalue()
    assert "no case at missing.case" in output
    assert "pagse: no such file or folder\n['not_found']\nFalse\n" in output  # a run that reads nothing makes no case
    assert re.search(r"family \d+: 3 segments", output)  # the story and its two copies
    assert "Ilse Dahl" in output
    assert re.search(r"claim 1: .*: [1-9]\d* supporting", output)  # the claim the pages state
    assert "shares: The harbour authority" in output  # the traced release is found in the pages
    assert f"sourcetrace-export {EXPORT_VERSION}" in output
    assert (folder / "my.json").stat().st_size > 0 and (folder / "my.html").read_text().startswith("<!doctype html>")
