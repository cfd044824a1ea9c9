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
token without read scope, 404 (2100) for an unknown id or a team the token may not read, 413
(2001: PagerDuty documents no code of its own) for a body over the limit (`rota_api.bodylimit`),
503 (2000) when the store does not answer. `/openapi.json` documents each route's parameters, answer and
errors (`pagerduty_models`). `/oncalls` is answered by `pagerduty_oncalls` (also ahead of the
routing, as the bots' hot path); what both share is in `pagerduty_common`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from rota.errors import NotFound
from rota.report import gap_report
from rota.rotafile import Rota
from rota.scenario import Region
from rota.spans import to_ts
from rota_api.compat import pagerduty_shapes as shape
from rota_api.compat import params
from rota_api.compat.directory import Directory, split_id
from rota_api.compat.pagerduty_common import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    ids_in,
    includes_in,
    json_answer,
    teams,
    token_directory,
    vendor_error,
    vendor_errors,
)
from rota_api.compat.pagerduty_models import OPERATIONS
from rota_api.compat.pagerduty_oncalls import OncallsFastPath, oncalls_answer
from rota_api.current import Current
from rota_api.deps import services_of

__all__ = ["OncallsFastPath", "router", "vendor_error"]  # what the app takes from here

router = APIRouter(prefix="/pagerduty", tags=["compat: PagerDuty"])

SCHEDULE_SPAN = dt.timedelta(days=14)


async def _directory(request: Request) -> Directory:
    return await token_directory(services_of(request), request.headers.get("authorization"))


def _render(request: Request, query: Mapping[str, str]) -> shape.Render:
    root = str(request.base_url).rstrip("/")
    return shape.Render(f"{root}/pagerduty", root, params.time_zone(query))


def _ids(request: Request, name: str) -> frozenset[str]:
    return ids_in(request.query_params, name)


def _includes(request: Request, allowed: set[str]) -> frozenset[str]:
    return includes_in(request.query_params, allowed)


def _page(query: Mapping[str, str], items: list[Any], key: str,
          render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    limit = params.integer(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = params.integer(query, "offset", 0, 0, most=MAX_OFFSET)
    chosen = items[offset:offset + limit]
    return {key: [render(x) for x in chosen], "limit": limit, "offset": offset,
            "more": offset + limit < len(items),
            "total": len(items) if params.boolean(query, "total") else None}


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
    """On-call entries overlapping [since, until]: level 1 fastest first, then level 2
    (`pagerduty_oncalls`; the fast path answers it first when the app has it)."""
    body = await oncalls_answer(services_of(request), request.scope)
    return Response(body, media_type="application/json")


@router.get("/schedules", **OPERATIONS["schedules"])
@vendor_errors
async def list_schedules(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    text = (query.get("query") or "").lower()
    found = [(c.scenario, r) for c in await teams(directory, set()) for r in c.scenario.regions
             if text in shape.schedule_name(c.scenario, r).lower()]
    return json_answer(_page(query, found, "schedules", lambda pair: shape.schedule(render, *pair)))


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
    return json_answer({"schedule": body})


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
    return json_answer({"users": [shape.user(render, scenario, scenario.engineer_by_id[i], False) for i in ids]})


@router.get("/escalation_policies", **OPERATIONS["escalation_policies"])
@vendor_errors
async def list_escalation_policies(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    text = (query.get("query") or "").lower()
    users = _ids(request, "user_ids")
    found = [(c.scenario, r) for c in await teams(directory, set()) for r in c.scenario.regions
             if text in shape.schedule_name(c.scenario, r).lower()
             and (not users or any(f"{c.scenario.team}.{e.id}" in users
                                   for e in shape.serving(c.scenario, r)))]
    return json_answer(_page(query, found, "escalation_policies",
                       lambda pair: shape.escalation_policy(render, *pair)))


@router.get("/escalation_policies/{policy_id}", **OPERATIONS["escalation_policy"])
@vendor_errors
async def get_escalation_policy(request: Request) -> Response:
    _, current, region_id = await _one(request, "policy_id")
    render = _render(request, request.query_params)
    return json_answer({"escalation_policy": shape.escalation_policy(
        render, current.scenario, _region(current, region_id))})


@router.get("/users", **OPERATIONS["users"])
@vendor_errors
async def list_users(request: Request) -> Response:
    query = request.query_params
    directory = await _directory(request)
    render = _render(request, query)
    methods = "contact_methods" in _includes(request, {"contact_methods", "notification_rules", "teams"})
    text = (query.get("query") or "").lower()
    found = [(c.scenario, e) for c in await teams(directory, set()) for e in c.scenario.engineers
             if text in e.label.lower() or text in (e.contact.email or "").lower()]
    return json_answer(_page(query, found, "users", lambda pair: shape.user(render, pair[0], pair[1], methods)))


@router.get("/users/{user_id}", **OPERATIONS["user"])
@vendor_errors
async def get_user(request: Request) -> Response:
    _, current, engineer_id = await _one(request, "user_id")
    engineer = current.scenario.engineer_by_id.get(engineer_id)
    if engineer is None:
        raise NotFound(f"no user {request.path_params['user_id']!r}")
    render = _render(request, request.query_params)
    methods = "contact_methods" in _includes(request, {"contact_methods", "notification_rules", "teams"})
    return json_answer({"user": shape.user(render, current.scenario, engineer, methods)})


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                  include_in_schema=False)
@vendor_errors
async def not_here(request: Request) -> Response:
    """Anything else under /pagerduty: PagerDuty's 404 (this subset is read-only)."""
    await _directory(request)
    raise NotFound(f"{request.method} /{request.path_params['rest']} is not part of this read-only subset")

