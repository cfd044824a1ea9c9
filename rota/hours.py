"""On-call hours (and pay) per engineer and per calendar month in the engineer's own zone.

A pure function of scenario, rota (overrides applied, as `rota.oncall` does) and a window
`[from, to)`. For each engineer and each local month the window touches: on-call time by band
(`rota.burden`, which uses the bands of `rota.availability`), night, weekend and public-holiday time,
the time in each pay category (`rota.pay`; they partition the on-call time), the number of shifts
and of handovers, and pay where the scenario has a `pay` section. Everything is counted in exact
seconds; hours are shown rounded, never summed rounded.

- A month is local midnight of the 1st to local midnight of the next 1st in the engineer's zone,
  cut to the window; so one payslip month is the same whatever the window.
- A shift is a maximal stretch of on-call time (touching shifts and overrides merged); it counts
  in the month it starts, or in the window's first month when it began before the window.
- A handover is an instant strictly inside the window at which the engineer goes on call as
  another engineer goes off, or goes off as another comes on: the moments someone must brief.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rota.burden import Burden, burden_of, hours
from rota.errors import FieldError, InvalidInput
from rota.limits import MAX_HORIZON_DAYS
from rota.oncall import rota_on_call
from rota.pay import Payment, money, payment, rate_table
from rota.rotafile import Rota
from rota.scenario import BANDS, PAY_CATEGORIES, Band, Engineer, PayCategory, Scenario
from rota.spans import Instant, Span, clip, from_ts, intersect, iso_z, merge, subtract, total
from rota.spanset import SpanSet
from rota.team import TeamTime, analysis_range, team_time
from rota.windows import date_span
from rota.zones import zone


@dataclass(frozen=True)
class Tally:
    """Seconds of on-call time and counts over one stretch of one engineer's time."""

    on_call: int = 0
    by_band: dict[Band, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    night: int = 0
    weekend: int = 0
    public_holiday: int = 0
    by_category: dict[PayCategory, int] = field(default_factory=lambda: dict.fromkeys(PAY_CATEGORIES, 0))
    shifts: int = 0
    handovers: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            on_call=self.on_call + other.on_call,
            by_band={b: self.by_band[b] + other.by_band[b] for b in BANDS},
            night=self.night + other.night,
            weekend=self.weekend + other.weekend,
            public_holiday=self.public_holiday + other.public_holiday,
            by_category={c: self.by_category[c] + other.by_category[c] for c in PAY_CATEGORIES},
            shifts=self.shifts + other.shifts,
            handovers=self.handovers + other.handovers,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "on_call_hours": hours(self.on_call),
            "hours_by_band": {b: hours(s) for b, s in self.by_band.items()},
            "night_hours": hours(self.night),
            "weekend_hours": hours(self.weekend),
            "public_holiday_hours": hours(self.public_holiday),
            "hours_by_pay_category": {c: hours(s) for c, s in self.by_category.items()},
            "shifts": self.shifts,
            "handovers": self.handovers,
            "seconds": {"on_call": self.on_call, "by_band": dict(self.by_band), "night": self.night,
                        "weekend": self.weekend, "public_holiday": self.public_holiday,
                        "by_pay_category": dict(self.by_category)},
        }


@dataclass(frozen=True)
class MonthHours:
    month: str  # "2026-12", the engineer's local calendar month
    start: Instant
    end: Instant
    tally: Tally
    pay: Payment | None

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month, "from": iso_z(self.start), "to": iso_z(self.end),
                **self.tally.to_json(), "pay": self.pay.to_json() if self.pay else None}


@dataclass(frozen=True)
class EngineerHours:
    engineer: Engineer
    months: list[MonthHours]

    @property
    def total(self) -> Tally:
        return sum((m.tally for m in self.months), Tally())

    @property
    def pay(self) -> Payment | None:
        paid = [m.pay for m in self.months if m.pay is not None]
        return sum(paid[1:], paid[0]) if paid else None

    def to_json(self) -> dict[str, Any]:
        pay = self.pay
        return {"engineer": self.engineer.id, "name": self.engineer.label,
                "timezone": self.engineer.timezone, "email": self.engineer.contact.email,
                "months": [m.to_json() for m in self.months],
                "total": {**self.total.to_json(), "pay": pay.to_json() if pay else None}}


@dataclass(frozen=True)
class HoursReport:
    team: str
    start: Instant
    end: Instant
    rota_version: int | None
    engineers: list[EngineerHours]

    def pay_totals(self) -> dict[str, str]:
        """Pay per currency over every engineer, in currency order."""
        sums: dict[str, Any] = {}
        for entry in self.engineers:
            pay = entry.pay
            if pay is not None:
                sums[pay.currency] = sums.get(pay.currency, 0) + pay.amount
        return {currency: money(sums[currency]) for currency in sorted(sums)}

    def to_json(self) -> dict[str, Any]:
        overall = sum((e.total for e in self.engineers), Tally())
        return {
            "team": self.team, "from": iso_z(self.start), "to": iso_z(self.end),
            "rota_version": self.rota_version,
            "engineers": [e.to_json() for e in self.engineers],
            "totals": {"on_call_hours": hours(overall.on_call),
                       "on_call_seconds": overall.on_call,
                       "pay": [{"currency": c, "amount": a} for c, a in self.pay_totals().items()]},
        }


def hours_report(scenario: Scenario, rota: Rota, start: dt.datetime | None = None,
                 end: dt.datetime | None = None) -> HoursReport:
    """Hours and pay of every engineer of the scenario over [start, end) (default: the horizon)."""
    lo, hi = analysis_range(scenario, start, end)
    if hi <= lo:
        raise InvalidInput([FieldError("to", "the window ends before it starts")], "window")
    if hi - lo > MAX_HORIZON_DAYS * 86400:
        raise InvalidInput([FieldError("to", f"a window spans at most {MAX_HORIZON_DAYS} days")], "window")
    team = team_time(scenario, lo, hi)
    on_call = rota_on_call(rota, lo, hi)
    edges = _handover_edges(on_call, lo, hi)
    engineers = [_engineer_hours(team, e, on_call.get(e.id, []), edges) for e in scenario.engineers]
    return HoursReport(scenario.team, lo, hi, rota.version, engineers)


def _engineer_hours(team: TeamTime, engineer: Engineer, spans: list[Span],
                    edges: tuple[Counter[Instant], Counter[Instant]]) -> EngineerHours:
    table = rate_table(team.scenario, engineer)
    categories = _category_spans(team, engineer)
    starts = [s for s, _ in spans]
    mine = _handovers_of(spans, edges)
    months = []
    for label, m_lo, m_hi in local_months(engineer.timezone, team.lo, team.hi):
        inside = clip(spans, m_lo, m_hi)
        burden = burden_of(team, engineer, inside)
        by_category = _by_category(inside, categories)
        tally = _tally(burden, by_category,
                       shifts=sum(m_lo <= s < m_hi for s in starts),
                       handovers=sum(m_lo <= t < m_hi for t in mine))
        months.append(MonthHours(label, m_lo, m_hi, tally,
                                 payment(table, by_category) if table else None))
    return EngineerHours(engineer, months)


def _tally(burden: Burden, by_category: dict[PayCategory, int], shifts: int, handovers: int) -> Tally:
    return Tally(burden.on_call_seconds, dict(burden.seconds_by_band), burden.night_seconds,
                 burden.weekend_seconds, burden.public_holiday_seconds, by_category, shifts, handovers)


def local_months(zone_name: str, lo: Instant, hi: Instant) -> list[tuple[str, Instant, Instant]]:
    """("YYYY-MM", start, end) of each local calendar month touching [lo, hi), cut to it."""
    tz = zone(zone_name)
    first = from_ts(lo).astimezone(tz).date().replace(day=1)
    last = from_ts(hi - 1).astimezone(tz).date()
    out = []
    month = first
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        m_lo, m_hi = date_span(month, following, zone_name)
        out.append((f"{month:%Y-%m}", max(m_lo, lo), min(m_hi, hi)))
        month = following
    return [(label, a, b) for label, a, b in out if a < b]


def _category_spans(team: TeamTime, engineer: Engineer) -> dict[PayCategory, list[Span]]:
    """Disjoint spans of each pay category except `standard` (the rest), in `rota.pay`'s order."""
    group = team.group_of[engineer.id]
    raw: dict[PayCategory, list[Span]] = {
        "public_holiday": list(group.profile.holidays),
        "weekend": _spans(team.zone_set(engineer.timezone, "weekend")),
        "night": _spans(team.zone_set(engineer.timezone, "night")),
        "working": list(group.profile.spans_by_band["working"]),
    }
    out: dict[PayCategory, list[Span]] = {}
    taken: list[Span] = []
    for category, spans in raw.items():
        out[category] = subtract(clip(spans, team.lo, team.hi), taken)
        taken = merge([*taken, *out[category]])
    return out


def _by_category(spans: list[Span], categories: dict[PayCategory, list[Span]]) -> dict[PayCategory, int]:
    counted = {c: total(intersect(spans, s)) for c, s in categories.items()}
    return {c: counted.get(c, total(spans) - sum(counted.values())) for c in PAY_CATEGORIES}


def _spans(spanset: SpanSet) -> list[Span]:
    return list(zip(spanset.starts.tolist(), spanset.ends.tolist(), strict=True))


def _handover_edges(on_call: dict[str, list[Span]], lo: Instant,
                    hi: Instant) -> tuple[Counter[Instant], Counter[Instant]]:
    """How many engineers go on call, and off call, at each instant strictly inside (lo, hi)."""
    ons: Counter[Instant] = Counter()
    offs: Counter[Instant] = Counter()
    for spans in on_call.values():
        for s, e in spans:
            if lo < s < hi:
                ons[s] += 1
            if lo < e < hi:
                offs[e] += 1
    return ons, offs


def _handovers_of(spans: list[Span], edges: tuple[Counter[Instant], Counter[Instant]]) -> list[Instant]:
    """The engineer's handover instants (an engineer's own spans never touch: they are merged)."""
    ons, offs = edges
    return sorted([s for s, _ in spans if offs[s] > 0] + [e for _, e in spans if ons[e] > 0])
