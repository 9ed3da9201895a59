"""The local web app: read-only, localhost, strict headers, only its own routes."""

from __future__ import annotations

import functools
import hashlib
import http.client
import json
import re
import sqlite3
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sourcetrace.store import CaseReader
from sourcetrace.store.read_index import fts_query
from sourcetrace.stories.source_types import SOURCE_TYPES
from sourcetrace.web.app import CaseServer, make_server
from tests.web.cases import SCRIPT_TAG, build_hostile_case

_opened: list[str] = []
_watching = threading.Event()


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _watching.is_set() and event == "open":
        _opened.append(str(args[0]))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only while a test watches


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_case(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def server(case: Path) -> Iterator[CaseServer]:
    running = make_server(case)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def get(server: CaseServer, path: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    connection.request("GET", path)  # sent as given: no normalisation of dots or escapes
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def api(server: CaseServer, path: str) -> dict[str, object]:
    status, _, body = get(server, "/api/" + path)
    assert status == 200, body
    return json.loads(body)


def test_it_binds_to_localhost_on_a_free_port_by_default(server: CaseServer) -> None:
    assert server.server_address[0] == "127.0.0.1" and server.server_address[1] > 0
    assert server.url == f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/../../../etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%2f..%2fetc%2fpasswd", "/assets/..%5c..%5cetc%5cpasswd", "//etc/passwd", "/assets/app.js/../../hostile.case",
    "/api/../../etc/passwd", "/api/document/1/../../../etc/passwd", "/hostile.case", "/api/text/%2e%2e",
])
def test_a_path_outside_the_routes_is_404_and_reads_no_file(server: CaseServer, path: str) -> None:
    _opened.clear()
    _watching.set()
    try:
        status, _, body = get(server, path)
    finally:
        _watching.clear()
    assert status == 404
    assert b"root:" not in body and b"SQLite" not in body
    assert _opened == []


def test_a_request_for_another_host_name_is_refused(server: CaseServer) -> None:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    connection.request("GET", "/api/overview", headers={"Host": f"attacker.example:{port}"})  # DNS rebinding
    response = connection.getresponse()
    assert response.status == 421 and b"segments" not in response.read()
    connection.close()


def test_serve_announces_its_address_and_stops_on_interrupt(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sourcetrace.web import app

    def interrupted(self: CaseServer) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app.CaseServer, "serve_forever", interrupted)
    said: list[str] = []
    app.serve(case, announce=said.append)
    assert re.fullmatch(r"sourcetrace is serving hostile\.case at http://127\.0\.0\.1:\d+/  \(Ctrl-C to stop\)", said[0])


def test_every_response_sends_a_strict_content_security_policy(server: CaseServer) -> None:
    for path in ("/", "/assets/app.js", "/api/overview", "/nowhere"):
        _, headers, _ = get(server, path)
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_text_is_sent_only_as_json_data(server: CaseServer) -> None:
    status, headers, body = get(server, "/api/family/1000")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert SCRIPT_TAG in json.dumps(json.loads(body), ensure_ascii=False)  # intact, for the viewer to show as text
    _, headers, page = get(server, "/")
    assert headers["Content-Type"].startswith("text/html") and b"__pwned" not in page


def test_the_case_is_opened_read_only_and_left_unchanged(server: CaseServer, case: Path) -> None:
    before = hashlib.sha256(case.read_bytes()).hexdigest()
    for path in ("overview", "families", "family/1000", "pair/2000", "document/1", "problems", "search?q=flood",
                 "stories", "story/1000", "sources", "timeline?kind=mentioned", "claims", "claim/1"):
        api(server, path)
    assert hashlib.sha256(case.read_bytes()).hexdigest() == before


def test_search_finds_words_and_phrases_and_applies_filters(server: CaseServer) -> None:
    assert api(server, "search?q=sluice+gates")["total"] == 3  # in the opening sentences, so in the excerpt too
    assert api(server, "search?q=herring+season")["total"] == 2  # only the two full texts go that far
    exact = api(server, "search?q=%22sluice+gates%22&kind=exact")
    assert [hit["segment"]["kind"] for hit in exact["items"]] == ["exact"]
    assert "\x02sluice gates\x03" in exact["items"][0]["snippet"]  # the phrase is marked as one match
    assert api(server, "search?q=sluice&outlet=other.example")["total"] == 1
    assert api(server, "search?q=sluice&from=2025-04-02&to=2025-04-02")["total"] == 1
    # Few matches are ranked; browsing lists segments in case (id) order.
    assert (api(server, "search?q=sluice")["order"], api(server, "search?kind=exact")["order"]) == ("relevance", "case")


def test_search_operators_typed_by_a_user_are_searched_as_words(server: CaseServer) -> None:
    assert fts_query('flood NEAR( "wall" OR') == '"flood" "NEAR(" "wall" "OR"'
    assert api(server, "search?q=NEAR(+*+%22")["total"] == 0


def test_pages_partition_the_results(server: CaseServer) -> None:
    status, _, _ = get(server, "/api/families?page=x")
    assert status == 400
    assert api(server, "search?q=flood&page=1")["total"] == 3
    assert api(server, "search?q=flood&page=2")["items"] == []


def test_an_unknown_item_is_404(server: CaseServer) -> None:
    for path in ("/api/family/999999", "/api/pair/1", "/api/document/999999", "/api/unknown", "/api/story/999999",
                 "/api/claim/999999"):
        assert get(server, path)[0] == 404


def test_stories_are_listed_and_a_story_comes_with_its_families_segments_and_events(server: CaseServer,
                                                                                   case: Path) -> None:
    with CaseReader(case, full_paths=False) as reader:  # as the app shows it
        expected = reader.stories()
        listed = api(server, "stories")
        assert listed["total"] == len(expected) >= 1
        assert [s["id"] for s in listed["items"]] == [s.id for s in expected]
        story = api(server, f"story/{expected[0].id}")
        members = {m.segment.id for f in story["families"] for m in reader.family(f).members}
    assert story["story"]["title"] == expected[0].title  # hostile, intact, for the viewer to show as text
    assert {s["id"] for s in story["segments"]} == members
    assert story["events"] and {e["story"] for e in story["events"]} == {expected[0].id}


def test_claims_are_listed_and_a_claim_comes_with_its_positions_side_by_side(server: CaseServer, case: Path) -> None:
    with CaseReader(case, full_paths=False) as reader:  # as the app shows it
        expected = reader.claims()
        view = reader.claim(expected[0].id)
        story = reader.stories()[0].id
    listed = api(server, "claims")
    assert listed["total"] == len(expected) >= 1
    assert listed["items"] == [json.loads(json.dumps(asdict(c))) for c in expected]
    assert SCRIPT_TAG in listed["items"][0]["text"]  # hostile, intact, for the viewer to show as text
    assert api(server, f"claims?story={story}")["total"] == sum(story in c.stories for c in expected)
    assert api(server, "claims?story=999999")["items"] == []
    claim = api(server, f"claim/{expected[0].id}")
    assert view is not None and claim == json.loads(json.dumps(asdict(view)))
    assert claim["supporting"] and all(p["stance"] == "supports" for p in claim["supporting"])
    assert get(server, "/api/claim/999999")[0] == 404
    for bad in ("/api/claim/x", "/api/claim/-1", "/api/claim/1x", "/api/claims?story=x", "/api/claims?page=x"):
        assert get(server, bad)[0] == 400, bad


def test_every_outlet_is_listed_with_its_type_and_each_segment_names_its_publisher(server: CaseServer) -> None:
    sources = {s["id"]: s for s in api(server, "sources")}
    assert sources and all(s["type"] in SOURCE_TYPES for s in sources.values())
    hits = api(server, "search?q=flood")["items"]
    for segment in (hit["segment"] for hit in hits):
        host = urlsplit(segment["url"]).hostname if segment["url"].startswith("https:") else None
        if host is None:  # the javascript: URL names no outlet
            assert segment["source"] is None
        else:
            assert host in sources[segment["source"]]["hosts"]


def test_the_timeline_lists_the_cases_events_in_date_order_and_filters_them(server: CaseServer, case: Path) -> None:
    with CaseReader(case, full_paths=False) as reader:  # as the app shows it
        events = reader.events()
        story = reader.stories()[0].id
    whole = api(server, "timeline")
    assert whole["total"] == len(events) >= 2
    assert [e["id"] for e in whole["items"]] == [e.id for e in events[:whole["per_page"]]]
    published = api(server, "timeline?kind=published")
    assert published["total"] == sum(e.kind == "published" for e in events) >= 1
    assert {e["kind"] for e in published["items"]} == {"published"}
    assert api(server, f"timeline?story={story}")["total"] == sum(e.story == story for e in events)
    assert api(server, "timeline?page=2")["items"] == [asdict(e) for e in events[whole["per_page"]:]]
    for bad in ("kind=launch", "story=x", "page=-1"):
        assert get(server, "/api/timeline?" + bad)[0] == 400


@pytest.fixture(scope="module")
def statements_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseServer]:
    from tests.web.cases import build_statements_case

    running = make_server(build_statements_case(tmp_path_factory.mktemp("statements")))
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def test_statements_are_listed_with_their_altered_copies(statements_server: CaseServer) -> None:
    assert api(statements_server, "overview")["statements_available"] is True
    listed = api(statements_server, "statements?altered=1&speaker=dahl")
    assert [(s["speaker"], s["occurrences"], s["altered"]) for s in listed["items"]] == [("Ilse Dahl", 2, 1)]
    assert api(statements_server, "statements?speaker=nobody")["total"] == 0
    detail = api(statements_server, f"statement/{listed['items'][0]['id']}")
    altered = [o for o in detail["occurrences"] if o["altered"]]
    assert len(altered) == 1 and ["-", "quay"] in altered[0]["diff"]


def test_a_case_without_statements_lists_none(tmp_path: Path) -> None:
    from sourcetrace.runner import RunOptions, run_case

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "weather.txt").write_text("Rain in Osterby\n\nRain fell all night and the river rose by a metre.\n")
    run_case([tmp_path / "in"], tmp_path / "quiet.case", RunOptions(workers=1))
    quiet = make_server(tmp_path / "quiet.case")
    threading.Thread(target=quiet.serve_forever, daemon=True).start()
    try:
        assert api(quiet, "overview")["statements_available"] is False
        assert api(quiet, "statements")["total"] == 0
        assert get(quiet, "/api/statement/1")[0] == 404
    finally:
        quiet.shutdown()
        quiet.server_close()


def test_a_file_that_is_not_a_case_is_refused(tmp_path: Path) -> None:
    from sourcetrace.store import CaseError

    other = tmp_path / "notes.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CaseError, match="not a sourcetrace case"):
        make_server(other)
    with pytest.raises(CaseError, match="no case at"):
        make_server(tmp_path / "missing.case")


def test_the_app_shows_inputs_relative_to_the_runs_inputs(tmp_path: Path) -> None:
    from tests.report.conftest import STORY

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Cargo falls\n\n{STORY}\n")
    (folder / "empty.html").write_bytes(b"")
    from sourcetrace.runner import RunOptions, run_case

    run_case([folder], tmp_path / "c.case", RunOptions(workers=1))
    running = make_server(tmp_path / "c.case")
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        bodies = [get(running, "/api/" + route)[2].decode("utf-8")
                  for route in ("overview", "problems", "document/1", "search?q=cargo")]
    finally:
        running.shutdown()
        running.server_close()
    assert all(str(tmp_path) not in body for body in bodies)
    assert '"path": "in/a.txt"' in bodies[2] or '"path":"in/a.txt"' in bodies[2]


@pytest.mark.parametrize("route", ["families", "stories", "claims", "timeline", "problems", "search?q=flood", "search?kind=exact"])
def test_a_page_beyond_the_last_is_an_empty_page_with_the_total(server: CaseServer, route: str) -> None:
    sep = "&" if "?" in route else "?"
    first = api(server, route)
    last = -(-first["total"] // first["per_page"])
    for page in (last + 1, 10**12, 10**40):  # 10**40: past any case, and past SQLite's integers
        beyond = api(server, f"{route}{sep}page={page}")
        assert beyond["items"] == [] and beyond["total"] == first["total"]


def test_statements_beyond_the_last_page_are_an_empty_page(statements_server: CaseServer) -> None:
    beyond = api(statements_server, "statements?page=2")
    assert beyond["items"] == [] and beyond["total"] == 1


def test_a_query_over_the_limit_is_refused_with_a_json_error(server: CaseServer) -> None:
    from sourcetrace.web.app import MAX_PARAMETER

    within = "flood+" * (MAX_PARAMETER // 6)  # a long query within the limit is searched
    assert api(server, "search?q=" + within)["total"] == api(server, "search?q=flood")["total"] == 3
    for path, said in ((f"search?q={'a' * 10_000}", "query too long: 10000 characters, at most 1000"),
                       (f"search?q=flood&outlet={'%20' * 1001}", "outlet too long: 1001 characters, at most 1000"),
                       (f"statements?speaker={'b' * 5000}", "speaker too long: 5000 characters, at most 1000")):
        status, headers, body = get(server, "/api/" + path)
        assert (status, json.loads(body)) == (400, {"error": said})
        assert headers["Content-Type"].startswith("application/json")


def test_the_servers_own_refusals_are_json_with_the_strict_headers(server: CaseServer) -> None:
    status, headers, body = get(server, "/api/search?q=" + "a" * 70_000)  # a request line over http.server's 64 KiB
    assert status == 414 and json.loads(body) == {"error": "request-uri too long"}
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    connection.request("POST", "/api/overview", body=b"{}")
    response = connection.getresponse()
    assert response.status == 501 and "error" in json.loads(response.read())
    connection.close()


def test_concurrent_requests_are_all_answered_by_a_few_threads_that_keep_their_reader(
        case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sourcetrace.web import app

    opened: list[int] = []

    class CountingReader(CaseReader):
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(threading.get_ident())
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    running = make_server(case)
    monkeypatch.setattr(app, "CaseReader", CountingReader)  # after start-up: counts the request threads' readers
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        with ThreadPoolExecutor(40) as clients:  # more at once than the listen backlog's default of 5
            statuses = list(clients.map(lambda n: get(running, f"/api/families?page={n % 3 + 1}")[0], range(120)))
    finally:
        running.shutdown()
        running.server_close()
    assert statuses == [200] * 120
    assert 1 <= len(opened) <= app.REQUEST_THREADS and len(set(opened)) == len(opened)


def test_answers_are_kept_until_the_case_changes(tmp_path: Path) -> None:
    """A run may write the case while the app serves it: a kept answer must not outlive the change."""
    from sourcetrace.api import open_case

    case = build_hostile_case(tmp_path)
    running = make_server(case)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        before = {s["name"]: s["type"] for s in api(running, "sources")}
        assert api(running, "sources") == api(running, "sources")  # the second from what was kept
        name = next(iter(before))
        changed = "ngo" if before[name] != "ngo" else "wire"
        with open_case(case) as opened:
            opened.set_source_type(name, changed)
        after = {s["name"]: s["type"] for s in api(running, "sources")}
    finally:
        running.shutdown()
        running.server_close()
    assert after == {**before, name: changed}


def test_the_kept_answers_stay_within_their_bound(tmp_path: Path) -> None:
    from sourcetrace.web.cache import AnswerCache

    (tmp_path / "c.case").write_bytes(b"")
    kept = AnswerCache(tmp_path / "c.case", max_bytes=100)
    made: list[int] = []

    def make(key: int) -> bytes:
        made.append(key)
        return b"x" * 40

    for key in (1, 2, 3, 1):
        kept.get(key, functools.partial(make, key))
    assert made == [1, 2, 3, 1]  # 3 pushed 1 out: at most 100 bytes are kept
    assert kept.get(3, lambda: b"other") == b"x" * 40 and kept.get(9, lambda: None) is None
