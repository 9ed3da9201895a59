"""How a reader shows input paths: relative to the inputs the case's runs were given.

A report is mailed and an app is shown on screens, so the folder an
investigator keeps a corpus in (``/home/…``) is no part of what they show.
An input found inside a folder the run was given is shown from that
folder's name (``demo/text/wire.txt``); an input given itself is shown by
its file name. The stored paths stay absolute: the export and the terminal
keep them (``CaseReader(..., full_paths=True)``, the default).

The reader registers :meth:`ShownPaths.shown` as the SQL function
``shown_path`` on its connection (and :meth:`ShownPaths.scrubbed` as
``shown_text``, for messages), so every query maps a path where it reads it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field

SQL_FUNCTION = "shown_path"
SQL_TEXT_FUNCTION = "shown_text"  # the same for paths quoted inside a message


@dataclass(slots=True)
class ShownPaths:
    """The inputs runs were given (absolute), and the display form of any input path."""

    roots: tuple[str, ...]  # absolute, shortest first: the outermost root that holds a path wins
    relative_given: tuple[str, ...] = ()  # inputs given relative to a working folder no run recorded
    _cache: dict[str, str] = field(default_factory=dict)

    def shown(self, path: str | None) -> str | None:
        if path is None:
            return None
        cached = self._cache.get(path)
        if cached is None:
            cached = self._cache[path] = self._relative(path)
        return cached

    def scrubbed(self, text: str | None) -> str | None:
        """``text`` (a problem's message, which may quote a path) without the folders above the given inputs."""
        if text is None:
            return None
        for root in self.roots:
            above = os.path.dirname(root.rstrip(os.sep))
            if len(above) > 1:  # never strip a bare "/"
                text = text.replace(above + os.sep, "")
        return text

    def _relative(self, path: str) -> str:
        root = next((r for r in self.roots if _holds(r, path)), None) or self._root_by_name(path)
        if root is None or root == path:
            return os.path.basename(path) or path
        return os.path.relpath(path, os.path.dirname(root))

    def _root_by_name(self, path: str) -> str | None:
        """For a run that recorded only a relative input (``corpus``): the part of ``path`` ending in it."""
        for given in self.relative_given:
            mark = os.sep + given
            at = path.find(mark + os.sep)
            if at >= 0 or path.endswith(mark):
                return path[:at + len(mark)] if at >= 0 else path
        return None


def _holds(root: str, path: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def as_stored(value: str | None) -> str | None:
    return value


def shown_paths(db: sqlite3.Connection) -> ShownPaths:
    """The roots from every run's arguments: ``input_roots`` (absolute), else ``inputs`` as given."""
    roots: set[str] = set()
    relative: set[str] = set()
    for (arguments,) in db.execute("SELECT arguments FROM runs"):
        stated = _run_inputs(arguments)
        for given in stated:
            if os.path.isabs(given):
                roots.add(os.path.normpath(given))
            elif given not in (".", ""):
                relative.add(os.path.normpath(given))
    return ShownPaths(tuple(sorted(roots, key=len)), tuple(sorted(relative, key=len, reverse=True)))


def _run_inputs(arguments: str) -> list[str]:
    try:
        stated = json.loads(arguments)
    except ValueError:
        return []
    if not isinstance(stated, dict):
        return []
    given = stated.get("input_roots", stated.get("inputs"))
    return [str(p) for p in given] if isinstance(given, list) else []


def register(db: sqlite3.Connection, full_paths: bool) -> None:
    """Define ``shown_path(path)`` and ``shown_text(message)`` on ``db``: as stored, or in display form."""
    shown = shown_paths(db)
    db.create_function(SQL_FUNCTION, 1, as_stored if full_paths else shown.shown, deterministic=True)
    db.create_function(SQL_TEXT_FUNCTION, 1, as_stored if full_paths else shown.scrubbed, deterministic=True)
