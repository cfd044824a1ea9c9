"""Opsgenie's Who-is-on-call API, read subset, under `/opsgenie` (a client's base URL is
`https://HOST/opsgenie`, where Opsgenie's is `https://api.opsgenie.com`).

Routes: `GET /v2/schedules`, `/v2/schedules/{identifier}/on-calls` and `/next-on-calls`
(`scheduleIdentifierType=id|name`, `flat`, `date`). A schedule per team and region: id
`{team}.{region}`, name `{team}_{region}` (as Opsgenie names a team's schedule `{Team}_schedule`).
Participants are users, named by their e-mail (Opsgenie's username) or else their engineer id:
the region's on-call engineers at `date` (default: now), level 1 (within the target, fastest
first) before level 2, from `rota.oncall_entries` like `now`.

`next-on-calls`: `nextOnCallRecipients` are those on call from the next instant after `date` at
which the region's on-call engineers change; `exactNextOnCallRecipients` those of them who were not
on call just before (who comes on). Both are empty when nothing changes within the known range.

Every answer has Opsgenie's envelope: `data`, `took` (seconds) and `requestId`. Errors are
`{"message", "took", "requestId"}` (with `errors` for 422): 401 without a valid
`Authorization: GenieKey <rota token>` (or `Bearer`), 403 for a token without read scope, 404 for
an unknown schedule or one of a team the token may not read, 422 for a bad parameter (also one
holding a control character), 413 for a body over the limit (`rota_api.bodylimit`), 503 when the
store does not answer. `/openapi.json` documents each
route's parameters, answer and errors (`opsgenie_models`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response

from rota.errors import InvalidInput, LimitExceeded, NotFound, RotaError
from rota.oncall_entries import Entry, fastest_key
from rota.scenario import Region, Scenario
from rota.spans import to_ts
from rota.store import Token
from rota_api.compat import params
from rota_api.compat.directory import Directory
from rota_api.compat.opsgenie_models import OPERATIONS
from rota_api.current import Current
from rota_api.deps import services_of
from rota_api.problems import STORE_DOWN, Forbidden, Unauthenticated

router = APIRouter(prefix="/opsgenie", tags=["compat: Opsgenie"])

Handler = Callable[[Request], Awaitable[Response]]


def _answer(started: float, body: dict[str, Any], status: int = 200) -> Response:
    envelope = {**body, "took": round(time.perf_counter() - started, 3), "requestId": str(uuid.uuid4())}
    return Response(orjson.dumps(envelope), status_code=status, media_type="application/json")


def vendor_errors(handler: Callable[[Request, float], Awaitable[Response]]) -> Handler:
    """Answer the core's errors in Opsgenie's shape and status."""

    async def wrapper(request: Request) -> Response:
        started = time.perf_counter()
        try:
            return await handler(request, started)
        except (RotaError, *STORE_DOWN) as exc:
            return error_answer(exc, started)

    # not functools.wraps: FastAPI would read the handler's own parameters as query parameters
    wrapper.__name__, wrapper.__doc__ = handler.__name__, handler.__doc__
    return wrapper


def error_answer(exc: Exception, started: float) -> Response:
    """A core error (or the store not answering) as Opsgenie answers it."""
    if isinstance(exc, InvalidInput):
        return _answer(started, {"message": "Request is not processable. Please check the errors.",
                                 "errors": {e.path: e.message for e in exc.errors}}, 422)
    if isinstance(exc, Unauthenticated):
        return _answer(started, {"message": f"Could not authenticate: {exc.message}"}, 401)
    if isinstance(exc, Forbidden):
        return _answer(started, {"message": exc.message}, 403)
    if isinstance(exc, NotFound):
        return _answer(started, {"message": exc.message}, 404)
    if isinstance(exc, LimitExceeded):
        return _answer(started, {"message": exc.message}, 413)
    if isinstance(exc, STORE_DOWN):
        return _answer(started, {"message": f"the store did not answer: {type(exc).__name__}"}, 503)
    assert isinstance(exc, RotaError)
    return _answer(started, {"message": exc.message}, 422)


def vendor_error_answer(exc: Exception) -> Response:
    """`error_answer` for an error found before the route started (`rota_api.edge`)."""
    return error_answer(exc, time.perf_counter())


async def _directory(request: Request) -> Directory:
    header = request.headers.get("authorization")
    if header is not None and header[:9].lower() == "geniekey ":
        header = f"Bearer {header[9:].strip()}"
    services = services_of(request)
    token: Token = await services.tokens.authenticate(header)
    if not token.grants("read", None):
        raise Forbidden(f"this key has scope {token.scope!r}; 'read' is needed")
    return Directory(services, token)


def _name(scenario: Scenario, region: Region) -> str:
    return f"{scenario.team}_{region.id}"


def _meta(scenario: Scenario, region: Region) -> dict[str, Any]:
    return {"id": f"{scenario.team}.{region.id}", "name": _name(scenario, region), "enabled": True}


async def _schedule(request: Request, directory: Directory) -> tuple[Current, Region]:
    identifier = request.path_params["identifier"]
    kind = request.query_params.get("scheduleIdentifierType", "id")
    if kind not in ("id", "name"):
        raise params.invalid("scheduleIdentifierType", f"{kind!r} is not id or name")
    team, _, region_id = identifier.partition("." if kind == "id" else "_")
    if not team or not region_id:
        raise NotFound(f"No schedule exists with {kind} [{identifier}]")
    try:
        current = await directory.current(team)
    except NotFound:
        raise NotFound(f"No schedule exists with {kind} [{identifier}]") from None
    region = current.scenario.region_by_id.get(region_id)
    if region is None:
        raise NotFound(f"No schedule exists with {kind} [{identifier}]")
    return current, region


def _date(request: Request) -> int:
    value = request.query_params.get("date")
    if value is not None:
        value = value.replace(" ", "+")  # an unescaped '+' of the offset arrives as a space
    found = params.instant({"date": value} if value is not None else {}, "date")
    return to_ts(found) if found is not None else int(time.time())


async def _on_call_at(directory: Directory, current: Current, region: Region, ts: int) -> list[Entry]:
    """The region's on-call entries at `ts`: level 1 fastest first, then level 2."""
    entries = await directory.entries(current)
    if region.id not in entries or current.index is None:
        return []
    team = current.index.team
    return sorted(entries[region.id].overlapping(ts, ts),
                  key=lambda e: (e.level, fastest_key(team, e.engineer, ts)))


def _username(scenario: Scenario, engineer_id: str) -> str:
    engineer = scenario.engineer_by_id[engineer_id]
    return engineer.contact.email or engineer.id


def _participants(scenario: Scenario, engineers: list[str], flat: bool) -> list[Any]:
    if flat:
        return [_username(scenario, e) for e in engineers]
    return [{"id": f"{scenario.team}.{e}", "name": _username(scenario, e), "type": "user"}
            for e in engineers]


@router.get("/v2/schedules", **OPERATIONS["schedules"])
@vendor_errors
async def list_schedules(request: Request, started: float) -> Response:
    directory = await _directory(request)
    data = []
    for team in await directory.team_ids():
        scenario = (await directory.current(team)).scenario
        for region in scenario.regions:
            data.append({**_meta(scenario, region),
                         "description": f"Who is on call for {region.label}",
                         "timezone": region.timezone,
                         "ownerTeam": {"id": scenario.team, "name": scenario.name or scenario.team},
                         "rotations": []})
    return _answer(started, {"data": data, "expandable": []})


@router.get("/v2/schedules/{identifier}/on-calls", **OPERATIONS["on_calls"])
@vendor_errors
async def on_calls(request: Request, started: float) -> Response:
    """Who is on call for the schedule at `date` (default: now)."""
    directory = await _directory(request)
    current, region = await _schedule(request, directory)
    flat = params.boolean(request.query_params, "flat")
    ts = _date(request)
    engineers = [e.engineer for e in await _on_call_at(directory, current, region, ts)]
    key = "onCallRecipients" if flat else "onCallParticipants"
    return _answer(started, {"data": {"_parent": _meta(current.scenario, region),
                                      key: _participants(current.scenario, engineers, flat)}})


@router.get("/v2/schedules/{identifier}/next-on-calls", **OPERATIONS["next_on_calls"])
@vendor_errors
async def next_on_calls(request: Request, started: float) -> Response:
    """Who is on call from the next change after `date`, and who of them comes on then."""
    directory = await _directory(request)
    current, region = await _schedule(request, directory)
    flat = params.boolean(request.query_params, "flat")
    ts = _date(request)
    now_on = {e.engineer for e in await _on_call_at(directory, current, region, ts)}
    following: list[str] = []
    entries = await directory.entries(current)
    if region.id in entries and current.index is not None:
        hi = current.index.hi
        changes = sorted({x for e in entries[region.id].overlapping(ts, hi) for x in (e.start, e.end)
                          if ts < x < hi})
        for change in changes:
            after = [e.engineer for e in await _on_call_at(directory, current, region, change)]
            if set(after) != now_on:
                following = after
                break
    exact = [e for e in following if e not in now_on]
    scenario = current.scenario
    return _answer(started, {"data": {
        "_parent": _meta(scenario, region),
        "nextOnCallRecipients": _participants(scenario, following, flat),
        "exactNextOnCallRecipients": _participants(scenario, exact, flat),
    }})


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False)
@vendor_errors
async def not_here(request: Request, started: float) -> Response:
    await _directory(request)
    raise NotFound(f"{request.method} /{request.path_params['rest']} is not part of this read-only subset")

