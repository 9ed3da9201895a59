"""The viewer that the HTML report and the web app share: one script, one style sheet.

The report inlines them (with the case's data embedded); the app serves them
from /assets/. Both render the same view records (views.records) as JSON.
"""

from __future__ import annotations

from importlib import resources


def asset(name: str) -> str:
    """A viewer asset (app.js, app.css) shipped inside the package."""
    return (resources.files("sourcetrace.views") / "assets" / name).read_text(encoding="utf-8")
