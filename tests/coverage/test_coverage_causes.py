"""Gaps and their causes, table-driven on one Berlin evening peak (19-23 local = 18-22Z)."""

from __future__ import annotations

import pytest

from domain import at, gaps_of, rota, scenario, shift
from rota.report import gap_report
from rota.rotafile import Override

TEAM = dict(
    horizon={"start": "2026-12-07", "days": 1},
    regions=[{"id": "eu", "timezone": "Europe/Berlin",
              "peak_windows": [{"start": "19:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": 1},
              "users_at_peak": 1000, "revenue_per_user_hour": 0.5, "currency": "EUR"}],
    engineers=[
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},  # 22:30-02:30 local at peak
        {"id": "zoe", "timezone": "Europe/Berlin", "regions": ["eu"],
         "unavailable": [{"start": "2026-12-07T20:00:00Z", "end": "2026-12-07T21:00:00Z"}]},
        {"id": "kim", "timezone": "Europe/Berlin", "regions": ["eu"]},
    ],
)

CASES = [
    ("empty rota: one gap for the whole peak", [],
     [("2026-12-07T18:00Z", "2026-12-07T22:00Z", "no_responder")]),
    ("awake engineer covers all", [shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z")], []),
    ("partial shift leaves the rest", [shift("ana", "2026-12-07T19:00Z", "2026-12-07T23:00Z")],
     [("2026-12-07T18:00Z", "2026-12-07T19:00Z", "no_responder")]),
    ("asleep responder is too slow", [shift("raj", "2026-12-07T17:00Z", "2026-12-07T23:00Z")],
     [("2026-12-07T18:00Z", "2026-12-07T22:00Z", "too_slow")]),
    ("responder on leave is unavailable", [shift("zoe", "2026-12-07T18:00Z", "2026-12-07T22:00Z")],
     [("2026-12-07T20:00Z", "2026-12-07T21:00Z", "unavailable")]),
]


@pytest.mark.parametrize(("shifts", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gap_causes(shifts, expected):
    s = scenario(**TEAM)
    report = gap_report(s, rota("t", *shifts))
    assert gaps_of(report) == expected


def test_short_handed_when_fewer_than_required_qualify():
    team = dict(TEAM, regions=[dict(TEAM["regions"][0], peak={"severity": "P0", "responders": 2})])
    report = gap_report(scenario(**team), rota("t", shift("ana", "2026-12-07T18:00Z", "2026-12-07T22:00Z")))
    assert gaps_of(report) == [("2026-12-07T18:00Z", "2026-12-07T22:00Z", "short_handed")]
    assert report.gaps[0].qualified == 1 and report.gaps[0].required == 2


def test_structural_when_no_one_could_qualify():
    team = dict(TEAM, engineers=[TEAM["engineers"][1]])  # only raj, asleep through the peak
    report = gap_report(scenario(**team), rota("t"))
    assert [g.structural for g in report.gaps] == [True]
    assert report.regions[0].structural_gap_seconds == 4 * 3600


def test_gap_is_split_where_the_cause_changes_and_minutes_add_up():
    shifts = [shift("raj", "2026-12-07T18:00Z", "2026-12-07T20:00Z")]
    report = gap_report(scenario(**TEAM), rota("t", *shifts))
    assert gaps_of(report) == [("2026-12-07T18:00Z", "2026-12-07T20:00Z", "too_slow"),
                               ("2026-12-07T20:00Z", "2026-12-07T22:00Z", "no_responder")]
    assert sum(g.seconds for g in report.gaps) == report.regions[0].required_seconds


def test_exposure_is_users_times_revenue_times_hours():
    report = gap_report(scenario(**TEAM), rota("t"))
    assert report.gaps[0].exposure is not None
    assert report.gaps[0].exposure.amount == 1000 * 0.5 * 4
    assert report.gaps[0].exposure.currency == "EUR"


@pytest.mark.parametrize(("override", "expected"), [
    (Override(engineer="raj", replaces="ana", start=at("2026-12-07T18:00Z"), end=at("2026-12-07T19:00Z")),
     [("2026-12-07T18:00Z", "2026-12-07T19:00Z", "too_slow")]),
    (Override(engineer="kim", replaces="ana", start=at("2026-12-07T18:00Z"), end=at("2026-12-07T19:00Z")),
     []),
    (Override(engineer="raj", start=at("2026-12-07T18:00Z"), end=at("2026-12-07T19:00Z")), []),
], ids=["replace by a sleeper opens a gap", "replace by a peer keeps coverage",
        "adding someone removes nothing"])
def test_overrides_replace_or_add(override, expected):
    base = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"), overrides=(override,))
    assert gaps_of(gap_report(scenario(**TEAM), base)) == expected


def test_public_holiday_makes_the_day_non_working_and_ineligible():
    """Christmas Day in Germany: at 10:00 local Ana would be `working`, on the holiday she is
    `awake`; with holiday work not allowed she cannot close the gap, so it is structural."""
    team = dict(
        horizon={"start": "2026-12-25", "days": 1},
        regions=[{"id": "eu", "timezone": "Europe/Berlin",
                  "peak_windows": [{"start": "10:00", "end": "12:00"}],
                  "peak": {"severity": "P0", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"],
                    "holiday_country": "DE", "response_minutes": {"awake": 30}}],
    )
    report = gap_report(scenario(**team), rota("t", shift("ana", "2026-12-25T08:00Z", "2026-12-25T12:00Z")))
    assert gaps_of(report) == [("2026-12-25T09:00Z", "2026-12-25T11:00Z", "too_slow")]
    assert report.gaps[0].structural
    burden = report.engineers[0]
    assert burden.public_holiday_seconds == 4 * 3600
    assert burden.seconds_by_band["working"] == 0


def test_replacing_someone_who_is_off_call_puts_no_one_on_call():
    swap = Override(engineer="kim", replaces="ana", start=at("2026-12-07T18:00Z"), end=at("2026-12-07T22:00Z"))
    report = gap_report(scenario(**TEAM), rota("t", overrides=(swap,)))
    assert gaps_of(report) == [("2026-12-07T18:00Z", "2026-12-07T22:00Z", "no_responder")]


def test_time_covered_by_someone_on_holiday_is_no_gap_but_still_structural_time():
    """A hand-drawn rota may put Ana on call on Christmas Day: that hour is covered, though no
    rule-abiding rota could cover it, so it is no gap; the region's structural time is the
    scenario's bound (both hours), whatever the rota, and the holiday work is a violation."""
    team = dict(
        horizon={"start": "2026-12-25", "days": 1},
        regions=[{"id": "eu", "timezone": "Europe/Berlin",
                  "peak_windows": [{"start": "10:00", "end": "12:00"}],
                  "peak": {"severity": "P0", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"], "holiday_country": "DE"}],
    )
    report = gap_report(scenario(**team), rota("t", shift("ana", "2026-12-25T09:00Z", "2026-12-25T10:00Z")))
    assert gaps_of(report) == [("2026-12-25T10:00Z", "2026-12-25T11:00Z", "no_responder")]
    assert report.regions[0].covered_seconds == 3600
    assert report.regions[0].structural_gap_seconds == 7200
    assert [v.rule for v in report.violations] == ["shift_hours", "public_holidays"]
    assert report.p0_peak_coverage_within_rules == 0.0


def test_summary_counts_p0_peak_demand_exposure_and_structural_time():
    team = dict(TEAM, regions=[dict(TEAM["regions"][0], off_peak={"severity": "P2", "responders": 1})])
    half = rota("t", shift("ana", "2026-12-07T18:00Z", "2026-12-07T20:00Z"))
    summary = gap_report(scenario(**team), half).to_json()["summary"]
    assert summary["p0_peak_required_minutes"] == 240
    assert summary["p0_peak_covered_minutes"] == 120
    assert summary["p0_peak_coverage"] == 0.5
    assert summary["uncovered_minutes"] == 24 * 60 - 120  # off-peak needs someone too
    assert summary["exposure"] == [{"amount": 1000 * 0.5 * 2, "currency": "EUR"}]
