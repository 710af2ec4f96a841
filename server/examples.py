"""Canned queries: ``/sparql/contoh`` lists the example queries; ``/sparql/contoh/{name}``
runs one with its parameters as form fields (as Datasette does), with stable URLs whose
results are also served as CSV and JSON (``.csv``, ``.json``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kinerja.examples import ParameterError, examples
from kinerja.executor import QueryRequest
from server import negotiation, sparql
from server.errors import ProtocolError
from server.workbench import result_table

router = APIRouter()
FORMATS = {"csv": "csv", "json": "json"}


def _example(name: str):
    try:
        return examples()[name]
    except KeyError:
        raise ProtocolError(404, f"no example query named {name!r}; see /sparql/contoh") from None


def _values(request: Request, ex) -> dict[str, str]:
    values = ex.defaults(request.app.state.settings.base_iri)
    for p in ex.params:
        given = request.query_params.getlist(p.name)
        if len(given) > 1:
            raise ProtocolError(400, f"the {p.name!r} parameter is given {len(given)} times")
        if given:
            values[p.name] = given[0]
    return values


def _request(ex, values: dict[str, str], fmt: str) -> QueryRequest:
    try:
        bindings = ex.bindings(values)
    except ParameterError as e:
        raise ProtocolError(400, str(e)) from None
    return QueryRequest(query=ex.text, format=fmt, bindings=bindings)


@router.get("/sparql/contoh")
def listing(request: Request):
    return request.app.state.templates.TemplateResponse(
        request, "examples.html", {"examples": list(examples().values())}
    )


@router.get("/sparql/contoh/{name}.{ext}")
async def download(request: Request, name: str, ext: str) -> Response:
    if ext not in FORMATS:
        raise ProtocolError(404, f"no .{ext} download; use .csv or .json")
    ex = _example(name)
    result = await sparql.execute(request, _request(ex, _values(request, ex), FORMATS[ext]))
    headers = sparql.result_headers(result)
    headers["Content-Disposition"] = f'inline; filename="{name}.{ext}"'
    return Response(result.body, media_type=negotiation.media_type(result.format), headers=headers)


@router.get("/sparql/contoh/{name}")
async def page(request: Request, name: str):
    ex = _example(name)
    values = _values(request, ex)
    context = {
        "example": ex,
        "values": values,
        "result": None,
        "error": None,
        "query_string": str(request.url.query),
    }
    status = 200
    try:
        result = await sparql.execute(request, _request(ex, values, "json"))
        context["result"] = result_table(request, result)
    except ProtocolError as e:
        context["error"], status = e.message, e.status
    return request.app.state.templates.TemplateResponse(
        request, "example.html", context, status_code=status
    )
