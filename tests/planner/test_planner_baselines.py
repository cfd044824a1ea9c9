"""The hand-drawn baselines are valid rotas that the gap report reads."""

from __future__ import annotations

import datetime as dt

import pytest
from plan_checker import make_scenario

from rota.planner.baselines import office_hours_rota, weekly_rota
from rota.report import gap_report
from rota.rotafile import parse_rota

TEAM = {
    "horizon": {"start": "2026-12-07", "days": 14},
    "engineers": [
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "eva", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"], "holiday_country": "IN"},
    ],
}


@pytest.mark.parametrize("build", [weekly_rota, office_hours_rota], ids=["weekly", "office-hours"])
def test_baseline_is_a_valid_rota_the_gap_report_reads(build: object) -> None:
    scenario = make_scenario(**TEAM)
    rota = build(scenario)  # type: ignore[operator]
    assert parse_rota(rota.to_json(), scenario) == rota
    report = gap_report(scenario, rota)
    assert report.regions[0].required_seconds == 14 * 86400


def test_weekly_puts_one_engineer_per_office_on_call_around_the_clock_in_turn() -> None:
    rota = weekly_rota(make_scenario(**TEAM))
    berlin = [s for s in rota.shifts if s.engineer in ("ana", "eva")]
    assert [s.engineer for s in berlin] == ["ana", "eva"]
    assert all(s.end - s.start == dt.timedelta(days=7) for s in rota.shifts)
    assert {s.engineer for s in rota.shifts if s.engineer == "raj"} == {"raj"}


def test_office_hours_covers_each_office_s_working_hours_only() -> None:
    rota = office_hours_rota(make_scenario(**TEAM))
    for s in rota.shifts:
        zone = "Asia/Kolkata" if s.engineer == "raj" else "Europe/Berlin"
        start = s.start.astimezone(__import__("zoneinfo").ZoneInfo(zone))
        assert start.weekday() < 5 and start.hour == 9 and s.end - s.start == dt.timedelta(hours=9)
    first_week = [s.engineer for s in rota.shifts if s.engineer in ("ana", "eva")][:5]
    assert first_week == ["ana"] * 5
