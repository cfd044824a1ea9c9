"""Repair: move single shifts of a valid rota to where they cover more, in pure Python.

The constructive start places shifts one at a time and never revisits them; after later shifts
have filled some of what an early shift covers, the same engineer's shift that day could often
start earlier or later, or run longer, and cover more. Repair tries, for every shift of the rota,
each candidate of the same engineer and local date instead: the one that gains the most weighted
open demand (peak first, then all, weighted as in `objective.py`) replaces it when it gains and
the hard rules between shifts still hold (`constructive.Rules`). Sweeps repeat until one gains
nothing or the time is spent. Gains are cumulative sums over the 15-minute grid, so a sweep of the
example team's 560 shifts takes a fraction of a second; no solver is involved, so it is the same
on any machine and repeats exactly.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy
from rota.scenario import Scenario
from rota.team import TeamTime

MAX_SWEEPS = 20


class _Counts:
    """Qualified engineers on call per region and slot, against the requirement."""

    def __init__(self, greedy: Greedy, chosen: list[int], p0_peak: dict[str, npt.NDArray[np.bool_]]
                 ) -> None:
        self.g = greedy
        self.p0_peak = p0_peak
        self.base = {r: need.copy() for r, need in greedy.demand.need.items()}
        self.count = {r: np.zeros(greedy.n, dtype=np.int64) for r in self.base}
        for i in chosen:
            self.shift(i, 1)

    def shift(self, i: int, sign: int) -> None:
        g = self.g
        a, b = g.a[i], g.b[i]
        for region_id, mask in g.qual[g.cands[i].eng].items():
            self.count[region_id][a:b] += sign * mask[a:b]

    def gains(self, eng: int) -> tuple[npt.NDArray[np.int64], ...]:
        """Cumulative, slot by slot, what the engineer on call would close: P0 peak slots that
        become covered (the core's first figure), weighted open demand at peak, and in all."""
        g = self.g
        p0 = np.zeros(g.n + 1, dtype=np.int64)
        peak = np.zeros(g.n + 1, dtype=np.int64)
        every = np.zeros(g.n + 1, dtype=np.int64)
        for region_id, mask in g.qual[eng].items():
            count, base = self.count[region_id], self.base[region_id]
            useful = mask & (count < base)
            weight = np.where(useful, g.demand.weight[region_id], 0)
            every[1:] += weight
            peak[1:] += np.where(g.demand.peak[region_id], weight, 0)
            p0[1:] += useful & (count == base - 1) & self.p0_peak[region_id]
        return np.cumsum(p0), np.cumsum(peak), np.cumsum(every)


def repair(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: list[int],
    seconds: float | None = None, like: Greedy | None = None,
) -> list[int]:
    """`chosen` (positions in `cands`, a rota that keeps the rules) with single shifts moved where
    they cover more; never worse in weighted peak, then all, open demand."""
    started = time.monotonic()
    greedy = Greedy(scenario, team, cands, like)
    current = sorted(chosen)
    for i in current:
        if cands[i].forced:
            greedy.rules.add(cands[i])
    for i in current:
        if not cands[i].forced:
            greedy.rules.add(cands[i])
    counts = _Counts(greedy, current, p0_peak_slots(greedy, team))
    group: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if not c.forced:
            group[(c.eng, c.day.toordinal())].append(i)
    members = {k: np.asarray(v, dtype=np.int64) for k, v in group.items()}
    a_arr, b_arr = greedy.a_arr, greedy.b_arr
    rest = set(current)
    for _ in range(MAX_SWEEPS):
        moved = False
        for i in sorted(rest):
            if seconds is not None and time.monotonic() - started > seconds:
                return sorted(rest)
            c = cands[i]
            if c.forced:
                continue
            idx = members[(c.eng, c.day.toordinal())]
            counts.shift(i, -1)
            _remove(greedy, c)
            p0, peak, every = counts.gains(c.eng)
            gain_p0 = p0[b_arr[idx]] - p0[a_arr[idx]]
            gain_peak = peak[b_arr[idx]] - peak[a_arr[idx]]
            gain_all = every[b_arr[idx]] - every[a_arr[idx]]
            mine = int(np.nonzero(idx == i)[0][0])
            own = (int(gain_p0[mine]), int(gain_peak[mine]), int(gain_all[mine]))
            best = i
            for k in np.lexsort((-gain_all, -gain_peak, -gain_p0)).tolist():
                if (int(gain_p0[k]), int(gain_peak[k]), int(gain_all[k])) <= own:
                    break
                j = int(idx[k])
                if greedy.rules.allows(cands[j]):
                    best = j
                    break
            greedy.rules.add(cands[best])
            counts.shift(best, 1)
            if best != i:
                rest.discard(i)
                rest.add(best)
                moved = True
        if not moved:
            break
    return sorted(rest)


def p0_peak_slots(greedy: Greedy, team: TeamTime) -> dict[str, npt.NDArray[np.bool_]]:
    """Per region, the 15-minute slots of P0 peak demand."""
    out = {}
    for region_id in greedy.demand.need:
        mask = np.zeros(greedy.n, dtype=bool)
        for d in team.demand[region_id]:
            if d.responders > 0 and d.peak and d.severity == "P0":
                mask[greedy._slot(d.start):greedy._slot(d.end)] = True
        out[region_id] = mask
    return out


def _remove(greedy: Greedy, c: Candidate) -> None:
    """Take the shift out of the rules' state (the inverse of `Rules.add`)."""
    s = greedy.rules.state[c.eng]
    s.days.discard(c.day.toordinal())
    s.spans.remove((c.start, c.end))
    for block, minutes in greedy.rules.blocks(c):
        s.week_minutes[block] -= minutes
