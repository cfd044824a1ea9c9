"""Scenario validation: every error class, each reported with its path, all at once."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rota.errors import ScenarioInvalid
from rota.validation import parse_scenario, parse_scenario_text

VALID: dict[str, Any] = {
    "team": "streaming-sre",
    "horizon": {"start": "2026-12-07", "days": 28},
    "regions": [
        {"id": "sea", "timezone": "Asia/Jakarta",
         "peak_windows": [{"days": ["mon", "fri"], "start": "19:00", "end": "23:00"}],
         "peak": {"severity": "P0", "responders": 2}},
    ],
    "engineers": [
        {"id": "li-wei", "timezone": "Asia/Shanghai", "regions": ["sea"], "holiday_country": "CN",
         "unavailable": [{"start": "2026-12-24", "end": "2026-12-27", "reason": "vacation"}]},
        {"id": "ana", "timezone": "America/Sao_Paulo", "regions": ["sea"]},
    ],
    "pins": [{"engineer": "li-wei", "start": "2026-12-08T01:00:00Z", "end": "2026-12-08T09:00:00Z"}],
}


def errors_for(mutate: Any) -> list[str]:
    data = copy.deepcopy(VALID)
    mutate(data)
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(data)
    return [str(e) for e in info.value.errors]


def set_path(path: str, value: Any) -> Any:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


CASES = [
    ("unknown zone", set_path("engineers.0.timezone", "Asia/Shangai"),
     "engineers[0].timezone: unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?)"),
    ("unknown region of an engineer", set_path("engineers.1.regions", ["sea", "mars"]),
     "engineers[1].regions[1]: unknown region 'mars'"),
    ("leave ends before it starts", set_path("engineers.0.unavailable.0.end", "2026-12-20"),
     "engineers[0].unavailable[0].end: ends before it starts"),
    ("overlapping leave", set_path("engineers.0.unavailable", [
        {"start": "2026-12-10", "end": "2026-12-14"}, {"start": "2026-12-12", "end": "2026-12-15"}]),
     "engineers[0].unavailable[1]: overlaps unavailable[0]"),
    ("leave instant without offset", set_path("engineers.0.unavailable.0.end", "2026-12-27T10:00"),
     "engineers[0].unavailable[0].end: 2026-12-27T10:00:00 has no offset; write it in UTC with a Z"),
    ("leave date in words", set_path("engineers.0.unavailable.0.start", "next tuesday"),
     "engineers[0].unavailable[0].start: expected a date YYYY-MM-DD or a date-time with Z or an "
     "offset, got 'next tuesday'"),
    ("pin outside the horizon", set_path("pins.0.start", "2027-03-01T00:00:00Z"),
     "pins[0].end: ends before it starts"),
    ("pin after the horizon", set_path("pins", [
        {"engineer": "ana", "start": "2027-03-01T00:00:00Z", "end": "2027-03-01T08:00:00Z"}]),
     "pins[0]: lies outside the horizon"),
    ("pin of an unknown engineer", set_path("pins.0.engineer", "bob"),
     "pins[0].engineer: unknown engineer 'bob'"),
    ("duplicate engineer id", set_path("engineers.1.id", "li-wei"),
     "engineers[1].id: duplicate id 'li-wei' (first at engineers[0])"),
    ("bad day name", set_path("regions.0.peak_windows.0.days", ["mon", "fry"]),
     "regions[0].peak_windows[0].days[1]: 'fry' is not a day; use mon..sun"),
    ("unknown key", set_path("regions.0.peak_hours", []), "regions[0].peak_hours: unknown key"),
    ("time off the quarter hour", set_path("regions.0.peak_windows.0.start", "19:10"),
     "regions[0].peak_windows[0].start: '19:10' is not on the quarter hour "
     "(minutes 00, 15, 30 or 45)"),
    ("time that is no time", set_path("regions.0.peak_windows.0.end", "25:00"),
     'regions[0].peak_windows[0].end: expected a local time "HH:MM" (00:00 to 24:00), '
     "got '25:00'"),
    ("horizon past the limit", set_path("horizon.days", 400),
     "horizon.days: Input should be less than or equal to 366"),
    ("too many engineers", set_path("engineers", [
        {"id": f"e{i}", "timezone": "UTC", "regions": ["sea"]} for i in range(2001)]),
     "engineers: 2001 entries; the limit is 2000"),
    ("unknown holiday calendar", set_path("engineers.0.holiday_country", "ZZ-AA"),
     "engineers[0].holiday_country: no public-holiday calendar for country 'ZZ'"),
    ("bad team id", set_path("team", "Streaming SRE"),
     "team: String should match pattern '^[a-z0-9][a-z0-9-]*$'"),
    ("missing timezone", lambda d: d["regions"][0].pop("timezone"),
     "regions[0].timezone: is required"),
    ("min shift longer than max", set_path("rules", {"shift_hours": {"min": 9, "max": 4}}),
     "rules.shift_hours: min (9) is greater than max (4)"),
    ("unknown severity", set_path("regions.0.peak.severity", "P9"),
     "regions[0].peak.severity: Input should be 'P0', 'P1', 'P2' or 'P3'"),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_names_its_path(mutate, expected):
    assert expected in errors_for(mutate)


def test_every_error_is_reported_at_once():
    def break_many(data: dict[str, Any]) -> None:
        data["engineers"][0]["timezone"] = "Mars/Base"
        data["engineers"][1]["regions"] = ["nowhere"]
        data["regions"][0]["peak_windows"][0]["days"] = ["someday"]
        data["pins"][0]["engineer"] = "ghost"

    found = errors_for(break_many)
    assert len(found) == 4, found


def test_valid_scenario_gets_documented_defaults():
    s = parse_scenario(VALID)
    assert s.severities.target("P0") == 15 and s.severities.target("P3") == 240
    assert s.rules.shift_hours.min == 4 and s.rules.min_rest_hours == 11
    ana = s.engineer_by_id["ana"]
    assert ana.working_hours.start == "09:00" and ana.sleep.start == "23:00"
    assert s.response_minutes_of(ana) == {"working": 5, "awake": 15, "asleep": 60}


def test_yaml_times_stay_times():
    """`19:00` unquoted is a time, not YAML 1.1's base-60 integer 1140."""
    text = """
team: t
horizon: {start: 2026-12-07, days: 7}
regions:
  - {id: eu, timezone: Europe/Berlin, peak_windows: [{start: 19:00, end: 24:00}]}
"""
    s = parse_scenario_text(text)
    assert s.regions[0].peak_windows[0].start == "19:00"
    assert s.regions[0].peak_windows[0].end == "24:00"


@pytest.mark.parametrize(("text", "where"), [
    ("team: t\nregions: [\n  {id: x\n", "line 4, column 1"),
    ('{"team": "t",\n "regions": [}', "line 2, column 14"),
], ids=["yaml", "json"])
def test_malformed_document_gives_line_and_column(text, where):
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario_text(text)
    assert info.value.errors[0].path == where


def test_not_a_mapping():
    with pytest.raises(ScenarioInvalid, match="a scenario is a mapping"):
        parse_scenario_text("- just\n- a list\n")


def test_impossible_yaml_date_is_named_by_its_path():
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario_text("team: t\nhorizon: {start: 2026-13-01, days: 7}\n"
                            "regions: [{id: eu, timezone: Europe/Berlin}]\n")
    assert [e.path for e in info.value.errors] == ["horizon.start"]


def test_alias_bomb_is_refused_without_expanding_it():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(ScenarioInvalid, match="expands to more than"):
        parse_scenario_text("\n".join(levels) + "\nteam: t\n")
