"""Why demand stays uncovered: the structural bound, the binding rules, and whom to hire.

- The structural bound needs no solver: per region and slot, required minus the engineers who could
  possibly qualify (serving the region, not on leave, not on a local public holiday unless the
  rules allow it, answering within the target in their band then). No rota can do better.
- A gap above that bound is caused by rules: for each engineer who would qualify there but is not
  on call, every shift the rules allow covering the gap (the full grid, not only the model's
  candidates) is checked against the chosen rota; the hard rules that forbid adding it (one shift
  per day, rest, weekly hours, consecutive days) are its binding rules. A shift no rule forbids
  means the trade-off went elsewhere (or the search stopped).
- A structural gap needs a hire: where one would close the most is `rota/hiring.py`'s answer, the
  same for the plan's report as for `rota gaps`, the report page and the API.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from rota.coverage import Gap
from rota.planner.candidates import (
    Candidate,
    blocked_spans,
    local_day_of,
    local_starts,
    shift_lengths,
)
from rota.planner.qualifiers import region_slots
from rota.planner.rules import WEEK_SECONDS, minutes_inside
from rota.scenario import Region, Scenario
from rota.spans import Span, merge
from rota.spanset import SpanSet
from rota.team import TeamTime


def structural_spans(team: TeamTime, region: Region) -> tuple[list[Span], int]:
    """Spans where fewer could qualify than required, and the responder-minutes missing there."""
    spans: list[Span] = []
    missing = 0
    for slots in region_slots(team, region):
        short = np.where(slots.inside, np.maximum(slots.demand.responders - slots.count(), 0), 0)
        missing += int((short * slots.lengths()).sum()) // 60
        spans += slots.spans(short > 0)
    return merge(spans), missing


def structural_bound(team: TeamTime) -> dict[str, dict[str, int]]:
    out = {}
    for region in team.scenario.regions:
        spans, missing = structural_spans(team, region)
        out[region.id] = {"minutes": sum(e - s for s, e in spans) // 60,
                          "responder_minutes": missing}
    return out


class ChosenIndex:
    """Each engineer's chosen shifts and every shift the rules would let them take, by instant.

    The shifts examined are the full grid (every start step, lengths in whole steps) plus the
    model's own candidates (pins may lie off it), so a binding rule is never the model's thinning.
    """

    def __init__(
        self, scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: list[int]
    ) -> None:
        self.scenario, self.team = scenario, team
        self.model_cands: dict[int, list[Candidate]] = defaultdict(list)
        for c in cands:
            self.model_cands[c.eng].append(c)
        self.blocked: dict[int, SpanSet] = {}
        self.starts: dict[tuple[int, dt.date], list[int]] = {}
        self.model_starts: dict[int, list[int]] = {}
        self.longest = max((c.end - c.start for c in cands), default=0)
        self.mine: dict[int, list[Candidate]] = defaultdict(list)
        for i in chosen:
            self.mine[cands[i].eng].append(cands[i])
        # Per engineer: local dates with a shift start, and minutes per weekly block.
        self.days: dict[int, set[int]] = {e: {c.day.toordinal() for c in m} for e, m in self.mine.items()}
        self.week_minutes: dict[int, Counter[int]] = defaultdict(Counter)
        for eng, mine in self.mine.items():
            for c in mine:
                for block in range(team.lo, team.hi, WEEK_SECONDS):
                    self.week_minutes[eng][block] += minutes_inside(c, block, block + WEEK_SECONDS)

    def covering(self, eng: int, ts: int) -> list[Candidate]:
        """Every shift the rules allow on its own (full grid) or the model offers that covers `ts`.

        Built for the instant only: starts on the step in the engineer's local time from the
        longest shift before `ts` up to `ts`, every grid length, none overlapping leave or holidays.
        """
        scenario, team = self.scenario, self.team
        engineer = scenario.engineers[eng]
        if eng not in self.blocked:
            self.blocked[eng] = SpanSet(blocked_spans(scenario, team, engineer))
        lengths = [m * 60 for m in shift_lengths(scenario, 0)]
        step = scenario.rules.shift_start_step_minutes
        own = self.model_cands.get(eng, [])
        if eng not in self.model_starts:
            own.sort(key=lambda c: c.start)
            self.model_starts[eng] = [c.start for c in own]
        since = bisect.bisect_right(self.model_starts[eng], ts - max(self.longest, max(lengths)))
        upto = bisect.bisect_right(self.model_starts[eng], ts)
        out = {(c.start, c.end): c for c in own[since:upto] if c.start <= ts < c.end}
        first, last = local_day_of(engineer, ts - max(lengths)), local_day_of(engineer, ts)
        for day in (first + dt.timedelta(days=k) for k in range((last - first).days + 1)):
            if (eng, day) not in self.starts:
                self.starts[(eng, day)] = local_starts(engineer, day, step)
            for start in self.starts[(eng, day)]:
                if not ts - max(lengths) < start <= ts:
                    continue
                for length in lengths:
                    end = start + length
                    if end > ts and end > team.lo and start < team.hi and (start, end) not in out:
                        out[(start, end)] = Candidate(eng, day, start, end)
        shifts = sorted(out.values(), key=lambda c: (c.start, c.end))
        if not shifts or not len(self.blocked[eng]):
            return shifts
        starts = np.array([c.start for c in shifts], dtype=np.int64)
        ends = np.array([c.end for c in shifts], dtype=np.int64)
        hit = self.blocked[eng].measure_before(ends) - self.blocked[eng].measure_before(starts)
        return [c for c, h in zip(shifts, hit.tolist(), strict=True) if h == 0 or c.forced]

    def on_call(self, eng: int, ts: int) -> bool:
        return any(c.start <= ts < c.end for c in self.mine.get(eng, []))


def binding_rules(index: ChosenIndex, gap: Gap) -> dict[str, int]:
    """Rule name -> engineers kept off this gap by it (`trade_off` when no rule forbids)."""
    team, scenario = index.team, index.scenario
    region = scenario.region_by_id[gap.region]
    target = scenario.severities.target(gap.severity)
    probe = gap.start
    reasons: Counter[str] = Counter()
    for eng, engineer in enumerate(scenario.engineers):
        if region.id not in engineer.regions or index.on_call(eng, probe):
            continue
        group = team.group_of[engineer.id]
        if not group.fast(target).contains(np.array([probe], dtype=np.int64))[0]:
            continue
        if any(s <= probe < e for s, e in team.leave.get(engineer.id, [])):
            continue
        covering = index.covering(eng, probe)
        if not covering:
            reasons["no_shift_fits (leave, holiday, horizon edge or start step)"] += 1
            continue
        blocked: list[set[str]] = [_blocking(c, index) for c in covering]
        fewest = min(blocked, key=len)
        reasons.update(fewest or {"trade_off"})
    return dict(reasons)


def _blocking(c: Candidate, index: ChosenIndex) -> set[str]:
    scenario, team = index.scenario, index.team
    rules = scenario.rules
    rest = round(rules.min_rest_hours * 3600)
    found = set()
    mine = index.mine.get(c.eng, [])
    for other in mine:
        if other.day == c.day:
            found.add("one_shift_per_day")
        elif other.start < c.end + rest and c.start < other.end + rest:
            found.add("min_rest_hours")
    cap = round(scenario.weekly_hours_cap(scenario.engineers[c.eng]) * 60)
    used = index.week_minutes[c.eng]
    first = team.lo + max(c.start - team.lo, 0) // WEEK_SECONDS * WEEK_SECONDS
    for block in range(first, min(c.end, team.hi), WEEK_SECONDS):
        add = minutes_inside(c, block, block + WEEK_SECONDS)
        if add and used[block] + add > cap:
            found.add("max_hours_per_week")
    days = index.days.get(c.eng, set())
    day = c.day.toordinal()
    left = right = 0
    while day - left - 1 in days:
        left += 1
    while day + right + 1 in days:
        right += 1
    if left + right + 1 > rules.max_consecutive_days:
        found.add("max_consecutive_days")
    return found
