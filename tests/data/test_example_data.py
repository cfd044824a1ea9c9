"""The bundled example: a valid scenario, a hand-drawn rota that fits it, and the gaps it shows.

The example is the product's pitch: nine engineers on call at every instant, yet peaks go
uncovered because the one on call is asleep (`too_slow`), while a plan that puts awake people on
call could close almost every peak (few `structural` gaps).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from domain import at
from rota.now import NowIndex
from rota.report import GapReport, gap_report
from rota.rotafile import Rota, read_rota_json
from rota.scenario import Scenario, Window, clock_minutes
from rota.validation import load_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example"
SCENARIO = EXAMPLE / "streaming-sre.yaml"
HANDDRAWN = EXAMPLE / "handdrawn-weekly.json"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def handdrawn(scenario: Scenario) -> Rota:
    return read_rota_json(HANDDRAWN, scenario)


@pytest.fixture(scope="module")
def report(scenario: Scenario, handdrawn: Rota) -> GapReport:
    return gap_report(scenario, handdrawn)


def _load_drawing_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("draw_handdrawn", EXAMPLE / "draw_handdrawn.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hours(window: Window) -> float:
    return ((clock_minutes(window.end) - clock_minutes(window.start)) % 1440 or 1440) / 60


def test_scenario_is_a_global_team(scenario: Scenario) -> None:
    zones = {e.timezone for e in scenario.engineers}
    assert scenario.team == "streaming-sre"
    assert (scenario.horizon.start.isoformat(), scenario.horizon.days) == ("2026-12-07", 28)
    assert len(scenario.engineers) >= 32
    assert len(zones) >= 6 and "Asia/Kolkata" in zones
    assert all(e.holiday_country for e in scenario.engineers)
    assert any(e.unavailable for e in scenario.engineers)


@pytest.mark.parametrize("region", ["cn", "sea", "sa", "me", "eu", "latam", "na"])
def test_every_region_needs_two_p0_responders_at_peak(scenario: Scenario, region: str) -> None:
    r = scenario.region_by_id[region]
    assert (r.peak.severity, r.peak.responders) == ("P0", 2)
    assert r.off_peak is not None and (r.off_peak.severity, r.off_peak.responders) == ("P2", 1)
    weekday, weekend = r.peak_windows
    assert _hours(weekend) > _hours(weekday) >= 4
    assert r.users_at_peak and r.users_off_peak and r.revenue_per_user_hour and r.currency


def test_handdrawn_rota_fits_the_scenario(scenario: Scenario, handdrawn: Rota) -> None:
    on_call_people = {s.engineer for s in handdrawn.shifts}
    assert handdrawn.team == scenario.team
    assert on_call_people <= set(scenario.engineer_by_id)
    assert len(handdrawn.overrides) == 1


def test_handdrawn_rota_is_what_the_script_draws() -> None:
    drawn = _load_drawing_script().draw()
    assert drawn.to_json() == json.loads(HANDDRAWN.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "instant",
    ["2026-12-08T03:00:00Z", "2026-12-19T12:00:00Z", "2026-12-25T18:30:00Z", "2027-01-03T23:59:00Z"],
)
def test_one_engineer_per_office_is_always_on_call(
    scenario: Scenario, handdrawn: Rota, instant: str
) -> None:
    index = NowIndex(scenario, handdrawn)
    answer = index.query(at(instant))
    on_call = {p["engineer"] for r in answer["regions"] for p in r["responders"]}
    offices = {index.scenario.engineer_by_id[e].timezone for e in on_call}
    assert len(on_call) == len(offices) == 9


def test_presence_is_not_coverage(report: GapReport) -> None:
    """Peaks are missed while someone is on call: the one on call is asleep."""
    slow_peaks = [g for g in report.gaps if g.cause == "too_slow" and g.peak and not g.structural]
    assert {g.region for g in slow_peaks} >= {"me", "latam", "sea"}
    assert all(g.severity == "P0" and g.qualified == 0 for g in slow_peaks)


def test_handdrawn_rota_shows_every_cause(report: GapReport) -> None:
    causes = Counter(g.cause for g in report.gaps)
    assert set(causes) == {"no_responder", "unavailable", "too_slow", "short_handed"}


def test_the_sick_day_leaves_south_asia_unanswered(report: GapReport) -> None:
    sick = [g for g in report.gaps if g.cause == "unavailable" and g.peak]
    assert [(g.region, g.start, g.end) for g in sick] == [
        ("sa", int(at("2026-12-10T13:30:00Z").timestamp()), int(at("2026-12-10T17:30:00Z").timestamp()))
    ]


def test_a_plan_could_cover_almost_every_peak(scenario: Scenario) -> None:
    """With an empty rota every required minute is a gap; few peak minutes are structural."""
    empty = Rota(team=scenario.team)
    gaps = gap_report(scenario, empty).gaps
    peak = Counter[str]()
    structural = Counter[str]()
    for g in gaps:
        if g.peak:
            peak[g.region] += g.seconds
            structural[g.region] += g.seconds if g.structural else 0
    assert set(peak) == set(scenario.region_by_id)
    assert all(structural[r] <= 0.15 * peak[r] for r in peak), structural


def test_report_totals_add_up(report: GapReport) -> None:
    gap_seconds = Counter[str]()
    for g in report.gaps:
        gap_seconds[g.region] += g.seconds
    for r in report.regions:
        assert r.required_seconds - r.covered_seconds == gap_seconds[r.region]
    assert len(report.engineers) == 38
