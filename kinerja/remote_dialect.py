"""How each kind of SPARQL server departs from the bare protocols (see :mod:`kinerja.remote`)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Dialect:
    """How one kind of server departs from the bare protocols."""

    name: str
    server_header: str = ""  # what its HTTP Server header contains (empty: never detected)
    timeout_parameter: str | None = None  # request parameter with the query's time limit
    timeout_unit: float = 1.0  # seconds per unit of that parameter
    default_graph_is_union: bool = False  # no GRAPH clause reads every graph
    blank_node_prefix: str | None = None  # blank node b1 can be named <prefix + b1>
    results_format: ox.QueryResultsFormat = ox.QueryResultsFormat.JSON
    hidden_graphs: frozenset[str] = frozenset()  # the server's own graphs
    empty_pattern_lists_graphs: bool = True  # GRAPH ?g {} gives every named graph
    silent_row_limit: bool = False  # graph answers may be cut without notice
    typed_strings_differ: bool = False  # "a" and "a"^^xsd:string are two terms (RDF 1.0)
    blank_nodes_in_insert_data: bool = True
    timeout_messages: tuple[str, ...] = ()  # text of its answers when its time limit hits
    # FROM without FROM NAMED leaves GRAPH ?g on every graph, and named-graph-uri adds to
    # a query's FROM NAMED instead of replacing it (both: Virtuoso)
    from_leaves_named_graphs_open: bool = False
    # ORDER BY puts strings over about 50 characters out of the order of their text
    misorders_long_strings: bool = False
    # takes LATERAL (an extension of SPARQL 1.1), which the catalogue's queries use where
    # the store has it (see kinerja.catalogue.reader.inline_lateral)
    lateral: bool = False
    # a dataset goes as FROM / FROM NAMED in the query: as protocol parameters each graph
    # comes back as a response header, more than http.client reads past about 85 graphs
    dataset_as_from: bool = False
    # put before a DESCRIBE query so that it describes as Oxigraph does (the outgoing
    # statements, through blank nodes: a concise bounded description)
    describe_define: str = ""


GENERIC = Dialect("generic")
DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        GENERIC,
        Dialect(
            "oxigraph",
            server_header="Oxigraph",
            # the time limit is the server's --timeout-s option, not a request parameter
            lateral=True,
            timeout_messages=("The SPARQL operation has been cancelled",),
        ),
        Dialect(
            "virtuoso",
            server_header="Virtuoso",
            timeout_parameter="timeout",
            timeout_unit=0.001,
            default_graph_is_union=True,
            blank_node_prefix="nodeID://",
            # its JSON writes booleans as 1/0 and uses SPARQL 1.0 "typed-literal"
            results_format=ox.QueryResultsFormat.XML,
            hidden_graphs=frozenset(
                {
                    "http://www.openlinksw.com/schemas/virtrdf#",
                    "http://www.w3.org/ns/ldp#",
                    "http://localuriqaserver/sparql",
                }
            ),
            empty_pattern_lists_graphs=False,
            silent_row_limit=True,
            typed_strings_differ=True,
            blank_nodes_in_insert_data=False,
            timeout_messages=("Virtuoso S1T00", "SR171: Transaction timed out"),
            from_leaves_named_graphs_open=True,
            misorders_long_strings=True,
            dataset_as_from=True,
            describe_define='define sql:describe-mode "CBD" ',
        ),
        # The three below follow their documentation; they are not tested here.
        Dialect(
            "fuseki",
            server_header="Fuseki",
            timeout_parameter="timeout",  # honoured when the server allows overrides
        ),
        Dialect("graphdb", timeout_parameter="timeout", default_graph_is_union=True),
        Dialect("neptune", default_graph_is_union=True),  # time limit: a query hint
    )
}


def detect_dialect(server_header: str) -> Dialect:
    """The dialect whose ``server_header`` is in ``server_header``, else :data:`GENERIC`."""
    lowered = server_header.lower()
    for dialect in DIALECTS.values():
        if dialect.server_header and dialect.server_header.lower() in lowered:
            return dialect
    return GENERIC
