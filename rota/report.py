"""The coverage-gap report of a rota over a window: gaps, per-region coverage, per-engineer burden.

`gap_report` is a pure function of scenario, rota and window; its `to_json` is the exact shape the
API's `GET /v1/teams/{team}/gaps` returns and `rota gaps --format json` prints.

- Structural time (per region and in the summary) is the scenario's bound over the window: required
  time in which fewer engineers are eligible than required, whether or not this rota covers it (a
  rota may cover some by breaking a rule). It is the same figure for every rota of one scenario and
  window; each gap's own `structural` flag says whether that uncovered stretch is such time.
- `violations` are the hard rules the rota breaks (overrides applied, `rota/violations.py`), those
  touching the window (of engineers serving the region, when one is asked for). When there are
  some, `p0_peak_coverage_within_rules` is the P0 peak coverage the rota would have without the
  on-call time they concern, so a rota whose coverage comes from breaking the rules says so
  (`rota/within_rules.py`; computed when first asked for).
- `hiring` is the one hiring answer (`rota/hiring.py`): where one hire would close the most of that
  structural time, also rota-independent.

Outside the scenario's horizon nothing is known (DESIGN.md, "Time"), so a window is clipped to the
horizon: `from`/`to` are the part analysed, `requested` the window asked, `clipped` says whether
they differ. A window wholly outside the horizon is answered with `outside_horizon: true`, no gaps,
regions or engineers and a `null` summary, never with a coverage of 0% and exposure over time the
rota does not cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import Any

from rota.burden import Burden, burdens
from rota.coverage import Gap, RegionSweep, sweep_region
from rota.errors import FieldError, InvalidInput, NotFound
from rota.hiring import HireSuggestion, hire_suggestions
from rota.limits import MAX_HORIZON_DAYS
from rota.oncall import rota_on_call
from rota.rotafile import Rota
from rota.scenario import SEVERITIES, Scenario, Severity
from rota.spans import Instant, Span, iso_z
from rota.team import TeamTime, analysis_range, horizon_range, team_time
from rota.violations import Violation, rota_violations, violation_spans
from rota.within_rules import p0_peak_within_rules


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
    p0_peak: list[RegionCoverage]  # per region, P0 demand inside peak windows only
    violations: list[Violation]
    within_rules: Callable[[], list[RegionCoverage]] | None  # P0 peak without rule-breaking time
    hiring: list[HireSuggestion]  # where one hire would close the most structural time
    horizon: tuple[int, int] = (0, 0)  # the scenario's horizon
    requested: tuple[int, int] | None = None  # the window asked, when it differs from [start, end)
    outside_horizon: bool = False  # the window asked lies wholly outside the horizon

    @property
    def p0_peak_coverage(self) -> float:
        return _coverage(self.p0_peak)

    @property
    def p0_peak_coverage_within_rules(self) -> float:
        """P0 peak coverage from on-call time that breaks no hard rule (all of it when none does)."""
        if self.within_rules is None:
            return self.p0_peak_coverage
        return _coverage(self.p0_peak_within_rules)

    @cached_property
    def p0_peak_within_rules(self) -> list[RegionCoverage]:
        return self.p0_peak if self.within_rules is None else self.within_rules()

    def exposure_totals(self) -> dict[str | None, float]:
        """Exposure of all gaps, per currency."""
        totals: dict[str | None, float] = {}
        for gap in self.gaps:
            if gap.exposure is not None:
                totals[gap.exposure.currency] = totals.get(gap.exposure.currency, 0.0) + gap.exposure.amount
        return {currency: round(amount, 2) for currency, amount in totals.items()}

    def summary_json(self) -> dict[str, Any]:
        return {
            "p0_peak_required_minutes": minutes(sum(r.required_seconds for r in self.p0_peak)),
            "p0_peak_covered_minutes": minutes(sum(r.covered_seconds for r in self.p0_peak)),
            "p0_peak_coverage": self.p0_peak_coverage,
            "uncovered_minutes": minutes(sum(g.seconds for g in self.gaps)),
            "structural_gap_minutes": minutes(sum(r.structural_gap_seconds for r in self.regions)),
            "exposure": [{"amount": amount, "currency": currency}
                         for currency, amount in self.exposure_totals().items()],
            "violations": len(self.violations),
            "p0_peak_coverage_within_rules": self.p0_peak_coverage_within_rules,
        }

    def to_json(self) -> dict[str, Any]:
        asked = self.requested or (self.start, self.end)
        return {
            "team": self.team,
            "from": iso_z(self.start),
            "to": iso_z(self.end),
            "rota_version": self.rota_version,
            "outside_horizon": self.outside_horizon,
            "clipped": self.requested is not None,
            "requested": {"from": iso_z(asked[0]), "to": iso_z(asked[1])},
            "horizon": {"start": iso_z(self.horizon[0]), "end": iso_z(self.horizon[1])},
            "summary": None if self.outside_horizon else self.summary_json(),
            "gaps": [gap_json(g) for g in self.gaps],
            "regions": [r.to_json() for r in self.regions],
            "engineers": [b.to_json() for b in self.engineers],
            "violations": [v.to_json() for v in self.violations],
            "hiring": [h.to_json() for h in self.hiring],
        }


def _coverage(regions: list[RegionCoverage]) -> float:
    required = sum(r.required_seconds for r in regions)
    return round(sum(r.covered_seconds for r in regions) / required, 4) if required else 1.0


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
        "on_call": list(gap.on_call),
        "on_leave": list(gap.on_leave),
    }


def gap_report(
    scenario: Scenario,
    rota: Rota,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    region: str | None = None,
    severity: Severity | None = None,
) -> GapReport:
    """Every gap of `rota` in [start, end) (default: the horizon) clipped to the horizon, with
    summaries; see the module's docstring for a window outside the horizon."""
    lo, hi, c_lo, c_hi = _window(scenario, start, end, region)
    h_lo, h_hi = horizon_range(scenario)
    if c_hi <= c_lo:
        return GapReport(scenario.team, lo, hi, rota.version, [], [], [], [], [], None, [],
                         (h_lo, h_hi), outside_horizon=True)
    report = report_from(team_time(scenario, c_lo, c_hi), rota, region, severity)
    if (c_lo, c_hi) == (lo, hi):
        return report
    return replace(report, requested=(lo, hi))


def window_gaps(scenario: Scenario, rota: Rota, start: dt.datetime,
                end: dt.datetime) -> list[Gap]:
    """`gap_report(scenario, rota, start, end).gaps` alone: no coverage summaries, burden,
    violations or hiring, which cost ten times the gaps (what a change opens and closes needs
    only these)."""
    _, _, c_lo, c_hi = _window(scenario, start, end, None)
    if c_hi <= c_lo:
        return []
    team = team_time(scenario, c_lo, c_hi)
    on_call = rota_on_call(rota, team.lo, team.hi)
    return _gaps([sweep_region(team, r, on_call) for r in scenario.regions], None)


def _window(scenario: Scenario, start: dt.datetime | None, end: dt.datetime | None,
            region: str | None) -> tuple[Instant, Instant, Instant, Instant]:
    """The window asked (lo, hi) and its part inside the horizon (empty when outside), checked."""
    lo, hi = analysis_range(scenario, start, end)
    if hi <= lo:
        raise InvalidInput([FieldError("to", "the window ends before it starts")], "window")
    if hi - lo > MAX_HORIZON_DAYS * 86400:
        raise InvalidInput([FieldError("to", f"a window spans at most {MAX_HORIZON_DAYS} days")], "window")
    if region is not None and region not in scenario.region_by_id:
        raise NotFound(f"no region {region!r} in team {scenario.team!r}")
    h_lo, h_hi = horizon_range(scenario)
    return lo, hi, max(lo, h_lo), min(hi, h_hi)


def _gaps(sweeps: list[RegionSweep], severity: Severity | None) -> list[Gap]:
    gaps = [g for s in sweeps for g in s.gaps if severity is None or g.severity == severity]
    gaps.sort(key=lambda g: (g.start, g.region))
    return gaps


def report_from(
    team: TeamTime, rota: Rota, region: str | None = None, severity: Severity | None = None
) -> GapReport:
    on_call = rota_on_call(rota, team.lo, team.hi)
    regions = [r for r in team.scenario.regions if region is None or r.id == region]
    sweeps = [sweep_region(team, r, on_call) for r in regions]
    gaps = _gaps(sweeps, severity)
    serving = {e.id for e in team.scenario.engineers if region is None or region in e.regions}
    violations = [v for v in rota_violations(team.scenario, rota)
                  if v.end > team.lo and v.start < team.hi and v.engineer in serving]
    return GapReport(
        team=team.scenario.team,
        start=team.lo,
        end=team.hi,
        rota_version=rota.version,
        gaps=gaps,
        regions=[region_coverage(s, severity) for s in sweeps],
        engineers=burdens(team, on_call),
        p0_peak=[region_coverage(s, "P0", peak_only=True) for s in sweeps],
        violations=violations,
        within_rules=partial(_within_rules, team, sweeps, on_call, violations) if violations else None,
        hiring=hire_suggestions(team, sweeps),
        horizon=horizon_range(team.scenario),
    )


def _within_rules(team: TeamTime, sweeps: list[RegionSweep], on_call: dict[str, list[Span]],
                  violations: list[Violation]) -> list[RegionCoverage]:
    """P0 peak coverage once the on-call time each violation concerns is taken away."""
    broken = violation_spans(violations)
    out = []
    for sweep in sweeps:
        within = p0_peak_within_rules(team, sweep, on_call, broken)
        out.append(RegionCoverage(within.region, within.required_seconds, within.covered_seconds, 0))
    return out


def region_coverage(sweep: RegionSweep, severity: Severity | None = None,
                    peak_only: bool = False) -> RegionCoverage:
    """Required, covered and structurally uncoverable time, for one severity when given."""
    durations = sweep.durations
    required = sweep.required > 0
    if severity is not None:
        required = required & (sweep.severity == SEVERITIES.index(severity))
    if peak_only:
        required = required & sweep.peak
    covered = required & (sweep.qualified >= sweep.required)
    # The scenario's bound, whatever this rota covers: a rota may cover some of it by putting people
    # on call on their public holidays, which no rule-abiding rota would.
    structural = required & (sweep.eligible < sweep.required)
    return RegionCoverage(
        region=sweep.region.id,
        required_seconds=int(durations[required].sum()),
        covered_seconds=int(durations[covered].sum()),
        structural_gap_seconds=int(durations[structural].sum()),
    )
