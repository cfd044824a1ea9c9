"""Who is on call when: one row per engineer, bars coloured by the band they fall in, as inline SVG.

The x axis is UTC, shared by every row so overlaps read straight down. Each row shows the
engineer's own time: a faint background of their bands (working, awake, asleep) and a tick at each
of their local midnights; the on-call bars are split where the band changes and coloured by it.
Every bar's `<title>` gives the interval in the engineer's local time with the zone, and in UTC.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from rota.render.palette import BAND_BACKGROUND, BAND_FILL, offset_text
from rota.scenario import BANDS, Band, Engineer
from rota.spans import Instant, Span, clip, from_ts, intersect, iso_z, to_ts
from rota.team import TeamTime
from rota.zones import local_date_start, zone

LEFT, WIDTH, TOP, ROW_H, BAR_H = 330, 860, 36, 22, 12
MAX_LABEL = 26


class _Axis:
    def __init__(self, lo: Instant, hi: Instant) -> None:
        self.lo, self.hi = lo, hi

    def x(self, ts: Instant) -> float:
        return LEFT + (ts - self.lo) / (self.hi - self.lo) * WIDTH


def timeline(team: TeamTime, on_call: dict[str, list[Span]], lo: Instant, hi: Instant) -> str:
    """The timeline of [lo, hi) for engineers on call in it, in scenario order."""
    axis = _Axis(lo, hi)
    rows = [(e, clip(on_call[e.id], lo, hi)) for e in team.scenario.engineers
            if clip(on_call.get(e.id, []), lo, hi)]
    height = TOP + len(rows) * ROW_H + 6
    label = f"On-call timeline, {iso_z(lo)} to {iso_z(hi)}, one row per engineer"
    out = [f'<svg class="timeline" role="img" aria-label="{escape(label)}" '
           f'width="{LEFT + WIDTH + 10}" height="{height}" '
           f'viewBox="0 0 {LEFT + WIDTH + 10} {height}">', f"<title>{escape(label)}</title>"]
    out += _utc_axis(axis, height)
    for i, (engineer, spans) in enumerate(rows):
        out.append(_row(team, engineer, spans, axis, TOP + i * ROW_H))
    out.append("</svg>")
    if not rows:
        return '<p class="note">No one is on call in this window.</p>'
    return "\n".join(out)


def _utc_axis(axis: _Axis, height: int) -> list[str]:
    """Day lines at UTC midnights: day numbers below, `Mon 07 Dec` above at each Monday."""
    out = [f'<text class="axis" x="{LEFT - 8}" y="{TOP - 10}" text-anchor="end">UTC</text>']
    day = from_ts(axis.lo).date()
    every = 1 if (axis.hi - axis.lo) / 86400 <= 42 else 7
    while True:
        ts = to_ts(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC))
        if ts >= axis.hi:
            return out
        x = axis.x(ts)
        if ts >= axis.lo and (day - from_ts(axis.lo).date()).days % every == 0:
            out.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 8}" '
                       f'y2="{height}"/>')
            out.append(f'<text class="axis" x="{x + 2:.1f}" y="{TOP - 10}">{day:%d}</text>')
        if ts >= axis.lo and day.weekday() == 0:
            out.append(f'<text class="axis" x="{x + 2:.1f}" y="{TOP - 24}">{day:%a %d %b}</text>')
        day += dt.timedelta(days=1)


def _row(team: TeamTime, engineer: Engineer, spans: list[Span], axis: _Axis, y: int) -> str:
    tz = zone(engineer.timezone)
    offset = offset_text(from_ts(axis.lo).astimezone(tz))
    label = engineer.label if len(engineer.label) <= MAX_LABEL else engineer.label[:MAX_LABEL - 1] + "…"
    name = f"{label} · {engineer.timezone} {offset}"
    out = [f'<g class="tl-row" data-engineer="{escape(engineer.id)}">',
           f'<text class="label" x="{LEFT - 8}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end">'
           f"{escape(name)}</text>"]
    profile = team.group_of[engineer.id].profile
    for band in BANDS:
        for s, e in clip(profile.spans_by_band[band], axis.lo, axis.hi):
            out.append(f'<rect x="{axis.x(s):.1f}" y="{y + 2}" width="{axis.x(e) - axis.x(s):.1f}"'
                       f' height="{ROW_H - 4}" fill="{BAND_BACKGROUND[band]}"/>')
    out += [f'<line class="midnight" x1="{axis.x(t):.1f}" x2="{axis.x(t):.1f}" y1="{y + 2}" '
            f'y2="{y + ROW_H - 2}"/>' for t in _local_midnights(engineer.timezone, axis)]
    for band in BANDS:
        for s, e in intersect(spans, profile.spans_by_band[band]):
            out.append(_bar(engineer, band, s, e, axis, y))
    out.append("</g>")
    return "".join(out)


def _bar(engineer: Engineer, band: Band, s: Instant, e: Instant, axis: _Axis, y: int) -> str:
    x, width = axis.x(s), max(axis.x(e) - axis.x(s), 1.0)
    title = f"{engineer.label} on call, {band}: {interval_text(s, e, engineer.timezone)}"
    return (f'<rect class="oncall" data-band="{band}" data-utc="{iso_z(s)}/{iso_z(e)}" '
            f'x="{x:.1f}" y="{y + (ROW_H - BAR_H) / 2:.0f}" width="{width:.1f}" height="{BAR_H}" '
            f'fill="{BAND_FILL[band]}" stroke="#000" stroke-width="0.5">'
            f"<title>{escape(title)}</title></rect>")


def _local_midnights(zone_name: str, axis: _Axis) -> list[Instant]:
    tz = zone(zone_name)
    day = from_ts(axis.lo).astimezone(tz).date()
    out: list[Instant] = []
    while True:
        ts = to_ts(local_date_start(day, zone_name))
        if ts >= axis.hi:
            return out
        if ts > axis.lo:
            out.append(ts)
        day += dt.timedelta(days=1)


def interval_text(start: Instant, end: Instant, zone_name: str) -> str:
    """`Tue 08 Dec 23:00-Wed 09 Dec 07:00 Asia/Shanghai (UTC+08:00) = Tue 08 Dec 15:00-23:00 UTC`."""
    tz = zone(zone_name)
    a, b = from_ts(start).astimezone(tz), from_ts(end).astimezone(tz)
    local = f"{a:%a %d %b %H:%M}-{_same_day(a, b)} {zone_name} ({offset_text(a)})"
    ua, ub = from_ts(start), from_ts(end)
    return f"{local} = {ua:%a %d %b %H:%M}-{_same_day(ua, ub)} UTC"


def _same_day(a: dt.datetime, b: dt.datetime) -> str:
    return f"{b:%H:%M}" if a.date() == b.date() else f"{b:%a %d %b %H:%M}"
