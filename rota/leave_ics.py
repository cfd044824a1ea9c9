"""Out-of-office events from an iCalendar file (a Google or Outlook export, or a feed) as leave.

It reads the file as `rota.imports.ics` reads a rota (the same line checks, recurrence expansion
over the horizon and matching), with these differences for leave:

- Every event is leave, except those marked free (`TRANSP:TRANSPARENT`, or Outlook's
  `X-MICROSOFT-CDO-BUSYSTATUS` other than OOF or BUSY): those are skipped and noted.
- Whose leave: `X-ROTA-ENGINEER`, then attendees who have not declined, then the engineers named
  in SUMMARY or DESCRIPTION, then the ORGANIZER (an out-of-office event usually has no attendees:
  it is the organizer's). An event every engineer-attendee declined is noted, not stored.
- CANCELLED events and occurrences are not leave; their UID still counts as mentioned, so leave
  imported from them earlier is removed.
- All-day events are local dates in the engineer's zone; timed ones are instants (floating times
  in the calendar's X-WR-TIMEZONE, else the engineer's zone).
"""

from __future__ import annotations

import datetime as dt

import icalendar

from rota.errors import FieldError, InvalidInput, RotaInvalid
from rota.imports.ics import (
    calendar_zone_of,
    check_events,
    event_sources,
    event_where,
    kept_occurrences,
    occurrence_source,
    occurrence_span,
)
from rota.imports.icslines import scan
from rota.imports.matching import EngineerMatcher
from rota.imports.result import UnmatchedLog
from rota.leave import LeaveEvent, LeaveFile, LeaveNote
from rota.scenario import Scenario
from rota.spans import from_ts

_BUSY = ("OOF", "BUSY")


def read_leave_ics(text: str, scenario: Scenario) -> LeaveFile:
    try:
        layout = scan(text)
        calendar = icalendar.Calendar.from_ical(text)
    except RotaInvalid as exc:
        raise InvalidInput(exc.errors, "leave file") from None
    except ValueError as exc:
        raise InvalidInput([FieldError("line 1", f"not a readable iCalendar file: {exc}")],
                           "leave file") from None
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    found = LeaveFile(uids={str(e.get("UID")) for e in events})
    calendar_zone = calendar_zone_of(calendar)
    matcher = EngineerMatcher(scenario)
    unmatched = UnmatchedLog()
    in_horizon: set[str] = set()
    seen: dict[int, tuple[icalendar.Component, tuple[str, ...], str]] = {}
    try:
        check_events(events, layout)
        sources = event_sources(events)
        for occurrence in kept_occurrences(calendar, events, scenario):
            source, engineers, problem = occurrence_source(occurrence, sources, matcher, seen)
            in_horizon.add(str(source.get("UID")))
            _read(occurrence.start, occurrence.end, source, engineers, problem, scenario, matcher,
                  calendar_zone, found, unmatched)
    except RotaInvalid as exc:
        raise InvalidInput(exc.errors, "leave file") from None
    for event in events:
        if str(event.get("UID")) not in in_horizon and not _cancelled(event):
            found.skipped.append(LeaveNote(event_where(event), _summary(event), "lies outside the horizon"))
    found.unmatched = unmatched.entries()
    return found


def _summary(event: icalendar.Component) -> str:
    return str(event.get("SUMMARY", "")).strip()


def _cancelled(event: icalendar.Component) -> bool:
    return str(event.get("STATUS", "")).upper() == "CANCELLED"


def _read(start: dt.date, end: dt.date, source: icalendar.Component, engineers: tuple[str, ...], problem: str,
          scenario: Scenario, matcher: EngineerMatcher, calendar_zone: str | None, found: LeaveFile,
          unmatched: UnmatchedLog) -> None:
    """One occurrence (`start`, `end`) of the event `source`, with the engineers it names."""
    where, summary, uid = event_where(source), _summary(source), str(source.get("UID"))
    if _cancelled(source):
        return
    free = _free(source)
    if free:
        found.skipped.append(LeaveNote(where, summary, f"is marked free ({free}), not out of office"))
        return
    declined = _declined(source, matcher)
    engineers = tuple(e for e in engineers if e not in declined)
    if not engineers and declined:
        found.skipped.append(LeaveNote(where, summary, f"was declined by {', '.join(sorted(declined))}"))
        return
    if not engineers:
        organizer = matcher.exact(str(source.get("ORGANIZER", "")))
        if len(organizer) != 1:
            unmatched.add(where, summary, problem or "matches no engineer")
            return
        engineers = organizer
    for engineer in engineers:
        entry = _times(start, end, scenario.engineer_by_id[engineer].timezone, calendar_zone)
        if entry is None:
            unmatched.add(where, summary, "has no duration (no DTEND or DURATION)")
            return
        found.events.append(LeaveEvent(engineer, uid, where, summary[:200] or None, *entry))


def _free(event: icalendar.Component) -> str | None:
    if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
        return "TRANSP:TRANSPARENT"
    status = str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    if status and status not in _BUSY:
        return f"X-MICROSOFT-CDO-BUSYSTATUS:{status}"
    return None


def _declined(event: icalendar.Component, matcher: EngineerMatcher) -> set[str]:
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return {engineer for a in attendees
            if str(getattr(a, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
            for engineer in matcher.exact(str(a))}


def _times(start: dt.date, end: dt.date, engineer_zone: str,
           calendar_zone: str | None) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime] | None:
    if not isinstance(start, dt.datetime):  # all-day: local dates, end exclusive
        end_day = end.date() if isinstance(end, dt.datetime) else end
        return (start, end_day) if end_day > start else None
    span = occurrence_span(start, end, calendar_zone or engineer_zone)
    if span is None:
        return None
    return from_ts(span[0]), from_ts(span[1])
