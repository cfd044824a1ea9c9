"""Validation a planner can learn from: day names in any case, a refused value echoed in one line,
canonical zone suggestions, overlapping peak windows refused naming both, and warnings for demand
no rota can meet (`rota validate` exit 0 with warning lines; `rota plan` names the cause)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rota.bundled import example_scenario
from rota.cli import app
from rota.errors import ScenarioInvalid
from rota.validation import parse_scenario, scenario_warnings
from rota.zones import _links, check_zone

BASE: dict[str, Any] = {
    "team": "t",
    "horizon": {"start": "2026-12-07", "days": 2},
    "regions": [{"id": "eu", "timezone": "Europe/Berlin",
                 "peak_windows": [{"days": ["mon", "tue"], "start": "18:00", "end": "23:00"}],
                 "peak": {"severity": "P0", "responders": 2}}],
    "engineers": [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
                  {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]}],
}


def scenario_with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(data)
    return [str(e) for e in info.value.errors]


def peak(*windows: dict[str, Any]) -> dict[str, Any]:
    return scenario_with(regions=[{**BASE["regions"][0], "peak_windows": list(windows)}])


def test_day_names_are_read_in_any_case() -> None:
    mixed = parse_scenario(peak({"days": ["Mon", "TUE", " wed "], "start": "18:00", "end": "23:00"}))
    assert mixed.regions[0].peak_windows[0].days == ("mon", "tue", "wed")
    working = scenario_with(engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"],
                                        "working_hours": {"days": ["Fri"], "start": "09:00",
                                                          "end": "17:00"}}])
    assert parse_scenario(working).engineers[0].working_hours.days == ("fri",)


@pytest.mark.parametrize(("day", "echo"), [("funday", "'funday'"), ("M", "'M'"), (3, "3")],
                         ids=["word", "letter", "number"])
def test_a_refused_day_is_echoed_in_one_line(day: object, echo: str) -> None:
    assert errors_of(peak({"days": ["mon", day], "start": "18:00", "end": "23:00"})) == [
        f"regions[0].peak_windows[0].days[1]: {echo} is not a day; use mon..sun"]


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Asia/Calcuta", "Asia/Kolkata"),        # close to the deprecated Asia/Calcutta
    ("US/Pacfic", "America/Los_Angeles"),    # close to the deprecated US/Pacific
    ("Europe/Kiew", "Europe/Kyiv"),
    ("Europe/Berln", "Europe/Berlin"),
])
def test_zone_suggestions_are_canonical(typed: str, suggested: str) -> None:
    with pytest.raises(ValueError, match=rf"unknown time zone '{typed}' \(did you mean '{suggested}'\?\)"):
        check_zone(typed)


def test_no_suggestion_is_a_deprecated_alias() -> None:
    links = _links()
    assert "Asia/Calcutta" in links
    for alias in list(links)[::25]:
        try:
            check_zone(alias + "x")
        except ValueError as exc:
            assert f"'{alias}'?" not in str(exc)


@pytest.mark.parametrize(("windows", "expected"), [
    ([{"days": ["mon"], "start": "19:00", "end": "23:00"}, {"days": ["mon"], "start": "22:00", "end": "24:00"}],
     ["regions[0].peak_windows[1]: overlaps regions[0].peak_windows[0]"]),
    ([{"start": "19:00", "end": "23:00"}, {"days": ["sat", "sun"], "start": "12:00", "end": "24:00"}],
     ["regions[0].peak_windows[1]: overlaps regions[0].peak_windows[0]"]),
    ([{"days": ["sun"], "start": "22:00", "end": "02:00"}, {"days": ["mon"], "start": "01:00", "end": "03:00"}],
     ["regions[0].peak_windows[1]: overlaps regions[0].peak_windows[0]"]),
    ([{"days": ["mon"], "start": "10:00", "end": "12:00"}, {"days": ["tue"], "start": "10:00", "end": "12:00"},
      {"days": ["mon", "tue"], "start": "11:00", "end": "13:00"}],
     ["regions[0].peak_windows[2]: overlaps regions[0].peak_windows[0]",
      "regions[0].peak_windows[2]: overlaps regions[0].peak_windows[1]"]),
], ids=["same-evening", "every-day-and-weekend", "across-sunday-midnight", "names-each-pair"])
def test_overlapping_peak_windows_are_refused_naming_both(windows: list[dict[str, Any]],
                                                          expected: list[str]) -> None:
    assert errors_of(peak(*windows)) == expected


@pytest.mark.parametrize("windows", [
    [{"days": ["mon"], "start": "19:00", "end": "23:00"}, {"days": ["mon"], "start": "23:00", "end": "24:00"}],
    [{"days": ["sun"], "start": "22:00", "end": "02:00"}, {"days": ["mon"], "start": "02:00", "end": "03:00"}],
    [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "19:00", "end": "23:00"},
     {"days": ["sat", "sun"], "start": "12:00", "end": "24:00"}],
], ids=["back-to-back", "after-midnight-run", "weekday-and-weekend"])
def test_touching_peak_windows_are_fine(windows: list[dict[str, Any]]) -> None:
    parse_scenario(peak(*windows))


def test_demand_no_rota_can_meet_is_a_warning() -> None:
    data = scenario_with(regions=[{**BASE["regions"][0], "peak": {"severity": "P0", "responders": 3},
                                   "off_peak": {"severity": "P2", "responders": 1}},
                                  {"id": "me", "timezone": "Asia/Riyadh"}])
    assert [str(w) for w in scenario_warnings(parse_scenario(data))] == [
        "regions[0].peak.responders: 3 required, but only 2 engineers serve region 'eu', so no rota "
        "can cover its peak demand",
        "regions[1]: no engineer serves region 'me', so no rota can cover its demand",
    ]
    assert scenario_warnings(parse_scenario(BASE)) == []
    assert scenario_warnings(example_scenario()) == []


def test_validate_warns_and_plan_names_the_cause(tmp_path: Path) -> None:
    data = scenario_with(regions=[BASE["regions"][0], {"id": "me", "timezone": "Asia/Riyadh",
                                                       "peak_windows": [{"start": "19:00", "end": "23:00"}]}])
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    warning = "regions[1]: no engineer serves region 'me', so no rota can cover its demand"
    validated = CliRunner().invoke(app, ["validate", str(path)])
    assert validated.exit_code == 0
    assert validated.stderr == f"warning: {warning}\n"
    planned = CliRunner().invoke(app, ["plan", str(path), "-o", str(tmp_path / "r.json"), "--time-limit",
                                       "2", "--workers", "2", "--report", str(tmp_path / "report.json")])
    assert planned.exit_code == 0, planned.output
    assert f"no rota can meet: {warning}" in planned.stdout
    assert json.loads((tmp_path / "report.json").read_text())["warnings"] == [warning]


def test_a_bad_day_and_an_overlap_are_reported_together() -> None:
    assert errors_of(peak({"days": ["Mon", "Tue"], "start": "19:00", "end": "23:00"},
                          {"days": ["tue", "funday"], "start": "22:00", "end": "24:00"},
                          {"days": ["TUE"], "start": "22:00", "end": "24:00"})) == [
        "regions[0].peak_windows[1].days[1]: 'funday' is not a day; use mon..sun",
        "regions[0].peak_windows[2]: overlaps regions[0].peak_windows[0]",
    ]
