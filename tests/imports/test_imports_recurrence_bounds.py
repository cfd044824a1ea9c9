"""Recurrences are bounded to the horizon before they are expanded (`rota.imports.recurrence`).

Re-anchoring a rule near the horizon must keep every occurrence the rule has there: each case is
imported twice, once as written and once with its DTSTART moved back by whole periods (centuries
for open rules), and both must give the same shifts. Bombs (a rule from year 1, dense BY* sets,
a walk too long to make) are refused or answered at once, never expanded occurrence by occurrence.
"""

from __future__ import annotations

import datetime as dt

import pytest
from icsbuild import calendar, event, shifts_of

from rota.errors import LimitExceeded
from rota.imports import ics, parse_import
from rota.scenario import Scenario

# (rule, DTSTART near the horizon, the same series started `back` periods (hours, days or months)
# earlier: a whole number of the rule's periods, so both are the same series; minutes it lasts)
SAME_SERIES = [
    ("FREQ=HOURLY;INTERVAL=5", "20261130T010000Z", ("hours", 5 * 700_000), 30),
    ("FREQ=DAILY;INTERVAL=3;BYHOUR=1,13", "20261201T010000Z", ("days", 3 * 15_000), 60),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "20261130T090000Z", ("days", 14 * 5_000), 480),
    ("FREQ=MONTHLY;BYDAY=2TU", "20261110T080000Z", ("months", 12 * 300 + 5), 720),
    ("FREQ=MONTHLY;BYMONTHDAY=10,-14", "20261110T220000Z", ("months", 12 * 2000 + 3), 119),
    ("FREQ=YEARLY;BYMONTH=12;BYDAY=2WE", "20251210T060000Z", ("months", 12 * 2020), 720),
]


def _earlier(start: str, back: tuple[str, int]) -> str:
    """`start` (yyyymmddThhmmssZ) moved back by whole hours, days or months."""
    at = dt.datetime.strptime(start, "%Y%m%dT%H%M%SZ")
    unit, n = back
    if unit == "months":
        months = at.year * 12 + at.month - 1 - n
        at = at.replace(year=months // 12, month=months % 12 + 1)
    else:
        at -= dt.timedelta(**{unit: n})
    return f"{at.year:04d}{at:%m%dT%H%M%S}Z"


def _rule_calendar(rule: str, start: str, minutes: int, zone: str = "") -> str:
    prefix = f";TZID={zone}" if zone else ""
    stamp = start.rstrip("Z")
    end = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S") + dt.timedelta(minutes=minutes)
    end_text = f"{end.year:04d}{end:%m%dT%H%M%S}" + ("Z" if start.endswith("Z") else "")
    return calendar(event(f"DTSTART{prefix}:{start}", f"DTEND{prefix}:{end_text}",
                          f"RRULE:{rule}", "SUMMARY:Li Wei"))


@pytest.mark.parametrize(("rule", "near", "back", "minutes"), SAME_SERIES,
                         ids=[case[0] for case in SAME_SERIES])
def test_a_series_started_long_before_gives_the_shifts_it_gives_near_the_horizon(
        team: Scenario, rule: str, near: str, back: tuple[str, int], minutes: int) -> None:
    far = _earlier(near, back)
    expected = shifts_of(parse_import(_rule_calendar(rule, near, minutes), "ics", team).rota)
    got = shifts_of(parse_import(_rule_calendar(rule, far, minutes), "ics", team).rota)
    assert expected, "the case must have occurrences in the horizon"
    assert got == expected


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Sao_Paulo"])
def test_a_zoned_weekly_series_from_the_sixteenth_century_keeps_its_local_times(
        team: Scenario, zone: str) -> None:
    near = _rule_calendar("FREQ=WEEKLY;BYDAY=TU,FR", "20261201T090000", 480, zone)
    far = _rule_calendar("FREQ=WEEKLY;BYDAY=TU,FR", "15831206T090000", 480, zone)
    # 1583-12-06 and 2026-12-01 are both Tuesdays; the rule's days come from BYDAY
    assert shifts_of(parse_import(far, "ics", team).rota) == \
        shifts_of(parse_import(near, "ics", team).rota)


def test_an_hourly_rule_from_year_one_gives_the_horizon_hourly(team: Scenario) -> None:
    text = calendar(event("DTSTART:00010101T000000Z", "DTEND:00010101T003000Z",
                          "RRULE:FREQ=HOURLY", "SUMMARY:Li Wei"))
    shifts = parse_import(text, "ics", team).rota.shifts
    assert len(shifts) == 14 * 24  # one half-hour shift each hour of the 14-day horizon


def test_an_until_inside_the_horizon_still_ends_the_series(team: Scenario) -> None:
    text = calendar(event("DTSTART:00010101T000000Z", "DTEND:00010101T010000Z",
                          "RRULE:FREQ=DAILY;UNTIL=20261209T000000Z", "SUMMARY:Li Wei"))
    assert [s[1] for s in shifts_of(parse_import(text, "ics", team).rota)] == \
        ["2026-12-07T00:00Z", "2026-12-08T00:00Z", "2026-12-09T00:00Z"]  # UNTIL is inclusive


BOMBS = [
    ("every second of every day since year 1",
     "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE="
     + ",".join(map(str, range(60))) + ";BYSECOND=" + ",".join(map(str, range(60)))),
    ("a counted rule whose filter never matches, walked from year 1",
     "RRULE:FREQ=HOURLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30"),
    ("ten times a minute through the horizon",
     "RRULE:FREQ=HOURLY;BYMINUTE=" + ",".join(map(str, range(60))) + ";BYSECOND=0,6,12,18,24,30,"
     "36,42,48,54"),
]


@pytest.mark.parametrize(("label", "rule"), BOMBS, ids=[b[0] for b in BOMBS])
def test_recurrence_bombs_are_refused_before_expanding(team: Scenario, label: str,
                                                       rule: str) -> None:
    text = calendar(event("DTSTART:00010101T000000Z", "DTEND:00010101T000001Z", rule,
                          "SUMMARY:Li Wei"))
    with pytest.raises(LimitExceeded, match="too long to expand|occurrences"):
        parse_import(text, "ics", team)


def test_occurrences_past_the_cap_are_refused_as_they_are_counted(
        team: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk budget is an estimate; the count of what was expanded is the guarantee."""
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 100)
    events = [event(f"DTSTART:202612{7 + i:02d}T000000Z", f"DTEND:202612{7 + i:02d}T003000Z",
                    "RRULE:FREQ=HOURLY;COUNT=24", "SUMMARY:Li Wei") for i in range(5)]
    assert len(parse_import(calendar(*events[:4]), "ics", team).rota.shifts) == 96
    with pytest.raises(LimitExceeded, match="more than 100 occurrences"):
        parse_import(calendar(*events), "ics", team)
