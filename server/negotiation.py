"""Content negotiation for SPARQL results, with ``format`` as an override.

Accept headers are matched with python-mimeparse (q-values, wildcards); nothing here parses
them by hand.
"""

from __future__ import annotations

import mimeparse

# format name -> media type served
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# media types accepted in Accept (or ?format=) -> format name, per result kind
_RESULT_ACCEPT = {
    **{v: k for k, v in RESULT_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
_GRAPH_ACCEPT = {
    **{v: k for k, v in GRAPH_TYPES.items()},
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
    "application/json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
# short names clients send in format= (SPARQLWrapper sends e.g. "rdf+xml" and "json-ld")
_RESULT_NAMES = {**{k: k for k in RESULT_TYPES}, "text/xml": "xml", "text": "tsv"}
_GRAPH_NAMES = {**{k: k for k in GRAPH_TYPES}, "xml": "rdfxml", "rdf+xml": "rdfxml",
                "rdf": "rdfxml", "json": "jsonld", "json-ld": "jsonld", "ttl": "turtle",
                "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
                "n-quads": "nquads"}
HTML = "text/html"


class NotAcceptable(Exception):
    def __init__(self, offered: list[str]):
        self.offered = offered
        super().__init__(
            "none of the requested media types can be produced; available: " + ", ".join(offered)
        )


class UnknownFormat(ValueError):
    pass


def choose(kind: str, accept: str | None, format_param: str | list[str] | None) -> str:
    """The format name for a result of ``kind`` ("results" or "graph").

    ``format_param``: the ``format`` value(s) of the request; the first one that names a
    format for this kind of result wins over Accept.
    """
    table = _RESULT_ACCEPT if kind == "results" else _GRAPH_ACCEPT
    names = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    short = _RESULT_NAMES if kind == "results" else _GRAPH_NAMES
    default = "json" if kind == "results" else "turtle"
    values = [format_param] if isinstance(format_param, str) else list(format_param or [])
    values = [v.strip().lower() for v in values if v and v.strip()]
    for value in values:
        if value in short:
            return short[value]
        if value in table:
            return table[value]
    if values:
        what = "SELECT/ASK results" if kind == "results" else "CONSTRUCT/DESCRIBE results"
        raise UnknownFormat(f"format={values[0]!r} is not a format for {what}; use one of "
                            f"{', '.join(names)}")
    if not accept or not accept.strip():
        return default
    offered = [names[default], *(t for t in table if t != names[default])]
    try:
        match = mimeparse.best_match(offered, accept)
        if match and mimeparse.quality(names[default], accept) >= mimeparse.quality(match, accept):
            match = names[default]  # among equals, the default
    except (ValueError, IndexError):
        match = ""
    if not match:
        raise NotAcceptable(list(names.values()))
    return table[match]


def wants_html(accept: str | None) -> bool:
    """A browser: HTML preferred over every SPARQL media type."""
    if not accept:
        return False
    offered = [*RESULT_TYPES.values(), *GRAPH_TYPES.values(), HTML]
    try:
        return mimeparse.best_match(offered, accept) == HTML and mimeparse.quality(
            HTML, accept
        ) > max(mimeparse.quality(t, accept) for t in offered[:-1])
    except (ValueError, IndexError):
        return False


def media_type(fmt: str) -> str:
    """The Content-Type for a format name (text types in UTF-8)."""
    media = RESULT_TYPES.get(fmt) or GRAPH_TYPES[fmt]
    return media + ("; charset=utf-8" if media.startswith("text/") else "")
