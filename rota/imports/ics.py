"""Rotas from iCalendar, as PagerDuty, Opsgenie, Grafana OnCall or Google Calendar export them.

Rules, in the order they apply:

- Every VEVENT is an on-call span. Times with TZID (an IANA name, or one defined by a VTIMEZONE
  block in the file) or in UTC are taken as they are. Floating times and all-day dates have no
  zone of their own: they are read in the calendar's X-WR-TIMEZONE when it names an IANA zone, else
  in the matched engineer's zone (an all-day event covers local midnight to local midnight), always
  under the engine's DST policy.
- Recurrences (RRULE, RDATE, EXDATE and RECURRENCE-ID edits) are expanded with
  `recurring-ical-events` over the scenario horizon; occurrences with STATUS:CANCELLED are ignored.
- The engineer is found, first match wins: `X-ROTA-ENGINEER` (written by `rota export-ics`), then
  ATTENDEE e-mails (every attendee who is an engineer, unless PARTSTAT=DECLINED, is on call), then
  the engineers named in SUMMARY, then in DESCRIPTION (see `rota.imports.matching`). An event
  naming no engineer, or several in its text, is reported as unmatched with its line and UID,
  never dropped silently.
- A malformed file (bad structure, an unparseable time or rule, an unknown TZID, DTEND before
  DTSTART) is refused with `RotaInvalid`, each problem with its line.

Leave from calendars (`rota.leave_ics`) reads events the same way, with the steps public here:
`check_events`, `calendar_zone_of`, `event_sources`, `kept_occurrences`, `occurrence_source`,
`occurrence_span` and `event_where`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import icalendar
import recurring_ical_events
from recurring_ical_events.util import to_recurrence_ids as recurrence_ical_ids

from rota.errors import FieldError, LimitExceeded, RotaInvalid
from rota.imports.icslines import EventLines, scan
from rota.imports.matching import EngineerMatcher
from rota.imports.recurrence import Window, bound_recurrences
from rota.imports.result import Imported, UnmatchedLog
from rota.imports.shifts import build_rota
from rota.scenario import Scenario
from rota.spans import Span, to_ts
from rota.team import horizon_range
from rota.windows import date_span
from rota.zones import Role, check_zone, to_utc

LINE_PROPERTY = "X-ROTA-LINE"
ENGINEER_PROPERTY = "X-ROTA-ENGINEER"
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_PAD = dt.timedelta(days=2)  # floating and all-day times may sit up to 14 hours off UTC
_TOO_FREQUENT = ("SECONDLY", "MINUTELY")
MAX_OCCURRENCES = 100_000
"""Occurrences in the horizon an iCal upload may expand to (a few seconds of work at most)."""


def parse_ics_rota(text: str, scenario: Scenario) -> Imported:
    layout = scan(text)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise RotaInvalid([FieldError("line 1", f"not a readable iCalendar file: {exc}")]) from None
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    check_events(events, layout)
    calendar_zone = calendar_zone_of(calendar)
    matcher = EngineerMatcher(scenario)
    spans: dict[str, list[Span]] = defaultdict(list)
    unmatched = UnmatchedLog()
    seen: dict[int, tuple[icalendar.Component, tuple[str, ...], str]] = {}
    sources = event_sources(events)
    for occurrence in kept_occurrences(calendar, events, scenario):
        source, engineers, problem = occurrence_source(occurrence, sources, matcher, seen)
        if str(source.get("STATUS", "")).upper() == "CANCELLED":
            continue
        if problem:
            unmatched.add(event_where(source), str(source.get("SUMMARY", "")).strip(), problem)
            continue
        for engineer in engineers:
            zone_name = calendar_zone or scenario.engineer_by_id[engineer].timezone
            span = occurrence_span(occurrence.start, occurrence.end, zone_name)
            if span is None:
                unmatched.add(event_where(source), str(source.get("SUMMARY", "")).strip(),
                              "has no duration (no DTEND or DURATION)")
                break
            spans[engineer].append(span)
    return Imported(build_rota(scenario, spans), unmatched.entries())


def check_events(events: list[icalendar.Component], layout: list[EventLines]) -> None:
    """Refuse events whose times cannot be read; tag each with its line for later reports."""
    if len(events) != len(layout):
        layout = [EventLines(0) for _ in events]
    errors: list[FieldError] = []
    for event, lines in zip(events, layout, strict=True):
        event.add(LINE_PROPERTY, str(lines.begin))
        if "UID" not in event:
            event.add("UID", f"line-{lines.begin}")
        broken = [
            FieldError(f"line {lines.line_of(name)}", f"{name or 'VEVENT'}: {message}")
            for name, message in event.errors
            if name is None or name.upper() in TIME_PROPERTIES
        ]
        errors += broken or _time_errors(event, lines)
    if errors:
        raise RotaInvalid(errors)


def _time_errors(event: icalendar.Component, lines: EventLines) -> list[FieldError]:
    if "DTSTART" not in event:
        return [FieldError(f"line {lines.begin}", "VEVENT without DTSTART")]
    errors = []
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        prop = event.get(name)
        if prop is None or not hasattr(prop, "params"):
            continue
        tzid = prop.params.get("TZID")
        value = getattr(prop, "dt", None)
        if tzid and isinstance(value, dt.datetime) and value.tzinfo is None:
            errors.append(FieldError(f"line {lines.line_of(name)}",
                                     f"{name}: unknown TZID {tzid!r} (no VTIMEZONE defines it)"))
    frequency = [str(f).upper() for f in (event.get("RRULE") or {}).get("FREQ", [])]
    if any(f in _TOO_FREQUENT for f in frequency):
        errors.append(FieldError(f"line {lines.line_of('RRULE')}",
                                 f"RRULE: FREQ={frequency[0]} is too frequent for on-call shifts"))
    start, end = event.get("DTSTART"), event.get("DTEND")
    if end is not None and not errors:
        problem = _order_problem(start.dt, end.dt)
        if problem:
            errors.append(FieldError(f"line {lines.line_of('DTEND')}", problem))
    return errors


def _order_problem(start: dt.date, end: dt.date) -> str | None:
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        return "DTSTART and DTEND must both be dates or both date-times"
    if (
        isinstance(start, dt.datetime)
        and isinstance(end, dt.datetime)
        and (start.tzinfo is None) != (end.tzinfo is None)
    ):
        return "DTSTART and DTEND must both have a zone or both be floating"
    return None if start < end else "DTEND is not after DTSTART"  # type: ignore[operator]


def calendar_zone_of(calendar: icalendar.Calendar) -> str | None:
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    try:
        return check_zone(name) if name else None
    except ValueError:
        return None


class _Kept(recurring_ical_events.Occurrence):
    """An occurrence that keeps what it was made from, so each source is read once, not copied."""

    def __init__(self, adapter: Any, start: Any = None, end: Any = None,
                 sequence: int = -1) -> None:
        super().__init__(adapter, start, end, sequence)
        self.source = adapter


def kept_occurrences(calendar: icalendar.Calendar, events: list[icalendar.Component],
                 scenario: Scenario) -> Iterator[_Kept]:
    """Occurrences overlapping the horizon, padded for zoneless times (cut to it later).

    Recurrences are bounded to the window first (`rota.imports.recurrence`), and occurrences are
    counted as they come: past `MAX_OCCURRENCES` the calendar is refused at once.
    """
    lo, hi = horizon_range(scenario)
    window = Window(dt.datetime.fromtimestamp(lo, dt.UTC) - _PAD,
                    dt.datetime.fromtimestamp(hi, dt.UTC) + _PAD)
    bound_recurrences(events, window)
    found = 0
    try:
        query = recurring_ical_events.of(calendar, components=[
            recurring_ical_events.ComponentsWithName("VEVENT", occurrence=_Kept)])
        for series in query.series:
            for occurrence in series.between(window.start, window.stop):
                found += 1
                if found > MAX_OCCURRENCES:
                    raise LimitExceeded(f"the calendar has more than {MAX_OCCURRENCES} "
                                        f"occurrences in the horizon")
                assert isinstance(occurrence, _Kept)
                yield occurrence
    except (ValueError, OverflowError, recurring_ical_events.InvalidCalendar) as exc:
        raise RotaInvalid([FieldError("recurrences", f"cannot expand: {exc}")]) from None


def occurrence_source(occurrence: _Kept, sources: dict[tuple[str, tuple[Any, ...]], icalendar.Component],
            matcher: EngineerMatcher,
            seen: dict[int, tuple[icalendar.Component, tuple[str, ...], str]]
            ) -> tuple[icalendar.Component, tuple[str, ...], str]:
    """The event an occurrence comes from, with its engineers: worked out once per event."""
    key = id(occurrence.source)
    if key not in seen:
        component = sources.get((occurrence.uid, occurrence.recurrence_ids))
        if component is None:
            component = occurrence.as_component(False)
        seen[key] = (component, *_engineers(component, matcher))
    return seen[key]


def event_sources(events: list[icalendar.Component]
             ) -> dict[tuple[str, tuple[Any, ...]], icalendar.Component]:
    """Events by UID and RECURRENCE-ID; where these repeat, the highest SEQUENCE (as expanded)."""
    found: dict[tuple[str, tuple[Any, ...]], icalendar.Component] = {}
    for event in events:
        recurrence = event.get("RECURRENCE-ID")
        ids = () if recurrence is None else recurrence_ical_ids(recurrence.dt)
        key = (str(event.get("UID")), ids)
        if key not in found or _sequence(event) >= _sequence(found[key]):
            found[key] = event
    return found


def _sequence(event: icalendar.Component) -> int:
    try:
        return int(event.get("SEQUENCE", -1))
    except (TypeError, ValueError):
        return -1


def event_where(occurrence: icalendar.Component) -> str:
    line = str(occurrence.get(LINE_PROPERTY, "0"))
    uid = str(occurrence.get("UID", ""))
    if uid == f"line-{line}":
        return f"line {line}"
    return f"line {line}, UID {uid}"


def _engineers(event: icalendar.Component, matcher: EngineerMatcher) -> tuple[tuple[str, ...], str]:
    """The engineers an event puts on call, or a reason it names none (or too many)."""
    own = event.get(ENGINEER_PROPERTY)
    if own is not None and matcher.exact(str(own)):
        return matcher.exact(str(own))[:1], ""
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    found: dict[str, None] = {}
    for attendee in attendees:
        if str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        for engineer in matcher.exact(str(attendee)):
            found.setdefault(engineer)
    if found:
        return tuple(found), ""
    for name in ("SUMMARY", "DESCRIPTION"):
        named = matcher.named_in(str(event.get(name, "")))
        if len(named) == 1:
            return named, ""
        if named:
            return (), f"names several engineers in its {name} ({', '.join(named)})"
    return (), "matches no engineer"


def occurrence_span(start: dt.date, end: dt.date, zone_name: str) -> Span | None:
    if start == end:
        return None
    if not isinstance(start, dt.datetime):
        end_day = end.date() if isinstance(end, dt.datetime) else end
        return date_span(start, end_day, zone_name) if end_day > start else None
    if not isinstance(end, dt.datetime):
        end = dt.datetime.combine(end, dt.time())
    s, e = _instant(start, zone_name, "start"), _instant(end, zone_name, "end")
    return (s, e) if s < e else None


def _instant(value: dt.datetime, zone_name: str, role: Role) -> int:
    if value.tzinfo is None:
        return to_ts(to_utc(value, zone_name, role))
    return to_ts(value)
