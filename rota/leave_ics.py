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
    _calendar_zone,
    _check_events,
    _engineers,
    _occurrences,
    _span,
    _where,
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
    try:
        _check_events(events, layout)
        occurrences = _occurrences(calendar, scenario)
    except RotaInvalid as exc:
        raise InvalidInput(exc.errors, "leave file") from None
    found = LeaveFile(uids={str(e.get("UID")) for e in events})
    calendar_zone = _calendar_zone(calendar)
    matcher = EngineerMatcher(scenario)
    unmatched = UnmatchedLog()
    in_horizon: set[str] = set()
    for occurrence in occurrences:
        in_horizon.add(str(occurrence.get("UID")))
        _read(occurrence, scenario, matcher, calendar_zone, found, unmatched)
    for event in events:
        if str(event.get("UID")) not in in_horizon and not _cancelled(event):
            found.skipped.append(LeaveNote(_where(event), _summary(event), "lies outside the horizon"))
    found.unmatched = unmatched.entries()
    return found


def _summary(event: icalendar.Component) -> str:
    return str(event.get("SUMMARY", "")).strip()


def _cancelled(event: icalendar.Component) -> bool:
    return str(event.get("STATUS", "")).upper() == "CANCELLED"


def _read(occurrence: icalendar.Component, scenario: Scenario, matcher: EngineerMatcher,
          calendar_zone: str | None, found: LeaveFile, unmatched: UnmatchedLog) -> None:
    where, summary, uid = _where(occurrence), _summary(occurrence), str(occurrence.get("UID"))
    if _cancelled(occurrence):
        return
    free = _free(occurrence)
    if free:
        found.skipped.append(LeaveNote(where, summary, f"is marked free ({free}), not out of office"))
        return
    declined = _declined(occurrence, matcher)
    engineers, problem = _engineers(occurrence, matcher)
    engineers = tuple(e for e in engineers if e not in declined)
    if not engineers and declined:
        found.skipped.append(LeaveNote(where, summary, f"was declined by {', '.join(sorted(declined))}"))
        return
    if not engineers:
        organizer = matcher.exact(str(occurrence.get("ORGANIZER", "")))
        if len(organizer) != 1:
            unmatched.add(where, summary, problem or "matches no engineer")
            return
        engineers = organizer
    for engineer in engineers:
        entry = _times(occurrence, scenario.engineer_by_id[engineer].timezone, calendar_zone)
        if entry is None:
            unmatched.add(where, summary, "has no duration (no DTEND or DURATION)")
            return
        start, end = entry
        found.events.append(LeaveEvent(engineer, uid, where, summary[:200] or None, start, end))


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


def _times(event: icalendar.Component, engineer_zone: str,
           calendar_zone: str | None) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime] | None:
    start = getattr(event.get("DTSTART"), "dt", None)
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        end = getattr(event.get("DTEND"), "dt", None)
        if not isinstance(end, dt.date) or isinstance(end, dt.datetime):
            end = start + dt.timedelta(days=1)
        return (start, end) if end > start else None
    span = _span(event, calendar_zone or engineer_zone)
    if span is None:
        return None
    return from_ts(span[0]), from_ts(span[1])
