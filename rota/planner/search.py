"""Staged lexicographic search: minimise each objective term in turn, keeping earlier ones.

Stage k minimises term k subject to every earlier term staying at the value its stage reached
(`<=` the best found; equal to the optimum when that stage was proved optimal), hinted with the
incumbent so it starts from a solution. The leading stages get the shares of the time limit in
`SearchSettings.shares` and the others split the rest evenly; time a stage leaves unused (it was
proved optimal early) passes to the stages after it in proportion to their shares. With
`deterministic`, one worker, a fixed seed and deterministic time limits make two runs identical.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rota.limits import PLANNER_MAX_MEMORY_MB
from rota.planner.build import PlanModel, Term
from rota.planner.progress import Progress, ProgressCallback, StopWatcher

# Peak coverage, then all coverage: on the example team the peak stage is proved optimal in about
# 5 s, so most of its share flows on to the harder all-coverage stage; the comfort terms start from
# a rota that is already good and share a fifth.
STAGE_SHARES = (0.3, 0.5)
# Past this many candidates, stages that start from a complete hint skip presolve: it costs seconds
# per stage on the big models, while the hint gives the search its start directly. The first stage
# of a fresh plan keeps it, for the bound that proves optimality.
PRESOLVE_LATER_STAGES_UP_TO = 20_000
# A stage with a complete hint and less time than this skips presolve whatever its size: on the
# example team presolve alone takes over a second, and a short stage must improve from the hint.
PRESOLVE_FROM_SECONDS = 4.0
# The coverage stages run at most this many workers: on 2 cores their bottleneck is finding good
# rotas, which fewer, faster workers do better. Measured with the peak stage done, 35 s of the
# `uncovered` stage on the example team, three seeds: 4 workers 188,760-192,900 weighted minutes,
# 8 workers 196,740-197,760; on the M benchmark 4 workers proved both coverage stages optimal in
# 10 s, 8 in 15 s. The comfort stages keep every worker: the S benchmark's min-max fairness stage
# is proved optimal in a second with 8 and not in 7 s with 4.
COVERAGE_TERMS = ("peak_uncovered", "uncovered")
COVERAGE_WORKERS = 4


@dataclass
class StageResult:
    name: str
    status: str
    value: float | None
    bound: float | None
    seconds: float
    unit: str
    scale: int = 1

    @property
    def lead_value(self) -> float | None:
        """The leading term's value, when this stage is two terms in lexicographic order."""
        return None if self.value is None else float(self.value // self.scale)

    @property
    def lead_bound(self) -> float | None:
        return None if self.bound is None else float(-(-self.bound // self.scale))

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
    coverage_held: bool = False  # the coverage terms were held at the hint's, not searched


@dataclass(frozen=True)
class SearchSettings:
    time_limit: float
    workers: int
    seed: int
    deterministic: bool
    presolve_first: bool = True  # presolve the first stage even when starting from a full hint
    shares: tuple[float, ...] = STAGE_SHARES  # of the time limit, for the leading stages


def solve_staged(
    pm: PlanModel,
    terms: list[Term],
    settings: SearchSettings,
    hint: list[int] | None,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    hint_is_valid: bool = False,
) -> SearchResult:
    """Minimise `terms` in order; a valid hint is the answer when the first stage finds nothing.

    A valid hint is completed to every variable, so the first stage starts from it at once.
    """
    started = time.monotonic()
    callback = ProgressCallback(started, on_progress, stop)
    result = SearchResult(status="UNKNOWN", chosen=None)
    full = pm.complete_hint(hint) if hint_is_valid and hint is not None else None
    with StopWatcher(stop) as watcher:
        for k, term in enumerate(terms):
            if stop is not None and stop.is_set():
                result.stopped = True
                if k == 0 and hint_is_valid and hint is not None:
                    result.status = "FEASIBLE"
                    result.chosen = [i for i, v in enumerate(hint) if v]
                break
            if not settings.deterministic and time.monotonic() - started >= settings.time_limit:
                break  # out of time: the later stages keep what the earlier ones left
            budget = _budget(settings, k, len(terms), time.monotonic() - started)
            presolve = full is None or (budget >= PRESOLVE_FROM_SECONDS and (
                len(pm.cands) <= PRESOLVE_LATER_STAGES_UP_TO or (k == 0 and settings.presolve_first)))
            stage = _solve_stage(pm, term, settings, budget, hint, full, presolve, callback, watcher)
            result.stages.append(stage)
            if stage.value is None:  # no solution in this stage's time: keep the incumbent
                if k == 0:
                    result.status = stage.status
                    if not (hint_is_valid and hint is not None):
                        break
                    # The valid hint is the incumbent; later stages start from it (the caller
                    # compares the result with it, so a later stage cannot make coverage worse).
                    result.status = "FEASIBLE"
                    result.chosen = [i for i, v in enumerate(hint) if v]
                    held = term.value_at(full) if full is not None else None
                    if held is not None and not isinstance(term.expr, int):
                        pm.model.add(term.expr <= held)
                    continue
                result.status = "FEASIBLE"
                continue
            assert watcher.solver is not None
            full = list(watcher.solver.response_proto.solution)
            values = stage_values(pm, watcher.solver)
            result.chosen = [i for i, v in enumerate(values) if v]
            keep_term(pm, term, stage)
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


def stage_weights(shares: tuple[float, ...], n: int) -> list[float]:
    """Each of `n` stages' share of the time limit: the leading `shares`, the rest split evenly."""
    lead = list(shares[:n])
    rest = n - len(lead)
    left = max(1.0 - sum(lead), 0.0)
    if rest == 0:
        return [w / sum(lead) for w in lead] if sum(lead) > 0 else [1.0 / n] * n
    return lead + [left / rest] * rest


def _budget(settings: SearchSettings, k: int, n: int, elapsed: float) -> float:
    weights = stage_weights(settings.shares, n)
    if settings.deterministic:
        return settings.time_limit * weights[k]
    later = sum(weights[k:])
    return max((settings.time_limit - elapsed) * weights[k] / later, 0.05) if later > 0 else 0.05


def _solve_stage(
    pm: PlanModel,
    term: Term,
    settings: SearchSettings,
    budget: float,
    hint: list[int] | None,
    full: list[int] | None,
    presolve: bool,
    callback: ProgressCallback,
    watcher: StopWatcher,
) -> StageResult:
    """One stage; `full` (every variable of the last solution) beats `hint` (shifts only)."""
    pm.model.clear_hints()
    if full is not None:
        proto = pm.model.proto.solution_hint
        proto.vars.extend(range(len(full)))
        proto.values.extend(full)
    elif hint is not None:
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
    params.catch_sigint_signal = False  # Ctrl-C belongs to the caller, who sets `stop`
    params.max_memory_in_mb = PLANNER_MAX_MEMORY_MB  # past it the stage ends with its best
    params.cp_model_presolve = presolve
    if settings.deterministic:
        params.num_workers = 1
        params.max_deterministic_time = budget
    else:
        coverage = term.name.split("+")[0] in COVERAGE_TERMS
        params.num_workers = min(settings.workers, COVERAGE_WORKERS) if coverage else settings.workers
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
        scale=term.scale,
    )


def stage_values(pm: PlanModel, solver: cp_model.CpSolver | None) -> list[int]:
    assert solver is not None
    return [int(solver.boolean_value(v)) for v in pm.x]


def keep_term(pm: PlanModel, term: Term, stage: StageResult) -> None:
    """Later stages may not make this term worse than this stage left it."""
    if stage.value is None or isinstance(term.expr, int):
        return
    pm.model.add(term.expr <= round(stage.value))
