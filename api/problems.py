"""Every error answer is `application/problem+json` (RFC 9457), mapped here and only here.

| raised | status |
|---|---|
| `InvalidInput` (`ScenarioInvalid`, `RotaInvalid`), request validation | 422, with `errors` [{path, message}] |
| `NotFound`, unknown route | 404 |
| `StaleWrite` (stale `If-Match`) | 412 |
| `Conflict` (`PlanActive`: with the plan's id in `plan` and `Location`) | 409 |
| `QueueFull` (too many plans queued or running) | 429, with `Retry-After` |
| `LimitExceeded`, body over `ROTA_MAX_BODY_BYTES` | 413 |
| `PlanningError` | 422 |
| `Unauthenticated` (no, unknown or revoked token) | 401, with `WWW-Authenticate: Bearer` |
| `Forbidden` (scope or team not granted) | 403 |
| `UnsupportedMedia` | 415 |
| `Unavailable` (a part of the service not configured or not installed) | 503 |
| `StoreUnavailable`, SQLAlchemy `OperationalError` (the database does not answer) | 503 |
| any other `RotaError` | 400 |
| anything unexpected | 500 (a bug: logged with its traceback, never shown) |

`responses(...)` documents a route's error answers in OpenAPI as `application/problem+json` with
the `Problem` schema (`rota_api.schemas`); each route lists the statuses it can answer.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from rota.errors import (
    Conflict,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PlanningError,
    RotaError,
)
from rota.store import StaleWrite, StoreUnavailable
from rota.store.plans import QueueFull
from rota.validation import format_path

PROBLEM_JSON = "application/problem+json"
STORE_DOWN = (StoreUnavailable, sa.exc.OperationalError)  # answered 503
log = logging.getLogger("rota.api")


class Unauthenticated(RotaError):
    title = "Unauthorized"


class Forbidden(RotaError):
    title = "Forbidden"


class UnsupportedMedia(RotaError):
    title = "Unsupported media type"


class Unavailable(RotaError):
    title = "Service unavailable"


# Most specific first: the first matching class decides.
STATUS: list[tuple[type[RotaError], int, str]] = [
    (StaleWrite, 412, "stale-write"),
    (InvalidInput, 422, "invalid-input"),
    (NotFound, 404, "not-found"),
    (Conflict, 409, "conflict"),
    (QueueFull, 429, "too-many-plans"),
    (LimitExceeded, 413, "too-large"),
    (PlanningError, 422, "planning-error"),
    (Unauthenticated, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (UnsupportedMedia, 415, "unsupported-media-type"),
    (Unavailable, 503, "unavailable"),
    (StoreUnavailable, 503, "store-unavailable"),
    (RotaError, 400, "bad-request"),
]

HTTP_TITLES = {404: "Not found", 405: "Method not allowed", 406: "Not acceptable",
               413: "Content too large", 415: "Unsupported media type"}


ERROR_DOC = {
    400: "the request cannot be processed",
    401: "no, unknown, expired or revoked token (`WWW-Authenticate: Bearer`)",
    403: "the token lacks the scope or is limited to other teams",
    404: "no such team, region, plan, version, override or engineer (or no rota yet)",
    409: "the request conflicts with the resource's state",
    412: "`If-Match` names a state that is no longer current",
    413: "the body or the work asked for is past a documented limit",
    415: "the body's Content-Type is not accepted here",
    422: "invalid input: every error with its path in `errors`",
    429: "too many requests queued; retry after `Retry-After` seconds",
    503: "the store does not answer, or a part of the service is not configured",
}
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
READ_ERRORS = (401, 403, 404, 422, 503)  # a read of a team's resource with a bearer token
WRITE_ERRORS = (401, 403, 404, 413, 422, 503)  # a write with a body


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route can answer."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": ERROR_DOC[status],
                                 "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status == 429:
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        out[status] = entry
    return out


def problem(status: int, title: str, detail: str, slug: str | None = None,
            errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None,
            extensions: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        **(extensions or {}),
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def from_rota_error(exc: RotaError) -> JSONResponse:
    status, slug = next((s, g) for cls, s, g in STATUS if isinstance(exc, cls))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else getattr(exc, "headers", None)
    if isinstance(exc, InvalidInput):
        errors = [{"path": e.path, "message": e.message} for e in exc.errors]
        detail = f"{exc.what}: {len(errors)} error{'s' if len(errors) != 1 else ''}"
        return problem(status, exc.title, detail, slug, errors)
    return problem(status, exc.title, exc.message, slug, headers=headers,
                   extensions=getattr(exc, "extensions", None))


async def _rota_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RotaError)
    return from_rota_error(exc)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"path": format_path(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
    detail = f"request: {len(errors)} error{'s' if len(errors) != 1 else ''}"
    return problem(422, "Invalid input", detail, "invalid-input", errors)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = HTTP_TITLES.get(exc.status_code, "HTTP error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    return problem(exc.status_code, title, detail, headers=dict(exc.headers or {}))


async def _store_down(request: Request, exc: Exception) -> JSONResponse:
    log.error("store error on %s %s: %s", request.method, request.url.path, exc)
    return from_rota_error(StoreUnavailable(f"the store did not answer: {type(exc).__name__}"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "Internal server error", "an unexpected error; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RotaError, _rota_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(sa.exc.OperationalError, _store_down)
    app.add_exception_handler(Exception, _unexpected)
