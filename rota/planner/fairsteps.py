"""Fairness neighbourhoods: small CP-SAT re-solves that move burden along chains of shifts.

Burden moves (`burdenmoves.py`) hand over one shift at a time, and fairness swaps (`fairswap.py`)
move shifts between twins. Neither can shift burden when the people who could take it are at
their weekly hours: moving the Bengaluru night shift's Middle East evenings to London needs London
to give up hours that someone else then takes. A fairness neighbourhood lets CP-SAT find such a
chain:

- who: the engineer whose burden lies furthest above the team's (drawn among the `HOT` most
  burdened who have a shift the step may move, less often where steps have failed), everyone
  who serves one of their regions (least burdened first) and, when those are few, who serves
  one of those engineers' regions;
- where: a few days around one of that engineer's shifts;
- the step's model (`neighbourhoods.step_model`: the free engineers' candidates inside the window,
  every other shift fixed, every hard rule) keeps the weighted P0 peak and all-demand shortfall of
  the rows it re-counts no larger than now, the free engineers' minutes on call asleep no larger
  (nobody is woken for fairness), and no one's burden of any kind above the team's current peak
  of that kind; minutes outside working hours may rise, as with burden moves; given history, a
  step is taken only if it leaves everyone's unsocial burden in the range it had (`kinds.py`);
- it minimises the sum over the free engineers and the kinds (on call, asleep, night, weekend,
  public holiday, carried in from earlier rotas plus planned, per 40 h of weekly capacity) of the
  squared deviation from the kind's mean, in units where each kind's mean is 100: the objective of
  burden moves, so the two steps pull the same way.

A step's rota replaces the current one when the core's order (P0 peak, then all uncovered minutes,
`OpenDemand.standing`) is no worse (with `deterministic` the same: the plan's coverage stays its
search's, so more time is never worse) and the objective, recomputed exactly, is lower. With
`deterministic` the draws come from the seed and each step is charged its work
(`neighbourhoods.step_work`), so two runs are identical and a longer budget runs the same steps
and more. It runs for fresh plans given history (`PlanOptions.history`), for its share of the
limit (`budget.FAIR_SHARE`).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rota.history import History
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy
from rota.planner.kinds import HISTORY_KINDS, KINDS, UnsocialRange
from rota.planner.neighbourhoods import (
    DAY,
    LOOKAHEAD_SLACK,
    MIN_STEP_SECONDS,
    OpenDemand,
    Step,
    StepModel,
    hinted,
    model_size,
    replaced,
    step_model,
    step_solver,
    step_work,
)
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.team import TeamTime

MEAN = 100  # each kind's mean burden, in the step model's units
HOT = 4  # the step's engineer is drawn among this many most burdened
STEP_SECONDS = 1.0  # wall-clock limit of one step's search
STEP_DETERMINISTIC = 0.1  # deterministic time of one step's search, with `deterministic`
DAYS = (2, 7)  # days per step: from, to (the size adapts between them)
ENGINEERS = (4, 14)  # engineers per step: from, to
EPS = 1e-6


@dataclass
class FairResult:
    chosen: set[int]
    steps: int = 0
    improved: int = 0
    seconds: float = 0.0
    work: float = 0.0  # with `deterministic`: the work charged, in seconds of a quiet machine

    def to_json(self) -> dict[str, float]:
        return {"steps": self.steps, "improved": self.improved, "seconds": round(self.seconds, 3),
                "work": round(self.work, 3)}


class Burden:
    """Each engineer's burden per kind, carried in plus planned, per 40 h of weekly capacity."""

    def __init__(self, scenario: Scenario, cands: list[Candidate], chosen: set[int],
                 history: History | None) -> None:
        self.scale = [40 / scenario.weekly_hours_cap(e) for e in scenario.engineers]
        self.carried = [[(history.seconds(e.id, kind) / 60 if history else 0.0) * self.scale[eng]
                         for kind in HISTORY_KINDS] for eng, e in enumerate(scenario.engineers)]
        self.cands = cands
        self.load = self.of(chosen)
        n = len(self.load) or 1
        self.mean = [sum(row[k] for row in self.load) / n for k in range(len(KINDS))]

    def of(self, chosen: set[int]) -> list[list[float]]:
        load = [list(row) for row in self.carried]
        for i in chosen:
            c = self.cands[i]
            for k, kind in enumerate(KINDS):
                load[c.eng][k] += getattr(c, kind) * self.scale[c.eng]
        return load

    def cost(self, load: list[list[float]]) -> float:
        """Sum of squared deviations from the kinds' means, each kind in units of its mean."""
        return sum(((row[k] - m) / m) ** 2 for row in load for k, m in enumerate(self.mean) if m > 0)

    def excess(self, load: list[list[float]], eng: int) -> float:
        return sum(max(load[eng][k] / m - 1, 0.0) for k, m in enumerate(self.mean) if m > 0)


def fair_neighbourhoods(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: set[int],
    history: History | None, budget: float, settings: SearchSettings, like: Greedy | None = None,
) -> FairResult:
    """Fairness neighbourhood steps until `budget` (seconds, or work with `deterministic`) is
    spent; the rota's coverage in the core's order never gets worse."""
    started = time.monotonic()
    result = FairResult(set(chosen))
    limit = STEP_DETERMINISTIC if settings.deterministic else STEP_SECONDS
    if budget < limit or not scenario.engineers:
        return result
    rng = random.Random(settings.seed)
    demand = OpenDemand.of(scenario, team, cands, like)
    current = demand.standing(result.chosen)
    burden = Burden(scenario, cands, result.chosen, history)
    load = burden.load
    cost = burden.cost(load)
    keep = UnsocialRange.of(load) if history is not None else None  # see `kinds.py`
    by_eng: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if not c.forced:
            by_eng[c.eng].append(i)
    regions = [set(e.regions) for e in scenario.engineers]
    longest = max((c.end - c.start for c in cands), default=0)
    failures: dict[int, int] = defaultdict(int)
    days, engineers = 3, 8
    dearest = setup = 0.0
    while True:
        spent = result.work if settings.deterministic else time.monotonic() - started
        need = max(dearest, limit) if settings.deterministic else setup + MIN_STEP_SECONDS
        if budget - spent < need:
            break
        began = time.monotonic()
        movable = sorted({cands[i].eng for i in result.chosen if not cands[i].forced})
        hot = sorted(movable, key=lambda e: -burden.excess(load, e))[:HOT]
        weights = [burden.excess(load, e) / (1 + failures[e]) for e in hot]
        if not any(w > 0 for w in weights):
            break
        top = rng.choices(hot, weights)[0]
        mine = [i for i in result.chosen if cands[i].eng == top and not cands[i].forced]
        at = cands[rng.choice(sorted(mine))].start
        first = max((at - team.lo) // DAY - rng.randrange(days), 0)
        window = (team.lo + first * DAY, min(team.lo + (first + days) * DAY, team.hi))
        free = _engineers(top, regions, load, burden, engineers, rng)
        built = step_model(scenario, team, cands, by_eng, result.chosen, window, free,
                           longest + LOOKAHEAD_SLACK)
        step, values = _solve(built, burden, load, limit, settings)
        result.steps += 1
        result.work += step_work(step)
        dearest = max(dearest, step_work(step))
        if not settings.deterministic:
            setup = max(setup, time.monotonic() - began - step.wall)
        new = replaced(built, result.chosen, values) \
            if values is not None and not isinstance(built, int) else None
        if step.quick:
            days, engineers = min(days + 1, DAYS[1]), min(engineers + 2, ENGINEERS[1])
        else:
            days, engineers = max(days - 1, DAYS[0]), max(engineers - 2, ENGINEERS[0])
        if new is None or new == result.chosen:
            failures[top] += 1
            continue
        after = burden.of(new)
        rated = demand.standing(new)
        worse = rated != current if settings.deterministic else rated > current
        if worse or burden.cost(after) >= cost - EPS or keep is not None and not keep.holds_all(after):
            failures[top] += 1
            continue
        result.chosen, load, cost, current = new, after, burden.cost(after), rated
        result.improved += 1
    result.seconds = time.monotonic() - started
    return result


def _engineers(top: int, regions: list[set[str]], load: list[list[float]], burden: Burden,
               size: int, rng: random.Random) -> list[int]:
    """`top`, then who serves one of their regions, least burdened first; then, when those are
    fewer than `size`, who serves one of those engineers' regions (drawn at random)."""
    everyone = range(len(regions))
    mates = sorted((e for e in everyone if e != top and regions[e] & regions[top]),
                   key=lambda e: burden.excess(load, e))
    out = [top, *mates[:size - 1]]
    if len(out) < size:
        reach = set().union(*(regions[e] for e in out))
        further = [e for e in everyone if e not in out and regions[e] & reach]
        out += rng.sample(further, min(size - len(out), len(further)))
    return sorted(out)


def _solve(built: StepModel | int, burden: Burden, load: list[list[float]], limit: float,
           settings: SearchSettings) -> tuple[Step, list[int] | None]:
    """The step re-solved: its cost and the free candidates' new values (None: nothing found)."""
    if isinstance(built, int):
        return Step(None, built), None
    sub, model = built.sub, built.sub.model
    if not isinstance(built.peak.expr, int):
        model.add(built.peak.expr <= built.before[0])
    model.add(built.every.expr <= built.before[1])
    free = built.free
    asleep = [(sub.cands[k].asleep_min, k) for k in free if sub.cands[k].asleep_min]
    if asleep:
        model.add(sum(m * sub.x[k] for m, k in asleep) <= sum(m * built.full[sub.x[k].index]
                                                                for m, k in asleep))
    squares, values = [], []
    peaks = [max(row[k] for row in load) for k in range(len(KINDS))]
    by_eng: dict[int, list[int]] = defaultdict(list)
    for k in free:
        by_eng[sub.cands[k].eng].append(k)
    for eng, ks in by_eng.items():
        scale = burden.scale[eng]
        for kind_at, kind in enumerate(KINDS):
            mean = burden.mean[kind_at]
            if mean <= 0:
                continue
            unit = MEAN / mean
            coeffs = [(round(getattr(sub.cands[k], kind) * scale * unit), k) for k in ks]
            coeffs = [(a, k) for a, k in coeffs if a]
            if not coeffs:
                continue
            now = sum(getattr(sub.cands[k], kind) * scale * built.full[sub.x[k].index] for k in ks)
            base = round((load[eng][kind_at] - now) * unit)
            top = base + sum(a for a, _ in coeffs)
            low = min(base, top)
            at = base - MEAN + sum(a * built.full[sub.x[k].index] for a, k in coeffs)
            dev = model.new_int_var(low - MEAN, top - MEAN, "")
            model.add(dev == base - MEAN + sum(a * sub.x[k] for a, k in coeffs))
            model.add(dev + MEAN <= max(round(peaks[kind_at] * unit), at + MEAN))
            span = max(abs(low - MEAN), abs(top - MEAN))
            square = model.new_int_var(0, span * span, "")
            model.add_multiplication_equality(square, [dev, dev])
            squares.append(square)
            values += [(dev.index, at), (square.index, at * at)]
    if not squares:
        return Step(None, model_size(sub)), None
    model.minimize(sum(squares))
    built.full = sub.complete_hint([built.full[v.index] for v in sub.x])
    for index, value in values:
        built.full[index] = value
    hinted(built)
    solver = step_solver(settings, limit)
    status = solver.solve(model)
    step = Step(None, model_size(sub), solver.response_proto.deterministic_time, solver.wall_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return step, None
    took = step.deterministic_time if settings.deterministic else step.wall
    step.quick = status == cp_model.OPTIMAL and took < limit / 2
    return step, [int(solver.value(v)) for v in sub.x]
