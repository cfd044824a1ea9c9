"""What the PagerDuty routes (`pagerduty`) and the on-calls fast path (`pagerduty_oncalls`) share:
PagerDuty's error answers, the token's view from its `Token token=...` header, array parameters
spelled `ids[]`, the teams a query names, and the pagination limits."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from typing import Any

import orjson
from fastapi import Request, Response
from starlette.datastructures import QueryParams

from rota.errors import InvalidInput, LimitExceeded, NotFound, RotaError
from rota.store import Token
from rota_api.compat import pagerduty_shapes as shape
from rota_api.compat import params
from rota_api.compat.directory import Directory
from rota_api.current import Current
from rota_api.deps import Services
from rota_api.problems import STORE_DOWN, Forbidden, Unauthenticated

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # past it, 400: an offset is echoed in the answer, and no list is that long

Handler = Callable[[Request], Awaitable[Response]]


def json_answer(body: dict[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def vendor_errors(handler: Handler) -> Handler:
    """Answer the core's errors in PagerDuty's shape and status."""

    @functools.wraps(handler)
    async def wrapper(request: Request) -> Response:
        try:
            return await handler(request)
        except (RotaError, *STORE_DOWN) as exc:
            return vendor_error(exc)

    return wrapper


def vendor_error(exc: Exception) -> Response:
    """A core error (or the store not answering) as PagerDuty answers it."""
    if isinstance(exc, InvalidInput):
        return json_answer(shape.error_body("Invalid Input Provided", shape.INVALID_INPUT,
                                      [str(e) for e in exc.errors]), 400)
    if isinstance(exc, Unauthenticated):
        return json_answer(shape.error_body(f"Authentication failed: {exc.message}",
                                      shape.AUTHENTICATION_FAILED), 401)
    if isinstance(exc, Forbidden):
        return json_answer(shape.error_body(f"Access Denied: {exc.message}", shape.ACCESS_DENIED), 403)
    if isinstance(exc, NotFound):
        return json_answer(shape.error_body("Not Found", shape.NOT_FOUND, [exc.message]), 404)
    if isinstance(exc, LimitExceeded):  # PagerDuty documents no code of its own for 413
        return json_answer(shape.error_body("Request Entity Too Large", shape.INVALID_INPUT, [exc.message]), 413)
    if isinstance(exc, STORE_DOWN):
        return json_answer(shape.error_body("Service Unavailable", shape.INTERNAL_ERROR,
                                      [f"the store did not answer: {type(exc).__name__}"]), 503)
    assert isinstance(exc, RotaError)
    return json_answer(shape.error_body("Invalid Input Provided", shape.INVALID_INPUT, [exc.message]), 400)


async def token_directory(services: Services, header: str | None) -> Directory:
    """The token's view, from PagerDuty's `Token token=...` header (or a bearer one)."""
    if header is not None and header[:6].lower() == "token ":
        secret = header[6:].strip()
        secret = secret[6:] if secret.lower().startswith("token=") else secret
        header = f"Bearer {secret.strip().strip(chr(34))}"
    token: Token = await services.tokens.authenticate(header)
    if not token.grants("read", None):
        raise Forbidden(f"this token has scope {token.scope!r}; 'read' is needed")
    return Directory(services, token)


def ids_in(query: QueryParams, name: str) -> frozenset[str]:
    return frozenset(query.getlist(f"{name}[]")) | frozenset(query.getlist(name))


def includes_in(query: QueryParams, allowed: set[str]) -> frozenset[str]:
    found = ids_in(query, "include")
    unknown = found - allowed
    if unknown:
        raise params.invalid("include[]", f"{sorted(unknown)[0]!r} is not one of {', '.join(sorted(allowed))}")
    return found


async def teams(directory: Directory, ids: AbstractSet[str]) -> list[Current]:
    """The current state of the teams the ids name (every readable team when there are none)."""
    names = sorted({i.partition(".")[0] for i in ids} - {""}) if ids else await directory.team_ids()
    found = []
    for team in names:
        try:
            found.append(await directory.current(team))
        except NotFound:
            continue  # PagerDuty filters by ids it knows; others simply match nothing
    return found
