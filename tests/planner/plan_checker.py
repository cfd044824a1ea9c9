"""An independent checker of a planned rota's hard rules, and tiny scenario builders.

It shares no code with the planner: local times come from `zoneinfo`, holidays from `holidays`,
leave from the scenario's own dates, so a planner bug cannot hide behind the same helper.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.validation import parse_scenario

UTC = dt.UTC


# Three offices eight hours apart serving one region over four days: the search tests' team.
THREE_OFFICES: dict[str, Any] = {
    "horizon": {"start": "2026-12-07", "days": 4},
    "engineers": [
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},
        {"id": "bob", "timezone": "America/New_York", "regions": ["eu"]},
    ],
}


def make_scenario(**changes: Any) -> Scenario:
    """One region (Berlin, P0 18:00-23:00, P2 off-peak), two engineers, 3 days from Mon 7 Dec 2026."""
    data: dict[str, Any] = {
        "team": "t",
        "horizon": {"start": "2026-12-07", "days": 3},
        "regions": [{
            "id": "eu", "timezone": "Europe/Berlin",
            "peak_windows": [{"start": "18:00", "end": "23:00"}],
            "peak": {"severity": "P0", "responders": 1},
            "off_peak": {"severity": "P2", "responders": 1},
        }],
        "engineers": [
            {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
            {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},
        ],
    }
    data.update(changes)
    return parse_scenario(data)


def local(ts: dt.datetime, zone: str) -> dt.datetime:
    return ts.astimezone(ZoneInfo(zone))


def leave_windows(engineer: Any) -> list[tuple[dt.datetime, dt.datetime]]:
    out = []
    for leave in engineer.unavailable:
        out.append((_edge(leave.start, engineer.timezone), _edge(leave.end, engineer.timezone)))
    return out


def _edge(value: dt.date | dt.datetime, zone: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def holiday_windows(engineer: Any, scenario: Scenario) -> list[tuple[dt.datetime, dt.datetime]]:
    if engineer.holiday_country is None:
        return []
    country, _, sub = engineer.holiday_country.partition("-")
    start = scenario.horizon.start
    years = range(start.year - 1, start.year + 2)
    zone = ZoneInfo(engineer.timezone)
    return [
        (dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(UTC),
         dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(UTC))
        for day in holidays.country_holidays(country, subdiv=sub or None, years=years)
    ]


def violations(scenario: Scenario, rota: Rota) -> list[str]:
    """Every hard rule the rota's shifts break (empty when the rota is within the rules)."""
    rules = scenario.rules
    found: list[str] = []
    by_eng: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    h_start, h_end = scenario.horizon.start_at, scenario.horizon.end_at
    for s in rota.shifts:
        by_eng[s.engineer].append((s.start, s.end))
    for eng_id, shifts in by_eng.items():
        engineer = scenario.engineer_by_id[eng_id]
        shifts.sort()
        for start, end in shifts:
            name = f"{eng_id} {start:%Y-%m-%dT%H:%M}Z"
            hours = (end - start).total_seconds() / 3600
            if not rules.shift_hours.min <= hours <= rules.shift_hours.max or (hours * 4) % 1:
                found.append(f"{name}: shift_hours {hours}")
            lt = local(start, engineer.timezone)
            if (lt.hour * 60 + lt.minute) % rules.shift_start_step_minutes:
                found.append(f"{name}: start step {lt:%H:%M} local")
            if end <= h_start or start >= h_end:
                found.append(f"{name}: outside horizon")
            for a, b in leave_windows(engineer):
                if a < end and start < b:
                    found.append(f"{name}: overlaps leave")
            if not rules.work_on_public_holidays:
                for a, b in holiday_windows(engineer, scenario):
                    if a < end and start < b:
                        found.append(f"{name}: overlaps a public holiday")
        for (_, end), (start, _) in zip(shifts, shifts[1:], strict=False):
            if (start - end).total_seconds() < rules.min_rest_hours * 3600:
                found.append(f"{eng_id} {start:%Y-%m-%dT%H:%M}Z: rest {start - end}")
        days = [local(s, engineer.timezone).date() for s, _ in shifts]
        if len(days) != len(set(days)):
            found.append(f"{eng_id}: two shifts on one local day")
        found += _weekly(scenario, eng_id, shifts)
        found += _consecutive(scenario, eng_id, sorted(set(days)))
    return found


def _weekly(scenario: Scenario, eng_id: str, shifts: list[tuple[dt.datetime, dt.datetime]]) -> list[str]:
    """Hours inside each 7-day block from the horizon start (parts outside the horizon are free)."""
    cap = scenario.weekly_hours_cap(scenario.engineer_by_id[eng_id])
    out = []
    block = scenario.horizon.start_at
    while block < scenario.horizon.end_at:
        nxt = min(block + dt.timedelta(days=7), scenario.horizon.end_at)
        hours = sum(max((min(e, nxt) - max(s, block)).total_seconds(), 0) for s, e in shifts) / 3600
        if hours > cap + 1e-9:
            out.append(f"{eng_id}: {hours} h in the week from {block:%Y-%m-%d} (cap {cap})")
        block = nxt
    return out


def _consecutive(scenario: Scenario, eng_id: str, days: list[dt.date]) -> list[str]:
    run = 1
    for a, b in zip(days, days[1:], strict=False):
        run = run + 1 if (b - a).days == 1 else 1
        if run > scenario.rules.max_consecutive_days:
            return [f"{eng_id}: {run} consecutive days up to {b}"]
    return []
