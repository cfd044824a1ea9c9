"""PagerDuty REST v2, read subset, under `/pagerduty` (a client's `base_url` is `https://HOST/pagerduty`).

Routes: `GET /oncalls`, `/schedules`, `/schedules/{id}`, `/schedules/{id}/users`,
`/escalation_policies`, `/escalation_policies/{id}`, `/users`, `/users/{id}`. Shapes are in
`pagerduty_shapes`; what is on call comes from `rota.oncall_entries` (the same levels as `now`) and
a schedule's coverage from `rota.report.gap_report` (the same figure as `gaps`).

PagerDuty's rules kept here: array parameters spelled `ids[]`; `since`/`until` default to now and
an on-call overlapping the range is included; `/oncalls` refuses a range reaching more than 90
days past the request time; classic pagination (`limit`, default 25 and at most 100, larger values
are cut to 100; `offset`, at most 10,000; `more`; `total` only with `total=true`); `Authorization: Token token=...`
(or `Bearer ...`); errors as `{"error": {"message", "code", "errors"}}` with PagerDuty's codes: 400
(2001) for a bad parameter (also one holding a control character), 401 (2006), 403 (2010) for a
token without read scope, 404 (2100) for an unknown id or a team the token may not read, 503 (2000)
when the store does not answer. `/openapi.json` documents each route's parameters, answer and
errors (`pagerduty_models`).
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from rota.errors import InvalidInput, NotFound, RotaError
from rota.oncall_entries import Entry, fastest_key
from rota.report import gap_report
from rota.rotafile import Rota
from rota.scenario import Region, Scenario
from rota.spans import to_ts
from rota.store import Token
from rota_api.answer_cache import AnswerCache
from rota_api.compat import pagerduty_shapes as shape
from rota_api.compat import params
from rota_api.compat.directory import Directory, split_id
from rota_api.compat.pagerduty_models import OPERATIONS
from rota_api.current import Current, CurrentCache
from rota_api.deps import Services, services_of
from rota_api.problems import STORE_DOWN, Forbidden, Unauthenticated

router = APIRouter(prefix="/pagerduty", tags=["compat: PagerDuty"])

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # past it, 400: an offset is echoed in the answer, and no list is that long
AHEAD = dt.timedelta(days=90)
SCHEDULE_SPAN = dt.timedelta(days=14)
ONCALL_INCLUDES = {"users", "schedules", "escalation_policies"}
clock: Callable[[], dt.datetime] = functools.partial(dt.datetime.now, dt.UTC)  # tests set it

Handler = Callable[[Request], Awaitable[Response]]


def _json(body: dict[str, Any], status: int = 200) -> Response:
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
        return _json(shape.error_body("Invalid Input Provided", shape.INVALID_INPUT,
                                      [str(e) for e in exc.errors]), 400)
    if isinstance(exc, Unauthenticated):
        return _json(shape.error_body(f"Authentication failed: {exc.message}",
                                      shape.AUTHENTICATION_FAILED), 401)
    if isinstance(exc, Forbidden):
        return _json(shape.error_body(f"Access Denied: {exc.message}", shape.ACCESS_DENIED), 403)
    if isinstance(exc, NotFound):
        return _json(shape.error_body("Not Found", shape.NOT_FOUND, [exc.message]), 404)
    if isinstance(exc, STORE_DOWN):
        return _json(shape.error_body("Service Unavailable", shape.INTERNAL_ERROR,
                                      [f"the store did not answer: {type(exc).__name__}"]), 503)
    assert isinstance(exc, RotaError)
    return _json(shape.error_body("Invalid Input Provided", shape.INVALID_INPUT, [exc.message]), 400)


async def _directory(request: Request) -> Directory:
    return await _token_directory(services_of(request), request.headers.get("authorization"))


async def _token_directory(services: Services, header: str | None) -> Directory:
    """The token's view, from PagerDuty's `Token token=...` header (or a bearer one)."""
    if header is not None and header[:6].lower() == "token ":
        secret = header[6:].strip()
        secret = secret[6:] if secret.lower().startswith("token=") else secret
        header = f"Bearer {secret.strip().strip(chr(34))}"
    token: Token = await services.tokens.authenticate(header)
    if not token.grants("read", None):
        raise Forbidden(f"this token has scope {token.scope!r}; 'read' is needed")
    return Directory(services, token)


def _render(request: Request, query: Mapping[str, str]) -> shape.Render:
    root = str(request.base_url).rstrip("/")
    return shape.Render(f"{root}/pagerduty", root, params.time_zone(query))


def _ids(request: Request, name: str) -> frozenset[str]:
    return _ids_in(request.query_params, name)


def _ids_in(query: QueryParams, name: str) -> frozenset[str]:
    return frozenset(query.getlist(f"{name}[]")) | frozenset(query.getlist(name))


def _includes(request: Request, allowed: set[str]) -> frozenset[str]:
    return _includes_in(request.query_params, allowed)


def _includes_in(query: QueryParams, allowed: set[str]) -> frozenset[str]:
    found = _ids_in(query, "include")
    unknown = found - allowed
    if unknown:
        raise params.invalid("include[]", f"{sorted(unknown)[0]!r} is not one of {', '.join(sorted(allowed))}")
    return found


def _page(query: Mapping[str, str], items: list[Any], key: str,
          render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    limit = params.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = params.integer(query, "offset", 0, 0, most=MAX_OFFSET)
    chosen = items[offset:offset + limit]
    return {key: [render(x) for x in chosen], "limit": limit, "offset": offset,
            "more": offset + limit < len(items),
            "total": len(items) if params.boolean(query, "total") else None}


async def _teams(directory: Directory, ids: AbstractSet[str]) -> list[Current]:
    """The current state of the teams the ids name (every readable team when there are none)."""
    names = sorted({i.partition(".")[0] for i in ids} - {""}) if ids else await directory.team_ids()
    found = []
    for team in names:
        try:
            found.append(await directory.current(team))
        except NotFound:
            continue  # PagerDuty filters by ids it knows; others simply match nothing
    return found


def _region(current: Current, region_id: str) -> Region:
    region = current.scenario.region_by_id.get(region_id)
    if region is None:
        raise NotFound(f"no object with id '{current.scenario.team}.{region_id}'")
    return region


async def _one(request: Request, key: str) -> tuple[Directory, Current, str]:
    directory = await _directory(request)
    team, rest = split_id(request.path_params[key])
    return directory, await directory.current(team), rest


@router.get("/oncalls", **OPERATIONS["oncalls"])
@vendor_errors
async def list_oncalls(request: Request) -> Response:
    """On-call entries overlapping [since, until]: level 1 fastest first, then level 2."""
    body = await oncalls_answer(services_of(request), request.scope)
    return Response(body, media_type="application/json")


@dataclass(frozen=True)
class OncallsQuery:
    """An `/oncalls` query string, read and checked."""

    query: QueryParams
    time_zone: str | None
    include: frozenset[str]
    since: dt.datetime | None
    until: dt.datetime | None
    policies: frozenset[str]
    schedules: frozenset[str]
    users: frozenset[str]
    earliest: bool
    limit: int
    offset: int
    total: bool


@functools.lru_cache(maxsize=512)
def _oncalls_query(raw: str) -> OncallsQuery:
    """The query string read once per distinct string (bots repeat theirs); raises for any bad
    parameter (errors are not cached)."""
    query = QueryParams(raw)
    return OncallsQuery(
        query, params.time_zone(query), _includes_in(query, ONCALL_INCLUDES), params.instant(query, "since"),
        params.instant(query, "until"), _ids_in(query, "escalation_policy_ids"),
        _ids_in(query, "schedule_ids"), _ids_in(query, "user_ids"), params.boolean(query, "earliest"),
        params.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        params.integer(query, "offset", 0, 0, most=MAX_OFFSET), params.boolean(query, "total"))


def _checked(raw: str, now: dt.datetime) -> tuple[OncallsQuery, dt.datetime, dt.datetime]:
    """The query and its [since, until]; a bad parameter raises the error PagerDuty's order of
    checks finds first (the time zone, `include[]`, the range, then the rest)."""
    try:
        asked = _oncalls_query(raw)
    except InvalidInput:
        query = QueryParams(raw)
        params.time_zone(query)
        _includes_in(query, ONCALL_INCLUDES)
        _range(params.instant(query, "since"), params.instant(query, "until"), now)
        raise
    since, until = _range(asked.since, asked.until, now)
    return asked, since, until


def _range(since_asked: dt.datetime | None, until_asked: dt.datetime | None,
           now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    since = since_asked or now
    until = until_asked or max(now, since)
    if until < since:
        raise params.invalid("until", "cannot be before since")
    if until > now + AHEAD:
        raise params.invalid("until", "on-call shifts are limited to 90 days in the future")
    return since, until


_answers: weakref.WeakKeyDictionary[CurrentCache, AnswerCache] = weakref.WeakKeyDictionary()


async def oncalls_answer(services: Services, scope: Scope) -> bytes:
    """The `/oncalls` answer as JSON bytes; raises the core's errors.

    Kept serialised (`answer_cache`) per token's teams, query string, base URL and the teams'
    state revisions, for the span over which it holds: when the query gives neither `since` nor
    `until` ("on call now"), until the next instant at which an entry of an asked region starts,
    ends or changes its order; with both, for good. Every request still authenticates its token
    and checks each team's revision, as `now` does.
    """
    authorization, base_key = _head(scope)
    directory = await _token_directory(services, authorization)
    now = clock()
    raw = scope["query_string"].decode("latin-1")
    asked, since, until = _checked(raw, now)
    currents = await _teams(directory, asked.policies | asked.schedules | asked.users)
    steady = (asked.since is None) == (asked.until is None)
    key = (directory.token.teams, raw, base_key,
           tuple((c.scenario.team, c.revision) for c in currents))
    cache = _answers.get(services.current)
    if cache is None:
        cache = _answers.setdefault(services.current, AnswerCache())
    lo = to_ts(since)
    if steady:
        found = cache.get(key, lo)
        if found is not None:
            return found
    root = str(Request(scope).base_url).rstrip("/")
    render = shape.Render(f"{root}/pagerduty", root, asked.time_zone)
    body, span = await _oncalls(directory, currents, asked, render, lo, to_ts(until))
    if steady:
        cache.put(key, *(span if asked.since is None else (None, None)), body)
    return body


def _head(scope: Scope) -> tuple[str | None, tuple[Any, ...]]:
    """The Authorization header, and what the answer's URLs are made of (scheme, host, root)."""
    authorization = host = None
    for name, value in scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = value.decode("latin-1")
        elif name == b"host" and host is None:
            host = value
    server = scope.get("server")
    return authorization, (scope.get("scheme"), host, tuple(server) if server else None,
                           scope.get("app_root_path", scope.get("root_path", "")))


async def _oncalls(directory: Directory, currents: list[Current], asked: OncallsQuery,
                   render: shape.Render, lo: int, hi: int) -> tuple[bytes, tuple[int | None, int | None]]:
    """The answer, and the span around `lo` over which entries at `lo` stay as they are."""
    policies, schedules, users = asked.policies, asked.schedules, asked.users
    span_lo: int | None = None
    span_hi: int | None = None
    found: list[tuple[Scenario, Entry]] = []
    for current in currents:
        entries = await directory.entries(current)
        scenario = current.scenario
        for region in scenario.regions:
            vendor_id = f"{scenario.team}.{region.id}"
            if (policies and vendor_id not in policies) or (schedules and vendor_id not in schedules):
                continue
            if region.id not in entries or current.index is None:
                continue
            team = current.index.team
            index = entries[region.id]
            steady_lo, steady_hi = index.steady(lo)
            span_lo = steady_lo if span_lo is None or (steady_lo is not None and steady_lo > span_lo) else span_lo
            span_hi = steady_hi if span_hi is None or (steady_hi is not None and steady_hi < span_hi) else span_hi
            chosen = [e for e in index.overlapping(lo, hi)
                      if not users or f"{scenario.team}.{e.engineer}" in users]
            chosen.sort(key=lambda e: (e.level, max(e.start, lo),
                                       fastest_key(team, e.engineer, max(e.start, lo))))
            found += [(scenario, e) for e in (_earliest(chosen) if asked.earliest else chosen)]
    include = asked.include
    chosen_page = found[asked.offset:asked.offset + asked.limit]
    body = {"oncalls": [shape.cached_oncall(render, shape.Held(s), e, include) for s, e in chosen_page],
            "limit": asked.limit, "offset": asked.offset,
            "more": asked.offset + asked.limit < len(found),
            "total": len(found) if asked.total else None}
    return orjson.dumps(body), (span_lo, span_hi)


class OncallsFastPath:
    """Serves `GET /pagerduty/oncalls` ahead of FastAPI's routing (ASGI middleware), as
    `NowFastPath` serves `now`: the bots' hot path; the same answers and errors as the route."""

    PATH = "/pagerduty/oncalls"

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        try:
            body = await oncalls_answer(self.services, scope)
        except (RotaError, *STORE_DOWN) as exc:
            await vendor_error(exc)(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _earliest(entries: list[Entry]) -> list[Entry]:
    """Only the earliest entry of each (level, user) of one policy, order kept."""
    seen: dict[tuple[int, str], Entry] = {}
    for e in entries:
        key = (e.level, e.engineer)
        if key not in seen or e.start < seen[key].start:
            seen[key] = e
    keep = {id(e) for e in seen.values()}
    return [e for e in entries if id(e) in keep]


@router.get("/schedules", **OPERATIONS["schedules"])
@vendor_errors
async def list_schedules(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    text = (query.get("query") or "").lower()
    found = [(c.scenario, r) for c in await _teams(directory, set()) for r in c.scenario.regions
             if text in shape.schedule_name(c.scenario, r).lower()]
    return _json(_page(query, found, "schedules", lambda pair: shape.schedule(render, *pair)))


@router.get("/schedules/{schedule_id}", **OPERATIONS["schedule"])
@vendor_errors
async def get_schedule(request: Request) -> Response:
    """The schedule; with `since` or `until`, its final schedule's entries and coverage."""
    query = request.query_params
    _, current, region_id = await _one(request, "schedule_id")
    region = _region(current, region_id)
    render = _render(request, query)
    body = shape.schedule(render, current.scenario, region)
    since_asked, until_asked = params.instant(query, "since"), params.instant(query, "until")
    final: dict[str, Any] = {"name": "Final Schedule", "rendered_schedule_entries": [],
                             "rendered_coverage_percentage": None}
    if since_asked is not None or until_asked is not None:
        since = since_asked if since_asked is not None else _before(until_asked)
        until: dt.datetime = until_asked or since + SCHEDULE_SPAN
        if until <= since:
            raise params.invalid("until", "must be after since")
        overflow = params.boolean(query, "overflow")
        final["rendered_schedule_entries"] = [
            {"start": render.time(s), "end": render.time(e),
             "user": render.user_ref(current.scenario, current.scenario.engineer_by_id[eid])}
            for s, e, eid in _on_call(current, region, to_ts(since), to_ts(until), overflow)]
        rota = current.rota or Rota(team=current.scenario.team)
        report = await run_in_threadpool(gap_report, current.scenario, rota, since, until, region.id)
        final["rendered_coverage_percentage"] = round(report.regions[0].coverage * 100, 2)
    body["final_schedule"] = final
    return _json({"schedule": body})


def _before(until: dt.datetime | None) -> dt.datetime:
    assert until is not None
    return until - SCHEDULE_SPAN


def _on_call(current: Current, region: Region, lo: int, hi: int,
             overflow: bool) -> list[tuple[int, int, str]]:
    """On-call spans of engineers serving the region that overlap [lo, hi), by start."""
    if current.index is None:
        return []
    out = []
    for engineer in shape.serving(current.scenario, region):
        for s, e in current.index.on_call.get(engineer.id, ()):
            if s < hi and e > lo:
                out.append((s, e, engineer.id) if overflow else (max(s, lo), min(e, hi), engineer.id))
    return sorted(out)


@router.get("/schedules/{schedule_id}/users", **OPERATIONS["schedule_users"])
@vendor_errors
async def schedule_users(request: Request) -> Response:
    """Users on call for the schedule at some point of [since, until] (default: now)."""
    query = request.query_params
    _, current, region_id = await _one(request, "schedule_id")
    region = _region(current, region_id)
    render = _render(request, query)
    now = dt.datetime.now(dt.UTC)
    since = params.instant(query, "since") or now
    until = params.instant(query, "until") or max(now, since)
    if until < since:
        raise params.invalid("until", "cannot be before since")
    lo, hi = to_ts(since), max(to_ts(until), to_ts(since) + 1)
    ids = sorted({eid for _, _, eid in _on_call(current, region, lo, hi, False)})
    scenario = current.scenario
    return _json({"users": [shape.user(render, scenario, scenario.engineer_by_id[i], False) for i in ids]})


@router.get("/escalation_policies", **OPERATIONS["escalation_policies"])
@vendor_errors
async def list_escalation_policies(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    text = (query.get("query") or "").lower()
    users = _ids(request, "user_ids")
    found = [(c.scenario, r) for c in await _teams(directory, set()) for r in c.scenario.regions
             if text in shape.schedule_name(c.scenario, r).lower()
             and (not users or any(f"{c.scenario.team}.{e.id}" in users
                                   for e in shape.serving(c.scenario, r)))]
    return _json(_page(query, found, "escalation_policies",
                       lambda pair: shape.escalation_policy(render, *pair)))


@router.get("/escalation_policies/{policy_id}", **OPERATIONS["escalation_policy"])
@vendor_errors
async def get_escalation_policy(request: Request) -> Response:
    _, current, region_id = await _one(request, "policy_id")
    render = _render(request, request.query_params)
    return _json({"escalation_policy": shape.escalation_policy(
        render, current.scenario, _region(current, region_id))})


@router.get("/users", **OPERATIONS["users"])
@vendor_errors
async def list_users(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    methods = "contact_methods" in _includes(request, {"contact_methods", "notification_rules", "teams"})
    text = (query.get("query") or "").lower()
    found = [(c.scenario, e) for c in await _teams(directory, set()) for e in c.scenario.engineers
             if text in e.label.lower() or text in (e.contact.email or "").lower()]
    return _json(_page(query, found, "users", lambda pair: shape.user(render, pair[0], pair[1], methods)))


@router.get("/users/{user_id}", **OPERATIONS["user"])
@vendor_errors
async def get_user(request: Request) -> Response:
    _, current, engineer_id = await _one(request, "user_id")
    engineer = current.scenario.engineer_by_id.get(engineer_id)
    if engineer is None:
        raise NotFound(f"no user {request.path_params['user_id']!r}")
    render = _render(request, request.query_params)
    methods = "contact_methods" in _includes(request, {"contact_methods", "notification_rules", "teams"})
    return _json({"user": shape.user(render, current.scenario, engineer, methods)})


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False)
@vendor_errors
async def not_here(request: Request) -> Response:
    """Anything else under /pagerduty: PagerDuty's 404 (this subset is read-only)."""
    await _directory(request)
    raise NotFound(f"{request.method} /{request.path_params['rest']} is not part of this read-only subset")

