"""`rota.violations`: one case per hard rule, overrides applied, and agreement with the planner's
independent checker (`tests/planner/plan_checker.py`) on rotas drawn at random."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planner.plan_checker import violations as checker_violations

from domain import at, rota, scenario, shift
from rota.coverage import sweep_region
from rota.oncall import rota_on_call
from rota.report import gap_report, region_coverage
from rota.rotafile import Override, Rota, SolverInfo
from rota.scenario import Scenario
from rota.spans import iso_z, subtract
from rota.team import horizon_range, team_time
from rota.violations import rota_violations, violation_spans

BERLIN = [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"], "holiday_country": "DE",
           "unavailable": [{"start": "2026-12-10", "end": "2026-12-11", "reason": "dentist"}]},
          {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"], "max_hours_per_week": 20}]


def found(r: Rota, **changes: Any) -> list[tuple[str, str, str, str]]:
    team = scenario(engineers=BERLIN, horizon={"start": "2026-12-07", "days": 28}, **changes)
    return [(v.engineer, v.rule, iso_z(v.start), iso_z(v.end)) for v in rota_violations(team, r)]


def rules(r: Rota, **changes: Any) -> list[str]:
    return [rule for _, rule, _, _ in found(r, **changes)]


CASES = [
    ("a shift within every rule", [("ana", "2026-12-07T08:00Z", "2026-12-07T16:00Z")], []),
    ("too long", [("ana", "2026-12-07T08:00Z", "2026-12-07T20:00Z")], ["shift_hours"]),
    ("too short", [("ana", "2026-12-07T08:00Z", "2026-12-07T10:00Z")], ["shift_hours"]),
    ("rest under 11 h", [("ana", "2026-12-07T08:00Z", "2026-12-07T16:00Z"),
                         ("ana", "2026-12-08T02:00Z", "2026-12-08T07:00Z")], ["min_rest_hours"]),
    ("back to back counts as no rest, and two starts on one local day",
     [("ana", "2026-12-07T06:00Z", "2026-12-07T10:00Z"), ("ana", "2026-12-07T10:00Z", "2026-12-07T14:00Z")],
     ["min_rest_hours", "one_shift_per_day"]),
    ("over the engineer's own weekly cap (20 h)",
     [("raj", f"2026-12-{d:02d}T04:30Z", f"2026-12-{d:02d}T12:30Z") for d in (7, 8, 9)],
     ["max_hours_per_week"]),
    ("six local dates in a row",
     [("ana", f"2026-12-{d:02d}T08:00Z", f"2026-12-{d:02d}T12:00Z") for d in range(14, 20)],
     ["max_consecutive_days"]),
    ("on leave", [("ana", "2026-12-10T08:00Z", "2026-12-10T16:00Z")], ["leave"]),
    ("on Christmas Day in Germany", [("ana", "2026-12-25T08:00Z", "2026-12-25T16:00Z")], ["public_holidays"]),
]


@pytest.mark.parametrize(("shifts", "expected"), [(s, e) for _, s, e in CASES], ids=[c[0] for c in CASES])
def test_each_rule(shifts: list[tuple[str, str, str]], expected: list[str]) -> None:
    assert sorted(rules(rota("t", *(shift(*s) for s in shifts)))) == sorted(expected)


def test_a_weekly_violation_names_the_block_and_the_hours() -> None:
    r = rota("t", *(shift("raj", f"2026-12-{d:02d}T04:30Z", f"2026-12-{d:02d}T12:30Z") for d in (7, 8, 9)))
    team = scenario(engineers=BERLIN, horizon={"start": "2026-12-07", "days": 28})
    [v] = rota_violations(team, r)
    assert v.to_json() == {"engineer": "raj", "rule": "max_hours_per_week",
                           "start": "2026-12-07T04:30:00Z", "end": "2026-12-09T12:30:00Z",
                           "detail": "24 h on call in the 7 days from 2026-12-07 (max 20 h)"}


def test_holiday_work_is_allowed_when_the_rules_say_so() -> None:
    r = rota("t", shift("ana", "2026-12-25T08:00Z", "2026-12-25T16:00Z"))
    assert rules(r, rules={"work_on_public_holidays": True}) == []


def test_start_step_is_checked_on_planned_rotas_only() -> None:
    off_step = shift("ana", "2026-12-07T08:30Z", "2026-12-07T16:30Z")
    assert rules(rota("t", off_step)) == []
    planned = Rota(team="t", shifts=(off_step,), solver=SolverInfo(status="OPTIMAL"))
    assert rules(planned) == ["shift_start_step_minutes"]


def test_a_shift_cut_by_the_horizon_start_is_not_too_short() -> None:
    assert rules(rota("t", shift("ana", "2026-12-07T00:00Z", "2026-12-07T01:00Z"))) == []


def test_a_weekly_rotation_breaks_length_and_weekly_hours() -> None:
    week = rota("t", shift("ana", "2026-12-14T08:00Z", "2026-12-21T08:00Z"))
    assert found(week) == [
        ("ana", "shift_hours", "2026-12-14T08:00:00Z", "2026-12-21T08:00:00Z"),
        ("ana", "max_hours_per_week", "2026-12-14T08:00:00Z", "2026-12-21T00:00:00Z"),
    ]


def override(engineer: str, start: str, end: str, replaces: str | None = None) -> Override:
    return Override(engineer=engineer, replaces=replaces, start=at(start), end=at(end))


def test_overrides_are_applied_a_replaced_middle_keeps_one_shift() -> None:
    base = shift("ana", "2026-12-07T08:00Z", "2026-12-07T16:00Z")
    cover = override("raj", "2026-12-07T11:00Z", "2026-12-07T13:00Z", replaces="ana")
    assert found(rota("t", base, overrides=(cover,))) == [
        ("raj", "shift_hours", "2026-12-07T11:00:00Z", "2026-12-07T13:00:00Z")]


def test_taking_over_right_after_ones_own_shift_is_one_longer_shift() -> None:
    mine = shift("raj", "2026-12-07T04:30Z", "2026-12-07T10:30Z")
    hers = shift("ana", "2026-12-07T10:30Z", "2026-12-07T16:30Z")
    cover = override("raj", "2026-12-07T10:30Z", "2026-12-07T16:30Z", replaces="ana")
    assert found(rota("t", mine, hers, overrides=(cover,))) == [
        ("raj", "shift_hours", "2026-12-07T04:30:00Z", "2026-12-07T16:30:00Z")]


def test_an_override_onto_leave_is_a_violation_of_the_one_taking_over() -> None:
    base = shift("raj", "2026-12-10T08:00Z", "2026-12-10T16:00Z")
    swap = override("ana", "2026-12-10T08:00Z", "2026-12-10T16:00Z", replaces="raj")
    assert rules(rota("t", base, overrides=(swap,))) == ["leave"]


# Random rotas inside the horizon, on quarter hours, planned: the independent checker and the
# core must flag the same engineers for the same rules.
CHECKER_WORDS = {"shift_hours": "shift_hours", "start step": "shift_start_step_minutes",
                 "overlaps leave": "leave", "public holiday": "public_holidays", "rest": "min_rest_hours",
                 "two shifts on one local day": "one_shift_per_day", "h in the week": "max_hours_per_week",
                 "consecutive days": "max_consecutive_days"}


@st.composite
def random_rotas(draw: st.DrawFn) -> Rota:
    shifts = []
    for eng in ("ana", "raj"):
        starts = draw(st.lists(st.integers(1, 27 * 96), max_size=12, unique=True))
        taken: list[tuple[int, int]] = []
        for q in sorted(starts):
            length = draw(st.integers(8, 56))  # 2 h to 14 h in quarter hours
            s, e = q * 900, min(q * 900 + length * 900, 28 * 86400 - 900)
            if e > s and all(e <= a or s >= b for a, b in taken):
                taken.append((s, e))
                base = at("2026-12-07T00:00Z").timestamp()
                shifts.append(shift(eng, iso_z(int(base + s)), iso_z(int(base + e))))
    return Rota(team="t", shifts=tuple(shifts), solver=SolverInfo(status="FEASIBLE"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_rotas())
def test_agrees_with_the_independent_checker(r: Rota) -> None:
    team = scenario(engineers=BERLIN, horizon={"start": "2026-12-07", "days": 28})
    ours = {(v.engineer, v.rule) for v in rota_violations(team, r)}
    theirs = set()
    for line in checker_violations(team, r):
        engineer = line.split()[0].rstrip(":")
        rule = next(rule for word, rule in CHECKER_WORDS.items() if word in line)
        theirs.add((engineer, rule))
    assert ours == theirs


def assert_within_rules_is_a_resweep(team: Scenario, r: Rota) -> None:
    """Oracle: sweep again with each engineer's on-call time minus the time the violations concern."""
    report = gap_report(team, r)
    lo, hi = horizon_range(team)
    on_call = rota_on_call(r, lo, hi)
    broken = violation_spans(report.violations)
    kept = {e: subtract(spans, broken.get(e, [])) for e, spans in on_call.items()}
    again = region_coverage(sweep_region(team_time(team, lo, hi), team.regions[0], kept), "P0", peak_only=True)
    [ours] = report.p0_peak_within_rules
    assert (ours.required_seconds, ours.covered_seconds) == (again.required_seconds, again.covered_seconds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_rotas(), st.integers(1, 2))
def test_coverage_within_the_rules_is_a_sweep_without_the_broken_time(r: Rota, responders: int) -> None:
    region = {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "17:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": responders},
              "off_peak": {"severity": "P2", "responders": 1}}
    team = scenario(engineers=BERLIN, regions=[region], horizon={"start": "2026-12-07", "days": 28})
    assert_within_rules_is_a_resweep(team, r)


def test_within_the_rules_someone_on_leave_is_not_lost_twice() -> None:
    # Ana is on call on her leave day (a violation, and no responder); Raj qualifies 16:00-17:30Z.
    team = scenario(engineers=BERLIN, horizon={"start": "2026-12-07", "days": 28},
                    regions=[{"id": "eu", "timezone": "Europe/Berlin",
                              "peak_windows": [{"start": "17:00", "end": "23:00"}]}])
    r = rota("t", shift("ana", "2026-12-10T16:00Z", "2026-12-10T22:00Z"),
             shift("raj", "2026-12-10T14:30Z", "2026-12-10T20:30Z"))
    assert_within_rules_is_a_resweep(team, r)
    assert sum(c.covered_seconds for c in gap_report(team, r).p0_peak_within_rules) == 5400


def test_within_the_rules_a_week_ends_inside_a_peak() -> None:
    # Raj's 22 h in the first week break his 20 h cap; his shift across the week's end keeps the
    # 2 h after midnight, within the rules.
    team = scenario(engineers=BERLIN, horizon={"start": "2026-12-07", "days": 14},
                    response_minutes={"asleep": 10},
                    regions=[{"id": "eu", "timezone": "UTC", "peak_windows": [{"start": "22:00", "end": "02:00"}]}])
    r = rota("t", shift("raj", "2026-12-07T08:00Z", "2026-12-07T17:00Z"),
             shift("raj", "2026-12-09T08:00Z", "2026-12-09T17:00Z"),
             shift("raj", "2026-12-13T20:00Z", "2026-12-14T02:00Z"))
    assert_within_rules_is_a_resweep(team, r)
    assert sum(c.covered_seconds for c in gap_report(team, r).p0_peak_within_rules) == 7200


def test_a_report_for_one_region_lists_the_violations_of_those_serving_it() -> None:
    regions = [{"id": "eu", "timezone": "Europe/Berlin"}, {"id": "in", "timezone": "Asia/Kolkata"}]
    team = scenario(regions=regions, engineers=[{**BERLIN[0]}, {**BERLIN[1], "regions": ["in"]}])
    r = rota("t", shift("ana", "2026-12-07T08:00Z", "2026-12-07T20:00Z"),
             shift("raj", "2026-12-07T04:30Z", "2026-12-07T16:30Z"))
    assert [v.engineer for v in gap_report(team, r).violations] == ["raj", "ana"]
    assert [v.engineer for v in gap_report(team, r, region="eu").violations] == ["ana"]
