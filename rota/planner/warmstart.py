"""A first rota built window by window, handed to the full model as a complete hint.

Weekly hours are counted per 7-day block and the other rules reach at most a few days, so the
horizon splits well in time: each window's model holds only the candidates starting in it, with
the shifts already chosen in earlier windows forced, and minimises the uncovered demand of that
window (plus half a day, so a shift running past its end gets credit), then its asleep minutes
(weighted so that uncovered demand provably comes first). Each window's model is small
enough to solve to optimality in seconds; together they give the full model a strong incumbent, so
its search starts near the optimum and spends its time improving and proving. At any moment the
union of the windows solved so far is itself a valid rota (fewer shifts never break a rule).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from rota.limits import PLANNER_MAX_MEMORY_MB
from rota.planner.build import LinearExpr, PlanModel
from rota.planner.candidates import Candidate
from rota.planner.grid import add_coverage
from rota.planner.objective import asleep, uncovered
from rota.planner.progress import Progress, ProgressCallback, StopWatcher
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings

WINDOW_CANDIDATES = 12_000  # a window's model stays about the size of the S benchmark
# Below this many candidates the full model's own search does better with the whole time: on the
# example team (44k candidates) the windows took 21 s of 60 and left the all-coverage stage 9%
# worse (203,400 against 194,520 weighted minutes), and on the M benchmark both proved the same
# coverage optimum while the comfort terms came out worse (asleep 26,700 against 11,340 minutes).
WARM_START_FROM_CANDIDATES = 100_000
LOOKAHEAD_SECONDS = 12 * 3600
DAY_SECONDS = 86400


def window_days(pm: PlanModel) -> int:
    per_day = max(1, len(pm.cands) // max(pm.scenario.horizon.days, 1))
    return max(1, min(7, WINDOW_CANDIDATES // per_day))


def wants_warm_start(pm: PlanModel) -> bool:
    """Big models only, and only when the horizon spans more than one window."""
    return len(pm.cands) > WARM_START_FROM_CANDIDATES and window_days(pm) < pm.scenario.horizon.days


def warm_start(
    pm: PlanModel,
    budget: float,
    settings: SearchSettings,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    seed: list[int] | None = None,
) -> list[int]:
    """0/1 per candidate of `pm`: a valid rota built window by window within `budget` seconds.

    The shifts of `seed` (0/1 per candidate, a valid rota such as the peak proof's) stay in it.
    """
    days = window_days(pm)
    started = time.monotonic()
    chosen: set[tuple[int, int, int]] = {
        (c.eng, c.start, c.end) for k, c in enumerate(pm.cands) if c.forced or (seed and seed[k])}
    starts = list(range(pm.team.lo - DAY_SECONDS, pm.team.hi, days * DAY_SECONDS))
    callback = ProgressCallback(started, on_progress, stop)
    callback.stage = "warm start"
    with StopWatcher(stop) as watcher:
        for n, lo in enumerate(starts):
            if stop is not None and stop.is_set():
                break
            hi = lo + days * DAY_SECONDS
            share = (budget - (time.monotonic() - started)) / (len(starts) - n)
            if share <= 0.05:
                break
            chosen |= _solve_window(pm, chosen, (lo, hi), share, settings, callback, watcher)
    return [1 if (c.eng, c.start, c.end) in chosen else 0 for c in pm.cands]


def asleep_weight(pm: PlanModel) -> int:
    """One more than the most asleep minutes any rota of the model can have (one shift a day)."""
    most: dict[tuple[int, object], int] = {}
    for c in pm.cands:
        most[(c.eng, c.day)] = max(most.get((c.eng, c.day), 0), c.asleep_min)
    return sum(most.values()) + 1


def _solve_window(
    pm: PlanModel,
    chosen: set[tuple[int, int, int]],
    window: tuple[int, int],
    seconds: float,
    settings: SearchSettings,
    callback: ProgressCallback,
    watcher: StopWatcher,
) -> set[tuple[int, int, int]]:
    lo, hi = window
    cands: list[Candidate] = []
    for c in pm.cands:
        key = (c.eng, c.start, c.end)
        if key in chosen:
            cands.append(dataclasses.replace(c, forced=c.forced or "warm"))
        elif lo <= c.start < hi and not c.forced:
            cands.append(dataclasses.replace(c))
    sub = PlanModel(pm.scenario, pm.team, cands)
    for _, rule in HARD_RULES:
        rule(sub)
    add_coverage(sub, (max(lo, pm.team.lo), min(hi + LOOKAHEAD_SECONDS, pm.team.hi)))
    term = uncovered(sub)
    if isinstance(term.expr, int):
        return set()
    weight = asleep_weight(sub)
    objective: LinearExpr = term.expr * weight + asleep(sub).expr  # type: ignore[operator]
    sub.model.minimize(objective)
    for c, x in zip(cands, sub.x, strict=True):
        sub.model.add_hint(x, 1 if c.forced or c.previous else 0)
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = settings.seed
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_memory_in_mb = PLANNER_MAX_MEMORY_MB
    if settings.deterministic:
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = seconds
    else:
        solver.parameters.num_workers = settings.workers
        solver.parameters.max_time_in_seconds = seconds
    watcher.attach(solver)
    status = solver.solve(sub.model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set()
    return {(c.eng, c.start, c.end) for c, x in zip(cands, sub.x, strict=True)
            if solver.boolean_value(x) and not c.forced}
