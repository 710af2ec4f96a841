"""The home page: what this is, counts, offices, years, documents, and entry points."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kinerja.build import summarize
from server import i18n
from server.pages import reader

router = APIRouter()

DOCUMENTS = """
SELECT ?d ?label ?type ?year ?office ?officeLabel WHERE {
  ?d a kin:PerformanceDocument ; rdfs:label ?label ; kin:documentType/skos:notation ?type ;
     kin:year ?year ; kin:issuedBy ?office . ?office rdfs:label ?officeLabel .
} ORDER BY DESC(?year) ?officeLabel"""
OFFICES = """
SELECT ?office ?label (COUNT(DISTINCT ?d) AS ?documents) WHERE {
  ?office a org:OrganizationalUnit ; rdfs:label ?label .
  OPTIONAL { ?d kin:issuedBy ?office }
} GROUP BY ?office ?label ORDER BY ?label"""
YEARS = """
SELECT ?year (COUNT(DISTINCT ?t) AS ?targets) WHERE { ?t a kin:Target ; kin:year ?year }
GROUP BY ?year ORDER BY DESC(?year)"""
COUNTS = [  # summary key, listing, Indonesian, English
    ("documents", "dokumen", "Dokumen", "Documents"),
    ("indicators", "indikator", "Indikator", "Indicators"),
    ("targets", "indikator", "Target", "Targets"),
    ("goals", "sasaran", "Sasaran kegiatan", "Activity goals"),
    ("indicator concepts", "konsep", "Konsep indikator", "Indicator concepts"),
    ("programs", "program", "Program", "Programs"),
    ("legal instruments", "peraturan", "Peraturan", "Legal instruments"),
]


@router.get("/")
def home(request: Request):
    state = request.app.state
    if not hasattr(state, "summary"):
        state.summary = summarize(state.store).counts
    r = reader(request)
    lang = i18n.language(request)
    counts = [
        {"n": state.summary.get(key, 0), "href": f"/daftar/{listing}",
         "label": english if lang == "en" else indonesian}
        for key, listing, indonesian, english in COUNTS
    ]
    context = {
        "counts": counts,
        "triples": state.summary.get("triples (merged default graph)", 0),
        "documents": r.select(DOCUMENTS),
        "offices": r.select(OFFICES),
        "years": r.select(YEARS),
    }
    return state.templates.TemplateResponse(request, "home.html", context)
