"""Large-neighbourhood search over time windows: improve a valid rota a few days at a time.

A window's model holds the candidates that start inside it, free, and every shift of the current
rota outside it, forced; its coverage rows span the window plus the longest shift after it, which
is everything its shifts can change. It minimises peak shortfall, then all shortfall (weighted as
in `objective.py`, so the same order as the staged search), starting from the current rota's
shifts in the window as a complete hint. A window's answer replaces its shifts only when it is
better on those terms and no worse by the core's gap analysis (P0 peak uncovered, then all
uncovered), so the rota never gets worse, step by step.

Small models build in a fraction of a second and solve in about one, even on a busy machine, where
the full model of a large team takes seconds to build before its search starts. Windows sweep the
horizon in a fixed order, overlapping by half. With `deterministic`, each window gets the same
deterministic time whatever the limit, so a longer limit runs the same steps and more: more time
is never worse.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rota.limits import PLANNER_MAX_MEMORY_MB
from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate
from rota.planner.grid import add_coverage
from rota.planner.objective import peak_uncovered, uncovered
from rota.planner.outcome import Standing
from rota.planner.progress import Progress, ProgressCallback, StopWatcher
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.team import TeamTime

DAY = 86400
# 7-day windows with 5 s each beat 3-day ones with 1.5 s: 30 s from the constructive start on the
# example (load average 11) left 27,390 uncovered minutes against 27,720 (start: 28,890); on M
# 7,860 against 8,550 (3-day windows improved none of 7).
WINDOW_DAYS = 7
WINDOW_SECONDS = 5.0  # wall-clock limit of one window's search
WINDOW_DETERMINISTIC = 0.2  # deterministic time of one window's search, with `deterministic`
LOOKAHEAD_SLACK = 2 * 3600
MIN_WINDOW_SEARCH = 0.5  # seconds: a window with less search time left is not started


@dataclass
class LnsResult:
    chosen: set[int]  # positions in the candidate list
    windows: int = 0
    improved: int = 0
    seconds: float = 0.0


def improve(
    scenario: Scenario,
    team: TeamTime,
    cands: list[Candidate],
    chosen: set[int],
    budget: float,
    settings: SearchSettings,
    rate: Callable[[set[int]], Standing],
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    setup: float = 0.0,
) -> LnsResult:
    """Sweep windows over the horizon until `budget` (seconds, or deterministic time) is spent or
    a whole sweep improves nothing; `rate` gives the standing of a set of chosen positions.

    `setup` estimates the seconds a window takes besides its search (building its model, rating
    the result); a window starts only when that and a short search fit in what is left, and the
    estimate follows the slowest window seen."""
    result = LnsResult(set(chosen))
    started = time.monotonic()
    lo, hi = team.lo, team.hi
    longest = max((c.end - c.start for c in cands), default=0)
    step = WINDOW_DAYS * DAY // 2
    starts = list(range(lo - DAY, hi, step))
    spent = 0.0
    current = rate(result.chosen)
    callback = ProgressCallback(started, on_progress, stop)
    callback.stage = "windows"
    with StopWatcher(stop) as watcher:
        while True:
            gained = False
            for w_lo in starts:
                left = budget - (spent if settings.deterministic else time.monotonic() - started)
                # A deterministic window runs whole or not at all, so a longer limit runs the
                # same windows and more.
                whole = WINDOW_DETERMINISTIC if settings.deterministic else setup + MIN_WINDOW_SEARCH
                if left < whole or (stop is not None and stop.is_set()):
                    result.seconds = time.monotonic() - started
                    return result
                limit = WINDOW_DETERMINISTIC if settings.deterministic \
                    else min(WINDOW_SECONDS, left - setup)
                spent += limit
                window = (w_lo, w_lo + WINDOW_DAYS * DAY)
                began = time.monotonic()
                new = _solve_window(scenario, team, cands, result.chosen, window,
                                    longest + LOOKAHEAD_SLACK, limit, settings, callback, watcher)
                result.windows += 1
                if new is not None:
                    rated = rate(new)
                if not settings.deterministic:
                    setup = max(setup, time.monotonic() - began - limit)
                if new is None:
                    continue
                if rated.key() <= current.key():
                    result.chosen, current = new, rated
                    result.improved += 1
                    gained = True
            if not gained:
                break
    result.seconds = time.monotonic() - started
    return result


def _solve_window(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: set[int],
    window: tuple[int, int], reach: int, limit: float, settings: SearchSettings,
    callback: ProgressCallback, watcher: StopWatcher,
) -> set[int] | None:
    """The window re-solved; None unless strictly better on (peak, all) weighted shortfall."""
    lo, hi = window
    positions: list[int] = []
    sub_cands: list[Candidate] = []
    for i, c in enumerate(cands):
        inside = lo <= c.start < hi and not c.forced
        if inside or i in chosen:
            positions.append(i)
            sub_cands.append(Candidate(c.eng, c.day, c.start, c.end, c.asleep_min, c.off_hours_min,
                                       c.weekend_min, c.forced or (None if inside else "lns"),
                                       c.previous))
    free = [k for k, c in enumerate(sub_cands) if not c.forced]
    if not free:
        return None
    sub = PlanModel(scenario, team, sub_cands)
    for _, rule in HARD_RULES:
        rule(sub)
    add_coverage(sub, (max(lo, team.lo), min(hi + reach, team.hi)))
    peak, every = peak_uncovered(sub), uncovered(sub)
    if isinstance(every.expr, int):
        return None
    hint = [1 if positions[k] in chosen else 0 for k in range(len(sub_cands))]
    full = sub.complete_hint(hint)
    before = (peak.value_at(full) or 0, every.value_at(full) or 0)
    scale = every.upper + 1
    sub.model.minimize(peak.expr * scale + every.expr  # type: ignore[operator]
                       if not isinstance(peak.expr, int) else every.expr)
    proto = sub.model.proto.solution_hint
    proto.vars.extend(range(len(full)))
    proto.values.extend(full)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.catch_sigint_signal = False
    params.max_memory_in_mb = PLANNER_MAX_MEMORY_MB
    params.cp_model_presolve = False  # a small model from a complete hint: search at once
    if settings.deterministic:
        params.num_workers = 1
        params.max_deterministic_time = limit
    else:
        params.num_workers = min(settings.workers, 4)
        params.max_time_in_seconds = limit
    watcher.attach(solver)
    status = solver.solve(sub.model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = [int(solver.value(v)) for v in sub.x]
    after_full = sub.complete_hint(values)
    after = (peak.value_at(after_full) or 0, every.value_at(after_full) or 0)
    if after >= before:
        return None
    out = set(chosen)
    for k in free:
        out.discard(positions[k])
        if values[k]:
            out.add(positions[k])
    return out
