"""Where one hire would close structural gaps: the one hiring answer of the CLI, API, report and plan.

Structural time is required time in which fewer engineers are eligible than required (the sweep's
`eligible`: serving the region, not on leave, not on a local public holiday unless the rules allow
it, answering within the target in their band). It depends on the scenario and the window, never on
a rota. One hire closes the part of it where exactly one engineer is missing and the hire would
qualify.

- Candidates: the scenario's `hiring.candidates` when it lists some, else the team's own offices:
  each distinct engineer time zone with that engineer's holiday country, in the scenario's order.
- A candidate is a hypothetical engineer serving every region with the team's default response
  minutes, their own working hours and sleep (the defaults unless the candidate gives them) and
  their own public holidays (on which they are not eligible unless `work_on_public_holidays`).
- One person is on call for at most `max_hours_per_week` hours in each 7-day block from the window
  start: in each block the instants closing the most regions at once are taken first, up to the cap.
  Shift lengths, rest and consecutive days are not modelled, so the figure is an upper bound.
- Suggestions: the candidates closing the most structural minutes, best first (ties by zone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from rota.availability import band_profile
from rota.coverage import RegionSweep
from rota.scenario import BANDS, DEFAULT_SLEEP, DEFAULT_WORKING_HOURS, DailyWindow, Scenario, Window
from rota.spans import Instant, Span, from_ts, intersect, merge, subtract
from rota.team import TeamTime
from rota.zones import zone

TOP = 3
WEEK = 7 * 86400


@dataclass(frozen=True)
class Candidate:
    timezone: str
    holiday_country: str | None
    working_hours: Window = DEFAULT_WORKING_HOURS
    sleep: DailyWindow = DEFAULT_SLEEP


@dataclass(frozen=True)
class HireSuggestion:
    timezone: str
    holiday_country: str | None
    utc_offset: str  # at the window start
    closes_seconds: int
    regions: dict[str, int]  # region -> structural seconds closed there

    def to_json(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "holiday_country": self.holiday_country,
                "utc_offset": self.utc_offset, "closes_minutes": self.closes_seconds // 60,
                "regions": {r: s // 60 for r, s in self.regions.items()}}


def candidates(scenario: Scenario) -> list[Candidate]:
    if scenario.hiring is not None and scenario.hiring.candidates:
        return [Candidate(c.timezone, c.holiday_country, c.working_hours, c.sleep)
                for c in scenario.hiring.candidates]
    offices = dict.fromkeys((e.timezone, e.holiday_country) for e in scenario.engineers)
    return [Candidate(name, country) for name, country in offices]


def closable(team: TeamTime, sweep: RegionSweep) -> dict[int, list[Span]]:
    """Per target minutes, the region's structural spans that one more engineer would close."""
    demand = team.demand[sweep.region.id]
    one_short = (sweep.required > 0) & (sweep.eligible == sweep.required - 1)
    out: dict[int, list[Span]] = {}
    for i in np.nonzero(one_short)[0].tolist():
        target = demand[int(sweep.demand_index[i])].target_minutes
        out.setdefault(target, []).append((int(sweep.points[i]), int(sweep.points[i + 1])))
    return {target: merge(spans) for target, spans in out.items()}


def hire_suggestions(team: TeamTime, sweeps: list[RegionSweep], top: int = TOP) -> list[HireSuggestion]:
    """The candidates whose one hire would close the most structural minutes of these regions."""
    gaps = {s.region.id: closable(team, s) for s in sweeps}
    if not any(gaps.values()):
        return []
    scenario = team.scenario
    response = scenario.response_minutes
    cap = round(scenario.rules.max_hours_per_week * 3600)
    found = []
    for c in candidates(scenario):
        profile = band_profile(c.timezone, c.working_hours, c.sleep, c.holiday_country, team.lo, team.hi)
        off = [] if scenario.rules.work_on_public_holidays else list(profile.holidays)
        answered: dict[str, list[Span]] = {}
        for region, by_target in gaps.items():
            spans: list[Span] = []
            for target, short in by_target.items():
                fast = merge(s for b in BANDS if getattr(response, b) <= target
                             for s in profile.spans_by_band[b])
                spans += intersect(subtract(fast, off), short)
            if spans:
                answered[region] = merge(spans)
        closed = _weekly_capped(answered, team.lo, team.hi, cap)
        if closed:
            found.append(HireSuggestion(c.timezone, c.holiday_country, utc_offset(c.timezone, team.lo),
                                        sum(closed.values()), closed))
    found.sort(key=lambda h: (-h.closes_seconds, h.timezone, h.holiday_country or ""))
    return found[:top]


def _weekly_capped(answered: dict[str, list[Span]], lo: Instant, hi: Instant, cap: int) -> dict[str, int]:
    """Region -> seconds one person closes, on call at most `cap` seconds per 7-day block.

    Within a block, the stretches that close the most regions at once come first.
    """
    closed: dict[str, int] = {}
    for block in range(lo, hi, WEEK):
        window = [(block, min(block + WEEK, hi))]
        parts = {r: intersect(spans, window) for r, spans in answered.items()}
        points = sorted({x for spans in parts.values() for span in spans for x in span})
        pieces = []
        for a, b in zip(points, points[1:], strict=False):
            inside = [r for r, spans in parts.items() if any(s <= a and b <= e for s, e in spans)]
            if inside:
                pieces.append((-len(inside), a, b, inside))
        left = cap
        for _, a, b, inside in sorted(pieces):
            take = min(b - a, left)
            for r in inside:
                closed[r] = closed.get(r, 0) + take
            left -= take
            if not left:
                break
    return {r: closed[r] for r in answered if closed.get(r)}


def utc_offset(name: str, ts: Instant) -> str:
    offset = from_ts(ts).astimezone(zone(name)).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
