"""One shape for every error, and no stack traces to clients.

API errors (paths under ``/api/`` and the OpenAPI document) are JSON::

    {"error": {"status": 404, "code": "not_found", "message": "no story 'abc' ...", "details": []}}

``details`` lists what was wrong with each invalid parameter (422). Page errors are HTML pages with
the same status and message. Unexpected exceptions are logged on the server and answered with a
plain 500 that says nothing of the code.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.errors import NotFoundError, StoreError

log = logging.getLogger("newsdesk.serve")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An error a handler raises on purpose: its status, a stable code and a message for the client."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers or {}
        self.details = details or []


def error_body(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    code = code or CODES.get(status, "error")
    if wants_json(request):
        return JSONResponse(error_body(status, code, message, details), status_code=status, headers=headers)
    renderer = request.app.state.renderer
    from newsdesk.publish.html import AppLinks

    title = f"{status} {HTTPStatus(status).phrase}" if status in HTTPStatus._value2member_map_ else str(status)
    html = renderer.error(status, title, message, AppLinks())
    return HTMLResponse(html, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of error through :func:`error_response`."""

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request, exc.status, exc.message, code=exc.code, headers=exc.headers, details=exc.details)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        if status == 404:
            message = f"nothing at {request.url.path}"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = str(exc.detail) if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        return error_response(request, status, message, headers=getattr(exc, "headers", None))

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [
            {"location": [str(part) for part in error.get("loc", ())], "message": str(error.get("msg", ""))}
            for error in exc.errors()
        ]
        where = ", ".join(".".join(d["location"]) for d in details) or "the request"
        return error_response(request, 422, f"invalid {where}", details=details)

    async def on_not_found(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, str(exc))

    async def on_store_error(request: Request, exc: Exception) -> Response:
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, "the store cannot be read right now; try again shortly")

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        # The server (uvicorn) logs the traceback; the client gets nothing of it.
        log.error("unexpected error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return error_response(request, 500, "internal error: the server could not answer this request")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(NotFoundError, on_not_found)
    app.add_exception_handler(StoreError, on_store_error)
    app.add_exception_handler(Exception, on_unexpected)
