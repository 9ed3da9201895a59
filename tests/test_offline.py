"""No network: the pipeline, the report and the app run with every outbound connection refused.

Each command runs in its own Python process with a ``sitecustomize`` on
PYTHONPATH (written below) that installs an audit hook. Python raises an
audit event before every socket connect, send to an address and name
lookup, and every process starts by importing sitecustomize, including the
pipeline's workers (multiprocessing *spawns* fresh interpreters, which a
patch in the parent would not reach; they inherit the environment). The
hook refuses anything that is not loopback or a Unix socket, and records
every attempt, every process it guards and every model file opened, in one
log. The tests then read the log: no attempt, a guard in every worker, and
models only from installed packages.

The Hugging Face / transformers offline switches are removed from the
environment and HOME is an empty folder, so what keeps the run offline is
the refusal, not a library's offline mode or a warm cache.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from sourcetrace.runner import demo_corpus_path

GUARD = r'''
"""Written by tests/test_offline.py: record and refuse every connection that is not loopback or a Unix socket."""
import errno
import json
import os
import socket
import sys

_LOG = os.environ["SOURCETRACE_NET_LOG"]
_MODEL_SUFFIXES = (".safetensors", ".onnx", ".bin", ".pt", ".pth", ".gguf", ".h5", ".msgpack")
_busy = False


def _write(kind, **detail):
    global _busy
    _busy = True
    try:
        line = json.dumps({"pid": os.getpid(), "kind": kind, **detail}, default=repr) + "\n"
        fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))  # one write per line: lines from many processes do not mix
        finally:
            os.close(fd)
    finally:
        _busy = False


def _local_host(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host is None or host in ("localhost", "::1", "") or str(host).startswith("127.")


def _local_address(address):
    if address is None or isinstance(address, (str, bytes)):  # a connected socket, or a Unix socket path
        return True
    return isinstance(address, tuple) and bool(address) and _local_host(address[0])


def _hook(event, args):
    if _busy:
        return
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        if not _local_address(args[1]):
            _write("refused", event=event, address=args[1])
            raise PermissionError(errno.EACCES, "network refused by tests/test_offline.py")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        if not _local_host(args[0]):
            _write("refused", event=event, address=args[0])
            raise socket.gaierror(socket.EAI_NONAME, "name lookup refused by tests/test_offline.py")
    elif event == "open" and isinstance(args[0], str):
        path = args[0]
        if path.endswith(_MODEL_SUFFIXES) or os.path.basename(path) == "model":  # spaCy's are called "model"
            _write("model", path=os.path.realpath(path))


sys.addaudithook(_hook)
_write("process", argv=sys.orig_argv, offline_env=sorted(k for k in os.environ if k.endswith("_OFFLINE")))
'''

# Variables that would make a library stay offline, or find models somewhere else, on its own.
_OFFLINE_SWITCHES = re.compile(r"^(HF_|HUGGINGFACE|TRANSFORMERS_|SENTENCE_TRANSFORMERS|TORCH_HOME|XDG_CACHE|SPACY)")


def guarded_env(root: Path) -> dict[str, str]:
    """The environment of a guarded process: the guard first on the path, no offline switch, an empty HOME."""
    (root / "guard").mkdir(exist_ok=True)
    (root / "guard" / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    (root / "home").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not _OFFLINE_SWITCHES.match(k)}
    src = Path(__file__).resolve().parents[1] / "src"
    env.update(PYTHONPATH=os.pathsep.join([str(root / "guard"), str(src), env.get("PYTHONPATH", "")]),
               SOURCETRACE_NET_LOG=str(root / "net.log"), HOME=str(root / "home"), COLUMNS="200",
               OPENBLAS_NUM_THREADS="1")
    return env


def read_log(root: Path) -> list[dict[str, Any]]:
    log = root / "net.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def sourcetrace(root: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "sourcetrace", *args], cwd=root, env=guarded_env(root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def workers(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in log if e["kind"] == "process" and any("spawn_main" in a for a in e["argv"])]


def test_the_guard_records_and_refuses_a_connection_made_in_a_worker_process(tmp_path: Path) -> None:
    """The check of the check: a spawned worker that tries the network is caught, and its attempt logged."""
    script = (
        "import multiprocessing, socket\n"
        "def reach(_):\n"
        "    outcomes = []\n"
        "    for attempt in (lambda: socket.create_connection(('192.0.2.1', 80), timeout=2),\n"
        "                    lambda: socket.socket().connect(('192.0.2.1', 80)),\n"
        "                    lambda: socket.getaddrinfo('example.org', 443)):\n"
        "        try:\n"
        "            attempt()\n"
        "            outcomes.append('connected')\n"
        "        except OSError as error:\n"
        "            outcomes.append(type(error).__name__)\n"
        "    return outcomes\n"
        "if __name__ == '__main__':\n"
        "    with multiprocessing.get_context('spawn').Pool(1) as pool:\n"
        "        print(pool.map(reach, [0])[0])\n")
    (tmp_path / "reach.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, "reach.py"], cwd=tmp_path, env=guarded_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['gaierror', 'PermissionError', 'gaierror']"
    log = read_log(tmp_path)
    worker_pids = {e["pid"] for e in workers(log)}
    refused = [e for e in log if e["kind"] == "refused"]
    assert [(e["event"], e["pid"] in worker_pids) for e in refused] == [
        ("socket.getaddrinfo", True), ("socket.connect", True), ("socket.getaddrinfo", True)]


def api_routes(lists: dict[str, Any], family: dict[str, Any]) -> list[str]:
    """Every route of the app, with ids taken from the case's own lists and its first family."""
    routes = ["overview", "families", "problems", "search?q=minister", "search?kind=exact", "statements",
              "stories", "claims", "sources", "timeline", "timeline?kind=mentioned"]
    for listing, item in (("families", "family"), ("stories", "story"), ("claims", "claim"),
                          ("statements", "statement")):
        routes += [f"{item}/{entry['id']}" for entry in lists[listing]["items"][:2]]
    copy = next(member for member in family["members"] if member["compare_with"] is not None)
    return [*routes, f"pair/{copy['segment']['id']}", f"text/{copy['segment']['id']}",
            f"document/{copy['segment']['document']}"]


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def use_the_app(root: Path, case: Path) -> list[tuple[str, int]]:
    """Serve the case in a guarded process and request every route over loopback; (route, status) pairs."""
    server = subprocess.Popen([sys.executable, "-m", "sourcetrace", "serve", str(case)], cwd=root,
                              env=guarded_env(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        announced = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline())
        assert announced, "the app did not announce its address"
        port = int(announced.group(1))
        lists = {name: json.loads(get(port, f"/api/{name}")[1])
                 for name in ("families", "stories", "claims", "statements")}
        family = json.loads(get(port, f"/api/family/{lists['families']['items'][0]['id']}")[1])
        statuses = [(route, get(port, "/api/" + route)[0]) for route in api_routes(lists, family)]
        statuses += [(path, get(port, path)[0]) for path in ("/", "/assets/app.js", "/assets/app.css")]
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: the app closes and removes its search index
        server.wait(timeout=30)
    return statuses


@pytest.mark.slow
def test_the_pipeline_the_report_and_the_app_run_without_trying_the_network(tmp_path: Path) -> None:
    assert demo_corpus_path() is not None, "the demo corpus (examples/demo) is missing from the checkout"
    sourcetrace(tmp_path, "run", "--case", "demo.case", "--workers", "2")  # no input: the demo corpus and claims
    sourcetrace(tmp_path, "report", "demo.case", "-o", "report.html")
    statuses = use_the_app(tmp_path, tmp_path / "demo.case")

    log = read_log(tmp_path)
    assert [e for e in log if e["kind"] == "refused"] == []
    assert len(workers(log)) >= 2, "the run's worker processes were not guarded"  # so they were checked too
    assert all(e["offline_env"] == [] for e in log if e["kind"] == "process")
    assert all(status == 200 for _, status in statuses), statuses
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "demo.case" in report and not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)=\"?(https?:)?//", report)
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    models = {Path(e["path"]) for e in log if e["kind"] == "model"}
    assert models, "no model file was opened, so where models load from was not checked"
    assert all(any(installed_root in model.parents for installed_root in installed) for model in models), models
    assert list((tmp_path / "home").iterdir()) == []  # nothing downloaded or cached for later
