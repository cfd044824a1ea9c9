"""The one iCalendar writer: round-trips through the importer, stable UIDs, feed properties."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import icalendar
import pytest
from icsbuild import FIXTURES, shifts_of

from rota.icsexport import event_uid, rota_to_ics
from rota.imports import parse_import
from rota.report import gap_report
from rota.rotafile import Override, Rota, parse_rota, read_rota_json
from rota.scenario import Scenario
from rota.validation import load_scenario

SHIFTS = [  # in rota order: by start, then engineer; li-wei's two shifts touch
    {"engineer": "li-wei", "start": "2026-12-07T10:00:00Z", "end": "2026-12-07T16:00:00Z"},
    {"engineer": "ana-souza", "start": "2026-12-07T16:00:00Z", "end": "2026-12-08T01:00:00Z"},
    {"engineer": "li-wei", "start": "2026-12-07T16:00:00Z", "end": "2026-12-07T18:00:00Z"},
    {"engineer": "priya", "start": "2026-12-08T01:00:00Z", "end": "2026-12-08T09:30:00Z"},
    {"engineer": "tom", "start": "2026-12-19T18:00:00Z", "end": "2026-12-21T00:00:00Z"},
]


@pytest.fixture
def planned(team: Scenario) -> Rota:
    return parse_rota({"team": team.team, "version": 3, "horizon": {"start": "2026-12-07",
                                                                    "days": 14},
                       "shifts": SHIFTS}, team)


def _strip(text: str, *names: str) -> str:
    """The calendar as a client that drops some properties would keep it."""
    lines = text.replace("\r\n ", "").splitlines()
    return "\n".join(line for line in lines if not line.startswith(names)) + "\n"


@pytest.mark.parametrize(
    ("with_scenario", "dropped"),
    [(True, ()), (False, ()), (True, ("X-ROTA-ENGINEER",)),
     (True, ("X-ROTA-ENGINEER", "ATTENDEE"))],
    ids=["with scenario", "ids only", "client drops X- properties",
         "client keeps only summaries"],
)
def test_export_then_import_gives_the_same_shifts(
    team: Scenario, planned: Rota, with_scenario: bool, dropped: tuple[str, ...]
) -> None:
    text = rota_to_ics(team if with_scenario else None, planned).decode()
    imported = parse_import(_strip(text, *dropped), "ics", team)
    assert shifts_of(imported.rota) == shifts_of(planned)
    assert imported.unmatched == ()


def test_overrides_are_applied_to_the_events(team: Scenario, planned: Rota) -> None:
    swap = Override(engineer="tom", replaces="ana-souza",
                    start=dt.datetime(2026, 12, 7, 18, tzinfo=dt.UTC),
                    end=dt.datetime(2026, 12, 7, 22, tzinfo=dt.UTC))
    text = rota_to_ics(team, planned.with_overrides((swap,))).decode()
    shifts = shifts_of(parse_import(text, "ics", team).rota)
    assert ("ana-souza", "2026-12-07T16:00Z", "2026-12-07T18:00Z") in shifts
    assert ("tom", "2026-12-07T18:00Z", "2026-12-07T22:00Z") in shifts
    assert ("ana-souza", "2026-12-07T22:00Z", "2026-12-08T01:00Z") in shifts


def test_the_same_rota_gives_the_same_bytes_and_uids_are_stable(team: Scenario,
                                                                planned: Rota) -> None:
    first = rota_to_ics(team, planned)
    assert rota_to_ics(team, planned) == first
    uids = re.findall(rb"^UID:(\S+)", first, flags=re.M)
    assert len(set(uids)) == len(SHIFTS)
    assert event_uid("streaming-sre", "priya", 1796691600).encode() in uids  # 2026-12-08T01:00Z
    stamp = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    assert b"DTSTAMP:20261201T093000Z" in rota_to_ics(team, planned, stamp=stamp)
    assert b"DTSTAMP:20261207T000000Z" in first  # from the rota's horizon, not the clock


def test_feed_properties_and_one_engineer(team: Scenario, planned: Rota) -> None:
    calendar = icalendar.Calendar.from_ical(rota_to_ics(team, planned, "li-wei"))
    assert calendar["X-WR-CALNAME"] == "On call: Li Wei (Global live-streaming SRE)"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["On call: Southeast Asia (Li Wei)"] * 2
    assert [str(e["ATTENDEE"]) for e in events] == ["mailto:li.wei@example.com"] * 2
    assert events[0]["ATTENDEE"].params["CN"] == "Li Wei"


def test_an_engineer_without_email_has_no_attendee(team: Scenario, planned: Rota) -> None:
    calendar = icalendar.Calendar.from_ical(rota_to_ics(team, planned, "priya"))
    (event,) = calendar.walk("VEVENT")
    assert "ATTENDEE" not in event
    assert str(event["SUMMARY"]) == "On call: Southeast Asia, Europe (Priya Natarajan)"


def test_the_bundled_example_round_trips_to_the_same_gaps() -> None:
    """Overrides included: the export carries who is really on call, so the gaps match."""
    example = FIXTURES.parents[2] / "data" / "example"
    scenario = load_scenario(example / "streaming-sre.yaml")
    drawn = read_rota_json(example / "handdrawn-weekly.json", scenario)
    assert drawn.overrides
    imported = parse_import(rota_to_ics(scenario, drawn).decode(), "ics", scenario)
    assert imported.unmatched == ()
    before, after = gap_report(scenario, drawn), gap_report(scenario, imported.rota)
    assert _coverage_only(after.to_json()) == {**_coverage_only(before.to_json()), "rota_version": 0}


def _coverage_only(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer without its rule violations: an override becomes its own event in the export,
    so where it meets the engineer's own shift the shift boundaries (not the coverage) differ."""
    summary = {k: v for k, v in answer["summary"].items() if k != "violations"}
    return {**{k: v for k, v in answer.items() if k != "violations"}, "summary": summary}
