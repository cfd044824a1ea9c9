"""Fairness swaps: a shift moves to a twin (same zone, hours, sleep, holidays, response minutes,
serving every region of the giver) who carries less, never to one on leave, one serving fewer
regions, or one whose rules it would break; coverage and the comfort terms stay as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain import at, scenario
from rota.history import carried_in
from rota.planner.candidates import Candidate, annotate_costs
from rota.planner.fairswap import fair_swaps
from rota.rotafile import Rota, Shift
from rota.scenario import Horizon, Scenario
from rota.spans import to_ts
from rota.team import horizon_range, team_time

BERLIN = {"timezone": "Europe/Berlin", "regions": ["eu"]}


NA = {"id": "na", "timezone": "America/New_York", "peak_windows": [{"start": "19:00", "end": "23:00"}]}


def team(*engineers: dict[str, Any]) -> Scenario:
    return scenario(horizon={"start": "2026-12-07", "days": 3}, engineers=list(engineers),
                    regions=[{"id": "eu", "timezone": "Europe/Berlin",
                              "peak_windows": [{"start": "19:00", "end": "23:00"}],
                              # the nights are needed, so no burden move drops them
                              "off_peak": {"severity": "P2", "responders": 1}}, NA])


def night(s: Scenario, eng: int, day: int) -> Candidate:
    """A 02:00-06:00 Berlin shift on 2026-12-0`day`."""
    start = to_ts(at(f"2026-12-{day:02d}T01:00Z"))
    c = Candidate(eng, dt.date(2026, 12, day), start, start + 4 * 3600)
    lo, hi = horizon_range(s)
    annotate_costs(team_time(s, lo, hi), s.engineers[eng], [c])
    return c


def carried(s: Scenario, engineer: str, nights: int) -> Any:
    shifts = tuple(Shift(engineer=engineer, start=at(f"2026-11-{d:02d}T01:00Z"), end=at(f"2026-11-{d:02d}T05:00Z"))
                   for d in range(10, 10 + nights))
    earlier = Rota(team="t", version=1, horizon=Horizon.model_validate({"start": "2026-11-07", "days": 30}),
                   shifts=shifts)
    return carried_in(s, [("nov", earlier)])


def owners(s: Scenario, result: Any) -> list[str]:
    return [s.engineers[result.cands[i].eng].id for i in result.chosen]


def test_a_shift_moves_to_the_twin_who_carried_less() -> None:
    s = team({"id": "ana", **BERLIN}, {"id": "bo", **BERLIN})
    cands = [night(s, 0, 7), night(s, 0, 8)]
    lo, hi = horizon_range(s)
    got = fair_swaps(s, team_time(s, lo, hi), cands, [0, 1], carried(s, "ana", 5))
    assert owners(s, got) == ["bo", "bo"] and got.moved == 2
    # without history, one night each balances December
    alone = fair_swaps(s, team_time(s, lo, hi), cands, [0, 1], None)
    assert sorted(owners(s, alone)) == ["ana", "bo"]


def test_no_move_to_a_twin_on_leave_serving_fewer_regions_or_of_another_zone() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu", "na"]},
             {"id": "bo", "timezone": "Europe/Berlin", "regions": ["eu"]},  # serves fewer regions
             {"id": "cy", "timezone": "Europe/Berlin", "regions": ["eu", "na"],
              "unavailable": [{"start": "2026-12-07", "end": "2026-12-10"}]},  # on leave
             {"id": "dee", "timezone": "Europe/London", "regions": ["eu", "na"]})  # another zone
    cands = [night(s, 0, 7), night(s, 0, 8)]
    lo, hi = horizon_range(s)
    got = fair_swaps(s, team_time(s, lo, hi), cands, [0, 1], carried(s, "ana", 5))
    assert owners(s, got) == ["ana", "ana"] and got.moved == 0


def test_a_move_that_breaks_a_rule_of_the_twin_is_not_made() -> None:
    s = team({"id": "ana", **BERLIN}, {"id": "bo", **BERLIN})
    s = s.model_copy(update={"rules": s.rules.model_copy(update={"max_consecutive_days": 1})})
    cands = [night(s, 0, 7), night(s, 1, 8)]  # bo already works the 8th: the 7th would make two days
    lo, hi = horizon_range(s)
    got = fair_swaps(s, team_time(s, lo, hi), cands, [0, 1], carried(s, "ana", 5))
    assert owners(s, got) == ["ana", "bo"]
