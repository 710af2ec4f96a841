"""The analyst's views: the trace of an indicator to its legal bases (``/jejak/...``) and
comparison grids for an indicator concept, a program or a sasaran (``/banding/...``), each
with a CSV twin (``?format=csv``)."""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from kinerja.catalogue.grid import CSV_COLUMNS, Grid, GridPageError, grid
from kinerja.catalogue.resources import kind_of
from kinerja.catalogue.trace import trace
from server import i18n
from server.charts import MAX_BARS, bar_chart, range_chart
from server.errors import ProtocolError
from server.pages import reader
from server.render import href, number, source_line

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
def grid_view(
    request: Request,
    path: str,
    format: str | None = None,
    hal: str | None = None,
    bagian: str | None = None,
) -> Response:
    resource, kind = _resource(request, path)
    if kind not in GRID_KINDS:
        raise ProtocolError(
            404,
            f"<{resource}> is a {kind}: comparison grids are for an "
            "indicator concept, a program or a sasaran",
        )
    r = reader(request)
    index = getattr(request.app.state, "listing_index", None)
    if format == "csv":  # the whole grid, whatever the page
        g = grid(r, resource, kind, index)
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
    page, part = _number("hal", hal, "a page"), _number("bagian", bagian, "a part")
    try:
        g = grid(r, resource, kind, index, page=page, part=part)
    except GridPageError as e:
        raise ProtocolError(404, f"{e.param}: {e}") from None
    lang = i18n.language(request)
    units = {t["unit"].text for t in g.targets if "unit" in t}
    units |= {t["unit"].text for t, _n in g.charted if "unit" in t}
    labels = r.labels(sorted(units), lang)
    charts = _charts(request, g, labels, lang) if kind == "concept" and g.chartable else []
    context = {
        "grid": g,
        "table": _table(request, g, labels, lang),
        "kind": kind,
        "path": path,
        "charts": charts,
        "pages": [(i, p.span, p.targets) for i, p in enumerate(g.pages, 1)],
        "parts": [(i, p.span, p.targets) for i, p in enumerate(g.parts, 1)],
        "prev_next": _prev_next("/banding/" + path, g),
        "label": r.labels([resource], lang).get(resource, resource),
        "resource": resource,
    }
    return request.app.state.templates.TemplateResponse(request, "grid.html", context)


def _prev_next(path: str, g: Grid) -> tuple[str | None, str | None]:
    """The previous and the next page's links: through the parts of this page, then to
    the page before or after (each opens at its first part)."""
    prev = nxt = None
    if g.part > 1:
        prev = f"{path}?hal={g.page}&bagian={g.part - 1}"
    elif g.page > 1:
        prev = f"{path}?hal={g.page - 1}"
    if g.part < len(g.parts):
        nxt = f"{path}?hal={g.page}&bagian={g.part + 1}"
    elif g.page < len(g.pages):
        nxt = f"{path}?hal={g.page + 1}"
    return prev, nxt


def _number(name: str, value: str | None, what: str) -> int:
    """A page's or a part's number from its parameter (1 when not given)."""
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit() and 0 < len(value) < 10 and int(value) >= 1):
        raise ProtocolError(400, f"{name}: expected {what} number from 1, got {value!r}")
    return int(value)


def _charts(request: Request, g: Grid, labels: dict[str, str], lang: str) -> list:
    """A chart per unit of every target of the grid: a bar per target while few (and all
    on this page), else a range per year."""
    charts = []
    for unit, counted in g.series().items():
        unit_iri = next((t["unit"].text for t, _n in counted if "unit" in t), "")
        shown = labels.get(unit_iri, unit)
        if not g.paged and len(counted) <= MAX_BARS:  # whole: each row one target
            bars = [
                (
                    f"{t['officeLabel'].text} {t['year'].text}",
                    t["value"].number or 0.0,
                    t["text"].text,
                    href(request, t["indicator"].text),
                )
                for t, _n in counted
            ]
            charts.append(bar_chart(shown, bars))
            continue
        by_year: dict[str, list[float]] = {}
        for t, n in counted:
            by_year.setdefault(t["year"].text, []).extend([t["value"].number or 0.0] * n)
        spans = []
        for year, values in sorted(by_year.items()):
            low, mid, high = min(values), statistics.median(values), max(values)
            figures = (
                f"{number(mid, lang)} ({number(low, lang)}–{number(high, lang)}), "
                + (f"{len(values)} target" if lang == "id" else f"{len(values)} targets")
            )
            spans.append((year, low, mid, high, figures))
        charts.append(range_chart(shown, spans))
    return charts


@dataclass
class Entry:
    """One target in a grid cell, ready to show: its text linked to its indicator, its
    value and unit, and the source line it was read from."""

    href: str | None
    text: str
    figure: str  # value and unit, "" when the target has no value
    line_href: str | None
    line: str
    after: bool = False  # not the first in its cell: drawn after a rule


def _table(request: Request, g: Grid, labels: dict[str, str], lang: str) -> list:
    """The grid's rows as (IRI, label, a list of entries per column). Made here rather than
    in the template: a concept that hundreds of documents state has as many cells. Each
    entry knows whether it follows another, so that the template needs no ``loop``
    variable: Jinja makes an object for each loop that uses it, and with one per cell that
    took a tenth of the largest program's grid page at scale 2,422."""
    out = []
    for row_iri, row_label in g.rows:
        cells = []
        for column in g.columns:
            entries = []
            for t in g.cell(row_iri, column):
                figure = ""
                if "value" in t:
                    notation = t["unitNotation"].text if "unitNotation" in t else ""
                    unit = labels.get(t["unit"].text, notation) if "unit" in t else ""
                    figure = f"{number(t['value'], lang)} {unit}"
                line = t["line"].text if "line" in t else ""
                src = t["src"].text if "src" in t else None
                entries.append(
                    Entry(href(request, t["indicator"].text), t["text"].text, figure,
                          source_line(request, src, line), line, bool(entries))
                )
            cells.append(entries)
        out.append((row_iri, row_label, cells))
    return out
