"""Leave imported from calendars, merged into the scenario's `unavailable` entries.

A reader (`rota.leave_ics`, `rota.leave_csv`) turns a file into `LeaveEvent`s (one per occurrence,
matched to an engineer, with its UID and line) and `LeaveNote`s (what it skipped and why).
`apply_leave` merges them, with these rules:

- Keyed by UID. Every entry of the scenario whose `uid` the file mentions (including events the
  file now marks cancelled or declined) is replaced by what the file says now; entries without a
  `uid` (typed by hand) and those of UIDs the file does not mention stay. So importing the same
  file twice changes nothing, and an updated export moves or removes what it changed.
- An event entirely outside the horizon is skipped (noted); one reaching past it is kept whole,
  for the next horizon.
- Leave of one engineer never overlaps (the scenario forbids it): an event identical to one kept
  is noted as a duplicate; one inside kept leave is noted and not stored; one partly overlapping is
  trimmed to the part not yet covered, and noted. Earlier events (by start, then line) win.
- All-day events are local dates in the engineer's zone (midnight to midnight, whatever DST does
  in between); timed ones are UTC instants.
- The result is validated as a whole scenario (limits, overlaps); on any error nothing changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from rota.availability import leave_spans
from rota.errors import FieldError, InvalidInput, ScenarioInvalid
from rota.imports.result import Unmatched
from rota.scenario import Engineer, Leave, Scenario
from rota.spans import Span, from_ts, merge, subtract, to_ts, total
from rota.team import horizon_range
from rota.validation import parse_scenario, pydantic_errors
from rota.windows import date_span
from rota.zones import zone

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LeaveEvent:
    """One occurrence of an out-of-office event, for one engineer."""

    engineer: str
    uid: str
    where: str  # "line 12, UID abc@google.com"
    reason: str | None
    start: dt.date | dt.datetime  # a local date (all-day) or a UTC instant
    end: dt.date | dt.datetime


@dataclass(frozen=True)
class LeaveNote:
    """An event (or occurrence) the import did not store as it was, and why."""

    where: str
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "text": self.text, "reason": self.reason}


@dataclass
class LeaveFile:
    """What a reader found: events, the UIDs the file mentions, and what it set aside."""

    events: list[LeaveEvent] = field(default_factory=list)
    uids: set[str] = field(default_factory=set)
    skipped: list[LeaveNote] = field(default_factory=list)
    unmatched: tuple[Unmatched, ...] = ()


@dataclass(frozen=True)
class LeaveChange:
    engineer: str
    leave: Leave

    def to_json(self) -> dict[str, Any]:
        return {"engineer": self.engineer, **self.leave.model_dump(mode="json", exclude_none=True)}

    def __str__(self) -> str:
        kind = "local dates" if not isinstance(self.leave.start, dt.datetime) else "UTC"
        text = f"{self.engineer} {_text(self.leave.start)} .. {_text(self.leave.end)} ({kind})"
        return text + (f" {self.leave.reason!r}" if self.leave.reason else "")


@dataclass(frozen=True)
class LeaveImport:
    before: Scenario
    scenario: Scenario
    added: list[LeaveChange]
    removed: list[LeaveChange]
    unchanged: int
    skipped: list[LeaveNote]
    unmatched: tuple[Unmatched, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def changed_spans(self) -> list[Span]:
        """UTC spans of leave added or removed (where the gaps may change)."""
        engineers = self.scenario.engineer_by_id
        spans = [span for change in (*self.added, *self.removed)
                 for span in _spans(engineers[change.engineer], change.leave)]
        return merge(spans)

    def to_json(self) -> dict[str, Any]:
        return {
            "team": self.scenario.team,
            "added": [c.to_json() for c in self.added],
            "removed": [c.to_json() for c in self.removed],
            "unchanged": self.unchanged,
            "skipped": [n.to_json() for n in self.skipped],
            "unmatched": [u.to_json() for u in self.unmatched],
        }


def _text(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%MZ")
    return value.isoformat()


def _spans(engineer: Engineer, leave: Leave) -> list[Span]:
    return leave_spans(engineer.model_copy(update={"unavailable": (leave,)}))


def apply_leave(scenario: Scenario, found: LeaveFile) -> LeaveImport:
    """The scenario with the file's leave merged in (see the module's rules)."""
    lo, hi = horizon_range(scenario)
    skipped = list(found.skipped)
    by_engineer: dict[str, list[LeaveEvent]] = {}
    for event in found.events:
        by_engineer.setdefault(event.engineer, []).append(event)
    engineers, added, removed, unchanged = [], [], [], 0
    for engineer in scenario.engineers:
        old = list(engineer.unavailable)
        kept = [leave for leave in old if leave.uid is None or leave.uid not in found.uids]
        new = _accepted(engineer, by_engineer.get(engineer.id, []), kept, lo, hi, skipped)
        entries = sorted([*kept, *new], key=lambda leave: (_spans(engineer, leave) or [(0, 0)])[0])
        replaced = [leave for leave in old if leave not in kept]
        added += [LeaveChange(engineer.id, leave) for leave in new if leave not in replaced]
        removed += [LeaveChange(engineer.id, leave) for leave in replaced if leave not in new]
        unchanged += sum(leave in replaced for leave in new)
        engineers.append(engineer.model_copy(update={"unavailable": tuple(entries)}))
    after = _validated(scenario, engineers)
    return LeaveImport(scenario, after, added, removed, unchanged, skipped, found.unmatched)


def _accepted(engineer: Engineer, events: list[LeaveEvent], kept: list[Leave], lo: int, hi: int,
              skipped: list[LeaveNote]) -> list[Leave]:
    taken = merge(span for leave in kept for span in _spans(engineer, leave))
    seen: dict[Span, str] = {}
    out: list[Leave] = []
    ordered = sorted(events, key=lambda e: (_event_span(engineer, e), _line(e.where), e.where))
    for event in ordered:
        span = _event_span(engineer, event)
        text = event.reason or ""
        if span[1] <= lo or span[0] >= hi:
            skipped.append(LeaveNote(event.where, text, f"{_text(event.start)} .. {_text(event.end)} "
                                                        f"lies outside the horizon"))
            continue
        if span in seen:
            skipped.append(LeaveNote(event.where, text, f"duplicates {seen[span]} (stored once)"))
            continue
        pieces = subtract([span], taken)
        if not pieces:
            skipped.append(LeaveNote(event.where, text, f"lies inside {engineer.id}'s leave already "
                                                        f"stored or imported (not stored twice)"))
            continue
        if total(pieces) != span[1] - span[0]:
            skipped.append(LeaveNote(event.where, text, f"overlaps {engineer.id}'s other leave; "
                                                        f"stored only the part not yet covered"))
        if _dst_hours(event, span):
            skipped.append(LeaveNote(event.where, text, f"spans a DST change in {engineer.timezone}: stored "
                                                        f"as local dates, {_dst_hours(event, span)}"))
        seen[span] = event.where.split(", UID")[0]
        for start, end in pieces:
            out.append(_leave(event, _edge(start, event.start, engineer), _edge(end, event.end, engineer)))
        taken = merge([*taken, *pieces])
    return out


def _leave(event: LeaveEvent, start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> Leave:
    """The entry; text from calendars is made one plain line and cut to the scenario's lengths."""
    reason = _CONTROL.sub(" ", event.reason)[:200] if event.reason else None
    try:
        return Leave(start=start, end=end, reason=reason, uid=_CONTROL.sub(" ", event.uid)[:255])
    except ValidationError as exc:
        raise InvalidInput([FieldError(event.where, e.message) for e in pydantic_errors(exc)],
                           "leave file") from None


def _line(where: str) -> int:
    """The line number of `line 12, UID ...`, so line 6 sorts before line 13."""
    digits = where.removeprefix("line ").split(",")[0].split(".")[0]
    return int(digits) if digits.isdigit() else 0


def _dst_hours(event: LeaveEvent, span: Span) -> str:
    """For an all-day event whose local days are not all 24 hours long: how long it really is."""
    if isinstance(event.start, dt.datetime) or isinstance(event.end, dt.datetime):
        return ""
    days = (event.end - event.start).days
    hours = (span[1] - span[0]) / 3600
    return "" if hours == days * 24 else f"{hours:g} h for {days} days"


def _event_span(engineer: Engineer, event: LeaveEvent) -> Span:
    if isinstance(event.start, dt.datetime) or isinstance(event.end, dt.datetime):
        return to_ts(_instant(event.start)), to_ts(_instant(event.end))
    return date_span(event.start, event.end, engineer.timezone)


def _instant(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def _edge(ts: int, original: dt.date | dt.datetime, engineer: Engineer) -> dt.date | dt.datetime:
    """A trimmed edge: a local date when the event was all-day and the edge is local midnight."""
    if not isinstance(original, dt.datetime):
        local = from_ts(ts).astimezone(zone(engineer.timezone))
        day = local.date()
        if date_span(day, day, engineer.timezone)[0] == ts:
            return day
    return from_ts(ts)


def _validated(scenario: Scenario, engineers: list[Engineer]) -> Scenario:
    data = scenario.model_copy(update={"engineers": tuple(engineers)}).model_dump(mode="json", exclude_none=True)
    try:
        return parse_scenario(data)
    except ScenarioInvalid as exc:
        raise InvalidInput([FieldError(e.path, e.message) for e in exc.errors], "leave import") from None
