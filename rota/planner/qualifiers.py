"""Who could possibly qualify, per region and slot: the base of the structural bound and tight spots.

An engineer could qualify for a requirement at an instant when they serve the region, answer within
its target in their band then, are not on leave and (unless `work_on_public_holidays`) not on a
local public holiday. Whether any rota puts them on call is not asked: that is the planner's job.

- Where fewer could qualify than required, demand is structurally uncovered: no rota can do better,
  and only a hire closes it (`explain.py`).
- Where an engineer could qualify for a peak, a shift's time matters for the peak stage; elsewhere
  it can be trimmed away (`peakproof.py`).
- Where barely enough could (at most `TIGHT_SLACK` more than required), every one of them counts and
  the exact timing of their shifts matters, so the planner offers them every shift the rules allow
  there, not only its thinned grid (`candidates.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rota.demand import Demand
from rota.scenario import Region
from rota.spans import Span, merge
from rota.spanset import SpanSet
from rota.team import TeamTime

TIGHT_SLACK = 1


@dataclass
class Slots:
    """One requirement of a region cut into slots `[points[i], points[i + 1])` where nothing changes."""

    demand: Demand
    points: npt.NDArray[np.int64]
    inside: npt.NDArray[np.bool_]  # slots of this requirement
    could: dict[str, npt.NDArray[np.bool_]]  # engineer id -> slots where they could qualify

    def count(self) -> npt.NDArray[np.int64]:
        return sum((mask.astype(np.int64) for mask in self.could.values()),
                   np.zeros(len(self.inside), dtype=np.int64))

    def lengths(self) -> npt.NDArray[np.int64]:
        return np.diff(self.points)

    def spans(self, mask: npt.NDArray[np.bool_]) -> list[Span]:
        return [(int(self.points[i]), int(self.points[i + 1])) for i in np.nonzero(mask)[0]]


def region_slots(team: TeamTime, region: Region) -> Iterator[Slots]:
    """Each requirement of the region with the engineers who could qualify, slot by slot."""
    demand = [d for d in team.demand[region.id] if d.responders > 0]
    if not demand:
        return
    serving = team.serving(region)
    edges = [team.lo, team.hi, *(t for d in demand for t in (d.start, d.end))]
    for group, members in serving:
        edges += group.edges().tolist()
        edges += [t for e in members for s in team.leave.get(e.id, []) for t in s]
    points = np.unique(np.asarray(edges, dtype=np.int64))
    points = points[(points >= team.lo) & (points <= team.hi)]
    at = points[:-1]
    away = {e.id: SpanSet(team.leave.get(e.id, [])).contains(at)
            for _, members in serving for e in members}
    allow_holidays = team.scenario.rules.work_on_public_holidays
    for d in demand:
        inside = (at >= d.start) & (at < d.end)
        if not inside.any():
            continue
        could = {}
        for group, members in serving:
            fast = group.fast(d.target_minutes).contains(at) & inside
            if not allow_holidays:
                fast &= ~group.holiday_set().contains(at)
            for e in members:
                could[e.id] = fast & ~away[e.id]
        yield Slots(d, points, inside, could)


def tight_spans(team: TeamTime, slack: int = TIGHT_SLACK) -> dict[str, list[Span]]:
    """Per engineer, where they are one of at most `required + slack` who could qualify."""
    out: dict[str, list[Span]] = {}
    for region in team.scenario.regions:
        for slots in region_slots(team, region):
            count = slots.count()
            tight = slots.inside & (count > 0) & (count <= slots.demand.responders + slack)
            if not tight.any():
                continue
            for engineer_id, could in slots.could.items():
                out.setdefault(engineer_id, []).extend(slots.spans(could & tight))
    return {e: merge(spans) for e, spans in out.items() if spans}


def peak_spans_by_engineer(team: TeamTime) -> dict[str, list[Span]]:
    """Per engineer, where they could qualify for some region's peak requirement."""
    out: dict[str, list[Span]] = {}
    for region in team.scenario.regions:
        for slots in region_slots(team, region):
            if slots.demand.peak:
                for engineer_id, could in slots.could.items():
                    out.setdefault(engineer_id, []).extend(slots.spans(could))
    return {e: merge(spans) for e, spans in out.items() if spans}
