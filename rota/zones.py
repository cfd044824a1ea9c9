"""IANA time zones and the one DST policy of the engine (DESIGN.md, "Time").

Local wall-clock times become UTC instants here and nowhere else:

- a local time that does not exist (skipped by a spring-forward) moves to the first instant after
  the gap, i.e. the transition instant itself;
- an ambiguous local time (repeated by a fall-back) takes its first occurrence when it starts an
  interval and its last occurrence when it ends one, so a window never shrinks at a fall-back.

Zones come from `pendulum` (whose `Timezone` is a `zoneinfo.ZoneInfo`), so offsets of +05:30,
+05:45 and 30-minute DST shifts (Australia/Lord_Howe) are handled by the tz database itself.
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import pendulum

Role = Literal["start", "end"]
_SECOND = dt.timedelta(seconds=1)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(pendulum.timezones()) | {"UTC"}


@cache
def _links() -> dict[str, str]:
    """Old zone names (tz's `backward` file: `Asia/Calcutta`) and the zone each links to, read
    from the `tzdata` package's compiled source (a dependency of pendulum)."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    return {parts[2]: parts[1] for parts in (line.split() for line in text.splitlines())
            if len(parts) == 3 and parts[0] == "L"}


def canonical_zone(name: str) -> str:
    """The zone a deprecated name links to (`Asia/Calcutta` -> `Asia/Kolkata`), else `name`."""
    links = _links()
    seen = {name}
    while name in links and links[name] not in seen:
        name = links[name]
        seen.add(name)
    return name


def check_zone(name: str) -> str:
    """Return `name` if it is an IANA zone, else raise ValueError suggesting the canonical name of
    the closest one (never a deprecated alias)."""
    if name in _zone_names():
        return name
    close = difflib.get_close_matches(name, sorted(_zone_names()), n=1, cutoff=0.75)
    hint = f" (did you mean {canonical_zone(close[0])!r}?)" if close else ""
    raise ValueError(f"unknown time zone {name!r}{hint}")


@cache
def zone(name: str) -> dt.tzinfo:
    """The tzinfo of an IANA zone name (validated by the scenario)."""
    return pendulum.timezone(name)


def to_utc(local: dt.datetime, zone_name: str, role: Role = "start") -> dt.datetime:
    """Map a naive local wall time in `zone_name` to a UTC instant under the DST policy."""
    tz = zone(zone_name)
    first = local.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)
    second = local.replace(tzinfo=tz, fold=1).astimezone(dt.UTC)
    if first == second:
        return first
    if first < second:  # ambiguous: the wall time happens twice
        return first if role == "start" else second
    # Skipped: `second` (after-offset) <= transition <= `first` (before-offset).
    return _transition_between(second, first, tz)


def _transition_between(low: dt.datetime, high: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The first UTC instant in [low, high] whose offset is the post-transition offset."""
    after = high.astimezone(tz).utcoffset()
    while high - low > _SECOND:
        mid = low + (high - low) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(tz).utcoffset() == after:
            high = mid
        else:
            low = mid
    return high if low.astimezone(tz).utcoffset() != after else low


def local_date_start(day: dt.date, zone_name: str) -> dt.datetime:
    """UTC instant of local midnight starting `day` (policy: role start)."""
    return to_utc(dt.datetime.combine(day, dt.time()), zone_name, "start")


def local_date_end(day: dt.date, zone_name: str) -> dt.datetime:
    """UTC instant of local midnight starting `day`, used as an exclusive end (role end)."""
    return to_utc(dt.datetime.combine(day, dt.time()), zone_name, "end")


def to_local(instant: dt.datetime, zone_name: str) -> dt.datetime:
    """A UTC instant as an aware local datetime in `zone_name`."""
    return instant.astimezone(zone(zone_name))


def format_local(instant: dt.datetime, zone_name: str) -> str:
    """ISO 8601 local time with its offset, to the minute (`2026-12-08T21:30+07:00`)."""
    return to_local(instant, zone_name).isoformat(timespec="minutes")


_EPOCH = dt.datetime(1970, 1, 1)
_DAY_SECONDS = 86400


def format_local_ts(ts: int, zone_name: str) -> str:
    """`format_local` of an epoch-seconds instant, fast for many look-ups in one zone.

    The UTC offset is looked up once per zone and UTC day; a day that contains a transition is
    computed exactly, instant by instant.
    """
    offset = _day_offset(zone_name, ts // _DAY_SECONDS)
    if offset is None:
        return format_local(dt.datetime.fromtimestamp(ts, dt.UTC), zone_name)
    local = _EPOCH + dt.timedelta(seconds=ts + offset)
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"{local.isoformat(timespec='minutes')}{sign}{hours:02d}:{minutes:02d}"


@lru_cache(maxsize=1 << 16)
def _day_offset(zone_name: str, day: int) -> int | None:
    tz = zone(zone_name)
    first = dt.datetime.fromtimestamp(day * _DAY_SECONDS, tz).utcoffset()
    last = dt.datetime.fromtimestamp(day * _DAY_SECONDS + _DAY_SECONDS - 1, tz).utcoffset()
    if first != last or first is None or first.total_seconds() % 60:
        return None
    return int(first.total_seconds())
