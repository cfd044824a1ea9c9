"""The peak stage is proved over every shift the rules allow, not only the model's thinned grid."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model
from plan_checker import THREE_OFFICES, make_scenario, violations

from rota.planner import PlanOptions, forced_candidates, plan
from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate, engineer_candidates
from rota.planner.grid import add_coverage
from rota.planner.objective import peak_uncovered
from rota.planner.peakproof import FULL_GRID, proof_candidates
from rota.planner.rules import HARD_RULES
from rota.scenario import Scenario
from rota.team import horizon_range, team_time

# Peaks 13:00-17:00 every day and 28 hours a week: only seven 4-hour shifts starting at 13:00
# cover them all. The model's own grid offers starts every 2 hours from midnight (12:00, 14:00).
ODD_START = {
    "horizon": {"start": "2026-12-07", "days": 7},
    "rules": {"max_hours_per_week": 28, "max_consecutive_days": 7},
    "regions": [{"id": "eu", "timezone": "Europe/Berlin",
                 "peak_windows": [{"start": "13:00", "end": "17:00"}],
                 "peak": {"severity": "P0", "responders": 1}}],
    "engineers": [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}],
}


def test_a_peak_only_an_odd_hour_start_covers_is_covered() -> None:
    scenario = make_scenario(**ODD_START)
    result = plan(scenario, PlanOptions(time_limit_seconds=10.0, workers=2))
    assert result.report["coverage"]["p0_peak_uncovered_minutes"] == 0
    # The proof runs only when the start leaves P0 peak open that a rota could cover.
    covered = result.report["constructive"]["p0_peak_uncovered_minutes"] == 0
    assert result.report["model"]["peak_grid"] == ("model" if covered else "full")
    assert result.report["stages"][0]["status"] == "OPTIMAL"
    berlin = ZoneInfo("Europe/Berlin")
    starts = {s.start.astimezone(berlin).time() for s in result.rota.shifts}
    assert starts == {dt.time(13)}
    assert violations(scenario, result.rota) == []


def full_grid_peak_optimum(scenario: Scenario) -> int:
    """The peak stage over every full-grid shift, solved to optimality without any dominance."""
    lo, hi = horizon_range(scenario)
    return solve_peak(PlanModel(scenario, team_time(scenario, lo, hi), full_grid_candidates(scenario)))


def tight_peak_optimum(scenario: Scenario) -> tuple[int, int]:
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    forced, _ = forced_candidates(scenario, team, None, None)
    cands = proof_candidates(scenario, team, forced, None)
    return solve_peak(PlanModel(scenario, team, cands)), len(cands)


def solve_peak(pm: PlanModel) -> int:
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm, peak_only=True)
    pm.model.minimize(peak_uncovered(pm).expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 60.0
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_the_peak_tight_shifts_reach_the_full_grids_optimum() -> None:
    """Three offices, two evening peaks and tight weekly hours: dominance loses nothing."""
    scenario = make_scenario(
        **THREE_OFFICES,
        rules={"max_hours_per_week": 14, "min_rest_hours": 12},
        regions=[
            {"id": "eu", "timezone": "Europe/Berlin",
             "peak_windows": [{"start": "18:00", "end": "23:00"}],
             "peak": {"severity": "P0", "responders": 2}},
            {"id": "us", "timezone": "America/Chicago",
             "peak_windows": [{"start": "17:00", "end": "22:30"}],
             "peak": {"severity": "P0", "responders": 1}},
        ],
    )
    scenario = scenario.model_copy(update={"engineers": tuple(
        e.model_copy(update={"regions": ("eu", "us")}) for e in scenario.engineers)})
    tight, count = tight_peak_optimum(scenario)
    full = full_grid_peak_optimum(scenario)
    assert tight == full > 0
    assert count < 0.5 * len(full_grid_candidates(scenario))


def full_grid_candidates(scenario: Scenario) -> list[Candidate]:
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    return [c for eng in range(len(scenario.engineers))
            for c in engineer_candidates(scenario, team, eng, FULL_GRID)]


def test_re_planning_keeps_the_peak_inside_its_one_coverage_stage() -> None:
    scenario = make_scenario(**ODD_START)
    first = plan(scenario, PlanOptions(time_limit_seconds=5.0, workers=2))
    again = plan(scenario, PlanOptions(time_limit_seconds=5.0, workers=2, previous=first.rota))
    assert again.report["model"]["peak_grid"] == "model"
    assert set(again.rota.shifts) == set(first.rota.shifts)  # nothing changed, nothing to change
