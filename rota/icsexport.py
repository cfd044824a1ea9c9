"""The one iCalendar writer: `rota export-ics` and the API's calendar feed both call `rota_to_ics`.

What it writes (RFC 5545, through `icalendar`):

- one VEVENT per on-call span, in UTC (`...Z`), so no VTIMEZONE is needed. The spans are the
  rota's shifts with its overrides applied in order (a replacement cuts the replaced engineer's
  shift, the override becomes its own event); overlapping spans of one engineer are joined, touching
  ones are not, so a rota without overrides round-trips through `rota.imports` unchanged;
- a stable UID per event, a hash of team, engineer and start: a calendar client updates an edited
  shift in place instead of duplicating it;
- DTSTAMP from `stamp`, else from the rota itself (its horizon start, else its first shift), never
  from the clock, so the same rota always gives the same bytes; SEQUENCE is the rota version;
- SUMMARY "On call: <regions the engineer serves> (<name>)", ATTENDEE with the e-mail when the
  scenario knows it, and `X-ROTA-ENGINEER` with the id, which the importer reads first;
- `REFRESH-INTERVAL;VALUE=DURATION:PT1H` and `X-PUBLISHED-TTL:PT1H`, so subscribed clients poll
  hourly.

Without a scenario only ids are known: the summary names the engineer id and there is no ATTENDEE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

import icalendar

from rota.imports.ics import ENGINEER_PROPERTY
from rota.imports.shifts import merge_overlapping
from rota.rotafile import Rota
from rota.scenario import Engineer, Scenario
from rota.spans import Span, from_ts, iso_z, subtract, to_ts

PRODID = "-//rota//follow-the-sun on-call engine//EN"
REFRESH = dt.timedelta(hours=1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def rota_to_ics(
    scenario: Scenario | None,
    rota: Rota,
    engineer_id: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The rota (or one engineer's part of it) as an iCalendar file."""
    calendar = _calendar(scenario, rota, engineer_id)
    dtstamp = (stamp or _default_stamp(rota)).astimezone(dt.UTC)
    spans = effective_spans(rota)
    events = sorted(
        (start, engineer, end)
        for engineer, own in spans.items()
        if engineer_id is None or engineer == engineer_id
        for start, end in own
    )
    for start, engineer, end in events:
        person = scenario.engineer_by_id.get(engineer) if scenario else None
        calendar.add_component(_event(rota, engineer, person, scenario, (start, end), dtstamp))
    return calendar.to_ical()


def effective_spans(rota: Rota) -> dict[str, list[Span]]:
    """Each engineer's on-call spans with the overrides applied, shift boundaries kept."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for shift in rota.shifts:
        spans[shift.engineer].append((to_ts(shift.start), to_ts(shift.end)))
    for override in rota.overrides:
        span = (to_ts(override.start), to_ts(override.end))
        if override.replaces is not None and override.replaces in spans:
            spans[override.replaces] = [
                piece for own in spans[override.replaces] for piece in subtract([own], [span])
            ]
        spans[override.engineer] = merge_overlapping([*spans[override.engineer], span])
    return {engineer: merge_overlapping(own) for engineer, own in spans.items() if own}


def event_uid(team: str, engineer: str, start: int) -> str:
    digest = hashlib.sha256(f"{team}\x1f{engineer}\x1f{iso_z(start)}".encode()).hexdigest()
    return f"{digest[:32]}@{team}.rota"


def _calendar(scenario: Scenario | None, rota: Rota, engineer_id: str | None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    team_name = (scenario.name if scenario else None) or rota.team
    who = _label(scenario, engineer_id) if engineer_id else None
    calendar.add("X-WR-CALNAME", f"On call: {who} ({team_name})" if who else f"On call: {team_name}")
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    return calendar


def _event(
    rota: Rota,
    engineer: str,
    person: Engineer | None,
    scenario: Scenario | None,
    span: Span,
    dtstamp: dt.datetime,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", event_uid(rota.team, engineer, span[0]))
    event.add("DTSTAMP", dtstamp)
    event.add("SEQUENCE", rota.version)
    event.add("DTSTART", from_ts(span[0]))
    event.add("DTEND", from_ts(span[1]))
    event.add("SUMMARY", _summary(engineer, person, scenario))
    event.add("DESCRIPTION", _description(engineer, person, rota))
    event.add("TRANSP", "OPAQUE")
    event.add(ENGINEER_PROPERTY, engineer)
    if person is not None and person.contact.email:
        attendee = icalendar.vCalAddress(f"mailto:{person.contact.email}")
        attendee.params["CN"] = icalendar.vText(person.label)
        attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("ATTENDEE", attendee, encode=False)
    return event


def _summary(engineer: str, person: Engineer | None, scenario: Scenario | None) -> str:
    if person is None or scenario is None:
        return f"On call ({engineer})"
    regions = ", ".join(
        scenario.region_by_id[r].label for r in person.regions if r in scenario.region_by_id
    )
    return f"On call: {regions} ({person.label})"


def _description(engineer: str, person: Engineer | None, rota: Rota) -> str:
    lines = [f"Engineer: {engineer}", f"Team: {rota.team}, rota version {rota.version}"]
    if person is not None:
        lines.insert(1, f"Time zone: {person.timezone}")
    return "\n".join(lines)


def _label(scenario: Scenario | None, engineer_id: str) -> str:
    person = scenario.engineer_by_id.get(engineer_id) if scenario else None
    return person.label if person else engineer_id


def _default_stamp(rota: Rota) -> dt.datetime:
    if rota.horizon is not None:
        return rota.horizon.start_at
    if rota.shifts:
        return min(s.start for s in rota.shifts)
    return _EPOCH
