"""Local weekly windows, local dates and public holidays expanded to UTC spans.

A window `start`-`end` belongs to the local day it starts on; `end <= start` runs past midnight
and "24:00" is the next local midnight. Each endpoint goes through `rota.zones.to_utc` with its
role, so DST follows the one policy. Expansion starts a day before the range, since a window that
started yesterday evening may still run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import cache, lru_cache

import holidays

from rota.scenario import clock_minutes
from rota.spans import Instant, Span, from_ts, merge, to_ts
from rota.zones import to_utc, zone

_DAY = dt.timedelta(days=1)


def local_dates(zone_name: str, lo: Instant, hi: Instant) -> list[dt.date]:
    """Every local date that may intersect [lo, hi), plus the day before for carried windows."""
    tz = zone(zone_name)
    first = from_ts(lo).astimezone(tz).date() - _DAY
    last = from_ts(hi).astimezone(tz).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def expand_window(
    start: str,
    end: str,
    weekdays: Collection[int],
    zone_name: str,
    lo: Instant,
    hi: Instant,
    skip_dates: Collection[dt.date] = (),
) -> list[Span]:
    """UTC spans of a local window on the given ISO weekdays (0=Mon), cut to [lo, hi)."""
    start_min, end_min = clock_minutes(start), clock_minutes(end)
    spill = end_min <= start_min
    spans: list[Span] = []
    for day in local_dates(zone_name, lo, hi):
        if day.weekday() not in weekdays or day in skip_dates:
            continue
        end_minutes = end_min + (1440 if spill else 0)
        offset = steady_offset(zone_name, day)
        if offset is not None:  # no DST change in the two days the window can touch
            midnight = _day_ts(day) - offset
            s = max(midnight + start_min * 60, lo)
            e = min(midnight + end_minutes * 60, hi)
        else:
            midnight_local = dt.datetime.combine(day, dt.time())
            local_start = midnight_local + dt.timedelta(minutes=start_min)
            local_end = midnight_local + dt.timedelta(minutes=end_minutes)
            s = max(to_ts(to_utc(local_start, zone_name, "start")), lo)
            e = min(to_ts(to_utc(local_end, zone_name, "end")), hi)
        if s < e:
            spans.append((s, e))
    return merge(spans)


@lru_cache(maxsize=1 << 16)
def steady_offset(zone_name: str, day: dt.date) -> int | None:
    """The zone's UTC offset in seconds if it is the same from `day` 00:00 to `day + 2` 00:00
    local (so no transition can fall in a window starting on `day`), else None."""
    first = _offset_at(zone_name, day)
    if first is None or first != _offset_at(zone_name, day + 2 * _DAY):
        return None
    return first


def _offset_at(zone_name: str, day: dt.date) -> int | None:
    offset = dt.datetime.combine(day, dt.time(), tzinfo=zone(zone_name)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else None


def _day_ts(day: dt.date) -> Instant:
    return (day.toordinal() - _EPOCH_ORDINAL) * 86400


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def date_span(first: dt.date, end_exclusive: dt.date, zone_name: str) -> Span:
    """Local dates [first, end_exclusive) as one UTC span (local midnight to local midnight)."""
    s = to_utc(dt.datetime.combine(first, dt.time()), zone_name, "start")
    e = to_utc(dt.datetime.combine(end_exclusive, dt.time()), zone_name, "end")
    return to_ts(s), to_ts(e)


@cache
def holiday_dates(country_code: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    """Public holidays of `CC` or `CC-SUB` from the `holidays` package, over whole years."""
    country, _, subdiv = country_code.partition("-")
    calendar = holidays.country_holidays(
        country, subdiv=subdiv or None, years=range(first_year, last_year + 1)
    )
    return frozenset(calendar.keys())


def holiday_names(country_code: str, day: dt.date) -> str | None:
    country, _, subdiv = country_code.partition("-")
    calendar = holidays.country_holidays(country, subdiv=subdiv or None, years=day.year)
    return calendar.get(day)
