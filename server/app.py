"""``create_app(settings)``: the FastAPI application over one built store (embedded, or a
remote SPARQL store when ``store_url`` is set: see docs/remote-store.md)."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerja import search as search_index
from kinerja import store as kstore
from kinerja.catalogue import listing_pages
from kinerja.dumps import Dumps, build_folder
from kinerja.executor import QueryPool
from kinerja.publish import remote_store
from kinerja.remote_pool import RemotePool
from kinerja.settings import Settings
from server import (
    catalog,
    definitions,
    errors,
    examples,
    home,
    i18n,
    listings,
    pages,
    render,
    search,
    sparql,
    views,
)

HERE = Path(__file__).parent
log = logging.getLogger("kinerja.server")

# No inline scripts or styles: every script and style is a vendored file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Headers every response gets unless it sets its own. Plain ASGI: it adds them as the
    response starts and passes the body through as it comes (an ``@app.middleware``
    function would copy every body through a stream, a few milliseconds on a large page)."""

    HEADERS = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Referrer-Policy": "same-origin",
    }

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def start(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, start)


# The collector's thresholds in a served process. A grid or listing page makes tens of
# thousands of objects that live until it is sent; with Python's own thresholds (700, 10,
# 10) each page set off about 17 young collections, each scanning them, and one page in 7
# a full one: 80 to 140 ms on the largest program's grid at scale 2,422 (20 pages: 352
# young, 32 middle and 3 full collections). With these, one young collection a page, and
# a full one every 5,000 young ones.
GC_THRESHOLDS = (10_000, 50, 100)  # measured on CPython 3.11


def create_app(settings: Settings, *, tune_gc: bool = False) -> FastAPI:
    """The application; ``tune_gc`` (for the served process only: it changes the whole
    process) sets ``GC_THRESHOLDS`` and, once started, moves every object made so far out
    of the collector's sight (``gc.freeze``): they live as long as the server."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        path = kstore.graph_path(settings.store_dir).resolve()
        app.state.build_dir = path.parent  # the build served, whatever becomes current later
        remote = remote_store(settings)
        app.state.remote = remote is not None  # its data may change under the server
        if remote is None:
            app.state.store = kstore.open_store(settings.store_dir)
            app.state.lateral = True
        else:  # the remote store answers; the local build keeps the index and the texts
            app.state.store = remote
            app.state.lateral = remote.dialect.lateral  # else the catalogue inlines it
            log.info("store: %s (%s)", remote.query_url, remote.dialect.name)
            if not path.is_dir():
                log.warning("no local build at %s: search and source texts are missing",
                            settings.store_dir)
        index_path = path.parent / kstore.SEARCH
        app.state.search = search_index.Index(index_path) if index_path.is_file() else None
        if app.state.search is None:
            log.warning("no search index at %s: run 'kinerja build' to make one", index_path)
        app.state.listing_index = listing_pages.open_index(
            path.parent / kstore.LISTING, settings.base_iri, log
        )
        app.state.graph_names = frozenset(kstore.graph_names(app.state.store))
        if remote is None:
            app.state.dumps = Dumps(app.state.store, build_folder(path.parent),
                                    near=settings.store_dir)
            app.state.pool = QueryPool(
                path,
                workers=settings.query_workers,
                timeout=settings.query_timeout,
                max_rows=settings.max_rows,
            )
        else:
            app.state.dumps = Dumps(app.state.store, keep=False, near=settings.store_dir)
            app.state.pool = RemotePool(  # closes the store when it is closed
                remote,
                workers=settings.query_workers,
                timeout=settings.query_timeout,
                max_rows=settings.max_rows,
            )
        thresholds = gc.get_threshold()
        if tune_gc:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*GC_THRESHOLDS)
        try:
            yield
        finally:
            if tune_gc:  # as it was: a server stopped in a process that goes on
                gc.set_threshold(*thresholds)
                gc.unfreeze()
            app.state.pool.close()
            app.state.dumps.close()
            if app.state.search is not None:
                app.state.search.close()
            if app.state.listing_index is not None:
                app.state.listing_index.close()

    app = FastAPI(
        title="kinerja", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.settings = settings
    app.state.templates = Jinja2Templates(
        directory=HERE / "templates", context_processors=[i18n.context, render.context]
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Kinerja-Truncated", "X-Kinerja-Rows", "X-Kinerja-Elapsed-Ms"],
    )

    app.add_middleware(SecurityHeaders)

    errors.install(app)
    app.include_router(home.router)
    app.include_router(i18n.router)
    app.include_router(catalog.router)
    app.include_router(examples.router)
    app.include_router(sparql.router)
    app.include_router(pages.router)
    app.include_router(views.router)
    app.include_router(listings.router)
    app.include_router(search.router)
    app.include_router(definitions.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/health")
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "graphs": len(app.state.graph_names)})

    return app


def run(settings: Settings) -> None:
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    log.info("serving on http://%s:%s/", settings.host, settings.port)
    app = create_app(settings, tune_gc=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
