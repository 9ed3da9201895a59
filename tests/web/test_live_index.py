"""A run that changes the case the app serves: the app's read index is built again, the old one removed."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from sourcetrace.runner import RunOptions, run_case
from sourcetrace.store import CaseReader
from sourcetrace.web import live_index
from sourcetrace.web.app import CaseServer, make_server


def api(server: CaseServer, route: str) -> dict[str, object]:
    with urllib.request.urlopen(server.url + "api/" + route, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def _write(folder: Path, name: str, title: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")


def test_search_and_timeline_follow_a_run_that_extends_the_served_case(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_index, "STABLE_SECONDS", 0.2)
    first, second = tmp_path / "first", tmp_path / "second"
    _write(first, "ferry.txt", "Ferry resumes", "The ferry to Sorrel resumed service on 4 March 2024, the operator said.")
    _write(second, "bridge.txt", "Bridge closes",
           "The Varde bridge will close for repairs on 9 April 2024, the council said on Monday.")
    case = tmp_path / "c.case"
    run_case([first], case, RunOptions(workers=1))
    server = make_server(case)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        built = server.app.index.index
        assert api(server, "search?q=bridge")["total"] == 0
        before = api(server, "timeline")["total"]
        run_case([first, second], case, RunOptions(workers=1))  # the second run, while the app serves
        with CaseReader(case) as reader:
            events = reader.event_count()
        deadline = time.monotonic() + 30
        while api(server, "search?q=bridge")["total"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert api(server, "search?q=bridge")["total"] == 1
        assert api(server, "timeline")["total"] == events > before  # type: ignore[operator]
        assert not built.folder.exists() and server.app.index.index.folder.exists()
    finally:
        server.shutdown()
        server.server_close()
    assert not server.app.index.index.folder.exists()
