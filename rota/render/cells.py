"""The heatmap's data: each region's window as local days x 24 local hours, each hour judged.

A cell is one hour of the region's wall clock, `[h:00, h+1:00)` local, mapped to UTC with the DST
policy (`start` role at every boundary, so cells tile: a repeated fall-back hour spans two UTC
hours, a skipped spring-forward hour is empty and shown as outside). Its state is the worst state
of any instant inside it (structural, uncovered, short-handed, covered, nothing required); its note
says how many minutes of each and why, so a tooltip can name interval and cause.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rota.coverage import CAUSES, RegionSweep
from rota.render.palette import STATE_LABEL, STATE_ORDER, CellState
from rota.scenario import SEVERITIES, Region
from rota.spans import Instant, from_ts, to_ts
from rota.zones import to_utc, zone

HOURS = 24


@dataclass(frozen=True)
class Cell:
    day: dt.date
    hour: int
    start: Instant
    end: Instant
    state: CellState
    peak: bool
    note: str


@dataclass(frozen=True)
class RegionGrid:
    region: Region
    days: list[dt.date]
    cells: list[Cell]  # day-major: cells[i * 24 + h]
    total_days: int  # local days the window touches; `days` may show fewer

    def row(self, i: int) -> list[Cell]:
        return self.cells[i * HOURS:(i + 1) * HOURS]


def segment_states(sweep: RegionSweep) -> list[CellState]:
    required = sweep.required > 0
    covered = sweep.qualified >= sweep.required
    structural = sweep.eligible < sweep.required
    short = sweep.cause == CAUSES.index("short_handed")
    out: list[CellState] = []
    for r, c, s, sh in zip(required.tolist(), covered.tolist(), structural.tolist(),
                           short.tolist(), strict=True):
        if not r:
            out.append("not_required")
        elif c:
            out.append("covered")
        elif s:
            out.append("structural")
        else:
            out.append("short_handed" if sh else "uncovered")
    return out


def region_grid(sweep: RegionSweep, lo: Instant, hi: Instant, max_days: int) -> RegionGrid:
    """The grid of the local days that [lo, hi) touches, the first `max_days` of them."""
    region = sweep.region
    tz = zone(region.timezone)
    first = from_ts(lo).astimezone(tz).date()
    last = from_ts(hi - 1).astimezone(tz).date()
    total = (last - first).days + 1
    days = [first + dt.timedelta(days=i) for i in range(min(total, max_days))]
    states = segment_states(sweep)
    peaks = sweep.peak.tolist()
    judge = _Judge(sweep, states, peaks, lo, hi)
    cells = []
    for day in days:
        edges = [_boundary(day, h, region.timezone) for h in range(HOURS + 1)]
        cells += [judge.cell(day, h, edges[h], edges[h + 1]) for h in range(HOURS)]
    return RegionGrid(region, days, cells, total)


def _boundary(day: dt.date, hour: int, zone_name: str) -> Instant:
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)
    return to_ts(to_utc(local, zone_name, "start"))


class _Judge:
    def __init__(self, sweep: RegionSweep, states: list[CellState], peaks: list[bool],
                 lo: Instant, hi: Instant) -> None:
        self.sweep = sweep
        self.points = sweep.points
        self.states = states
        self.peaks = peaks
        self.lo, self.hi = lo, hi

    def cell(self, day: dt.date, hour: int, a: Instant, b: Instant) -> Cell:
        if max(a, self.lo) >= min(b, self.hi):
            return Cell(day, hour, a, b, "outside", False, "outside the analysed window")
        a, b = max(a, self.lo), min(b, self.hi)
        first = max(int(np.searchsorted(self.points, a, side="right")) - 1, 0)
        stop = min(int(np.searchsorted(self.points, b, side="left")), len(self.states))
        seconds: Counter[CellState] = Counter()
        causes: Counter[str] = Counter()
        peak = False
        needs: dict[CellState, str] = {}
        for i in range(first, stop):
            part = min(b, int(self.points[i + 1])) - max(a, int(self.points[i]))
            if part <= 0:
                continue
            state = self.states[i]
            seconds[state] += part
            peak = peak or self.peaks[i]
            if state not in ("covered", "not_required"):
                causes[CAUSES[int(self.sweep.cause[i])]] += part
            if self.sweep.required[i] > 0:
                severity = SEVERITIES[int(self.sweep.severity[i])]
                needs.setdefault(state, f"{'peak' if self.peaks[i] else 'off-peak'} {severity} "
                                        f"needs "
                                        f"{int(self.sweep.required[i])}, "
                                        f"{int(self.sweep.qualified[i])} qualified")
        worst = next(s for s in STATE_ORDER if seconds[s]) if seconds else "outside"
        return Cell(day, hour, a, b, worst, peak, _note(seconds, causes, needs.get(worst, "")))


def _note(seconds: Counter[CellState], causes: Counter[str], need: str) -> str:
    parts = [f"{STATE_LABEL[s]} {_minutes(seconds[s])}" for s in STATE_ORDER if seconds[s]]
    text = ", ".join(parts)
    if causes:
        text += "; cause: " + ", ".join(f"{c} {_minutes(n)}" for c, n in causes.most_common())
    return f"{need}; {text}" if need else text


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds / 60:.1f} min"
