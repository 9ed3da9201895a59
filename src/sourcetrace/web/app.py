"""``sourcetrace serve``: a local, read-only web app over one case.

Standard library only (http.server, answered on a few threads): the app is a few
JSON routes and two static assets, so a framework would add a dependency for
nothing. It binds to 127.0.0.1 by default, reads the case only through
CaseReader (a read-only connection, ``mode=ro``), answers only the routes
below (anything else is a 404, so no request can name a file) and sends a
strict Content-Security-Policy.
"""

from __future__ import annotations

import html
import json
import re
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import parse_qs, urlsplit

from sourcetrace.store import CaseReader
from sourcetrace.views import EVENT_KINDS, KINDS, Page, SegmentFilters
from sourcetrace.views.viewer import asset
from sourcetrace.web.cache import AnswerCache
from sourcetrace.web.live_index import LiveIndex

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BadRequest(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str


class CaseApp:
    """The case, its read index (search, timeline) and the routes; shared by the request threads."""

    def __init__(self, case_path: Path, *, full_paths: bool = False) -> None:
        """``full_paths``: show inputs' stored paths, not paths relative to the runs' inputs."""
        self.case_path = case_path
        self.full_paths = full_paths
        self.name = case_path.name
        self._local = threading.local()
        # Refuses a missing file, or one that is not a case; paths shown as the requests' readers show them.
        self.index = LiveIndex(case_path, full_paths=full_paths)
        self.answers = AnswerCache(case_path, also=lambda: self.index.generation)
        self.assets = {
            "/": Asset(self._shell().encode("utf-8"), "text/html; charset=utf-8"),
            "/assets/app.js": Asset(asset("app.js").encode("utf-8"), "text/javascript; charset=utf-8"),
            "/assets/app.css": Asset(asset("app.css").encode("utf-8"), "text/css; charset=utf-8"),
        }

    def _shell(self) -> str:
        name = html.escape(self.name, quote=True)
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>sourcetrace: {name}</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>"
                f"<body data-case=\"{name}\"><main id=\"main\" aria-busy=\"true\"></main>"
                "<script src=\"/assets/app.js\"></script></body></html>\n")

    def reader(self) -> CaseReader:
        """One reader per request thread (a connection serves one thread), with the read index attached."""
        generation, index = self.index.current()
        reader: CaseReader | None = getattr(self._local, "reader", None)
        if reader is None or self._local.generation != generation:
            if reader is not None:
                reader.close()  # attached to an index built before the case last changed
            reader = CaseReader(self.case_path, full_paths=self.full_paths)
            reader.attach_read_index(index)
            self._local.reader, self._local.generation = reader, generation
        return reader

    def close(self) -> None:
        self.index.close()

    def api(self, route: str, query: dict[str, list[str]]) -> object | None:
        """The payload of an /api route, or None for an unknown route or item."""
        for pattern, handler in _ROUTES:
            found = pattern.fullmatch(route)
            if found:
                return handler(self.reader(), _Params(query), *found.groups())
        return None

    def api_json(self, route: str, query: dict[str, list[str]]) -> bytes | None:
        """The payload as JSON, kept for the next request for the same route and parameters."""
        key = (route, tuple(sorted((name, tuple(values)) for name, values in query.items())))
        return self.answers.get(key, lambda: _json_or_none(self.api(route, query)))


def _json_or_none(payload: object | None) -> bytes | None:
    if payload is None:
        return None
    return _encode(asdict(payload) if is_dataclass(payload) else payload)  # type: ignore[arg-type]


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


# The longest value a parameter may have: a search of 1,000 characters is a long
# pasted passage; more only costs the search index time (docs/report-and-app.md).
MAX_PARAMETER = 1000
# Pages past this are read as this one, past the last page of any case: the
# offset stays within SQLite's integers and the answer is an empty page.
MAX_PAGE = 10**12
# The most digits an id (in a path, or ?family= and ?story=) may have.
ID_DIGITS = 12


def _whole_number(value: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²" and other digits that int() refuses."""
    return value.isascii() and value.isdigit()


class _Params:
    def __init__(self, query: dict[str, list[str]]) -> None:
        self.query = query

    def raw(self, name: str) -> str | None:
        """The parameter's first value as sent; an empty one (a form's blank field) is as none."""
        value = (self.query.get(name) or [""])[0]
        if len(value) > MAX_PARAMETER:
            label = "query" if name == "q" else name
            raise BadRequest(f"{label} too long: {len(value)} characters, at most {MAX_PARAMETER}")
        return value or None

    def text(self, name: str) -> str | None:
        """Text with the spaces around it dropped: only spaces is as none."""
        return (self.raw(name) or "").strip() or None

    # Numbers and choices are taken as sent: " 2" or "exact\v" is refused, not read as 2 or exact
    # (as the description, web/openapi.py, says: a whole number, or one of the choices).

    def number(self, name: str, default: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None:
            return default
        if not _whole_number(value) or len(value) > ID_DIGITS:
            raise BadRequest(f"{name} must be a positive whole number")
        return max(1, int(value))

    def page(self) -> int:
        """The page asked for; one beyond the last is an empty page (with the total), not an error."""
        value = self.raw("page")
        if value is None:
            return 1
        if not _whole_number(value):
            raise BadRequest("page must be a positive whole number")
        return max(1, min(MAX_PAGE, int(value)))

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.raw(name)
        if value is not None and value not in allowed:
            raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
        return value

    def filters(self) -> SegmentFilters:
        return SegmentFilters(kind=self.choice("kind", KINDS), family=self.number("family"),
                              outlet=self.text("outlet"), date_from=self.text("from"), date_to=self.text("to"))


def _search(reader: CaseReader, p: _Params) -> object:
    # A NUL ends an FTS5 query early (SQLite: "unterminated string"); no extracted text holds one,
    # so it is read as the space between two words.
    query = (p.text("q") or "").replace("\0", " ").strip() or None
    if query is None:
        return reader.browse(p.filters(), p.page())
    return reader.search(query, p.filters(), p.page())


class SegmentText(TypedDict):
    """A segment's text (/api/text/ID), which the viewer fetches when it needs the text alone."""

    text: str


def _text(reader: CaseReader, p: _Params, segment: str) -> SegmentText | None:
    text = reader.segment_text(int(segment))
    return None if text is None else {"text": text}


def _sources(reader: CaseReader, p: _Params) -> object:
    """Every outlet, unpaged: the viewer loads them once to show each segment's outlet type."""
    return [asdict(source) for source in reader.sources()]


def _timeline(reader: CaseReader, p: _Params) -> object:
    return reader.events_page(p.page(), story=p.number("story"), kind=p.choice("kind", EVENT_KINDS))


def _claims(reader: CaseReader, p: _Params, per_page: int = 50) -> object:
    """The claims, paged like the other lists: supplied ones in the order added, then found ones;
    with ?story=N, only those with a position in that story."""
    story = p.number("story")
    claims = [c for c in reader.claims() if story is None or story in c.stories]
    page = p.page()
    return Page(tuple(claims[(page - 1) * per_page:page * per_page]), page, per_page, len(claims))


def _claim(reader: CaseReader, p: _Params, claim_id: str) -> object | None:
    if not _whole_number(claim_id) or len(claim_id) > ID_DIGITS:
        raise BadRequest("a claim id must be a positive whole number")
    return reader.claim(int(claim_id))


def _openapi(reader: CaseReader, p: _Params) -> object:
    from sourcetrace.web.openapi import openapi_document  # it reads this module's limits

    return openapi_document()


Handler = Callable[..., object | None]
_ID = rf"([0-9]{{1,{ID_DIGITS}}})"
_ROUTES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (re.compile(r"overview"), lambda reader, p: reader.overview()),
    (re.compile(r"families"), lambda reader, p: reader.families_page(p.page())),
    (re.compile(f"family/{_ID}"), lambda reader, p, fid: reader.family(int(fid))),
    (re.compile(f"pair/{_ID}"), lambda reader, p, sid: reader.pair(int(sid))),
    (re.compile(f"document/{_ID}"), lambda reader, p, did: reader.document(int(did))),
    (re.compile(r"problems"), lambda reader, p: reader.problems_page(p.page())),
    (re.compile(r"search"), _search),
    (re.compile(f"text/{_ID}"), _text),
    (re.compile(r"statements"), lambda reader, p: reader.statements_page(
        p.page(), speaker=p.text("speaker"), altered_only=p.text("altered") is not None)),
    (re.compile(f"statement/{_ID}"), lambda reader, p, sid: reader.statement(int(sid))),
    (re.compile(r"stories"), lambda reader, p: reader.stories_page(p.page())),
    (re.compile(f"story/{_ID}"), lambda reader, p, sid: reader.story(int(sid))),
    (re.compile(r"claims"), _claims),
    (re.compile(r"claim/([^/]+)"), _claim),
    (re.compile(r"sources"), _sources),
    (re.compile(r"timeline"), _timeline),
    (re.compile(r"openapi\.json"), _openapi),
)


class CaseRequestHandler(BaseHTTPRequestHandler):
    server_version = "sourcetrace"
    sys_version = ""
    timeout = 30  # seconds a connection may stay silent: an idle client must not hold one of the few threads
    app: CaseApp  # set on the subclass made by make_server
    app_address: tuple[str, int]  # likewise: the bound host and port

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send_json(HTTPStatus.MISDIRECTED_REQUEST, {"error": "unknown host"})
            return
        parts = urlsplit(self.path)
        # The raw path is matched exactly: a percent-encoded or dotted path matches no route.
        if parts.path in self.app.assets:
            found = self.app.assets[parts.path]
            self._send(HTTPStatus.OK, found.body, found.content_type)
        elif parts.path.startswith("/api/"):
            self._api(parts.path[len("/api/"):], parse_qs(parts.query))
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def _host_allowed(self) -> bool:
        """On loopback, only requests addressed to loopback: a web page cannot reach the case by DNS rebinding."""
        host, port = self.app_address
        if host not in ("127.0.0.1", "::1", "localhost"):
            return True  # the user chose to serve on a network address
        return self.headers.get("Host", "") in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def do_HEAD(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a request line over 64 KiB, a malformed request, another method)
        as JSON with the same headers as every answer, not its HTML page."""
        self.close_connection = True
        status = HTTPStatus(code)
        self._send_json(status, {"error": message or status.phrase.lower()})

    def _api(self, route: str, query: dict[str, list[str]]) -> None:
        try:
            body = self.app.api_json(route, query)
        except BadRequest as error:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": str(error)})
            return
        except Exception:
            # A fault of the app's own: answered, not a dropped connection, and raised on to
            # CaseServer._answer, which prints it. The fuzzing (tests/web/test_openapi.py) looks for these.
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"})
            raise
        if body is None:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        else:
            self._send(HTTPStatus.OK, body, "application/json; charset=utf-8")

    def _send_json(self, status: HTTPStatus, payload: Any) -> None:
        self._send(status, _encode(payload), "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the terminal shows the address, not every request


# Requests are answered by a fixed set of threads, each keeping its case reader
# (SQLite connections serve one thread): a thread per request would open the
# case afresh for every request. SQLite releases the GIL while it reads, so a
# few threads keep both cores busy; more queue (docs/benchmarks.md, "App under load").
REQUEST_THREADS = 8


class CaseServer(HTTPServer):
    # The listen backlog: many clients connecting at once wait in it, where the
    # default of 5 drops their connections (a dropped connection costs its client a 1 s retry).
    request_queue_size = 128

    def __init__(self, app: CaseApp, host: str, port: int, *, threads: int = REQUEST_THREADS) -> None:
        handler: type[CaseRequestHandler] = type("BoundHandler", (CaseRequestHandler,), {"app": app})
        super().__init__((host, port), handler)
        handler.app_address = (str(self.server_address[0]), int(self.server_address[1]))
        self.app = app
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="sourcetrace-request")

    def process_request(self, request: Any, client_address: Any) -> None:
        self._threads.submit(self._answer, request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        """What ThreadingMixIn does in a thread of its own, on one of the pool's threads."""
        try:
            self.finish_request(request, client_address)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away before its answer: nothing to tell anyone
        except Exception:  # noqa: BLE001  (http.server's own handling: print it, keep serving)
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/" if isinstance(host, str) else f"http://{host.decode()}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.app.close()


def make_server(case_path: str | Path, host: str = "127.0.0.1", port: int = 0, *,
                full_paths: bool = False) -> CaseServer:
    """A server for ``case_path``, bound but not yet serving; port 0 picks a free port."""
    app = CaseApp(Path(case_path), full_paths=full_paths)
    try:
        return CaseServer(app, host, port)
    except BaseException:  # the port is taken, say: the read index (a copy of the texts) goes too
        app.close()
        raise


def serve(case_path: str | Path, host: str = "127.0.0.1", port: int = 0,
          announce: Callable[[str], None] = print, *, full_paths: bool = False) -> None:
    """Serve the case until interrupted (Ctrl-C, or SIGTERM or SIGHUP), announcing the address first.

    Each way of stopping closes the server, which removes its read index: that
    holds a copy of the case's texts, and must not outlive the app.
    """
    server = make_server(case_path, host, port, full_paths=full_paths)
    try:
        with _stopped_by_signals(server):
            announce(f"sourcetrace is serving {Path(case_path).name} at {server.url}  (Ctrl-C to stop)")
            server.serve_forever()
    except KeyboardInterrupt:  # served from another thread than the main one: Ctrl-C arrives as this
        pass
    finally:
        server.server_close()


@contextmanager
def _stopped_by_signals(server: CaseServer) -> Iterator[None]:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP (kill, a closed terminal) stop the server: the
    handler asks ``serve_forever`` to return, from a thread of its own (``shutdown`` waits
    for the loop). It raises nothing: an exception raised wherever the main thread happens
    to be (inside the request threads' executor, holding its lock) can leave the process
    hanging at exit. Handlers run only in the main thread; a SIGINT that the process was
    started ignoring (a background job) stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, name="sourcetrace-stop", daemon=True).start()

    stopping = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    stopping = [s for s in stopping if not (s == signal.SIGINT and signal.getsignal(s) == signal.SIG_IGN)]
    before = {s: signal.signal(s, stop) for s in stopping}
    try:
        yield
    finally:
        for stop_signal, handler in before.items():
            signal.signal(stop_signal, handler)
