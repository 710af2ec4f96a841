"""A SPARQL 1.1 server as the store: the part of pyoxigraph's ``Store`` that kinerja reads.

:class:`RemoteStore` speaks SPARQL 1.1 Query, Update and the Graph Store Protocol (GSP) to
any server (Oxigraph server, Virtuoso, Jena Fuseki, GraphDB, Neptune) and returns real
pyoxigraph objects: ``QuerySolutions``, ``QueryBoolean`` and ``QueryTriples`` from
:meth:`RemoteStore.query`, ``Quad`` and ``NamedNode`` from the pattern methods, so code
written against an embedded ``pyoxigraph.Store`` reads a remote one unchanged.

HTTP is in :mod:`kinerja.remote_http`: one keep-alive connection per thread and host,
digest or basic authentication, and a time limit on every request, enforced there (the
socket waits at most until the deadline) and, where the server takes one, sent to the
server too.

Servers differ; what differs is in one :class:`~kinerja.remote_dialect.Dialect` per
server (:mod:`kinerja.remote_dialect`), detected from the
``Server`` header (one ``ASK {}`` on first use) unless given. The differences that matter:

- Virtuoso has no default graph of its own: a query without ``GRAPH`` reads the bag union
  of *all* its graphs, its own system graphs included. The pattern methods hide the
  system graphs and give the default graph's triples once each: the RDF merge of the named
  graphs, which is what kinerja keeps in its embedded store's default graph. Writing to
  the default graph of a Virtuoso store is refused. Without a ``merged_graph`` (below),
  :meth:`RemoteStore.query` sends the query as it is: there a triple counts once per graph
  that holds it, system graphs included (Virtuoso's ``define input:*-graph-exclude``
  pragmas would hide them, but they break ``GRAPH <iri>`` patterns: the query then sees
  nothing).
- Virtuoso names blank nodes ``nodeID://b1234`` in results (made ``b1234`` here) and
  accepts ``<nodeID://b1234>`` in queries, so a blank node read from it can be looked up
  again; with other servers a blank node in a pattern is matched here, after the query.
- Virtuoso answers a query past its ``timeout`` with partial results and an
  ``X-SQL-State: S1TAT`` header, and cuts results at its ``ResultSetMaxRows`` (saying so
  in ``X-SPARQL-MaxRows`` for SELECT only); Oxigraph server appends "The SPARQL operation
  has been cancelled" to a streamed answer. All of these raise here; a partial answer is
  never returned as if it were complete.
- With a ``merged_graph`` (a graph holding the merge of the others, which kinerja writes
  on such servers), :meth:`RemoteStore.query` gives a query the dataset of an embedded
  store whose default graph is the merge, so that it answers the same (set semantics);
  on Virtuoso it also writes that dataset as FROM clauses, rewrites ORDER BY (long strings
  are ordered by their text) and asks DESCRIBE for a concise bounded description.

See ``docs/remote-servers.md`` for setting up each server and for measurements.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import urllib.parse
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO, TypeAlias

import pyoxigraph as ox

from kinerja.remote_dialect import DIALECTS, GENERIC, Dialect, detect_dialect
from kinerja.remote_http import (
    MESSAGE_LIMIT,
    Http,
    RemoteError,
    RemoteTimeout,
    Response,
    one_line,
    server_message,
)
from kinerja.scratch import ScratchFolder
from kinerja.sparql_text import (
    XSD_STRING,
    mentions_graph,
    order_by_strings,
    query_dataset,
    sparql_term,
    with_dataset,
)

FORM = "application/x-www-form-urlencoded"
NTRIPLES = "application/n-triples"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/n-quads;q=0.8"
GRAPH_LIST_TTL = 5.0  # seconds the list of named graphs is kept (see listed_graphs)
# Named in a protocol dataset that must hold no graph (an empty list cannot be sent)
NO_GRAPH = ox.NamedNode("urn:x-kinerja:no-such-graph")

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName: TypeAlias = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


# --- the store ---------------------------------------------------------------------------
class RemoteStore:
    """A SPARQL 1.1 server, read and written like an embedded ``pyoxigraph.Store``.

    ``query_url`` takes SPARQL queries; ``update_url`` SPARQL updates; ``graph_store_url``
    is the Graph Store Protocol endpoint (without it, graph reads use queries and graph
    writes use updates). ``timeout`` is the default time limit of every request, in
    seconds; ``auth`` a (user, password) for HTTP digest or basic authentication.
    ``dialect`` names the kind of server (see :data:`DIALECTS`); by default it is detected
    from the server's answer to one ``ASK {}``. The server's own graphs (the dialect's
    ``hidden_graphs``) are neither listed nor read.

    ``merged_graph`` names a graph that holds the RDF merge of the others (each triple
    once), for servers whose default graph is the union of all their graphs
    (``default_graph_is_union``: Virtuoso). There it stands in for the default graph:
    :meth:`query` gives it to a query as its default graph, with every listed graph as
    its named graphs (a list kept for ``GRAPH_LIST_TTL`` seconds), so that a query reads
    what an embedded store whose default graph holds the merge would answer; the pattern
    methods read it as the default graph; it is never listed nor read as a named graph,
    but it can be written. On other servers it is not used.

    With ``embedded_order``, the pattern methods and :meth:`dump` give quads in the order
    an embedded store gives them (they pass through an on-disk scratch store in a
    temporary folder, removed by :meth:`close`), so that what lists statements in store
    order reads the same on every server.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        *,
        timeout: float = 30.0,
        auth: tuple[str, str] | None = None,
        dialect: str | Dialect | None = None,
        merged_graph: str | None = None,
        embedded_order: bool = False,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.timeout = timeout
        self._http = Http(auth)
        if isinstance(dialect, str):
            if dialect not in DIALECTS:
                raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
            dialect = DIALECTS[dialect]
        self._dialect: Dialect | None = dialect
        self.merged_graph = merged_graph
        self.embedded_order = embedded_order
        self._scratch_lock = threading.Lock()
        self._scratch_store: ox.Store | None = None
        self._scratch_cleanup: weakref.finalize | None = None
        self._listed: tuple[float, list[ox.NamedNode]] | None = None
        self._listed_lock = threading.Lock()

    def __repr__(self) -> str:
        name = self._dialect.name if self._dialect else "not yet detected"
        return f"<RemoteStore {self.query_url} ({name})>"

    def close(self) -> None:
        """Close the kept-alive connections (a later request opens new ones) and remove
        the scratch store of ``embedded_order``."""
        self._http.close()
        with self._scratch_lock:
            self._scratch_store = None
            if self._scratch_cleanup is not None:
                self._scratch_cleanup()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- what the server is --------------------------------------------------------------
    @property
    def dialect(self) -> Dialect:
        if self._dialect is None:
            answer = self._http.request(
                "POST", self.query_url, self.timeout, body=_form(query="ASK {}"),
                headers={"Content-Type": FORM, "Accept": "*/*"},
            )
            self._check(answer, "POST")
            self._dialect = detect_dialect(answer.headers.get("Server", ""))
        return self._dialect

    @property
    def hidden_graphs(self) -> frozenset[str]:
        return self.dialect.hidden_graphs

    @property
    def default_graph_is_union(self) -> bool:
        """True when the server's default graph is the union of its graphs (Virtuoso): its
        default graph is then derived, never written."""
        return self.dialect.default_graph_is_union

    @property
    def uses_merged_graph(self) -> bool:
        """Whether ``merged_graph`` stands in for the default graph on this server."""
        return bool(self.merged_graph) and self.dialect.default_graph_is_union

    @property
    def _unlisted(self) -> frozenset[str]:
        """Graphs never listed nor read as named graphs: the server's own, and the merge."""
        if self.uses_merged_graph:
            return self.hidden_graphs | {self.merged_graph}
        return self.hidden_graphs

    def listed_graphs(self) -> list[ox.NamedNode]:
        """The named graphs, as :meth:`named_graphs` lists them, kept for
        ``GRAPH_LIST_TTL`` seconds (writes through this store forget the list)."""
        with self._listed_lock:
            kept = self._listed
            if kept is not None and time.monotonic() - kept[0] < GRAPH_LIST_TTL:
                return kept[1]
        graphs = list(self.named_graphs())
        with self._listed_lock:
            self._listed = (time.monotonic(), graphs)
        return graphs

    def _forget_listed(self) -> None:
        with self._listed_lock:
            self._listed = None

    # --- queries -------------------------------------------------------------------------
    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        default_graph: GraphName | Iterable[GraphName] | None = None,
        named_graphs: Iterable[ox.NamedNode] | None = None,
        timeout: float | None = None,
        enough_rows: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; the answer is what ``pyoxigraph.Store.query`` returns.

        The query goes to the server as written, after BASE and PREFIX declarations for
        ``base_iri`` and ``prefixes``; ``default_graph`` and ``named_graphs`` become the
        protocol's ``default-graph-uri`` and ``named-graph-uri`` (an empty list: a graph
        that does not exist, so that the dataset has no such graph). ``timeout``
        (seconds, default the store's) is enforced here and sent to servers that take
        it. An answer the server cut at its own row limit raises, unless that limit is at
        least ``enough_rows`` (the caller needs no more rows). Raises
        :class:`RemoteError` (a query the server rejects, an unreadable or partial
        answer) or :class:`RemoteTimeout`.

        On a union server with a ``merged_graph``, a query that names no graphs itself
        (FROM, FROM NAMED) and gets none here reads the merge as its default graph and,
        if it has a GRAPH pattern, every listed graph as its named graphs. Virtuoso gets
        a dataset as FROM and FROM NAMED clauses written into the query (it echoes each
        ``named-graph-uri`` parameter in a response header, and ``http.client`` refuses
        an answer with more than 100 headers), its ORDER BY
        conditions rewritten (see :func:`kinerja.sparql_text.order_by_strings`), and a
        query with FROM but no FROM NAMED an empty set of named graphs, as SPARQL says
        (Virtuoso would otherwise open every graph to GRAPH patterns)."""
        dialect = self.dialect
        params: list[tuple[str, str]] = []
        defaults = _graph_list(default_graph)
        if defaults == [ox.DefaultGraph()]:
            defaults = None
        if defaults is not None and any(not isinstance(g, ox.NamedNode) for g in defaults):
            raise ValueError("default_graph must be named graphs, or the default graph")
        named = None if named_graphs is None else list(named_graphs)
        own_default, own_named = query_dataset(query)
        merged = [ox.NamedNode(self.merged_graph)] if self.uses_merged_graph else None
        if defaults is None and named is None and dialect.default_graph_is_union:
            if merged and not (own_default or own_named):
                defaults = merged
                # without a GRAPH pattern the named graphs do not matter: none are sent
                named = self.listed_graphs() if mentions_graph(query) else None
            elif own_default and not own_named and dialect.from_leaves_named_graphs_open:
                named = []  # FROM alone: no named graphs, as SPARQL says
        elif merged and (defaults is None or named is None):
            # as in pyoxigraph: the one not given stays the store's own
            defaults = merged if defaults is None else defaults
            named = self.listed_graphs() if named is None else named
        if dialect.dataset_as_from and defaults is not None and not (own_default or own_named):
            written = with_dataset(
                query,
                [g.value for g in defaults or [NO_GRAPH]],
                None if named is None else [g.value for g in named or [NO_GRAPH]],
            )
            if written is not None:
                query, defaults, named = written, None, None
        if defaults is not None:
            params += [("default-graph-uri", g.value) for g in defaults or [NO_GRAPH]]
        if named is not None:
            params += [("named-graph-uri", g.value) for g in named or [NO_GRAPH]]
        if dialect.misorders_long_strings and "ORDER" in query.upper():
            query = order_by_strings(query)
        return self._query(
            query, base_iri=base_iri, prefixes=prefixes, params=params, timeout=timeout,
            enough_rows=enough_rows,
        )

    def _query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        params: list[tuple[str, str]] | None = None,
        timeout: float | None = None,
        enough_rows: int | None = None,
    ) -> QueryResult:
        """Send a query with these protocol parameters, and nothing else added."""
        dialect = self.dialect
        limit = self.timeout if timeout is None else timeout
        params = list(params or ())
        if dialect.timeout_parameter:
            value = max(1, round(limit / dialect.timeout_unit))
            params.append((dialect.timeout_parameter, str(value)))
        form = _query_form(query)
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _results_accept(dialect)
        text = _prologue(base_iri, prefixes) + query
        if form == "DESCRIBE":
            text = dialect.describe_define + text
        answer = self._http.request(
            "POST",
            self.query_url,
            limit,
            body=_form(query=text, extra=params),
            headers={"Content-Type": FORM, "Accept": accept},
        )
        self._check(answer, "POST")
        return self._result(answer, enough_rows)

    def _result(self, answer: Response, enough_rows: int | None = None) -> QueryResult:
        rows = answer.headers.get("X-SPARQL-MaxRows")
        if rows and not (enough_rows and rows.strip().isdigit() and int(rows) >= enough_rows):
            raise RemoteError(
                answer.url,
                f"the server cut the answer at {rows} rows (Virtuoso: [SPARQL] "
                "ResultSetMaxRows in virtuoso.ini); raise that limit or ask for less",
            )
        media = answer.media_type
        results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
        if results_format in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
            return self._parse_results(answer, results_format)
        rdf_format = ox.RdfFormat.from_media_type(media) if media else None
        if rdf_format is not None:
            graph = ox.Store()  # in memory: only a store makes a real QueryTriples
            graph.extend(q for q in self._parse_rdf(answer, rdf_format))
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise RemoteError(answer.url, f"an answer of unexpected type {media or 'unknown'!r}")

    def _parse_results(
        self, answer: Response, fmt: ox.QueryResultsFormat
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        data = answer.body
        end = b"}" if fmt == ox.QueryResultsFormat.JSON else b"</sparql>"
        if not data.rstrip().endswith(end):  # a streamed answer broken off by an error
            tail = data.decode("utf-8", "replace")[-MESSAGE_LIMIT:]
            self._raise_timeout_if(answer.url, tail)
            raise RemoteError(answer.url, f"the answer stops short: ...{one_line(tail)}")
        prefix = self.dialect.blank_node_prefix
        if prefix and prefix.encode() in data:
            data = _unprefix_blank_nodes(data, prefix.encode(), fmt)
        try:
            return ox.parse_query_results(data, format=fmt)
        except SyntaxError as e:
            raise RemoteError(answer.url, f"the answer is not valid {fmt.name}: {e}") from None

    def _parse_rdf(self, answer: Response, fmt: ox.RdfFormat) -> list[ox.Quad]:
        try:
            return list(ox.parse(answer.body, format=fmt))
        except SyntaxError as e:
            raise RemoteError(answer.url, f"the answer is not valid {fmt.name}: {e}") from None

    # --- patterns ------------------------------------------------------------------------
    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        object: Term | None,  # noqa: A002 - the name pyoxigraph uses
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (``None`` matches anything), as in pyoxigraph.

        ``graph_name=None`` gives the default graph's quads and every named graph's. On a
        server whose default graph is the union of its graphs, the default graph's quads
        are each distinct triple once. The request is made now, the quads come lazily."""
        fixed = {"s": subject, "p": predicate, "o": object}
        later: dict[str, ox.BlankNode] = {}  # blank nodes matched here, after the query
        pattern, extra = [], []
        for name, term in fixed.items():
            text = self._pattern_term(term)
            if text is None:
                if isinstance(term, ox.BlankNode):
                    later[name] = term
                    extra.append(f"FILTER(isBlank(?{name}))")
                pattern.append(f"?{name}")
            elif self._either_string(term):
                pattern.append(f"?{name}")
                extra.append(f"VALUES ?{name} {{ {text} {text}^^<{XSD_STRING}> }}")
            else:
                pattern.append(text)
        triple = " ".join([*pattern, *extra])
        union = self.dialect.default_graph_is_union and not self.uses_merged_graph
        if graph_name is None:
            where = f"{{ {self._default_part(triple)} }} UNION {{ {self._named_part(triple)} }}"
        elif isinstance(graph_name, ox.DefaultGraph):
            where = self._default_part(triple)
        elif isinstance(graph_name, ox.NamedNode):
            union = False
            if graph_name.value in self._unlisted:
                return iter(())
            where = f"GRAPH <{graph_name.value}> {{ {triple} }}"
        else:
            raise TypeError(f"graph_name must be a NamedNode, DefaultGraph or None: {graph_name!r}")
        variables = [f"?{n}" for n, t in fixed.items() if t is None or n in later]
        if graph_name is None:
            variables.append("?g")
        if not variables:
            found = self._query(f"ASK {{ {where} }}")
            quads = [ox.Quad(subject, predicate, object, graph_name)] if found else []
            return iter(quads)
        distinct = "DISTINCT " if union else ""
        solutions = self._query(f"SELECT {distinct}{' '.join(variables)} WHERE {{ {where} }}")
        quads = _quads(solutions, fixed, later, graph_name, self._unlisted)
        if not self.embedded_order:
            return quads
        quads = list(quads)
        if len(quads) < 2:
            return iter(quads)
        with self._scratch() as scratch:
            scratch.extend(quads)
            return iter(list(scratch.quads_for_pattern(subject, predicate, object, graph_name)))

    @contextlib.contextmanager
    def _scratch(self) -> Iterator[ox.Store]:
        """An empty on-disk pyoxigraph store, for one thread at a time, emptied after use:
        its indexes order quads as those of any embedded store (an in-memory store keeps
        them in the order they came)."""
        with self._scratch_lock:
            if self._scratch_store is None:
                folder = ScratchFolder("kinerja-order-")
                self._scratch_store = ox.Store(str(folder.path / "store"))
                self._scratch_cleanup = weakref.finalize(self, folder.remove)
            try:
                yield self._scratch_store
            finally:
                self._scratch_store.clear()

    def _default_part(self, triple: str) -> str:
        """The default graph's part of a pattern: on a union server, the merged graph, or
        else the union of the graphs that are not hidden (DISTINCT makes it a set)."""
        if self.uses_merged_graph:
            return f"GRAPH <{self.merged_graph}> {{ {triple} }}"
        if not (self.dialect.default_graph_is_union and self.hidden_graphs):
            return triple
        return f"GRAPH ?g0 {{ {triple} }}{self._not_hidden('?g0')}"

    def _named_part(self, triple: str) -> str:
        return f"GRAPH ?g {{ {triple} }}{self._not_hidden('?g')}"

    def _not_hidden(self, variable: str) -> str:
        if not self._unlisted:
            return ""
        graphs = ", ".join(f"<{g}>" for g in sorted(self._unlisted))
        return f" FILTER({variable} NOT IN ({graphs}))"

    def _either_string(self, term: Term | None) -> bool:
        """Whether a plain string must match both its forms on this server."""
        return (
            self.dialect.typed_strings_differ
            and isinstance(term, ox.Literal)
            and not term.language
            and term.datatype.value == XSD_STRING
        )

    def _pattern_term(self, term: Term | None) -> str | None:
        """The term in SPARQL, or None where the pattern needs a variable."""
        if term is None:
            return None
        if isinstance(term, ox.BlankNode):
            prefix = self.dialect.blank_node_prefix
            return f"<{prefix}{term.value}>" if prefix else None
        return sparql_term(term)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        if self.dialect.empty_pattern_lists_graphs:
            query = "SELECT ?g WHERE { GRAPH ?g { } }"
        else:  # Virtuoso has no empty graphs and answers GRAPH ?g {} with nothing; there
            # GROUP BY takes 2 ms where DISTINCT takes 400 (on kinerja's 4,650 quads)
            query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        hidden = self._unlisted
        graphs = [solution[0] for solution in self._query(query)]
        return iter([g for g in graphs if isinstance(g, ox.NamedNode) and g.value not in hidden])

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        triple = "?s ?p ?o"
        default = self._default_part(triple)
        if self.dialect.default_graph_is_union and not self.uses_merged_graph:
            default = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {default} }}"
        where = f"{{ {default} }} UNION {{ {self._named_part(triple)} }}"
        result = self._query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(result))["n"].value)

    def dump(
        self,
        output: BinaryIO | None = None,
        *,
        format: ox.RdfFormat,  # noqa: A002 - the name pyoxigraph uses
        from_graph: ox.NamedNode | ox.DefaultGraph,
        prefixes: Mapping[str, str] | None = None,
    ) -> bytes | None:
        """One graph, as ``pyoxigraph.Store.dump`` writes it (the server's answer is
        written here again): into ``output``, or returned when there is none. The graph
        stands in memory whole; for the merge of all graphs see ``store.export_to``."""
        triples = list(self.graph_triples(from_graph))
        if self.embedded_order:
            with self._scratch() as scratch:
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
                return scratch.dump(output, format=format, from_graph=ox.DefaultGraph(),
                                    prefixes=_maybe(prefixes))
        return ox.serialize(triples, output, format=format, prefixes=_maybe(prefixes))

    def graph_triples(self, graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Triple]:
        """One graph's triples: by the Graph Store Protocol in the order the server
        gives them, else by SELECT, as ``quads_for_pattern`` gives them."""
        return (q.triple for q in self._graph(graph))

    def _graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Quad]:
        """One graph, by GSP GET where that gives all of it, else by SELECT."""
        if not isinstance(graph, ox.NamedNode | ox.DefaultGraph):
            raise TypeError(f"from_graph must be a NamedNode or DefaultGraph: {graph!r}")
        dialect = self.dialect
        use_gsp = self.graph_store_url and not dialect.silent_row_limit
        if isinstance(graph, ox.DefaultGraph) and dialect.default_graph_is_union:
            use_gsp = False
        if isinstance(graph, ox.NamedNode) and graph.value in self._unlisted:
            return iter(())
        if not use_gsp:
            return self.quads_for_pattern(None, None, None, graph)
        url = self._gsp_url(graph.value if isinstance(graph, ox.NamedNode) else None)
        answer = self._http.request("GET", url, self.timeout, headers={"Accept": GRAPH_ACCEPT})
        if answer.status == 404:
            return iter(())
        self._check(answer, "GET")
        fmt = ox.RdfFormat.from_media_type(answer.media_type) or ox.RdfFormat.N_TRIPLES
        return iter(self._parse_rdf(answer, fmt))

    # --- writing -------------------------------------------------------------------------
    def update(self, update: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL 1.1 Update (form-encoded POST to ``update_url``)."""
        if not self.update_url:
            raise RemoteError(self.query_url, "this store has no update URL; it is read-only")
        limit = self.timeout if timeout is None else timeout
        self._forget_listed()
        answer = self._http.request(
            "POST", self.update_url, limit, body=_form(update=update),
            headers={"Content-Type": FORM, "Accept": "*/*"}, idempotent=False,
        )
        self._check(answer, "POST")

    def put_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Replace a named graph (``None``: the default graph) by these N-Triples."""
        self._write_graph("PUT", graph_iri, ntriples)

    def post_graph(self, graph_iri: str | None, ntriples: bytes) -> None:
        """Add these N-Triples to a named graph (``None``: the default graph)."""
        self._write_graph("POST", graph_iri, ntriples)

    def merge_graphs(
        self, graph_iri: str | None, sources: Sequence[str], *, batch: int | None = None
    ) -> None:
        """Make a graph (``None``: the default graph) the RDF merge of named graphs the
        server holds, on the server itself: it is emptied, then each source is added to it
        (SPARQL 1.1 Update ``ADD``), so that only the graphs' names are sent. In one
        request, or with ``batch``, in requests of that many sources each (the server
        holds one request's change in memory until it commits; between two requests
        readers see part of the merge). A source the server does not hold adds nothing."""
        self._writable(graph_iri)
        if batch is not None and batch < 1:
            raise ValueError(f"batch must be a positive number of graphs, got {batch}")
        target = "DEFAULT" if graph_iri is None else f"GRAPH {sparql_term(ox.NamedNode(graph_iri))}"
        names = [sparql_term(ox.NamedNode(g)) for g in sources]  # checked as IRIs
        size = batch or max(len(names), 1)
        for start in range(0, max(len(names), 1), size):
            adds = [f"ADD SILENT GRAPH {g} TO {target}" for g in names[start:start + size]]
            self.update(" ;\n".join(([f"DROP SILENT {target}"] if start == 0 else []) + adds))

    def delete_graph(self, graph_iri: str | None) -> None:
        """Remove a named graph (``None``: empty the default graph); a missing one is fine."""
        self._writable(graph_iri)
        self._forget_listed()
        if not self.graph_store_url:
            self.update("DROP SILENT DEFAULT" if graph_iri is None
                        else f"DROP SILENT GRAPH <{graph_iri}>")
            return
        url = self._gsp_url(graph_iri)
        answer = self._http.request("DELETE", url, self.timeout)
        if answer.status != 404:
            self._check(answer, "DELETE")

    def clear(self) -> None:
        """Remove every quad the store shows, the merged graph included (never the server's
        own hidden graphs)."""
        if not self.hidden_graphs:
            self.update("DROP ALL")
            return
        graphs = [g.value for g in self.named_graphs()]
        if self.uses_merged_graph:
            graphs.append(self.merged_graph)
        for start in range(0, len(graphs), 100):
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[start:start + 100]))

    def _write_graph(self, method: str, graph_iri: str | None, ntriples: bytes) -> None:
        self._writable(graph_iri)
        self._forget_listed()
        if not self.graph_store_url:  # SPARQL Update: the data must be in the request text
            data = ntriples.decode("utf-8")
            # INSERT DATA, or, for blank nodes where the server refuses them there (Virtuoso),
            # INSERT ... WHERE {}: Virtuoso makes a whole decimal an integer on that path
            template = not self.dialect.blank_nodes_in_insert_data and b"_:" in ntriples
            where = " WHERE {}" if template else ""
            verb = "INSERT" if template else "INSERT DATA"
            if graph_iri is None:
                drop, insert = "DROP SILENT DEFAULT", f"{verb} {{\n{data}\n}}{where}"
            else:
                drop = f"DROP SILENT GRAPH <{graph_iri}>"
                insert = f"{verb} {{ GRAPH <{graph_iri}> {{\n{data}\n}} }}{where}"
            self.update(f"{drop} ;\n{insert}" if method == "PUT" else insert)
            return
        answer = self._http.request(
            method, self._gsp_url(graph_iri), self.timeout, body=ntriples,
            headers={"Content-Type": NTRIPLES}, idempotent=method == "PUT",
        )
        self._check(answer, method)

    def _writable(self, graph_iri: str | None) -> None:
        if graph_iri is None and self.dialect.default_graph_is_union:
            raise RemoteError(
                self.graph_store_url or self.update_url or self.query_url,
                f"a {self.dialect.name} server's default graph is the union of its named "
                "graphs and cannot be written; write a named graph",
            )
        if graph_iri is not None and graph_iri in self.hidden_graphs:
            raise RemoteError(self.query_url, f"{graph_iri} is one of the server's own graphs")

    def _gsp_url(self, graph_iri: str | None) -> str:
        assert self.graph_store_url
        query = "default" if graph_iri is None else urllib.parse.urlencode({"graph": graph_iri})
        separator = "&" if "?" in self.graph_store_url else "?"
        return f"{self.graph_store_url}{separator}{query}"

    # --- answers -------------------------------------------------------------------------
    def _check(self, answer: Response, method: str) -> None:
        """Raise for an answer that is an error, or a time limit the server reached."""
        if answer.headers.get("X-SQL-State", "").upper() == "S1TAT":
            message = answer.headers.get("X-SQL-Message", "").strip()
            raise RemoteTimeout(answer.url, f"the server stopped at its time limit: {message}")
        if 200 <= answer.status < 300:
            return
        message = server_message(answer.body, answer.media_type)
        self._raise_timeout_if(answer.url, message, answer.status)
        raise RemoteError(
            answer.url,
            f"HTTP {answer.status} {answer.reason} to {method}: {message}",
            answer.status,
        )

    def _raise_timeout_if(self, url: str, message: str, status: int | None = None) -> None:
        dialect = self._dialect or GENERIC
        if any(marker in message for marker in dialect.timeout_messages):
            raise RemoteTimeout(
                url, f"the server stopped at its time limit: {one_line(message)}", status
            )


# --- helpers -----------------------------------------------------------------------------
_PROLOGUE_ITEM = re.compile(
    r"""\s+|\#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>"""
    r"""|define\s+\S+\s+(?:<[^>]*>|"[^"]*"|'[^']*'|\S+)""",
    re.IGNORECASE,
)
_FORM_KEYWORD = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _prologue(base_iri: str | None, prefixes: Mapping[str, str] | None) -> str:
    """BASE and PREFIX declarations, on the first line of the query so that the line
    numbers of the server's error messages stay those of the caller's query."""
    parts = [] if base_iri is None else [f"BASE <{base_iri}>"]
    parts += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return "".join(part + " " for part in parts)


def _query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read after the prologue; None if unclear."""
    position = 0
    while (match := _PROLOGUE_ITEM.match(query, position)) and match.end() > position:
        position = match.end()
    found = _FORM_KEYWORD.match(query, position)
    return found.group(1).upper() if found else None


def _results_accept(dialect: Dialect) -> str:
    first = dialect.results_format
    other = (
        ox.QueryResultsFormat.XML
        if first == ox.QueryResultsFormat.JSON
        else ox.QueryResultsFormat.JSON
    )
    return f"{first.media_type}, {other.media_type};q=0.9"


def _unprefix_blank_nodes(data: bytes, prefix: bytes, fmt: ox.QueryResultsFormat) -> bytes:
    """Virtuoso's ``nodeID://b1`` blank node labels made plain ``b1``."""
    if fmt == ox.QueryResultsFormat.XML:
        return data.replace(b"<bnode>" + prefix, b"<bnode>")
    return re.sub(
        rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")' + re.escape(prefix), rb"\1", data
    )


def _form(*, extra: Iterable[tuple[str, str]] = (), **fields: str) -> bytes:
    return urllib.parse.urlencode([*fields.items(), *extra]).encode("ascii")


def _graph_list(graphs) -> list | None:
    if graphs is None:
        return None
    if isinstance(graphs, ox.NamedNode | ox.BlankNode | ox.DefaultGraph):
        return [graphs]
    return list(graphs)


def _maybe(prefixes: Mapping[str, str] | None) -> dict[str, str] | None:
    return dict(prefixes) if prefixes else None


def _quads(
    solutions: ox.QuerySolutions,
    fixed: dict[str, Term | None],
    later: dict[str, ox.BlankNode],
    graph_name: GraphName | None,
    hidden: frozenset[str],
) -> Iterator[ox.Quad]:
    # Terms are read by column number: by name is several times slower.
    columns = {v.value: i for i, v in enumerate(solutions.variables)}
    picks = [
        (columns[name], None) if term is None or name in later else (None, term)
        for name, term in fixed.items()
    ]
    checks = [(columns[name], node) for name, node in later.items()]
    graph_column = columns["g"] if graph_name is None else None
    for solution in solutions:
        s, p, o = (term if i is None else solution[i] for i, term in picks)
        if checks and any(solution[i] != node for i, node in checks):
            continue
        graph = graph_name
        if graph_column is not None:
            bound = solution[graph_column]
            if bound is None:
                graph = ox.DefaultGraph()
            elif isinstance(bound, ox.NamedNode) and bound.value in hidden:
                continue
            else:
                graph = bound
        yield ox.Quad(s, p, o, graph)
