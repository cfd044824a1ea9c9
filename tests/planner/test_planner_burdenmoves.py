"""Burden moves across office groups: a shift goes to whoever can cover what of it is needed, the
one who carried least first; never to someone who would not qualify there (coverage would be
lost), never against a rule, and the core's gap analysis never finds coverage worse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fairness_team import november

from domain import at, scenario
from rota.history import History, carried_in
from rota.planner.burdenmoves import burden_moves, coverage_key, partitions
from rota.planner.candidates import Candidate, annotate_costs
from rota.rotafile import Rota, Shift
from rota.scenario import Horizon, Scenario
from rota.spans import to_ts
from rota.team import TeamTime, horizon_range, team_time

EU = {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
      "peak": {"severity": "P0", "responders": 1}}
NA = {"id": "na", "timezone": "America/New_York", "peak_windows": [{"start": "13:00", "end": "17:00"}],
      "peak": {"severity": "P0", "responders": 1}}


def team(*engineers: dict[str, Any], regions: tuple[dict[str, Any], ...] = (EU,)) -> Scenario:
    return scenario(horizon={"start": "2026-12-07", "days": 3}, engineers=list(engineers),
                    regions=list(regions))


def evening(s: Scenario, t: TeamTime, eng: int, day: int, hours: tuple[int, int] = (18, 22)) -> Candidate:
    """A shift of engineer `eng` from hours[0] to hours[1] UTC on 2026-12-`day`."""
    start = to_ts(at(f"2026-12-{day:02d}T{hours[0]:02d}:00Z"))
    c = Candidate(eng, dt.date(2026, 12, day), start, start + (hours[1] - hours[0]) * 3600)
    annotate_costs(t, s.engineers[eng], [c])
    return c


def carried(s: Scenario, engineer: str, evenings: int) -> History:
    """`engineer` on call 18:00-23:00 UTC on `evenings` November evenings."""
    return november(s, engineer, range(10, 10 + evenings), 18, 5)


def owners(s: Scenario, cands: list[Candidate], chosen: list[int]) -> list[str]:
    return sorted(s.engineers[cands[i].eng].id for i in chosen)


def setup(s: Scenario) -> tuple[TeamTime, list[Candidate]]:
    """Ana's three Berlin evenings (chosen: 0-2), then the same hours for every other engineer."""
    t = team_time(s, *horizon_range(s))
    cands = [evening(s, t, eng, day) for eng in range(len(s.engineers)) for day in (7, 8, 9)]
    return t, cands


def test_history_moves_burden_to_the_engineer_of_another_office_who_carried_least() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]},
             {"id": "cy", "timezone": "Europe/London", "regions": ["eu"]})
    t, cands = setup(s)
    history = carried(s, "ana", 12)
    got = burden_moves(s, t, cands, [0, 1, 2], history)
    assert "ana" not in owners(s, cands, got.chosen)
    assert got.moved == 3 and not got.refused
    assert coverage_key(t, cands, got.chosen) == coverage_key(t, cands, [0, 1, 2])
    # cy carried more than ben: the history decides who takes the most
    history = carried_in(s, [("nov", Rota(team="t", version=1, shifts=(
        *(Shift(engineer="ana", start=at(f"2026-11-{d}T18:00Z"), end=at(f"2026-11-{d}T23:00Z"))
          for d in range(10, 22)),
        *(Shift(engineer="cy", start=at(f"2026-11-{d}T18:00Z"), end=at(f"2026-11-{d}T23:00Z"))
          for d in range(10, 16))),
        horizon=Horizon.model_validate({"start": "2026-11-07", "days": 30})))])
    got = burden_moves(s, t, cands, [0, 1, 2], history)
    assert owners(s, cands, got.chosen).count("ben") >= 2


def test_what_was_carried_in_counts_per_40_hours_of_capacity() -> None:
    """Cy works 20 h a week: the 20 h she carried in weigh as 40 h, more than Ben's 30 h."""
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]},
             {"id": "cy", "timezone": "Europe/London", "regions": ["eu"], "max_hours_per_week": 20})
    t, cands = setup(s)

    def evenings(who: str, n: int) -> list[Shift]:
        return [Shift(engineer=who, start=at(f"2026-11-{d}T18:00Z"), end=at(f"2026-11-{d}T23:00Z"))
                for d in range(10, 10 + n)]

    shifts = sorted(evenings("ana", 12) + evenings("ben", 6) + evenings("cy", 4), key=lambda x: x.start)
    history = carried_in(s, [("nov", Rota(team="t", version=1, shifts=tuple(shifts),
                                          horizon=Horizon.model_validate({"start": "2026-11-07", "days": 30})))])
    got = burden_moves(s, t, cands, [0, 1, 2], history)
    assert owners(s, cands, got.chosen) == ["ben", "ben", "ben"]


def test_without_history_the_month_alone_is_balanced() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]})
    t, cands = setup(s)
    got = burden_moves(s, t, cands, [0, 1, 2], None)
    assert owners(s, cands, got.chosen).count("ana") in (1, 2)


def test_a_move_that_would_lose_coverage_is_refused() -> None:
    # Sydney is asleep at 18:00-22:00 UTC: an hour to answer, the P0 peak needs 15 minutes
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "syd", "timezone": "Australia/Sydney", "regions": ["eu"]})
    t, cands = setup(s)
    got = burden_moves(s, t, cands, [0, 1, 2], carried(s, "ana", 12))
    assert owners(s, cands, got.chosen) == ["ana"] * 3 and got.moved == 0


def test_a_move_against_a_rule_of_the_taker_is_not_made() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]})
    s = s.model_copy(update={"rules": s.rules.model_copy(update={"max_consecutive_days": 1})})
    t, cands = setup(s)
    got = burden_moves(s, t, cands, [0, 1, 2], carried(s, "ana", 12))
    assert owners(s, cands, got.chosen) == ["ana", "ben", "ben"]  # ben may work the 7th and 9th only
    assert [cands[i].day.day for i in got.chosen if cands[i].eng == 1] == [7, 9]


def test_a_shift_for_two_regions_is_split_between_two_takers() -> None:
    # ana serves eu and na at 18:00-22:00 UTC; ben (London) serves eu only, nico (New York) na only
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu", "na"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]},
             {"id": "nico", "timezone": "America/New_York", "regions": ["na"]}, regions=(EU, NA))
    t = team_time(s, *horizon_range(s))
    cands = [evening(s, t, 0, 7), evening(s, t, 1, 7), evening(s, t, 2, 7)]
    got = burden_moves(s, t, cands, [0], carried(s, "ana", 12))
    assert owners(s, cands, got.chosen) == ["ben", "nico"] and got.moved == 2
    assert coverage_key(t, cands, got.chosen) == coverage_key(t, cands, [0])


def test_a_shift_nobody_needs_is_dropped_from_the_one_who_carried_most() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/Berlin", "regions": ["eu"]})
    t, cands = setup(s)
    got = burden_moves(s, t, cands, [0, 3], carried(s, "ana", 12))  # both on the 7th: one too many
    assert owners(s, cands, got.chosen) == ["ben"] and got.dropped == 1


def test_partitions_of_the_regions_among_takers() -> None:
    assert partitions([]) == [[]]
    assert partitions(["a"]) == [[["a"]]]
    assert len(partitions(["a", "b", "c"])) == 5  # Bell number
    assert partitions(["a", "b", "c"])[0] == [["a", "b", "c"]]


def test_past_the_deadline_nothing_moves() -> None:
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu"]})
    t, cands = setup(s)
    got = burden_moves(s, t, cands, [0, 1, 2], carried(s, "ana", 12), deadline=0.0)
    assert got.chosen == [0, 1, 2] and got.moved == 0


def test_exact_moves_never_gain_coverage_either() -> None:
    # ben serves na too: taking ana's evening he would also cover New York's peak, open now
    s = team({"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
             {"id": "ben", "timezone": "Europe/London", "regions": ["eu", "na"]}, regions=(EU, NA))
    t = team_time(s, *horizon_range(s))
    cands = [evening(s, t, 0, 7), evening(s, t, 1, 7)]
    loose = burden_moves(s, t, cands, [0], carried(s, "ana", 12))
    assert owners(s, cands, loose.chosen) == ["ben"]
    assert coverage_key(t, cands, loose.chosen) < coverage_key(t, cands, [0])
    exact = burden_moves(s, t, cands, [0], carried(s, "ana", 12), exact=True)
    assert owners(s, cands, exact.chosen) == ["ana"] and exact.moved == 0
