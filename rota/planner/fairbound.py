"""How much of a rota's spread of night and weekend burden coverage forces: CP-SAT bounds.

Over the plan's own candidate shifts and hard rules, with peak and all-demand coverage held at
what the rota achieves (the model's weighted shortfall, `objective.py`, no larger) and nothing
else held (asleep and off-hours minutes may grow), three questions, each its own solve from the
rota as hint:

- `least_top`: the least night + weekend time (per 40 h of weekly capacity) the rota's most
  burdened engineer could carry;
- `most_bottom`: the most its least burdened engineer could take on;
- `least_spread`: the least spread (max - min across engineers) of night + weekend time.

Each answer is the best found in the time given and the solver's bound; the forced part
(`rota.forced`) is a bound no solver needs. A measurement for `bench/months.py`, not a plan step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate, local_day_of
from rota.planner.gathering import gather_candidates, with_extra
from rota.planner.grid import add_coverage
from rota.planner.objective import peak_uncovered, uncovered
from rota.planner.rules import HARD_RULES
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import to_ts
from rota.team import horizon_range, team_time

UNIT = 1200  # minutes x 1200 / weekly hours cap: per 40 h x 30, integral for 24, 30, 40 h


@dataclass(frozen=True)
class Bound:
    question: str
    engineer: str | None  # the engineer asked about (None: the spread)
    rota_value: float  # hours per 40 h in the rota itself
    found: float | None  # the best the solver found (None: nothing in the time)
    bound: float | None  # the solver's bound on it
    status: str


def spread_bounds(scenario: Scenario, rota: Rota, seconds: float, workers: int = 2) -> list[Bound]:
    """The three bounds for `rota` over its scenario's horizon."""
    pm, hint = _model(scenario, rota)
    load = {eng: sum((c.night_min + c.weekend_min) * _unit(scenario, eng) * x
                     for c, x in zip(pm.cands, pm.x, strict=True) if c.eng == eng)
            for eng in range(len(scenario.engineers))}
    values = {eng: sum((c.night_min + c.weekend_min) * _unit(scenario, eng) * hint[i]
                       for i, c in enumerate(pm.cands) if c.eng == eng) for eng in load}
    top = max(values, key=lambda e: (values[e], -e))
    bottom = min(values, key=lambda e: (values[e], e))
    names = [e.id for e in scenario.engineers]
    out = [_solve(pm, hint, load[top], True, seconds, workers, "least_top", names[top], values[top]),
           _solve(pm, hint, load[bottom], False, seconds, workers, "most_bottom", names[bottom],
                  values[bottom])]
    high = pm.model.new_int_var(0, max(1, sum(values.values())) * 10, "spread_high")
    low = pm.model.new_int_var(0, max(1, sum(values.values())) * 10, "spread_low")
    for expr in load.values():
        pm.model.add(expr <= high)
        pm.model.add(expr >= low)
    spread = values[top] - values[bottom]
    hint = [*hint, *[0] * (len(pm.model.proto.variables) - len(hint))]
    hint[high.index], hint[low.index] = values[top], values[bottom]
    out.append(_solve(pm, hint, high - low, True, seconds, workers, "least_spread", None, spread))
    return out


def _unit(scenario: Scenario, eng: int) -> int:
    return round(UNIT / scenario.weekly_hours_cap(scenario.engineers[eng]))


def _model(scenario: Scenario, rota: Rota) -> tuple[PlanModel, list[int]]:
    """The plan's model with the rota's shifts among its candidates, coverage held; the hint."""
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    index = {e.id: i for i, e in enumerate(scenario.engineers)}
    shifts = [Candidate(index[s.engineer], local_day_of(scenario.engineers[index[s.engineer]],
                                                        to_ts(s.start)), to_ts(s.start), to_ts(s.end))
              for s in rota.shifts if s.engineer in index]
    cands = with_extra(scenario, team, gather_candidates(scenario, team, [], [], None), shifts)
    keys = {(c.eng, c.start, c.end) for c in shifts}
    pm = PlanModel(scenario, team, cands)
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm)
    hint = [int((c.eng, c.start, c.end) in keys) for c in cands]
    full = pm.complete_hint(hint)
    for term in (peak_uncovered(pm), uncovered(pm)):
        held = term.value_at(full)
        if held is not None:
            pm.model.add(term.expr <= held)
    return pm, full


def _solve(pm: PlanModel, hint: list[int], expr: cp_model.LinearExprT, minimise: bool,
           seconds: float, workers: int, question: str, engineer: str | None, value: float) -> Bound:
    model = pm.model
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(hint)))
    model.proto.solution_hint.values.extend(hint)
    if minimise:
        model.minimize(expr)
    else:
        model.maximize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    per = 30 * 60  # UNIT / 40 h, minutes to hours
    return Bound(question, engineer, round(value / per, 1),
                 round(solver.objective_value / per, 1) if found else None,
                 round(solver.best_objective_bound / per, 1) if found else None,
                 solver.status_name(status))
