"""``/sparql`` on a remote store: :class:`RemotePool`, with the interface of
:class:`kinerja.executor.QueryPool`.

Each query goes to the store (``RemoteStore.query``) with the endpoint's time limit, which
is enforced here and sent to servers that take one; the answer is capped at ``max_rows``
and written by the same writers as the embedded pool's (``kinerja.worker.respond``). At
most ``workers`` queries run at once; a request that finds them all busy waits
``queue_wait`` seconds, then gets :class:`PoolBusy`, as with the embedded pool.

What the embedded engine takes as options is written into the query text here:

- ``bindings`` (the parameters of the example queries): a ``VALUES`` block at the start of
  the query's WHERE clause, which binds the variables for the whole group pattern, its
  filters and optional parts included, and at the start of each sub-query that projects
  one of them by name (a filter inside sees it too), which is where the embedded
  engine's substitution reaches. In a sub-query that does not project it, a variable of
  that name is another variable, and stays unbound;
- ``unknown_functions``: each call ``f(args)`` of such a function becomes
  ``(?kinerja_no_value + COALESCE(args))``, an expression error, so the variable it would
  bind stays unbound, as the embedded pool does (SPARQL 1.1 section 17); servers refuse a
  call of a function they do not know.

``default_graphs``/``named_graphs`` of a protocol request are sent as the protocol's
``default-graph-uri``/``named-graph-uri`` (an empty list as a graph that does not exist).
"""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox

from kinerja.errors import KinerjaError, QueryRejected, QueryTimeout
from kinerja.executor import PoolBusy, QueryRequest, QueryResponse
from kinerja.remote import RemoteError, RemoteStore, RemoteTimeout
from kinerja.sparql_text import with_values, without_functions
from kinerja.worker import respond


class StoreUnavailable(KinerjaError):
    """The remote store cannot be reached or refuses to serve (not the query's fault)."""


class RemotePool:
    """Runs endpoint queries on a remote store; ``execute`` and ``close`` as QueryPool."""

    def __init__(
        self,
        store: RemoteStore,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        queue_wait: float = 2.0,
    ):
        self.store = store
        self.size = workers
        self.timeout = timeout
        self.max_rows = max_rows
        self.queue_wait = queue_wait
        self._slots = threading.BoundedSemaphore(workers)
        self._closed = False

    def execute(self, request: QueryRequest, timeout: float | None = None) -> QueryResponse:
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        if self._closed:
            raise KinerjaError("the query pool is closed")
        if not self._slots.acquire(timeout=self.queue_wait):
            raise PoolBusy(retry_after=max(1, int(limit)))
        start = time.perf_counter()
        try:
            text = request.query
            if request.unknown_functions:
                text = without_functions(text, request.unknown_functions)
            if request.bindings:
                text = with_values(text, request.bindings)
            options: dict = {"base_iri": request.base_iri}
            if request.protocol_dataset:
                options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
                options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
            try:
                result = self.store.query(
                    text, timeout=limit, enough_rows=self.max_rows + 1, **options
                )
                response = respond(result, request, self.max_rows)
            except RemoteTimeout:
                raise QueryTimeout(
                    f"the query ran past the time limit of {limit:g} s and was stopped"
                ) from None
            except RemoteError as e:
                raise _mapped(e) from None
        finally:
            self._slots.release()
        response.elapsed = time.perf_counter() - start
        return response

    def close(self) -> None:
        self._closed = True
        self.store.close()


def _mapped(error: RemoteError) -> KinerjaError:
    """A store's refusal of a query as the embedded pool says it; anything else as
    :class:`StoreUnavailable`."""
    message = error.answer
    if ": " in message and message.startswith("HTTP "):
        message = message.split(": ", 1)[1]  # "HTTP 400 Bad Request to POST: ..."
    if error.status == 400:
        return QueryRejected(f"the store rejected the query: {message}")
    if error.status == 500:
        return QueryRejected(f"the query cannot be evaluated: {message}")
    return StoreUnavailable(f"the triple store did not answer: {error.answer}")
