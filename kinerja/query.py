"""Running SPARQL on the store and writing results in the usual formats.

The default graph of the store is the merge of all named graphs (see :mod:`kinerja.store`),
so analysts need no ``GRAPH`` clause; ``GRAPH ?g`` still tells which source a statement
came from.
"""

from __future__ import annotations

import pyoxigraph as ox

from kinerja.errors import QueryRejected
from kinerja.namespaces import PREFIXES
from kinerja.results import write_triples

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def run(store: ox.Store, query: str, **kwargs):
    """Execute a query; a syntax error becomes :class:`QueryRejected` with its position."""
    try:
        return store.query(query, **kwargs)
    except SyntaxError as e:
        raise QueryRejected(f"SPARQL syntax error: {e}") from None


def kind(result) -> str:
    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "graph"


def serialize(result, fmt: str) -> bytes:
    """SELECT/ASK as json, xml, csv, tsv or table; CONSTRUCT/DESCRIBE as an RDF format."""
    k = kind(result)
    if k == "graph":
        if fmt not in GRAPH_FORMATS:
            raise QueryRejected(
                f"format {fmt!r} is not for CONSTRUCT/DESCRIBE results; use one "
                f"of {', '.join(GRAPH_FORMATS)}"
            )
        return write_triples(list(result), GRAPH_FORMATS[fmt], PREFIXES)
    if fmt == "table":
        return table(result).encode()
    if fmt not in RESULT_FORMATS:
        raise QueryRejected(
            f"format {fmt!r} is not for SELECT/ASK results; use one of "
            f"table, {', '.join(RESULT_FORMATS)}"
        )
    return result.serialize(format=RESULT_FORMATS[fmt])


def compact(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri):
                return f"{prefix}:{term.value[len(iri) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(result) -> str:
    """A plain-text table for a terminal."""
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n"
    names = [v.value for v in result.variables]
    rows = [[compact(solution[name]) for name in names] for solution in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
