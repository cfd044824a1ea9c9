"""The hard rules of a scenario checked on any rota: planned, imported, hand-drawn or overridden.

The rules mean what the planner enforces (`rota/planner/rules.py`, DESIGN.md "Scenario file"):

- `shift_hours`: every shift lasts from `shift_hours.min` to `.max` hours (its extent, start to end;
  a shift cut by the horizon's edge is not called too short, since its part outside is unknown);
- `shift_start_step_minutes`: a shift starts on the step in the engineer's local time. This is the
  planner's grid, not a labour rule, so it is checked on planned rotas only (those whose file carries
  `solver`): a hand-drawn or imported rota that hands over at 00:00 UTC is not wrong for it;
- `min_rest_hours`: from the end of one shift to the start of the engineer's next (back to back is 0);
- `max_hours_per_week`: on-call hours inside each 7-day block from the horizon start (a shift crossing
  a block boundary counts in both, by the part inside each), the engineer's own cap when given;
- `max_consecutive_days`: local dates on which a shift starts, in a row;
- `one_shift_per_day`: at most one shift starts on a local date of the engineer;
- `public_holidays`: unless `work_on_public_holidays`, no shift overlaps a local public holiday;
- `leave`: no shift overlaps the engineer's `unavailable` entries.

Violations are those of the rota *with its overrides applied*, i.e. of what people will work. A
`replaces` override takes its span out of the replaced engineer's shifts (a shift whose middle is
taken stays one shift, with fewer hours in it; one taken whole is gone); what an override hands over
becomes a shift of the engineer taking it, joined to any of their shifts it touches (covering right
after one's own shift is one longer shift, not a second one with no rest).

Only shifts that overlap the scenario's horizon are judged (outside it nothing is known); weekly
blocks lie inside the horizon. Each violation names the on-call time it concerns (`start`, `end`):
the shift, the overlap with a holiday or leave, or the engineer's on-call time in the block.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import holidays

from rota.rotafile import Rota
from rota.scenario import Engineer, Scenario
from rota.spans import Instant, Span, from_ts, intersect, iso_z, merge, subtract, to_ts
from rota.windows import date_span, holiday_dates
from rota.zones import zone

RULES = ("shift_hours", "shift_start_step_minutes", "min_rest_hours", "max_hours_per_week",
         "max_consecutive_days", "one_shift_per_day", "public_holidays", "leave")
WEEK = 7 * 86400


@dataclass(frozen=True)
class Violation:
    engineer: str
    rule: str
    start: Instant
    end: Instant
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"engineer": self.engineer, "rule": self.rule, "start": iso_z(self.start),
                "end": iso_z(self.end), "detail": self.detail}


@dataclass
class Worked:
    """One shift as it will be worked: its on-call spans (a replaced middle leaves a hole)."""

    spans: list[Span]
    file_start: bool = True  # starts where the rota file's shift starts (not moved by an override)
    pieces: list[Span] = field(default_factory=list)

    @property
    def start(self) -> Instant:
        return self.spans[0][0]

    @property
    def end(self) -> Instant:
        return self.spans[-1][1]


def worked_shifts(rota: Rota) -> dict[str, list[Worked]]:
    """Each engineer's shifts with the rota's overrides applied in order, sorted by start."""
    shifts: dict[str, list[Worked]] = defaultdict(list)
    for s in rota.shifts:
        shifts[s.engineer].append(Worked([(to_ts(s.start), to_ts(s.end))]))
    for o in rota.overrides:
        window = [(to_ts(o.start), to_ts(o.end))]
        taken = window
        if o.replaces is not None:
            taken = []
            for w in shifts.get(o.replaces, []):
                part = intersect(w.spans, window)
                if part:
                    taken += part
                    rest = subtract(w.spans, window)
                    w.file_start = w.file_start and bool(rest) and rest[0][0] == w.start
                    w.spans = rest
            shifts[o.replaces] = [w for w in shifts.get(o.replaces, []) if w.spans]
        if taken:
            _join(shifts[o.engineer], merge(taken))
    return {e: sorted(ws, key=lambda w: w.start) for e, ws in shifts.items() if ws}


def _join(mine: list[Worked], added: list[Span]) -> None:
    """Add on-call spans to an engineer's shifts; spans touching a shift extend it."""
    for span in added:
        touching = [w for w in mine if w.start <= span[1] and span[0] <= w.end]
        spans = merge([span, *(s for w in touching for s in w.spans)])
        file_start = any(w.file_start and w.start == spans[0][0] for w in touching)
        for w in touching:
            mine.remove(w)
        mine.append(Worked(spans, file_start))


def rota_violations(scenario: Scenario, rota: Rota) -> list[Violation]:
    """Every hard-rule violation of `rota` (overrides applied), by start, then engineer and rule."""
    lo, hi = to_ts(scenario.horizon.start_at), to_ts(scenario.horizon.end_at)
    planned = rota.solver is not None
    found: list[Violation] = []
    for eng_id, shifts in worked_shifts(rota).items():
        engineer = scenario.engineer_by_id.get(eng_id)
        mine = [w for w in shifts if w.end > lo and w.start < hi]
        if engineer is None or not mine:
            continue
        check = _EngineerCheck(scenario, engineer, mine, lo, hi)
        found += check.per_shift(planned)
        found += check.rest_and_days()
        found += check.weekly()
        found += check.consecutive()
    found.sort(key=lambda v: (v.start, v.engineer, RULES.index(v.rule)))
    return found


class _EngineerCheck:
    def __init__(self, scenario: Scenario, engineer: Engineer, shifts: list[Worked],
                 lo: Instant, hi: Instant) -> None:
        self.rules = scenario.rules
        self.cap = scenario.weekly_hours_cap(engineer)
        self.engineer = engineer
        self.shifts = shifts
        self.lo, self.hi = lo, hi
        self.tz = zone(engineer.timezone)
        self.local_start = [self.local(w.start) for w in shifts]

    def _v(self, rule: str, start: Instant, end: Instant, detail: str) -> Violation:
        return Violation(self.engineer.id, rule, start, end, detail)

    def local(self, ts: Instant) -> dt.datetime:
        return from_ts(ts).astimezone(self.tz)

    def per_shift(self, planned: bool) -> list[Violation]:
        out: list[Violation] = []
        hours = self.rules.shift_hours
        step = self.rules.shift_start_step_minutes
        leave = list(zip(self.engineer.unavailable, _entry_spans(self.engineer), strict=True))
        holidays = [] if self.rules.work_on_public_holidays else self._holidays()
        for w, start in zip(self.shifts, self.local_start, strict=True):
            length = (w.end - w.start) / 3600
            cut = w.start <= self.lo or w.end >= self.hi  # its length outside is unknown
            if length > hours.max or (length < hours.min and not cut):
                out.append(self._v("shift_hours", w.start, w.end,
                                   f"{length:g} h shift (allowed {hours.min:g}-{hours.max:g} h)"))
            if planned and w.file_start and (start.hour * 60 + start.minute) % step:
                out.append(self._v("shift_start_step_minutes", w.start, w.end,
                                   f"starts {start:%H:%M} local, not on the {step}-minute step"))
            for entry, span in leave:
                why = f" ({entry.reason})" if entry.reason else ""
                for s, e in intersect(w.spans, [span]):
                    out.append(self._v("leave", s, e, f"on call while on leave{why}"))
            for s, e in _overlapping(w, holidays):
                day = self.local(s).date()
                name = _holiday_name(self.engineer.holiday_country or "", day)
                out.append(self._v("public_holidays", s, e,
                                   f"on call on {name} ({self.engineer.holiday_country}, {day} local)"))
        return out

    def _holidays(self) -> list[Span]:
        country = self.engineer.holiday_country
        if country is None:
            return []
        first, last = self.local(self.shifts[0].start).year, self.local(self.shifts[-1].end).year
        return _holiday_spans(country, self.engineer.timezone, first, last)

    def rest_and_days(self) -> list[Violation]:
        out: list[Violation] = []
        rest = round(self.rules.min_rest_hours * 3600)
        for before, after in zip(self.shifts, self.shifts[1:], strict=False):
            if after.start - before.end < rest:
                out.append(self._v("min_rest_hours", after.start, after.end,
                                   f"{(after.start - before.end) / 3600:g} h after the shift ending "
                                   f"{iso_z(before.end)} (min {self.rules.min_rest_hours:g} h)"))
        first_on: dict[dt.date, Worked] = {}
        for w, local in zip(self.shifts, self.local_start, strict=True):
            day = local.date()
            if day in first_on:
                out.append(self._v("one_shift_per_day", w.start, w.end,
                                   f"second shift starting on {day} local (the first starts "
                                   f"{iso_z(first_on[day].start)})"))
            else:
                first_on[day] = w
        return out

    def weekly(self) -> list[Violation]:
        cap = round(self.cap * 3600)
        blocks: dict[int, list[Span]] = defaultdict(list)  # block start -> on-call spans inside
        for w in self.shifts:
            for s, e in w.spans:
                s, e = max(s, self.lo), min(e, self.hi)
                block = self.lo + (s - self.lo) // WEEK * WEEK if s < e else e
                while block < e:
                    blocks[block].append((max(s, block), min(e, block + WEEK, self.hi)))
                    block += WEEK
        out: list[Violation] = []
        for block, inside in sorted(blocks.items()):
            seconds = sum(e - s for s, e in inside)
            if seconds > cap:
                out.append(self._v("max_hours_per_week", inside[0][0], inside[-1][1],
                                   f"{seconds / 3600:g} h on call in the 7 days from "
                                   f"{from_ts(block):%Y-%m-%d} (max {self.cap:g} h)"))
        return out

    def consecutive(self) -> list[Violation]:
        limit = self.rules.max_consecutive_days
        starts: dict[dt.date, Worked] = {}
        for w, local in zip(self.shifts, self.local_start, strict=True):
            starts.setdefault(local.date(), w)
        days = sorted(starts)
        out: list[Violation] = []
        run_start = 0
        for i in range(len(days) + 1):
            if i < len(days) and i > 0 and (days[i] - days[i - 1]).days == 1:
                continue
            run = days[run_start:i]
            if len(run) > limit:
                over = starts[run[limit]]
                last = starts[run[-1]]
                out.append(self._v("max_consecutive_days", over.start, last.end,
                                   f"shifts start on {len(run)} local dates in a row, {run[0]} to "
                                   f"{run[-1]} (max {limit})"))
            run_start = i
        return out


def _entry_spans(engineer: Engineer) -> list[Span]:
    return [(_date_edge(entry.start, engineer.timezone, "start"),
             _date_edge(entry.end, engineer.timezone, "end")) for entry in engineer.unavailable]


def _date_edge(value: dt.date | dt.datetime, zone_name: str, role: str) -> Instant:
    if isinstance(value, dt.datetime):
        return to_ts(value)
    start, end = date_span(value, value, zone_name)
    return start if role == "start" else end


def _overlapping(w: Worked, spans: list[Span]) -> list[Span]:
    """The parts of a shift inside sorted, disjoint `spans` (found by bisection)."""
    first = bisect.bisect_right(spans, (w.start, w.start)) - 1
    last = bisect.bisect_left(spans, (w.end, w.end))
    return intersect(w.spans, spans[max(first, 0):last])


def _holiday_name(country: str, day: dt.date) -> str:
    return _calendar(country, day.year).get(day) or "public holiday"


@lru_cache(maxsize=256)
def _calendar(country: str, year: int) -> dict[dt.date, str]:
    code, _, subdiv = country.partition("-")
    return dict(holidays.country_holidays(code, subdiv=subdiv or None, years=year).items())


@lru_cache(maxsize=256)
def _holiday_spans(country: str, zone_name: str, first_year: int, last_year: int) -> list[Span]:
    days = holiday_dates(country, first_year, last_year)
    return merge(date_span(d, d + dt.timedelta(days=1), zone_name) for d in days)


def violation_spans(violations: list[Violation]) -> dict[str, list[Span]]:
    """Per engineer, the on-call time the violations concern (to see coverage without it)."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for v in violations:
        spans[v.engineer].append((v.start, v.end))
    return {e: merge(s) for e, s in spans.items()}
