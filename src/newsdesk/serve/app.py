"""The ASGI app: pages, feeds and the JSON API over one store, read-only.

Pages and API answers are read through per-thread read-only connections (SQLite ``mode=ro``;
PostgreSQL read-only transactions), so an ingest running beside the server neither blocks nor
breaks them. ``POST /api/articles`` writes through its own short-lived connection when the server
has a token. With ``watch`` settings (``newsdesk serve --watch``) the feed poller runs on a thread of
its own beside the app, with its own store connection, from startup to shutdown (see
:class:`newsdesk.sources.watch.BackgroundWatch`). Every response carries security headers; the
Content-Security-Policy allows script only from the site's own static files.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk._version import __version__
from newsdesk.publish.html import CSP, HtmlRenderer
from newsdesk.serve import api, pages
from newsdesk.serve.errors import install_error_handlers
from newsdesk.serve.ingest import Writer
from newsdesk.serve.models import IngestIn
from newsdesk.serve.reader import Reader, StoryWriter
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.write import write_story

STATIC = Path(__file__).resolve().parent.parent / "publish" / "static"
SECURITY_HEADERS = [
    (b"content-security-policy", f"{CSP}; frame-ancestors 'none'".encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response (a plain ASGI middleware: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    db_url: str,
    *,
    token: str | None = None,
    settings: Settings | None = None,
    writer: StoryWriter = write_story,
    refresh_seconds: float = 1.0,
    warm_stories: int = 60,
    open_reader: Callable[[], Any] | None = None,
    watch: Settings | None = None,
    watch_retry: float = 5.0,
) -> FastAPI:
    """The web app over the store at ``db_url``.

    ``token`` enables ``POST /api/articles`` (None or empty: writing is off). ``writer`` writes story
    pages (tests pass their own); ``refresh_seconds`` is how often the store is checked for changes;
    ``warm_stories`` newest stories have their pages written in the background (0: only on demand).
    ``watch`` (the fetch settings) runs the feed poller beside the app; ``watch_retry`` is how often it
    checks whether another watcher has let the store go.
    """
    from newsdesk.sources.watch import BackgroundWatch

    watcher = BackgroundWatch(db_url, watch, retry=watch_retry) if watch is not None else None
    reader = Reader(
        open_reader or (lambda: open_store(db_url, readonly=True)), writer=writer, refresh_seconds=refresh_seconds
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        warmer = threading.Thread(target=reader.warm, args=(warm_stories, stop), name="newsdesk-warm", daemon=True)
        if warm_stories:
            warmer.start()
        if watcher is not None:
            watcher.start()
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                await run_in_threadpool(watcher.stop, 60)  # the feed in flight finishes first
            if warm_stories:
                await run_in_threadpool(warmer.join, 30)
            reader.close()

    app = FastAPI(
        title="newsdesk",
        lifespan=lifespan,
        version=__version__,
        description="Stories, articles, search and relations from a newsdesk store. Errors share one shape.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.reader = reader
    app.state.watcher = watcher
    app.state.renderer = HtmlRenderer()
    app.state.token = token or None
    app.state.writer = Writer(db_url, settings or Settings.from_env(db=db_url))
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document plus the ingest body's schema (the handler reads the body itself)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["IngestIn"] = IngestIn.model_json_schema(ref_template="#/components/schemas/{model}")
    app.openapi_schema = schema
    return schema


def run(
    db_url: str,
    *,
    token: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
    watch: Settings | None = None,
) -> None:
    """Serve the app with uvicorn until interrupted; ``token`` (the ``token`` setting) turns writing on,
    ``watch`` (fetch settings) runs the feed poller beside it."""
    import uvicorn

    app = create_app(db_url, token=token, watch=watch)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False, server_header=False)
