"""Cached, validated responses: every GET answer carries an ETag and honours ``If-None-Match``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsdesk.serve.reader import CachedBody, Reader

HTML = "text/html; charset=utf-8"
JSON = "application/json"
ATOM = "application/atom+xml; charset=utf-8"


def reader_of(request: Request) -> Reader:
    reader: Reader = request.app.state.reader
    return reader


def to_json(data: Any) -> bytes:
    """Compact, deterministic JSON (UTF-8, keys in the order the records give them)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def cached(request: Request, key: str, media_type: str, render: Callable[[], str | bytes]) -> Response:
    """The response for ``key``, rendered at most once per store generation; 304 when the client has it.

    A cached answer is served on the event loop without touching the store; rendering (and the
    periodic check of the store's generation) runs in a worker thread with its own connection.
    """
    reader = reader_of(request)
    entry = reader.cached_response(key)
    if entry is None:
        entry = await run_in_threadpool(reader.response, key, media_type, render)
    return conditional(request, entry)


def conditional(request: Request, entry: CachedBody) -> Response:
    headers = {"ETag": entry.etag, "Cache-Control": "no-cache"}
    tags = request.headers.get("if-none-match", "")
    if tags and (tags.strip() == "*" or entry.etag in [t.strip().removeprefix("W/") for t in tags.split(",")]):
        return Response(status_code=304, headers=headers)
    return Response(entry.body, media_type=entry.media_type, headers=headers)
