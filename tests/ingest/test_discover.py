"""Walking the user's paths: deterministic, link-safe, skipping what is not input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sourcetrace.ingest import discover
from sourcetrace.ingest.discover import iter_input_files
from sourcetrace.records import Problem, ProblemReason


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def files_and_problems(paths: list[Path | str]) -> tuple[list[str], list[Problem]]:
    files: list[str] = []
    problems: list[Problem] = []
    for item in iter_input_files([str(p) for p in paths]):
        (problems if isinstance(item, Problem) else files).append(item)  # type: ignore[arg-type]
    return files, problems


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b/2.html", "b/1.txt", "a.txt", "c/d/e.pdf", "B.txt"]:
        touch(tmp_path / name)
    files, problems = files_and_problems([tmp_path])
    assert problems == []
    expected = ["B.txt", "a.txt", "b/1.txt", "b/2.html", "c/d/e.pdf"]
    assert files == [str(tmp_path / name) for name in expected]


def test_files_and_folders_can_be_mixed_and_order_of_arguments_is_kept(tmp_path: Path) -> None:
    single = touch(tmp_path / "z" / "single.txt")
    touch(tmp_path / "folder" / "inner.txt")
    files, _ = files_and_problems([single, tmp_path / "folder"])
    assert files == [str(single), str(tmp_path / "folder" / "inner.txt")]


def test_paths_are_absolute_even_when_given_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "pile" / "a.txt")
    monkeypatch.chdir(tmp_path)
    files, _ = files_and_problems(["pile"])
    assert files == [str(tmp_path / "pile" / "a.txt")]


def test_hidden_entries_and_case_files_are_skipped(tmp_path: Path) -> None:
    touch(tmp_path / "kept.txt")
    for name in [".hidden.txt", ".git/config", "inquiry.case", "inquiry.case-wal", "inquiry.case-shm"]:
        touch(tmp_path / name)
    files, problems = files_and_problems([tmp_path])
    assert files == [str(tmp_path / "kept.txt")]
    assert problems == []


def test_case_file_named_explicitly_is_reported_not_read(tmp_path: Path) -> None:
    case = touch(tmp_path / "inquiry.case")
    files, problems = files_and_problems([case])
    assert files == []
    assert [p.reason for p in problems] == [ProblemReason.UNSUPPORTED]


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    files, problems = files_and_problems([tmp_path / "nowhere"])
    assert files == []
    assert [(p.reason, p.path) for p in problems] == [(ProblemReason.NOT_FOUND, str(tmp_path / "nowhere"))]


def test_broken_symlink_is_not_found_and_names_its_target(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    _, problems = files_and_problems([tmp_path])
    assert [p.reason for p in problems] == [ProblemReason.NOT_FOUND]
    assert "gone.txt" in problems[0].message


def test_symlinks_to_files_and_folders_are_followed_without_resolving(tmp_path: Path) -> None:
    target = touch(tmp_path / "store" / "page.html")
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "link.html").symlink_to(target)
    (pile / "linked_dir").symlink_to(tmp_path / "store")
    files, problems = files_and_problems([pile])
    assert problems == []
    assert files == [str(pile / "link.html"), str(pile / "linked_dir" / "page.html")]


def test_self_referencing_symlink_is_a_loop(tmp_path: Path) -> None:
    touch(tmp_path / "ok.txt")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    files, problems = files_and_problems([tmp_path])
    assert files == [str(tmp_path / "ok.txt")]
    assert [(p.reason, p.path) for p in problems] == [(ProblemReason.SYMLINK_LOOP, str(tmp_path / "self"))]


def test_symlink_chain_back_to_itself_is_a_loop(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    _, problems = files_and_problems([tmp_path])
    assert [p.reason for p in problems] == [ProblemReason.SYMLINK_LOOP, ProblemReason.SYMLINK_LOOP]


def test_folder_link_to_an_ancestor_is_a_loop_and_the_rest_is_walked(tmp_path: Path) -> None:
    touch(tmp_path / "pile" / "sub" / "story.txt")
    (tmp_path / "pile" / "sub" / "up").symlink_to(tmp_path / "pile")
    files, problems = files_and_problems([tmp_path / "pile"])
    assert files == [str(tmp_path / "pile" / "sub" / "story.txt")]
    assert [(p.reason, p.path) for p in problems] == [
        (ProblemReason.SYMLINK_LOOP, str(tmp_path / "pile" / "sub" / "up"))
    ]


def test_two_links_forming_a_cycle_through_sibling_folders_end(tmp_path: Path) -> None:
    touch(tmp_path / "a" / "one.txt")
    touch(tmp_path / "b" / "two.txt")
    (tmp_path / "a" / "to_b").symlink_to(tmp_path / "b")
    (tmp_path / "b" / "to_a").symlink_to(tmp_path / "a")
    files, problems = files_and_problems([tmp_path / "a"])
    assert files == [str(tmp_path / "a" / "one.txt"), str(tmp_path / "a" / "to_b" / "two.txt")]
    assert [p.reason for p in problems] == [ProblemReason.SYMLINK_LOOP]


def test_same_path_given_twice_is_yielded_once(tmp_path: Path) -> None:
    page = touch(tmp_path / "a.txt")
    files, _ = files_and_problems([tmp_path, page])
    assert files == [str(page)]


def test_fifo_is_reported_instead_of_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    touch(tmp_path / "z.txt")
    files, problems = files_and_problems([tmp_path])
    assert files == [str(tmp_path / "z.txt")]
    assert [p.reason for p in problems] == [ProblemReason.UNSUPPORTED]


def test_unlistable_folder_is_unreadable_and_siblings_still_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "locked" / "secret.txt")
    touch(tmp_path / "open" / "story.txt")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discover.os, "scandir", scandir)
    files, problems = files_and_problems([tmp_path])
    assert files == [str(tmp_path / "open" / "story.txt")]
    assert [(p.reason, p.path) for p in problems] == [(ProblemReason.UNREADABLE, str(tmp_path / "locked"))]
    assert "Permission denied" in problems[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_unlistable_folder_by_permissions_is_unreadable(tmp_path: Path) -> None:
    touch(tmp_path / "locked" / "secret.txt")
    (tmp_path / "locked").chmod(0)
    try:
        _, problems = files_and_problems([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [p.reason for p in problems] == [ProblemReason.UNREADABLE]


# --- files of no supported kind ----------------------------------------------------


def test_a_folder_walk_skips_files_of_no_supported_kind_and_counts_them(tmp_path: Path) -> None:
    page = touch(tmp_path / "story.txt")
    saved_page = touch(tmp_path / "article.php", "<!DOCTYPE html><html><body>A page saved by wget</body></html>")
    touch(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    touch(tmp_path / "LICENSE", "Permission is hereby granted")
    found = list(discover.discover_inputs([str(tmp_path)]))
    # An unknown extension is read only when the magic bytes prove a kind (a saved page is HTML).
    assert [item for item in found if isinstance(item, str)] == [str(saved_page), str(page)]
    skipped = [item for item in found if isinstance(item, discover.SkippedFile)]
    assert [(Path(s.path).name, s.extension) for s in skipped] == [
        ("LICENSE", ""), ("logo.png", ".png"), ("pyproject.toml", ".toml")]
    assert files_and_problems([tmp_path]) == ([str(saved_page), str(page)], [])


def test_a_file_named_explicitly_is_never_skipped_whatever_its_extension(tmp_path: Path) -> None:
    config = touch(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert list(discover.discover_inputs([str(config)])) == [str(config)]  # read.py decides: text, or "not text"


def test_a_named_folder_without_inputs_is_reported_with_what_it_skipped(tmp_path: Path) -> None:
    touch(tmp_path / "code" / "pyproject.toml")
    touch(tmp_path / "code" / "main.py")
    (tmp_path / "empty").mkdir()
    touch(tmp_path / "pages" / "a.txt")
    found = list(discover.discover_inputs([str(tmp_path / name) for name in ("code", "empty", "pages")]))
    folders = [item for item in found if isinstance(item, discover.FolderWithoutInputs)]
    assert folders == [discover.FolderWithoutInputs(str(tmp_path / "code"), (".py", ".toml")),
                       discover.FolderWithoutInputs(str(tmp_path / "empty"), ())]
    warning = folders[0].problem()
    assert (warning.reason, warning.severity, warning.path) == (ProblemReason.EMPTY, "warning", str(tmp_path / "code"))
    assert "no file of a kind sourcetrace reads (skipped: .py, .toml)" in warning.message


def test_why_no_input_reads_is_none_once_one_input_opens(tmp_path: Path) -> None:
    touch(tmp_path / "pages" / "a.txt")
    assert discover.why_no_input_reads([str(tmp_path / "missing"), str(tmp_path / "pages")]) is None


def test_why_no_input_reads_names_every_path_that_gave_nothing(tmp_path: Path) -> None:
    touch(tmp_path / "code" / "pyproject.toml")
    why = discover.why_no_input_reads([str(tmp_path / "missing.txt"), str(tmp_path / "code")])
    assert why is not None
    assert [(Path(p.path).name, p.reason) for p in why] == [
        ("missing.txt", ProblemReason.NOT_FOUND), ("code", ProblemReason.EMPTY)]
