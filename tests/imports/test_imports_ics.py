"""iCalendar import: times and zones, recurrences, matching, unmatched entries and malformed files.

The team (fixtures/team.yaml): li-wei (Asia/Shanghai, li.wei@example.com), ana-souza
(America/Sao_Paulo), priya (Asia/Kolkata, no e-mail), tom (Europe/London); horizon 2026-12-07 for
14 days (UTC).
"""

from __future__ import annotations

import datetime as dt

import pytest
from icsbuild import FIXTURES, calendar, event, shifts_of

from rota.errors import RotaInvalid
from rota.imports import parse_import, read_import
from rota.scenario import Horizon, Scenario

CUSTOM_ZONE = """BEGIN:VTIMEZONE
TZID:Jakarta Time
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0700
TZOFFSETTO:+0700
TZNAME:WIB
END:STANDARD
END:VTIMEZONE"""

TIME_CASES = [
    ("UTC times", [event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z", "SUMMARY:li-wei")],
     "", [("li-wei", "2026-12-07T11:00Z", "2026-12-07T16:00Z")]),
    ("TZID naming an IANA zone, no VTIMEZONE",
     [event("DTSTART;TZID=Asia/Shanghai:20261207T190000",
            "DTEND;TZID=Asia/Shanghai:20261208T010000", "SUMMARY:Li Wei")],
     "", [("li-wei", "2026-12-07T11:00Z", "2026-12-07T17:00Z")]),
    ("TZID defined by a VTIMEZONE block",
     [CUSTOM_ZONE, event("DTSTART;TZID=Jakarta Time:20261207T190000",
                         "DTEND;TZID=Jakarta Time:20261207T230000", "SUMMARY:Li Wei")],
     "", [("li-wei", "2026-12-07T12:00Z", "2026-12-07T16:00Z")]),
    ("DURATION instead of DTEND",
     [event("DTSTART:20261207T110000Z", "DURATION:PT6H30M", "SUMMARY:li-wei")],
     "", [("li-wei", "2026-12-07T11:00Z", "2026-12-07T17:30Z")]),
    ("all-day event: local midnights of the engineer's zone",
     [event("DTSTART;VALUE=DATE:20261212", "DTEND;VALUE=DATE:20261214", "SUMMARY:Li Wei")],
     "", [("li-wei", "2026-12-11T16:00Z", "2026-12-13T16:00Z")]),
    ("all-day event without DTEND lasts one day",
     [event("DTSTART;VALUE=DATE:20261212", "SUMMARY:Tom Hughes")],
     "", [("tom", "2026-12-12T00:00Z", "2026-12-13T00:00Z")]),
    ("all-day event in the calendar's X-WR-TIMEZONE",
     [event("DTSTART;VALUE=DATE:20261212", "DTEND;VALUE=DATE:20261213", "SUMMARY:Li Wei")],
     "X-WR-TIMEZONE:Europe/London", [("li-wei", "2026-12-12T00:00Z", "2026-12-13T00:00Z")]),
    ("floating time read in the engineer's zone",
     [event("DTSTART:20261207T090000", "DTEND:20261207T170000", "SUMMARY:Priya")],
     "", [("priya", "2026-12-07T03:30Z", "2026-12-07T11:30Z")]),
    ("overlapping layers of one engineer merge, touching ones stay apart",
     [event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z", "SUMMARY:li-wei primary"),
      event("DTSTART:20261207T140000Z", "DTEND:20261207T180000Z", "SUMMARY:li-wei secondary"),
      event("DTSTART:20261207T180000Z", "DTEND:20261207T200000Z", "SUMMARY:li-wei again")],
     "", [("li-wei", "2026-12-07T11:00Z", "2026-12-07T18:00Z"),
          ("li-wei", "2026-12-07T18:00Z", "2026-12-07T20:00Z")]),
    ("events are cut to the horizon; ones outside it are left out",
     [event("DTSTART:20261206T200000Z", "DTEND:20261207T020000Z", "SUMMARY:tom"),
      event("DTSTART:20261120T000000Z", "DTEND:20261121T000000Z", "SUMMARY:tom"),
      event("DTSTART:20261220T200000Z", "DTEND:20261221T050000Z", "SUMMARY:tom")],
     "", [("tom", "2026-12-07T00:00Z", "2026-12-07T02:00Z"),
          ("tom", "2026-12-20T20:00Z", "2026-12-21T00:00Z")]),
    ("CANCELLED events are ignored",
     [event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z", "SUMMARY:li-wei",
            "STATUS:CANCELLED"),
      event("DTSTART:20261208T110000Z", "DTEND:20261208T160000Z", "SUMMARY:li-wei",
            "STATUS:CONFIRMED")],
     "", [("li-wei", "2026-12-08T11:00Z", "2026-12-08T16:00Z")]),
]

RECURRENCE_CASES = [
    ("RRULE with COUNT",
     [event("DTSTART;TZID=Asia/Shanghai:20261207T190000",
            "DTEND;TZID=Asia/Shanghai:20261207T230000", "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:Li Wei")],
     [("li-wei", "2026-12-07T11:00Z", "2026-12-07T15:00Z"),
      ("li-wei", "2026-12-08T11:00Z", "2026-12-08T15:00Z"),
      ("li-wei", "2026-12-09T11:00Z", "2026-12-09T15:00Z")]),
    ("EXDATE removes an occurrence",
     [event("DTSTART;TZID=Asia/Shanghai:20261207T190000",
            "DTEND;TZID=Asia/Shanghai:20261207T230000", "RRULE:FREQ=DAILY;COUNT=3",
            "EXDATE;TZID=Asia/Shanghai:20261208T190000", "SUMMARY:Li Wei", uid="r1")],
     [("li-wei", "2026-12-07T11:00Z", "2026-12-07T15:00Z"),
      ("li-wei", "2026-12-09T11:00Z", "2026-12-09T15:00Z")]),
    ("RECURRENCE-ID moves one occurrence and may hand it to someone else",
     [event("DTSTART:20261207T110000Z", "DTEND:20261207T150000Z", "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:Li Wei", uid="r2"),
      event("RECURRENCE-ID:20261208T110000Z", "DTSTART:20261208T130000Z",
            "DTEND:20261208T170000Z", "SUMMARY:Ana Souza covers", uid="r2")],
     [("li-wei", "2026-12-07T11:00Z", "2026-12-07T15:00Z"),
      ("ana-souza", "2026-12-08T13:00Z", "2026-12-08T17:00Z"),
      ("li-wei", "2026-12-09T11:00Z", "2026-12-09T15:00Z")]),
    ("RECURRENCE-ID with STATUS:CANCELLED cancels one occurrence",
     [event("DTSTART:20261207T110000Z", "DTEND:20261207T150000Z", "RRULE:FREQ=DAILY;COUNT=3",
            "SUMMARY:Li Wei", uid="r3"),
      event("RECURRENCE-ID:20261209T110000Z", "DTSTART:20261209T110000Z",
            "DTEND:20261209T150000Z", "STATUS:CANCELLED", "SUMMARY:Li Wei", uid="r3")],
     [("li-wei", "2026-12-07T11:00Z", "2026-12-07T15:00Z"),
      ("li-wei", "2026-12-08T11:00Z", "2026-12-08T15:00Z")]),
    ("an endless RRULE is expanded over the horizon only",
     [event("DTSTART;TZID=Europe/London:20261101T090000",
            "DTEND;TZID=Europe/London:20261101T170000", "RRULE:FREQ=WEEKLY;BYDAY=SA",
            "SUMMARY:tom")],
     [("tom", "2026-12-12T09:00Z", "2026-12-12T17:00Z"),
      ("tom", "2026-12-19T09:00Z", "2026-12-19T17:00Z")]),
]


@pytest.mark.parametrize(("events", "header", "expected"),
                         [c[1:] for c in TIME_CASES], ids=[c[0] for c in TIME_CASES])
def test_times_become_utc_shifts(team: Scenario, events: list[str], header: str,
                                 expected: list[tuple[str, str, str]]) -> None:
    imported = parse_import(calendar(*events, header=header), "ics", team)
    assert shifts_of(imported.rota) == expected
    assert imported.unmatched == ()


@pytest.mark.parametrize(("events", "expected"), [c[1:] for c in RECURRENCE_CASES],
                         ids=[c[0] for c in RECURRENCE_CASES])
def test_recurrences_expand(team: Scenario, events: list[str],
                            expected: list[tuple[str, str, str]]) -> None:
    assert shifts_of(parse_import(calendar(*events), "ics", team).rota) == expected


def test_a_daily_rrule_keeps_local_time_across_a_dst_change(team: Scenario) -> None:
    march = team.model_copy(update={"horizon": Horizon(start=dt.date(2026, 3, 6), days=4)})
    text = calendar(event("DTSTART;TZID=America/New_York:20260306T090000",
                          "DTEND;TZID=America/New_York:20260306T170000",
                          "RRULE:FREQ=DAILY", "SUMMARY:tom"))
    assert shifts_of(parse_import(text, "ics", march).rota) == [
        ("tom", "2026-03-06T14:00Z", "2026-03-06T22:00Z"),
        ("tom", "2026-03-07T14:00Z", "2026-03-07T22:00Z"),
        ("tom", "2026-03-08T13:00Z", "2026-03-08T21:00Z"),  # EDT from 8 March
        ("tom", "2026-03-09T13:00Z", "2026-03-09T21:00Z"),
    ]


MATCH_CASES = [
    ("attendee e-mail, any case, wins over the summary",
     ["ATTENDEE;CN=Someone:MAILTO:LI.WEI@EXAMPLE.COM", "SUMMARY:Tom Hughes"], "li-wei"),
    ("summary names the engineer's id", ["SUMMARY:[L1] ana-souza"], "ana-souza"),
    ("summary names the engineer, any case", ["SUMMARY:On Call - PRIYA NATARAJAN - Primary"],
     "priya"),
    ("summary holds the e-mail", ["SUMMARY:tom.hughes@example.co.uk (primary)"], "tom"),
    ("description when the summary names no one",
     ["SUMMARY:Primary", "DESCRIPTION:Escalation for Streaming: Ana Souza"], "ana-souza"),
    ("an attendee who is not an engineer falls back to the summary",
     ["ATTENDEE:mailto:manager@example.com", "SUMMARY:Priya"], "priya"),
    ("export marker X-ROTA-ENGINEER first", ["X-ROTA-ENGINEER:tom", "SUMMARY:Li Wei"], "tom"),
]


@pytest.mark.parametrize(("lines", "engineer"), [c[1:] for c in MATCH_CASES],
                         ids=[c[0] for c in MATCH_CASES])
def test_engineer_matching(team: Scenario, lines: list[str], engineer: str) -> None:
    text = calendar(event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z", *lines))
    assert [s.engineer for s in parse_import(text, "ics", team).rota.shifts] == [engineer]


def test_every_matching_attendee_is_on_call(team: Scenario) -> None:
    text = calendar(event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z",
                          "ATTENDEE:mailto:li.wei@example.com",
                          "ATTENDEE:mailto:ana.souza@example.com", "SUMMARY:pair"))
    assert sorted(s.engineer for s in parse_import(text, "ics", team).rota.shifts) == [
        "ana-souza", "li-wei"]


def test_unmatched_events_are_reported_with_line_and_uid(team: Scenario) -> None:
    text = calendar(
        event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z", "SUMMARY:Li Wei"),
        event("DTSTART:20261207T160000Z", "DTEND:20261207T200000Z", "RRULE:FREQ=DAILY;COUNT=3",
              "SUMMARY:On call - Jordan Blake", uid="jordan@pd"),
        event("DTSTART:20261208T110000Z", "DTEND:20261208T160000Z",
              "SUMMARY:Ana Souza and Priya", uid="pair@pd"),
    )
    imported = parse_import(text, "ics", team)
    assert shifts_of(imported.rota) == [("li-wei", "2026-12-07T11:00Z", "2026-12-07T16:00Z")]
    assert [str(u) for u in imported.unmatched] == [
        "line 11, UID jordan@pd: 'On call - Jordan Blake' matches no engineer (3 occurrences)",
        "line 19, UID pair@pd: 'Ana Souza and Priya' names several engineers in its SUMMARY "
        "(ana-souza, priya)",
    ]


MALFORMED = [
    ("not iCalendar at all", "hello, world\n", "line 1", "not an iCalendar content line"),
    ("no VCALENDAR", "BEGIN:VEVENT\nEND:VEVENT\n", "line 1", "outside BEGIN:VCALENDAR"),
    ("unclosed VEVENT", calendar("BEGIN:VEVENT\nUID:x\nDTSTART:20261207T110000Z"), "line 7",
     "END:VCALENDAR where END:VEVENT was expected"),
    ("bad DTSTART", calendar(event("DTSTART:2026-12-45", "DTEND:20261207T160000Z")), "line 7",
     "DTSTART"),
    ("missing DTSTART", calendar(event("SUMMARY:Li Wei")), "line 4", "VEVENT without DTSTART"),
    ("unknown TZID", calendar(event("DTSTART;TZID=Mars/Olympus:20261207T110000",
                                    "DTEND;TZID=Mars/Olympus:20261207T160000")),
     "line 7", "unknown TZID 'Mars/Olympus'"),
    ("DTEND before DTSTART", calendar(event("DTSTART:20261207T110000Z",
                                            "DTEND:20261207T100000Z")),
     "line 8", "DTEND is not after DTSTART"),
    ("bad RRULE", calendar(event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z",
                                 "RRULE:FREQ=SOMETIMES")), "line 9", "RRULE"),
    ("runaway RRULE", calendar(event("DTSTART:20261207T110000Z", "DTEND:20261207T110030Z",
                                     "RRULE:FREQ=MINUTELY")), "line 9", "too frequent"),
]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])
def test_malformed_files_name_the_line(team: Scenario, text: str, line: str, message: str) -> None:
    with pytest.raises(RotaInvalid) as caught:
        parse_import(text, "ics", team)
    assert caught.value.errors[0].path == line
    assert message in caught.value.errors[0].message


def test_pagerduty_export(team: Scenario) -> None:
    imported = read_import(FIXTURES / "pagerduty.ics", team)
    assert shifts_of(imported.rota) == [
        ("li-wei", "2026-12-07T11:00Z", "2026-12-07T18:00Z"),  # primary and secondary merged
        ("ana-souza", "2026-12-07T16:00Z", "2026-12-08T01:00Z"),
        ("priya", "2026-12-08T01:00Z", "2026-12-08T09:00Z"),
        ("tom", "2026-12-08T17:00Z", "2026-12-09T01:00Z"),
    ]
    assert imported.rota.team == "streaming-sre" and imported.rota.version == 0
    assert imported.rota.horizon == team.horizon
    assert imported.warnings() == [
        "line 54, UID Q1JORDAN001@pagerduty.com: 'On Call - Jordan Blake - Streaming SRE - "
        "Primary' matches no engineer"]


def test_google_calendar_export(team: Scenario) -> None:
    imported = read_import(FIXTURES / "google-calendar.ics", team)
    li_wei = [(s, e) for who, s, e in shifts_of(imported.rota) if who == "li-wei"]
    assert li_wei == [  # weekdays 18-24 Shanghai; 9 Dec excluded, 10 Dec moved, 11 Dec cancelled
        ("2026-12-07T10:00Z", "2026-12-07T16:00Z"), ("2026-12-08T10:00Z", "2026-12-08T16:00Z"),
        ("2026-12-10T12:00Z", "2026-12-10T16:00Z"), ("2026-12-14T10:00Z", "2026-12-14T16:00Z"),
        ("2026-12-15T10:00Z", "2026-12-15T16:00Z"), ("2026-12-16T10:00Z", "2026-12-16T16:00Z"),
        ("2026-12-17T10:00Z", "2026-12-17T16:00Z"), ("2026-12-18T10:00Z", "2026-12-18T16:00Z"),
    ]
    assert ("tom", "2026-12-12T00:00Z", "2026-12-14T00:00Z") in shifts_of(imported.rota)
    assert [u.where for u in imported.unmatched] == ["line 94, UID pair0shift@google.com"]


def test_a_declined_attendee_is_not_on_call(team: Scenario) -> None:
    text = calendar(event("DTSTART:20261207T110000Z", "DTEND:20261207T160000Z",
                          "ATTENDEE;PARTSTAT=DECLINED:mailto:li.wei@example.com",
                          "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana.souza@example.com"))
    assert [s.engineer for s in parse_import(text, "ics", team).rota.shifts] == ["ana-souza"]


def test_mixed_date_and_date_time_is_refused(team: Scenario) -> None:
    text = calendar(event("DTSTART;VALUE=DATE:20261207", "DTEND:20261208T000000Z"))
    with pytest.raises(RotaInvalid) as caught:
        parse_import(text, "ics", team)
    assert str(caught.value.errors[0]) == (
        "line 8: DTSTART and DTEND must both be dates or both date-times")
