"""Helpers for the SPARQL endpoint tests: a real server, a canary, result parsers.

- :func:`running_server`: the app under a real uvicorn on 127.0.0.1 (in a thread of the test
  process, on a port the OS picks), up until ``/health`` answers.
- :func:`canary_server`: a plain HTTP server on 127.0.0.1 that counts every request; a
  query that must not leave the endpoint must leave it at zero.
- :func:`fifo_watch`: a named pipe and a watcher that notices if anything opens it.
- :func:`query_workers`: pids of this process's query worker processes, read from /proc.
- parsers for the four SPARQL result formats and the five RDF formats, and the answer of
  ``kinerja query`` on the same store, to compare with.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import http.server
import io
import json
import os
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph

from kinerja.settings import Settings
from server.app import create_app
from tests.conftest import SHARED

W3C = SHARED / "w3c"
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
SRX = "{http://www.w3.org/2005/sparql-results#}"
PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kin: <https://w3id.org/kinerja/def#>
"""
# A query that never finishes in time on the seed build (4,650 quads, cubed).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Rdflib parser names of the graph formats the endpoint serves.
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


def require_w3c(folder: str) -> Path:
    """``../shared/w3c/<folder>``, or skip the test saying why."""
    path = W3C / folder
    if not (path / "manifest.ttl").is_file():
        pytest.skip(
            f"W3C test data not found at {path}: these tests need ../shared/w3c (see its README.md)"
        )
    return path


@contextlib.contextmanager
def app_client(settings: Settings) -> Iterator[TestClient]:
    """The app in process, its lifespan (store, query workers) running."""
    with TestClient(create_app(settings)) as client:
        yield client


# --- a real server -------------------------------------------------------------------------
@dataclass
class Running:
    url: str  # http://127.0.0.1:<port>
    server: uvicorn.Server
    app: object

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@contextlib.contextmanager
def running_server(settings: Settings, timeout: float = 60.0) -> Iterator[Running]:
    """``create_app(settings)`` under uvicorn on 127.0.0.1; stopped on exit."""
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped while starting (see the log above)")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start within {timeout} s")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    running = Running(f"http://127.0.0.1:{port}", server, app)
    try:
        assert httpx.get(running.url + "/health", timeout=10).status_code == 200
        yield running
    finally:
        server.should_exit = True
        thread.join(timeout=30)


# --- a canary that must never be called -----------------------------------------------------
@dataclass
class Canary:
    url: str  # http://127.0.0.1:<port>/
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def canary_server() -> Iterator[Canary]:
    """An HTTP server that records each request it gets (answering an empty result)."""
    canary = Canary("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            canary.requests.append(f"{self.command} {self.path}")
            body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, format, *args) -> None:  # quiet
            pass

    with local_http_server(Handler) as url:
        canary.url = url + "/"
        yield canary


@contextlib.contextmanager
def local_http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served on 127.0.0.1 in threads of this process; yields its
    ``http://127.0.0.1:<port>`` (no trailing slash)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True  # a handler still waiting does not hold up the end
    thread = threading.Thread(target=httpd.serve_forever, name=handler.__name__, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- a file that must never be opened -------------------------------------------------------
@dataclass
class FifoWatch:
    path: Path
    opened: int = 0


@contextlib.contextmanager
def fifo_watch(folder: Path) -> Iterator[FifoWatch]:
    """A named pipe; counts the times a reader had it open (a reader would block on it).

    A non-blocking open for writing succeeds only while some process has the pipe open for
    reading (or waits to), so polling it notices any reader, in any process.
    """
    watch = FifoWatch(folder / "graph.ttl")
    os.mkfifo(watch.path)
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                fd = os.open(watch.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
            else:
                watch.opened += 1
                os.close(fd)  # the reader sees end of file and stops waiting
            stop.wait(0.005)

    thread = threading.Thread(target=poll, name="fifo-watch", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        stop.set()
        thread.join(timeout=5)


# --- worker processes ----------------------------------------------------------------------
def query_workers() -> set[int]:
    """Pids of the live query worker processes started by this process (from /proc)."""
    me = os.getpid()
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields_ = stat[stat.rindex(")") + 2 :].split()
        state, ppid = fields_[0], int(fields_[1])
        if ppid == me and state != "Z" and b"spawn_main" in cmdline:
            pids.add(int(entry.name))
    return pids


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU time so far of the live processes among ``pids``."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields_ = stat[stat.rindex(")") + 2 :].split()
        ticks += int(fields_[11]) + int(fields_[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_for(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# --- reading results -----------------------------------------------------------------------
def term_key(term: dict) -> tuple[str, str, str]:
    """A SPARQL JSON term as (kind, value, datatype-or-@lang), with xsd:string explicit."""
    kind = "literal" if term["type"] in ("literal", "typed-literal") else term["type"]
    if kind != "literal":
        return kind, term["value"], ""
    if "xml:lang" in term:
        return kind, term["value"], "@" + term["xml:lang"].lower()
    return kind, term["value"], term.get("datatype", "http://www.w3.org/2001/XMLSchema#string")


def json_rows(data: dict) -> list[dict[str, tuple]]:
    return [{k: term_key(v) for k, v in b.items()} for b in data["results"]["bindings"]]


def xml_rows(body: bytes) -> tuple[list[str], list[dict[str, tuple]]]:
    """Variables and rows of a SPARQL XML result, terms as :func:`term_key` gives them."""
    root = ET.fromstring(body)
    names = [v.get("name") for v in root.iter(SRX + "variable")]
    rows = []
    for result in root.iter(SRX + "result"):
        row = {}
        for binding in result.iter(SRX + "binding"):
            node = binding[0]
            kind = node.tag[len(SRX) :]
            term = {"type": kind, "value": node.text or ""}
            if kind == "literal":
                lang = node.get("{http://www.w3.org/XML/1998/namespace}lang")
                if lang:
                    term["xml:lang"] = lang
                elif node.get("datatype"):
                    term["datatype"] = node.get("datatype")
            row[binding.get("name")] = term_key(term)
        rows.append(row)
    return names, rows


def xml_boolean(body: bytes) -> bool:
    node = ET.fromstring(body).find(SRX + "boolean")
    assert node is not None, body
    return node.text.strip() == "true"


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def tsv_rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def parse_rdf(body: bytes, fmt: str) -> Graph:
    """A graph response parsed back with rdflib (``fmt`` is the endpoint's format name)."""
    if fmt == "nquads":
        dataset = Dataset()
        dataset.parse(data=body, format="nquads")
        return Graph().__iadd__((s, p, o) for s, p, o, _g in dataset.quads())
    return Graph().parse(data=body, format=RDFLIB_FORMATS[fmt])


# --- HTML ----------------------------------------------------------------------------------
class Elements(HTMLParser):
    """Text of the elements of an HTML page, by tag and by class (a tiny selector)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict, list[str]]] = []
        self._open: list[tuple[str, dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        self.found.append(element)
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, _attrs, texts in self._open:
            texts.append(data)

    def select(self, tag: str, cls: str | None = None, **attrs) -> list[tuple[dict, str]]:
        out = []
        for t, a, texts in self.found:
            if t != tag or (cls and cls not in (a.get("class") or "").split()):
                continue
            if all(a.get(k) == v for k, v in attrs.items()):
                out.append((a, "".join(texts)))
        return out


def assert_short_error(response, status: int | tuple[int, ...] | None = None) -> str:
    """A client error: plain text, short, no stack trace; its text."""
    if status is None:
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
    else:
        wanted = status if isinstance(status, tuple) else (status,)
        assert response.status_code in wanted, (response.status_code, response.text)
    text = response.text
    assert "Traceback" not in text and 'File "' not in text, text
    assert len(text) < 2000, text
    return text


def kinerja_query_json(store_dir: Path, query: str, capture) -> dict:
    """What ``kinerja query --format json`` prints for ``query`` on ``store_dir``.

    ``capture`` is pytest's ``capsys`` or ``capsysbinary`` fixture.
    """
    from kinerja.cli import main

    capture.readouterr()
    status = main(["query", query, "--format", "json", "--store-dir", str(store_dir)])
    out = capture.readouterr().out
    assert status == 0, out
    return json.loads(out)
