"""The few errors of the web layer, mapped to responses in one place.

The log gets the detail; the client gets a short, true message, never a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kinerja.errors import KinerjaError, QueryRejected, QueryTimeout, UnknownResource

log = logging.getLogger(__name__)


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status = status
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


def _text(status: int, message: str, headers=None) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _page(request: Request, status: int, message: str, headers=None):
    """An error page for a browser, plain text for every other client."""
    from server.negotiation import wants_html

    accept = request.headers.get("accept")
    templates = getattr(request.app.state, "templates", None)
    if templates is None or request.url.path.startswith("/sparql") or not wants_html(accept):
        return _text(status, message, headers)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError):
        return _page(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = "no page here" if exc.status_code == 404 else str(exc.detail)
        return _page(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(QueryRejected)
    async def rejected(request: Request, exc: QueryRejected):
        return _text(400, str(exc))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout):
        return _text(503, str(exc))

    @app.exception_handler(UnknownResource)
    async def unknown(request: Request, exc: UnknownResource):
        return _page(request, 404, str(exc))

    @app.exception_handler(KinerjaError)
    async def other(request: Request, exc: KinerjaError):
        log.error("request %s failed: %s", request.url.path, exc)
        return _text(500, "the server could not answer this request")
