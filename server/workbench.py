"""The query workbench: ``/sparql`` in a browser. A plain form that works without
JavaScript (CodeMirror adds highlighting when it can); results rendered on the server as a
table with IRIs linked to their pages and labelled, timing, row count, downloads and a
shareable URL."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import Request

from kinerja.examples import examples
from kinerja.namespaces import PREFIXES
from server import render, sparql
from server.errors import ProtocolError

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PROLOGUE = "".join(
    f"PREFIX {p}: <{iri}>\n"
    for p, iri in PREFIXES.items()
    if p in ("kin", "eli", "org", "skos", "qb", "prov", "dct", "rdfs", "xsd")
)
DEFAULT_QUERY = (
    PROLOGUE
    + """
SELECT ?indikator ?label ?target WHERE {
  ?indikator a kin:Indicator ; rdfs:label ?label .
  ?t kin:indicator ?indikator ; kin:targetText ?target .
}
LIMIT 20
"""
)
DOWNLOADS = {
    "select": ["csv", "json", "tsv", "xml"],
    "ask": ["json", "xml"],
    "graph": ["turtle", "ntriples", "jsonld", "rdfxml", "nquads"],
}


async def workbench(request: Request, params):
    query = next((v for k, v in params if k == "query"), None)
    context = {
        "query": query or DEFAULT_QUERY,
        "result": None,
        "error": None,
        "examples": list(examples().values()),
        "downloads": [],
        "share": None,
    }
    status = 200
    if query is not None:
        context["share"] = "/sparql?" + urlencode({"query": query})
        try:
            planned = sparql.plan(
                request, [(k, v) for k, v in params if k != "format"] + [("format", "json")]
            )
            qr, checked = planned
            if checked.form in ("construct", "describe"):
                qr = replace(qr, format="ntriples")
            result = await sparql.execute(request, qr)
            context["result"] = result_table(request, result)
            context["downloads"] = [
                (fmt, "/sparql?" + urlencode({"query": query, "format": fmt}))
                for fmt in DOWNLOADS[result.kind]
            ]
        except ProtocolError as e:
            context["error"], status = e.message, e.status
    return request.app.state.templates.TemplateResponse(
        request, "sparql.html", context, status_code=status
    )


def link_for(request: Request, iri: str) -> str | None:
    """Where a result IRI links to: its page here, or itself if http(s); else nowhere."""
    return render.href(request, iri)


def label_of(request: Request, iri: str) -> str | None:
    store = request.app.state.store
    best = None
    for quad in store.quads_for_pattern(ox.NamedNode(iri), RDFS_LABEL, None, None):
        if getattr(quad.object, "language", None) == "id":
            return quad.object.value
        best = best or quad.object.value
    return best


def result_table(request: Request, result) -> dict:
    if result.kind == "select":
        data = json.loads(result.body)
        names = data["head"]["vars"]
        rows = [[row.get(n) for n in names] for row in data["results"]["bindings"]]
    elif result.kind == "ask":
        names = ["boolean"]
        rows = [[{"type": "literal", "value": str(json.loads(result.body)["boolean"]).lower()}]]
    else:
        names = ["triple"]
        rows = [[{"type": "literal", "value": line}] for line in result.body.decode().splitlines()]
    for row in rows:
        for cell in row:
            if cell and cell["type"] == "uri":
                cell["href"] = link_for(request, cell["value"])
                cell["label"] = label_of(request, cell["value"])
    return {
        "vars": names,
        "rows": rows,
        "count": result.rows,
        "truncated": result.truncated,
        "elapsed_ms": result.elapsed * 1000,
    }
