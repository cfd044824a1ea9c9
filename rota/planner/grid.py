"""Slot aggregation and coverage: where the model counts qualified responders.

Each engineer's time is cut at the starts and ends of their candidates into segments; an `on`
Boolean per used segment equals the sum of the candidates covering it (the rules make that sum at
most one). A region's time is cut wherever anything it depends on changes: its demand, the segment
edges and band edges of the engineers serving it. Runs of slots with the same requirement and the
same set of engineer segments that would qualify are merged into one coverage row:

    sum(on segments that qualify) + shortfall >= required

so a long shift over a long peak costs one row, not one per 15 minutes. Shortfall is soft: its
weight per minute is the severity weight times the region's exposure weight.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from rota.demand import Demand
from rota.planner.build import PlanModel
from rota.scenario import Region, Scenario

SEVERITY_WEIGHT = {"P0": 8, "P1": 4, "P2": 2, "P3": 1}
EXPOSURE_LEVELS = 4  # regions with the highest exposure per hour weigh up to 1 + 4 = 5 times more


@dataclass
class Segments:
    """One engineer's candidate edges and, per segment, the candidates covering it."""

    bounds: list[int]
    covering: list[list[int]]
    vars: dict[int, cp_model.IntVar] = field(default_factory=dict)


def engineer_segments(pm: PlanModel) -> dict[int, Segments]:
    out = {}
    for eng, indexes in pm.by_engineer().items():
        bounds = sorted({t for i in indexes for t in (pm.cands[i].start, pm.cands[i].end)})
        covering: list[list[int]] = [[] for _ in range(len(bounds) - 1)]
        for i in indexes:
            c = pm.cands[i]
            first = bisect.bisect_left(bounds, c.start)
            last = bisect.bisect_left(bounds, c.end)
            for j in range(first, last):
                covering[j].append(i)
        out[eng] = Segments(bounds, covering)
    return out


def segment_var(pm: PlanModel, seg: Segments, eng: int, j: int) -> cp_model.IntVar:
    """The Boolean "engineer is on call in segment j", made on first use."""
    if j not in seg.vars:
        cover = seg.covering[j]
        if len(cover) == 1:
            seg.vars[j] = pm.x[cover[0]]
        else:
            var = pm.model.new_bool_var(f"on_e{eng}_{seg.bounds[j]}")
            pm.model.add(sum(pm.x[i] for i in cover) == var)
            pm.derived.append((var.index, 0, [(1, pm.x[i].index) for i in cover]))
            seg.vars[j] = var
    return seg.vars[j]


def exposure_weights(scenario: Scenario) -> dict[tuple[str, bool], int]:
    """Integer weight per (region, peak): 1 plus up to EXPOSURE_LEVELS by revenue per hour."""
    rates = {}
    for r in scenario.regions:
        for peak in (True, False):
            users = r.users_at_peak if peak else r.users_off_peak
            if users is not None and r.revenue_per_user_hour is not None:
                rates[(r.id, peak)] = users * r.revenue_per_user_hour
    top = max(rates.values(), default=0.0)
    return {
        (r.id, peak): 1 + (round(EXPOSURE_LEVELS * rates[(r.id, peak)] / top)
                           if top > 0 and (r.id, peak) in rates else 0)
        for r in scenario.regions
        for peak in (True, False)
    }


def add_coverage(
    pm: PlanModel, window: tuple[int, int] | None = None, peak_only: bool = False
) -> None:
    """Coverage rows for every region, over the horizon or only inside `window` (or peaks only)."""
    segments = engineer_segments(pm)
    exposure = exposure_weights(pm.scenario)
    for region in pm.scenario.regions:
        _region_rows(pm, region, segments, exposure, window or (pm.team.lo, pm.team.hi), peak_only)


def _region_rows(
    pm: PlanModel,
    region: Region,
    segments: dict[int, Segments],
    exposure: dict[tuple[str, bool], int],
    window: tuple[int, int],
    peak_only: bool = False,
) -> None:
    team = pm.team
    lo, hi = window
    demand = [d for d in team.demand[region.id]
              if d.responders > 0 and d.end > lo and d.start < hi and (d.peak or not peak_only)]
    if not demand:
        return
    index = {e.id: i for i, e in enumerate(pm.scenario.engineers)}
    serving = [index[e.id] for e in pm.scenario.engineers if region.id in e.regions and index[e.id] in segments]
    edges = [np.array([lo, hi], dtype=np.int64)]
    edges.append(np.array([t for d in demand for t in (d.start, d.end)], dtype=np.int64))
    for eng in serving:
        edges.append(np.asarray(segments[eng].bounds, dtype=np.int64))
        edges.append(team.group_of[pm.scenario.engineers[eng].id].edges())
    points = np.unique(np.concatenate(edges))
    points = points[(points >= lo) & (points <= hi)]
    at = points[:-1]
    d_idx = _demand_index(demand, at)
    matrix = np.full((len(at), len(serving)), -1, dtype=np.int64)
    for col, eng in enumerate(serving):
        seg = segments[eng]
        bounds = np.asarray(seg.bounds, dtype=np.int64)
        j = np.searchsorted(bounds, at, side="right") - 1
        inside = (j >= 0) & (j < len(bounds) - 1)
        group = team.group_of[pm.scenario.engineers[eng].id]
        for k, d in enumerate(demand):
            rows = np.nonzero(inside & (d_idx == k))[0]
            if not len(rows):
                continue
            fast = group.fast(d.target_minutes).contains(at[rows])
            matrix[rows[fast], col] = j[rows[fast]]
    _merge_rows(pm, region, demand, serving, segments, points, d_idx, matrix, exposure)


def _demand_index(demand: list[Demand], at: np.ndarray) -> np.ndarray:
    starts = np.array([d.start for d in demand], dtype=np.int64)
    ends = np.array([d.end for d in demand], dtype=np.int64)
    idx = np.searchsorted(starts, at, side="right") - 1
    safe = np.maximum(idx, 0)
    return np.where((idx >= 0) & (at < ends[safe]), idx, -1)


def _merge_rows(
    pm: PlanModel,
    region: Region,
    demand: list[Demand],
    serving: list[int],
    segments: dict[int, Segments],
    points: np.ndarray,
    d_idx: np.ndarray,
    matrix: np.ndarray,
    exposure: dict[tuple[str, bool], int],
) -> None:
    n = len(d_idx)
    same = np.zeros(n, dtype=bool)
    if n > 1:
        same[1:] = (d_idx[1:] == d_idx[:-1]) & (matrix[1:] == matrix[:-1]).all(axis=1)
    starts = np.nonzero(~same)[0].tolist() + [n]
    for a, b in zip(starts, starts[1:], strict=False):
        if d_idx[a] < 0:
            continue
        d = demand[int(d_idx[a])]
        minutes = int(points[b] - points[a]) // 60
        weight = minutes * SEVERITY_WEIGHT[d.severity] * exposure[(region.id, d.peak)]
        terms = [
            segment_var(pm, segments[serving[col]], serving[col], int(j))
            for col, j in enumerate(matrix[a].tolist())
            if j >= 0 and segments[serving[col]].covering[j]
        ]
        short = pm.model.new_int_var(0, d.responders, f"short_{region.id}_{int(points[a])}")
        if terms:
            pm.model.add(sum(terms) + short >= d.responders)
        else:
            pm.model.add(short == d.responders)
        pm.derived.append((short.index, d.responders, [(1, t.index) for t in terms]))
        if d.peak:
            pm.peak_rows.append(len(pm.rows))
        pm.rows.append((region.id, int(points[a]), int(points[b]), d.responders, short, weight))
