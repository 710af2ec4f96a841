"""SPARQL 1.1 Protocol at ``/sparql``: read-only, time-limited, row-capped.

GET ``?query=``, POST form, POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; results by Accept or ``format``. Without a query: the service
description for machines, the query workbench for browsers.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kinerja.errors import QueryRejected, QueryTimeout
from kinerja.executor import PoolBusy, QueryRequest
from kinerja.remote_pool import StoreUnavailable
from server import negotiation, policy
from server.errors import ProtocolError

log = logging.getLogger(__name__)
router = APIRouter()

MAX_BODY_BYTES = 1_000_000
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise ProtocolError(413, f"request body over {MAX_BODY_BYTES:,} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise ProtocolError(413, f"request body over {MAX_BODY_BYTES:,} bytes")
    return body


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{what} is not UTF-8") from None


def _media_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip().strip('"').lower()
    return parts[0].lower(), charset


async def read_params(request: Request) -> list[tuple[str, str]]:
    """The protocol parameters of a GET or POST, the query included."""
    params = list(request.query_params.multi_items())
    if request.method == "GET":
        return params
    media, charset = _media_type(request)
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"charset={charset} is not supported; send UTF-8")
    if media == SPARQL_UPDATE or any(
        k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params
    ):
        raise ProtocolError(403, READ_ONLY)
    body = await _body(request)
    if media == FORM:
        try:
            form = parse_qsl(_utf8(body, "the form body"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the form body is not UTF-8 once percent-decoded") from None
        return params + form
    if media == SPARQL_QUERY:
        if any(k == "query" for k, _ in params):
            raise ProtocolError(400, "a direct POST carries the query in its body, not in the URL")
        return [*params, ("query", _utf8(body, "the query"))]
    if not media:
        raise ProtocolError(415, f"a POST needs a Content-Type: {FORM} or {SPARQL_QUERY}")
    raise ProtocolError(415, f"Content-Type {media} is not accepted; use {FORM} or {SPARQL_QUERY}")


def _one(params, name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(
            400, f"the {name!r} parameter is given {len(values)} times; give it once"
        )
    return values[0] if values else None


def plan(request: Request, params) -> tuple[QueryRequest, policy.Checked] | None:
    """Check a request's query; None when it carries none."""
    if any(k == "update" for k, _ in params):
        raise ProtocolError(403, READ_ONLY)
    query = _one(params, "query")
    if query is None:
        return None
    state = request.app.state
    checked = policy.check(query, state.graph_names)
    kind = "results" if checked.form in ("select", "ask") else "graph"
    try:
        fmt = negotiation.choose(kind, request.headers.get("accept"),
                                 [v for k, v in params if k == "format"])
    except negotiation.UnknownFormat as e:
        raise ProtocolError(400, str(e)) from None
    except negotiation.NotAcceptable as e:
        raise ProtocolError(406, str(e)) from None
    default_graphs = _graph_iris(params, "default-graph-uri")
    named_graphs = _graph_iris(params, "named-graph-uri")
    return QueryRequest(
        query=query,
        format=fmt,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        protocol_dataset=bool(default_graphs or named_graphs),
        base_iri=str(request.url.replace(query="")),
        unknown_functions=checked.functions,
    ), checked


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")


def _graph_iris(params, name: str) -> tuple[str, ...]:
    values = tuple(v for k, v in params if k == name)
    for value in values:
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise ProtocolError(400, f"{name}={value!r} is not an absolute IRI")
    return values


async def execute(request: Request, qr: QueryRequest):
    try:
        return await run_in_threadpool(request.app.state.pool.execute, qr)
    except QueryTimeout as e:
        raise ProtocolError(503, str(e)) from None
    except PoolBusy as e:
        raise ProtocolError(503, str(e), {"Retry-After": str(e.retry_after)}) from None
    except QueryRejected as e:
        raise ProtocolError(400, str(e)) from None
    except StoreUnavailable as e:
        raise ProtocolError(502, str(e)) from None


def result_headers(result) -> dict[str, str]:
    headers = {
        "X-Kinerja-Rows": str(result.rows),
        "X-Kinerja-Elapsed-Ms": f"{result.elapsed * 1000:.1f}",
    }
    if result.truncated:
        headers["X-Kinerja-Truncated"] = "true"
    return headers


@router.api_route("/sparql", methods=["GET", "POST"])
async def sparql(request: Request) -> Response:
    params = await read_params(request)
    accept = request.headers.get("accept")
    if negotiation.wants_html(accept) and not any(k == "format" for k, _ in params):
        from server.workbench import workbench

        return await workbench(request, params)
    planned = plan(request, params)
    if planned is None:
        from server.description import service_description

        return service_description(request)
    qr, _checked = planned
    result = await execute(request, qr)
    return Response(
        result.body,
        media_type=negotiation.media_type(result.format),
        headers=result_headers(result),
    )


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"])
async def sparql_other(request: Request) -> Response:
    raise ProtocolError(
        405,
        f"{request.method} is not a SPARQL query method; use GET or POST",
        {"Allow": "GET, POST, OPTIONS"},
    )
