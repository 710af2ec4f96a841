"""The analyst's views: the trace of an indicator to its legal bases (``/jejak/...``) and
comparison grids for an indicator concept, a program or a sasaran (``/banding/...``), each
with a CSV twin (``?format=csv``)."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request, Response

from kinerja.catalogue.grid import CSV_COLUMNS, grid
from kinerja.catalogue.resources import kind_of
from kinerja.catalogue.trace import trace
from server import i18n
from server.charts import bar_chart
from server.errors import ProtocolError
from server.pages import reader
from server.render import href, number

router = APIRouter()
GRID_KINDS = ("concept", "program", "goal")


def _resource(request: Request, path: str) -> tuple[str, str]:
    resource = request.app.state.settings.base_iri + "id/" + path
    r = reader(request)
    kind = kind_of(r.types(resource))
    if kind == "resource" and not r.exists(resource):
        raise ProtocolError(404, f"no resource <{resource}> in this graph")
    return resource, kind


@router.get("/jejak/{path:path}")
def trace_view(request: Request, path: str) -> Response:
    resource, kind = _resource(request, path)
    if kind != "indicator":
        raise ProtocolError(
            404,
            f"<{resource}> is a {kind}, not an indicator: only indicators "
            "have a trace (open /jejak/ with an indicator's path)",
        )
    lang = i18n.language(request)
    result = trace(reader(request), resource, lang)
    borrowed: dict[str, dict] = {}
    for row in result.borrowed:
        group = borrowed.setdefault(row["doc"].text, {"doc": row, "bases": []})
        group["bases"].append(row)
    context = {"trace": result, "borrowed": list(borrowed.values()), "path": path}
    return request.app.state.templates.TemplateResponse(request, "trace.html", context)


@router.get("/banding/{path:path}")
def grid_view(request: Request, path: str, format: str | None = None) -> Response:
    resource, kind = _resource(request, path)
    if kind not in GRID_KINDS:
        raise ProtocolError(
            404,
            f"<{resource}> is a {kind}: comparison grids are for an "
            "indicator concept, a program or a sasaran",
        )
    r = reader(request)
    g = grid(r, resource, kind, getattr(request.app.state, "listing_index", None))
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(g.csv_rows())
        name = path.rstrip("/").rsplit("/", 1)[-1]
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="banding-{name}.csv"'},
        )
    if format is not None:
        raise ProtocolError(400, f"format={format!r} is not offered here; use format=csv")
    lang = i18n.language(request)
    labels = r.labels([t["unit"].text for t in g.targets if "unit" in t], lang)
    charts = []
    if kind == "concept" and g.chartable:
        for unit, targets in g.series().items():
            unit_iri = next((t["unit"].text for t in targets if "unit" in t), "")
            charts.append(
                bar_chart(
                    labels.get(unit_iri, unit),
                    [
                        (
                            f"{t['officeLabel'].text} {t['year'].text}",
                            t["value"].number or 0.0,
                            t["text"].text,
                            href(request, t["indicator"].text),
                        )
                        for t in targets
                    ],
                )
            )
    context = {
        "grid": g,
        "kind": kind,
        "path": path,
        "charts": charts,
        "label": r.labels([resource], lang).get(resource, resource),
        "resource": resource,
        "unit_labels": labels,
        "number": lambda v: number(v, lang),
    }
    return request.app.state.templates.TemplateResponse(request, "grid.html", context)
