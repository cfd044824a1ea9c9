"""Fairness swaps: the last step of a fresh plan, whichever step found its rota.

First burden moves across office groups (`burdenmoves.py`: a shift handed to whoever can cover
what of it is needed, coverage never worse), then the swaps between twins described here.

A shift moves from engineer A to engineer B (or A and B exchange two shifts, each taking the
other's, when each serves the other's regions) when B is A's twin in time (the same `Group`: zone,
working hours, sleep, holidays and response minutes, so B answers as fast as A at every instant
and the shift costs B the same asleep, off-hours, night and weekend minutes) and serves every
region A serves, B is not on leave in it, and B's shifts with it keep every rule between shifts
(one a day, rest, weekly hours, consecutive days). Coverage then stays as it was or gains (B may
serve more regions), and every earlier objective term keeps its value; only who carries the
burden changes.

Burden is per kind (on call, asleep, night, weekend, public holiday), carried in from earlier
rotas (`rota.history`) plus planned, per 40 h of weekly capacity. A move is made when it lowers
the sum over kinds and engineers of squared burdens, each kind weighted by one over its mean
squared (so nights count as much as on-call hours, five times as many), and raises no kind
above its current peak (so the fairness term's min-max stays as good), nor, given history, takes
anyone's unsocial burden out of the range it had (`kinds.py`: the fairness stage's spread stays
as good): water-filling that balances burden across engineers and across periods. The
constructive start and the time windows (`constructive.py`, `lns.py`) weigh coverage only, and
on big models the staged search may have no time for its fairness stage, so without this step
history would often change nothing. Pins, frozen shifts, and re-plans (where minimal change comes
first) are left alone.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict

from rota.history import History
from rota.planner.burdenmoves import MoveResult, burden_moves
from rota.planner.candidates import Candidate
from rota.planner.kinds import HISTORY_KINDS, KINDS, UNSOCIAL_AT, UnsocialRange, unsocial
from rota.planner.pins import rules_hold
from rota.scenario import Scenario
from rota.spanset import SpanSet
from rota.team import TeamTime

MAX_ROUNDS = 20
EXCHANGE_REACH = 3 * 86400  # twins exchange shifts that start at most this far apart


@dataclasses.dataclass
class SwapResult:
    chosen: list[int]
    cands: list[Candidate]
    moved: int  # twin swaps
    across: MoveResult | None = None  # the burden moves across office groups before them

    def to_json(self) -> dict[str, int]:
        out = {"moved": self.moved}
        if self.across is not None:
            out.update(self.across.to_json())
        return out


def fair_swaps(scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: list[int],
               history: History | None, deadline: float | None = None,
               exact: bool = False) -> SwapResult:
    """`chosen` with burden moved across office groups where coverage allows (`burdenmoves.py`),
    then shifts moved to twins who carry less; new candidates appended to `cands`. With `exact`
    (a `--deterministic` plan) coverage stays exactly as it was, never better either, so the
    plan's coverage is its search's and more time is never worse."""
    across = burden_moves(scenario, team, cands, chosen, history, deadline, exact)
    state = _State(scenario, team, list(cands), across.chosen, history, exact)
    for _ in range(MAX_ROUNDS):
        gained = False
        for i in sorted(state.all_chosen(), key=lambda i: state.cands[i].start):
            if deadline is not None and time.monotonic() > deadline:
                return state.result(across)
            c = state.cands[i]
            if c.forced or i not in state.mine[c.eng]:
                continue
            gained = state.improve(i) or gained
        if not gained:
            break
    return state.result(across)


class _State:
    """Who carries what, and the moves: a shift to a twin, or two twins exchanging shifts."""

    def __init__(self, scenario: Scenario, team: TeamTime, cands: list[Candidate],
                 chosen: list[int], history: History | None, exact: bool = False) -> None:
        self.scenario, self.team, self.cands = scenario, team, cands
        engineers = scenario.engineers
        self.scale = [40 / scenario.weekly_hours_cap(e) for e in engineers]
        self.load = [[(history.seconds(e.id, kind) / 60 if history else 0.0) * self.scale[eng]
                      for kind in HISTORY_KINDS] for eng, e in enumerate(engineers)]
        self.mine: dict[int, list[int]] = defaultdict(list)
        for i in chosen:
            c = cands[i]
            self.mine[c.eng].append(i)
            for k, kind in enumerate(KINDS):
                self.load[c.eng][k] += getattr(c, kind) * self.scale[c.eng]
        # Each kind weighs by 1 / its mean squared, so the kinds count alike whatever their
        # size (nights are a fifth of on-call hours); no move may raise a kind above its peak.
        n = len(self.load) or 1
        means = [sum(row[k] for row in self.load) / n for k in range(len(KINDS))]
        self.weight = [1 / m ** 2 if m > 0 else 0.0 for m in means]
        self.peak = [max((row[k] for row in self.load), default=0.0) for k in range(len(KINDS))]
        # given history, nobody's unsocial burden leaves the range it has (`kinds.py`)
        self.keep = UnsocialRange.of(self.load) if history is not None else None
        self.twins = _twins(scenario, team, exact)
        self.leave = {eng: SpanSet(team.leave.get(e.id, [])) for eng, e in enumerate(engineers)}
        self.moved = 0

    def all_chosen(self) -> list[int]:
        return [i for ids in self.mine.values() for i in ids]

    def result(self, across: MoveResult | None = None) -> SwapResult:
        return SwapResult(sorted(self.all_chosen()), self.cands, self.moved, across)

    def improve(self, i: int) -> bool:
        """The best move of shift i that lowers the weighted sum of squares, made."""
        c = self.cands[i]
        a = c.eng
        give = _minutes(c)
        best: tuple[float, int, int | None] | None = None
        for b in self.twins.get(a, ()):
            delta = self._delta(a, b, give)
            if delta < -1e-9 and (best is None or delta < best[0]) and self._fits(b, [], [c]):
                best = (delta, b, None)
            if a not in self.twins.get(b, ()):
                continue  # an exchange needs each to serve the other's regions
            for j in self.mine[b]:
                d = self.cands[j]
                if d.forced or abs(d.start - c.start) > EXCHANGE_REACH:
                    continue
                net = [x - y for x, y in zip(give, _minutes(d), strict=True)]
                delta = self._delta(a, b, net)
                if delta < -1e-9 and (best is None or delta < best[0]) \
                        and self._fits(b, [j], [c]) and self._fits(a, [i], [d]):
                    best = (delta, b, j)
        if best is None:
            return False
        _, twin, other = best
        self._move(i, a, twin)
        if other is not None:
            self._move(other, twin, a)
        self.moved += 1
        return True

    def _delta(self, a: int, b: int, minutes: list[int]) -> float:
        """Change of the weighted sum of squared loads when `minutes` (per kind, may be negative)
        move from a to b; 0 (no move) when either would carry more of a kind than its peak, or
        given history leave the unsocial range."""
        total = 0.0
        la, lb = self.load[a], self.load[b]
        if self.keep is not None:
            moved = sum(minutes[k] for k in UNSOCIAL_AT)
            if moved and not (self.keep.holds(unsocial(la) - moved * self.scale[a])
                              and self.keep.holds(unsocial(lb) + moved * self.scale[b])):
                return 0.0
        for k, m in enumerate(minutes):
            if m:
                da, db = m * self.scale[a], m * self.scale[b]
                if lb[k] + db > self.peak[k] + 1e-9 or la[k] - da > self.peak[k] + 1e-9:
                    return 0.0
                total += self.weight[k] * ((lb[k] + db) ** 2 - lb[k] ** 2 + (la[k] - da) ** 2 - la[k] ** 2)
        return total

    def _fits(self, eng: int, losing: list[int], taking: list[Candidate]) -> bool:
        """Whether `eng` may drop shifts `losing` and take `taking`: not on leave, rules kept."""
        leave = self.leave[eng]
        if len(leave) and any(leave.overlap([(c.start, c.end)]) for c in taking):
            return False
        kept = [self.cands[j] for j in self.mine[eng] if j not in losing]
        return rules_hold(self.scenario, self.team, kept + [_as(c, eng) for c in taking])

    def _move(self, i: int, a: int, b: int) -> None:
        c = self.cands[i]
        self.cands.append(_as(c, b))
        self.mine[a].remove(i)
        self.mine[b].append(len(self.cands) - 1)
        for k, m in enumerate(_minutes(c)):
            self.load[a][k] -= m * self.scale[a]
            self.load[b][k] += m * self.scale[b]


def _minutes(c: Candidate) -> list[int]:
    return [getattr(c, kind) for kind in KINDS]


def _as(c: Candidate, eng: int) -> Candidate:
    return dataclasses.replace(c, eng=eng, var=None, previous=False)


def _twins(scenario: Scenario, team: TeamTime, exact: bool = False) -> dict[int, list[int]]:
    """Per engineer index: the engineers of the same group who serve every region they serve
    (with `exact`, no other region either: coverage stays exactly as it was)."""
    index = {e.id: eng for eng, e in enumerate(scenario.engineers)}
    out: dict[int, list[int]] = {}
    for eng, e in enumerate(scenario.engineers):
        group = team.group_of[e.id]
        out[eng] = [index[o.id] for o in group.members
                    if o.id != e.id and (set(e.regions) == set(o.regions) if exact
                                         else set(e.regions) <= set(o.regions))]
    return out
