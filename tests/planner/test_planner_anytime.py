"""Anytime planning: a real rota at any limit, never worse than the constructive start, and a
status that says what was achieved (rota file, report, CLI headline)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from plan_checker import make_scenario, violations

import rota.planner as planner
from rota.cli.planning import _headline
from rota.planner import PlanOptions, plan
from rota.planner.budget import FIXED_SECONDS_PER_CANDIDATE, Clock
from rota.planner.constructive import constructive_start
from rota.planner.neighbourhoods import LnsResult, OpenDemand, improve_small
from rota.planner.outcome import ACHIEVED, achievement, standing
from rota.planner.repair import repair
from rota.planner.search import SearchResult, StageResult
from rota.team import horizon_range, team_time

# Two regions with evening peaks, five engineers in four zones, leave, a weekly cap: a week.
WEEK_TEAM: dict[str, Any] = {
    "horizon": {"start": "2026-12-07", "days": 7},
    "regions": [
        {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "18:00", "end": "23:00"}],
         "peak": {"severity": "P0", "responders": 2}, "off_peak": {"severity": "P2", "responders": 1}},
        {"id": "in", "timezone": "Asia/Kolkata", "peak_windows": [{"start": "19:00", "end": "23:30"}],
         "peak": {"severity": "P0", "responders": 1}, "off_peak": {"severity": "P3", "responders": 1}},
    ],
    "engineers": [
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu", "in"], "holiday_country": "DE"},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu", "in"], "holiday_country": "IN"},
        {"id": "bob", "timezone": "America/New_York", "regions": ["eu"],
         "unavailable": [{"start": "2026-12-09", "end": "2026-12-11"}]},
        {"id": "kim", "timezone": "America/New_York", "regions": ["eu", "in"], "max_hours_per_week": 20},
        {"id": "sam", "timezone": "Asia/Kathmandu", "regions": ["in", "eu"]},
    ],
}


@pytest.fixture(scope="module")
def week() -> Any:
    return make_scenario(**WEEK_TEAM)


def test_the_constructive_start_keeps_every_rule_and_covers_peaks_first(week: Any) -> None:
    team = team_time(week, *horizon_range(week))
    cands = planner.gather_candidates(week, team, [], [], None)
    chosen = constructive_start(week, team, cands)
    rota = planner.to_rota(week, cands, SearchResult("FEASIBLE", chosen), None)
    assert chosen and violations(week, rota) == []
    empty = standing(team, planner.to_rota(week, cands, SearchResult("FEASIBLE", []), None))
    got = standing(team, rota)
    assert got.p0_peak_uncovered_minutes < empty.p0_peak_uncovered_minutes / 2
    assert got.uncovered_minutes < empty.uncovered_minutes


def test_a_very_short_limit_still_gives_the_constructive_rota(week: Any) -> None:
    result = plan(week, PlanOptions(time_limit_seconds=0.1, workers=2))
    assert result.status == "FEASIBLE"
    assert len(result.rota.shifts) == result.report["constructive"]["shifts"] > 0
    assert violations(week, result.rota) == []
    assert result.report["achieved"] == "constructive"
    assert result.rota.solver is not None and result.rota.solver.model_dump()["achieved"] == "constructive"


def test_a_plan_stopped_before_it_starts_is_the_constructive_rota(week: Any) -> None:
    stop = threading.Event()
    stop.set()
    result = plan(week, PlanOptions(time_limit_seconds=30.0, workers=2), stop=stop)
    assert result.rota.shifts and result.report["achieved"] == "constructive"
    assert violations(week, result.rota) == []


def test_a_short_limit_keeps_the_rules_and_is_no_worse_than_the_constructive_start(week: Any) -> None:
    result = plan(week, PlanOptions(time_limit_seconds=4.0, workers=2))
    assert violations(week, result.rota) == []
    floor = result.report["constructive"]
    got = (result.report["coverage"]["p0_peak_uncovered_minutes"], result.report["uncovered_minutes"])
    assert got <= (floor["p0_peak_uncovered_minutes"], floor["uncovered_minutes"])
    assert result.report["achieved"] in ACHIEVED
    if result.report["achieved"] == "improved" and result.report["gap_stage"]:
        [stage] = [s for s in result.report["stages"] if s["term"] == result.report["gap_stage"]]
        assert stage["status"] != "OPTIMAL"
        assert result.report["gap"] == pytest.approx((stage["value"] - stage["bound"]) / stage["value"],
                                                     abs=1e-6)


def test_a_search_worse_than_the_constructive_start_is_not_returned(
    week: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the search returns, the rota is never worse than the constructive one."""
    def empty_search(*_args: Any, **_kwargs: Any) -> SearchResult:
        stage = StageResult("peak_uncovered", "FEASIBLE", 1e6, 0.0, 0.1, "weighted minutes")
        return SearchResult("FEASIBLE", [], [stage])

    monkeypatch.setattr(planner, "solve_staged", empty_search)
    monkeypatch.setattr(planner, "prove_peak", lambda *_a, **_k: None)
    monkeypatch.setattr(planner, "improve_small", lambda _s, _t, _c, chosen, *_a, **_k: LnsResult(chosen))
    monkeypatch.setattr(planner, "repair", lambda _s, _t, _c, chosen, *_a, **_k: chosen)
    result = plan(week, PlanOptions(time_limit_seconds=6.0, workers=2, deterministic=True))
    assert result.rota.shifts and violations(week, result.rota) == []
    assert result.report["achieved"] == "constructive"
    assert result.report["uncovered_minutes"] == result.report["constructive"]["uncovered_minutes"]


def test_small_neighbourhoods_keep_the_rules_and_never_make_the_rota_worse(week: Any) -> None:
    team = team_time(week, *horizon_range(week))
    cands = planner.gather_candidates(week, team, [], [], None)

    def rate(chosen: set[int]) -> Any:
        return standing(team, planner.to_rota(week, cands, SearchResult("FEASIBLE", sorted(chosen)), None))

    start = set(constructive_start(week, team, cands))
    settings = planner.search_settings(PlanOptions(deterministic=True, seed=3), len(cands), 0.0)
    result = improve_small(week, team, cands, start, 0.4, settings)
    assert result.steps > 0
    assert rate(result.chosen).key() <= rate(start).key()
    rota = planner.to_rota(week, cands, SearchResult("FEASIBLE", sorted(result.chosen)), None)
    assert violations(week, rota) == []


def test_repair_moves_a_misplaced_shift_to_where_it_covers_more(week: Any) -> None:
    """A rota with one shift placed badly (the same engineer, same day, off the peak): repair moves
    it within that day to where it covers more, and keeps every rule."""
    team = team_time(week, *horizon_range(week))
    cands = planner.gather_candidates(week, team, [], [], None)

    def rate(chosen: list[int]) -> Any:
        return standing(team, planner.to_rota(week, cands, SearchResult("FEASIBLE", sorted(chosen)), None))

    start = constructive_start(week, team, cands)
    # Replace each shift by the one of its engineer and day that covers least: a poor rota.
    worst = []
    for i in start:
        same = [j for j, c in enumerate(cands) if (c.eng, c.day) == (cands[i].eng, cands[i].day)]
        worst.append(max(same, key=lambda j: rate([*[k for k in start if k != i], j]).key()))
    fixed = repair(week, team, cands, worst)
    assert rate(fixed).key() < rate(worst).key()
    assert len(fixed) == len(worst)
    assert {(cands[i].eng, cands[i].day) for i in fixed} == {(cands[i].eng, cands[i].day) for i in worst}
    assert violations(week, planner.to_rota(week, cands, SearchResult("FEASIBLE", fixed), None)) == []
    assert rate(repair(week, team, cands, start)).key() <= rate(start).key()


def test_with_deterministic_the_same_limit_gives_the_same_rota_and_more_steps_only_add(week: Any) -> None:
    """A longer deterministic budget runs the same steps first: its rota is never worse."""
    team = team_time(week, *horizon_range(week))
    cands = planner.gather_candidates(week, team, [], [], None)
    start = set(constructive_start(week, team, cands))
    settings = planner.search_settings(PlanOptions(deterministic=True, seed=3), len(cands), 0.0)
    runs = [improve_small(week, team, cands, start, budget, settings) for budget in (0.3, 0.3, 0.6)]
    assert runs[0].chosen == runs[1].chosen and runs[0].steps == runs[1].steps
    assert runs[0].work == runs[1].work and 0 < runs[0].work <= 0.3  # builds charged, within budget
    assert runs[2].steps > runs[0].steps

    def rate(chosen: set[int]) -> Any:
        return standing(team, planner.to_rota(week, cands, SearchResult("FEASIBLE", sorted(chosen)), None))

    assert rate(runs[2].chosen).key() <= rate(runs[0].chosen).key() <= rate(start).key()


def test_with_deterministic_more_time_is_never_worse(week: Any) -> None:
    short, longer = (plan(week, PlanOptions(time_limit_seconds=limit, deterministic=True, seed=5))
                     for limit in (0.4, 0.8))

    def key(result: Any) -> tuple[int, int]:
        return (result.report["coverage"]["p0_peak_uncovered_minutes"],
                result.report["uncovered_minutes"])

    assert key(longer) <= key(short)
    assert violations(week, longer.rota) == []


def test_a_deterministic_limit_never_gives_the_neighbourhoods_less_work_nor_charges_past_it() -> None:
    """The example team's size: the work charged grows with the limit and stays within it."""
    before = 0.0
    for tenth in range(10, 1200, 5):
        clock = Clock(tenth / 10, deterministic=True, candidates=51_517)
        work = clock.neighbourhood_work()
        assert work >= before
        before = work
        comfort = clock.comfort_work()
        setup = clock.comfort_setup() if comfort else 0.0
        charged = FIXED_SECONDS_PER_CANDIDATE * clock.candidates + work + setup + comfort
        assert charged <= max(clock.limit, FIXED_SECONDS_PER_CANDIDATE * clock.candidates) + 1e-9
        assert clock.room_for_search() == (comfort > 0)
    assert Clock(60.0, True, candidates=51_517).comfort_work() > 0  # a long limit runs them


def test_the_proof_leaves_the_neighbourhoods_what_the_longest_limit_without_it_gives_them() -> None:
    """On big models the proof runs only when, after it, the neighbourhoods still get what they get
    at the longest limit where the proof does not fit."""
    for elapsed in range(2, 58):
        clock = Clock(60.0, deterministic=False, started=time.monotonic() - elapsed, gather_seconds=0.8)
        keep = clock.proof_threshold()
        if not clock.room_for_proof(keep):
            continue
        search = clock.proof_seconds(0.3, keep)
        after = clock.left() - 6.4 * clock.gather_seconds - search  # PROOF_PER_GATHER: its build
        assert after >= keep - 0.01
    late = Clock(60.0, deterministic=False, started=time.monotonic() - 38.0, gather_seconds=0.8)
    assert late.room_for_proof() and not late.room_for_proof(late.proof_threshold())


def test_the_neighbourhoods_rate_rotas_as_the_core_does(week: Any) -> None:
    """One yardstick: a step is kept by the same (P0 peak, all uncovered minutes) the final choice
    and the report use, whatever the search's weights."""
    team = team_time(week, *horizon_range(week))
    cands = planner.gather_candidates(week, team, [], [], None)
    demand = OpenDemand.of(week, team, cands)
    start = constructive_start(week, team, cands)
    for chosen in (start, start[::2], start[1::3], []):
        rota = planner.to_rota(week, cands, SearchResult("FEASIBLE", sorted(chosen)), None)
        assert demand.standing(set(chosen)) == standing(team, rota).key()


def test_no_peak_proof_when_the_start_leaves_no_p0_peak_a_rota_could_cover() -> None:
    """Two evenings, one engineer: the constructive start covers both peaks, so the proof (which
    only improves P0 peak) is not run; the model's peak stage still proves the optimum."""
    scenario = make_scenario(
        horizon={"start": "2026-12-07", "days": 2},
        regions=[{"id": "eu", "timezone": "Europe/Berlin",
                  "peak_windows": [{"start": "19:00", "end": "23:00"}],
                  "peak": {"severity": "P0", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}],
    )
    result = plan(scenario, PlanOptions(time_limit_seconds=20.0, workers=2))
    assert result.report["constructive"]["p0_peak_uncovered_minutes"] == 0
    assert "peak_proof" not in result.report["phases"] and result.report["model"]["peak_grid"] == "model"
    assert result.report["stages"][0]["term"] == "peak_uncovered"
    assert result.report["stages"][0]["status"] == "OPTIMAL"


def test_a_plan_proved_optimal_says_so_everywhere() -> None:
    scenario = make_scenario(
        horizon={"start": "2026-12-07", "days": 2},
        regions=[{"id": "eu", "timezone": "Europe/Berlin",
                  "peak_windows": [{"start": "19:00", "end": "23:00"}],
                  "peak": {"severity": "P0", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}],
    )
    result = plan(scenario, PlanOptions(time_limit_seconds=20.0, workers=2))
    assert result.status == "OPTIMAL"
    assert result.report["achieved"] == "proved_optimal" and result.report["gap"] == 0.0
    solver = result.rota.solver.model_dump() if result.rota.solver else {}
    assert solver["achieved"] == "proved_optimal"
    assert "proved optimal" in _headline(result.report, Path("r.json"))


def test_the_headline_gap_is_the_one_of_the_stage_it_names() -> None:
    """A re-plan stage FEASIBLE at value 30, bound 23 is a 23.33% gap, not 0.00%."""
    stage = StageResult("uncovered+changes", "FEASIBLE", 30.0, 23.0, 4.0, "minutes", scale=1000)
    search = SearchResult("FEASIBLE", [0], [stage])
    result = achievement(search, "search")
    assert result == {"achieved": "improved", "gap_stage": "uncovered+changes", "gap": 0.233333}
    report = {"model": {"shifts": 12}, "seconds": 4.2, "stages": [stage.to_json()], **result}
    line = _headline(report, Path("r.json"))
    assert "not proved optimal" in line and "uncovered+changes FEASIBLE" in line
    assert "value 30, bound 23, gap 23.33%" in line


def test_a_constructive_plan_does_not_claim_a_solver_result() -> None:
    stage = StageResult("peak_uncovered", "UNKNOWN", None, None, 1.0, "minutes")
    result = achievement(SearchResult("FEASIBLE", [1], [stage]), "constructive")
    assert result["achieved"] == "constructive" and result["gap"] is None
    line = _headline({"model": {"shifts": 3}, "seconds": 2.0, "stages": [], **result}, Path("r.json"))
    assert "constructive start only" in line
