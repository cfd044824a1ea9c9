"""P0 peak coverage within the rules: what a rota covers without the on-call time its violations concern.

No second sweep is needed. Over P0 peak segments of a region's sweep, the responders lost are those
on call (and not on leave) inside a violation's time, counted per group where the group answers
within the P0 target; covered-within-rules is then `qualified - lost >= required`. Violation edges
need not be sweep points, so the segments are first split at them (every sweep figure is constant
inside a segment, so a piece takes its segment's values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rota.coverage import RegionSweep
from rota.scenario import SEVERITIES
from rota.spans import Span, intersect, subtract
from rota.spanset import StepCount
from rota.team import TeamTime

P0 = SEVERITIES.index("P0")


@dataclass(frozen=True)
class PeakWithinRules:
    region: str
    required_seconds: int
    covered_seconds: int


def p0_peak_within_rules(team: TeamTime, sweep: RegionSweep, on_call: dict[str, list[Span]],
                         broken: dict[str, list[Span]]) -> PeakWithinRules:
    """P0 peak required and covered seconds of one region once `broken` on-call time is taken away."""
    target = team.scenario.severities.target("P0")
    lost_by_group = []
    for group, members in team.serving(sweep.region):
        lost = [s for e in members if e.id in broken and e.id in on_call
                for s in intersect(subtract(on_call[e.id], team.leave.get(e.id, [])), broken[e.id])]
        if lost:
            lost_by_group.append((group, StepCount(lost)))
    extra = np.array([x for _, c in lost_by_group for x in c.edges()], dtype=np.int64)
    points = np.unique(np.concatenate((sweep.points, extra)))
    points = points[(points >= sweep.points[0]) & (points <= sweep.points[-1])]
    at = points[:-1]
    seg = np.searchsorted(sweep.points, at, side="right") - 1
    required = sweep.required[seg]
    peak = (required > 0) & sweep.peak[seg] & (sweep.severity[seg] == P0)
    qualified = sweep.qualified[seg].copy()
    for group, count in lost_by_group:
        qualified -= np.where(group.fast(target).contains(at), count.at(at), 0)
    durations = np.diff(points)
    return PeakWithinRules(sweep.region.id, int(durations[peak].sum()),
                           int(durations[peak & (qualified >= required)].sum()))
