"""The constructive start: a rota that keeps every hard rule, built greedily in well under a second.

It needs no solver, so whatever the time limit a plan has a real rota at once: CP-SAT starts from
it (a complete, valid hint) and the planner never returns anything worse (`outcome.py`, `plan`).

Demand is counted on the horizon's 15-minute grid (every UTC offset, shift start step and window
edge lies on it): per region and slot, how many more qualified responders are needed and what a
minute of it weighs (the objective's severity times exposure weight, `grid.py`). The greedy adds
one shift at a time, the one that covers the most weighted demand still open (among equal gains,
the one with fewer minutes asleep, then the shorter), in two passes: peak demand alone, then all
demand. So P0 peaks are filled first, and off-peak demand gets what the rules leave. (Passes that
first filled peaks only from working hours, then from any band fast enough, measured worse: on
the example 8,370 P0 peak minutes left open against 4,470, and 45,120 against 28,890 in all.)

A shift is added only if it keeps every rule with the shifts already there (one per local date,
rest, weekly hours per block, consecutive days; leave, holidays, lengths and start steps hold
because only candidates are offered). Gains only fall as demand fills and a rule that blocks a
shift keeps blocking it, so a lazy priority queue (one entry per engineer and local date) re-scores
only the entries it pops.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rota.planner.candidates import Candidate
from rota.planner.grid import SEVERITY_WEIGHT, exposure_weights
from rota.planner.rules import WEEK_SECONDS, minutes_inside
from rota.scenario import Scenario
from rota.spanset import SpanSet
from rota.team import TeamTime

SLOT = 900
Mask = npt.NDArray[np.bool_]


@dataclass
class Demand15:
    """Per region, on the 15-minute grid: responders still needed, weight per slot, peak flag."""

    need: dict[str, npt.NDArray[np.int64]]
    weight: dict[str, npt.NDArray[np.int64]]
    peak: dict[str, Mask]


@dataclass
class EngineerState:
    """The shifts an engineer already has, and what the rules between shifts need to know."""

    days: set[int] = field(default_factory=set)  # local date ordinals with a shift start
    spans: list[tuple[int, int]] = field(default_factory=list)
    week_minutes: dict[int, int] = field(default_factory=lambda: defaultdict(int))


class Rules:
    """The hard rules between shifts, checked one engineer at a time."""

    def __init__(self, scenario: Scenario, team: TeamTime) -> None:
        self.scenario = scenario
        self.lo, self.hi = team.lo, team.hi
        self.rest = round(scenario.rules.min_rest_hours * 3600)
        self.run = scenario.rules.max_consecutive_days
        self.caps = [round(scenario.weekly_hours_cap(e) * 60) for e in scenario.engineers]
        self.state: dict[int, EngineerState] = defaultdict(EngineerState)

    def blocks(self, c: Candidate) -> list[tuple[int, int]]:
        out = []
        first = max(self.lo, self.lo + (c.start - self.lo) // WEEK_SECONDS * WEEK_SECONDS)
        for block in range(first, min(c.end, self.hi), WEEK_SECONDS):
            minutes = minutes_inside(c, block, block + WEEK_SECONDS)
            if minutes:
                out.append((block, minutes))
        return out

    def allows(self, c: Candidate) -> bool:
        s = self.state[c.eng]
        day = c.day.toordinal()
        if day in s.days:
            return False
        for a, b in s.spans:
            if a < c.end + self.rest and c.start < b + self.rest:
                return False
        cap = self.caps[c.eng]
        for block, minutes in self.blocks(c):
            if s.week_minutes[block] + minutes > cap:
                return False
        left = right = 0
        while day - left - 1 in s.days:
            left += 1
        while day + right + 1 in s.days:
            right += 1
        return left + right + 1 <= self.run

    def add(self, c: Candidate) -> None:
        s = self.state[c.eng]
        s.days.add(c.day.toordinal())
        s.spans.append((c.start, c.end))
        for block, minutes in self.blocks(c):
            s.week_minutes[block] += minutes


class Greedy:
    """The lazy greedy over one candidate list; `chosen` grows as passes run."""

    demand: Demand15
    base_need: dict[str, npt.NDArray[np.int64]]  # responders required, before any shift

    def __init__(self, scenario: Scenario, team: TeamTime, cands: list[Candidate],
                 like: Greedy | None = None) -> None:
        """A greedy with nothing chosen yet; `like` (one over the same candidates) lends its
        demand, qualification masks and spans, which need no recomputing (0.2-0.6 s on the
        example team)."""
        self.scenario, self.team, self.cands = scenario, team, cands
        self.rules = Rules(scenario, team)
        self.chosen: list[int] = []
        if like is not None and like.cands is cands:
            self.__dict__.update({k: v for k, v in like.__dict__.items()
                                  if k not in ("demand", "rules", "chosen")})
            self.demand = Demand15({r: need.copy() for r, need in like.base_need.items()},
                                   like.demand.weight, like.demand.peak)
            return
        self.n = (team.hi - team.lo) // SLOT
        self.times = team.lo + SLOT * np.arange(self.n, dtype=np.int64)
        self.demand = self._demand()
        self.base_need = {r: need.copy() for r, need in self.demand.need.items()}
        # engineer -> region -> slots where they would qualify
        self.qual = {eng: self._qualifying(eng) for eng in range(len(scenario.engineers))}
        self.a, self.b = self._spans()
        self.a_arr = np.asarray(self.a, dtype=np.int64)
        self.b_arr = np.asarray(self.b, dtype=np.int64)
        self.asleep = [c.asleep_min for c in cands]
        self.asleep_arr = np.asarray(self.asleep, dtype=np.int64)
        self.minutes_arr = np.asarray([c.minutes for c in cands], dtype=np.int64)
        self.serving: dict[str, set[int]] = defaultdict(set)
        for eng, engineer in enumerate(scenario.engineers):
            for region_id in engineer.regions:
                self.serving[region_id].add(eng)

    def _demand(self) -> Demand15:
        exposure = exposure_weights(self.scenario)
        out = Demand15({}, {}, {})
        for region in self.scenario.regions:
            need = np.zeros(self.n, dtype=np.int64)
            weight = np.zeros(self.n, dtype=np.int64)
            peak = np.zeros(self.n, dtype=bool)
            for d in self.team.demand[region.id]:
                if d.responders <= 0:
                    continue
                a, b = self._slot(d.start), self._slot(d.end)
                need[a:b] = d.responders
                weight[a:b] = SEVERITY_WEIGHT[d.severity] * exposure[(region.id, d.peak)]
                peak[a:b] = d.peak
            out.need[region.id], out.weight[region.id], out.peak[region.id] = need, weight, peak
        return out

    def _targets(self, region_id: str) -> npt.NDArray[np.int64]:
        target = np.zeros(self.n, dtype=np.int64)
        for d in self.team.demand[region_id]:
            if d.responders > 0:
                target[self._slot(d.start):self._slot(d.end)] = d.target_minutes
        return target

    def _qualifying(self, eng: int) -> dict[str, Mask]:
        engineer = self.scenario.engineers[eng]
        group = self.team.group_of[engineer.id]
        away = SpanSet(self.team.leave.get(engineer.id, [])).contains(self.times)
        out = {}
        for region_id in engineer.regions:
            target = self._targets(region_id)
            mask = np.zeros(self.n, dtype=bool)
            for minutes in np.unique(target[target > 0]).tolist():
                mask |= (target == minutes) & group.fast(int(minutes)).contains(self.times)
            out[region_id] = mask & ~away
        return out

    def _slot(self, ts: int) -> int:
        return int(min(max((ts - self.team.lo + SLOT - 1) // SLOT, 0), self.n))

    def _spans(self) -> tuple[list[int], list[int]]:
        starts = np.array([c.start for c in self.cands], dtype=np.int64)
        ends = np.array([c.end for c in self.cands], dtype=np.int64)

        def slots(ts: npt.NDArray[np.int64]) -> list[int]:
            return np.clip((ts - self.team.lo + SLOT - 1) // SLOT, 0, self.n).tolist()

        return slots(starts), slots(ends)

    def take(self, i: int) -> None:
        c = self.cands[i]
        self.rules.add(c)
        self.chosen.append(i)
        a, b = self.a[i], self.b[i]
        for region_id, mask in self.qual[c.eng].items():
            part = self.demand.need[region_id][a:b]
            part[mask[a:b] & (part > 0)] -= 1

    def gains(self, eng: int, peak_only: bool) -> npt.NDArray[np.int64]:
        """Cumulative weighted open demand the engineer would cover, slot by slot."""
        total = np.zeros(self.n + 1, dtype=np.int64)
        for region_id, mask in self.qual[eng].items():
            useful = mask & (self.demand.need[region_id] > 0)
            if peak_only:
                useful &= self.demand.peak[region_id]
            total[1:] += np.where(useful, self.demand.weight[region_id], 0)
        return np.cumsum(total)

    def run_pass(self, pool: list[int], peak_only: bool) -> None:
        """Add the best shift of `pool` while one still covers open demand and the rules allow.

        The queue holds one entry per engineer and local date (the rules allow one shift a day),
        keyed by the best gain it had when last scored: an upper bound, since gains only fall.
        """
        sums = {eng: self.gains(eng, peak_only) for eng in self.qual}
        fresh = set(sums)
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in pool:
            groups[(self.cands[i].eng, self.cands[i].day.toordinal())].append(i)
        members = [np.asarray(items, dtype=np.int64) for items in groups.values()]
        heap: list[tuple[int, int, int, int, int]] = []
        for g, idx in enumerate(members):
            key = self._best(idx, sums, peak_only, fresh, g)
            if key is not None:
                heap.append(key)
        heapq.heapify(heap)
        while heap:
            old = heapq.heappop(heap)
            key = self._best(members[old[4]], sums, peak_only, fresh, old[4])
            if key is None:
                continue
            if key != old and heap and key > heap[0]:
                heapq.heappush(heap, key)
                continue
            i = key[3]
            self.take(i)
            for region_id in self.qual[self.cands[i].eng]:
                fresh -= self.serving[region_id]

    def _best(
        self, idx: npt.NDArray[np.int64], sums: dict[int, npt.NDArray[np.int64]], peak_only: bool,
        fresh: set[int], group: int,
    ) -> tuple[int, int, int, int, int] | None:
        """The queue key of the group's best shift the rules allow: (-gain, asleep, minutes, i)."""
        eng = self.cands[int(idx[0])].eng
        if eng not in fresh:
            sums[eng] = self.gains(eng, peak_only)
            fresh.add(eng)
        gain = sums[eng][self.b_arr[idx]] - sums[eng][self.a_arr[idx]]
        order = np.lexsort((self.minutes_arr[idx], self.asleep_arr[idx], -gain))
        for k in order.tolist():
            if gain[k] <= 0:
                return None
            i = int(idx[k])
            if self.rules.allows(self.cands[i]):
                return (-int(gain[k]), self.asleep[i], self.cands[i].minutes, i, group)
        return None


def constructive_start(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], keep_first: list[int] | None = None,
    like: Greedy | None = None,
) -> list[int]:
    """Positions in `cands` of a rota that keeps every hard rule and covers demand greedily.

    Forced candidates (pins, frozen past shifts) are in it whatever the rules say (they are facts
    or the user's orders, checked elsewhere); then `keep_first` (e.g. shifts of a previous rota)
    where the rules allow, in the order given; then the greedy passes.
    """
    greedy = Greedy(scenario, team, cands, like)
    for i, c in enumerate(cands):
        if c.forced:
            greedy.take(i)
    for i in keep_first or []:
        if not cands[i].forced and greedy.rules.allows(cands[i]):
            greedy.take(i)
    for peak_only in (True, False):
        taken = set(greedy.chosen)
        greedy.run_pass([i for i in range(len(cands)) if i not in taken], peak_only)
    return sorted(greedy.chosen)
