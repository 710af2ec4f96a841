"""Listings at ``/daftar/{name}`` with facets, counts, sorting and pagination, and the same
listing as CSV at ``/daftar/{name}.csv`` (every row that the filters select).

They are read from the build's listing index (``app.state.listing_index``); a build
without one (made before it existed) is listed by SPARQL over the whole graph instead."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from kinerja.catalogue import listing as listings
from server import i18n
from server.errors import ProtocolError
from server.pages import reader

router = APIRouter()


def _params(request: Request) -> list[tuple[str, str]]:
    return list(request.query_params.multi_items())


def _run(request: Request, name: str, everything: bool):
    chosen = listings.LISTINGS.get(name)
    if chosen is None:
        raise ProtocolError(404, f"no listing {name!r}; listings: {', '.join(listings.LISTINGS)}")
    index = getattr(request.app.state, "listing_index", None)
    try:
        return listings.run(
            reader(request), chosen, _params(request), i18n.language(request), everything, index
        )
    except listings.ListingError as e:
        raise ProtocolError(400, f"parameter {e}") from None


@router.get("/daftar")
def index(request: Request) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "listings.html", {"listings": listings.LISTINGS.values()}
    )


@router.get("/daftar/{name}")
def listing(request: Request, name: str) -> Response:
    if name.endswith(".csv"):
        return _csv(request, name[: -len(".csv")])
    result = _run(request, name, everything=False)
    params = [(k, v) for k, v in _params(request) if k != "lang"]

    def with_(**changes) -> str:
        """This listing's URL with some parameters changed (None removes one)."""
        kept = [(k, v) for k, v in params if k not in changes and k != "hal"]
        kept += [(k, str(v)) for k, v in changes.items() if v is not None]
        return f"/daftar/{name}" + ("?" + urlencode(kept) if kept else "")

    def flip(facet: str, value: str) -> str:
        """This listing's URL with one facet value added, or removed if chosen."""
        kept = [(k, v) for k, v in params if k != "hal"]
        if (facet, value) in kept:
            kept.remove((facet, value))
        else:
            kept.append((facet, value))
        return f"/daftar/{name}" + ("?" + urlencode(kept) if kept else "")

    page_params = [(k, v) for k, v in params if k != "hal"]

    def shown(facet: str) -> tuple[list, int, str | None]:
        """A facet's values as given (see ``listings.kept``), how many more there are, and
        the link that shows them all, or fewer again (None: neither applies)."""
        counts, hidden = result.facets[facet], result.hidden.get(facet, 0)
        if hidden:
            return counts, hidden, f"/daftar/{name}?" + urlencode(params + [("semua", facet)])
        if ("semua", facet) not in params or len(counts) <= listings.FACET_VALUES:
            return counts, 0, None
        kept = [(k, v) for k, v in params if (k, v) != ("semua", facet)]
        return counts, 0, f"/daftar/{name}" + ("?" + urlencode(kept) if kept else "")

    context = {
        "result": result,
        "name": name,
        "with_": with_,
        "flip": flip,
        "shown": shown,
        "csv_href": f"/daftar/{name}.csv" + ("?" + urlencode(page_params) if page_params else ""),
        "page_href": lambda n: f"/daftar/{name}?" + urlencode(page_params + [("hal", n)]),
    }
    return request.app.state.templates.TemplateResponse(request, "listing.html", context)


def _csv(request: Request, name: str) -> Response:
    result = _run(request, name, everything=True)
    columns = result.listing.columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = []
    for c in columns:
        header.append(c.name)
        if c.link:
            header.append(c.link + "_iri")
    writer.writerow(header)
    for row in result.rows:
        cells = []
        for c in columns:
            cells.append(row[c.name].text if c.name in row else "")
            if c.link:
                cells.append(row[c.link].text if c.link in row else "")
        writer.writerow(cells)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
