"""`rota.hiring`: candidates, a hire's own hours and holidays, one person's weekly cap."""

from __future__ import annotations

from typing import Any

import pytest

from domain import rota, scenario
from rota.errors import InvalidInput
from rota.hiring import Candidate, candidates
from rota.report import gap_report

ALL_DAY = {"start": "00:00", "end": "24:00"}


def advice(**changes: Any) -> list[dict[str, Any]]:
    team = scenario(**changes)
    return [h.to_json() for h in gap_report(team, rota("t")).hiring]


def test_candidates_are_the_offices_unless_the_scenario_lists_some() -> None:
    offices = scenario(engineers=[
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"], "holiday_country": "DE"},
        {"id": "max", "timezone": "Europe/Berlin", "regions": ["eu"], "holiday_country": "DE"},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]}])
    assert candidates(offices) == [Candidate("Europe/Berlin", "DE"), Candidate("Asia/Kolkata", None)]
    listed = offices.model_copy(update={"hiring": scenario(
        hiring={"candidates": [{"timezone": "Asia/Tokyo", "holiday_country": "JP"}]}).hiring})
    assert [(c.timezone, c.holiday_country) for c in candidates(listed)] == [("Asia/Tokyo", "JP")]


def test_one_person_closes_at_most_the_weekly_cap_busiest_instants_first() -> None:
    # No engineers: all of it is structural. P3 (240 min) is answered even asleep (60 min).
    regions = [{"id": "a", "timezone": "UTC", "peak_windows": [ALL_DAY], "peak": {"severity": "P3"}},
               {"id": "b", "timezone": "UTC", "peak_windows": [{"start": "12:00", "end": "18:00"}],
                "peak": {"severity": "P3"}}]
    [hire] = advice(regions=regions, engineers=[], hiring={"candidates": [{"timezone": "UTC"}]})
    # 40 h in the week, taken where both regions need someone (42 h of such time): 40 h each.
    assert hire["regions"] == {"a": 2400, "b": 2400} and hire["closes_minutes"] == 4800


def test_a_hire_closes_only_where_one_engineer_is_missing() -> None:
    two = [{"id": "a", "timezone": "UTC", "peak_windows": [ALL_DAY],
            "peak": {"severity": "P3", "responders": 2}}]
    assert advice(regions=two, engineers=[], hiring={"candidates": [{"timezone": "UTC"}]}) == []


def test_a_hire_answers_only_when_fast_enough_in_their_own_hours() -> None:
    # Berlin evenings 19-23 need P0 (15 min): a Sydney hire with their own sleep 01:00-09:00
    # (Berlin 15:00-23:00) is asleep then; one sleeping 13:00-21:00 local is awake.
    late = {"timezone": "Australia/Sydney", "sleep": {"start": "01:00", "end": "09:00"}}
    early = {"timezone": "Australia/Sydney", "sleep": {"start": "13:00", "end": "21:00"}}
    assert advice(engineers=[], hiring={"candidates": [late]}) == []
    [hire] = advice(engineers=[], hiring={"candidates": [early]})
    assert hire["closes_minutes"] == 7 * 4 * 60


def test_bad_candidates_are_reported_with_their_paths() -> None:
    with pytest.raises(InvalidInput) as raised:
        scenario(hiring={"candidates": [{"timezone": "Asia/Tokio", "holiday_country": "XX"},
                                        {"timezone": "UTC", "shift": 1}]})
    assert [str(e) for e in raised.value.errors] == [
        "hiring.candidates[0].timezone: unknown time zone 'Asia/Tokio' (did you mean 'Asia/Tokyo'?)",
        "hiring.candidates[1].shift: unknown key",
        "hiring.candidates[0].holiday_country: no public-holiday calendar for country 'XX'",
    ]
