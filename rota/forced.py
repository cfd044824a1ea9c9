"""Burden nobody else can take: on-call time in which an engineer is indispensable to coverage.

Where a region's demand is met and no more engineers are eligible than it requires (the coverage
sweep's `eligible`: serving the region, not on leave, not on a local public holiday unless the
rules allow holiday work, answering within the target in their band at that instant), every
qualified responder on call is needed: no rota, however planned, covers that time without them.
Fairness can move any other burden; this part stays with them whatever history says.

For each such engineer: the time by region, how much of it falls in their local night (22:00-06:00)
and weekend, and what would let it be shared: the engineer of the team who, if they also served
the region, would be eligible for the most of it (fast enough in their band, not on leave, not on
a holiday), or, for the part nobody on the team could answer, a hire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rota.burden import hours
from rota.coverage import sweep_region
from rota.scenario import BANDS, Region
from rota.spans import Span, intersect, merge, subtract, total
from rota.team import Group, TeamTime


@dataclass(frozen=True)
class Share:
    """Who could take part of it, if given the region (engineer None: nobody on the team)."""

    region: str
    engineer: str | None
    seconds: int


@dataclass(frozen=True)
class Forced:
    engineer: str
    seconds: int
    night_seconds: int
    weekend_seconds: int
    by_region: dict[str, int]
    shares: list[Share] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "engineer": self.engineer,
            "hours": hours(self.seconds),
            "night_hours": hours(self.night_seconds),
            "weekend_hours": hours(self.weekend_seconds),
            "hours_by_region": {r: hours(s) for r, s in self.by_region.items()},
            "could_share": [{"region": s.region, "engineer": s.engineer, "hours": hours(s.seconds)}
                            for s in self.shares],
        }

    def sentence(self) -> str:
        """One short line for a planner: who, how much, where, what would share it."""
        regions = ", ".join(f"{r} {hours(s):g} h" for r, s in self.by_region.items())
        shares = "; ".join(
            f"{s.engineer} if given {s.region} ({hours(s.seconds):g} h)" if s.engineer
            else f"a hire for {s.region} ({hours(s.seconds):g} h nobody on the team could answer)"
            for s in self.shares)
        return (f"{self.engineer}: {hours(self.seconds):g} h on call that nobody else can take "
                f"({regions}; {hours(self.night_seconds):g} h at night, "
                f"{hours(self.weekend_seconds):g} h on weekends)"
                + (f"; could be shared by {shares}" if shares else ""))


def forced_burden(team: TeamTime, on_call: dict[str, list[Span]]) -> list[Forced]:
    """The engineers with on-call time nobody else could take, most first."""
    spans: dict[str, dict[str, list[Span]]] = {}
    for region in team.scenario.regions:
        for engineer_id, region_spans in _indispensable(team, region, on_call).items():
            spans.setdefault(engineer_id, {})[region.id] = region_spans
    out = []
    for engineer_id, by_region in spans.items():
        engineer = team.scenario.engineer_by_id[engineer_id]
        every = merge(s for region_spans in by_region.values() for s in region_spans)
        out.append(Forced(
            engineer=engineer_id,
            seconds=total(every),
            night_seconds=team.zone_set(engineer.timezone, "night").overlap(every),
            weekend_seconds=team.zone_set(engineer.timezone, "weekend").overlap(every),
            by_region={r: total(s) for r, s in sorted(by_region.items(), key=lambda kv: -total(kv[1]))},
            shares=[share for r, s in by_region.items() for share in _shares(team, r, engineer_id, s)],
        ))
    return sorted(out, key=lambda f: (-f.seconds, f.engineer))


def _indispensable(team: TeamTime, region: Region, on_call: dict[str, list[Span]]
                   ) -> dict[str, list[Span]]:
    """Per engineer, the time they are a qualified responder the region cannot do without."""
    sweep = sweep_region(team, region, on_call)
    tight = (sweep.required > 0) & (sweep.qualified >= sweep.required) & \
        (sweep.eligible <= sweep.required)
    if not tight.any():
        return {}
    out: dict[str, list[Span]] = {}
    demand = team.demand[region.id]
    for k in np.nonzero(tight)[0].tolist():
        span = [(int(sweep.points[k]), int(sweep.points[k + 1]))]
        target = demand[int(sweep.demand_index[k])].target_minutes
        for engineer in team.scenario.engineers:
            if region.id not in engineer.regions or engineer.id not in on_call:
                continue
            mine = intersect(merge(on_call[engineer.id]), span)
            mine = subtract(mine, team.leave.get(engineer.id, []))
            group = team.group_of[engineer.id]
            fast = group.fast(target)
            mine = [s for s in mine if fast.overlap([s]) == s[1] - s[0]]
            if mine:
                out.setdefault(engineer.id, []).extend(mine)
    return {e: merge(s) for e, s in out.items()}


def _shares(team: TeamTime, region_id: str, engineer_id: str, spans: list[Span]) -> list[Share]:
    """Who could take the most of `spans` if given the region, and what nobody could."""
    demand = team.demand[region_id]
    left = spans
    best: tuple[int, str] | None = None
    for other in team.scenario.engineers:
        if other.id == engineer_id or region_id in other.regions:
            continue
        group = team.group_of[other.id]
        free = subtract(spans, merge([*team.leave.get(other.id, []), *group.profile.holidays])
                        if not team.scenario.rules.work_on_public_holidays
                        else team.leave.get(other.id, []))
        able = merge(s for d in demand if d.responders > 0
                     for s in intersect(intersect(free, [(d.start, d.end)]),
                                        _fast(group, d.target_minutes)))
        seconds = total(able)
        if seconds and (best is None or seconds > best[0]):
            best = (seconds, other.id)
            left = subtract(spans, able)
    out = [Share(region_id, best[1], best[0])] if best else []
    if total(left):
        out.append(Share(region_id, None, total(left)))
    return out


def _fast(group: Group, target_minutes: int) -> list[Span]:
    """Where a member of the group answers within the target (leave and holidays aside)."""
    return merge(span for band in BANDS if group.response[band] <= target_minutes
                 for span in group.profile.spans_by_band[band])
