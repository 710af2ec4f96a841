"""The body of a query worker process (see :mod:`kinerja.executor`)."""

from __future__ import annotations

import pyoxigraph as ox

from kinerja import results
from kinerja.executor import QueryRequest, QueryResponse
from kinerja.namespaces import PREFIXES
from kinerja.query import GRAPH_FORMATS


def serve_forever(conn, store_path: str, max_rows: int) -> None:
    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("error", f"cannot open the store at {store_path}: {e}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            conn.send(("ok", run(store, request, max_rows)))
        except SyntaxError as e:
            conn.send(("rejected", f"SPARQL syntax error: {e}"))
        except (ValueError, RuntimeError) as e:  # evaluation errors: unknown function, ...
            conn.send(("rejected", f"the query cannot be evaluated: {e}"))
        except OSError as e:
            conn.send(("error", f"{type(e).__name__}: {e}"))


def _no_value(*_args):
    return None  # an expression error: the variable stays unbound


def run(store: ox.Store, request: QueryRequest, max_rows: int) -> QueryResponse:
    kwargs = {"base_iri": request.base_iri}
    if request.unknown_functions:
        kwargs["custom_functions"] = {ox.NamedNode(f): _no_value
                                      for f in request.unknown_functions}
    if request.protocol_dataset:  # SPARQL 1.1 Protocol 2.1.4: exactly the graphs named
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    if request.bindings:
        kwargs["substitutions"] = {
            ox.Variable(name): ox.NamedNode(value)
            if kind == "iri"
            else ox.Literal(value, datatype=ox.NamedNode(kind))
            for name, kind, value in request.bindings
        }
    return respond(store.query(request.query, **kwargs), request, max_rows)


def respond(result, request: QueryRequest, max_rows: int) -> QueryResponse:
    """A query's answer written in the format asked for, capped at ``max_rows``."""
    if isinstance(result, ox.QueryBoolean):
        fmt = (
            request.format
            if request.format in results.BOOLEAN_WRITERS
            else request.select_format_fallback
        )
        return QueryResponse(results.BOOLEAN_WRITERS[fmt](bool(result)), "ask", fmt, 1, False)
    if isinstance(result, ox.QuerySolutions):
        fmt = (
            request.format
            if request.format in results.SELECT_WRITERS
            else request.select_format_fallback
        )
        solutions = results.collect(result, max_rows)
        body = results.SELECT_WRITERS[fmt](solutions)
        return QueryResponse(body, "select", fmt, len(solutions.rows), solutions.truncated)
    fmt = request.format if request.format in GRAPH_FORMATS else request.graph_format_fallback
    triples, truncated = results.collect_triples(result, max_rows)
    body = results.write_triples(triples, GRAPH_FORMATS[fmt], PREFIXES)
    return QueryResponse(body, "graph", fmt, len(triples), truncated)
