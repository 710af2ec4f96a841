"""Linked Data: every IRI under ``{base}id/`` dereferences here at ``/id/...``.

HTML for browsers (label, every statement about the resource with the source graph it
comes from, and what points to it); Turtle, JSON-LD, RDF/XML, N-Triples by Accept or
``?format=``, with ``Vary: Accept`` and ``<link rel="alternate">`` to each format.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from kinerja.namespaces import PREFIXES
from kinerja.results import write_triples
from server import negotiation
from server.errors import ProtocolError
from server.workbench import label_of, link_for

router = APIRouter()
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
MAX_INCOMING = 200


def _describe(store: ox.Store, iri: ox.NamedNode) -> list[ox.Quad]:
    return list(store.quads_for_pattern(iri, None, None, None))


def _term(request: Request, term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {
            "iri": term.value,
            "href": link_for(request, term.value),
            "label": label_of(request, term.value),
            "short": _short(term.value),
        }
    if isinstance(term, ox.Literal):
        return {
            "text": term.value,
            "lang": term.language,
            "datatype": None if term.language else _short(term.datatype.value),
        }
    return {"text": str(term)}


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


@router.get("/id/{path:path}")
def resource(request: Request, path: str) -> Response:
    state = request.app.state
    iri = ox.NamedNode(state.settings.base_iri + "id/" + path)
    quads = _describe(state.store, iri)
    if not quads:
        raise ProtocolError(404, f"no resource <{iri.value}> in this graph")
    fmt = request.query_params.get("format")
    accept = request.headers.get("accept")
    if fmt or not negotiation.wants_html(accept):
        try:
            name = negotiation.choose("graph", accept, fmt)
        except (negotiation.NotAcceptable, negotiation.UnknownFormat) as e:
            raise ProtocolError(406, str(e)) from None
        if name not in RDF_FORMATS:
            raise ProtocolError(
                406, f"{name} is not served for resources; use {', '.join(RDF_FORMATS)}"
            )
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        body = write_triples(triples, RDF_FORMATS[name], PREFIXES)
        return Response(body, media_type=negotiation.media_type(name), headers={"Vary": "Accept"})
    statements = [
        {
            "p": _term(request, q.predicate),
            "o": _term(request, q.object),
            "graph": _short(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else "",
        }
        for q in sorted(quads, key=lambda q: (q.predicate.value, str(q.object)))
    ]
    incoming = []
    for q in state.store.quads_for_pattern(None, None, iri, None):
        if len(incoming) == MAX_INCOMING:
            break
        incoming.append({"s": _term(request, q.subject), "p": _term(request, q.predicate)})
    context = {
        "iri": iri.value,
        "label": label_of(request, iri.value),
        "statements": statements,
        "incoming": incoming,
        "max_incoming": MAX_INCOMING,
        "formats": list(RDF_FORMATS),
        "path": "/id/" + path,
    }
    return state.templates.TemplateResponse(
        request, "resource.html", context, headers={"Vary": "Accept"}
    )
