"""The hard rules, one named function each, registered in `HARD_RULES`.

Leave, public holidays, shift length and start step hold by construction (`candidates.py` never
offers a shift that breaks them); the functions here add the rest to the model:

- `one_shift_per_day`: at most one shift starts on each local date of an engineer;
- `min_rest`: between the end of one shift and the start of the next at least `min_rest_hours`
  (overlap is a negative rest). Stretching each candidate by the rest gives an interval graph in
  which conflicting candidates overlap, so one "at most one" per maximal clique is exact and keeps
  the LP tight, where pairwise clauses would number millions;
- `max_hours_per_week`: per 7-day block from the horizon start, a shift crossing a block boundary
  counting by its part inside each;
- `max_consecutive_days`: in every run of `max_consecutive_days + 1` local dates, at most
  `max_consecutive_days` on which a shift starts;
- `forced_shifts`: pins (and, when re-planning, shifts already started) are in the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate

WEEK_SECONDS = 7 * 86400


def one_shift_per_day(pm: PlanModel) -> None:
    for indexes in pm.by_engineer_day().values():
        if len(indexes) > 1:
            pm.model.add_at_most_one(pm.x[i] for i in indexes)


def min_rest(pm: PlanModel) -> None:
    rest = round(pm.scenario.rules.min_rest_hours * 3600)
    for indexes in pm.by_engineer().values():
        for clique in rest_cliques([pm.cands[i] for i in indexes], rest):
            if len(clique) > 1:
                pm.model.add_at_most_one(pm.x[indexes[k]] for k in clique)


def rest_cliques(cands: list[Candidate], rest: int) -> list[list[int]]:
    """Maximal sets of candidates (positions in `cands`) that pairwise break the rest rule.

    Candidate i is stretched to [start, end + rest); two conflict iff the stretched intervals
    overlap. The maximal cliques of an interval graph are the active sets at starts after which
    some active interval ends before the next start.
    """
    order = sorted(range(len(cands)), key=lambda k: cands[k].start)
    starts = sorted({cands[k].start for k in order})
    cliques: list[list[int]] = []
    active: list[int] = []
    pos = 0
    for n, point in enumerate(starts):
        active = [k for k in active if cands[k].end + rest > point]
        while pos < len(order) and cands[order[pos]].start == point:
            active.append(order[pos])
            pos += 1
        following = starts[n + 1] if n + 1 < len(starts) else None
        if following is None or any(cands[k].end + rest <= following for k in active):
            cliques.append(list(active))
    return cliques


def max_hours_per_week(pm: PlanModel) -> None:
    lo, hi = pm.team.lo, pm.team.hi
    for eng, indexes in pm.by_engineer().items():
        cap = round(pm.scenario.weekly_hours_cap(pm.scenario.engineers[eng]) * 60)
        for block_lo in range(lo, hi, WEEK_SECONDS):
            block_hi = min(block_lo + WEEK_SECONDS, hi)
            parts = [(i, minutes_inside(pm.cands[i], block_lo, block_hi)) for i in indexes]
            parts = [(i, m) for i, m in parts if m > 0]
            if sum(m for _, m in parts) > cap:
                pm.model.add(sum(m * pm.x[i] for i, m in parts) <= cap)


def minutes_inside(c: Candidate, lo: int, hi: int) -> int:
    return max(0, min(c.end, hi) - max(c.start, lo)) // 60


def max_consecutive_days(pm: PlanModel) -> None:
    limit = pm.scenario.rules.max_consecutive_days
    days = pm.by_engineer_day()
    for eng in pm.by_engineer():
        dates = sorted(d for e, d in days if e == eng)
        if not dates:
            continue
        first, last = dates[0], dates[-1]
        span = (last - first).days + 1
        for offset in range(span - limit):
            window = [first + dt.timedelta(days=offset + k) for k in range(limit + 1)]
            terms = [pm.x[i] for d in window for i in days.get((eng, d), [])]
            if sum(1 for d in window if (eng, d) in days) > limit:
                pm.model.add(sum(terms) <= limit)


def forced_shifts(pm: PlanModel) -> None:
    for i, c in enumerate(pm.cands):
        if c.forced:
            pm.model.add(pm.x[i] == 1)


Rule = Callable[[PlanModel], None]
HARD_RULES: list[tuple[str, Rule]] = [
    ("one_shift_per_day", one_shift_per_day),
    ("min_rest_hours", min_rest),
    ("max_hours_per_week", max_hours_per_week),
    ("max_consecutive_days", max_consecutive_days),
    ("pins", forced_shifts),
]

BY_CONSTRUCTION = ("leave", "public_holidays", "shift_hours", "shift_start_step_minutes")
