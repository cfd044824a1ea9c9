"""Burden moves: fairness across office groups, at no cost in coverage.

Fairness swaps (`fairswap.py`) move shifts only between twins, who answer alike at every instant;
the engineers who carry the most (the Bengaluru night shift, alone in its office) have no twin.
A burden move takes one shift of an engineer and hands what it covers to anyone who can cover it:

- the *needed* part of a shift is, per region it serves there, the 15-minute slots where the
  region's demand would lose a qualified responder it needs (on call there are no more qualified
  than required) if the shift went;
- the shift goes to one candidate of any engineer (its owner included: a shorter shift the same
  day) that covers every needed slot, qualifying there for that region (serving it, not on leave,
  fast enough in their band); or its regions are split among two or three such takers (a shift
  serving three regions that nobody else serves together); or, when nothing of it is needed, it
  is simply dropped. Each taker gets their shortest candidate that covers their part;
- for the `HOT` most burdened, when no hand-over works: an exchange, the shift going to an
  engineer who serves one of its regions and one of theirs within `EXCHANGE_REACH` going to the
  owner or others, the same way;
- the taker's shifts with it keep every rule between shifts (`constructive.Rules`: one a day,
  rest, weekly hours, consecutive days; leave, holidays, lengths and start steps hold for every
  candidate).

So in no region and no slot does the number of qualified responders on call fall below what it was
or below what is required: coverage (P0 peak, then all demand, as the core's gap analysis counts
it, and the model's weighted shortfall) is never worse, and the result is checked against the
core's sweep at the end (`coverage_key`; the rota is left as it was if it were worse). Nobody is
woken for fairness: a move may not raise the team's minutes on call asleep. Minutes outside working
hours may rise; balancing burden across periods is worth that (the report says how many).

A move is made when it lowers the spread of burden: the sum over the kinds (on call, asleep,
night, weekend, public holiday; carried in from earlier rotas plus planned, per 40 h of weekly
capacity) of the squared deviations from the kind's mean, each kind weighted by one over its mean
squared, and raises no kind of anyone above its current peak; given history, it also leaves
everyone's unsocial burden (night + weekend + holiday) inside the range it had (`kinds.py`),
which the fairness stage lowered. Shifts of the most burdened come first. Pure NumPy over the
greedy's 15-minute masks, no solver: it repeats exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rota.coverage import sweep_region
from rota.history import History
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy
from rota.planner.kinds import HISTORY_KINDS, KINDS, UNSOCIAL_AT, UnsocialRange
from rota.scenario import Scenario
from rota.spans import Span, clip, merge
from rota.team import TeamTime

ASLEEP = KINDS.index("asleep_min")
ON_CALL = KINDS.index("on_call_min")
MAX_ROUNDS = 30
HOT = 3  # exchanges are tried for the shifts of this many most burdened engineers
EXCHANGE_REACH = 7 * 86400  # with partner shifts that start at most this far apart
EXCHANGE_SHIFTS = 8  # the nearest this many partner shifts
EPS = 1e-9
Floats = npt.NDArray[np.float64]


@dataclass
class MoveResult:
    chosen: list[int]
    moved: int  # shifts handed to another engineer
    dropped: int  # shifts of which nothing was needed, removed
    trimmed: int  # shifts replaced by a shorter one of the same engineer
    off_hours_added: int  # minutes outside working hours the moves added (may be negative)
    refused: bool = False  # the core's gap analysis found coverage worse: nothing was moved

    def to_json(self) -> dict[str, int]:
        return {"across_groups": self.moved, "dropped": self.dropped, "trimmed": self.trimmed,
                "off_hours_minutes_added": self.off_hours_added}


def burden_moves(scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: list[int],
                 history: History | None, deadline: float | None = None,
                 exact: bool = False) -> MoveResult:
    """`chosen` (positions in `cands`, a rota keeping every rule) with shifts moved, trimmed or
    dropped where that lowers the spread of burden, coverage never worse in any slot (with
    `exact`, never better either: a `--deterministic` plan's coverage is its search's, so more
    time is never worse)."""
    if deadline is not None and time.monotonic() > deadline:
        return MoveResult(sorted(chosen), 0, 0, 0, 0)
    state = _State(scenario, team, cands, chosen, history, exact)
    for _ in range(MAX_ROUNDS):
        gained = False
        for i in state.by_pressure():
            if deadline is not None and time.monotonic() > deadline:
                break
            if i in state.chosen and state.improve(i):
                gained = True
        if not gained or deadline is not None and time.monotonic() > deadline:
            break
    result = state.result()
    if result.chosen != sorted(chosen):
        before, after = coverage_key(team, cands, chosen), coverage_key(team, cands, result.chosen)
        if after > before or (exact and after != before):
            return MoveResult(sorted(chosen), 0, 0, 0, 0, refused=True)
    return result


def coverage_key(team: TeamTime, cands: list[Candidate], chosen: list[int]) -> tuple[int, int]:
    """P0 peak, then all, uncovered seconds by the core's gap analysis (`rota.coverage`)."""
    spans: dict[str, list[Span]] = {}
    for i in chosen:
        c = cands[i]
        spans.setdefault(team.scenario.engineers[c.eng].id, []).append((c.start, c.end))
    on_call = {e: clip(merge(s), team.lo, team.hi) for e, s in spans.items()}
    gaps = [g for region in team.scenario.regions for g in sweep_region(team, region, on_call).gaps]
    return (sum(g.seconds for g in gaps if g.peak and g.severity == "P0"),
            sum(g.seconds for g in gaps))


class _State:
    """Coverage counts, rules and burden of the current rota, and the move of one shift."""

    def __init__(self, scenario: Scenario, team: TeamTime, cands: list[Candidate],
                 chosen: list[int], history: History | None, exact: bool = False) -> None:
        self.cands = cands
        self.exact = exact  # refuse moves that gain coverage too (`burden_moves`)
        self.g = g = Greedy(scenario, team, cands)
        self.chosen = set(chosen)
        for i in sorted(chosen, key=lambda i: not cands[i].forced):
            g.rules.add(cands[i])
        self.need = g.base_need
        self.count = {r: np.zeros(g.n, dtype=np.int64) for r in self.need}
        for i in chosen:
            self._cover(i, 1)
        engineers = scenario.engineers
        self.eng = np.asarray([c.eng for c in cands], dtype=np.int64)
        free = np.asarray([not c.forced for c in cands], dtype=bool)
        self.of_engineer = {eng: np.nonzero(free & (self.eng == eng))[0]
                            for eng in range(len(engineers))}
        self.minutes = np.asarray([[getattr(c, k) for k in KINDS] for c in cands],
                                  dtype=np.float64).reshape(len(cands), len(KINDS))
        self.off_hours = np.asarray([c.off_hours_min for c in cands], dtype=np.int64)
        self.scale = np.asarray([40 / scenario.weekly_hours_cap(e) for e in engineers])
        self.load = np.asarray([[history.seconds(e.id, k) / 60 * self.scale[eng] if history else 0.0
                                 for k in HISTORY_KINDS] for eng, e in enumerate(engineers)],
                               dtype=np.float64).reshape(len(engineers), len(KINDS))
        for i in chosen:
            self.load[cands[i].eng] += self.minutes[i] * self.scale[cands[i].eng]
        self.n = max(len(engineers), 1)
        self.on = np.zeros(len(cands), dtype=bool)
        self.on[list(chosen)] = True
        self.qualifies = {r: np.zeros((len(engineers), g.n), dtype=bool) for r in self.need}
        for eng, by_region in g.qual.items():
            for region_id, mask in by_region.items():
                self.qualifies[region_id][eng] = mask
        means = self.load.sum(axis=0) / self.n
        self.weight = np.where(means > 0, 1 / np.maximum(means, EPS) ** 2, 0.0)
        self.peak = self.load.max(axis=0) if len(engineers) else np.zeros(len(KINDS))
        # given history, nobody's unsocial burden leaves the range it has (`kinds.py`)
        self.keep = UnsocialRange.of(self.load.tolist()) if history is not None else None
        self.moved = self.dropped = self.trimmed = self.off_hours_added = 0

    def by_pressure(self) -> list[int]:
        """Chosen free shifts, those of the engineers furthest above the means first."""
        pressure = self.pressure()
        free = [i for i in self.chosen if not self.cands[i].forced]
        return sorted(free, key=lambda i: (-pressure[self.cands[i].eng], self.cands[i].start, i))

    def result(self) -> MoveResult:
        return MoveResult(sorted(self.chosen), self.moved, self.dropped, self.trimmed,
                          self.off_hours_added)

    def improve(self, i: int) -> bool:
        """The best move of shift i that lowers the spread, made: handed over (split among
        takers by region, trimmed or dropped), else exchanged for a shift of a taker."""
        needed = self._needed(i)
        before = self.spread()
        self._release(i)
        best: tuple[float, list[int], list[int]] | None = None
        for blocks in partitions(sorted(needed)):
            best = self._try(best, [i], [{r: needed[r] for r in block} for block in blocks])
        if best is None and needed and self.hot(self.cands[i].eng):
            best = self._exchange(i, needed)
        if best is None or best[0] >= before - EPS:
            self._restore(i)
            return False
        for k in best[1][1:]:  # the partner's shift of an exchange, restored after trying
            self._release(k)
        self._commit(best[1], best[2])
        return True

    def hot(self, eng: int) -> bool:
        """Whether the engineer is among the most burdened (exchanges are tried for them)."""
        pressure = self.pressure()
        return bool(pressure[eng] >= np.sort(pressure)[-min(HOT, len(pressure))])

    def pressure(self) -> Floats:
        means = self.load.sum(axis=0) / self.n
        return ((self.load - means) * np.sqrt(self.weight)).sum(axis=1)

    def _exchange(self, i: int, needed: dict[str, npt.NDArray[np.int64]]
                  ) -> tuple[float, list[int], list[int]] | None:
        """Shift i (released) handed to a partner who gives one of their shifts near it to its
        owner (or to others): the best such exchange, not made."""
        owner = self.cands[i].eng
        pressure = self.pressure()
        partners = np.zeros(len(self.scale), dtype=bool)
        for region_id, slots in needed.items():
            partners |= self.qualifies[region_id][:, slots].all(axis=1)
        partners &= pressure < pressure[owner]
        partners[owner] = False
        start = self.cands[i].start
        near = sorted((j for j in self.chosen if partners[self.cands[j].eng]
                       and not self.cands[j].forced
                       and abs(self.cands[j].start - start) <= EXCHANGE_REACH),
                      key=lambda j: (abs(self.cands[j].start - start), j))[:EXCHANGE_SHIFTS]
        best: tuple[float, list[int], list[int]] | None = None
        for j in near:
            theirs = self._needed(j)
            self._release(j)
            for mine in partitions(sorted(needed)):
                for other in partitions(sorted(theirs)):
                    blocks = [{r: needed[r] for r in block} for block in mine]
                    blocks += [{r: theirs[r] for r in block} for block in other]
                    best = self._try(best, [i, j], blocks)
            self._restore(j)
        return best

    def _try(self, best: tuple[float, list[int], list[int]] | None, released: list[int],
             blocks: list[dict[str, npt.NDArray[np.int64]]]) -> tuple[float, list[int], list[int]] | None:
        """`best` or, if better, `released` replaced by takers of `blocks` (tried, undone)."""
        picks = self._assign(blocks, float(sum(self.minutes[k, ASLEEP] for k in released)))
        if picks is None:
            return best
        if self.exact and self._gains(released, picks) or not self._kept():
            self._unassign(picks)
            return best
        after = self.spread()
        self._unassign(picks)
        if best is None or after < best[0] - EPS:
            return (after, released, picks)
        return best

    def _kept(self) -> bool:
        """Whether everyone's unsocial burden is inside the range kept (given history)."""
        if self.keep is None:
            return True
        values = self.load[:, UNSOCIAL_AT].sum(axis=1)
        return bool(self.keep.holds(float(values.min())) and self.keep.holds(float(values.max())))

    def spread(self) -> float:
        """The weighted sum over kinds of squared deviations from the kind's mean."""
        s1 = self.load.sum(axis=0)
        return float((self.weight * ((self.load ** 2).sum(axis=0) - s1 ** 2 / self.n)).sum())

    def _assign(self, blocks: list[dict[str, npt.NDArray[np.int64]]], asleep: float) -> list[int] | None:
        """For each block of needed slots one taker, the best for the spread that keeps the rules
        and the peaks, together asleep no longer than `asleep` minutes (what they replace);
        applied (None: some block has none)."""
        picks: list[int] = []
        for block in blocks:
            options = self._takers(block)
            gain = self._delta(options, asleep)
            j = next((int(options[k]) for k in np.argsort(gain, kind="stable").tolist()
                      if np.isfinite(gain[k]) and self.g.rules.allows(self.cands[int(options[k])])),
                     None)
            if j is None:
                self._unassign(picks)
                return None
            asleep -= self.minutes[j, ASLEEP]
            self._add(j, 1)
            picks.append(j)
        return picks

    def _unassign(self, picks: list[int]) -> None:
        for j in reversed(picks):
            self._add(j, -1)

    def _add(self, j: int, sign: int) -> None:
        """Shift j into (1) or out of (-1) the rules' state and the burden (not the counts)."""
        c = self.cands[j]
        if sign > 0:
            self.g.rules.add(c)
        else:
            self._unrule(c)
        self.load[c.eng] += sign * self.minutes[j] * self.scale[c.eng]

    def _commit(self, released: list[int], picks: list[int]) -> None:
        """`released` (out of counts, rules and burden already) replaced by `picks`."""
        owners = {self.cands[i].eng for i in released}
        for i in released:
            self.chosen.discard(i)
            self.on[i] = False
            self.off_hours_added -= int(self.off_hours[i])
        if not picks:
            self.dropped += 1
        for j in picks:
            self._add(j, 1)
            self.chosen.add(j)
            self.on[j] = True
            self._cover(j, 1)
            self.off_hours_added += int(self.off_hours[j])
            if self.cands[j].eng in owners and len(released) == 1:
                self.trimmed += 1
            else:
                self.moved += 1

    def _needed(self, i: int) -> dict[str, npt.NDArray[np.int64]]:
        """Per region, the slots of shift i where its owner is a responder the region needs."""
        g, c = self.g, self.cands[i]
        a, b = g.a[i], g.b[i]
        out = {}
        for region_id, mask in g.qual[c.eng].items():
            need = self.need[region_id][a:b]
            hit = mask[a:b] & (need > 0) & (self.count[region_id][a:b] <= need)
            if hit.any():
                out[region_id] = np.nonzero(hit)[0] + a
        return out

    def _takers(self, needed: dict[str, npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
        """Free candidates, not chosen, that cover every needed slot and qualify there; of
        each taker only the shortest (never more on-call time than the slots need)."""
        g = self.g
        first = min(int(s[0]) for s in needed.values())
        last = max(int(s[-1]) for s in needed.values())
        able = np.ones(len(self.scale), dtype=bool)
        for region_id, slots in needed.items():
            able &= self.qualifies[region_id][:, slots].all(axis=1)
        if not able.any():
            return np.zeros(0, dtype=np.int64)
        pool = np.concatenate([self.of_engineer[eng] for eng in np.nonzero(able)[0].tolist()])
        options = pool[(g.a_arr[pool] <= first) & (g.b_arr[pool] > last) & ~self.on[pool]]
        length = self.minutes[options, ON_CALL]
        shortest = np.full(len(self.scale), np.inf)
        np.minimum.at(shortest, self.eng[options], length)
        return options[length <= shortest[self.eng[options]]]

    def _delta(self, options: npt.NDArray[np.int64], asleep: float) -> Floats:
        """Change of the weighted spread if each option were added; +inf where it would raise a
        kind above its peak (or, given history, the unsocial burden above the range kept) or be
        asleep longer than `asleep` minutes (what is left of the shift it replaces)."""
        takers = self.eng[options]
        gain = self.minutes[options] * self.scale[takers][:, None]
        before = self.load[takers]
        after = before + gain
        s1 = self.load.sum(axis=0)
        delta = after ** 2 - before ** 2 - ((s1 + gain) ** 2 - s1 ** 2) / self.n
        total = (delta * self.weight).sum(axis=1)
        raised = ((after > self.peak + EPS) & (gain > 0)).any(axis=1)
        if self.keep is not None:
            raised |= after[:, UNSOCIAL_AT].sum(axis=1) > self.keep.most + EPS
        woken = self.minutes[options, ASLEEP] > asleep
        return np.where(raised | woken, np.inf, total)

    def _gains(self, released: list[int], picks: list[int]) -> bool:
        """Whether `picks` in place of `released` would add a qualified responder to a slot
        that was short of them (the counts exclude `released` while trying)."""
        g = self.g
        if not picks:  # a drop gains nothing
            return False
        lo, hi = min(g.a[j] for j in picks), max(g.b[j] for j in picks)
        for region_id, need in self.need.items():
            gone = self._masks(released, region_id, lo, hi)
            delta = self._masks(picks, region_id, lo, hi) - gone
            if not (delta > 0).any():
                continue
            before = self.count[region_id][lo:hi] + gone
            if ((delta > 0) & (before < need[lo:hi])).any():
                return True
        return False

    def _masks(self, shifts: list[int], region_id: str, lo: int, hi: int) -> npt.NDArray[np.int64]:
        """How many of `shifts` qualify for the region in each slot of `[lo, hi)`."""
        g = self.g
        out = np.zeros(hi - lo, dtype=np.int64)
        for i in shifts:
            mask = g.qual[self.cands[i].eng].get(region_id)
            a, b = max(g.a[i], lo), min(g.b[i], hi)
            if mask is not None and a < b:
                out[a - lo:b - lo] += mask[a:b]
        return out

    def _cover(self, i: int, sign: int) -> None:
        g = self.g
        a, b = g.a[i], g.b[i]
        for region_id, mask in g.qual[self.cands[i].eng].items():
            self.count[region_id][a:b] += sign * mask[a:b]

    def _release(self, i: int) -> None:
        """Shift i out of the counts, the rules' state and the burden."""
        self._cover(i, -1)
        self._add(i, -1)

    def _restore(self, i: int) -> None:
        self._cover(i, 1)
        self._add(i, 1)

    def _unrule(self, c: Candidate) -> None:
        """The inverse of `Rules.add`."""
        s = self.g.rules.state[c.eng]
        s.days.discard(c.day.toordinal())
        s.spans.remove((c.start, c.end))
        for block, minutes in self.g.rules.blocks(c):
            s.week_minutes[block] -= minutes


def partitions(regions: list[str]) -> list[list[list[str]]]:
    """The ways to split the regions among takers: all to one first, then into two, three blocks
    (none for no region: the shift is dropped). Past four regions only all-to-one and one each."""
    if not regions:
        return [[]]
    if len(regions) > 4:
        return [[regions], [[r] for r in regions]]
    out: list[list[list[str]]] = [[]]
    for r in regions:
        out = [p[:k] + [[*p[k], r]] + p[k + 1:] for p in out for k in range(len(p))] + \
              [[*p, [r]] for p in out]
    return sorted(out, key=len)
