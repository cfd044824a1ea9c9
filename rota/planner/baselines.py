"""The rotas teams draw by hand today, for an honest comparison with the planner.

An office is the engineers sharing a time zone (in scenario order). Both baselines rotate weekly
through an office's members, in turn, in 7-day blocks from the horizon start, as PagerDuty's and
Opsgenie's default rotations do; neither looks at demand, leave or rules:

- `weekly_rota`: one engineer per office on call around the clock for the whole week;
- `office_hours_rota`: one engineer per office on call during their own working hours (working
  days that are not their public holidays), the usual hand-made follow-the-sun.
"""

from __future__ import annotations

from rota.rotafile import Rota, Shift
from rota.scenario import Engineer, Scenario
from rota.spans import Span, clip, from_ts
from rota.team import horizon_range, team_time

WEEK_SECONDS = 7 * 86400


def offices(scenario: Scenario) -> list[list[Engineer]]:
    by_zone: dict[str, list[Engineer]] = {}
    for engineer in scenario.engineers:
        by_zone.setdefault(engineer.timezone, []).append(engineer)
    return list(by_zone.values())


def weekly_rota(scenario: Scenario) -> Rota:
    lo, hi = horizon_range(scenario)
    shifts = []
    for members in offices(scenario):
        for k, block in enumerate(range(lo, hi, WEEK_SECONDS)):
            shifts.append(_shift(members[k % len(members)], (block, min(block + WEEK_SECONDS, hi))))
    return _rota(scenario, shifts, "baseline-weekly")


def office_hours_rota(scenario: Scenario) -> Rota:
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    shifts = []
    for members in offices(scenario):
        for k, block in enumerate(range(lo, hi, WEEK_SECONDS)):
            member = members[k % len(members)]
            working = team.group_of[member.id].profile.spans_by_band["working"]
            for span in clip(working, block, min(block + WEEK_SECONDS, hi)):
                shifts.append(_shift(member, span))
    return _rota(scenario, shifts, "baseline-office-hours")


def _shift(engineer: Engineer, span: Span) -> Shift:
    return Shift(engineer=engineer.id, start=from_ts(span[0]), end=from_ts(span[1]))


def _rota(scenario: Scenario, shifts: list[Shift], method: str) -> Rota:
    shifts.sort(key=lambda s: (s.start, s.engineer))
    return Rota(team=scenario.team, horizon=scenario.horizon, shifts=tuple(shifts))
