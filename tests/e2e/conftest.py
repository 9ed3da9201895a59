"""End-to-end fixtures: Debian's Chromium driven by Playwright, against the app and the report.

Skipped with a message when /usr/bin/chromium or the playwright package is
missing (CI installs both: see the lead's notes for .ci/run).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sourcetrace.report.html import write_report
from sourcetrace.store import CaseReader
from sourcetrace.web.app import CaseServer, make_server
from tests.web.cases import build_demo_case, build_hostile_case, build_sources_case, build_statements_case

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    pytest.skip("end-to-end tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="end-to-end tests need `pip install playwright`")


@dataclass
class Target:
    """One case as a person opens it: the served app or the report file."""

    name: str  # "app" or "report"
    case: Path
    url: str  # to which a "#/view" hash is appended

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.case.resolve().as_uri() + "?mode=ro", uri=True)


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"demo": build_demo_case(tmp_path_factory.mktemp("demo")),
            "hostile": build_hostile_case(tmp_path_factory.mktemp("hostile")),
            "statements": build_statements_case(tmp_path_factory.mktemp("statements")),
            "sources": build_sources_case(tmp_path_factory.mktemp("sources"))}


@pytest.fixture(scope="session")
def servers(cases: dict[str, Path]) -> Iterator[dict[str, CaseServer]]:
    running = {name: make_server(case) for name, case in cases.items()}
    for server in running.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield running
    for server in running.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def reports(cases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    written = {}
    for name, case in cases.items():
        with CaseReader(case) as reader:
            write_report(reader, folder / f"{name}.html")
        written[name] = folder / f"{name}.html"
    return written


def target(name: str, case: str, cases: dict[str, Path], servers: dict[str, CaseServer],
           reports: dict[str, Path]) -> Target:
    url = servers[case].url if name == "app" else reports[case].as_uri()
    return Target(name, cases[case], url)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"],  # type: ignore[attr-defined]
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.dialogs = []  # type: ignore[attr-defined]
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    yield opened
    context.close()
