"""The search machinery: window-by-window warm start, worker guard, lexicographic terms."""

from __future__ import annotations

import time

import pytest
from plan_checker import THREE_OFFICES, make_scenario, violations

import rota.planner.warmstart as warmstart
from rota.planner import PlanOptions, plan, search_settings
from rota.planner.budget import Clock

TEAM = THREE_OFFICES


def test_window_by_window_warm_start_gives_a_valid_rota_as_good(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = make_scenario(**TEAM)
    whole = plan(scenario, PlanOptions(time_limit_seconds=4.0, workers=2))
    monkeypatch.setattr(warmstart, "WINDOW_CANDIDATES", 100)  # one-day windows
    monkeypatch.setattr(warmstart, "WARM_START_FROM_CANDIDATES", 0)
    windows = plan(scenario, PlanOptions(time_limit_seconds=4.0, workers=2))
    assert violations(scenario, windows.rota) == []
    assert windows.report["stages"][0]["status"] == "OPTIMAL"
    assert windows.report["objective"] == whole.report["objective"]


def test_windows_alone_are_a_valid_rota_when_stopped_early(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    scenario = make_scenario(**TEAM)
    monkeypatch.setattr(warmstart, "WINDOW_CANDIDATES", 100)
    monkeypatch.setattr(warmstart, "WARM_START_FROM_CANDIDATES", 0)
    stop = threading.Event()
    result = plan(scenario, PlanOptions(time_limit_seconds=10.0, workers=2),
                  lambda progress: stop.set() if progress.stage == "uncovered" else None, stop)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert violations(scenario, result.rota) == []


@pytest.mark.parametrize(("candidates", "workers"), [(1_000, 8), (120_000, 2), (10_000_000, 1)],
                         ids=["small", "large", "huge"])
def test_workers_shrink_with_the_model_to_bound_memory(candidates: int, workers: int) -> None:
    assert search_settings(PlanOptions(workers=8), candidates, 0.0).workers == workers


def test_the_time_limit_covers_building_the_model_and_the_report() -> None:
    clock = Clock(60.0, deterministic=False, started=time.monotonic() - 10.0, gather_seconds=2.0)
    assert clock.search_seconds() <= 50.0 - clock.report_reserve()
    assert clock.room_for_search() and clock.room_for_proof()
    late = Clock(60.0, deterministic=False, started=time.monotonic() - 56.0, gather_seconds=2.0)
    assert not late.room_for_search()  # the build alone would overrun: keep the constructive rota


def test_a_peak_the_rules_keep_open_is_proved_and_names_the_rule() -> None:
    """One engineer, seven evening peaks, at most five days in a row: one peak stays open."""
    scenario = make_scenario(
        horizon={"start": "2026-12-07", "days": 7},
        rules={"max_consecutive_days": 5},
        regions=[{"id": "eu", "timezone": "Europe/Berlin",
                  "peak_windows": [{"start": "19:00", "end": "23:00"}],
                  "peak": {"severity": "P0", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}],
    )
    result = plan(scenario, PlanOptions(time_limit_seconds=10.0, workers=2))
    assert [s["term"] for s in result.report["stages"]][:2] == ["peak_uncovered", "uncovered"]
    assert result.report["stages"][0]["status"] == "OPTIMAL"
    assert result.report["model"]["peak_grid"] == "full"  # the open peak is not structural: proved
    open_peaks = [g for g in result.report["gaps"] if g["peak"] and not g["structural"]]
    assert sum(g["minutes"] for g in open_peaks) == 4 * 60  # five on, one off, one on
    assert all(g["rules_forbid_more"] for g in open_peaks)
    assert all("max_consecutive_days" in g["binding_rules"] for g in open_peaks)
    assert violations(scenario, result.rota) == []
