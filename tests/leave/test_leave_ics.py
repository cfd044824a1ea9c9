"""Leave from an out-of-office calendar: what becomes leave, what is noted, and re-imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rota.availability import leave_spans
from rota.errors import InvalidInput
from rota.leave_files import import_leave
from rota.scenario import Leave, Scenario
from rota.validation import load_scenario, parse_scenario

FIXTURES = Path(__file__).parent / "fixtures"
OOO = (FIXTURES / "ooo.ics").read_text()


@pytest.fixture
def team() -> Scenario:
    return load_scenario(FIXTURES / "team.yaml")


def leave_of(scenario: Scenario, engineer: str) -> list[tuple[str, str, str | None]]:
    return [(str(e.start), str(e.end), e.uid) for e in scenario.engineer_by_id[engineer].unavailable]


def test_events_become_each_engineers_leave(team: Scenario) -> None:
    result = import_leave(OOO, "ics", team)
    assert leave_of(result.scenario, "ana") == [
        ("2026-12-21", "2026-12-24", "vac-ana@google.com"),       # all-day: local dates, organizer's
        ("2026-12-24", "2026-12-26", "ana-extends@google.com"),   # trimmed to what was not yet covered
        ("2027-01-02", "2027-01-03", None),                       # typed by hand: kept
    ]
    assert leave_of(result.scenario, "bo") == [
        ("2026-12-09 13:00:00+00:00", "2026-12-09 17:00:00+00:00", "dentist-bo@google.com"),
        # weekly on Fridays: the 18th is cancelled, the 25th an EXDATE
        ("2026-12-11 18:00:00+00:00", "2026-12-11 23:00:00+00:00", "bo-fridays@google.com"),
        ("2027-01-01 18:00:00+00:00", "2027-01-01 23:00:00+00:00", "bo-fridays@google.com"),
    ]
    assert leave_of(result.scenario, "chen") == []
    assert (len(result.added), len(result.removed), result.unchanged) == (5, 0, 0)


def test_nothing_is_dropped_quietly(team: Scenario) -> None:
    result = import_leave(OOO, "ics", team)
    notes = {n.where: n.reason for n in result.skipped}
    assert notes == {
        "line 13, UID vac-ana-outlook@example.com": "duplicates line 6 (stored once)",
        "line 21, UID ana-extends@google.com":
            "overlaps ana's other leave; stored only the part not yet covered",
        "line 51, UID offsite@google.com": "was declined by chen",
        "line 58, UID focus@google.com": "is marked free (TRANSP:TRANSPARENT), not out of office",
        "line 72, UID last-year@google.com": "lies outside the horizon",
    }
    assert [(u.where, u.text, u.reason) for u in result.unmatched] == [
        ("line 78, UID ghost@google.com", "OOO", "matches no engineer")]


def test_reimporting_the_same_file_changes_nothing(team: Scenario) -> None:
    first = import_leave(OOO, "ics", team)
    again = import_leave(OOO, "ics", first.scenario)
    assert (again.added, again.removed, again.unchanged) == ([], [], 5)
    assert again.scenario == first.scenario
    assert not again.changed


def test_an_updated_export_moves_and_cancels_by_uid(team: Scenario) -> None:
    first = import_leave(OOO, "ics", team).scenario
    moved = OOO.replace("DTSTART;TZID=America/New_York:20261209T080000",
                        "DTSTART;TZID=America/New_York:20261210T080000").replace(
                        "DTEND;TZID=America/New_York:20261209T120000",
                        "DTEND;TZID=America/New_York:20261210T120000")
    moved = moved.replace("SUMMARY:Christmas away\n", "SUMMARY:Christmas away\nSTATUS:CANCELLED\n")
    result = import_leave(moved, "ics", first)
    assert [str(c) for c in result.removed] == [
        "ana 2026-12-24 .. 2026-12-26 (local dates) 'Christmas away'",
        "bo 2026-12-09T13:00Z .. 2026-12-09T17:00Z (UTC) 'Dentist (Bo Lindqvist)'"]
    assert [str(c) for c in result.added] == [
        "bo 2026-12-10T13:00Z .. 2026-12-10T17:00Z (UTC) 'Dentist (Bo Lindqvist)'"]


def test_an_all_day_event_across_dst_is_local_midnight_to_local_midnight() -> None:
    scenario = parse_scenario({
        "team": "t", "horizon": {"start": "2027-03-22", "days": 14},
        "regions": [{"id": "eu", "timezone": "Europe/London"}],
        "engineers": [{"id": "ana", "timezone": "Europe/London", "regions": ["eu"],
                       "contact": {"email": "ana@example.com"}}]})
    text = OOO.split("BEGIN:VEVENT")[0] + (
        "BEGIN:VEVENT\nUID:easter@x\nDTSTART;VALUE=DATE:20270326\nDTEND;VALUE=DATE:20270330\n"
        "SUMMARY:Easter\nORGANIZER:mailto:ana@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    result = import_leave(text, "ics", scenario)
    ana = result.scenario.engineers[0]
    assert ana.unavailable == (Leave(start=dt.date(2027, 3, 26), end=dt.date(2027, 3, 30),
                                     reason="Easter", uid="easter@x"),)
    [(start, end)] = leave_spans(ana)
    assert end - start == (4 * 24 - 1) * 3600  # the clocks went forward on 28 March
    assert dt.datetime.fromtimestamp(end, dt.UTC) == dt.datetime(2027, 3, 29, 23, tzinfo=dt.UTC)
    assert [str(n) for n in result.skipped] == [
        "line 6, UID easter@x: 'Easter' spans a DST change in Europe/London: stored as local dates, 95 h for 4 days"]


def test_a_malformed_file_names_its_lines_and_changes_nothing(team: Scenario) -> None:
    broken = OOO.replace("DTEND;VALUE=DATE:20261224\nSUMMARY:Vacation", "DTEND;VALUE=DATE:20261220\nSUMMARY:Vacation")
    with pytest.raises(InvalidInput) as caught:
        import_leave(broken, "ics", team)
    assert [str(e) for e in caught.value.errors] == ["line 9: DTEND is not after DTSTART"]


def test_strict_refuses_unmatched_events(team: Scenario) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_leave(OOO, "ics", team, strict=True)
    assert [str(e) for e in caught.value.errors] == [
        "line 78, UID ghost@google.com: 'OOO' matches no engineer"]


def test_more_leave_than_the_limit_is_refused_with_its_path(team: Scenario) -> None:
    many = OOO.split("BEGIN:VEVENT")[0] + "".join(
        f"BEGIN:VEVENT\nUID:m{i}@x\nDTSTART:{(dt.datetime(2026, 12, 7) + dt.timedelta(hours=i)):%Y%m%dT%H%M%SZ}\n"
        f"DURATION:PT30M\nORGANIZER:mailto:bo@example.com\nEND:VEVENT\n" for i in range(501)) + "END:VCALENDAR\n"
    with pytest.raises(InvalidInput) as caught:
        import_leave(many, "ics", team)
    assert [str(e) for e in caught.value.errors] == ["engineers[1].unavailable: 501 entries; the limit is 500"]
