"""Dumps and the dataset's own description, for open-data portals.

``/data/kinerja.{ttl,nq,jsonld}``: the whole graph; ``/data/sumber/<file>.{ttl,nq,jsonld}``:
one source document's graph. ``/.well-known/void``: a VoID and DCAT description naming the
SPARQL endpoint, the dumps, the licence, the vocabularies used and triple counts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD
from starlette.background import BackgroundTask

from kinerja import store as kstore
from kinerja.incremental import MERGED
from kinerja.namespaces import PREFIXES
from kinerja.state import State
from kinerja.store import export
from server import negotiation
from server.description import RDFLIB_FORMATS
from server.errors import ProtocolError

router = APIRouter()
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DUMPS = {"ttl": ("turtle", "text/turtle"), "nq": ("nquads", "application/n-quads"),
         "jsonld": ("jsonld", "application/ld+json")}
VOCABULARIES = ("kin", "eli", "org", "skos", "qb", "prov", "dcat", "dct", "vcard", "foaf")


def _source_graphs(request: Request) -> dict[str, str]:
    """Slug -> named graph IRI, for the graphs of source documents."""
    prefix = request.app.state.settings.base_iri + "graph/sumber/"
    return {g[len(prefix):]: g for g in sorted(request.app.state.graph_names)
            if g.startswith(prefix)}


def _dump(request: Request, ext: str, graph: str | None, name: str) -> Response:
    if ext not in DUMPS:
        raise ProtocolError(404, f"no .{ext} dump; use one of {', '.join(DUMPS)}")
    fmt, media = DUMPS[ext]
    media += "; charset=utf-8" if media.startswith("text/") else ""
    if graph is None:  # the whole dataset: sent from its file (kinerja.dumps)
        dumps = request.app.state.dumps
        path = dumps.path(fmt)
        done = None if dumps.keep else BackgroundTask(path.unlink, missing_ok=True)
        return FileResponse(path, media_type=media, filename=f"{name}.{ext}", background=done)
    body = export(request.app.state.store, fmt, graph)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'})


@router.api_route("/data/kinerja.{ext}", methods=["GET", "HEAD"])
def whole(request: Request, ext: str) -> Response:
    return _dump(request, ext, None, "kinerja")


@router.get("/data/sumber/{slug}.{ext}")
def one_source(request: Request, slug: str, ext: str) -> Response:
    graphs = _source_graphs(request)
    if slug not in graphs:
        raise ProtocolError(404, f"no source graph {slug!r}; known: {', '.join(graphs)}")
    if ext == "txt":
        return _source_text(request, slug)
    return _dump(request, ext, graphs[slug], slug)


def _source_text(request: Request, slug: str) -> Response:
    """The source file's text as this build read it (UTF-8, one line per source line)."""
    from server.pages import reader, source_text

    resource = request.app.state.settings.base_iri + "id/sumber/" + slug
    rows = reader(request).select(
        "SELECT ?sha256 WHERE { $r a kin:SourceFile ; kin:sha256 ?sha256 }", r=f"<{resource}>"
    )
    lines = source_text(request, rows[0]) if rows else None
    if lines is None:
        raise ProtocolError(404, f"the text of source {slug!r} is not kept in this store")
    return Response("\n".join(lines) + "\n", media_type="text/plain; charset=utf-8")


def _counts(request: Request, graphs: Iterable[str]) -> tuple[int, dict[str, int]]:
    """The triples of the merged default graph and of each of ``graphs``, as the served
    build recorded them (as for the home page); counted by the store where it may have
    changed since (a remote store) or no build recorded them for every one of ``graphs``.
    Counting quad by quad took 60.5 s at scale 2,422 (5.5 M triples)."""
    state = request.app.state
    recorded = None if state.remote else State.open(state.build_dir)
    if recorded is not None:
        try:
            merged, per_graph = recorded.totals[MERGED], recorded.graph_triples()
        finally:
            recorded.close()
        if all(g in per_graph for g in graphs):
            return merged, per_graph
    rows = state.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                             "GROUP BY ?g")
    return kstore.default_graph_size(state.store), {
        row["g"].value: int(row["n"].value) for row in rows}


def describe(request: Request) -> Graph:
    state = request.app.state
    site = str(request.base_url).rstrip("/")
    g = Graph()
    for prefix in ("void", "dcat", "dct", "foaf"):
        g.bind(prefix, {"void": VOID, "dcat": DCAT, "dct": DCTERMS, "foaf": FOAF}[prefix])
    dataset = URIRef(state.settings.base_iri + "id/dataset/kinerja")
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("kinerja: indikator kinerja pemerintah Indonesia",
                                           lang="id")))
    g.add((dataset, DCTERMS.title, Literal("kinerja: Indonesian government performance "
                                           "indicators", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "Indicators (IKU, IKK), targets, activity goals, programs and the legal bases of "
        "Indonesian government performance documents, as linked data.", lang="en")))
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, FOAF.homepage, URIRef(site + "/")))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(site + "/sparql")))
    g.add((dataset, VOID.uriSpace, Literal(state.settings.base_iri + "id/")))
    sources = _source_graphs(request)
    merged, per_graph = _counts(request, sources.values())
    g.add((dataset, VOID.triples, Literal(merged, datatype=XSD.integer)))
    for prefix in VOCABULARIES:
        g.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    service = URIRef(site + "/sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((dataset, DCAT.accessService, service))
    for ext, (_fmt, media) in DUMPS.items():
        url = URIRef(f"{site}/data/kinerja.{ext}")
        g.add((dataset, VOID.dataDump, url))
        g.add((dataset, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCAT.downloadURL, url))
        g.add((url, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/"
                                            f"{media}")))
        g.add((url, DCTERMS.license, LICENSE))
    for slug, graph in sources.items():
        subset = URIRef(graph)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(per_graph[graph], datatype=XSD.integer)))
        g.add((subset, VOID.dataDump, URIRef(f"{site}/data/sumber/{slug}.nq")))
    return g


@router.get("/.well-known/void")
def void(request: Request) -> Response:
    try:
        fmt = negotiation.choose("graph", request.headers.get("accept"),
                                 request.query_params.getlist("format"))
    except negotiation.NotAcceptable as e:
        raise ProtocolError(406, str(e)) from None
    except negotiation.UnknownFormat as e:
        raise ProtocolError(400, str(e)) from None
    return Response(_description(request, fmt), media_type=negotiation.media_type(fmt))


_lock = threading.Lock()
KEPT_DESCRIPTIONS = 8  # (site, format) pairs; the site comes from the request's Host


def _description(request: Request, fmt: str) -> bytes:
    """The description in ``fmt``, made on the first request for it and kept: it changes
    only with the build served, and at scale 2,422 (4,845 sources, a subset each) making
    it took 0.86 s. Not kept for a remote store, whose data may change under the server."""
    state = request.app.state
    key = (str(request.base_url), fmt)
    with _lock:
        if not hasattr(state, "descriptions"):
            state.descriptions = OrderedDict()
        kept: OrderedDict[tuple[str, str], bytes] = state.descriptions
        if key in kept and not state.remote:
            kept.move_to_end(key)
            return kept[key]
    body = describe(request).serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
    if not state.remote:
        with _lock:
            kept[key] = body
            while len(kept) > KEPT_DESCRIPTIONS:
                kept.popitem(last=False)
    return body
