"""The named objective terms, minimised in strict lexicographic order by staged solves.

1. `peak_uncovered`: the same shortfall, only inside the regions' peak windows: a peak that can be
   covered is, whatever it costs off-peak. With weights alone, the example team's search still
   left coverable P0 peak demand open after 180 s (7,320 responder-minutes against the 7,020 the
   rules force), because the weights let it trade peak for off-peak time and the big model converges
   slowly. Alone, this stage is small for CP-SAT: the example team's is proved optimal in about 5 s;
2. `uncovered`: shortfall x minutes x severity weight x exposure weight, over every coverage row;
3. `asleep`: on-call minutes in the engineers' `asleep` band;
4. `off_hours`: on-call minutes outside working hours (awake or asleep);
5. `fairness`: for each burden (on-call, asleep, night, weekend and public-holiday minutes in the
   engineer's local time), the largest any engineer carries, summed; each relative to the
   engineer's weekly capacity (minutes per 100 h of `max_hours_per_week`), and counting what
   earlier rotas carried in over the look-back window (`rota.history`, `PlanModel.carried`), so no
   one carries the nights or weekends alone, this month or over the months;
6. `changes`: with a previous rota, shifts dropped from it plus shifts added to it.

When re-planning, `changes` moves up right after coverage and shares the first stage with it as
`uncovered x (1 + most changes) + changes`, an order the weight guarantees (there is no separate
peak stage then: peaks keep their weight within `uncovered`, the previous rota was planned peak
first, and a peak stage without the change penalty could reshuffle the month): the
previous rota was already optimised for the comfort terms, and "Ana is sick next week" should move
Ana's shifts, not reshuffle the month to save a few asleep minutes elsewhere (measured on the M
benchmark: with `changes` last, re-planning changed 70% of the shift-hours outside that week).

Each stage keeps every earlier term at the value it reached (`search.py`), so a later term can never
buy itself with an earlier one: the order is guaranteed, not a matter of weights.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from rota.planner.build import PlanModel, Term

CAPACITY_UNIT_HOURS = 100


def peak_uncovered(pm: PlanModel) -> Term:
    """Shortfall inside the regions' peak windows only, weighted like `uncovered`."""
    rows = [pm.rows[k] for k in pm.peak_rows]
    expr = sum(weight * short for *_, short, weight in rows)
    upper = sum(weight * required for _, _, _, required, _, weight in rows)
    return Term("peak_uncovered", expr, upper, "weighted shortfall minutes at peak",
                coeffs=[(weight, short.index) for *_, short, weight in rows])


def uncovered(pm: PlanModel) -> Term:
    expr = sum(weight * short for *_, short, weight in pm.rows)
    upper = sum(weight * required for _, _, _, required, _, weight in pm.rows)
    return Term("uncovered", expr, upper, "weighted shortfall minutes",
                coeffs=[(weight, short.index) for *_, short, weight in pm.rows])


def asleep(pm: PlanModel) -> Term:
    expr = sum(c.asleep_min * x for c, x in zip(pm.cands, pm.x, strict=True) if c.asleep_min)
    return Term("asleep", expr, sum(c.asleep_min for c in pm.cands), "on-call minutes asleep")


def off_hours(pm: PlanModel) -> Term:
    expr = sum(c.off_hours_min * x for c, x in zip(pm.cands, pm.x, strict=True) if c.off_hours_min)
    return Term("off_hours", expr, sum(c.off_hours_min for c in pm.cands),
                "on-call minutes outside working hours")


# The burdens balanced across engineers (`Candidate` minutes fields), as `rota.history` counts
# them: on-call time, asleep, local nights, local weekends, local public holidays.
FAIRNESS_KINDS = ("on_call_min", "asleep_min", "night_min", "weekend_min", "holiday_min")


def fairness(pm: PlanModel) -> Term:
    parts: list[cp_model.IntVar] = []
    upper = 0
    for kind in FAIRNESS_KINDS:
        peak, bound = _max_relative(pm, kind)
        if peak is not None:
            parts.append(peak)
            upper += bound
    if not parts:
        return Term("fairness", 0, 0, FAIRNESS_UNIT)
    return Term("fairness", sum(parts), upper, FAIRNESS_UNIT)


FAIRNESS_UNIT = (f"largest on-call + asleep + night + weekend + holiday minutes, carried in "
                 f"included, per {CAPACITY_UNIT_HOURS} h weekly capacity")


def _max_relative(pm: PlanModel, kind: str) -> tuple[cp_model.IntVar | None, int]:
    """The largest `kind` burden of any engineer who can still get some, carried in included."""
    loads = {}
    for eng, indexes in pm.by_engineer().items():
        scale = CAPACITY_UNIT_HOURS / pm.scenario.weekly_hours_cap(pm.scenario.engineers[eng])
        coeffs = [(round(getattr(pm.cands[i], kind) * scale), i) for i in indexes]
        coeffs = [(k, i) for k, i in coeffs if k]
        if coeffs:
            base = round(pm.carried.get(eng, {}).get(kind, 0) * scale)
            loads[eng] = (base, coeffs, base + sum(k for k, _ in coeffs))
    if not loads:
        return None, 0
    bound = max(total for *_, total in loads.values())
    peak = pm.model.new_int_var(0, bound, f"fairness_max_{kind}")
    for base, coeffs, _ in loads.values():
        pm.model.add(sum(k * pm.x[i] for k, i in coeffs) + base <= peak)
    pm.peaks.append((peak.index, [(base, [(k, pm.x[i].index) for k, i in coeffs])
                                  for base, coeffs, _ in loads.values()]))
    return peak, bound


def changes(pm: PlanModel) -> Term:
    kept = [(c, x) for c, x in zip(pm.cands, pm.x, strict=True) if not c.forced]
    expr = sum((1 - x) if c.previous else x for c, x in kept)
    return Term("changes", expr, len(kept), "shifts dropped or added against the previous rota")


def lexicographic(first: Term, second: Term) -> Term:
    """One term minimising `first`, then `second`: the weight exceeds any value of `second`."""
    scale = second.upper + 1
    expr = first.expr * scale + second.expr  # type: ignore[operator]
    return Term(f"{first.name}+{second.name}", expr, first.upper * scale + second.upper,
                f"{first.unit} x {scale} + {second.unit}", scale)


STAGES = [peak_uncovered, uncovered, asleep, off_hours, fairness]
