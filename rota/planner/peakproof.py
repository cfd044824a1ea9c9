"""The peak stage over every shift the rules allow, so "no rota covers more peak" is a proof.

The main model offers a thinned grid (`candidates.py`: tens of shifts per engineer-day; every start
step and length would be hundreds). The peak stage alone needs far fewer, by dominance:

- a shift in which the engineer would qualify for no peak demand can be dropped: fewer shifts
  never break a rule;
- a step trimmed off a shift's start or end where the engineer would qualify for no peak demand
  leaves peak coverage unchanged, and the shorter shift keeps every rule the longer one kept (same
  local start date, longer rests, fewer weekly hours), as long as it is itself on the grid (at
  least `shift_hours.min` long, its start on the step in local time) and starts on the same date.

So the best peak coverage over all shifts (starts on every `shift_start_step_minutes`, lengths from
`shift_hours.min` to `.max` in whole steps) equals the best over the *peak-tight* ones: shifts with
some peak-qualifying time whose first and last step each hold some, unless they cannot be trimmed
there. On the example team that is 18,341 of 153,993 shifts of the full grid; on the M benchmark
31,202 of 169,729. Solved alone (pins included, peak rows only), this stage's optimum is proved
over the full grid; its rota joins the main model as a complete, valid hint, and the main model
keeps its peak shortfall at that optimum while it minimises the later terms.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rota.limits import PLANNER_CANDIDATE_WORKERS
from rota.planner.build import PlanModel
from rota.planner.candidates import FULL_GRID, Candidate, engineer_candidates
from rota.planner.grid import add_coverage
from rota.planner.objective import peak_uncovered
from rota.planner.pins import rules_hold
from rota.planner.progress import Progress
from rota.planner.qualifiers import peak_spans_by_engineer
from rota.planner.rules import HARD_RULES
from rota.planner.search import SearchSettings, StageResult, solve_staged
from rota.scenario import Scenario
from rota.spanset import SpanSet
from rota.team import TeamTime

# Past this many peak-tight shifts the proof model is left out and the main model's peak stage
# runs over its own grid (the L benchmark has 135,429; its model would crowd out the main search).
PEAK_PROOF_MAX_CANDIDATES = 60_000


@dataclass
class PeakProof:
    """The peak stage solved over the peak-tight shifts of the full grid."""

    stage: StageResult
    shifts: list[Candidate]  # the rota it found: forced shifts and chosen candidates
    candidates: int
    budget: float  # the time limit it had


def peak_tight(
    scenario: Scenario, team: TeamTime, eng: int, qualifying: SpanSet
) -> list[Candidate]:
    """The engineer's full-grid shifts that no trimmed or dropped shift dominates for the peak
    (`qualifying`: where the engineer could qualify for some peak).

    A side may be trimmed when the shift one step shorter on that side is itself on the grid,
    on the same local date (so DST, `shift_hours` and the horizon edge are all respected).
    """
    cands = engineer_candidates(scenario, team, eng, FULL_GRID)
    if not cands:
        return []
    step = scenario.rules.shift_start_step_minutes * 60
    starts = np.array([c.start for c in cands], dtype=np.int64)
    ends = np.array([c.end for c in cands], dtype=np.int64)

    def held(lo: np.ndarray, hi: np.ndarray) -> list[bool]:
        return (qualifying.measure_before(hi) - qualifying.measure_before(lo) > 0).tolist()

    on_grid = {(c.start, c.end, c.day) for c in cands}
    anywhere = held(starts, ends)
    first = held(starts, np.minimum(starts + step, ends))
    last = held(np.maximum(ends - step, starts), ends)
    out = []
    for k, c in enumerate(cands):
        later_start = (c.start + step, c.end, c.day) in on_grid
        earlier_end = (c.start, c.end - step, c.day) in on_grid
        if anywhere[k] and (first[k] or not later_start) and (last[k] or not earlier_end):
            out.append(c)
    return out


def proof_candidates(
    scenario: Scenario, team: TeamTime, forced: list[Candidate], now: int | None
) -> list[Candidate]:
    out: dict[tuple[int, int, int], Candidate] = {(c.eng, c.start, c.end): c for c in forced}
    peaks = peak_spans_by_engineer(team)
    for eng, engineer in enumerate(scenario.engineers):
        if engineer.id not in peaks:
            continue
        for c in peak_tight(scenario, team, eng, SpanSet(peaks[engineer.id])):
            if now is None or c.start >= now:
                out.setdefault((c.eng, c.start, c.end), c)
    return sorted(out.values(), key=lambda c: (c.eng, c.start, c.end))


def prove_peak(
    scenario: Scenario,
    team: TeamTime,
    forced: list[Candidate],
    now: int | None,
    settings: SearchSettings,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    start: list[Candidate] | None = None,
) -> PeakProof | None:
    """The peak optimum over the full grid, or None when the family is empty or too big (the main
    model's peak stage then runs) or the search found nothing in its time.

    `start` (a rota that keeps the rules, such as the constructive one) is the search's first
    solution; its shifts join the family (they are on the grid, so the proof still holds).
    """
    cands = proof_candidates(scenario, team, forced, now)
    if not cands or len(cands) > PEAK_PROOF_MAX_CANDIDATES:
        return None
    starting = {(c.eng, c.start, c.end) for c in start or []}
    if starting:
        known = {(c.eng, c.start, c.end) for c in cands}
        cands = sorted(cands + [dataclasses.replace(c, var=None) for c in start or []
                                if (c.eng, c.start, c.end) not in known],
                       key=lambda c: (c.eng, c.start, c.end))
    pm = PlanModel(scenario, team, cands)
    for _, rule in HARD_RULES:
        rule(pm)
    add_coverage(pm, peak_only=True)
    hint = [1 if c.forced or (c.eng, c.start, c.end) in starting else 0 for c in cands]
    valid = rules_hold(scenario, team, [c for c, h in zip(cands, hint, strict=True) if h])
    workers = max(1, min(settings.workers, PLANNER_CANDIDATE_WORKERS // len(cands)))
    settings = dataclasses.replace(settings, shares=(1.0,), workers=workers)
    search = solve_staged(pm, [peak_uncovered(pm)], settings, hint, on_progress, stop, valid)
    if not search.stages or search.stages[0].value is None or search.chosen is None:
        return None
    chosen = [dataclasses.replace(cands[i], var=None) for i in search.chosen]
    return PeakProof(search.stages[0], chosen, len(cands), settings.time_limit)
