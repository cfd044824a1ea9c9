"""The fairness stage across periods: one CP-SAT search over the whole horizon.

The fairness neighbourhoods (`fairsteps.py`) re-solve a few days of a few engineers at a time;
what holds the team's spread of nights and weekends over months is a chain of many shifts (the
Bengaluru night shift's weekends to day-shift engineers at their five days, their weekdays to a
third), which a step finds only when its week and people happen to be the right ones. This stage
searches the whole month at once:

- the model: every candidate shift and every hard rule (`PlanModel`, `rules.HARD_RULES`), coverage
  held where the plan left it (the weighted P0 peak and all-demand shortfall no larger, and the
  uncovered minutes as the core counts them, P0 peak and all, no more: `hold_minutes`), and the
  minutes on call asleep no larger in total (nobody is woken for fairness);
- the objective: the spread (most minus least, across engineers who can still get a shift) of the
  *unsocial* burden, night + weekend + public-holiday minutes in each engineer's local time, carried
  in from earlier rotas plus planned, per 40 h of weekly capacity;
- the search: CP-SAT's large-neighbourhood subsolvers interleaved (`interleave_search`, the rest
  `LEFT_OUT`), from the plan's rota, so with `deterministic` a run, limited by its number of
  batches, is the same for the same seed whatever the machine's load; presolve without probing
  (the probing alone took 7 s on the example team).

The stage's answer replaces the plan's rota when the core's order (P0 peak, then all uncovered
minutes, `OpenDemand.standing`, counted independently of the model) is no worse and the spread,
recomputed exactly, is lower: the best of the last `CHECKED` solutions that does. Unlike the
other fairness steps it may leave coverage better, with `deterministic` too: holding it exactly
(the model's weighted shortfall equal, the core's count the same) left February of the months
benchmark after a 300 s plan unchanged after 10 batches. It runs for fresh plans given history
when the fairness share of the limit (`budget.FAIR_SHARE`) pays for its setup and a search
(`STAGE_FROM_SECONDS`); the fairness neighbourhoods get what is left, or all of it when the share
is shorter.

Measured on the months benchmark's February after a 300 s plan (`bench/months.py`, the example
team, January as history, 54,270 candidates; one-off drivers): the spread of night + weekend +
holiday hours per 40 h 214.5 -> 134 in 30 batches (121 s), -> 118 in 100. Before the core's
minutes were held, the search found as low (138 in 30 batches) but every rota it found left more
minutes uncovered by the core's count (the weighted shortfall traded one row short by two for two
rows short by one) and was refused; with CP-SAT's full subsolvers added as well, its first new
rota came after 145 s (179 in 10 batches, 163 s).
"""

from __future__ import annotations

import bisect
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rota.history import History
from rota.limits import PLANNER_MAX_MEMORY_MB
from rota.planner.build import PlanModel, carried_minutes
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy
from rota.planner.grid import add_coverage
from rota.planner.kinds import UNSOCIAL
from rota.planner.neighbourhoods import OpenDemand
from rota.planner.objective import asleep, peak_uncovered, uncovered
from rota.planner.progress import StopWatcher
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.team import TeamTime

UNIT = 1200  # minutes x UNIT / weekly hours cap: per 40 h x 30, integral for 24, 30, 40 h caps
PER_HOUR = 30 * 60  # model units per hour per 40 h
# Below this many seconds (work, with `deterministic`) of fairness budget the stage does not run:
# its model's build and presolve take about 7 s on the example team (54,270 candidates).
STAGE_FROM_SECONDS = 20.0
# With `deterministic`, seconds of a quiet 2-core machine charged per candidate for the build and
# presolve, and for each batch of the interleaved search (`BATCH` tasks; measured: 4.0 s a batch
# on the example team's 54,270 candidates). The search is limited by its number of batches, not
# by CP-SAT's deterministic time: presolve uses up much of that, and the interleaved search counts
# little of its work in it.
SETUP_SECONDS_PER_CANDIDATE = 1.3e-4
BATCH = 4
BATCH_SECONDS_PER_CANDIDATE = 7.4e-5
MIN_BATCH_SECONDS = 0.2
MIN_SEARCH_SECONDS = 3.0  # less rarely gets past the first neighbourhoods
# The model weighs coverage on its grid, the core counts it by the minute: the best solutions (the
# lowest spread first) are checked with the core's count until one holds coverage.
CHECKED = 8
# CP-SAT's subsolvers left out of the interleaved search: every full-problem subsolver and the
# feasibility local search (`ls`), so only the large-neighbourhood ones run, from the plan's rota,
# which CP-SAT takes as its first solution (the hint is complete). On February of the months
# benchmark after a 300 s plan, the first batch with `default_lp` and `quick_restart` in it took
# 137 s (the root LP of 74k variables) and found nothing; without them 30 batches took 121 s and
# lowered the spread 214.5 -> 134 (144.5 with `ls`).
LEFT_OUT = ("default_lp", "quick_restart", "ls", "core", "max_lp", "no_lp", "pseudo_costs",
            "quick_restart_no_lp", "reduced_costs", "fj", "fs_random", "fs_random_no_lp",
            "feasibility_pump")


@dataclass
class StageResult:
    chosen: set[int]
    ran: bool = False
    status: str = "not run"
    spread_before: float = 0.0  # unsocial hours per 40 h, carried in included
    spread_after: float = 0.0
    seconds: float = 0.0
    work: float = 0.0  # with `deterministic`: the work charged, in seconds of a quiet machine

    def to_json(self) -> dict[str, object]:
        return {"ran": self.ran, "status": self.status,
                "unsocial_spread_hours_per_40h": {"before": round(self.spread_before, 1),
                                                  "after": round(self.spread_after, 1)},
                "seconds": round(self.seconds, 3), "work": round(self.work, 3)}


def setup_cost(candidates: int) -> float:
    """What the stage's setup is charged (with `deterministic`), in seconds of a quiet machine."""
    return SETUP_SECONDS_PER_CANDIDATE * candidates


def pays(budget: float, candidates: int, deterministic: bool) -> bool:
    """Whether `budget` covers the stage's setup and a search worth running."""
    setup = setup_cost(candidates) if deterministic else 0.0
    return budget >= max(STAGE_FROM_SECONDS, setup + MIN_SEARCH_SECONDS)


def fairness_stage(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: set[int],
    history: History | None, budget: float, settings: SearchSettings,
    like: Greedy | None = None, stop: threading.Event | None = None,
) -> StageResult:
    """The rota `chosen` with its unsocial burden spread lowered in `budget` seconds (work with
    `deterministic`); its coverage in the core's order never worse."""
    started = time.monotonic()
    result = StageResult(set(chosen))
    spread = Spread(scenario, cands, history)
    result.spread_before = result.spread_after = spread.of(result.chosen) / PER_HOUR
    if not pays(budget, len(cands), settings.deterministic) or not spread.movable:
        return result
    pm = PlanModel(scenario, team, cands)
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm)
    full = pm.complete_hint([int(i in result.chosen) for i in range(len(cands))])
    flags = hold_minutes(pm, team, full)
    for term in (peak_uncovered(pm), uncovered(pm)):
        held = term.value_at(full)
        if held is not None and not isinstance(term.expr, int):
            pm.model.add(term.expr <= held)
    comfort = asleep(pm)
    if not isinstance(comfort.expr, int):
        pm.model.add(comfort.expr <= sum(c.asleep_min for i, c in enumerate(cands)
                                         if i in result.chosen))
    objective, values = spread.objective(pm, result.chosen)
    pm.model.minimize(objective)
    hint = [*full, *[0] * (len(pm.model.proto.variables) - len(full))]
    for index, value in [*values, *flags]:
        hint[index] = value
    pm.model.proto.solution_hint.vars.extend(range(len(hint)))
    pm.model.proto.solution_hint.values.extend(hint)
    if settings.deterministic:
        result.work = setup_cost(len(cands))
        per_batch = max(MIN_BATCH_SECONDS, BATCH_SECONDS_PER_CANDIDATE * len(cands))
        batches = int((budget - result.work) / per_batch)
        search = batches * per_batch
    else:
        batches, search = 0, budget - (time.monotonic() - started)
    if search < MIN_SEARCH_SECONDS:
        result.seconds = time.monotonic() - started
        return result
    solver, found = _solver(settings, search, batches), _Solutions(pm.x)
    with StopWatcher(stop) as watcher:
        watcher.attach(solver)
        status = solver.solve(pm.model, found)
    result.ran = True
    result.status = solver.status_name(status)
    result.work += search if settings.deterministic else 0.0
    demand = OpenDemand.of(scenario, team, cands, like)
    before, spread_now = demand.standing(result.chosen), spread.of(result.chosen)
    for new in reversed(found.rotas[-CHECKED:]):  # the lowest spread first
        after = spread.of(new)
        if after >= spread_now:
            break
        rated = demand.standing(new)
        if rated <= before:
            result.chosen, result.spread_after = new, after / PER_HOUR
            break
    result.seconds = time.monotonic() - started
    return result


def hold_minutes(pm: PlanModel, team: TeamTime, full: list[int]) -> list[tuple[int, int]]:
    """Hold the uncovered minutes as the core counts them (`OpenDemand.standing`: a coverage row is
    uncovered when it is short of any responder), P0 peak and all, at the hint's or fewer. The
    weighted shortfall alone lets the search trade one row short by two for two rows short by
    one, or a heavy row for light ones: more minutes uncovered. Returns the hint's flag values."""
    spans = {region_id: sorted((d.start, d.end, d.peak and d.severity == "P0") for d in demand)
             for region_id, demand in team.demand.items()}
    starts = {region_id: [a for a, _, _ in rows] for region_id, rows in spans.items()}
    peak: list[cp_model.LinearExprT] = []
    every: list[cp_model.LinearExprT] = []
    before = {"peak": 0, "every": 0}
    hint = []
    for region_id, start, end, required, short, _ in pm.rows:
        flag = pm.model.new_bool_var(f"uncovered_{region_id}_{start}")
        pm.model.add(short <= required * flag)
        minutes, now = (end - start) // 60, int(full[short.index] > 0)
        hint.append((flag.index, now))
        every.append(minutes * flag)
        before["every"] += minutes * now
        _, until, p0_peak = spans[region_id][bisect.bisect_right(starts[region_id], start) - 1]
        if p0_peak and end <= until:
            peak.append(minutes * flag)
            before["peak"] += minutes * now
    pm.model.add(sum(peak) <= before["peak"])
    pm.model.add(sum(every) <= before["every"])
    return hint


class _Solutions(cp_model.CpSolverSolutionCallback):
    """The shifts of every solution the search finds, in order (with `deterministic`, the same)."""

    def __init__(self, x: list[cp_model.IntVar]) -> None:
        super().__init__()
        self.index = [v.index for v in x]
        self.rotas: list[set[int]] = []

    def on_solution_callback(self) -> None:
        values = self.response_proto.solution
        self.rotas.append({i for i, v in enumerate(self.index) if values[v]})


def _solver(settings: SearchSettings, seconds: float, batches: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.catch_sigint_signal = False
    params.max_memory_in_mb = PLANNER_MAX_MEMORY_MB
    params.num_workers = max(settings.workers, 2)
    params.interleave_search = True
    params.ignore_subsolvers.extend(LEFT_OUT)
    params.cp_model_probing_level = 0
    params.symmetry_level = 0
    params.interleave_batch_size = BATCH
    if settings.deterministic:
        params.max_num_deterministic_batches = batches
    else:
        params.max_time_in_seconds = seconds
    return solver


class Spread:
    """Each engineer's unsocial burden in model units (`UNIT`), carried in plus planned."""

    def __init__(self, scenario: Scenario, cands: list[Candidate], history: History | None) -> None:
        self.cands = cands
        self.unit = [round(UNIT / scenario.weekly_hours_cap(e)) for e in scenario.engineers]
        carried = carried_minutes(scenario, history)
        self.base = [sum(carried.get(eng, {}).get(kind, 0) for kind in UNSOCIAL) * self.unit[eng]
                     for eng in range(len(scenario.engineers))]
        self.weight = [sum(getattr(c, kind) for kind in UNSOCIAL) * self.unit[c.eng] for c in cands]
        # who can still get some: an engineer with a candidate carrying unsocial time
        self.movable = sorted({c.eng for c, w in zip(cands, self.weight, strict=True)
                               if w and not c.forced})

    def loads(self, chosen: set[int]) -> list[int]:
        load = list(self.base)
        for i in chosen:
            load[self.cands[i].eng] += self.weight[i]
        return load

    def of(self, chosen: set[int]) -> float:
        """The spread across the movable engineers, in model units."""
        load = self.loads(chosen)
        values = [load[e] for e in self.movable]
        return float(max(values) - min(values)) if values else 0.0

    def objective(self, pm: PlanModel, chosen: set[int]
                  ) -> tuple[cp_model.LinearExprT, list[tuple[int, int]]]:
        """high - low over the movable engineers, and the hint's values of the two."""
        terms: dict[int, list[tuple[int, cp_model.IntVar]]] = {e: [] for e in self.movable}
        for i, (c, w) in enumerate(zip(self.cands, self.weight, strict=True)):
            if w and c.eng in terms:
                terms[c.eng].append((w, pm.x[i]))
        top = max(self.base[e] + sum(w for w, _ in terms[e]) for e in self.movable)
        high = pm.model.new_int_var(0, top, "unsocial_high")
        low = pm.model.new_int_var(0, top, "unsocial_low")
        for e in self.movable:
            load = self.base[e] + sum(w * x for w, x in terms[e])
            pm.model.add(load <= high)
            pm.model.add(load >= low)
        now = self.loads(chosen)
        return high - low, [(high.index, max(now[e] for e in self.movable)),
                            (low.index, min(now[e] for e in self.movable))]
