"""The home page: what this is, counts, offices, years, the newest documents, and entry
points.

What it shows is read once per server (the store does not change under a running server)
and kept. The totals come from the build's state, the newest documents and the targets
per year from the listing index (the first page of ``/daftar/dokumen`` sorted by year,
newest first, and the year facet of ``/daftar/target``): by SPARQL, at national scale,
they took seconds on a server just started.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request

from kinerja.build import recorded_totals, summarize
from kinerja.catalogue import listing as listings
from server import i18n
from server.pages import reader

router = APIRouter()

NEWEST = 25  # documents on the home page; all of them are in /daftar/dokumen
OFFICES = """
SELECT ?office ?label (COUNT(DISTINCT ?d) AS ?documents) WHERE {
  ?office a org:OrganizationalUnit ; rdfs:label ?label .
  OPTIONAL { ?d kin:issuedBy ?office }
} GROUP BY ?office ?label ORDER BY ?label"""
COUNTS = [  # summary key, listing, Indonesian, English
    ("documents", "dokumen", "Dokumen", "Documents"),
    ("indicators", "indikator", "Indikator", "Indicators"),
    ("targets", "target", "Target", "Targets"),
    ("goals", "sasaran", "Sasaran kegiatan", "Activity goals"),
    ("indicator concepts", "konsep", "Konsep indikator", "Indicator concepts"),
    ("programs", "program", "Program", "Programs"),
    ("legal instruments", "peraturan", "Peraturan", "Legal instruments"),
]


_lock = threading.Lock()


def _contents(request: Request) -> dict:
    """The language-independent part of the page, read on the first visit and kept."""
    state = request.app.state
    with _lock:
        if not hasattr(state, "home"):
            r = reader(request)
            index = getattr(state, "listing_index", None)
            newest = [("urut", "tahun"), ("arah", "turun"), ("per", str(NEWEST))]
            documents = listings.LISTINGS["dokumen"]
            state.home = {
                "summary": summarize(state.store, recorded_totals(state.build_dir)).counts,
                "documents": listings.run(r, documents, newest, index=index).rows,
                "offices": r.select(OFFICES),
                "years": listings.facet(r, listings.LISTINGS["target"], [], "tahun",
                                        index=index),
            }
        return state.home


@router.get("/")
def home(request: Request):
    contents = _contents(request)
    summary = contents["summary"]
    lang = i18n.language(request)
    counts = [
        {"n": summary.get(key, 0), "href": f"/daftar/{listing}",
         "label": english if lang == "en" else indonesian}
        for key, listing, indonesian, english in COUNTS
    ]
    context = {
        "counts": counts,
        "triples": summary.get("triples (merged default graph)", 0),
        "documents": contents["documents"],
        "all_documents": summary.get("documents", 0),
        "offices": contents["offices"],
        "years": contents["years"],
    }
    return request.app.state.templates.TemplateResponse(request, "home.html", context)
