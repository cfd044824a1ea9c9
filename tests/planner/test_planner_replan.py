"""Re-planning against a previous rota keeps what the new facts allow; the past never changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from plan_checker import THREE_OFFICES, make_scenario, violations

from rota.planner import PlanOptions, plan

FAST = PlanOptions(time_limit_seconds=3.0, workers=2)
TEAM = THREE_OFFICES


def test_replanning_the_same_facts_keeps_every_shift() -> None:
    scenario = make_scenario(**TEAM)
    # Long enough for the first plan to reach its coverage optimum even on a busy machine: a
    # re-plan may add shifts only to cover what the first plan left open.
    first = plan(scenario, PlanOptions(time_limit_seconds=8.0, workers=2))
    again = plan(scenario, PlanOptions(time_limit_seconds=3.0, workers=2, previous=first.rota))
    assert set(again.rota.shifts) == set(first.rota.shifts)
    assert again.report["changes"]["removed"] == [] and again.report["changes"]["added"] == []
    assert again.rota.version == first.rota.version + 1


def test_sick_engineer_changes_only_what_it_must_and_never_the_past() -> None:
    scenario = make_scenario(**TEAM)
    first = plan(scenario, FAST)
    sick = {**TEAM["engineers"][0], "unavailable": [{"start": "2026-12-09", "end": "2026-12-10"}]}
    changed = make_scenario(**{**TEAM, "engineers": [sick, *TEAM["engineers"][1:]]})
    now = dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC)
    result = plan(changed, PlanOptions(time_limit_seconds=3.0, workers=2, previous=first.rota, now=now))
    assert violations(changed, result.rota) == [] or all(
        "overlaps leave" not in v for v in violations(changed, result.rota))
    past = {s for s in first.rota.shifts if s.start < now}
    assert past <= set(result.rota.shifts)
    assert all(s.start < now for s in result.rota.shifts if s in past)
    new_past = {s for s in result.rota.shifts if s.start < now}
    assert new_past == past
    berlin = ZoneInfo("Europe/Berlin")  # ana's zone: her leave is the local date
    sick_day = (dt.datetime(2026, 12, 9, tzinfo=berlin), dt.datetime(2026, 12, 10, tzinfo=berlin))
    on_sick_day = [s for s in result.rota.shifts if s.engineer == "ana"
                   and s.start < sick_day[1] and sick_day[0] < s.end]
    assert on_sick_day == []
    report = result.report["changes"]
    assert report["kept"] > 0
    assert all(item["engineer"] for item in report["removed"])
