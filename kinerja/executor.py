"""SPARQL queries with a time limit, in worker processes that can be stopped.

Oxigraph queries cannot be cancelled from Python. Each query therefore runs in one of a
fixed number of worker processes, each holding the store open read-only. A query past its
limit gets its worker killed (its CPU work stops at once) and a fresh worker is started in
the background; the caller gets :class:`QueryTimeout` right away. When every worker is
busy, a request waits briefly for one and then gets :class:`PoolBusy`.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kinerja.errors import KinerjaError, QueryRejected, QueryTimeout

log = logging.getLogger(__name__)
_CTX = mp.get_context("spawn")  # no fork of a threaded server


class PoolBusy(KinerjaError):
    """Every worker is busy; try again shortly."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"all query workers are busy; retry in {retry_after} s")


@dataclass(frozen=True)
class QueryRequest:
    query: str
    format: str  # json, xml, csv, tsv (SELECT/ASK) or turtle, ntriples, ... (graphs)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    # variables bound by substitution: (name, "iri" or a datatype IRI, lexical value)
    bindings: tuple[tuple[str, str, str], ...] = ()
    # default-graph-uri / named-graph-uri given: the dataset is exactly those graphs
    protocol_dataset: bool = False
    base_iri: str | None = None  # for relative IRIs in the query
    # extension functions the query calls; the engine knows none, so each evaluates to an
    # error (an unbound value), as SPARQL 1.1 section 17 says of unknown functions
    unknown_functions: tuple[str, ...] = ()
    graph_format_fallback: str = "turtle"  # used when format is for SELECT but result is graph
    select_format_fallback: str = "json"


@dataclass
class QueryResponse:
    body: bytes
    kind: str  # select, ask, graph
    format: str
    rows: int
    truncated: bool
    elapsed: float = 0.0


def _worker_main(conn, store_path: str, max_rows: int) -> None:
    from kinerja.worker import serve_forever

    serve_forever(conn, store_path, max_rows)


class _Worker:
    def __init__(self, store_path: Path, max_rows: int):
        parent, child = _CTX.Pipe()
        self.conn = parent
        self.process = _CTX.Process(
            target=_worker_main,
            args=(child, str(store_path), max_rows),
            daemon=True,
            name="kinerja-query-worker",
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = 60.0) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise KinerjaError("a query worker did not start in time")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            status, payload = "error", "a query worker stopped while starting"
        if status != "ready":
            self.kill()
            raise KinerjaError(payload)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    def __init__(
        self,
        store_path: Path,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        queue_wait: float = 2.0,
    ):
        self.store_path = Path(store_path).resolve()
        self.timeout = timeout
        self.max_rows = max_rows
        self.queue_wait = queue_wait
        self.size = workers
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        started = [_Worker(self.store_path, max_rows) for _ in range(workers)]
        for worker in started:
            worker.wait_ready()
            self._idle.put(worker)

    def execute(self, request: QueryRequest, timeout: float | None = None) -> QueryResponse:
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise PoolBusy(retry_after=max(1, int(limit))) from None
        start = time.perf_counter()
        try:
            worker.conn.send(request)
            if not worker.conn.poll(limit):
                self._replace(worker)
                worker = None
                raise QueryTimeout(
                    f"the query ran past the time limit of {limit:g} s and was stopped"
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = worker.process.exitcode
            self._replace(worker)
            worker = None
            log.error("a query worker died (exit code %s) on: %.200s", code, request.query)
            raise QueryRejected("the query made its worker process fail, most likely by "
                                "nesting or listing too deeply for the parser; simplify it") \
                from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "rejected":
            raise QueryRejected(payload)
        if status != "ok":
            log.error("query failed in worker: %s", payload)
            raise KinerjaError("the query could not be evaluated")
        payload.elapsed = time.perf_counter() - start
        return payload

    def _replace(self, worker: _Worker | None) -> None:
        """Kill ``worker`` now; start its replacement in the background."""
        if worker is not None:
            worker.kill()

        def start() -> None:
            if self._closed:
                return
            try:
                fresh = _Worker(self.store_path, self.max_rows)
                fresh.wait_ready()
            except (KinerjaError, OSError, RuntimeError):
                if not self._closed:  # at shutdown a starting worker is expected to stop
                    log.exception("could not replace a query worker")
                return
            if self._closed:
                fresh.kill()
            else:
                self._idle.put(fresh)

        threading.Thread(target=start, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            try:
                worker.conn.send(None)
                worker.process.join(timeout=2)
            except OSError:
                pass
            if worker.process.is_alive():
                worker.kill()
