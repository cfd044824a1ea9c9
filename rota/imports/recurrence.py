"""Recurrences bounded to the window before anything is expanded.

dateutil (under `recurring-ical-events`) walks an RRULE from its DTSTART one period at a time,
also when only the horizon is wanted: a rule starting in year 1, or one whose BY* filters never
match (`BYMONTH=2;BYMONTHDAY=30` walks to year 9999), takes seconds to minutes. So, before the
library sees a calendar, `bound_recurrences` rewrites each recurring VEVENT in place:

- An open-ended rule (no COUNT) is re-anchored near the window: DTSTART (and DTEND) move forward
  by a whole number of the rule's periods (INTERVAL x FREQ, on the event's wall clock: hours, days,
  weeks, months or years), to where the moved first instance ends before the window. Whole periods
  keep every later occurrence where it was: BY* parts select within a period, and what DTSTART
  lends the rule (time of day, weekday, day of month, month) is kept. Its UNTIL is cut to the
  window's end, so a rule that never matches stops there.
- A rule with COUNT counts from its DTSTART, so it cannot move; it is walked from its start.
- What each series will cost (days walked, plus the occurrences it may generate on the way,
  estimated from the rule's BY* sizes as an upper bound) is summed and the calendar is refused
  with `LimitExceeded` past `WALK_BUDGET`, before any expansion. The occurrences found in the
  window are then counted as they come (`MAX_OCCURRENCES`, in `rota.imports.ics`).

Modifications (RECURRENCE-ID) are never moved: they name the instance they replace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import icalendar

from rota.errors import LimitExceeded

WALK_BUDGET = 400_000
"""Estimated work over all series, in steps of dateutil's walk (a day without an occurrence is
one step, an occurrence `OCCURRENCE_STEPS`); about 1.5 s on the reference machine."""
OCCURRENCE_STEPS = 4
_FIXED = {"HOURLY": dt.timedelta(hours=1), "DAILY": dt.timedelta(days=1),
          "WEEKLY": dt.timedelta(weeks=1)}
_MONTHS = {"MONTHLY": 1, "YEARLY": 12}
_DAY_SELECTORS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")


@dataclass(frozen=True)
class Window:
    """The expansion window (UTC), already padded for floating times."""

    start: dt.datetime
    stop: dt.datetime


def bound_recurrences(events: list[icalendar.Component], window: Window) -> None:
    """Re-anchor and cut each recurring event in place; refuse when the walk would be too long."""
    total = 0
    for event in events:
        rules = _rules(event)
        if rules:
            if len(rules) == 1 and "RECURRENCE-ID" not in event and "COUNT" not in rules[0]:
                _reanchor(event, rules[0], window)
            total += sum(_cost(event, rule, window) for rule in rules)
        total += _rdate_count(event) * OCCURRENCE_STEPS
        if total > WALK_BUDGET:
            raise LimitExceeded(
                f"the calendar's recurrences would take too long to expand (from line "
                f"{event.get('X-ROTA-LINE', '?')}): start recurring events near the horizon, "
                f"or export their occurrences")


def _rules(event: icalendar.Component) -> list[icalendar.vRecur]:
    found = event.get("RRULE")
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def _part(rule: icalendar.vRecur, name: str) -> list[Any]:
    value = rule.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _interval(rule: icalendar.vRecur) -> int:
    values = _part(rule, "INTERVAL")
    try:
        return max(1, int(values[0])) if values else 1
    except (TypeError, ValueError):
        return 1


def _frequency(rule: icalendar.vRecur) -> str:
    values = _part(rule, "FREQ")
    return str(values[0]).upper() if values else ""


def _wall(value: dt.date) -> dt.datetime:
    """A DTSTART on its own wall clock, zone dropped (dates at midnight)."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value.replace(tzinfo=None)


def _prop(event: icalendar.Component, name: str) -> Any:
    """A property's value object (`.dt` of a date, time or duration), or None."""
    return event.get(name)


def _start_end(event: icalendar.Component) -> tuple[dt.date, dt.date | None, dt.timedelta]:
    start: dt.date = _prop(event, "DTSTART").dt
    end_prop = _prop(event, "DTEND")
    end: dt.date | None = end_prop.dt if end_prop is not None else None
    duration = dt.timedelta(0)
    if end is not None:
        duration = _wall(end) - _wall(start)
    elif _prop(event, "DURATION") is not None:
        duration = _prop(event, "DURATION").dt
    return start, end, max(duration, dt.timedelta(0))


def _reanchor(event: icalendar.Component, rule: icalendar.vRecur, window: Window) -> None:
    start, end, duration = _start_end(event)
    target = window.start.replace(tzinfo=None) - duration - dt.timedelta(days=1)
    moved = _moved(start, _frequency(rule), _interval(rule), target)
    if moved is not None:
        _prop(event, "DTSTART").dt = moved
        if end is not None:
            _prop(event, "DTEND").dt = _shift(end, _wall(moved) - _wall(start))
    _cut_until(rule, start, window)


def _moved(start: dt.date, frequency: str, interval: int, target: dt.datetime) -> dt.date | None:
    """DTSTART moved by whole periods to at most `target`; None when it is already past it."""
    gap = target - _wall(start)
    if gap <= dt.timedelta(0):
        return None
    if frequency in _FIXED:
        unit = _FIXED[frequency] * interval
        if not isinstance(start, dt.datetime) and unit % dt.timedelta(days=1):
            return None
        steps = gap // unit
        return _shift(start, unit * steps) if steps > 0 else None
    if frequency in _MONTHS:
        unit_months = _MONTHS[frequency] * interval
        months = (target.year - start.year) * 12 + target.month - start.month - 1
        steps = months // unit_months
        for back in range(60):
            if steps - back <= 0:
                return None
            total = start.month - 1 + (steps - back) * unit_months
            try:
                return start.replace(year=start.year + total // 12, month=total % 12 + 1)
            except ValueError:  # the 31st or 29 February does not exist in that month
                continue
    return None


def _shift(value: dt.date, delta: dt.timedelta) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) + delta).replace(tzinfo=value.tzinfo)
    return value + dt.timedelta(days=delta.days)


def _cut_until(rule: icalendar.vRecur, start: dt.date, window: Window) -> None:
    """UNTIL at most the window's end, in the form RFC 5545 asks for DTSTART's kind."""
    stop = window.stop
    current = _part(rule, "UNTIL")
    if current:
        existing = current[0]
        if _as_utc(existing) <= stop:
            return
    if not isinstance(start, dt.datetime):
        rule["UNTIL"] = [stop.date()]
    elif start.tzinfo is None:
        rule["UNTIL"] = [stop.replace(tzinfo=None)]
    else:
        rule["UNTIL"] = [stop]


def _as_utc(value: dt.date) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), dt.UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _cost(event: icalendar.Component, rule: icalendar.vRecur, window: Window) -> int:
    """Upper bound of dateutil's steps for this rule from DTSTART to its end in the window."""
    start, _end, duration = _start_end(event)
    stop = window.stop.replace(tzinfo=None) + duration
    until = _part(rule, "UNTIL")
    if until:
        stop = min(stop, _as_utc(until[0]).replace(tzinfo=None) + dt.timedelta(days=1))
    days = (stop - _wall(start)).total_seconds() / 86400
    if days <= 0:
        return 1
    occurrences = math.ceil(days * _per_day(rule)) + 1
    count = _part(rule, "COUNT")
    if count:
        with contextlib.suppress(TypeError, ValueError):
            occurrences = min(occurrences, max(0, int(count[0])))
    return math.ceil(days) + occurrences * OCCURRENCE_STEPS


def _per_day(rule: icalendar.vRecur) -> float:
    """At most how many occurrences a day the rule makes, on average (an upper bound)."""
    frequency, interval = _frequency(rule), _interval(rule)
    hours = len(_part(rule, "BYHOUR")) or (math.ceil(24 / interval) if frequency == "HOURLY" else 1)
    per_day_with = hours * (len(_part(rule, "BYMINUTE")) or 1) * (len(_part(rule, "BYSECOND")) or 1)
    selects_days = any(_part(rule, name) for name in _DAY_SELECTORS)
    if frequency == "DAILY":
        share = 1 / interval
    elif frequency == "WEEKLY":
        share = (len(_part(rule, "BYDAY")) or 1) / (7 * interval)
    elif frequency == "MONTHLY" and not selects_days:
        share = 1 / (28 * interval)
    elif frequency == "YEARLY" and not selects_days:
        share = (len(_part(rule, "BYMONTH")) or 1) / (365 * interval)
    else:
        share = 1.0
    return per_day_with * min(1.0, share)


def _rdate_count(event: icalendar.Component) -> int:
    found = event.get("RDATE")
    if found is None:
        return 0
    return sum(len(getattr(item, "dts", [])) for item in (found if isinstance(found, list)
                                                            else [found]))
