"""The home page: what this is, counts, documents, and entry points."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kinerja.build import summarize
from kinerja.namespaces import PREFIXES
from server.workbench import link_for

router = APIRouter()

DOCUMENTS = """
SELECT ?d ?label ?type ?year ?office WHERE {
  ?d a kin:PerformanceDocument ; rdfs:label ?label ; kin:documentType/skos:notation ?type ;
     kin:year ?year ; kin:issuedBy/rdfs:label ?office .
} ORDER BY ?year ?office"""


@router.get("/")
def home(request: Request):
    state = request.app.state
    if not hasattr(state, "summary"):
        state.summary = summarize(state.store).counts
    documents = [
        {"href": link_for(request, s["d"].value), "label": s["label"].value,
         "type": s["type"].value, "year": s["year"].value, "office": s["office"].value}
        for s in state.store.query(DOCUMENTS, prefixes=PREFIXES)
    ]
    return state.templates.TemplateResponse(
        request, "home.html", {"counts": state.summary, "documents": documents})
