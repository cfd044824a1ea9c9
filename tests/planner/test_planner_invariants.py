"""Invariants of any plan, checked independently: rules, coverage as claimed, bound, determinism."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from plan_checker import make_scenario, violations

from rota.errors import LimitExceeded
from rota.planner import PlanOptions, Progress, plan
from rota.report import gap_report
from rota.scenario import Hiring

MIXED = {
    "horizon": {"start": "2026-03-06", "days": 4},  # US spring-forward on Sunday 8 March
    "regions": [
        {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "18:00", "end": "23:00"}],
         "peak": {"severity": "P0", "responders": 2}, "off_peak": {"severity": "P2", "responders": 1},
         "users_at_peak": 1000, "revenue_per_user_hour": 1.0, "currency": "EUR"},
        {"id": "in", "timezone": "Asia/Kolkata", "peak_windows": [{"start": "19:00", "end": "23:30"}],
         "peak": {"severity": "P0", "responders": 1}},
        {"id": "us", "timezone": "America/New_York",
         "peak_windows": [{"days": ["sat", "sun"], "start": "12:00", "end": "24:00"}],
         "peak": {"severity": "P1", "responders": 1}},
    ],
    "engineers": [
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu", "in"], "holiday_country": "DE"},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu", "in"], "holiday_country": "IN"},
        {"id": "bob", "timezone": "America/New_York", "regions": ["eu", "us"],
         "unavailable": [{"start": "2026-03-07", "end": "2026-03-08"}]},
        {"id": "kim", "timezone": "America/New_York", "regions": ["us"], "max_hours_per_week": 20},
        {"id": "sam", "timezone": "Asia/Kathmandu", "regions": ["in", "eu"]},
    ],
}


@pytest.fixture(scope="module")
def mixed() -> Any:
    scenario = make_scenario(**MIXED)
    return scenario, plan(scenario, PlanOptions(time_limit_seconds=4.0, workers=2))


def test_every_shift_is_within_the_rules(mixed: Any) -> None:
    scenario, result = mixed
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert result.rota.shifts
    assert violations(scenario, result.rota) == []


def test_coverage_in_the_report_is_what_the_gap_report_finds(mixed: Any) -> None:
    scenario, result = mixed
    core = gap_report(scenario, result.rota)
    report = result.report
    assert report["uncovered_minutes"] == sum(g.seconds for g in core.gaps) // 60
    structural = sum(r.structural_gap_seconds for r in core.regions) // 60
    assert report["structural_minutes"] == structural
    assert report["uncovered_minutes"] >= report["structural_minutes"]
    assert [r["region"] for r in report["coverage"]["regions"]] == ["eu", "in", "us"]


def test_rota_records_the_solver(mixed: Any) -> None:
    _, result = mixed
    solver = result.rota.solver
    assert solver is not None and solver.status == result.status
    assert solver.model_dump()["achieved"] == result.report["achieved"]
    if result.report["achieved"] != "constructive" and result.report["stages"]:
        assert solver.objective is not None and solver.bound is not None
        assert solver.bound <= solver.objective + 1e-6


def test_every_non_structural_gap_names_its_binding_rules() -> None:
    # Deterministic: no wall-clock deadline cuts the explanations short (under load a timed plan
    # explains the largest gaps first and stops at its limit, by design).
    scenario = make_scenario(**MIXED)
    result = plan(scenario, PlanOptions(time_limit_seconds=2.0, workers=2, deterministic=True, seed=3))
    assert any(not gap["structural"] for gap in result.report["gaps"])
    for gap in result.report["gaps"]:
        if not gap["structural"]:
            assert gap["binding_rules"], gap


def test_report_has_burden_and_fairness_for_everyone(mixed: Any) -> None:
    scenario, result = mixed
    assert [b["engineer"] for b in result.report["burden"]] == [e.id for e in scenario.engineers]
    assert result.report["fairness"]["off_hours_hours_per_40h"]["spread"] >= 0


def test_structural_gaps_get_a_hire_suggestion() -> None:
    scenario = make_scenario(engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["us"]}],
                             regions=[{"id": "us", "timezone": "America/Los_Angeles",
                                       "peak_windows": [{"start": "16:00", "end": "20:00"}]}])
    result = plan(scenario, PlanOptions(time_limit_seconds=2.0, workers=2))
    assert result.report["structural_minutes"] == 3 * 4 * 60
    assert result.report["uncovered_minutes"] == result.report["structural_minutes"]
    assert result.report["hire_suggestions"] == []  # another Berlin engineer would be asleep
    hiring = {"candidates": [{"timezone": "Europe/Berlin"}, {"timezone": "America/Chicago"}]}
    result = plan(scenario.model_copy(update={"hiring": Hiring.model_validate(hiring)}),
                  PlanOptions(time_limit_seconds=2.0, workers=2))
    hires = result.report["hire_suggestions"]
    assert [(h["timezone"], h["regions"], h["closes_minutes"]) for h in hires] == [
        ("America/Chicago", {"us": 720}, 720)]


def test_a_deterministic_run_repeats_exactly() -> None:
    scenario = make_scenario(**MIXED)
    options = PlanOptions(time_limit_seconds=1.0, deterministic=True, seed=7)
    first, second = plan(scenario, options), plan(scenario, options)
    assert first.rota.shifts == second.rota.shifts


def test_stop_returns_the_best_rota_so_far() -> None:
    scenario = make_scenario(**MIXED)
    stop = threading.Event()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        stop.set()

    result = plan(scenario, PlanOptions(time_limit_seconds=30.0, workers=2), on_progress, stop)
    assert seen and seen[0].solutions == 1
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert result.report["stopped"] is True
    assert violations(scenario, result.rota) == []


def test_past_the_planner_limits_is_refused() -> None:
    engineers = [{"id": f"e{i}", "timezone": "UTC", "regions": ["eu"]} for i in range(80)]
    scenario = make_scenario(engineers=engineers, horizon={"start": "2026-12-07", "days": 90})
    with pytest.raises(LimitExceeded, match="engineer-days"):
        plan(scenario)
