"""The planner: the one door to CP-SAT. `plan(scenario, options)` returns a rota and its report.

Nothing of OR-Tools leaves this package. The model is candidate shifts (`candidates.py`), the hard
rules (`rules.py`), coverage rows on an aggregated grid (`grid.py`) and named objective terms
(`objective.py`) minimised in lexicographic order by staged solves (`search.py`); the report
(`summary.py`, `explain.py`) re-checks the result with the core's own gap analysis.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from rota.errors import LimitExceeded
from rota.limits import PLANNER_MAX_CANDIDATES, PLANNER_MAX_ENGINEER_DAYS, PLANNER_MAX_HORIZON_DAYS
from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate, CandidatePolicy, annotate_costs, engineer_candidates
from rota.planner.grid import add_coverage
from rota.planner.objective import STAGES, changes
from rota.planner.pins import check_forced_together, pin_candidates, previous_candidates
from rota.planner.progress import Progress
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchResult, SearchSettings, solve_staged
from rota.planner.summary import build_report, to_rota
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import to_ts
from rota.team import horizon_range, team_time

__all__ = ["PlanOptions", "PlanResult", "Progress", "plan"]

CANDIDATES_PER_ENGINEER_DAY = 60  # a denser start grid is thinned to whole multiples of the step


@dataclass(frozen=True)
class PlanOptions:
    time_limit_seconds: float = 60.0
    workers: int = 8
    seed: int = 0
    previous: Rota | None = None  # re-plan with minimal change against this rota
    now: dt.datetime | None = None  # shifts of `previous` that start before now never change
    deterministic: bool = False  # one worker, fixed seed, deterministic time limit


@dataclass(frozen=True)
class PlanResult:
    status: str  # CP-SAT status name: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    rota: Rota
    report: dict


def plan(
    scenario: Scenario,
    options: PlanOptions = PlanOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> PlanResult:
    """The best rota within the time limit; `stop` ends the search early with the best so far."""
    check_limits(scenario)
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    now = to_ts(options.now) if options.now is not None else None
    cands = gather_candidates(scenario, team, options.previous, now)
    pm = PlanModel(scenario, team, cands)
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm)
    terms = [stage(pm) for stage in STAGES]
    if options.previous is not None:
        terms.append(changes(pm))
    hint = [1 if c.previous or c.forced else 0 for c in cands]
    settings = SearchSettings(options.time_limit_seconds, options.workers, options.seed,
                              options.deterministic)
    search: SearchResult = solve_staged(pm, terms, settings, hint, on_progress, stop)
    rota = to_rota(scenario, cands, search, options.previous)
    report = build_report(scenario, team, pm, search, rota, options)
    return PlanResult(search.status, rota, report)


def check_limits(scenario: Scenario) -> None:
    days = scenario.horizon.days
    if days > PLANNER_MAX_HORIZON_DAYS:
        raise LimitExceeded(
            f"the planner plans at most {PLANNER_MAX_HORIZON_DAYS} days at once; the horizon has "
            f"{days} (plan it in parts)")
    engineer_days = days * len(scenario.engineers)
    if engineer_days > PLANNER_MAX_ENGINEER_DAYS:
        raise LimitExceeded(
            f"the planner takes at most {PLANNER_MAX_ENGINEER_DAYS} engineer-days; this scenario "
            f"has {len(scenario.engineers)} engineers x {days} days = {engineer_days}")


def gather_candidates(
    scenario: Scenario, team: object, previous: Rota | None, now: int | None
) -> list[Candidate]:
    """Generated candidates, pins, frozen and keepable previous shifts, without duplicates."""
    from rota.team import TeamTime

    assert isinstance(team, TeamTime)
    pins = pin_candidates(scenario, team)
    frozen, keep = previous_candidates(scenario, team, previous, now)
    check_forced_together(scenario, team, pins + frozen)
    policy = candidate_policy(scenario)
    forced = [c for _, c in pins + frozen]
    blocked = _forced_windows(forced)
    out: dict[tuple[int, int, int], Candidate] = {}
    for c in forced:
        out[(c.eng, c.start, c.end)] = c
    for c in keep:
        out.setdefault((c.eng, c.start, c.end), c)
    for eng in range(len(scenario.engineers)):
        for c in engineer_candidates(scenario, team, eng, policy):
            if _clashes_with_frozen(c, blocked, now):
                continue
            key = (c.eng, c.start, c.end)
            if key in out:
                continue
            out[key] = c
    cands = sorted(out.values(), key=lambda c: (c.eng, c.start, c.end))
    if len(cands) > PLANNER_MAX_CANDIDATES:
        raise LimitExceeded(
            f"{len(cands)} candidate shifts; the planner's limit is {PLANNER_MAX_CANDIDATES}")
    for eng, engineer in enumerate(scenario.engineers):
        annotate_costs(team, engineer, [c for c in cands if c.eng == eng])
    return cands


def candidate_policy(scenario: Scenario) -> CandidatePolicy:
    """Thin the start grid so each engineer-day offers at most about 60 candidates."""
    from rota.planner.candidates import shift_lengths

    lengths = len(shift_lengths(scenario))
    step = scenario.rules.shift_start_step_minutes
    stride = 1
    while (24 * 60 // (step * stride)) * lengths > CANDIDATES_PER_ENGINEER_DAY:
        stride += 1
    return CandidatePolicy(stride_steps=stride)


def _forced_windows(forced: list[Candidate]) -> dict[int, list[Candidate]]:
    out: dict[int, list[Candidate]] = {}
    for c in forced:
        if c.forced == "frozen":
            out.setdefault(c.eng, []).append(c)
    return out


def _clashes_with_frozen(c: Candidate, frozen: dict[int, list[Candidate]], now: int | None) -> bool:
    """Before `now` nothing changes: no new shift starts in the past."""
    return now is not None and c.start < now
