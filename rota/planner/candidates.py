"""Candidate shifts: every shift the planner may choose, pre-filtered by the rules that need no model.

A candidate belongs to one engineer and one local date (the date its start falls on in the
engineer's zone). Starts lie on the rules' `shift_start_step_minutes` in local wall time (through
`rota.zones.to_utc`, so DST follows the one policy; a start a spring-forward skips is not offered),
on a stride of whole steps that keeps the count at "tens per day". Lengths run from
`shift_hours.min` to `.max` in `LENGTH_STRIDE_MINUTES` (plus the max itself), on the 15-minute grid.
The full grid (every start step, lengths in whole steps) is offered where it matters most: to the
engineers of a tight spot, over it (`qualifiers.py`), and to the peak stage's proof (`peakproof.py`).
A candidate overlaps the horizon (one running at its start or end may begin the day before or
end the day after, so the edges can be covered; only the part inside counts) and overlaps neither
the engineer's leave nor (unless `work_on_public_holidays`) a local public holiday: those rules
hold by construction.

Pins, frozen past shifts and kept previous shifts join as extra candidates with flags.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from rota.availability import band_profile, leave_spans
from rota.scenario import Engineer, Scenario
from rota.spans import Instant, Span, from_ts, merge, to_ts
from rota.spanset import SpanSet
from rota.team import TeamTime
from rota.zones import to_utc, zone

LENGTH_STRIDE_MINUTES = 120
EDGE_SECONDS = 86400
DAY = dt.timedelta(days=1)


@dataclass
class Candidate:
    """One possible shift `[start, end)` of engineer `eng` (index), started on local date `day`."""

    eng: int
    day: dt.date
    start: Instant
    end: Instant
    asleep_min: int = 0
    off_hours_min: int = 0
    weekend_min: int = 0
    forced: str | None = None  # "pin" or "frozen": the plan must contain it
    previous: bool = False  # equal to a shift of the previous rota
    var: object = field(default=None, repr=False)
    # Minutes inside the horizon, at local night (22:00-06:00) and on local public holidays: the
    # burden the fairness stage balances with what earlier rotas carried in (`rota.history`).
    on_call_min: int = 0
    night_min: int = 0
    holiday_min: int = 0

    @property
    def minutes(self) -> int:
        return (self.end - self.start) // 60


@dataclass(frozen=True)
class CandidatePolicy:
    """How densely to offer shifts: starts every `stride_steps` steps of the rules' start step,
    lengths every `length_step_minutes` from `shift_hours.min` (0: the rules' start step)."""

    stride_steps: int = 1
    length_step_minutes: int = LENGTH_STRIDE_MINUTES


FULL_GRID = CandidatePolicy(stride_steps=1, length_step_minutes=0)


def blocked_spans(scenario: Scenario, team: TeamTime, engineer: Engineer) -> list[Span]:
    """Leave, plus public holidays unless the rules allow holiday work: no shift may overlap these.

    Taken a day beyond the horizon on each side, where candidates at the edges may reach.
    """
    spans = leave_spans(engineer)
    if not scenario.rules.work_on_public_holidays:
        lo, hi = team.lo - EDGE_SECONDS, team.hi + EDGE_SECONDS
        profile = band_profile(engineer.timezone, engineer.working_hours, engineer.sleep,
                               engineer.holiday_country, lo, hi)
        spans += list(profile.holidays)
    return merge(spans)


def local_days(engineer: Engineer, lo: Instant, hi: Instant) -> list[dt.date]:
    """Local dates of the engineer on which a shift inside [lo, hi) may start."""
    tz = zone(engineer.timezone)
    first = from_ts(lo).astimezone(tz).date() - DAY
    last = from_ts(hi - 1).astimezone(tz).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def shift_lengths(scenario: Scenario, step_minutes: int = LENGTH_STRIDE_MINUTES) -> list[int]:
    """Offered lengths in minutes: min, min + step, ..., and max (step 0: the rules' start step)."""
    lo = round(scenario.rules.shift_hours.min * 60)
    hi = round(scenario.rules.shift_hours.max * 60)
    step = step_minutes or scenario.rules.shift_start_step_minutes
    lengths = set(range(lo, hi + 1, step)) | {hi}
    return sorted(lengths)


def local_starts(engineer: Engineer, day: dt.date, step_minutes: int) -> list[Instant]:
    """UTC instants of the local starts on `day` every `step_minutes`, skipping nonexistent ones.

    A day whose UTC offset is the same at its midnight and the next (no DST change) is its
    midnight plus whole steps; only a day with a change maps each start through `to_utc`."""
    midnight = dt.datetime.combine(day, dt.time())
    tz = zone(engineer.timezone)
    first = to_utc(midnight, engineer.timezone, "start")
    following = to_utc(midnight + DAY, engineer.timezone, "start")
    if following - first == DAY and first.astimezone(tz).replace(tzinfo=None) == midnight:
        base = to_ts(first)
        return [base + 60 * minute for minute in range(0, 24 * 60, step_minutes)]
    out = []
    for minute in range(0, 24 * 60, step_minutes):
        local = midnight + dt.timedelta(minutes=minute)
        utc = to_utc(local, engineer.timezone, "start")
        if utc.astimezone(tz).replace(tzinfo=None) == local:
            out.append(to_ts(utc))
    return out


def engineer_candidates(
    scenario: Scenario, team: TeamTime, eng: int, policy: CandidatePolicy,
    within: SpanSet | None = None,
) -> list[Candidate]:
    """The engineer's candidates on `policy`'s grid (only those overlapping `within`, if given),
    in order of local date, start and length. Filtered as arrays before any object is made."""
    engineer = scenario.engineers[eng]
    step = scenario.rules.shift_start_step_minutes * policy.stride_steps
    lengths = np.asarray([m * 60 for m in shift_lengths(scenario, policy.length_step_minutes)],
                         dtype=np.int64)
    blocked = SpanSet(blocked_spans(scenario, team, engineer))
    days = local_days(engineer, team.lo, team.hi)
    per_day = [np.asarray(local_starts(engineer, day, step), dtype=np.int64) for day in days]
    if not days or within is not None and not len(within):
        return []
    day_of = np.repeat(np.arange(len(days)), [len(x) * len(lengths) for x in per_day])
    starts = np.repeat(np.concatenate(per_day), len(lengths))
    ends = starts + np.tile(lengths, len(starts) // len(lengths)) if len(starts) else starts
    keep = (ends > team.lo) & (starts < team.hi)
    if len(blocked):
        keep &= blocked.measure_before(ends) - blocked.measure_before(starts) == 0
    if within is not None:
        keep &= within.measure_before(ends) - within.measure_before(starts) > 0
    return [Candidate(eng, days[d], a, b) for d, a, b in
            zip(day_of[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True)]


def overlapping(cands: list[Candidate], spans: SpanSet) -> list[Candidate]:
    """The candidates that overlap `spans`."""
    if not cands or not len(spans):
        return []
    starts = np.array([c.start for c in cands], dtype=np.int64)
    ends = np.array([c.end for c in cands], dtype=np.int64)
    hit = spans.measure_before(ends) - spans.measure_before(starts) > 0
    return [c for c, h in zip(cands, hit.tolist(), strict=True) if h]


def annotate_costs(team: TeamTime, engineer: Engineer, cands: list[Candidate]) -> None:
    """Fill the per-candidate minutes the objective charges: asleep, outside work, weekend, and
    for fairness on call (inside the horizon), night and public holiday."""
    if not cands:
        return
    group = team.group_of[engineer.id]
    starts = np.array([c.start for c in cands], dtype=np.int64)
    ends = np.array([c.end for c in cands], dtype=np.int64)

    def inside(spans: SpanSet) -> list[int]:
        return ((spans.measure_before(ends) - spans.measure_before(starts)) // 60).tolist()

    asleep = inside(group.band_set("asleep"))
    working = inside(group.band_set("working"))
    weekend = inside(team.zone_set(engineer.timezone, "weekend"))
    night = inside(team.zone_set(engineer.timezone, "night"))
    holiday = inside(group.holiday_set()) if group.profile.holidays else [0] * len(cands)
    on_call = ((np.minimum(ends, team.hi) - np.maximum(starts, team.lo)) // 60).tolist()
    for c, a, w, we, n, h, o in zip(cands, asleep, working, weekend, night, holiday, on_call,
                                    strict=True):
        c.asleep_min = a
        c.off_hours_min = c.minutes - w
        c.weekend_min = we
        c.night_min = n
        c.holiday_min = h
        c.on_call_min = o


def local_day_of(engineer: Engineer, start: Instant) -> dt.date:
    return from_ts(start).astimezone(zone(engineer.timezone)).date()
