"""`GET /pagerduty/oncalls`: the bots' hot path, answered ahead of FastAPI's routing
(`OncallsFastPath`, ASGI middleware, as `NowFastPath` serves `now`) and by the route in
`pagerduty` alike, with the same answers and errors.

PagerDuty's rules kept here: `since`/`until` default to now and an on-call overlapping the range is
included; a range reaching more than 90 days past the request time is refused; the parameters are
checked in PagerDuty's order (the time zone, `include[]`, the range, then the rest). Answers are
kept serialised (`answer_cache`) for the span over which they hold.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from rota.errors import InvalidInput, RotaError
from rota.oncall_entries import Entry, fastest_key
from rota.scenario import Scenario
from rota.spans import to_ts
from rota_api.answer_cache import AnswerCache
from rota_api.compat import pagerduty_shapes as shape
from rota_api.compat import params
from rota_api.compat.directory import Directory
from rota_api.compat.pagerduty_common import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    ids_in,
    includes_in,
    teams,
    token_directory,
    vendor_error,
)
from rota_api.current import Current, CurrentCache
from rota_api.deps import Services
from rota_api.problems import STORE_DOWN

AHEAD = dt.timedelta(days=90)
ONCALL_INCLUDES = {"users", "schedules", "escalation_policies"}
clock: Callable[[], dt.datetime] = functools.partial(dt.datetime.now, dt.UTC)  # tests set it


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
        query, params.time_zone(query), includes_in(query, ONCALL_INCLUDES), params.instant(query, "since"),
        params.instant(query, "until"), ids_in(query, "escalation_policy_ids"),
        ids_in(query, "schedule_ids"), ids_in(query, "user_ids"), params.boolean(query, "earliest"),
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
        includes_in(query, ONCALL_INCLUDES)
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
    directory = await token_directory(services, authorization)
    now = clock()
    raw = scope["query_string"].decode("latin-1")
    asked, since, until = _checked(raw, now)
    currents = await teams(directory, asked.policies | asked.schedules | asked.users)
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
