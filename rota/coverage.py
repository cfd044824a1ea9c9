"""Coverage and gaps: an event sweep over change points, region by region.

Between two consecutive change points (a demand boundary, a band change of some group, a shift or
leave edge) nothing changes, so each segment is judged once:

- `qualified`: on call, not on leave, serving the region, answering within the target now;
- `eligible`: like qualified but whether on call or not, and not on a local public holiday unless
  the rules allow holiday work. Fewer eligible than required makes a gap `structural`;
- a gap's `cause`: `short_handed` when some qualify, else `no_responder` when no one serving the
  region is on call, `unavailable` when everyone on call is on leave, else `too_slow`.

A gap is a maximal run of uncovered segments with one requirement (demand span), one cause and one
structural flag; its `qualified` is the fewest qualified at any point in it. It names the people a
reader would ask about it: `on_call`, the engineers serving the region on call at some point in it,
and `on_leave`, those serving the region on leave at some point in it (scenario order).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from rota.demand import Demand
from rota.scenario import SEVERITIES, Engineer, Region, Severity
from rota.spans import Instant, Span, subtract
from rota.spanset import Bools, Ints, StepCount
from rota.team import TeamTime

Cause = Literal["no_responder", "unavailable", "too_slow", "short_handed"]
CAUSES: tuple[Cause, ...] = ("no_responder", "unavailable", "too_slow", "short_handed")


@dataclass(frozen=True)
class Exposure:
    amount: float
    currency: str | None


@dataclass(frozen=True)
class Gap:
    region: str
    severity: Severity
    start: Instant
    end: Instant
    required: int
    qualified: int
    cause: Cause
    structural: bool
    peak: bool
    exposure: Exposure | None
    on_call: tuple[str, ...] = ()
    on_leave: tuple[str, ...] = ()

    @property
    def seconds(self) -> int:
        return self.end - self.start


@dataclass
class RegionSweep:
    """The judged segments of one region: segment i is [points[i], points[i + 1])."""

    region: Region
    points: Ints
    demand_index: Ints  # -1 where nothing is required
    required: Ints
    qualified: Ints
    eligible: Ints
    cause: Ints  # index into CAUSES, meaningful where uncovered
    severity: Ints  # index into SEVERITIES, -1 where nothing is required
    peak: Bools  # inside a peak window
    gaps: list[Gap]

    @property
    def durations(self) -> Ints:
        return np.diff(self.points)

    @property
    def uncovered(self) -> Bools:
        return (self.required > 0) & (self.qualified < self.required)


def sweep_region(
    team: TeamTime,
    region: Region,
    on_call: dict[str, list[Span]],
    demand: list[Demand] | None = None,
) -> RegionSweep:
    """Judge every segment of the region; `demand` replaces the region's own when given."""
    if demand is None:
        demand = team.demand[region.id]
    allow_holidays = team.scenario.rules.work_on_public_holidays
    targets = sorted({d.target_minutes for d in demand})
    parts = []
    edges: list[Ints] = [np.array([team.lo, team.hi], dtype=np.int64)]
    edges.append(np.array([x for d in demand for x in (d.start, d.end)], dtype=np.int64))
    for group, members in team.serving(region):
        on = [s for e in members for s in on_call.get(e.id, ())]
        avail = [
            s for e in members
            for s in (subtract(on_call[e.id], team.leave[e.id])
                      if e.id in team.leave and e.id in on_call else on_call.get(e.id, ()))
        ]
        leave = [s for e in members for s in team.leave.get(e.id, ())]
        counts = (StepCount(on), StepCount(avail), StepCount(leave))
        parts.append((group, len(members), counts))
        edges += [c.edges() for c in counts]
        edges.append(group.edges())
    points = np.unique(np.concatenate(edges))
    points = points[(points >= team.lo) & (points <= team.hi)]
    at = points[:-1]

    d_index, required, target_pos = _demand_at(demand, targets, at)
    n_on = np.zeros(len(at), dtype=np.int64)
    n_avail = np.zeros(len(at), dtype=np.int64)
    qualified = np.zeros((max(len(targets), 1), len(at)), dtype=np.int64)
    eligible = np.zeros_like(qualified)
    for group, size, (on_c, avail_c, leave_c) in parts:
        n_on += on_c.at(at)
        avail_now = avail_c.at(at)
        n_avail += avail_now
        present = size - leave_c.at(at)
        if not allow_holidays and group.profile.holidays:
            present = np.where(group.holiday_set().contains(at), 0, present)
        for k, target in enumerate(targets):
            fast = group.fast(target).contains(at)
            qualified[k] += np.where(fast, avail_now, 0)
            eligible[k] += np.where(fast, present, 0)
    cols = np.arange(len(at))
    q = qualified[target_pos, cols]
    s = eligible[target_pos, cols]
    cause = np.where(q > 0, 3, np.where(n_on == 0, 0, np.where(n_avail == 0, 1, 2)))
    sev_of_demand = np.array([SEVERITIES.index(d.severity) for d in demand] or [0], dtype=np.int64)
    severity = np.where(d_index >= 0, sev_of_demand[np.maximum(d_index, 0)], -1)
    peak_of_demand = np.array([d.peak for d in demand] or [False], dtype=bool)
    peak = (d_index >= 0) & peak_of_demand[np.maximum(d_index, 0)]
    sweep = RegionSweep(
        region, points, d_index, required, q, s, cause.astype(np.int64), severity, peak, []
    )
    members = [e for e in team.scenario.engineers if region.id in e.regions]
    sweep.gaps = _with_people(_gaps(team, sweep, demand), members, on_call, team.leave)
    return sweep


def _with_people(gaps: list[Gap], members: list[Engineer], on_call: dict[str, list[Span]],
                 leave: dict[str, list[Span]]) -> list[Gap]:
    """The gaps with the members on call and on leave at some point in each (spans merged)."""
    if not gaps:
        return gaps
    starts = np.array([g.start for g in gaps], dtype=np.int64)
    ends = np.array([g.end for g in gaps], dtype=np.int64)
    names: tuple[list[list[str]], list[list[str]]] = ([[] for _ in gaps], [[] for _ in gaps])
    for engineer in members:
        for spans, out in ((on_call.get(engineer.id), names[0]), (leave.get(engineer.id), names[1])):
            if not spans:
                continue
            span_starts = np.array([a for a, _ in spans], dtype=np.int64)
            span_ends = np.array([b for _, b in spans], dtype=np.int64)
            first = np.searchsorted(span_ends, starts, side="right")  # first span ending after
            hit = (first < len(spans)) & (span_starts[np.minimum(first, len(spans) - 1)] < ends)
            for k in np.nonzero(hit)[0].tolist():
                out[k].append(engineer.id)
    return [replace(g, on_call=tuple(names[0][k]), on_leave=tuple(names[1][k]))
            for k, g in enumerate(gaps)]


def _demand_at(demand: list[Demand], targets: list[int], at: Ints) -> tuple[Ints, Ints, Ints]:
    if not demand:
        zeros = np.zeros(len(at), dtype=np.int64)
        return zeros - 1, zeros, zeros
    starts = np.array([d.start for d in demand], dtype=np.int64)
    ends = np.array([d.end for d in demand], dtype=np.int64)
    req = np.array([d.responders for d in demand], dtype=np.int64)
    tpos = np.array([targets.index(d.target_minutes) for d in demand], dtype=np.int64)
    idx = np.searchsorted(starts, at, side="right") - 1
    safe = np.maximum(idx, 0)
    inside = (idx >= 0) & (at < ends[safe])
    return (
        np.where(inside, idx, -1),
        np.where(inside, req[safe], 0),
        np.where(inside, tpos[safe], 0),
    )


def _gaps(team: TeamTime, sweep: RegionSweep, demand: list[Demand]) -> list[Gap]:
    bad = np.nonzero(sweep.uncovered)[0]
    if not len(bad):
        return []
    structural = sweep.eligible < sweep.required
    key_change = (
        (np.diff(bad) != 1)
        | (sweep.demand_index[bad[1:]] != sweep.demand_index[bad[:-1]])
        | (sweep.cause[bad[1:]] != sweep.cause[bad[:-1]])
        | (structural[bad[1:]] != structural[bad[:-1]])
    )
    firsts = np.concatenate(([0], np.nonzero(key_change)[0] + 1))
    lasts = np.concatenate((firsts[1:] - 1, [len(bad) - 1]))
    min_q = np.minimum.reduceat(sweep.qualified[bad], firsts)
    gaps = []
    for first, last, fewest in zip(firsts.tolist(), lasts.tolist(), min_q.tolist(), strict=True):
        i, j = int(bad[first]), int(bad[last])
        d = demand[int(sweep.demand_index[i])]
        start, end = int(sweep.points[i]), int(sweep.points[j + 1])
        gaps.append(
            Gap(
                region=sweep.region.id,
                severity=d.severity,
                start=start,
                end=end,
                required=d.responders,
                qualified=int(fewest),
                cause=CAUSES[int(sweep.cause[i])],
                structural=bool(structural[i]),
                peak=d.peak,
                exposure=exposure(sweep.region, d.peak, end - start),
            )
        )
    return gaps


def exposure(region: Region, peak: bool, seconds: int) -> Exposure | None:
    """Users x revenue per user-hour x hours, when the region gives both figures."""
    users = region.users_at_peak if peak else region.users_off_peak
    if users is None or region.revenue_per_user_hour is None:
        return None
    return Exposure(round(users * region.revenue_per_user_hour * seconds / 3600, 2), region.currency)
