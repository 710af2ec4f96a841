"""The SPARQL Service Description of ``/sparql`` (W3C SPARQL 1.1 Service Description)."""

from __future__ import annotations

from fastapi import Request, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from kinerja.namespaces import SD
from server import negotiation
from server.errors import ProtocolError

FORMATS_W3C = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


def describe(endpoint: str, graph_names: list[str]) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for uri in FORMATS_W3C.values():
        g.add((service, SD.resultFormat, URIRef(uri)))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add(
        (
            default,
            DCTERMS.description,
            Literal(
                "The RDF merge of all named graphs (one per source document, plus the model "
                "and the shared concepts): each distinct triple once",
                lang="en",
            ),
        )
    )
    for name in graph_names:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
    return g


def service_description(request: Request) -> Response:
    try:
        fmt = negotiation.choose(
            "graph", request.headers.get("accept"), request.query_params.get("format")
        )
    except negotiation.NotAcceptable as e:
        raise ProtocolError(406, str(e)) from None
    except negotiation.UnknownFormat as e:
        raise ProtocolError(400, str(e)) from None
    endpoint = str(request.url.replace(query=""))
    graph = describe(endpoint, sorted(request.app.state.graph_names))
    body = graph.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
    return Response(body, media_type=negotiation.media_type(fmt))
