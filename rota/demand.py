"""What each region requires, when: its peak and off-peak requirement as UTC spans.

Peak windows are local to the region and expanded with the DST policy; where several windows
overlap they count once. Off-peak is everything else in the range, and requires something only when
the region gives `off_peak`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota.scenario import Region, Requirement, Scenario, Severity
from rota.spans import Instant, Span, merge, subtract
from rota.windows import expand_window


@dataclass(frozen=True)
class Demand:
    """One span of one requirement: `responders` qualified within `target_minutes`."""

    start: Instant
    end: Instant
    severity: Severity
    responders: int
    target_minutes: int
    peak: bool


def peak_spans(region: Region, lo: Instant, hi: Instant) -> list[Span]:
    spans: list[Span] = []
    for window in region.peak_windows:
        spans.extend(
            expand_window(window.start, window.end, window.weekdays, region.timezone, lo, hi)
        )
    return merge(spans)


def region_demand(scenario: Scenario, region: Region, lo: Instant, hi: Instant) -> list[Demand]:
    """The region's requirements over [lo, hi), sorted; spans without one are left out."""
    peaks = peak_spans(region, lo, hi)
    out = [_demand(scenario, s, e, region.peak, True) for s, e in peaks]
    if region.off_peak is not None:
        out += [_demand(scenario, s, e, region.off_peak, False) for s, e in subtract([(lo, hi)], peaks)]
    return sorted(out, key=lambda d: d.start)


def _demand(scenario: Scenario, s: Instant, e: Instant, req: Requirement, peak: bool) -> Demand:
    return Demand(s, e, req.severity, req.responders, scenario.severities.target(req.severity), peak)
