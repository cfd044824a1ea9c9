"""The fairness stage: one search over the whole horizon that lowers the spread of unsocial burden
(nights, weekends, public holidays, history included) with coverage held in the core's order, no
rule broken, nobody woken, the same rota from the same seed, and only when its budget pays."""

from __future__ import annotations

import dataclasses

from fairness_team import carried, start, team
from ortools.sat.python import cp_model

from domain import at, scenario
from rota.burden import burdens
from rota.history import History
from rota.oncall import rota_on_call
from rota.planner import PlanOptions, plan
from rota.planner.budget import FAIR_SHARE, Clock
from rota.planner.build import PlanModel
from rota.planner.burdenmoves import coverage_key
from rota.planner.candidates import Candidate
from rota.planner.fairstage import (
    STAGE_FROM_SECONDS,
    Spread,
    StageResult,
    fairness_stage,
    hold_minutes,
    pays,
)
from rota.planner.grid import add_coverage
from rota.planner.neighbourhoods import OpenDemand
from rota.planner.pins import rules_hold
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.spans import to_ts
from rota.team import TeamTime, horizon_range, team_time

SETTINGS = SearchSettings(time_limit=0.0, workers=1, seed=3, deterministic=True)
BUDGET = STAGE_FROM_SECONDS


def unsocial(s: Scenario, cands: list[Candidate], chosen: set[int], who: str) -> int:
    """`who`'s night, weekend and holiday minutes planned in `chosen`, counted here."""
    eng = [e.id for e in s.engineers].index(who)
    return sum(cands[i].night_min + cands[i].weekend_min + cands[i].holiday_min
               for i in chosen if cands[i].eng == eng)


def check_fairer_and_nothing_else_worse(s: Scenario, t: TeamTime, cands: list[Candidate],
                                        chosen: set[int], history: History, got: StageResult) -> None:
    assert got.ran and got.status in ("OPTIMAL", "FEASIBLE")
    spread = Spread(s, cands, history)
    assert spread.of(got.chosen) < spread.of(chosen)
    assert got.spread_after < got.spread_before
    # the one who carried most in gets no more of the unsocial time; the least burdened get more
    assert unsocial(s, cands, got.chosen, "ana") <= unsocial(s, cands, chosen, "ana")
    assert min(spread.loads(got.chosen)) > min(spread.loads(chosen))
    # coverage slot by slot as the core counts it: never worse, in the core's order
    assert coverage_key(t, cands, sorted(got.chosen)) <= coverage_key(t, cands, sorted(chosen))
    assert rules_hold(s, t, [cands[i] for i in got.chosen])
    # nobody is woken for fairness
    assert sum(cands[i].asleep_min for i in got.chosen) <= sum(cands[i].asleep_min for i in chosen)


def test_deterministic_the_spread_falls_with_nothing_worse_and_the_same_seed_repeats_it() -> None:
    s = team()
    t, cands, chosen = start(s)
    history = carried(s, "ana", 20)
    runs = [fairness_stage(s, t, cands, chosen, history, BUDGET, SETTINGS) for _ in range(2)]
    check_fairer_and_nothing_else_worse(s, t, cands, chosen, history, runs[0])
    assert runs[0].chosen == runs[1].chosen and runs[0].work == runs[1].work


def test_in_seconds_the_spread_falls_with_nothing_worse() -> None:
    s = team()
    t, cands, chosen = start(s)
    history = carried(s, "ana", 20)
    got = fairness_stage(s, t, cands, chosen, history, BUDGET,
                         dataclasses.replace(SETTINGS, deterministic=False))
    check_fairer_and_nothing_else_worse(s, t, cands, chosen, history, got)


def test_below_its_threshold_it_does_not_run_and_changes_nothing() -> None:
    s = team()
    t, cands, chosen = start(s)
    history = carried(s, "ana", 20)
    assert not pays(BUDGET - 1, len(cands), deterministic=True)
    got = fairness_stage(s, t, cands, chosen, history, BUDGET - 1, SETTINGS)
    assert not got.ran and got.chosen == chosen and got.status == "not run"


def test_with_nobody_carrying_unsocial_time_there_is_nothing_to_move() -> None:
    quiet = scenario(horizon={"start": "2026-12-07", "days": 5}, regions=[{
        "id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "10:00", "end": "12:00"}],
        "peak": {"severity": "P0", "responders": 1}}], engineers=[
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "bo", "timezone": "Europe/Berlin", "regions": ["eu"]}])
    t, cands, chosen = start(quiet)
    spread = Spread(quiet, cands, None)
    got = fairness_stage(quiet, t, cands, chosen, None, BUDGET, SETTINGS)
    assert spread.of(chosen) == 0 and got.chosen == chosen and got.spread_after == got.spread_before


def test_a_long_plan_given_history_runs_it_and_reports_it() -> None:
    s = team()
    # 65 s: the fairness share (0.3 of the first 60 s, 0.6 beyond) just pays for the stage
    given = plan(s, PlanOptions(time_limit_seconds=65, deterministic=True,
                                history=carried(s, "ana", 20)))
    stage = given.report["fairness_stage"]
    assert stage["ran"] and stage["work"] >= STAGE_FROM_SECONDS * 0.9
    spread = stage["unsocial_spread_hours_per_40h"]
    assert spread["after"] < spread["before"]
    # the steps after the stage (neighbourhoods, burden moves, swaps) keep what it reached
    history = carried(s, "ana", 20)
    lo, hi = horizon_range(s)
    planned = {b.engineer: b for b in burdens(team_time(s, lo, hi), rota_on_call(given.rota, lo, hi))}
    per_40h = [(sum(history.seconds(e.id, kind) for kind in ("night", "weekend", "public_holiday"))
                + planned[e.id].night_seconds + planned[e.id].weekend_seconds
                + planned[e.id].public_holiday_seconds) / 3600 * 40 / s.weekly_hours_cap(e)
               for e in s.engineers]
    assert max(per_40h) - min(per_40h) <= spread["after"] + 0.05


def test_a_longer_limit_never_gives_coverage_nor_fairness_less() -> None:
    """Of the work: the fairness share (0.3 of the first 60 s, 0.6 beyond) and what the steps
    before it keep both grow with the limit, the example team's size."""
    core = fair = 0.0
    for tenth in range(50, 6000, 5):
        clock = Clock(tenth / 10, deterministic=True, candidates=54_270, fair_share=FAIR_SHARE)
        assert clock.work() >= core and clock.fairness_budget(after=0.0) >= fair
        core, fair = clock.work(), clock.fairness_budget(after=0.0)
    assert pays(fair, 54_270, deterministic=True)


def test_the_model_holds_uncovered_minutes_as_the_gap_analysis_counts_them() -> None:
    """The rules and an objective that wants the most minutes open: with `hold_minutes` the rota
    found leaves no more minutes open, P0 peak and all, by the core's own count; without it the
    same search leaves more."""
    s = scenario(horizon={"start": "2026-12-07", "days": 4}, regions=[{
        "id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
        "peak": {"severity": "P0", "responders": 2}, "off_peak": {"severity": "P2", "responders": 1}}],
        engineers=[{"id": e, "timezone": "Europe/Berlin", "regions": ["eu"]}
                   for e in ("ana", "bo", "cy")])
    t, cands, chosen = start(s)
    evening = to_ts(at("2026-12-08T20:00Z"))  # a P0 peak left short to start from
    chosen -= {i for i in chosen if cands[i].start <= evening < cands[i].end}
    demand = OpenDemand.of(s, t, cands)
    before = demand.standing(chosen)
    assert before[1] > 0
    held = adversary(s, t, cands, chosen, core_count=True)
    assert held[0] <= before[0] and held[1] <= before[1]
    free = adversary(s, t, cands, chosen, core_count=False)
    assert free[1] > before[1]


def adversary(s: Scenario, t: TeamTime, cands: list[Candidate], chosen: set[int],
              core_count: bool) -> tuple[int, int]:
    """The core's (P0 peak, all) open minutes of the rota with the most minutes short of a
    responder that keeps the rules, and with `core_count` the open minutes of `chosen`
    (`hold_minutes`)."""
    pm = PlanModel(s, t, cands)
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm)
    full = pm.complete_hint([int(i in chosen) for i in range(len(cands))])
    flags = hold_minutes(pm, t, full) if core_count else []
    open_minutes = []
    for _, begin, end, _, short, _ in pm.rows:
        short_of_any = pm.model.new_bool_var("")
        pm.model.add(short_of_any <= short)
        open_minutes.append((end - begin) // 60 * short_of_any)
    pm.model.maximize(sum(open_minutes))
    hint = [*full, *[0] * (len(pm.model.proto.variables) - len(full))]
    for index, value in flags:
        hint[index] = value
    pm.model.proto.solution_hint.vars.extend(range(len(hint)))
    pm.model.proto.solution_hint.values.extend(hint)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return OpenDemand.of(s, t, cands).standing({i for i, x in enumerate(pm.x) if solver.value(x)})
