"""The query workbench: ``/sparql`` in a browser. A plain form that works without
JavaScript; results rendered on the server as a table with IRIs linked and labelled."""

from __future__ import annotations

import json

from fastapi import Request

from kinerja.namespaces import PREFIXES
from server import sparql
from server.errors import ProtocolError

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()
                   if p in ("kin", "eli", "org", "skos", "qb", "prov", "dct", "rdfs", "xsd"))
DEFAULT_QUERY = PROLOGUE + """
SELECT ?indikator ?label ?target WHERE {
  ?indikator a kin:Indicator ; rdfs:label ?label .
  ?t kin:indicator ?indikator ; kin:targetText ?target .
}
LIMIT 20
"""


async def workbench(request: Request, params):
    query = next((v for k, v in params if k == "query"), None)
    context = {"request": request, "query": query or DEFAULT_QUERY, "result": None,
               "error": None}
    if query is not None:
        try:
            planned = sparql.plan(request, [(k, v) for k, v in params if k != "format"]
                                  + [("format", "json")])
            qr, checked = planned
            if checked.form in ("construct", "describe"):
                from dataclasses import replace

                qr = replace(qr, format="ntriples")
            result = await sparql.execute(request, qr)
            context["result"] = _table(result)
        except ProtocolError as e:
            context["error"] = e.message
    return request.app.state.templates.TemplateResponse(request, "sparql.html", context)


def _table(result) -> dict:
    if result.kind == "select":
        data = json.loads(result.body)
        names = data["head"]["vars"]
        rows = [[row.get(n) for n in names] for row in data["results"]["bindings"]]
    elif result.kind == "ask":
        names, rows = ["boolean"], [[{"type": "literal",
                                      "value": str(json.loads(result.body)["boolean"]).lower()}]]
    else:
        names = ["triple"]
        rows = [[{"type": "literal", "value": line}]
                for line in result.body.decode().splitlines()]
    return {"vars": names, "rows": rows, "count": result.rows, "truncated": result.truncated,
            "elapsed_ms": result.elapsed * 1000}
