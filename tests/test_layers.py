"""The package's layering rules (issue 9): one read layer, no SQL outside store/, report/ and web/ apart."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "sourcetrace"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def sources(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_report_and_web_do_not_import_each_other() -> None:
    for path in sources("report"):
        assert not any(m.startswith("sourcetrace.web") for m in imported_modules(path)), path
    for path in sources("web"):
        assert not any(m.startswith("sourcetrace.report") for m in imported_modules(path)), path


def test_views_depend_on_no_reader_and_no_front_end() -> None:
    for path in sources("views"):
        found = imported_modules(path)
        assert not any(m.startswith(("sourcetrace.store", "sourcetrace.report", "sourcetrace.web")) for m in found), path


def test_no_sql_outside_the_store() -> None:
    sql = re.compile(r"\bSELECT\b|\.execute(many)?\(")
    offenders = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
                 if "store" not in path.relative_to(PACKAGE).parts and sql.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
