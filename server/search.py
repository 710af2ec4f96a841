"""Search: ``/cari?q=`` (HTML, results grouped by type with the matched words marked) and
``/cari.json?q=`` (the same as JSON). One box in every page's header submits here."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from server.errors import ProtocolError
from server.render import href

router = APIRouter()
GROUPS = {  # type: (Indonesian, English)
    "indikator": ("Indikator", "Indicators"),
    "konsep": ("Konsep indikator", "Indicator concepts"),
    "sasaran": ("Sasaran kegiatan", "Activity goals"),
    "program": ("Program", "Programs"),
    "dokumen": ("Dokumen", "Documents"),
    "peraturan": ("Peraturan", "Legal instruments"),
    "pasal": ("Bagian peraturan", "Parts of legal instruments"),
    "organisasi": ("Organisasi", "Organisations"),
    "sumber": ("Berkas sumber", "Source files"),
    "target": ("Target", "Targets"),
    "lain": ("Lainnya", "Other"),
}
PER_GROUP = 10
MAX_PER_GROUP = 100


def _search(request: Request):
    q = request.query_params.get("q", "")
    types = request.query_params.getlist("jenis") or None
    for t in types or ():
        if t not in GROUPS:
            raise ProtocolError(400, f"parameter jenis: {t!r} is not a result type; use one of "
                                     + ", ".join(GROUPS))
    per_group = request.query_params.get("per", str(PER_GROUP))
    if not per_group.isdigit() or not 1 <= int(per_group) <= MAX_PER_GROUP:
        raise ProtocolError(400, f"parameter per: expected a number from 1 to {MAX_PER_GROUP}")
    index = getattr(request.app.state, "search", None)
    if index is None:
        raise ProtocolError(503, "this build has no search index: run 'kinerja build' again")
    try:
        return q, index.search(q, types=types, per_group=int(per_group))
    except ValueError as e:
        raise ProtocolError(400, f"parameter q: {e}") from None


@router.get("/cari.json")
def search_json(request: Request) -> Response:
    _q, results = _search(request)
    data = results.to_dict()
    for group in data["groups"]:
        for hit in group["hits"]:
            hit["href"] = href(request, hit["iri"])
    return JSONResponse(data)


@router.get("/cari")
def search_page(request: Request) -> Response:
    q, results = _search(request)
    context = {"q": q, "results": results if q.strip() else None, "groups": GROUPS}
    return request.app.state.templates.TemplateResponse(request, "search.html", context)
