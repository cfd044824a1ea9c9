"""Small neighbourhoods: many tiny re-solves of a valid rota where its demand is still open.

Each step frees a few days of a few engineers (those who could answer where demand is open) and
keeps every other shift of the rota fixed. Its CP-SAT model holds only the free candidates and the
fixed shifts that matter to them (the free engineers' own, for the rules between shifts, and any
that overlap the rows it re-counts), so it builds in tens of milliseconds and solves in well under
a second even on a busy machine. It minimises peak shortfall, then all shortfall (weighted as in
`objective.py`: the staged search's first two stages in the same order), from the current rota as
a complete hint, and its answer replaces the rota only when it is not worse on those terms: the
incumbent never gets worse, and ties let it move.

Where: a day and a region drawn with probability in proportion to the weighted demand there that
some engineer could still answer (structural demand draws nothing), less often where steps have
failed. How big: the number of free days and engineers grows while steps are solved to optimality
and shrinks when they run out of time.

With `deterministic`, the random draws come from the seed, each step has a fixed deterministic time
and one worker, and nothing depends on the clock: the budget is work, not seconds. Each step is
charged its search's deterministic time, its build (a cost per variable, constraint and term of
its model) and a fixed cost for drawing it and rating the result (`step_work`), in seconds of a
quiet 2-core machine (calibrated on the example team and M: 0.08 and 0.16 s a step at load
average 2). Whether the next step starts depends only on the work charged
so far: a longer limit runs the same steps and more, so more time is never worse.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.sat.python import cp_model

from rota.limits import PLANNER_MAX_MEMORY_MB
from rota.planner.build import PlanModel, Term
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy
from rota.planner.grid import add_coverage
from rota.planner.objective import peak_uncovered, uncovered
from rota.planner.progress import Progress, ProgressCallback, StopWatcher
from rota.planner.repair import p0_peak_slots
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.team import TeamTime

DAY = 86400
SLOTS_PER_DAY = 96
STEP_SECONDS = 1.0  # wall-clock limit of one step's search
STEP_DETERMINISTIC = 0.05  # deterministic time of one step's search, with `deterministic`
# With `deterministic`, what a step is charged, in seconds of a quiet machine (`step_work`):
SECONDS_PER_DETERMINISTIC = 1.0  # per unit of CP-SAT deterministic time
BUILD_SECONDS_PER_TERM = 5e-6  # per variable, constraint and term of its model (`model_size`)
STEP_FIXED_SECONDS = 0.035  # per step: drawing it and rating its result (0.112-0.135 s a step
# measured against 0.095 charged with 0.012 here, example team, quiet machine)
MIN_STEP_SECONDS = 0.15  # a step with less search time left (after its build) is not started
MIN_NEIGHBOURHOOD_SECONDS = 1.0  # with less, no step runs (the open demand alone takes 0.2-0.6 s)
LOOKAHEAD_SLACK = 2 * 3600
DAYS = (1, 4)  # free days per step: from, to (the size adapts between them)
ENGINEERS = (4, 16)  # free engineers per step: from, to


@dataclass
class LnsResult:
    chosen: set[int]  # positions in the candidate list
    steps: int = 0
    improved: int = 0
    seconds: float = 0.0
    work: float = 0.0  # with `deterministic`: the work charged (`step_work`), in seconds


@dataclass
class Step:
    """One neighbourhood re-solved: its new rota (None: the solver found nothing) and its cost."""

    chosen: set[int] | None
    size: int  # variables, constraints and their terms in its model (`model_size`)
    deterministic_time: float = 0.0
    wall: float = 0.0  # seconds of search
    better: bool = False  # strictly better on the model's terms
    quick: bool = False  # proved optimal in half its time


def step_work(step: Step) -> float:
    """A step's deterministic cost: its search's deterministic time, its build and its rating."""
    return (step.deterministic_time * SECONDS_PER_DETERMINISTIC
            + step.size * BUILD_SECONDS_PER_TERM + STEP_FIXED_SECONDS)


@dataclass
class OpenDemand:
    """Weighted demand still open per region and 15-minute slot, for the current rota."""

    greedy: Greedy
    base: dict[str, npt.NDArray[np.int64]]
    reachable: dict[str, npt.NDArray[np.int64]]  # engineers who could qualify, per slot
    p0_peak: dict[str, npt.NDArray[np.bool_]]

    @classmethod
    def of(cls, scenario: Scenario, team: TeamTime, cands: list[Candidate],
           like: Greedy | None = None) -> OpenDemand:
        greedy = Greedy(scenario, team, cands, like)
        base = {r: need.copy() for r, need in greedy.demand.need.items()}
        reachable = {r: np.zeros(greedy.n, dtype=np.int64) for r in base}
        for masks in greedy.qual.values():
            for region_id, mask in masks.items():
                reachable[region_id] += mask
        return cls(greedy, base, reachable, p0_peak_slots(greedy, team))

    def counts(self, chosen: set[int]) -> dict[str, npt.NDArray[np.int64]]:
        """Qualified engineers on call per region and slot."""
        g = self.greedy
        count = {r: np.zeros(g.n, dtype=np.int64) for r in self.base}
        for i in chosen:
            a, b = g.a[i], g.b[i]
            for region_id, mask in g.qual[g.cands[i].eng].items():
                count[region_id][a:b] += mask[a:b]
        return count

    def standing(self, chosen: set[int]) -> tuple[int, int]:
        """(P0 peak uncovered, all uncovered) minutes, as the core's gap analysis counts them:
        a slot is uncovered when fewer qualified engineers are on call than it requires."""
        count = self.counts(chosen)
        p0 = every = 0
        for region_id, need in self.base.items():
            short = count[region_id] < need
            every += int(short.sum())
            p0 += int((short & self.p0_peak[region_id]).sum())
        return p0 * 15, every * 15

    def open_by_day(self, chosen: set[int]) -> dict[tuple[str, int], int]:
        """(region, day index) -> weighted open demand some engineer could answer."""
        g = self.greedy
        count = self.counts(chosen)
        out: dict[tuple[str, int], int] = {}
        for region_id, need in self.base.items():
            coverable = np.minimum(need, self.reachable[region_id])
            open_ = np.maximum(coverable - count[region_id], 0) * g.demand.weight[region_id]
            days = np.add.reduceat(open_, np.arange(0, g.n, SLOTS_PER_DAY)) if g.n else open_
            for d, v in enumerate(days.tolist()):
                if v > 0:
                    out[(region_id, d)] = int(v)
        return out

    def helpers(self, region_id: str, day: int) -> list[int]:
        """Engineers who could qualify for the region on that day."""
        g = self.greedy
        a, b = day * SLOTS_PER_DAY, min((day + 1) * SLOTS_PER_DAY, g.n)
        return [eng for eng, masks in g.qual.items()
                if region_id in masks and masks[region_id][a:b].any()]


def improve_small(
    scenario: Scenario,
    team: TeamTime,
    cands: list[Candidate],
    chosen: set[int],
    budget: float,
    settings: SearchSettings,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    like: Greedy | None = None,
) -> LnsResult:
    """Small neighbourhood steps until `budget` (seconds, or with `deterministic` work: `step_work`)
    is spent."""
    started = time.monotonic()
    result = LnsResult(set(chosen))
    if budget < (STEP_DETERMINISTIC if settings.deterministic else MIN_NEIGHBOURHOOD_SECONDS):
        return result  # not worth building the open demand for
    rng = random.Random(settings.seed)
    demand = OpenDemand.of(scenario, team, cands, like)
    by_eng_start: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if not c.forced:
            by_eng_start[c.eng].append(i)
    longest = max((c.end - c.start for c in cands), default=0)
    failures: dict[tuple[str, int], int] = defaultdict(int)
    days, engineers = 3, 8
    everyone = list(range(len(scenario.engineers)))
    setup = dearest = 0.0
    open_ = demand.open_by_day(result.chosen)
    current = demand.standing(result.chosen)
    callback = ProgressCallback(started, on_progress, stop)
    callback.stage = "neighbourhoods"
    with StopWatcher(stop) as watcher:
        began, solved = None, 0.0
        while open_:
            if began is not None and not settings.deterministic:
                setup = max(setup, time.monotonic() - began - solved)
            left = budget - (result.work if settings.deterministic else time.monotonic() - started)
            # A step's build and rating (measured: the slowest so far; with `deterministic` the
            # dearest charged so far) come out of its time, so the last step ends within the budget.
            need = max(dearest, STEP_DETERMINISTIC) if settings.deterministic \
                else setup + MIN_STEP_SECONDS
            if left < need or (stop is not None and stop.is_set()):
                break
            limit = STEP_DETERMINISTIC if settings.deterministic \
                else min(STEP_SECONDS, left - setup)
            began = time.monotonic()
            keys = sorted(open_)
            weights = [open_[k] / (1 + failures[k]) for k in keys]
            region_id, day = rng.choices(keys, weights)[0]
            first = max(day - rng.randrange(days), 0)
            window = (team.lo + first * DAY, min(team.lo + (first + days) * DAY, team.hi))
            pool = demand.helpers(region_id, day)
            free_engs = rng.sample(pool, min(engineers, len(pool)))
            if len(free_engs) < engineers:  # others, who may take over the helpers' other shifts
                others = [e for e in everyone if e not in free_engs]
                free_engs += rng.sample(others, min(engineers - len(free_engs), len(others)))
            free_engs.sort()
            step = _solve_step(scenario, team, cands, by_eng_start, result.chosen, window,
                               free_engs, longest + LOOKAHEAD_SLACK, limit, settings,
                               callback, watcher)
            result.steps += 1
            result.work += step_work(step)
            dearest = max(dearest, step_work(step))
            solved = step.wall
            if step.chosen is None:
                failures[(region_id, day)] += 1
                continue
            new = step.chosen
            rated = demand.standing(new)
            if rated > current:  # the core's order (P0 peak, then all minutes) would get worse
                failures[(region_id, day)] += 1
                continue
            improved = step.better or rated < current
            if step.quick:
                days = min(days + 1, DAYS[1])
                engineers = min(engineers + 2, ENGINEERS[1])
            else:
                days = max(days - 1, DAYS[0])
                engineers = max(engineers - 2, ENGINEERS[0])
            if new != result.chosen:
                result.chosen, current = new, rated
                open_ = demand.open_by_day(result.chosen)
            if improved:
                result.improved += 1
            else:
                failures[(region_id, day)] += 1
    result.seconds = time.monotonic() - started
    return result


@dataclass
class StepModel:
    """A neighbourhood's CP-SAT model: the free engineers' candidates inside the window, the fixed
    shifts that matter to them, and the coverage rows it re-counts; `full` is the current rota as a
    complete hint and `before` its (peak, all) weighted shortfall on those rows."""

    sub: PlanModel
    positions: list[int]  # sub candidate k is candidate positions[k] of the plan
    free: list[int]  # sub candidates the step may change
    full: list[int]
    peak: Term
    every: Term
    before: tuple[int, int]


def step_model(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], by_eng: dict[int, list[int]],
    chosen: set[int], window: tuple[int, int], engineers: list[int], reach: int,
) -> StepModel | int:
    """The neighbourhood's model, or its size when there is nothing to re-solve."""
    lo, hi = window
    rows = (lo, min(hi + reach, team.hi))
    free_set = set(engineers)
    positions = sorted({i for eng in engineers for i in by_eng[eng] if lo <= cands[i].start < hi}
                       | {i for i in chosen if cands[i].eng in free_set
                          or (cands[i].end > rows[0] and cands[i].start < rows[1])})
    sub_cands: list[Candidate] = []
    free: list[int] = []
    for k, i in enumerate(positions):
        c = cands[i]
        inside = c.eng in free_set and lo <= c.start < hi and not c.forced
        if inside:
            free.append(k)
        sub_cands.append(dataclasses.replace(c, forced=c.forced or (None if inside else "lns"),
                                             var=None))
    if not free:
        return len(sub_cands)
    sub = PlanModel(scenario, team, sub_cands)
    for _, rule in HARD_RULES:
        rule(sub)
    add_coverage(sub, rows)
    peak, every = peak_uncovered(sub), uncovered(sub)
    if isinstance(every.expr, int):
        return len(sub_cands)
    full = sub.complete_hint([1 if i in chosen else 0 for i in positions])
    before = (peak.value_at(full) or 0, every.value_at(full) or 0)
    return StepModel(sub, positions, free, full, peak, every, before)


def step_solver(settings: SearchSettings, limit: float) -> cp_model.CpSolver:
    """One worker from the complete hint, no presolve (a small model: search at once)."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.catch_sigint_signal = False
    params.max_memory_in_mb = PLANNER_MAX_MEMORY_MB
    params.cp_model_presolve = False
    params.num_workers = 1
    if settings.deterministic:
        params.max_deterministic_time = limit
    else:
        params.max_time_in_seconds = limit
    return solver


def hinted(step: StepModel) -> None:
    """The step's model starts from `step.full` (every variable's value)."""
    proto = step.sub.model.proto.solution_hint
    proto.vars.extend(range(len(step.full)))
    proto.values.extend(step.full)


def replaced(step: StepModel, chosen: set[int], values: list[int]) -> set[int]:
    """`chosen` with the step's free candidates set to `values` (per sub candidate)."""
    out = set(chosen)
    for k in step.free:
        out.discard(step.positions[k])
        if values[k]:
            out.add(step.positions[k])
    return out


def _solve_step(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], by_eng: dict[int, list[int]],
    chosen: set[int], window: tuple[int, int], engineers: list[int], reach: int, limit: float,
    settings: SearchSettings, callback: ProgressCallback, watcher: StopWatcher,
) -> Step:
    """The neighbourhood re-solved (its `chosen` None when the solver found nothing: the rota
    stays as it is)."""
    built = step_model(scenario, team, cands, by_eng, chosen, window, engineers, reach)
    if isinstance(built, int):
        return Step(None, built)
    sub, peak, every, before = built.sub, built.peak, built.every, built.before
    scale = every.upper + 1
    sub.model.minimize(peak.expr * scale + every.expr  # type: ignore[operator]
                       if not isinstance(peak.expr, int) else every.expr)
    hinted(built)
    solver = step_solver(settings, limit)
    watcher.attach(solver)
    status = solver.solve(sub.model, callback)
    step = Step(None, model_size(sub), solver.response_proto.deterministic_time, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return step
    values = [int(solver.value(v)) for v in sub.x]
    after_full = sub.complete_hint(values)
    after = (peak.value_at(after_full) or 0, every.value_at(after_full) or 0)
    if after > before:
        return step
    took = step.deterministic_time if settings.deterministic else step.wall
    return dataclasses.replace(step, chosen=replaced(built, chosen, values), better=after < before,
                               quick=status == cp_model.OPTIMAL and took < limit / 2)


def model_size(sub: PlanModel) -> int:
    """The step model's variables, constraints and their terms: what building it costs."""
    proto = sub.model.proto
    return len(proto.variables) + sum(len(c.linear.vars) + len(c.bool_or.literals)
                                      + len(c.at_most_one.literals) + len(c.exactly_one.literals) + 1
                                      for c in proto.constraints)
