"""A team's time over an analysis range, independent of any rota.

Engineers who share a zone, working hours, sleep window, holiday calendar and response minutes
behave identically in time, so they form one `Group` whose band spans are computed once. Coverage
then counts people per group and multiplies by the group's "fast enough" indicator, which keeps a
500-engineer, 365-day analysis to a few NumPy sweeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rota.availability import BandProfile, band_profile, leave_spans
from rota.demand import Demand, region_demand
from rota.scenario import BANDS, Band, Engineer, Region, Scenario
from rota.spans import Instant, Span, clip, iso_z, merge, to_ts
from rota.spanset import SpanSet
from rota.windows import expand_window

GroupKey = tuple[object, ...]


@dataclass
class Group:
    """Engineers whose bands and response minutes coincide at every instant."""

    profile: BandProfile
    response: dict[Band, int]
    members: list[Engineer] = field(default_factory=list)
    _fast: dict[int, SpanSet] = field(default_factory=dict)
    _band_sets: dict[Band, SpanSet] = field(default_factory=dict)
    _holidays: SpanSet | None = None

    def fast(self, target_minutes: int) -> SpanSet:
        """Where a member answers within `target_minutes` (leave and holidays aside)."""
        if target_minutes not in self._fast:
            spans = [
                span
                for band in BANDS
                if self.response[band] <= target_minutes
                for span in self.profile.spans_by_band[band]
            ]
            self._fast[target_minutes] = SpanSet(merge(spans))
        return self._fast[target_minutes]

    def band_set(self, band: Band) -> SpanSet:
        if band not in self._band_sets:
            self._band_sets[band] = SpanSet(self.profile.spans_by_band[band])
        return self._band_sets[band]

    def holiday_set(self) -> SpanSet:
        """The members' local public holidays."""
        if self._holidays is None:
            self._holidays = SpanSet(list(self.profile.holidays))
        return self._holidays

    def edges(self) -> npt.NDArray[np.int64]:
        """Every instant where a member's band or holiday status changes."""
        holiday_edges = [x for span in self.profile.holidays for x in span]
        return np.asarray([*self.profile.starts, *holiday_edges], dtype=np.int64)

    def response_at(self, ts: Instant) -> tuple[Band, int]:
        band = self.profile.band_at(ts)
        return band, self.response[band]


@dataclass
class TeamTime:
    """Bands, leave, holidays and demand of a scenario over [lo, hi)."""

    scenario: Scenario
    lo: Instant
    hi: Instant
    groups: list[Group]
    group_of: dict[str, Group]
    leave: dict[str, list[Span]]
    demand: dict[str, list[Demand]]
    _zone_sets: dict[tuple[str, str], SpanSet] = field(default_factory=dict)

    def serving(self, region: Region) -> list[tuple[Group, list[Engineer]]]:
        """Groups with at least one member serving the region, with those members."""
        out = []
        for group in self.groups:
            members = [e for e in group.members if region.id in e.regions]
            if members:
                out.append((group, members))
        return out

    def zone_set(self, zone_name: str, kind: str) -> SpanSet:
        """Local nights (22:00-06:00) or weekends (Saturday and Sunday) of a zone, as UTC spans."""
        key = (zone_name, kind)
        if key not in self._zone_sets:
            if kind == "night":
                spans = expand_window("22:00", "06:00", range(7), zone_name, self.lo, self.hi)
            else:
                spans = expand_window("00:00", "24:00", (5, 6), zone_name, self.lo, self.hi)
            self._zone_sets[key] = SpanSet(spans)
        return self._zone_sets[key]


def team_time(scenario: Scenario, lo: Instant, hi: Instant) -> TeamTime:
    groups: dict[GroupKey, Group] = {}
    group_of: dict[str, Group] = {}
    for engineer in scenario.engineers:
        response = scenario.response_minutes_of(engineer)
        key = (
            engineer.timezone,
            engineer.working_hours,
            engineer.sleep,
            engineer.holiday_country,
            tuple(response.items()),
        )
        if key not in groups:
            profile = band_profile(
                engineer.timezone, engineer.working_hours, engineer.sleep,
                engineer.holiday_country, lo, hi,
            )
            groups[key] = Group(profile, response)
        groups[key].members.append(engineer)
        group_of[engineer.id] = groups[key]
    leave = {e.id: clip(leave_spans(e), lo, hi) for e in scenario.engineers if e.unavailable}
    demand = {r.id: region_demand(scenario, r, lo, hi) for r in scenario.regions}
    return TeamTime(scenario, lo, hi, list(groups.values()), group_of, leave, demand)


def horizon_range(scenario: Scenario) -> tuple[Instant, Instant]:
    return to_ts(scenario.horizon.start_at), to_ts(scenario.horizon.end_at)


def horizon_json(scenario: Scenario) -> dict[str, str]:
    """The horizon's bounds as answers give them: `{"start", "end"}`, UTC with a `Z`."""
    return {"start": iso_z(scenario.horizon.start_at), "end": iso_z(scenario.horizon.end_at)}


def analysis_range(
    scenario: Scenario, start: dt.datetime | None, end: dt.datetime | None
) -> tuple[Instant, Instant]:
    """[start, end) as epoch seconds, defaulting to the horizon."""
    lo, hi = horizon_range(scenario)
    return (to_ts(start) if start else lo), (to_ts(end) if end else hi)
