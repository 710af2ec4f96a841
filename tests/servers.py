"""Real triple-store servers for tests and measurements; no pytest in here.

- :func:`start_oxigraph`: the ``oxigraph`` server of the PyPI package ``oxigraph`` (it puts
  an ``oxigraph`` program in the virtualenv's bin folder).
- :func:`start_virtuoso`: a private Virtuoso (Debian package ``virtuoso-opensource``):
  its own virtuoso.ini, database, HTTP and ISQL ports in a folder of its own, never the
  system service. Writes go to the digest-authenticated endpoints as ``dba`` unless
  ``anonymous_update`` grants SPARQL Update to the anonymous ``SPARQL`` user.

Each binds 127.0.0.1 on free ports, waits until the server answers a SPARQL query and
returns a :class:`Server` (a context manager) with the endpoint URLs, the credentials and
:meth:`Server.stop`. A missing program raises :class:`ServerMissing`, saying how to
install it.

``python -m tests.servers`` measures both servers (see docs/remote-servers.md).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kinerja.remote import RemoteStore

HOST = "127.0.0.1"
START_LIMIT = 90.0  # seconds a server may take to answer its first query
STOP_LIMIT = 15.0
VIRTUOSO_USER = ("dba", "dba")  # the password a new Virtuoso database starts with


class ServerMissing(RuntimeError):
    """The server's program is not installed."""


class ServerFailed(RuntimeError):
    """The server did not start; carries the end of its log."""


@dataclass
class Server:
    name: str
    query_url: str
    update_url: str
    graph_store_url: str
    auth: tuple[str, str] | None
    process: subprocess.Popen
    folder: Path
    log: Path
    started_in: float  # seconds from launch to the first answered query
    owns_folder: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    def store(self, **options) -> RemoteStore:
        """A :class:`RemoteStore` on this server (options go to its constructor)."""
        return RemoteStore(
            self.query_url, self.update_url, self.graph_store_url, auth=self.auth, **options
        )

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL) and remove its folder if it made it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_LIMIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_LIMIT)
        if self.owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def find_program(names: list[str], hint: str) -> str:
    """The first of ``names`` in the virtualenv's bin folder or on PATH."""
    for name in names:
        beside = Path(sys.executable).with_name(name)
        if beside.is_file():
            return str(beside)
        found = shutil.which(name)
        if found:
            return found
    raise ServerMissing(f"{' or '.join(names)} is not installed; {hint}")


# --- Oxigraph ----------------------------------------------------------------------------
def start_oxigraph(
    folder: Path | None = None, *, timeout_s: int = 30, port: int | None = None
) -> Server:
    """``oxigraph serve`` on a persistent store in ``folder`` (a new temporary one if None).

    ``timeout_s`` is the server's own time limit of a query (``--timeout-s``): Oxigraph
    server takes no time limit per request, and a query the client gave up on runs
    until it ends or reaches this limit. ``port``: a free one if None (give the port of a
    stopped server, with its folder, to start it again at the same URL)."""
    program = find_program(["oxigraph"], "pip install oxigraph (in the virtualenv)")
    folder, owns = _folder(folder, "oxigraph-")
    port = port or free_port()
    base = f"http://{HOST}:{port}"
    log = folder / "oxigraph.log"
    command = [
        program, "serve", "--location", str(folder / "data"), "--bind", f"{HOST}:{port}",
        "--timeout-s", str(timeout_s),
    ]
    return _launch(
        "oxigraph", command, folder, log, owns,
        query_url=f"{base}/query",
        update_url=f"{base}/update",
        graph_store_url=f"{base}/store",
        auth=None,
    )


# --- Virtuoso ----------------------------------------------------------------------------
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort         = {isql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty_buffers}

[HTTPServer]
ServerPort         = {http_port}
ServerRoot         = {folder}
ServerThreads      = 10
MaxKeepAlives      = 10
KeepAliveTimeout   = 10
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


def start_virtuoso(
    folder: Path | None = None,
    *,
    anonymous_update: bool = False,
    max_rows: int = 1_000_000,
    max_seconds: int = 60,
    buffers: int = 10_000,
) -> Server:
    """A private Virtuoso with a new database in ``folder`` (a new temporary one if None).

    By default queries, updates and the Graph Store Protocol go to ``/sparql-auth`` and
    ``/sparql-graph-crud-auth`` with HTTP digest authentication as dba. With
    ``anonymous_update`` they go to ``/sparql`` and ``/sparql-graph-crud`` without
    credentials, after :func:`grant_anonymous_update`. ``max_rows`` is its
    ``ResultSetMaxRows`` (it cuts every answer there; GSP and CONSTRUCT answers silently),
    ``max_seconds`` its ``MaxQueryExecutionTime``, ``buffers`` its ``NumberOfBuffers`` (8 KiB
    pages of cache; the virtuoso.ini Virtuoso ships suggests 170,000 for 2 GB of free
    memory)."""
    hint = "apt-get install virtuoso-opensource"
    program = find_program(["virtuoso-t"], hint)
    isql = find_program(["isql-vt", "isql"], hint)
    folder, owns = _folder(folder, "virtuoso-")
    http_port, isql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    settings = {"isql_port": isql_port, "http_port": http_port, "max_rows": max_rows,
                "buffers": buffers, "dirty_buffers": buffers * 3 // 5}
    ini.write_text(VIRTUOSO_INI.format(folder=folder, max_seconds=max_seconds, **settings))
    base = f"http://{HOST}:{http_port}"
    suffix = "" if anonymous_update else "-auth"
    command = [program, "+foreground", "+configfile", str(ini)]
    server = _launch(
        "virtuoso", command, folder, folder / "virtuoso.out", owns,
        query_url=f"{base}/sparql{suffix}",
        update_url=f"{base}/sparql{suffix}",
        graph_store_url=f"{base}/sparql-graph-crud{suffix}",
        auth=None if anonymous_update else VIRTUOSO_USER,
        ready_url=f"{base}/sparql?query=ASK%20%7B%7D",
    )
    server.extra |= {"isql": isql, "isql_port": isql_port, "base": base}
    if anonymous_update:
        grant_anonymous_update(server)
    return server


def grant_anonymous_update(server: Server) -> None:
    """Let the anonymous web user (SQL user ``SPARQL``) update through ``/sparql`` and write
    through ``/sparql-graph-crud``: the SPARQL_UPDATE role, and write permission on every
    graph for ``nobody`` (the GSP endpoint checks graph permissions)."""
    isql_sql(server, 'GRANT SPARQL_UPDATE TO "SPARQL"; '
             "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")


def isql_sql(server: Server, sql: str) -> str:
    """Run SQL statements through Virtuoso's isql as dba; its output, or an error."""
    user, password = VIRTUOSO_USER
    address = f"{HOST}:{server.extra['isql_port']}"
    command = [str(server.extra["isql"]), address, user, password, f"exec={sql}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise ServerFailed(f"isql failed: {done.stdout}{done.stderr}")
    return done.stdout


# --- common ------------------------------------------------------------------------------
def _folder(folder: Path | None, prefix: str) -> tuple[Path, bool]:
    if folder is None:
        return Path(tempfile.mkdtemp(prefix=prefix)), True
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve(), False


def _launch(
    name: str,
    command: list[str],
    folder: Path,
    log: Path,
    owns: bool,
    *,
    query_url: str,
    update_url: str,
    graph_store_url: str,
    auth: tuple[str, str] | None,
    ready_url: str | None = None,
) -> Server:
    start = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Server(
        name, query_url, update_url, graph_store_url, auth, process, folder, log, 0.0, owns
    )
    try:
        _wait_ready(server, ready_url or f"{query_url}?query=ASK%20%7B%7D")
    except BaseException:
        server.stop()
        raise
    server.started_in = time.monotonic() - start
    return server


def _wait_ready(server: Server, url: str) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerFailed(
                f"{server.name} stopped at start (exit code {server.process.returncode}): "
                f"{_tail(server.log)}"
            )
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(url, timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.05)
    raise ServerFailed(
        f"{server.name} did not answer within {START_LIMIT:g} s: {_tail(server.log)}"
    )


def _tail(log: Path, size: int = 2000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except OSError:
        return "(no log)"


# --- measurements ------------------------------------------------------------------------
def ntriples(count: int) -> bytes:
    """``count`` triples like kinerja's: labels with language tags, decimals, years."""
    kin = "https://w3id.org/kinerja/def#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    lines = []
    for i in range(count // 3):
        s = f"<https://w3id.org/kinerja/id/indikator/{i}>"
        lines += [
            f'{s} {label} "Persentase capaian {i} ≥ 100 %"@id .',
            f'{s} <{kin}targetValue> "{i}.5"^^<{xsd}decimal> .',
            f'{s} <{kin}year> "{2020 + i % 6}"^^<{xsd}gYear> .',
        ]
    return ("\n".join(lines) + "\n").encode()


def measure(server: Server, runs: int = 200) -> dict[str, float]:
    """Medians, in ms: a trivial SELECT through RemoteStore (kept-alive connection; a new
    connection each time; a new RemoteStore each time, so a new connection and, with
    digest authentication, a 401 round trip) and through an embedded store with the same
    data; a PUT of a 3,000-triple graph."""
    import pyoxigraph as ox

    data = ntriples(3000)
    graph = "https://w3id.org/kinerja/graph/bench"
    query = "SELECT ?o WHERE { <https://w3id.org/kinerja/id/indikator/7> ?p ?o } LIMIT 1"

    def median_ms(action, count: int) -> float:
        times = []
        for _ in range(count):
            t = time.perf_counter()
            action()
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    out: dict[str, float] = {"start_s": server.started_in}
    with server.store() as store:
        store.clear()
        out["put_3000_ms"] = median_ms(lambda: store.put_graph(graph, data), 11)
        embedded = ox.Store()
        embedded.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
        embedded.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        for target in (store, embedded):  # warm up
            for _ in range(20):
                list(target.query(query))
        out["select_embedded_ms"] = median_ms(lambda: list(embedded.query(query)), runs)
        out["select_kept_alive_ms"] = median_ms(lambda: list(store.query(query)), runs)

        def new_connection() -> None:
            store.close()
            list(store.query(query))

        def new_store() -> None:
            with server.store(dialect=store.dialect) as fresh:
                list(fresh.query(query))

        out["select_new_connection_ms"] = median_ms(new_connection, runs)
        out["select_new_store_ms"] = median_ms(new_store, runs)
        store.clear()
    return out


def main() -> None:
    """Measure each server; ``python -m tests.servers``."""
    configurations = [
        ("oxigraph", start_oxigraph),
        ("virtuoso, digest authentication", start_virtuoso),
        ("virtuoso, anonymous with grants", lambda: start_virtuoso(anonymous_update=True)),
    ]
    for label, start in configurations:
        with start() as server:
            figures = measure(server)
        print(f"{label}: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()), flush=True)


if __name__ == "__main__":
    main()
