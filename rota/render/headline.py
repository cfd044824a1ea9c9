"""The report's headline numbers, and where a hire would close the structural gaps.

- P0 peak coverage: the share of peak time requiring P0 in which the requirement is met.
- Exposure: the sum over gaps, per currency.
- Structural gap hours: required time where too few engineers are eligible, whatever the rota.
- Hire zones: for candidate zones (the team's own offices and regions first, then one zone per
  common UTC offset), how much of the structural gap time falls inside 09:00-18:00 Monday to
  Friday local time there, i.e. in a new engineer's normal working hours. Zones that give the same
  answer with the same offset are listed once, the team's own first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from rota.coverage import RegionSweep
from rota.render.cells import segment_peak
from rota.render.palette import offset_text
from rota.report import GapReport
from rota.scenario import SEVERITIES, Scenario
from rota.spans import Instant, Span, from_ts, merge, total
from rota.spanset import SpanSet
from rota.team import TeamTime
from rota.windows import expand_window
from rota.zones import zone

WORK_START, WORK_END = "09:00", "18:00"
WEEKDAYS = frozenset(range(5))
CANDIDATE_ZONES = (
    "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York", "America/Sao_Paulo", "Atlantic/Cape_Verde",
    "Europe/London", "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Dubai",
    "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
    "Asia/Singapore", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney", "Pacific/Noumea",
    "Pacific/Auckland",
)
TOP_ZONES = 3


@dataclass(frozen=True)
class HireZone:
    zone: str
    offset: str  # at the first structural instant
    seconds: int
    share: float


@dataclass(frozen=True)
class Headline:
    p0_peak_required: int
    p0_peak_covered: int
    exposure: dict[str, float]  # currency ("" when none given) -> amount
    structural_seconds: int
    hire_zones: list[HireZone]

    @property
    def p0_peak_coverage(self) -> float | None:
        if not self.p0_peak_required:
            return None
        return self.p0_peak_covered / self.p0_peak_required


def headline(team: TeamTime, sweeps: list[RegionSweep], report: GapReport) -> Headline:
    required = covered = 0
    structural: list[Span] = []
    for sweep in sweeps:
        durations = sweep.durations
        needed = sweep.required > 0
        p0_peak = (needed & (sweep.severity == SEVERITIES.index("P0"))
                   & segment_peak(sweep, team.demand[sweep.region.id]))
        required += int(durations[p0_peak].sum())
        covered += int(durations[p0_peak & (sweep.qualified >= sweep.required)].sum())
        short = np.nonzero(needed & (sweep.eligible < sweep.required))[0]
        structural += [(int(sweep.points[i]), int(sweep.points[i + 1])) for i in short]
    exposure: dict[str, float] = defaultdict(float)
    for gap in report.gaps:
        if gap.exposure is not None:
            exposure[gap.exposure.currency or ""] += gap.exposure.amount
    spans = merge(structural)
    return Headline(required, covered, {k: round(v, 2) for k, v in exposure.items()},
                    total(spans), hire_zones(team.scenario, spans, team.lo, team.hi))


def hire_zones(scenario: Scenario, structural: list[Span], lo: Instant,
               hi: Instant) -> list[HireZone]:
    """The zones whose weekday working hours hold the most structural gap time, best first."""
    gap_seconds = total(structural)
    if not gap_seconds:
        return []
    own = [e.timezone for e in scenario.engineers] + [r.timezone for r in scenario.regions]
    seen: set[tuple[str, int]] = set()
    found = []
    for name in dict.fromkeys([*own, *CANDIDATE_ZONES]):
        hours = SpanSet(expand_window(WORK_START, WORK_END, WEEKDAYS, name, lo, hi))
        inside = hours.overlap(structural)
        offset = offset_text(from_ts(structural[0][0]).astimezone(zone(name)))
        if inside and (offset, inside) not in seen:
            seen.add((offset, inside))
            found.append(HireZone(name, offset, inside, inside / gap_seconds))
    found.sort(key=lambda z: -z.seconds)
    return found[:TOP_ZONES]
