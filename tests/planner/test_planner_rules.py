"""One tiny scenario per hard rule: the plan keeps it, and a pin that breaks it is refused by name."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from plan_checker import holiday_windows, local, make_scenario, violations

from rota.errors import PlanningError
from rota.planner import PlanOptions, plan

FAST = PlanOptions(time_limit_seconds=2.0, workers=2)
ENGINEER = [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}]


def _shifts(result: Any, engineer: str = "ana") -> list[tuple[dt.datetime, dt.datetime]]:
    return sorted((s.start, s.end) for s in result.rota.shifts if s.engineer == engineer)


def _hours_in_horizon(result: Any, scenario: Any) -> float:
    """On-call hours inside the horizon: what the weekly rule counts (DESIGN.md: a shift crossing
    a block boundary counts by its part inside; the horizon's first and last blocks end at it)."""
    lo, hi = scenario.horizon.start_at, scenario.horizon.end_at
    return sum(max((min(e, hi) - max(s, lo)).total_seconds(), 0) for s, e in _shifts(result)) / 3600


def test_min_rest_hours_holds_under_round_the_clock_demand() -> None:
    scenario = make_scenario(engineers=ENGINEER, rules={"min_rest_hours": 14})
    result = plan(scenario, FAST)
    shifts = _shifts(result)
    assert len(shifts) >= 2
    assert all((b[0] - a[1]) >= dt.timedelta(hours=14) for a, b in zip(shifts, shifts[1:], strict=False))
    assert violations(scenario, result.rota) == []


def test_max_hours_per_week_caps_the_week() -> None:
    scenario = make_scenario(engineers=ENGINEER, horizon={"start": "2026-12-07", "days": 7},
                             rules={"max_hours_per_week": 14, "min_rest_hours": 0})
    result = plan(scenario, FAST)
    total = _hours_in_horizon(result, scenario)
    assert 10 <= total <= 14
    assert violations(scenario, result.rota) == []


def test_per_engineer_weekly_cap_overrides_the_rule() -> None:
    engineers = [{**ENGINEER[0], "max_hours_per_week": 8}]
    scenario = make_scenario(engineers=engineers, horizon={"start": "2026-12-07", "days": 7})
    result = plan(scenario, FAST)
    assert _hours_in_horizon(result, scenario) <= 8
    assert violations(scenario, result.rota) == []


def test_max_consecutive_days_leaves_a_day_off() -> None:
    scenario = make_scenario(engineers=ENGINEER, horizon={"start": "2026-12-07", "days": 5},
                             rules={"max_consecutive_days": 2, "min_rest_hours": 0})
    result = plan(scenario, FAST)
    days = sorted({local(s, "Europe/Berlin").date() for s, _ in _shifts(result)})
    assert len(days) >= 3
    assert violations(scenario, result.rota) == []


def test_no_shift_overlaps_leave() -> None:
    engineers = [{**ENGINEER[0], "unavailable": [{"start": "2026-12-08", "end": "2026-12-09"}]}]
    scenario = make_scenario(engineers=engineers)
    result = plan(scenario, FAST)
    assert _shifts(result)
    assert all(local(s, "Europe/Berlin").date() != dt.date(2026, 12, 8) for s, _ in _shifts(result))
    assert violations(scenario, result.rota) == []


@pytest.mark.parametrize("allowed", [False, True], ids=["holidays-off", "holidays-worked"])
def test_public_holidays_are_kept_unless_the_rules_allow_work(allowed: bool) -> None:
    engineers = [{**ENGINEER[0], "holiday_country": "DE"}]
    scenario = make_scenario(engineers=engineers, horizon={"start": "2026-12-24", "days": 3},
                             rules={"work_on_public_holidays": allowed, "min_rest_hours": 0})
    result = plan(scenario, FAST)
    holidays = holiday_windows(scenario.engineers[0], scenario)
    on_holiday = any(a < e and s < b for s, e in _shifts(result) for a, b in holidays)
    assert on_holiday is allowed
    assert violations(scenario, result.rota) == []


def test_shift_length_and_start_step_hold_by_construction() -> None:
    scenario = make_scenario(rules={"shift_hours": {"min": 3, "max": 5.5},
                                    "shift_start_step_minutes": 30})
    result = plan(scenario, FAST)
    assert result.rota.shifts
    assert violations(scenario, result.rota) == []


def _pin(start: str, end: str, engineer: str = "ana") -> dict[str, str]:
    return {"engineer": engineer, "start": start, "end": end}


BAD_PINS = [
    pytest.param({}, [_pin("2026-12-07T08:00:00Z", "2026-12-07T10:00:00Z")], "shift_hours", id="too-short"),
    pytest.param({}, [_pin("2026-12-07T08:30:00Z", "2026-12-07T14:30:00Z")],
                 "shift_start_step_minutes", id="off-step"),
    pytest.param({"min_rest_hours": 12},
                 [_pin("2026-12-07T06:00:00Z", "2026-12-07T12:00:00Z"),
                  _pin("2026-12-07T23:00:00Z", "2026-12-08T05:00:00Z")], "min_rest_hours", id="rest"),
    pytest.param({"min_rest_hours": 0},
                 [_pin("2026-12-07T05:00:00Z", "2026-12-07T09:00:00Z"),
                  _pin("2026-12-07T10:00:00Z", "2026-12-07T14:00:00Z")],
                 "one_shift_per_day", id="same-day"),
    pytest.param({"max_hours_per_week": 12, "min_rest_hours": 0},
                 [_pin("2026-12-07T08:00:00Z", "2026-12-07T16:00:00Z"),
                  _pin("2026-12-08T08:00:00Z", "2026-12-08T16:00:00Z")], "max_hours_per_week", id="weekly"),
    pytest.param({"max_consecutive_days": 2},
                 [_pin(f"2026-12-0{d}T08:00:00Z", f"2026-12-0{d}T12:00:00Z") for d in (7, 8, 9)],
                 "max_consecutive_days", id="consecutive"),
]


@pytest.mark.parametrize(("rules", "pins", "rule"), BAD_PINS)
def test_a_pin_that_breaks_a_rule_is_refused_by_name(rules: dict, pins: list, rule: str) -> None:
    scenario = make_scenario(engineers=ENGINEER, rules=rules, pins=pins)
    with pytest.raises(PlanningError, match=rule) as info:
        plan(scenario, FAST)
    assert "pins[" in str(info.value)


def test_a_pin_on_leave_or_holiday_is_refused() -> None:
    engineers = [{**ENGINEER[0], "holiday_country": "DE",
                  "unavailable": [{"start": "2026-12-24", "end": "2026-12-25"}]}]
    horizon = {"start": "2026-12-24", "days": 3}
    on_leave = make_scenario(engineers=engineers, horizon=horizon,
                             pins=[_pin("2026-12-24T08:00:00Z", "2026-12-24T14:00:00Z")])
    with pytest.raises(PlanningError, match="leave"):
        plan(on_leave, FAST)
    on_holiday = make_scenario(engineers=engineers, horizon=horizon,
                               pins=[_pin("2026-12-25T08:00:00Z", "2026-12-25T14:00:00Z")])
    with pytest.raises(PlanningError, match="public_holidays"):
        plan(on_holiday, FAST)


def test_a_valid_pin_is_in_the_plan() -> None:
    pin = _pin("2026-12-08T02:00:00Z", "2026-12-08T08:00:00Z")
    scenario = make_scenario(pins=[pin])
    result = plan(scenario, FAST)
    assert (dt.datetime(2026, 12, 8, 2, tzinfo=dt.UTC), dt.datetime(2026, 12, 8, 8, tzinfo=dt.UTC)) \
        in _shifts(result)
    assert violations(scenario, result.rota) == []
