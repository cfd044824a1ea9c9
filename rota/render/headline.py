"""The report's headline numbers, and where a hire would close the structural gaps.

The numbers are the gap report's own (the same as the terminal table's headline and the JSON
`summary`): P0 peak coverage, exposure per currency, structural gap hours. Hire zones are derived
from the structural gaps' instants: for candidate zones (the team's own offices and regions
first, then one zone per common UTC offset), how much structural gap time falls inside 09:00-18:00
Monday to Friday local time there, i.e. in a new engineer's normal working hours. Zones with the
same answer and the same offset are listed once, the team's own first.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota.render.palette import offset_text
from rota.report import GapReport
from rota.scenario import Scenario
from rota.spans import Instant, Span, from_ts
from rota.spanset import SpanSet
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
    exposure: dict[str, float]  # currency ("" when none is given) -> amount
    structural_seconds: int
    hire_zones: list[HireZone]

    @property
    def p0_peak_coverage(self) -> float | None:
        if not self.p0_peak_required:
            return None
        return self.p0_peak_covered / self.p0_peak_required


def headline(scenario: Scenario, report: GapReport) -> Headline:
    structural = [(g.start, g.end) for g in report.gaps if g.structural]
    return Headline(
        p0_peak_required=sum(r.required_seconds for r in report.p0_peak),
        p0_peak_covered=sum(r.covered_seconds for r in report.p0_peak),
        exposure={c or "": amount for c, amount in report.exposure_totals().items()},
        structural_seconds=sum(e - s for s, e in structural),
        hire_zones=hire_zones(scenario, structural, report.start, report.end),
    )


def hire_zones(scenario: Scenario, structural: list[Span], lo: Instant,
               hi: Instant) -> list[HireZone]:
    """The zones whose weekday working hours hold the most structural gap time, best first.

    `structural` holds one span per gap (regions may overlap in time); each counts in full, so
    the shares relate to the structural gap hours of the headline.
    """
    gap_seconds = sum(e - s for s, e in structural)
    if not gap_seconds:
        return []
    first = min(s for s, _ in structural)
    own = [e.timezone for e in scenario.engineers] + [r.timezone for r in scenario.regions]
    seen: set[tuple[str, int]] = set()
    found = []
    for name in dict.fromkeys([*own, *CANDIDATE_ZONES]):
        hours = SpanSet(expand_window(WORK_START, WORK_END, WEEKDAYS, name, lo, hi))
        inside = sum(hours.overlap([span]) for span in structural)
        offset = offset_text(from_ts(first).astimezone(zone(name)))
        if inside and (offset, inside) not in seen:
            seen.add((offset, inside))
            found.append(HireZone(name, offset, inside, inside / gap_seconds))
    found.sort(key=lambda z: -z.seconds)
    return found[:TOP_ZONES]
