"""Staged lexicographic search: minimise each objective term in turn, keeping earlier ones.

Stage k minimises term k subject to every earlier term staying at the value its stage reached
(`<=` the best found; equal to the optimum when that stage was proved optimal), hinted with the
incumbent so it starts from a solution. The first stage gets half the time, later ones share what
is left. With `deterministic`, one worker, a fixed seed and deterministic time limits make two runs
identical.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rota.planner.build import PlanModel, Term
from rota.planner.progress import Progress, ProgressCallback, StopWatcher

FIRST_STAGE_SHARE = 0.5


@dataclass
class StageResult:
    name: str
    status: str
    value: float | None
    bound: float | None
    seconds: float
    unit: str

    def to_json(self) -> dict[str, object]:
        return {"term": self.name, "status": self.status, "value": self.value,
                "bound": self.bound, "seconds": round(self.seconds, 3), "unit": self.unit}


@dataclass
class SearchResult:
    status: str
    chosen: list[int] | None
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False


@dataclass(frozen=True)
class SearchSettings:
    time_limit: float
    workers: int
    seed: int
    deterministic: bool


def solve_staged(
    pm: PlanModel,
    terms: list[Term],
    settings: SearchSettings,
    hint: list[int] | None,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> SearchResult:
    started = time.monotonic()
    callback = ProgressCallback(started, on_progress, stop)
    result = SearchResult(status="UNKNOWN", chosen=None)
    values = hint
    with StopWatcher(stop) as watcher:
        for k, term in enumerate(terms):
            if stop is not None and stop.is_set():
                result.stopped = True
                break
            budget = _budget(settings, k, len(terms), time.monotonic() - started)
            stage = _solve_stage(pm, term, settings, budget, values, callback, watcher)
            result.stages.append(stage)
            if stage.value is None:
                if k == 0:
                    result.status = stage.status
                break
            values = stage_values(pm, watcher.solver)
            result.chosen = [i for i, v in enumerate(values) if v]
            _keep(pm, term, stage)
            if k == 0:
                result.status = stage.status
            elif stage.status != "OPTIMAL" and result.status == "OPTIMAL":
                result.status = "FEASIBLE"
        if stop is not None and stop.is_set():
            result.stopped = True
    if len(result.stages) < len(terms) and result.status == "OPTIMAL":
        result.status = "FEASIBLE"
    result.seconds = time.monotonic() - started
    return result


def _budget(settings: SearchSettings, k: int, n: int, elapsed: float) -> float:
    total = settings.time_limit
    if settings.deterministic or n == 1:
        return total * (FIRST_STAGE_SHARE if k == 0 and n > 1 else (1 - FIRST_STAGE_SHARE) / max(n - 1, 1))
    if k == 0:
        return total * FIRST_STAGE_SHARE
    return max((total - elapsed) / (n - k), 0.05)


def _solve_stage(
    pm: PlanModel,
    term: Term,
    settings: SearchSettings,
    budget: float,
    hint: list[int] | None,
    callback: ProgressCallback,
    watcher: StopWatcher,
) -> StageResult:
    pm.model.clear_hints()
    if hint is not None:
        for var, value in zip(pm.x, hint, strict=True):
            pm.model.add_hint(var, value)
    offset = 0
    if isinstance(term.expr, int):
        offset = term.expr
        pm.model.minimize(0)
    else:
        pm.model.minimize(term.expr)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    if settings.deterministic:
        params.num_workers = 1
        params.max_deterministic_time = budget
    else:
        params.num_workers = settings.workers
        params.max_time_in_seconds = budget
    callback.stage = term.name
    callback.offset = offset
    watcher.attach(solver)
    began = time.monotonic()
    status = solver.solve(pm.model, callback)
    name = solver.status_name(status)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return StageResult(
        name=term.name,
        status=name,
        value=solver.objective_value + offset if found else None,
        bound=solver.best_objective_bound + offset if found else None,
        seconds=time.monotonic() - began,
        unit=term.unit,
    )


def stage_values(pm: PlanModel, solver: cp_model.CpSolver | None) -> list[int]:
    assert solver is not None
    return [int(solver.boolean_value(v)) for v in pm.x]


def _keep(pm: PlanModel, term: Term, stage: StageResult) -> None:
    """Later stages may not make this term worse than this stage left it."""
    if stage.value is None or isinstance(term.expr, int):
        return
    pm.model.add(term.expr <= round(stage.value))
