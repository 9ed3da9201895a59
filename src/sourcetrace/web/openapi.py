"""The app's OpenAPI 3.1 description (``GET /api/openapi.json``).

The response schemas are made from the view records (views/records.py) by
walking their fields' type hints, so a field added, renamed or retyped there
is described here without anyone editing this file. What is written by hand
is what a type cannot say: each route's path, its parameters with the bounds
web/app.py enforces (read from its constants), and which routes answer 404 for
an unknown item. tests/web/test_openapi.py checks the description against the
route table and every real answer, and fuzzes the app with it (schemathesis).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints, is_typeddict

from sourcetrace.views import (
    EVENT_KINDS,
    KINDS,
    ClaimSummary,
    ClaimView,
    DocumentView,
    EventView,
    FamilySummary,
    FamilyView,
    Overview,
    Page,
    PairView,
    ProblemView,
    SearchPage,
    SourceView,
    StatementSummary,
    StatementView,
    StorySummary,
    StoryView,
)
from sourcetrace.web.app import ID_DIGITS, MAX_PAGE, MAX_PARAMETER, SegmentText

JsonSchema = dict[str, Any]

OPENAPI_VERSION = "3.1.0"
_PRIMITIVES: dict[object, str] = {str: "string", int: "integer", float: "number", bool: "boolean",
                                  type(None): "null"}


class SchemaMaker:
    """JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the JSON that ``dataclasses.asdict`` and
    ``json.dumps`` make of a type: dataclasses become objects under components/schemas, tuples,
    lists and NamedTuples arrays, ``X | None`` a choice with null."""

    def __init__(self) -> None:
        self.components: dict[str, JsonSchema] = {}

    def schema(self, hint: object, bound: Mapping[object, object] | None = None) -> JsonSchema:
        bound = bound or {}
        if isinstance(hint, TypeVar):
            if hint not in bound:
                raise TypeError(f"unbound type variable {hint}")
            return self.schema(bound[hint])
        if hint in _PRIMITIVES:
            return {"type": _PRIMITIVES[hint]}
        origin, args = get_origin(hint), get_args(hint)
        if origin is Literal:
            return {"enum": list(args)}
        if origin is Union or origin is types.UnionType:
            return self._union([self.schema(arg, bound) for arg in args])
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.schema(args[0], bound)}
            return self._fixed_array([self.schema(arg, bound) for arg in args])
        if origin is list:
            return {"type": "array", "items": self.schema(args[0], bound)}
        if origin is dict:
            if args[0] is not str:
                raise TypeError(f"JSON object keys are strings, not {args[0]}")
            return {"type": "object", "additionalProperties": self.schema(args[1], bound)}
        if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):  # a NamedTuple
            hints = get_type_hints(hint)
            return self._fixed_array([self.schema(hints[name], bound) for name in hint._fields])
        if isinstance(hint, type) and is_typeddict(hint):
            return {"$ref": "#/components/schemas/" + self._typed_dict(hint)}
        record = origin if origin is not None else hint
        if isinstance(record, type) and dataclasses.is_dataclass(record):
            return {"$ref": "#/components/schemas/" + self._record(record, args)}
        raise TypeError(f"no JSON schema for {hint!r}")

    def _record(self, record: type, args: tuple[object, ...]) -> str:
        """The component for a dataclass (of its type arguments, for a generic one such as Page[T])."""
        name = record.__name__ + "".join(_name(arg) for arg in args)
        if name in self.components:
            return name
        self.components[name] = {}  # placed first: a record that holds itself refers to it, not loops
        bound = dict(zip(getattr(record, "__parameters__", ()), args))
        hints = get_type_hints(record)
        fields = dataclasses.fields(record)
        self.components[name] = self._described(record, {
            "type": "object",
            "properties": {field.name: self.schema(hints[field.name], bound) for field in fields},
            "required": [field.name for field in fields],  # asdict writes every field
            "additionalProperties": False,
        })
        return name

    def _typed_dict(self, record: type) -> str:
        name = record.__name__
        if name not in self.components:
            hints = get_type_hints(record)
            self.components[name] = self._described(record, {
                "type": "object",
                "properties": {key: self.schema(hint) for key, hint in hints.items()},
                "required": sorted(getattr(record, "__required_keys__", hints)),
                "additionalProperties": False,
            })
        return name

    @staticmethod
    def _described(record: type, schema: JsonSchema) -> JsonSchema:
        """With the record's docstring, unless it has only the signature dataclass writes by itself."""
        doc = " ".join((record.__doc__ or "").split())
        if not doc or doc.startswith(record.__name__ + "(") or record.__doc__ == dict.__doc__:
            return schema
        return {"description": doc, **schema}

    @staticmethod
    def _union(choices: list[JsonSchema]) -> JsonSchema:
        if all(set(choice) == {"type"} and isinstance(choice["type"], str) for choice in choices):
            return {"type": [choice["type"] for choice in choices]}
        return {"anyOf": choices}

    @staticmethod
    def _fixed_array(items: list[JsonSchema]) -> JsonSchema:
        return {"type": "array", "prefixItems": items, "items": False, "minItems": len(items),
                "maxItems": len(items)}


def _name(hint: object) -> str:
    return getattr(hint, "__name__", None) or str(hint)


# -- the routes ----------------------------------------------------------------------------------

MAX_ID = 10**ID_DIGITS - 1
"""The largest id a route takes: ids of more digits match no route (404), or are refused (400)."""

_PAGE = {"type": "integer", "minimum": 0,
         "description": f"1 is the first; 0 is read as 1, and pages above {MAX_PAGE} as {MAX_PAGE}. A page "
                        "beyond the last is an empty page with the list's total, not an error."}
_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}


def _text(description: str) -> JsonSchema:
    return {"type": "string", "maxLength": MAX_PARAMETER, "description": description}


QUERY_PARAMETERS: dict[str, JsonSchema] = {
    "page": _PAGE,
    "q": _text("Words to search for, every one of them; \"quoted words\" as a phrase. Empty: browse."),
    "kind": {"type": "string", "enum": list(KINDS), "description": "Only segments of this kind in their family."},
    "family": {**_ID, "description": "Only the segments of this family."},
    "outlet": _text("Only segments whose site, credit, URL or input path holds this, in any case."),
    "from": _text("Only segments published on or after this date (ISO 8601, compared as text)."),
    "to": _text("Only segments published on or before this date, all of its day (ISO 8601)."),
    "speaker": _text("Only the statements of this speaker."),
    "altered": _text("Any value but empty: only statements with an occurrence whose words differ."),
    "story": {**_ID, "description": "Only those of this story."},
    "event_kind": {"type": "string", "enum": list(EVENT_KINDS), "description": "Only events of this kind."},
}
"""Every query parameter a route reads. Each is read from its first value; others are ignored, and
an empty value is as none. ``event_kind`` is the timeline's ``kind``."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One GET route: its path (with ``{name}`` for an id), what it answers, and what it reads."""

    path: str
    summary: str
    returns: object  # the type whose asdict/json.dumps is the 200 body
    query: tuple[str, ...] = ()  # names in QUERY_PARAMETERS
    item: bool = False  # an unknown id is a 404

    @property
    def path_parameter(self) -> str | None:
        return self.path.split("{", 1)[1].rstrip("}") if "{" in self.path else None


OPENAPI_PATH = "/api/openapi.json"
_SEARCH = ("q", "kind", "family", "outlet", "from", "to", "page")

OPERATIONS: tuple[Operation, ...] = (
    Operation("/api/overview", "What the case holds, in figures.", Overview),
    Operation("/api/families", "The families with copies, largest first, 50 a page.", Page[FamilySummary], ("page",)),
    Operation("/api/family/{family}", "A family: its origin and every member, origin first.", FamilyView, item=True),
    Operation("/api/pair/{segment}", "A copy beside the segment it derives from.", PairView, item=True),
    Operation("/api/document/{document}", "A document's text, its segments and shared passages.", DocumentView,
              item=True),
    Operation("/api/problems", "What the runs could not take, with reasons, 50 a page.", Page[ProblemView], ("page",)),
    Operation("/api/search", "Segments matching words (best first, or in id order when too many match) or, "
              "without q, the filters (in id order).", SearchPage, _SEARCH),
    Operation("/api/text/{segment}", "A segment's text.", SegmentText, item=True),
    Operation("/api/statements", "The statements, 50 a page.", Page[StatementSummary], ("page", "speaker", "altered")),
    Operation("/api/statement/{statement}", "A statement with every occurrence, in date order.", StatementView,
              item=True),
    Operation("/api/stories", "The stories, most independent sources first, 50 a page.", Page[StorySummary], ("page",)),
    Operation("/api/story/{story}", "A story with its families, segments, statements and events.", StoryView,
              item=True),
    Operation("/api/claims", "The claims, supplied ones first, 50 a page.", Page[ClaimSummary], ("page", "story")),
    Operation("/api/claim/{claim}", "A claim with every position, side by side.", ClaimView, item=True),
    Operation("/api/sources", "Every outlet with its type, unpaged.", list[SourceView]),
    Operation("/api/timeline", "The dated events in date order, 50 a page.", Page[EventView],
              ("page", "story", "event_kind")),
    Operation(OPENAPI_PATH, "This description.", dict[str, Any]),
)


def _error(description: str) -> JsonSchema:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"],
          "additionalProperties": False, "description": "What was refused, in words."}


def _parameter(name: str, location: str) -> JsonSchema:
    schema = dict(QUERY_PARAMETERS[name]) if location == "query" else dict(_ID)
    description = schema.pop("description", None)
    described: JsonSchema = {"name": "kind" if name == "event_kind" else name, "in": location,
                             "required": location == "path", "schema": schema}
    if location == "query":
        described["allowEmptyValue"] = True  # ?page= is as no page: _Params reads an empty value as none
    if description:
        described["description"] = description
    return described


def _operation(op: Operation, maker: SchemaMaker) -> JsonSchema:
    if op.path == OPENAPI_PATH:
        body: JsonSchema = {"type": "object", "required": ["openapi", "info", "paths"]}
    else:
        body = maker.schema(op.returns)
    responses: JsonSchema = {
        "200": {"description": op.summary, "content": {"application/json": {"schema": body}}},
    }
    if op.query:
        responses["400"] = _error(f"A parameter out of its bounds (text over {MAX_PARAMETER} characters, "
                                  "not a whole number, not one of the choices).")
    if op.item:
        responses["404"] = _error("No such item.")
    if op.path.startswith("/api/claim/"):
        responses["400"] = _error("A claim id that is not a whole number of at most "
                                  f"{ID_DIGITS} digits.")
    responses["421"] = _error("A request on loopback addressed to another host name (DNS rebinding).")
    parameters = [_parameter(op.path_parameter, "path")] if op.path_parameter else []
    parameters += [_parameter(name, "query") for name in op.query]
    described: JsonSchema = {"operationId": _operation_id(op.path), "summary": op.summary, "responses": responses}
    if parameters:
        described["parameters"] = parameters
    return described


def _operation_id(path: str) -> str:
    return path.removeprefix("/api/").split("/{")[0].replace(".", "_")


def openapi_document() -> JsonSchema:
    """The description of every /api route, as a JSON-ready dict."""
    maker = SchemaMaker()
    paths = {op.path: {"get": _operation(op, maker)} for op in OPERATIONS}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "sourcetrace serve",
            "version": "1",
            "description": "The read-only JSON routes of `sourcetrace serve` over one case "
                           "(docs/report-and-app.md). Every answer is JSON; a route not listed is a 404.",
        },
        "paths": paths,
        "components": {"schemas": {**dict(sorted(maker.components.items())), "Error": _ERROR}},
    }
