"""The coverage-gap report of a rota over a window: gaps, per-region coverage, per-engineer burden.

`gap_report` is a pure function of scenario, rota and window; its `to_json` is the exact shape the
API's `GET /v1/teams/{team}/gaps` returns and `rota gaps --format json` prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rota.burden import Burden, burdens
from rota.coverage import Gap, RegionSweep, sweep_region
from rota.errors import FieldError, InvalidInput, NotFound
from rota.oncall import rota_on_call
from rota.rotafile import Rota
from rota.scenario import SEVERITIES, Scenario, Severity
from rota.spans import iso_z
from rota.team import TeamTime, analysis_range, team_time


@dataclass(frozen=True)
class RegionCoverage:
    region: str
    required_seconds: int
    covered_seconds: int
    structural_gap_seconds: int

    @property
    def coverage(self) -> float:
        if not self.required_seconds:
            return 1.0
        return round(self.covered_seconds / self.required_seconds, 4)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "required_minutes": minutes(self.required_seconds),
            "covered_minutes": minutes(self.covered_seconds),
            "coverage": self.coverage,
            "structural_gap_minutes": minutes(self.structural_gap_seconds),
        }


@dataclass(frozen=True)
class GapReport:
    team: str
    start: int
    end: int
    rota_version: int | None
    gaps: list[Gap]
    regions: list[RegionCoverage]
    engineers: list[Burden]

    def to_json(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "from": iso_z(self.start),
            "to": iso_z(self.end),
            "rota_version": self.rota_version,
            "gaps": [gap_json(g) for g in self.gaps],
            "regions": [r.to_json() for r in self.regions],
            "engineers": [b.to_json() for b in self.engineers],
        }


def minutes(seconds: int) -> int | float:
    return seconds // 60 if seconds % 60 == 0 else round(seconds / 60, 2)


def gap_json(gap: Gap) -> dict[str, Any]:
    return {
        "region": gap.region,
        "severity": gap.severity,
        "start": iso_z(gap.start),
        "end": iso_z(gap.end),
        "minutes": minutes(gap.seconds),
        "required": gap.required,
        "qualified": gap.qualified,
        "cause": gap.cause,
        "structural": gap.structural,
        "peak": gap.peak,
        "exposure": None
        if gap.exposure is None
        else {"amount": gap.exposure.amount, "currency": gap.exposure.currency},
    }


def gap_report(
    scenario: Scenario,
    rota: Rota,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    region: str | None = None,
    severity: Severity | None = None,
) -> GapReport:
    """Every gap of `rota` in [start, end) (default: the horizon), with summaries."""
    lo, hi = analysis_range(scenario, start, end)
    if hi <= lo:
        raise InvalidInput([FieldError("to", "the window ends before it starts")], "window")
    if region is not None and region not in scenario.region_by_id:
        raise NotFound(f"no region {region!r} in team {scenario.team!r}")
    team = team_time(scenario, lo, hi)
    return report_from(team, rota, region, severity)


def report_from(
    team: TeamTime, rota: Rota, region: str | None = None, severity: Severity | None = None
) -> GapReport:
    on_call = rota_on_call(rota, team.lo, team.hi)
    regions = [r for r in team.scenario.regions if region is None or r.id == region]
    sweeps = [sweep_region(team, r, on_call) for r in regions]
    gaps = [g for s in sweeps for g in s.gaps if severity is None or g.severity == severity]
    gaps.sort(key=lambda g: (g.start, g.region))
    return GapReport(
        team=team.scenario.team,
        start=team.lo,
        end=team.hi,
        rota_version=rota.version,
        gaps=gaps,
        regions=[region_coverage(s, severity) for s in sweeps],
        engineers=burdens(team, on_call),
    )


def region_coverage(sweep: RegionSweep, severity: Severity | None = None) -> RegionCoverage:
    """Required, covered and structurally uncoverable time, for one severity when given."""
    durations = sweep.durations
    required = sweep.required > 0
    if severity is not None:
        required = required & (sweep.severity == SEVERITIES.index(severity))
    covered = required & (sweep.qualified >= sweep.required)
    # A rota may put people on call on their public holidays, which no rule-abiding rota would:
    # such time counts as covered, and only uncovered time counts as a structural gap.
    structural = required & ~covered & (sweep.eligible < sweep.required)
    return RegionCoverage(
        region=sweep.region.id,
        required_seconds=int(durations[required].sum()),
        covered_seconds=int(durations[covered].sum()),
        structural_gap_seconds=int(durations[structural].sum()),
    )
