"""The planner: the one door to CP-SAT. `plan(scenario, options)` returns a rota and its report.

Nothing of OR-Tools leaves this package. The model is candidate shifts (`candidates.py`), the hard
rules (`rules.py`), coverage rows on an aggregated grid (`grid.py`) and named objective terms
(`objective.py`) minimised in lexicographic order by staged solves (`search.py`); the report
(`summary.py`, `explain.py`) re-checks the result with the core's own gap analysis. A fresh plan
whose start leaves P0 peak demand open that a rota could cover first solves the peak stage alone
over every shift the rules allow (`peakproof.py`), so the peak optimum it keeps is proved over the
full start and length grid, not only the model's thinned one (`improved_start`). A fresh plan
ends with the fairness steps (`balance.py`): given history, the fairness stage (`fairstage.py`,
one search over the whole horizon) and fairness neighbourhoods (`fairsteps.py`) in a share of its
limit, then burden moves and fairness swaps (`fairswap.py`); coverage never gets worse in any.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from rota.history import History
from rota.limits import PLANNER_CANDIDATE_WORKERS
from rota.planner.balance import balance
from rota.planner.budget import BIG_MODEL_CANDIDATES, FAIR_FROM_SECONDS, FAIR_SHARE, Clock
from rota.planner.build import PlanModel, Term, carried_minutes
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy, constructive_start
from rota.planner.fairbound import Bound, spread_bounds
from rota.planner.gathering import check_limits, forced_candidates, gather_candidates, with_extra
from rota.planner.grid import add_coverage
from rota.planner.neighbourhoods import LnsResult, improve_small
from rota.planner.objective import STAGES, changes, lexicographic, uncovered
from rota.planner.outcome import (
    Standing,
    achievement,
    against_current,
    open_p0_peak_minutes,
    standing,
)
from rota.planner.peakproof import PeakProof, prove_peak
from rota.planner.pins import rules_hold
from rota.planner.progress import Progress
from rota.planner.repair import repair
from rota.planner.rules import HARD_RULES
from rota.planner.search import (
    STAGE_SHARES,
    SearchResult,
    SearchSettings,
    keep_term,
    solve_staged,
)
from rota.planner.summary import EXPLAINED_GAPS, EXPLAINED_GAPS_SHORT, build_report, to_rota
from rota.planner.warmstart import wants_warm_start, warm_start
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import to_ts
from rota.team import TeamTime, horizon_range, team_time

__all__ = ["Bound", "PlanOptions", "PlanResult", "Progress", "plan", "spread_bounds"]

# Re-planning spends most of its time on coverage and minimal change (one stage, see objective.py);
# the comfort terms may then only rearrange within that many changes.
REPLAN_SHARES = (0.8,)
PEAK_SHARE = STAGE_SHARES[0]  # of the time limit, for the peak stage's proof over the full grid
WARM_START_SHARE = 0.4  # of the time limit, for the window-by-window first rota on big models
EXPLAIN_MARGIN = 0.0  # seconds before the limit at which the report stops explaining gaps


@dataclass(frozen=True)
class PlanOptions:
    time_limit_seconds: float = 60.0
    workers: int = 8
    seed: int = 0
    previous: Rota | None = None  # re-plan with minimal change against this rota
    now: dt.datetime | None = None  # shifts of `previous` that start before now never change
    deterministic: bool = False  # one worker, fixed seed, deterministic time limit
    history: History | None = None  # burden carried in from earlier rotas (`rota.history`)


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
    """The best rota within the time limit; `stop` ends the search early with the best so far.

    The time limit covers building the model, the search and the report (`budget.py`). The rota
    returned keeps every hard rule and is never worse than the constructive start (P0 peak
    uncovered, then all-demand uncovered, by the core's own gap analysis), whatever the limit.
    """
    clock = Clock(options.time_limit_seconds, options.deterministic)
    if options.previous is None and options.history is not None and options.history.carries \
            and options.time_limit_seconds >= FAIR_FROM_SECONDS:
        clock.fair_share = FAIR_SHARE  # for the fairness stage and neighbourhoods
    check_limits(scenario)
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    now = to_ts(options.now) if options.now is not None else None
    forced, keep = forced_candidates(scenario, team, options.previous, now)
    clock.mark("team")
    began = time.monotonic()
    cands = gather_candidates(scenario, team, forced, keep, now)
    clock.gather_seconds, clock.candidates = time.monotonic() - began, len(cands)
    clock.mark("candidates")
    began = time.monotonic()
    base = Greedy(scenario, team, cands)  # its demand and masks serve every greedy step below
    floor = [cands[i] for i in constructive_start(scenario, team, cands, previous_positions(cands),
                                                  base)]
    floor_seconds = time.monotonic() - began
    clock.mark("constructive")
    proof = search = pm = None
    start, steps = floor, None
    if not (stop is not None and stop.is_set()):
        start = repaired(scenario, team, cands, floor, options, clock, base)
        start, steps, proof, cands, base = improved_start(scenario, team, forced, now, cands, start,
                                                          options, clock, on_progress, stop, base)
        if clock.room_for_search(held=steps is not None) and not (stop is not None and stop.is_set()):
            pm = build_model(scenario, team, cands, carried_minutes(scenario, options.history))
            clock.mark("model")
            search = run_search(pm, options, clock, proof, start, on_progress, stop,
                                hold=steps is not None)
            clock.mark("search")
    result = finish(scenario, team, cands, pm, search, proof, floor, floor_seconds, clock, options,
                    (start, steps), stop)
    result.report["stopped"] = result.report["stopped"] or bool(stop is not None and stop.is_set())
    return result


def repaired(scenario: Scenario, team: TeamTime, cands: list[Candidate], shifts: list[Candidate],
             options: PlanOptions, clock: Clock, like: Greedy | None = None) -> list[Candidate]:
    """`shifts` with single shifts moved where they cover more (`repair.py`), in the time left
    (whole with `deterministic`); as they are when re-planning (repair weighs no changes)."""
    if options.previous is not None:
        return shifts
    seconds = None if options.deterministic else clock.left()
    if seconds is not None and seconds <= 0:
        return shifts
    chosen = repair(scenario, team, cands, positions(cands, shifts), seconds, like)
    clock.mark("repair")
    return [cands[i] for i in chosen]


def improved_start(
    scenario: Scenario, team: TeamTime, forced: list[Candidate], now: int | None,
    cands: list[Candidate], start: list[Candidate], options: PlanOptions, clock: Clock,
    on_progress: Callable[[Progress], None] | None, stop: threading.Event | None, base: Greedy,
) -> tuple[list[Candidate], LnsResult | None, PeakProof | None, list[Candidate], Greedy]:
    """The peak proof, then local search, from the repaired start: (rota, neighbourhood steps,
    proof, candidates with the proof's shifts, their greedy state).

    The proof runs only when P0 peak demand some rota could cover is still open (none on M: the
    start is at the structural bound), and on big models only when it leaves the neighbourhoods at
    least what they have at the longest limit without it (`Clock.proof_seconds`). There its rota
    replaces the start only when it is better in the core's order (`outcome.Standing`), that is
    when it gains P0 peak: completed greedily around the proof's peak-tight shifts it is a poorer
    start for all demand (measured under load: 60 s plans left more uncovered than 20 s ones,
    which had no proof), so it is dropped otherwise, its time shown in `phases`. The small
    neighbourhoods then run from the start kept.
    """
    steps = proof = None
    big = len(cands) >= BIG_MODEL_CANDIDATES
    keep = clock.proof_threshold() if big else 0.0  # what the neighbourhoods need after it
    if options.previous is None and not options.deterministic and clock.room_for_proof(keep) \
            and open_p0_peak(scenario, team, cands, start) > 0 and not (stop is not None and stop.is_set()):
        proof = run_proof(scenario, team, forced, now, options, clock, start, on_progress, stop, keep)
        clock.mark("peak_proof")
        if proof is not None:
            cands = with_extra(scenario, team, cands, proof.shifts)
            base = Greedy(scenario, team, cands)
            proved = repaired(scenario, team, cands,
                              around(scenario, team, cands, proof.shifts, base), options, clock, base)
            if not big or rated(scenario, team, cands, proved) < rated(scenario, team, cands, start):
                start = proved
            else:  # no P0 peak gained: the start stays, and the proof's stage is not the plan's
                proof = None
            clock.mark("peak_proof")
    if wants_neighbourhoods(options, clock, len(cands)):
        steps = run_neighbourhoods(scenario, team, cands, start, options, clock, on_progress, stop,
                                   base, clock.neighbourhood_seconds())
        start = [cands[i] for i in sorted(steps.chosen)]
        clock.mark("neighbourhoods")
    return start, steps, proof, cands, base


def rated(scenario: Scenario, team: TeamTime, cands: list[Candidate],
          shifts: list[Candidate]) -> tuple[int, int]:
    """The rota's standing in the core's order (P0 peak, then all uncovered minutes)."""
    return standing(team, to_rota(scenario, cands, SearchResult("FEASIBLE", positions(cands, shifts)),
                                  None)).key()


def open_p0_peak(scenario: Scenario, team: TeamTime, cands: list[Candidate],
                 shifts: list[Candidate]) -> int:
    """P0 peak minutes the rota leaves uncovered that some rota could cover (not structural)."""
    rota = to_rota(scenario, cands, SearchResult("FEASIBLE", positions(cands, shifts)), None)
    return open_p0_peak_minutes(team, rota)


def wants_neighbourhoods(options: PlanOptions, clock: Clock, candidates: int) -> bool:
    """Small neighbourhoods for big models, or when the full model has no time; never when
    re-planning (they weigh coverage, not changes). With `deterministic` always: they make more
    time never worse (`neighbourhoods.py`)."""
    if options.previous is not None:
        return False
    if options.deterministic:
        return True
    return candidates >= BIG_MODEL_CANDIDATES or not clock.room_for_search()


def around(scenario: Scenario, team: TeamTime, cands: list[Candidate],
           shifts: list[Candidate], like: Greedy | None = None) -> list[Candidate]:
    """The constructive start completing `shifts` (kept whole) with shifts for what they leave open."""
    chosen = {(c.eng, c.start, c.end) for c in shifts}
    keep = sorted((i for i, c in enumerate(cands) if (c.eng, c.start, c.end) in chosen),
                  key=lambda i: cands[i].start)
    return [cands[i] for i in constructive_start(scenario, team, cands, keep, like)]


def run_neighbourhoods(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], start: list[Candidate],
    options: PlanOptions, clock: Clock, on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None, like: Greedy | None, seconds: float,
) -> LnsResult:
    """Small-neighbourhood improvement of `start` (`neighbourhoods.py`) for `seconds` (work with
    `deterministic`)."""
    keys = {(c.eng, c.start, c.end) for c in start}
    chosen = {i for i, c in enumerate(cands) if (c.eng, c.start, c.end) in keys}
    settings = search_settings(options, len(cands), 0.0)
    return improve_small(scenario, team, cands, chosen, seconds, settings, on_progress, stop, like)


def run_proof(
    scenario: Scenario, team: TeamTime, forced: list[Candidate], now: int | None,
    options: PlanOptions, clock: Clock, floor: list[Candidate],
    on_progress: Callable[[Progress], None] | None, stop: threading.Event | None, keep: float = 0.0,
) -> PeakProof | None:
    """The peak proof over the full grid, started from the constructive rota, leaving `keep`
    seconds after it."""
    settings = search_settings(options, 0, clock.proof_seconds(PEAK_SHARE, keep))
    return prove_peak(scenario, team, forced, now, settings, on_progress, stop, start=floor)


def run_search(
    pm: PlanModel, options: PlanOptions, clock: Clock, proof: PeakProof | None, start: list[Candidate],
    on_progress: Callable[[Progress], None] | None, stop: threading.Event | None, hold: bool = False,
) -> SearchResult:
    settings = search_settings(options, len(pm.cands), clock.search_seconds())
    begin = starting_point(pm, options, proof, settings, start, hold)
    if wants_warm_start(pm) and options.previous is None and not options.deterministic:
        begin = warmed(pm, begin, options, on_progress, stop, seeded=True)
    search = solve_staged(pm, begin.terms, begin.settings, begin.hint, on_progress, stop, begin.valid)
    search.coverage_held = begin.held
    if proof is not None:
        search.stages.insert(0, proof.stage)
        if proof.stage.status != "OPTIMAL" and search.status == "OPTIMAL":
            search.status = "FEASIBLE"
    return search


def finish(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], pm: PlanModel | None,
    search: SearchResult | None, proof: PeakProof | None, floor: list[Candidate], floor_seconds: float,
    clock: Clock, options: PlanOptions, improved: tuple[list[Candidate], LnsResult | None],
    stop: threading.Event | None = None,
) -> PlanResult:
    """The best rota found by the core's gap analysis (P0 peak uncovered, then all uncovered: the
    one yardstick of every choice between rotas, not the search's weighted terms, see README):
    the search's, local search's (repair and small neighbourhoods), or the constructive start;
    on a tie the later step's (it also improved the comfort terms). Then its report, saying which
    it is."""
    def rate(chosen: list[int]) -> Standing:
        return standing(team, to_rota(scenario, cands, SearchResult("FEASIBLE", chosen), options.previous))

    floor_chosen = positions(cands, floor)
    floor_standing = rate(floor_chosen)
    best = (floor_standing.key(), 2, floor_chosen, "constructive")
    start_chosen = positions(cands, improved[0])
    if start_chosen != floor_chosen:
        best = min(best, (rate(start_chosen).key(), 1, start_chosen, "local_search"))
    if search is not None and search.chosen is not None:
        chosen = sorted(search.chosen)
        if chosen not in (floor_chosen, start_chosen) or search.status == "OPTIMAL":
            best = min(best, (rate(chosen).key(), 0, chosen, "search"))
    source = best[3]
    stages = search.stages if search is not None else []
    if source != "search":
        search = SearchResult(status="FEASIBLE", chosen=best[2], stages=stages,
                              stopped=search.stopped if search is not None else False)
    assert search is not None
    balanced = balance(scenario, team, cands, list(search.chosen or []), clock,
                       search_settings(options, len(cands), 0.0), options.history,
                       options.previous is not None, stop)
    cands, search.chosen = balanced.cands, balanced.chosen
    search.seconds = clock.elapsed()
    result = achievement(search, source)
    rota = to_rota(scenario, cands, search, options.previous, result)
    short = not options.deterministic and clock.limit - clock.elapsed() < 2 * clock.report_reserve()
    deadline = None if options.deterministic else clock.started + clock.limit - EXPLAIN_MARGIN
    report = build_report(scenario, team, pm, cands, search, rota, options,
                          EXPLAINED_GAPS_SHORT if short else EXPLAINED_GAPS, deadline)
    report.update(result)
    report["constructive"] = {**floor_standing.to_json(), "seconds": round(floor_seconds, 3)}
    steps = improved[1]
    if steps is not None:
        report["neighbourhoods"] = {"steps": steps.steps, "improved": steps.improved,
                                    "seconds": round(steps.seconds, 3), "work": round(steps.work, 3)}
    if options.previous is not None:
        report["against_current"] = against_current(standing(team, rota), team, options.previous)
    report["model"]["peak_grid"] = "full" if proof is not None else "model"
    report["model"]["peak_candidates"] = proof.candidates if proof is not None else len(cands)
    report.update(balanced.report)
    clock.mark("report")
    report["phases"] = clock.phases
    report["seconds"] = round(clock.elapsed(), 3)
    return PlanResult(search.status, rota, report)


def positions(cands: list[Candidate], shifts: list[Candidate]) -> list[int]:
    keys = {(c.eng, c.start, c.end) for c in shifts}
    return [i for i, c in enumerate(cands) if (c.eng, c.start, c.end) in keys]


def previous_positions(cands: list[Candidate]) -> list[int]:
    """Shifts of the previous rota, earliest first: the constructive start keeps them if it can."""
    return sorted((i for i, c in enumerate(cands) if c.previous), key=lambda i: cands[i].start)


def build_model(scenario: Scenario, team: TeamTime, cands: list[Candidate],
                carried: dict[int, dict[str, int]] | None = None) -> PlanModel:
    pm = PlanModel(scenario, team, cands)
    pm.carried = carried or {}
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm)
    return pm


@dataclass
class Start:
    """What the staged search starts from: its terms, settings and hint."""

    terms: list[Term]
    settings: SearchSettings
    hint: list[int]
    valid: bool  # the hint keeps every hard rule
    held: bool = False  # the coverage terms stay at the hint's values; only comfort stages run


def starting_point(
    pm: PlanModel, options: PlanOptions, proof: PeakProof | None, settings: SearchSettings,
    start: list[Candidate], hold: bool = False,
) -> Start:
    """The terms in order and the hint: the rota the neighbourhoods left (`start`, which keeps
    the rules).

    With a proof the peak stage is done: the model keeps its optimum (the start contains the
    proof's rota, improved only where the peak stays as good). With `hold` (the neighbourhoods
    ran: always with `deterministic`) the coverage terms stay as the neighbourhoods left them and
    only the comfort stages run: on big models the full model's coverage stages find nothing
    better than their hint within tens of seconds on a busy machine, and with `deterministic` a
    longer limit can only run more neighbourhood steps (`neighbourhoods.py`): more time is never
    worse.
    """
    terms = [stage(pm) for stage in STAGES]
    if options.previous is not None:  # peaks keep their weight; one stage trades coverage and change
        terms = [lexicographic(uncovered(pm), changes(pm)), *terms[2:]]
    keys = {(c.eng, c.start, c.end) for c in start}
    hint = [1 if (c.eng, c.start, c.end) in keys else 0 for c in pm.cands]
    valid = rules_hold(pm.scenario, pm.team, [c for c, h in zip(pm.cands, hint, strict=True) if h])
    if hold and options.previous is None and valid:
        full = pm.complete_hint(hint)
        for term in terms[:2]:
            held = term.value_at(full)
            if held is not None and not isinstance(term.expr, int):
                pm.model.add(term.expr <= held)
        return Start(terms[2:], dataclasses.replace(settings, shares=()), hint, valid, held=True)
    if proof is None:
        return Start(terms, settings, hint, valid)
    keep_term(pm, terms[0], proof.stage)
    # The later stages keep their shares of what the proof left. They start from a complete hint,
    # so presolve is skipped as for any later stage: on the example it cost the all-demand stage
    # about 5% (two seeds: 187,200 and 191,940 weighted minutes without, 199,680-202,860 with),
    # and M's all-demand stage is proved optimal in 4.6 s without it, 11 s with it.
    rest = 1.0 - STAGE_SHARES[0]
    settings = dataclasses.replace(settings, shares=tuple(w / rest for w in STAGE_SHARES[1:]),
                                   presolve_first=False)
    return Start(terms[1:], settings, hint, valid)


def warmed(
    pm: PlanModel,
    start: Start,
    options: PlanOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    seeded: bool,
) -> Start:
    """A window-by-window first rota for big models (around the proof's shifts when `seeded`)."""
    settings = start.settings
    began = time.monotonic()
    hint = warm_start(pm, settings.time_limit * WARM_START_SHARE, settings, on_progress, stop,
                      seed=start.hint if seeded else None)
    spent = settings.time_limit * WARM_START_SHARE if options.deterministic \
        else time.monotonic() - began
    settings = dataclasses.replace(settings, time_limit=max(settings.time_limit - spent, 0.1))
    return Start(start.terms, settings, hint, True)


def search_settings(options: PlanOptions, candidates: int, seconds: float) -> SearchSettings:
    """Solver settings for `seconds` of search, workers within the memory guard."""
    left = seconds
    workers = max(1, min(options.workers, PLANNER_CANDIDATE_WORKERS // max(candidates, 1)))
    return SearchSettings(
        time_limit=max(left, 0.1),
        workers=workers,
        seed=options.seed,
        deterministic=options.deterministic,
        presolve_first=options.previous is None,
        shares=STAGE_SHARES if options.previous is None else REPLAN_SHARES,
    )
