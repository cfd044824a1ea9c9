"""`GET /v1/teams/{team}/now` (read): who responds at an instant (default: the request time).

Answered from the team's in-memory `NowIndex` (`rota_api.current`). A gap is data: the answer is 200.

This is the hot path, so it is lean: `NowFastPath` serves it ahead of FastAPI's router, the token
and query are read directly rather than through declared dependencies (whose resolution costs
more than the answer), the plain-JSON answer is serialised with orjson and kept for the second it
was asked in (`rota_api.answer_cache`: the answer is a function of the team's state revision,
region, severity and the instant in whole seconds), and it runs on the event loop when the index
is built and fresh (else in the thread pool). The same rules apply as
elsewhere: 401/403 before anything else, and 422 with the parameter's path for a bad `at` or
`severity`.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Mapping
from typing import Any, get_args
from urllib.parse import parse_qsl

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from rota.errors import FieldError, InvalidInput, RotaError
from rota.scenario import SEVERITIES, Severity
from rota.spans import to_ts
from rota.store import StoreUnavailable
from rota_api.answer_cache import AnswerCache
from rota_api.current import CurrentCache
from rota_api.deps import Services, parse_instant, services_of
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, STORE_DOWN, from_rota_error, log, responses
from rota_api.schemas import NowAnswer

router = APIRouter(prefix="/v1/teams", tags=["now"])

_QUERY = [
    {"name": "team", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "at", "in": "query", "required": False, "description": "ISO 8601 instant; default now",
     "schema": {"type": "string"}},
    {"name": "region", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "severity", "in": "query", "required": False,
     "schema": {"type": "string", "enum": list(get_args(Severity))}},
]


@router.get("/{team}/now", response_class=JSONResponse, response_model=None,
            responses={**answer(NowAnswer, description="who responds, per region"),
                       **responses(*READ_ERRORS)},
            openapi_extra={"parameters": _QUERY, "security": [{"HTTPBearer": []}]})
async def get_now(request: Request) -> Response:
    """Per region: responders fastest first, whether covered, the gap, and fallbacks."""
    body = await answer_now(services_of(request), request.path_params["team"],
                            request.headers.get("authorization"), request.query_params)
    return Response(body, media_type="application/json")


_answers: weakref.WeakKeyDictionary[CurrentCache, AnswerCache] = weakref.WeakKeyDictionary()


async def answer_now(services: Services, team: str, authorization: str | None,
                     query: Mapping[str, str]) -> bytes:
    """The `now` answer as JSON bytes; raises the core's errors like every route."""
    await services.tokens.authorize(authorization, "read", team)
    instant = parse_instant(query.get("at"), "at") or dt.datetime.now(dt.UTC)
    region = query.get("region")
    severity = _severity(query.get("severity"))
    cache = services.current
    current = await cache.check_async(team)
    if current is None:
        current = await run_in_threadpool(cache.get, team)
    ts = to_ts(instant)  # the answer is the same for every instant of this second
    key = (team, current.revision, region, severity)
    answers = _answers.get(cache)
    if answers is None:
        answers = _answers.setdefault(cache, AnswerCache())
    body = answers.get(key, ts)
    if body is not None:
        return body
    answer: dict[str, Any]
    if current.answers_at_once(instant):
        answer = current.now(instant, region, severity)
    else:
        answer = await run_in_threadpool(current.now, instant, region, severity)
    body = orjson.dumps(answer)
    answers.put(key, ts, ts + 1, body)
    return body


class NowFastPath:
    """Serves `GET /v1/teams/{team}/now` ahead of FastAPI's routing (ASGI middleware).

    Same function, same answers and errors as the route above (which stays for OpenAPI and any
    request this does not match); it only skips the router's per-request work, which on this
    path costs more than the answer itself.
    """

    PATH = re.compile(r"^/v1/teams/([^/]+)/now$")

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = self.PATH.match(scope["path"]) if scope["type"] == "http" else None
        if match is None or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        authorization = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value.decode("latin-1")
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        try:
            body = await answer_now(self.services, match.group(1), authorization, query)
        except RotaError as exc:
            await from_rota_error(exc)(scope, receive, send)
            return
        except STORE_DOWN as exc:  # as every other route: 503, never 500
            log.error("store error on GET %s: %s", scope["path"], exc)
            await from_rota_error(StoreUnavailable(
                f"the store did not answer: {type(exc).__name__}"))(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _severity(value: str | None) -> Severity | None:
    if value is None:
        return None
    if value not in SEVERITIES:
        raise InvalidInput([FieldError("severity", f"{value!r} is not one of "
                                       f"{', '.join(SEVERITIES)}")], "query")
    return value  # type: ignore[return-value]
