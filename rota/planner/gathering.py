"""Which shifts the model may choose: the candidates of a plan, gathered once.

Forced shifts (pins, and on a re-plan the past it may not change), shifts it may keep, the
thinned start grid (`candidate_policy`) and the full grid over each engineer's tight spots
(`qualifiers.tight_spans`), costs annotated; and the planner's size limits, checked before any
of it is built (`check_limits`, also used by the API before a plan is queued).
"""

from __future__ import annotations

import dataclasses

from rota.errors import LimitExceeded
from rota.limits import PLANNER_MAX_CANDIDATES, PLANNER_MAX_ENGINEER_DAYS, PLANNER_MAX_HORIZON_DAYS
from rota.planner.candidates import (
    FULL_GRID,
    Candidate,
    CandidatePolicy,
    annotate_costs,
    engineer_candidates,
    shift_lengths,
)
from rota.planner.pins import check_forced_together, pin_candidates, previous_candidates
from rota.planner.qualifiers import tight_spans
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spanset import SpanSet
from rota.team import TeamTime

CANDIDATES_PER_ENGINEER_DAY = 60  # a denser start grid is thinned to whole multiples of the step
CANDIDATES_PER_ENGINEER_DAY_BIG = 36  # past BIG_ENGINEER_DAYS, to keep memory under 4 GB
BIG_ENGINEER_DAYS = 1_500


def check_limits(scenario: Scenario) -> None:
    days = scenario.horizon.days
    if days > PLANNER_MAX_HORIZON_DAYS:
        raise LimitExceeded(
            f"the planner plans at most {PLANNER_MAX_HORIZON_DAYS} days at once; the horizon has "
            f"{days} (plan it in parts)")
    engineer_days = days * len(scenario.engineers)
    if engineer_days > PLANNER_MAX_ENGINEER_DAYS:
        raise LimitExceeded(
            f"the planner takes at most {PLANNER_MAX_ENGINEER_DAYS} engineer-days; this scenario "
            f"has {len(scenario.engineers)} engineers x {days} days = {engineer_days}")


def forced_candidates(
    scenario: Scenario, team: TeamTime, previous: Rota | None, now: int | None
) -> tuple[list[Candidate], list[Candidate]]:
    """Shifts the plan must contain (pins, frozen past shifts) and previous shifts it may keep."""
    pins = pin_candidates(scenario, team)
    frozen, keep = previous_candidates(scenario, team, previous, now)
    check_forced_together(scenario, team, pins + frozen)
    return [c for _, c in pins + frozen], keep


def gather_candidates(
    scenario: Scenario, team: TeamTime, forced: list[Candidate], extra: list[Candidate],
    now: int | None,
) -> list[Candidate]:
    """Forced shifts, `extra` ones (keepable previous shifts, the peak proof's rota), the thinned
    grid, and the full grid over each engineer's tight spots, without duplicates."""
    policy = candidate_policy(scenario)
    tight = tight_spans(team)
    out: dict[tuple[int, int, int], Candidate] = {}
    for c in forced:
        out[(c.eng, c.start, c.end)] = c
    for c in extra:
        out.setdefault((c.eng, c.start, c.end), c)
    for eng, engineer in enumerate(scenario.engineers):
        offered = engineer_candidates(scenario, team, eng, policy)
        if engineer.id in tight:
            offered += engineer_candidates(scenario, team, eng, FULL_GRID, SpanSet(tight[engineer.id]))
        for c in offered:
            if now is not None and c.start < now:
                continue  # before `now` nothing changes: no new shift starts in the past
            key = (c.eng, c.start, c.end)
            if key in out:
                continue
            out[key] = c
    cands = sorted(out.values(), key=lambda c: (c.eng, c.start, c.end))
    if len(cands) > PLANNER_MAX_CANDIDATES:
        raise LimitExceeded(
            f"{len(cands)} candidate shifts; the planner's limit is {PLANNER_MAX_CANDIDATES}")
    annotate_all(scenario, team, cands)
    return cands


def candidate_policy(scenario: Scenario) -> CandidatePolicy:
    """Thin the start grid so each engineer-day offers at most about 60 candidates (36 on big teams)."""
    lengths = len(shift_lengths(scenario))
    step = scenario.rules.shift_start_step_minutes
    big = len(scenario.engineers) * scenario.horizon.days > BIG_ENGINEER_DAYS
    cap = CANDIDATES_PER_ENGINEER_DAY_BIG if big else CANDIDATES_PER_ENGINEER_DAY
    stride = 1
    while (24 * 60 // (step * stride)) * lengths > cap:
        stride += 1
    return CandidatePolicy(stride_steps=stride)


def with_extra(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], extra: list[Candidate]
) -> list[Candidate]:
    """`cands` plus those of `extra` not in it yet (costs annotated), in the usual order."""
    known = {(c.eng, c.start, c.end) for c in cands}
    new = [dataclasses.replace(c, var=None) for c in extra if (c.eng, c.start, c.end) not in known]
    annotate_all(scenario, team, new)
    return sorted(cands + new, key=lambda c: (c.eng, c.start, c.end))


def annotate_all(scenario: Scenario, team: TeamTime, cands: list[Candidate]) -> None:
    by_eng: dict[int, list[Candidate]] = {}
    for c in cands:
        by_eng.setdefault(c.eng, []).append(c)
    for eng, mine in by_eng.items():
        annotate_costs(team, scenario.engineers[eng], mine)
