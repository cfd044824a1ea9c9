"""Each engineer's time, as UTC spans: bands, leave and public holidays.

The band of an engineer at an instant is `working` inside working hours on a working day that is
not one of their local public holidays, `asleep` inside the sleep window (working wins where the
two overlap: someone at work is awake), else `awake`. Leave entries given as local dates cover
local midnight to local midnight (end exclusive); those given as instants are taken as they are.

Band partitions depend only on zone, hours, sleep and holiday calendar, so engineers of one office
share one computation (cached), which keeps a 2,000-engineer year cheap.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rota.scenario import BANDS, Band, DailyWindow, Engineer, Leave, Scenario, Window
from rota.spans import Instant, Span, from_ts, merge, subtract, to_ts
from rota.windows import date_span, expand_window, holiday_dates, local_dates
from rota.zones import Role, to_utc, zone

ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class BandProfile:
    """A partition of [lo, hi) into bands: segment i is [starts[i], starts[i+1]) (last ends at hi)."""

    lo: Instant
    hi: Instant
    starts: tuple[Instant, ...]
    bands: tuple[Band, ...]
    spans_by_band: dict[Band, list[Span]] = field(hash=False, compare=False)
    holidays: tuple[Span, ...]

    def band_at(self, ts: Instant) -> Band:
        return self.bands[bisect.bisect_right(self.starts, ts) - 1]

    def band_until(self, ts: Instant) -> Instant:
        """End of the band segment containing `ts`."""
        i = bisect.bisect_right(self.starts, ts)
        return self.starts[i] if i < len(self.starts) else self.hi


@lru_cache(maxsize=4096)
def band_profile(
    zone_name: str,
    working: Window,
    sleep: DailyWindow,
    holiday_country: str | None,
    lo: Instant,
    hi: Instant,
) -> BandProfile:
    holiday_days = _holidays(holiday_country, zone_name, lo, hi)
    working_spans = expand_window(
        working.start, working.end, working.weekdays, zone_name, lo, hi, holiday_days
    )
    sleep_spans = expand_window(sleep.start, sleep.end, ALL_DAYS, zone_name, lo, hi)
    asleep = subtract(sleep_spans, working_spans)
    awake = subtract(subtract([(lo, hi)], working_spans), asleep)
    spans_by_band: dict[Band, list[Span]] = {
        "working": working_spans,
        "asleep": asleep,
        "awake": awake,
    }
    tagged = sorted((s, e, band) for band, spans in spans_by_band.items() for s, e in spans)
    starts = tuple(s for s, _, _ in tagged)
    bands = tuple(b for _, _, b in tagged)
    holiday_spans = merge(date_span(d, d + dt.timedelta(days=1), zone_name) for d in holiday_days)
    return BandProfile(lo, hi, starts, bands, spans_by_band, tuple(holiday_spans))


def _holidays(country: str | None, zone_name: str, lo: Instant, hi: Instant) -> frozenset[dt.date]:
    if country is None:
        return frozenset()
    days = local_dates(zone_name, lo, hi)
    return frozenset(
        d for d in holiday_dates(country, days[0].year, days[-1].year) if days[0] <= d <= days[-1]
    )


def leave_spans(engineer: Engineer) -> list[Span]:
    """The engineer's unavailable entries as merged UTC spans."""
    return entry_spans(engineer.timezone, engineer.unavailable)


def entry_spans(zone_name: str, entries: Iterable[Leave]) -> list[Span]:
    """Unavailable entries of an engineer in `zone_name` as merged UTC spans."""
    return merge((leave_edge(leave.start, zone_name, "start"),
                  leave_edge(leave.end, zone_name, "end")) for leave in entries)


def leave_edge(value: dt.date | dt.datetime, zone_name: str, role: Role) -> Instant:
    if isinstance(value, dt.datetime):
        return to_ts(value)
    return _local_midnight(value, zone_name, role)


@lru_cache(maxsize=1 << 16)
def _local_midnight(day: dt.date, zone_name: str, role: Role) -> Instant:
    """Local midnight starting `day` in UTC (a team's leave repeats the same few hundred days)."""
    return to_ts(to_utc(dt.datetime.combine(day, dt.time()), zone_name, role))


@dataclass(frozen=True)
class EngineerTime:
    """Everything time-dependent about one engineer over an analysis range."""

    engineer: Engineer
    profile: BandProfile
    response: dict[Band, int]
    leave: tuple[Span, ...]

    def fast_spans(self, target_minutes: int) -> list[Span]:
        """Where this engineer, if on call and not on leave, answers within the target."""
        spans = [
            span
            for band in BANDS
            if self.response[band] <= target_minutes
            for span in self.profile.spans_by_band[band]
        ]
        return merge(spans)

    def on_leave(self, ts: Instant) -> bool:
        i = bisect.bisect_right(self.leave, (ts, 2**62)) - 1
        return i >= 0 and self.leave[i][0] <= ts < self.leave[i][1]

    def local_time(self, ts: Instant) -> dt.datetime:
        return from_ts(ts).astimezone(zone(self.engineer.timezone))


def engineer_time(scenario: Scenario, engineer: Engineer, lo: Instant, hi: Instant) -> EngineerTime:
    profile = band_profile(
        engineer.timezone, engineer.working_hours, engineer.sleep, engineer.holiday_country, lo, hi
    )
    return EngineerTime(
        engineer=engineer,
        profile=profile,
        response=scenario.response_minutes_of(engineer),
        leave=tuple(leave_spans(engineer)),
    )
