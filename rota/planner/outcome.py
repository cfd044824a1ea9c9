"""What a plan achieved, said one way in the rota file, the report, the CLI headline and the API.

`achieved` is one of:

- `proved_optimal`: every stage of the staged search was proved optimal;
- `improved`: a rota at least as good as the constructive start (P0 peak uncovered, then
  all-demand uncovered), not proved optimal: the staged search's, where `gap_stage` names the
  first stage not proved and `gap` is that stage's own optimality gap, (value - bound) / value; or
  local search's (`repair.py`, `neighbourhoods.py`; also when the full model then only improved the
  comfort terms with coverage held), with no bound to measure a gap against (both null);
- `constructive`: the constructive start itself (`constructive.py`): the search had no time, found
  nothing, or found nothing better.

Coverage figures come from the core's gap analysis of the rota itself, not from the model, so
the comparison with the constructive start and with the team's current rota is the one
`rota gaps` would make. A plan that leaves more P0 peak demand uncovered than the current rota is
`worse_than_current`; publishing it then takes an explicit `force`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rota.coverage import sweep_region
from rota.oncall import rota_on_call
from rota.report import GapReport
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.team import TeamTime, horizon_range, team_time

if TYPE_CHECKING:
    from rota.planner.search import SearchResult, StageResult

ACHIEVED = ("proved_optimal", "improved", "constructive")


@dataclass(frozen=True)
class Standing:
    """A rota's coverage in the floor's order: P0 peak uncovered first, then all demand."""

    p0_peak_uncovered_minutes: int
    uncovered_minutes: int
    shifts: int

    def key(self) -> tuple[int, int]:
        return (self.p0_peak_uncovered_minutes, self.uncovered_minutes)

    def to_json(self) -> dict[str, int]:
        return {"p0_peak_uncovered_minutes": self.p0_peak_uncovered_minutes,
                "uncovered_minutes": self.uncovered_minutes, "shifts": self.shifts}


def standing_of(core: GapReport, shifts: int) -> Standing:
    p0_peak = sum(g.seconds for g in core.gaps if g.peak and g.severity == "P0")
    return Standing(p0_peak // 60, sum(g.seconds for g in core.gaps) // 60, shifts)


def standing(team: TeamTime, rota: Rota) -> Standing:
    """The rota's standing from the core's coverage sweep alone (no burden or rule report)."""
    on_call = rota_on_call(rota, team.lo, team.hi)
    gaps = [g for region in team.scenario.regions
            for g in sweep_region(team, region, on_call).gaps]
    p0_peak = sum(g.seconds for g in gaps if g.peak and g.severity == "P0")
    return Standing(p0_peak // 60, sum(g.seconds for g in gaps) // 60, len(rota.shifts))


def open_p0_peak_minutes(team: TeamTime, rota: Rota) -> int:
    """P0 peak minutes the rota leaves uncovered that are not structural (some rota could cover
    them): what the peak proof could still gain."""
    on_call = rota_on_call(rota, team.lo, team.hi)
    return sum(g.seconds for region in team.scenario.regions
               for g in sweep_region(team, region, on_call).gaps
               if g.peak and g.severity == "P0" and not g.structural) // 60


def stage_gap(stage: StageResult) -> float | None:
    """The stage's own optimality gap over its whole value (both terms of a two-term stage)."""
    if stage.value is None or stage.bound is None:
        return None
    if abs(stage.value) < 1e-9:
        return 0.0
    return round(max(stage.value - stage.bound, 0.0) / abs(stage.value), 6)


def achievement(search: SearchResult | None, source: str) -> dict[str, Any]:
    """`achieved` for the rota of `source` ("search", "local_search" or "constructive"), and for an
    unproved search's rota the first stage not proved optimal with its gap."""
    if source == "constructive" or search is None:
        return {"achieved": "constructive", "gap_stage": None, "gap": None}
    if source == "local_search" or not search.stages or search.coverage_held:
        return {"achieved": "improved", "gap_stage": None, "gap": None}
    if search.status == "OPTIMAL":
        return {"achieved": "proved_optimal", "gap_stage": None, "gap": 0.0}
    open_stage = next((s for s in search.stages if s.status != "OPTIMAL"), None)
    if open_stage is None:  # every stage run was proved, but some stage never ran
        return {"achieved": "improved", "gap_stage": None, "gap": None}
    return {"achieved": "improved", "gap_stage": open_stage.name, "gap": stage_gap(open_stage)}


def against_current(plan: Standing, team: TeamTime, current: Rota | None) -> dict[str, Any] | None:
    """How the plan's P0 peak coverage compares with the team's current rota (None: no rota)."""
    if current is None:
        return None
    now = standing(team, current)
    return {
        "worse_than_current": plan.p0_peak_uncovered_minutes > now.p0_peak_uncovered_minutes,
        "p0_peak_uncovered_minutes": plan.p0_peak_uncovered_minutes,
        "current_p0_peak_uncovered_minutes": now.p0_peak_uncovered_minutes,
        "current_version": current.version,
    }


def compare_with_current(scenario: Scenario, rota: Rota, current: Rota | None) -> dict[str, Any] | None:
    """`against_current` for a finished plan's rota (the API's publish check)."""
    if current is None:
        return None
    team = team_time(scenario, *horizon_range(scenario))
    return against_current(standing(team, rota), team, current)
