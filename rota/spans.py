"""Half-open UTC spans as integer epoch seconds: the representation of the hot paths.

Coverage and "who responds now" sweep hundreds of thousands of change points; integers sort and
compare an order of magnitude faster than datetimes. An `Instant` here is always seconds since the
Unix epoch in UTC, and a `Span` is `(start, end)` with `start < end`, half-open. Conversion to and from
aware UTC datetimes happens at the edges with `to_ts` and `from_ts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

Instant = int
Span = tuple[Instant, Instant]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_ts(instant: dt.datetime) -> Instant:
    """Seconds since the epoch of an aware datetime."""
    return int((instant - _EPOCH).total_seconds())


def from_ts(ts: Instant) -> dt.datetime:
    """The aware UTC datetime of an epoch-seconds instant."""
    return _EPOCH + dt.timedelta(seconds=ts)


def iso_z(instant: dt.datetime | Instant) -> str:
    """`2026-12-08T01:00:00Z`: the UTC rendering used in every file and answer."""
    if isinstance(instant, int):
        return _iso_z_ts(instant)
    if instant.tzinfo is not dt.UTC:
        instant = instant.astimezone(dt.UTC)
    # isoformat is faster than strftime (a 90,000-shift rota writes 180,000 of these); the same
    # text for the years the engine knows (1970-2199), fractions of a second dropped alike
    return instant.isoformat(timespec="seconds")[:19] + "Z"


@lru_cache(maxsize=1 << 16)
def _iso_z_ts(ts: Instant) -> str:
    return from_ts(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint, non-adjacent spans covering the same instants."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """Intersection of two merged span lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: list[Span], b: list[Span]) -> list[Span]:
    """Instants of merged `a` not in merged `b`."""
    out: list[Span] = []
    j = 0
    for start, end in a:
        cursor = start
        while j < len(b) and b[j][1] <= cursor:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                out.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def clip(spans: list[Span], lo: Instant, hi: Instant) -> list[Span]:
    """Merged spans cut to [lo, hi)."""
    return [(max(s, lo), min(e, hi)) for s, e in spans if e > lo and s < hi]


def total(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)
