"""Who responds now: for an instant, each region's responders fastest first, its gap, and fallbacks.

`NowIndex` is built once per rota version (and its overrides) over the scenario's horizon; a query
is then a handful of binary searches: O(log n) in the number of change points. `who_responds` is
the one-shot form and gives the same answer (it builds the same index).

Outside the horizon nothing is known (DESIGN.md, "Time"): the answer says `"outside_horizon": true`
with the horizon's bounds and lists no region, rather than inventing a gap whose ends are only the
edges of some analysis range. Inside it, a gap reaching the horizon's edge ends (or starts) there.

With a `severity` asked, the target is that severity's; the required count is the one in force at
the instant, or one where nothing is required. Without one, the requirement in force applies;
where none is, `required` is 0 and targets are those of the region's peak severity.

The fallback list is for a bot that must wake someone: engineers serving the region who are not on
call and not on leave, those who would answer within the target first, then the slower ones, the
asleep last and those on a local public holiday (when the rules keep holidays free) after them,
each with their response minutes; at most `FALLBACK_LIMIT`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rota.coverage import RegionSweep, sweep_region
from rota.demand import Demand
from rota.errors import NotFound
from rota.fallback import FallbackIndex
from rota.limits import FALLBACK_LIMIT
from rota.oncall import rota_on_call
from rota.rotafile import Rota
from rota.scenario import Band, Engineer, Region, Scenario, Severity
from rota.spans import Instant, Span, iso_z, subtract, to_ts
from rota.team import TeamTime, horizon_json, horizon_range, team_time
from rota.zones import format_local_ts


@dataclass(frozen=True)
class OnCallTimeline:
    """Per region: change points and, for each segment, who is on call with the end of their span."""

    points: list[Instant]
    active: list[tuple[tuple[str, Instant], ...]]

    def at(self, ts: Instant) -> tuple[tuple[str, Instant], ...]:
        i = bisect.bisect_right(self.points, ts) - 1
        return self.active[i] if i >= 0 else ()


def _timeline(on_call: dict[str, list[Span]], engineers: list[Engineer]) -> OnCallTimeline:
    events: list[tuple[Instant, int, str, Instant]] = []
    for e in engineers:
        for start, end in on_call.get(e.id, ()):
            events.append((start, 1, e.id, end))
            events.append((end, 0, e.id, end))
    events.sort()
    points: list[Instant] = []
    active: list[tuple[tuple[str, Instant], ...]] = []
    current: dict[str, Instant] = {}
    for i, (ts, kind, engineer, end) in enumerate(events):
        if kind:
            current[engineer] = end
        else:
            current.pop(engineer, None)
        if i + 1 == len(events) or events[i + 1][0] != ts:
            points.append(ts)
            active.append(tuple(sorted(current.items())))
    return OnCallTimeline(points, active)


class NowIndex:
    """Answers `now` queries for one rota (with its overrides) in O(log n) each."""

    def __init__(self, scenario: Scenario, rota: Rota, lo: Instant | None = None,
                 hi: Instant | None = None) -> None:
        h_lo, h_hi = horizon_range(scenario)
        self.horizon = (h_lo, h_hi)
        self.lo = max(lo, h_lo) if lo is not None else h_lo
        self.hi = min(hi, h_hi) if hi is not None else h_hi
        self.scenario = scenario
        self.rota = rota
        self.team: TeamTime = team_time(scenario, self.lo, self.hi)
        self.on_call = rota_on_call(rota, self.lo, self.hi)
        self._timelines: dict[str, OnCallTimeline] = {}
        self._sweeps: dict[tuple[str, Severity | None], RegionSweep] = {}
        self._gap_starts: dict[tuple[str, Severity | None], list[Instant]] = {}
        self._serving = {r.id: self.team.serving(r) for r in scenario.regions}
        self._cards = {e.id: _card(e) for e in scenario.engineers}
        self._fallbacks: dict[str, FallbackIndex] = {}
        for r in scenario.regions:  # eagerly, so no query pays for a region's set-up
            self.sweep(r)
            self._oncall_timeline(r)
            self._fallbacks[r.id] = FallbackIndex(
                self._serving[r.id], scenario.rules.work_on_public_holidays, self.lo, self.hi)
        self._demand_starts = {
            rid: [d.start for d in demand] for rid, demand in self.team.demand.items()
        }

    def query(self, at: dt.datetime, region: str | None = None,
              severity: Severity | None = None) -> dict[str, Any]:
        """DESIGN.md's `now` answer for `at`, one region or all."""
        if region is not None and region not in self.scenario.region_by_id:
            raise NotFound(f"no region {region!r} in team {self.scenario.team!r}")
        ts = to_ts(at)
        if not self.horizon[0] <= ts < self.horizon[1]:
            return outside_horizon(self.scenario, self.rota, ts)
        if not self.lo <= ts < self.hi:  # an index over part of the horizon
            return NowIndex(self.scenario, self.rota).query(at, region, severity)
        regions = [self.scenario.region_by_id[region]] if region else list(self.scenario.regions)
        return {
            "team": self.scenario.team,
            "at": iso_z(ts),
            "rota_version": self.rota.version,
            "outside_horizon": False,
            "horizon": horizon_json(self.scenario),
            "regions": [self._region_answer(r, ts, severity) for r in regions],
        }

    def _region_answer(self, region: Region, ts: Instant, asked: Severity | None) -> dict[str, Any]:
        in_force = _demand_at(self.team.demand[region.id], self._demand_starts[region.id], ts)
        severity: Severity = asked or (in_force.severity if in_force else region.peak.severity)
        target = self.scenario.severities.target(severity)
        required = in_force.responders if in_force else (1 if asked else 0)
        on_call = self._oncall_timeline(region).at(ts)
        responders = sorted(
            (self._person(eid, ts, target, until) for eid, until in on_call),
            key=_fastest,
        )
        qualified = sum(1 for r in responders if r["meets_target"])
        on_call_ids = {eid for eid, _ in on_call}
        return {
            "region": region.id,
            "severity": severity,
            "target_minutes": target,
            "required": required,
            "covered": qualified >= required,
            "responders": responders,
            "gap": self._gap_at(region, ts, asked),
            "fallback": self._fallback(region, ts, target, on_call_ids),
        }

    def _person(self, engineer_id: str, ts: Instant, target: int, until: Instant | None,
                band_minutes: tuple[Band, int] | None = None) -> dict[str, Any]:
        band, minutes = band_minutes or self.team.group_of[engineer_id].response_at(ts)
        on_leave = _inside(self.team.leave.get(engineer_id, ()), ts)
        card = self._cards[engineer_id]
        return {
            **card,
            "local_time": _local_time(ts, card["timezone"]),
            "band": band,
            "response_minutes": minutes,
            "meets_target": minutes <= target and not on_leave,
            "on_leave": on_leave,
            "on_call_until": iso_z(until) if until is not None else None,
            "contact": dict(card["contact"]),
        }

    def _fallback(self, region: Region, ts: Instant, target: int,
                  on_call: set[str]) -> list[dict[str, Any]]:
        """Engineers serving the region who are neither on call nor on leave, in the order of
        `FallbackIndex.ranked` (ties: engineers sharing a schedule together, in scenario order),
        at most FALLBACK_LIMIT."""
        out: list[dict[str, Any]] = []
        for minutes, band, holiday, members in self._fallbacks[region.id].ranked(ts):
            for engineer_id in members:
                if engineer_id in on_call or _inside(self.team.leave.get(engineer_id, ()), ts):
                    continue
                person = self._person(engineer_id, ts, target, None, (band, minutes))
                person["public_holiday"] = holiday
                out.append(person)
                if len(out) == FALLBACK_LIMIT:
                    return out
        return out

    def _oncall_timeline(self, region: Region) -> OnCallTimeline:
        if region.id not in self._timelines:
            members = [e for _, ms in self._serving[region.id] for e in ms]
            self._timelines[region.id] = _timeline(self.on_call, members)
        return self._timelines[region.id]

    def sweep(self, region: Region, severity: Severity | None = None) -> RegionSweep:
        key = (region.id, severity)
        if key not in self._sweeps:
            demand = self.team.demand[region.id]
            if severity is not None:
                demand = _demand_for(self.scenario, demand, severity, self.lo, self.hi)
            self._sweeps[key] = sweep_region(self.team, region, self.on_call, demand)
            self._gap_starts[key] = [g.start for g in self._sweeps[key].gaps]
        return self._sweeps[key]

    def _gap_at(self, region: Region, ts: Instant, severity: Severity | None) -> dict[str, Any] | None:
        gaps = self.sweep(region, severity).gaps
        i = bisect.bisect_right(self._gap_starts[(region.id, severity)], ts) - 1
        if i < 0 or not gaps[i].start <= ts < gaps[i].end:
            return None
        # Gaps split by cause or structural flag; the bot wants the whole uncovered stretch.
        first, last = i, i
        while first > 0 and gaps[first - 1].end == gaps[first].start:
            first -= 1
        while last + 1 < len(gaps) and gaps[last + 1].start == gaps[last].end:
            last += 1
        return {"start": iso_z(gaps[first].start), "end": iso_z(gaps[last].end),
                "cause": gaps[i].cause}


@lru_cache(maxsize=64)
def _local_time(ts: Instant, zone_name: str) -> str:
    """Local time of the instant being answered; one query asks it for few zones, often twice."""
    return format_local_ts(ts, zone_name)


def _card(engineer: Engineer) -> dict[str, Any]:
    """The parts of a person in an answer that do not depend on the instant."""
    return {"engineer": engineer.id, "name": engineer.label, "timezone": engineer.timezone,
            "contact": engineer.contact.model_dump(exclude_none=True)}


def _fastest(person: dict[str, Any]) -> tuple[bool, int, str]:
    return person["on_leave"], person["response_minutes"], person["engineer"]


def _inside(spans: tuple[Span, ...] | list[Span], ts: Instant) -> bool:
    if not spans:
        return False
    i = bisect.bisect_right(spans, (ts, 2**62)) - 1
    return i >= 0 and spans[i][0] <= ts < spans[i][1]


def _demand_at(demand: list[Demand], starts: list[Instant], ts: Instant) -> Demand | None:
    i = bisect.bisect_right(starts, ts) - 1
    return demand[i] if i >= 0 and ts < demand[i].end else None


def _demand_for(scenario: Scenario, demand: list[Demand], severity: Severity,
                lo: Instant, hi: Instant) -> list[Demand]:
    """The region's demand re-targeted to `severity`; one responder where nothing was required."""
    target = scenario.severities.target(severity)
    out = [Demand(d.start, d.end, severity, d.responders, target, d.peak) for d in demand]
    rest = subtract([(lo, hi)], [(d.start, d.end) for d in demand])
    out += [Demand(s, e, severity, 1, target, False) for s, e in rest]
    return sorted(out, key=lambda d: d.start)


def outside_horizon(scenario: Scenario, rota: Rota, ts: Instant) -> dict[str, Any]:
    """The answer for an instant outside the horizon: it says so and gives the horizon."""
    return {
        "team": scenario.team,
        "at": iso_z(ts),
        "rota_version": rota.version,
        "outside_horizon": True,
        "horizon": horizon_json(scenario),
        "regions": [],
    }


def who_responds(scenario: Scenario, rota: Rota, at: dt.datetime, region: str | None = None,
                 severity: Severity | None = None) -> dict[str, Any]:
    """One-shot form of `NowIndex(scenario, rota).query(...)`: the same answer."""
    if region is not None and region not in scenario.region_by_id:
        raise NotFound(f"no region {region!r} in team {scenario.team!r}")
    h_lo, h_hi = horizon_range(scenario)
    if not h_lo <= to_ts(at) < h_hi:
        return outside_horizon(scenario, rota, to_ts(at))
    return NowIndex(scenario, rota).query(at, region, severity)
