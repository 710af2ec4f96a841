"""Linked Data: every IRI under ``{base}id/`` dereferences here at ``/id/...``.

HTML for browsers (label, every statement about the resource with the source graph it
comes from, and what points to it); Turtle, JSON-LD, RDF/XML, N-Triples by Accept or
``?format=``, with ``Vary: Accept`` and ``<link rel="alternate">`` to each format.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from kinerja.catalogue.reader import Reader
from kinerja.catalogue.resources import describe, source_layout
from kinerja.namespaces import PREFIXES
from kinerja.results import write_triples
from kinerja.store import text_path
from server import i18n, negotiation
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
# Statements shown in HTML; all of them are in the RDF formats. An instrument the whole
# country cites has a few statements in each of thousands of graphs.
MAX_STATEMENTS = 500


def rdf_format(request: Request, what: str) -> str | None:
    """The RDF format asked for by ``?format=`` or Accept, or None when a browser wants
    the HTML page; 406 for anything else."""
    fmt = request.query_params.get("format")
    accept = request.headers.get("accept")
    if not fmt and negotiation.wants_html(accept):
        return None
    try:
        name = negotiation.choose("graph", accept, fmt)
    except (negotiation.NotAcceptable, negotiation.UnknownFormat) as e:
        raise ProtocolError(406, str(e)) from None
    if name not in RDF_FORMATS:
        raise ProtocolError(406, f"{name} is not served for {what}; use {', '.join(RDF_FORMATS)}")
    return name


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
    name = rdf_format(request, "resources")
    if name is not None:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        body = write_triples(triples, RDF_FORMATS[name], PREFIXES)
        return Response(body, media_type=negotiation.media_type(name), headers={"Vary": "Accept"})
    return _html(request, path, iri, quads)


KIND_LABELS = {
    "document": ("Dokumen", "Document"),
    "legal": ("Peraturan", "Legal instrument"),
    "article": ("Bagian peraturan", "Part of a legal instrument"),
    "indicator": ("Indikator", "Indicator"),
    "target": ("Target", "Target"),
    "goal": ("Sasaran kegiatan", "Activity goal"),
    "concept": ("Konsep indikator", "Indicator concept"),
    "program": ("Program", "Program"),
    "office": ("Kantor", "Office"),
    "organization": ("Organisasi", "Organisation"),
    "unit": ("Satuan", "Unit"),
    "province": ("Provinsi", "Province"),
    "source": ("Berkas sumber", "Source file"),
    "resource": ("Sumber daya", "Resource"),
}
MEDIA_TYPES = {name: negotiation.media_type(name).split(";")[0] for name in RDF_FORMATS}
FORMAT_NAMES = {
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
    "ntriples": "N-Triples",
}


def _html(request: Request, path: str, iri: ox.NamedNode, quads: list[ox.Quad]) -> Response:
    state = request.app.state
    lang = i18n.language(request)
    page = describe(reader(request), iri.value, lang)
    stated = sorted(
        (q for q in quads if isinstance(q.graph_name, ox.NamedNode)),
        key=lambda q: (q.predicate.value, str(q.object)),
    )
    statements = [
        {
            "p": _term(request, q.predicate),
            "o": _term(request, q.object),
            "graph": _short(q.graph_name.value),
        }
        for q in stated[:MAX_STATEMENTS]
    ]
    incoming = []
    for q in state.store.quads_for_pattern(None, None, iri, ox.DefaultGraph()):
        if len(incoming) == MAX_INCOMING:
            break
        incoming.append({"s": _term(request, q.subject), "p": _term(request, q.predicate)})
    context = {
        "page": page,
        "kind_label": KIND_LABELS[page.kind][lang == "en"],
        "statements": statements,
        "statement_total": len(stated),
        "incoming": incoming,
        "max_incoming": MAX_INCOMING,
        "formats": list(RDF_FORMATS),
        "media_types": MEDIA_TYPES,
        "format_names": FORMAT_NAMES,
        "path": "/id/" + path,
        "facet_value": path,
        "trace_href": "/jejak/" + path,
        "grid_href": "/banding/" + path,
    }
    concept = page.sections.get("row", {}).get("concept") if page.kind == "indicator" else None
    if concept is not None:
        context["grid_href"] = "/banding/" + concept.text[len(state.settings.base_iri + "id/") :]
    if page.kind == "document":
        context["layout"] = source_layout(page.sections["indicators"])
    if page.kind == "source":
        context["source_text"] = source_text(request, page.sections["meta"])
    template = f"pages/{page.kind}.html"
    return state.templates.TemplateResponse(request, template, context, headers={"Vary": "Accept"})


def reader(request: Request) -> Reader:
    state = request.app.state
    if not hasattr(state, "reader"):
        state.reader = Reader(state.store, state.settings.base_iri, lateral=state.lateral)
    return state.reader


def source_text(request: Request, meta: dict) -> list[str] | None:
    """The lines of a source file as the build read them, if the store keeps them."""
    sha256 = meta.get("sha256")
    if not sha256:
        return None
    file = text_path(request.app.state.settings.store_dir, sha256.text)
    if file is None or not file.is_file():
        return None
    return file.read_text(encoding="utf-8").splitlines()
