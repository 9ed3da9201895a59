"""The app's OpenAPI description (GET /api/openapi.json): valid, complete, true to every answer, and fuzzed.

The fuzzing (schemathesis, through its Python API: each operation as a
Hypothesis strategy, positive and negative data) is ``fuzz`` below;
bench/fuzz_app.py runs the same with many more examples.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
import schemathesis
import schemathesis.specs.openapi.schemas
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate as validate_openapi
from schemathesis import GenerationMode
from schemathesis.errors import FailureGroup

from sourcetrace.store import CaseReader
from sourcetrace.web.app import _ROUTES, ID_DIGITS, MAX_PARAMETER, CaseServer, make_server
from sourcetrace.web.openapi import MAX_ID, OPENAPI_PATH, openapi_document
from tests.web.cases import build_demo_case, build_hostile_case

# schemathesis.specs.openapi.schemas is imported above, at collection, not lazily by from_url while the
# app's threads run: CPython 3.11.7's AST builder has a race (gh-106905) that pytest's rewriting of that
# module hit in CI.

# -- fuzzing: shared with bench/fuzz_app.py ------------------------------------------------------


@dataclass
class FuzzReport:
    requests: int = 0
    failures: list[str] = field(default_factory=list)  # one line per failing request, with the checks it broke
    per_operation: dict[str, int] = field(default_factory=dict)  # requests sent

    def merge(self, other: FuzzReport) -> None:
        self.requests += other.requests
        self.failures += other.failures
        for label, count in other.per_operation.items():
            self.per_operation[label] = self.per_operation.get(label, 0) + count


def fuzz(base_url: str, max_examples: int, *, derandomize: bool = True,
         progress: Callable[[str, FuzzReport], None] | None = None) -> FuzzReport:
    """Fuzz every operation the app describes (read from the app itself) with schemathesis:
    ``max_examples`` requests of data that fits the description and as many of data that
    does not, each checked by schemathesis's checks (no 5xx, a documented status and content
    type, a body that fits its schema, invalid data refused with a 4xx, valid data not refused).
    Failures are collected, not raised, so one run counts them all. schemathesis leaves out
    the route it read the description from (/api/openapi.json): the tests above check that one."""
    schema = schemathesis.openapi.from_url(base_url + OPENAPI_PATH, timeout=10)
    report = FuzzReport()
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            modes = [GenerationMode.POSITIVE]
            if operation.path_parameters or operation.query:
                modes.append(GenerationMode.NEGATIVE)  # an operation with no parameters has no invalid request
            for mode in modes:
                _fuzz_operation(operation, mode, base_url, session, max_examples, derandomize, report)
                if progress is not None:
                    progress(f"{operation.label} ({mode.value})", report)
    return report


def _fuzz_operation(operation: Any, mode: GenerationMode, base_url: str, session: requests.Session,
                    max_examples: int, derandomize: bool, report: FuzzReport) -> None:
    label = f"{operation.label} ({mode.value})"

    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=derandomize,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        try:
            response = case.call(base_url=base_url, session=session, timeout=30)
        except requests.RequestException as error:  # no answer at all: the worst failure
            report.requests += 1
            report.failures.append(f"{label}: no answer ({type(error).__name__}): {case.as_curl_command()}")
            return
        report.requests += 1
        report.per_operation[label] = report.per_operation.get(label, 0) + 1
        try:
            case.validate_response(response, transport_kwargs={"base_url": base_url})
        except FailureGroup as group:
            titles = "; ".join(sorted({failure.title for failure in group.exceptions}))
            report.failures.append(f"{label}: {response.status_code} {titles}: {case.as_curl_command()}")
        except AssertionError as failure:  # a single check's failure (schemathesis Failure is one)
            title = getattr(failure, "title", str(failure))
            report.failures.append(f"{label}: {response.status_code} {title}: {case.as_curl_command()}")

    send()


# -- the app on a case ---------------------------------------------------------------------------


def _serve(case: Path) -> Iterator[CaseServer]:
    running = make_server(case)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_case(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo(demo_case: Path) -> Iterator[CaseServer]:
    yield from _serve(demo_case)


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_case(tmp_path_factory.mktemp("hostile"))  # also the one with a problem: an empty input


@pytest.fixture(scope="module")
def hostile(hostile_case: Path) -> Iterator[CaseServer]:
    yield from _serve(hostile_case)


def base_url(server: CaseServer) -> str:
    return server.url.rstrip("/")


def get(server: CaseServer, path: str) -> tuple[int, str, Any]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type", ""), json.loads(body)


DOCUMENT = openapi_document()


def response_schema(path: str, status: int) -> dict[str, Any]:
    """The schema of an answer, with the components it refers to, for jsonschema."""
    described = DOCUMENT["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**described, "components": DOCUMENT["components"]}


def conforms(path: str, status: int, body: Any) -> None:
    jsonschema.validate(body, response_schema(path, status), cls=jsonschema.Draft202012Validator)


# -- (a) the document ----------------------------------------------------------------------------


def test_the_description_is_valid_openapi_3_1_and_served_as_is(demo: CaseServer) -> None:
    validate_openapi(DOCUMENT)  # raises on any departure from the OpenAPI 3.1 schema
    assert DOCUMENT["openapi"].startswith("3.1")
    status, content_type, served = get(demo, OPENAPI_PATH)
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert served == DOCUMENT


def test_every_schema_the_description_names_is_in_it() -> None:
    text = json.dumps(DOCUMENT)
    named = set(re.findall(r'"#/components/schemas/([A-Za-z]+)"', text))
    assert named <= set(DOCUMENT["components"]["schemas"])
    assert set(DOCUMENT["components"]["schemas"]) <= named  # and nothing unused
    for schema in DOCUMENT["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


# -- (b) the routes ------------------------------------------------------------------------------


def _example(path: str) -> str:
    """A concrete route for a described path: its id the largest the description allows."""
    return re.sub(r"\{[a-z]+\}", str(MAX_ID), path).removeprefix("/api/")


def test_every_route_of_the_app_is_described_and_nothing_else() -> None:
    described = list(DOCUMENT["paths"])
    routes = [pattern for pattern, _ in _ROUTES]
    for path in described:  # each described path is answered by exactly one route
        matching = [route.pattern for route in routes if route.fullmatch(_example(path))]
        assert len(matching) == 1, (path, matching)
    for route in routes:  # each route answers exactly one described path
        matching = [path for path in described if route.fullmatch(_example(path))]
        assert len(matching) == 1, (route.pattern, matching)
    assert all(set(item) == {"get"} for item in DOCUMENT["paths"].values())  # the app answers GET alone


def test_a_path_parameter_is_an_id_of_at_most_the_digits_a_route_takes() -> None:
    for path, item in DOCUMENT["paths"].items():
        for parameter in item["get"].get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 10**ID_DIGITS - 1}
                assert "404" in item["get"]["responses"], path


# -- (c) every real answer fits ------------------------------------------------------------------


def _item_ids(case: Path) -> dict[str, list[int]]:
    """Ids of every kind of item in the case, and one that is in none (for the 404)."""
    with CaseReader(case) as reader:
        segments = reader.segment_ids()
        families = [f.id for f in reader.families()]
        copies = [m.segment.id for f in reader.families() for m in f.members if m.parent is not None]
        documents = sorted({s.document for s in reader.segments(segments).values()})
        statements = [s.statement.id for s in reader.statements()]
        stories = [s.id for s in reader.stories()]
        claims = [c.id for c in reader.claims()]
    return {"family": families, "pair": copies, "document": documents, "segment": segments,
            "statement": statements, "story": stories, "claim": claims}


def _requests(case: Path) -> Iterator[tuple[str, str]]:
    """(described path, request) for every item of the case and every list with its filters."""
    ids = _item_ids(case)
    for path in DOCUMENT["paths"]:
        found = re.search(r"\{([a-z]+)\}", path)
        if found:
            for item_id in [*ids[found.group(1)], MAX_ID]:  # MAX_ID is in no case: a 404
                yield path, path.replace(found.group(0), str(item_id))
        else:
            yield path, path
    for query in ("page=2", "page=999999", "page=0"):
        for path in ("/api/families", "/api/problems", "/api/statements", "/api/stories", "/api/claims",
                     "/api/timeline", "/api/search"):
            yield path, f"{path}?{query}"
    for query in ("q=said", 'q="the+ministry"', "kind=exact", "kind=origin&from=2020-01-01&to=2030-12-31",
                  "outlet=news", "family=1", "q=said&kind=rewrite&page=2", f"q={'x' * (MAX_PARAMETER + 1)}"):
        yield "/api/search", f"/api/search?{query}"
    for story in ids["story"][:5]:
        yield "/api/claims", f"/api/claims?story={story}"
        yield "/api/timeline", f"/api/timeline?story={story}&kind=mentioned"
    yield "/api/statements", "/api/statements?altered=1"
    yield "/api/timeline", "/api/timeline?kind=elsewhen"  # 400
    yield "/api/claim/{claim}", "/api/claim/first"  # 400


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_every_answer_from_the_demo_and_hostile_cases_fits_its_schema(name: str, request: pytest.FixtureRequest) -> None:
    server: CaseServer = request.getfixturevalue(name)
    case: Path = request.getfixturevalue(name + "_case")
    statuses: dict[int, int] = {}
    for path, asked in _requests(case):
        status, content_type, body = get(server, asked)
        assert content_type == "application/json; charset=utf-8", asked
        assert str(status) in DOCUMENT["paths"][path]["get"]["responses"], (asked, status)
        conforms(path, status, body)
        statuses[status] = statuses.get(status, 0) + 1
    assert statuses[200] > 40 and statuses[404] >= 8 and statuses[400] >= 3, statuses  # each kind was seen


def test_between_them_the_two_cases_fill_every_list(demo: CaseServer, hostile: CaseServer) -> None:
    """So that the schema check above read real records of every kind, not only empty pages."""
    for route in ("families", "problems", "stories", "claims", "timeline", "search", "statements"):
        assert get(demo, f"/api/{route}")[2]["items"] or get(hostile, f"/api/{route}")[2]["items"], route
    assert get(demo, "/api/sources")[2]


def test_a_record_that_breaks_its_schema_is_caught() -> None:
    """The schemas are strict: a missing, extra or mistyped field fails, so the checks above mean something."""
    good = {"items": [], "page": 1, "per_page": 50, "total": 0}
    conforms("/api/families", 200, good)
    for bad in ({**good, "extra": 1}, {k: v for k, v in good.items() if k != "total"}, {**good, "page": "1"},
                {**good, "items": [{"id": 1}]}):
        with pytest.raises(jsonschema.ValidationError):
            conforms("/api/families", 200, bad)


# -- the bounds the description states are where the app draws the line ----------------------------


def test_each_bound_in_the_description_is_the_apps_own(demo: CaseServer) -> None:
    at_most = "a" * MAX_PARAMETER
    for path, item in DOCUMENT["paths"].items():
        for parameter in item["get"].get("parameters", []):
            schema, name = parameter["schema"], parameter["name"]
            if parameter["in"] == "path":
                inside = path.replace("{" + name + "}", str(schema["maximum"]))
                outside = path.replace("{" + name + "}", str(schema["maximum"] + 1))
                assert get(demo, inside)[0] == 404  # a well-formed id that is in no case
                assert get(demo, outside)[0] in (400, 404)  # too many digits: not an id
                continue
            if "enum" in schema:
                cases = [(value, 200) for value in schema["enum"]]
                cases += [("none-of-these", 400), (schema["enum"][0] + "%0B", 400), ("", 200)]  # empty: as none
            elif schema["type"] == "integer":
                cases = [(str(schema["minimum"]), 200), (str(schema["minimum"] - 1), 400), ("1.5", 400), ("x", 400),
                         ("%201", 400), ("%0B", 400), ("", 200)]
                if "maximum" in schema:
                    cases += [(str(schema["maximum"]), 200), (str(schema["maximum"] + 1), 400)]
            else:
                cases = [(at_most, 200), (at_most + "a", 400)]
            for value, expected in cases:
                status, _, body = get(demo, f"{path}?{name}={value}")
                assert status == expected, (path, name, value[:20], status, body)


# -- what the fuzzing found ------------------------------------------------------------------------


def test_a_search_holding_a_nul_character_is_searched_as_two_words(demo: CaseServer) -> None:
    status, _, body = get(demo, "/api/search?q=said%00the")  # was a dropped connection: FTS5 ends a query at NUL
    assert status == 200 and body["total"] == get(demo, "/api/search?q=said+the")[2]["total"] > 0
    conforms("/api/search", 200, body)
    assert get(demo, "/api/search?q=%00")[0] == 200


@pytest.mark.parametrize("asked", ["/api/families?page=%C2%B2", "/api/claims?story=%C2%B2",
                                   "/api/search?family=%D9%A3"])
def test_digits_other_than_ascii_are_refused_as_not_a_whole_number(demo: CaseServer, asked: str) -> None:
    status, _, body = get(demo, asked)  # "²".isdigit() is true, and int("²") raised: a dropped connection
    assert status == 400 and "whole number" in body["error"]


def test_a_fault_of_the_apps_own_is_a_json_500_not_a_dropped_connection(demo: CaseServer,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(route: str, query: dict[str, list[str]]) -> bytes:
        raise RuntimeError("a fault")

    monkeypatch.setattr(demo.app, "api_json", broken)
    status, content_type, body = get(demo, "/api/overview")
    assert (status, content_type, body) == (500, "application/json; charset=utf-8", {"error": "internal error"})


# -- (d) fuzzing ---------------------------------------------------------------------------------

EXAMPLES = 30  # per operation and mode: about 30 s for the 17 operations on 2 cores


@pytest.mark.slow
def test_fuzzing_every_operation_on_the_demo_case_finds_no_error_and_no_answer_off_its_schema(
        demo: CaseServer) -> None:
    report = fuzz(base_url(demo), EXAMPLES)
    assert report.failures == []
    fuzzed = {label.split()[1] for label in report.per_operation}
    assert fuzzed == set(DOCUMENT["paths"]) - {OPENAPI_PATH}  # schemathesis leaves out the route it read
    assert report.requests >= len(fuzzed) * EXAMPLES  # those with parameters in two modes, EXAMPLES each


@pytest.mark.slow
def test_fuzzing_the_hostile_case_finds_none_either(hostile: CaseServer) -> None:
    report = fuzz(base_url(hostile), EXAMPLES // 3)
    assert report.failures == []
