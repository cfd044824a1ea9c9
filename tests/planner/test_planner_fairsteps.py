"""Fairness neighbourhoods: small re-solves that take burden from whoever carried the most (history
included) and give it to whoever carried least, never at a cost in coverage, never against a rule,
never waking anyone, and the same steps from the same seed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from fairness_team import carried, start, team

from rota.history import History
from rota.planner import PlanOptions, plan
from rota.planner.burdenmoves import coverage_key
from rota.planner.candidates import Candidate
from rota.planner.fairsteps import Burden, fair_neighbourhoods
from rota.planner.pins import rules_hold
from rota.planner.search import SearchSettings
from rota.scenario import Scenario

SETTINGS = SearchSettings(time_limit=0.0, workers=1, seed=3, deterministic=True)


def burden_of(s: Scenario, cands: list[Candidate], chosen: set[int], history: History | None,
              who: str) -> float:
    burden = Burden(s, cands, chosen, history)
    eng = [e.id for e in s.engineers].index(who)
    return sum(burden.of(chosen)[eng])


@pytest.mark.parametrize("settings", [SETTINGS, dataclasses.replace(SETTINGS, deterministic=False)],
                         ids=["deterministic", "seconds"])
def test_burden_leaves_who_carried_most_and_coverage_and_rules_hold(settings: SearchSettings) -> None:
    s = team()
    t, cands, chosen = start(s)
    history = carried(s, "ana", 20)
    got = fair_neighbourhoods(s, t, cands, chosen, history, budget=4.0, settings=settings)
    assert got.steps > 0 and got.improved > 0
    burden = Burden(s, cands, chosen, history)
    assert burden.cost(burden.of(got.chosen)) < burden.cost(burden.of(chosen))
    assert burden_of(s, cands, got.chosen, history, "ana") < burden_of(s, cands, chosen, history, "ana")
    # coverage slot by slot as the core counts it: never worse, in the core's order
    assert coverage_key(t, cands, sorted(got.chosen)) <= coverage_key(t, cands, sorted(chosen))
    assert rules_hold(s, t, [cands[i] for i in got.chosen])
    # nobody is woken for fairness
    assert sum(cands[i].asleep_min for i in got.chosen) <= sum(cands[i].asleep_min for i in chosen)


def test_the_same_seed_gives_the_same_rota_and_no_budget_changes_nothing() -> None:
    s = team()
    t, cands, chosen = start(s)
    history = carried(s, "ana", 20)
    runs = [fair_neighbourhoods(s, t, cands, chosen, history, 2.0, SETTINGS) for _ in range(2)]
    assert runs[0].chosen == runs[1].chosen and runs[0].steps == runs[1].steps
    assert fair_neighbourhoods(s, t, cands, chosen, history, 0.0, SETTINGS).chosen == chosen


def hours(result: Any, who: str) -> float:
    return sum((s.end - s.start).total_seconds() for s in result.rota.shifts
               if s.engineer == who) / 3600


def test_a_plan_given_history_runs_them_and_gives_the_one_who_carried_most_less() -> None:
    s = team()
    history = carried(s, "ana", 20)
    options = PlanOptions(time_limit_seconds=14, deterministic=True)
    alone = plan(s, options)
    given = plan(s, PlanOptions(time_limit_seconds=14, deterministic=True, history=history))
    assert "fairness_neighbourhoods" not in alone.report
    assert given.report["fairness_neighbourhoods"]["steps"] > 0
    assert hours(given, "ana") < hours(alone, "ana")
    peak = "p0_peak_uncovered_minutes"
    assert given.report["coverage"][peak] <= alone.report["coverage"][peak]


def test_below_ten_seconds_coverage_takes_all_the_time() -> None:
    s = team()
    short = plan(s, PlanOptions(time_limit_seconds=3, deterministic=True, history=carried(s, "ana", 20)))
    assert "fairness_neighbourhoods" not in short.report
