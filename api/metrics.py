"""Prometheus metrics: `GET /metrics` (read scope), the one module that imports prometheus_client.

Team metrics are computed at scrape time from the same per-version index as `now` and `gaps`
(`rota_api.current`), never counted in a process, so every API process sharing one PostgreSQL
answers the same: per team, a `RegionLookahead` per region (prefix sums over the coverage sweep,
built once per rota version and kept with its index) turns "the next 24 hours / 7 days from now"
into two look-ups per window, and on-call entries give who qualifies now. Plan metrics count the
plan records in the store. A token limited to some teams sees only their series.

Metrics (labels):
- `rota_coverage_ratio` (team, region, severity, window `24h`|`7d`): covered share of the required
  time from now (1 where nothing is required);
- `rota_uncovered_seconds` (team, region, severity, cause, window): uncovered seconds by cause;
- `rota_structural_gap_seconds` (team, region, severity, window): uncovered seconds no rota could cover;
- `rota_next_gap_start_timestamp_seconds` (team, region, severity): start of the first gap not over
  (at or before now when one is open); absent when there is none;
- `rota_qualified_responders`, `rota_required_responders` (team, region, severity): now, as `now`
  answers (the severity in force, else the region's peak one);
- `rota_oncall_info` (team, region, engineer, level): 1 per engineer on call now;
- `rota_rota_version`, `rota_rota_horizon_end_timestamp_seconds` (team);
- `rota_plan_jobs` (team, status) and the histogram `rota_plan_duration_seconds` (team);
- `rota_http_requests_total` (method, route, status) and the histogram
  `rota_http_request_duration_seconds` (method, route): this process's requests only (scrape each
  process, or sum them).

Windows are cut to the rota's horizon: nothing is known outside it, and
`rota_rota_horizon_end_timestamp_seconds` says when that comes.

Cost: a scrape reads every team's state revision, the plan counts and run times (three queries)
and writes each team's lines from `TeamTextCache`: computed per team, rota state and minute, the
next minute's ahead of time in a background thread, so a warm scrape of 50 teams only joins text.
Team lines are written here (the format is Prometheus' text format, label values escaped) rather
than by prometheus_client's exposition, which would take longer than the whole scrape budget for
thousands of samples; plan and HTTP metrics go through prometheus_client.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, get_args

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rota.lookahead import RegionLookahead
from rota.now import NowIndex
from rota.store.plans import PlanStatus
from rota.store.scrape import plan_counts, plan_durations, state_revisions
from rota.team import horizon_range
from rota_api.compat.directory import entries_of
from rota_api.current import Current, CurrentCache
from rota_api.deps import Services, services_of

router = APIRouter(tags=["metrics"])
log = logging.getLogger("rota.metrics")

WINDOWS = {"24h": 86400, "7d": 7 * 86400}
MINUTE = 60
PLAN_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, float("inf"))
clock = time.time  # the scrape's "now"; tests set it

# (name, type, help) of the team families, in the order they are written
TEAM_FAMILIES = [
    ("rota_coverage_ratio", "gauge", "Covered share of the required time, looking ahead from now"),
    ("rota_uncovered_seconds", "gauge", "Uncovered required seconds by cause, looking ahead from now"),
    ("rota_structural_gap_seconds", "gauge", "Required seconds no rota could cover, looking ahead from now"),
    ("rota_next_gap_start_timestamp_seconds", "gauge", "Start of the first gap not over"),
    ("rota_qualified_responders", "gauge", "Qualified responders now"),
    ("rota_required_responders", "gauge", "Required responders now"),
    ("rota_oncall_info", "gauge", "Engineers on call now, by escalation level (1: within the target)"),
    ("rota_rota_version", "gauge", "Current rota version"),
    ("rota_rota_horizon_end_timestamp_seconds", "gauge", "End of the current rota's horizon"),
]

_lookaheads: weakref.WeakKeyDictionary[NowIndex, list[RegionLookahead]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()

http_registry = CollectorRegistry(auto_describe=True)
_requests = Counter("rota_http_requests", "HTTP requests answered by this process",
                    ["method", "route", "status"], registry=http_registry)
_latency = Histogram("rota_http_request_duration_seconds", "HTTP request latency in this process",
                     ["method", "route"], registry=http_registry,
                     buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0))


def lookaheads(current: Current) -> list[RegionLookahead]:
    """The team's per-region look-aheads, built once per rota version (blocking)."""
    index = current.index
    if index is None:
        return []
    found = _lookaheads.get(index)
    if found is None:
        with _lock:
            found = _lookaheads.get(index)
            if found is None:
                lo, hi = horizon_range(current.scenario)
                found = [RegionLookahead(index.sweep(r), lo, hi) for r in current.scenario.regions]
                _lookaheads[index] = found
    return found


def team_samples(current: Current, now: int) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every team family's samples (labels, value) at `now`."""
    out: dict[str, list[tuple[dict[str, str], float]]] = {name: [] for name, _, _ in TEAM_FAMILIES}
    scenario = current.scenario
    team = scenario.team
    out["rota_rota_horizon_end_timestamp_seconds"].append(({"team": team}, horizon_range(scenario)[1]))
    if current.rota is None or current.index is None:
        return out
    out["rota_rota_version"].append(({"team": team}, current.rota.version or 0))
    entries = entries_of(current)
    for region, look in zip(scenario.regions, lookaheads(current), strict=True):
        for window, seconds in WINDOWS.items():
            for cov in look.window(now, seconds):
                labels = {"team": team, "region": region.id, "severity": cov.severity, "window": window}
                out["rota_coverage_ratio"].append((labels, cov.ratio))
                out["rota_structural_gap_seconds"].append((labels, cov.structural))
                for cause, value in cov.uncovered.items():
                    out["rota_uncovered_seconds"].append(({**labels, "cause": cause}, value))
        for severity in look.severities:
            start = look.next_gap_start(severity, now)
            if start is not None:
                out["rota_next_gap_start_timestamp_seconds"].append(
                    ({"team": team, "region": region.id, "severity": severity}, start))
        on_call = entries[region.id].overlapping(now, now)
        labels = {"team": team, "region": region.id,
                  "severity": look.severity_at(now) or region.peak.severity}
        out["rota_qualified_responders"].append((labels, sum(1 for e in on_call if e.level == 1)))
        out["rota_required_responders"].append((labels, look.required_at(now)))
        for e in on_call:
            out["rota_oncall_info"].append(
                ({"team": team, "region": region.id, "engineer": e.engineer, "level": str(e.level)}, 1))
    return out


def _line(name: str, labels: dict[str, str], value: float) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
    return f"{name}{{{inner}}} {floatToGoString(value)}\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def team_text(current: Current, now: int) -> dict[str, str]:
    """Each team family's sample lines at `now`, in Prometheus' text format."""
    return {name: "".join(_line(name, labels, value) for labels, value in samples)
            for name, samples in team_samples(current, now).items()}


class TeamTextCache:
    """Each team's sample lines per rota state and minute, computed ahead.

    A scrape in minute m answers with the figures at m's first second (so at most a minute old:
    nothing in a 24-hour or 7-day window moves faster than that matters). The lines of minute m+1
    are computed in a background thread as soon as a scrape in minute m has answered (the window
    moving is a look-ahead recomputation, not a scrape's wait); a scrape finding no lines for its
    team's current state (a new rota version, the first scrape) computes them itself.
    """

    def __init__(self) -> None:
        self._lines: dict[tuple[str, int, int], dict[str, str]] = {}
        self._lock = threading.Lock()
        self._ahead: threading.Thread | None = None

    def lines(self, cache: CurrentCache, team: str, revision: int, minute: int) -> dict[str, str]:
        key = (team, revision, minute)
        found = self._lines.get(key)
        if found is None:
            current = cache.get(team)
            found = team_text(current, minute * MINUTE)
            self._lines[(team, current.revision, minute)] = found
        return found

    def look_ahead(self, cache: CurrentCache, revisions: dict[str, int], minute: int) -> None:
        """Compute minute + 1 for these teams in the background, unless it runs already."""
        with self._lock:
            if self._ahead is not None and self._ahead.is_alive():
                return
            self._ahead = threading.Thread(target=self._prepare, args=(cache, revisions, minute + 1),
                                           daemon=True, name="rota-metrics-ahead")
            self._ahead.start()

    def _prepare(self, cache: CurrentCache, revisions: dict[str, int], minute: int) -> None:
        for team, revision in revisions.items():
            if (team, revision, minute) not in self._lines:
                try:
                    self.lines(cache, team, revision, minute)
                except Exception:  # noqa: BLE001 - ahead of time only: a scrape computes what is missing
                    log.debug("metrics look-ahead for %s stopped", team, exc_info=True)
                    return
        with self._lock:
            for key in [k for k in self._lines if k[2] < minute - 1]:
                del self._lines[key]


def plan_text(counts: dict[tuple[str, str], int], durations: dict[str, list[float]],
              teams: list[str]) -> list[Metric]:
    jobs = GaugeMetricFamily("rota_plan_jobs", "Plan records by status", labels=["team", "status"])
    statuses = sorted({*get_args(PlanStatus), *(status for _, status in counts)})
    for team in teams:  # zeros too, so an alert sees a team's first failure as a change
        for status in statuses:
            jobs.add_metric([team, status], counts.get((team, status), 0))
    histogram = HistogramMetricFamily("rota_plan_duration_seconds", "Run time of finished plans",
                                      labels=["team"])
    for team in teams:
        if team in durations:
            seconds = durations[team]
            buckets = [(_bound(b), sum(1 for s in seconds if s <= b)) for b in PLAN_BUCKETS]
            histogram.add_metric([team], buckets, sum(seconds))
    return [jobs, histogram]


def _bound(bucket: float) -> str:
    return "+Inf" if bucket == float("inf") else str(bucket)


class _Families:
    """What `generate_latest` reads: a fixed list of families."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = list(families)

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


_texts: weakref.WeakKeyDictionary[CurrentCache, TeamTextCache] = weakref.WeakKeyDictionary()


def _texts_of(cache: CurrentCache) -> TeamTextCache:
    with _lock:
        if cache not in _texts:
            _texts[cache] = TeamTextCache()
        return _texts[cache]


def scrape(services: Services, granted: Callable[[str], bool], now: int) -> bytes:
    """The text exposition for the teams `granted` at `now` (blocking: reads the store)."""
    engine = services.store.engine
    revisions = {t: r for t, r in sorted(state_revisions(engine).items()) if granted(t)}
    minute = now // MINUTE
    texts = _texts_of(services.current)
    per_team = [texts.lines(services.current, team, rev, minute) for team, rev in revisions.items()]
    parts = []
    for name, kind, text in TEAM_FAMILIES:
        parts.append(f"# HELP {name} {text}\n# TYPE {name} {kind}\n")
        parts += [lines[name] for lines in per_team]
    teams = list(revisions)
    plans = plan_text(plan_counts(engine), plan_durations(engine), teams)
    body = "".join(parts).encode() + generate_latest(_Families(plans))  # type: ignore[arg-type]
    texts.look_ahead(services.current, revisions, minute)
    return body + generate_latest(http_registry)


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Prometheus metrics (text format) for the teams the token may read."""
    services = services_of(request)
    token = await services.tokens.authorize(request.headers.get("authorization"), "read", None)
    body = await run_in_threadpool(scrape, services, lambda t: token.grants("read", t), int(clock()))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


class HttpMetrics:
    """Counts and times every HTTP request of this process, labelled by route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _route(scope)
            counter, histogram = _children(scope["method"], route, status[0])
            counter.inc()
            histogram.observe(time.perf_counter() - started)


@lru_cache(maxsize=1024)
def _children(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The labelled counter and histogram (labels are bounded: methods, route templates, statuses)."""
    return _requests.labels(method, route, str(status)), _latency.labels(method, route)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if scope["path"].startswith("/v1/teams/") and scope["path"].endswith("/now"):
        return "/v1/teams/{team}/now"  # served by the fast path, ahead of the router
    if scope["path"] == "/pagerduty/oncalls":
        return "/pagerduty/oncalls"  # likewise
    return "unmatched"
