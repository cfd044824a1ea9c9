"""Burden carried in from earlier rotas: the look-back window, overlapping rotas, who left the team."""

from __future__ import annotations

import pytest

from domain import at, rota, scenario, shift
from rota.errors import RotaInvalid
from rota.history import carried_in, carried_json, checked_history, history_on_call
from rota.rotafile import Rota
from rota.scenario import Horizon
from rota.spans import to_ts


def team(lookback: int = 30) -> object:
    return scenario(
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
                   {"id": "bo", "timezone": "Europe/Berlin", "regions": ["eu"],
                    "max_hours_per_week": 20}],
        fairness={"lookback_days": lookback})


def with_horizon(r: Rota, start: str, days: int) -> Rota:
    return r.model_copy(update={"horizon": Horizon.model_validate({"start": start, "days": days})})


def test_only_the_look_back_window_before_the_horizon_counts() -> None:
    # Horizon 2026-12-07; a 30-day look-back starts 2026-11-07T00:00Z.
    early = with_horizon(rota("t",
                              shift("ana", "2026-11-06T20:00Z", "2026-11-07T02:00Z"),  # 2 h inside
                              shift("ana", "2026-12-06T22:00Z", "2026-12-07T04:00Z"),  # 2 h inside
                              shift("bo", "2026-10-01T08:00Z", "2026-10-01T16:00Z")),  # before it
                         "2026-10-01", 70)
    history = carried_in(team(), [("oct-nov", early)])  # type: ignore[arg-type]
    assert history.carried["ana"].on_call_seconds == 4 * 3600
    assert "bo" not in history.carried
    assert (history.lo, history.hi) == (to_ts(at("2026-11-07T00:00Z")), to_ts(at("2026-12-07T00:00Z")))


def test_a_later_rota_replaces_an_earlier_one_inside_its_horizon_so_nothing_counts_twice() -> None:
    first = with_horizon(rota("t", shift("ana", "2026-11-20T08:00Z", "2026-11-20T16:00Z"),
                              shift("ana", "2026-11-10T08:00Z", "2026-11-10T16:00Z")),
                         "2026-11-07", 30)
    replan = with_horizon(rota("t", shift("bo", "2026-11-20T08:00Z", "2026-11-20T16:00Z")),
                          "2026-11-15", 22)
    on_call, used, notes = history_on_call([("first", first), ("replan", replan)],
                                           to_ts(at("2026-11-07T00:00Z")), to_ts(at("2026-12-07T00:00Z")))
    assert used == ["first", "replan"] and notes == []
    # ana keeps the 10 November shift (before the re-plan's horizon), loses the 20 November one
    assert on_call["ana"] == [(to_ts(at("2026-11-10T08:00Z")), to_ts(at("2026-11-10T16:00Z")))]
    assert on_call["bo"] == [(to_ts(at("2026-11-20T08:00Z")), to_ts(at("2026-11-20T16:00Z")))]


def test_a_rota_outside_the_window_counts_nothing_and_says_so() -> None:
    old = with_horizon(rota("t", shift("ana", "2026-01-10T08:00Z", "2026-01-10T16:00Z")),
                       "2026-01-01", 28)
    history = carried_in(team(), [("jan.json", old)])  # type: ignore[arg-type]
    assert history.carried == {} and history.sources == ()
    assert "jan.json" in history.notes[0] and "outside the look-back window" in history.notes[0]


def test_engineers_who_left_are_left_out_with_a_note_another_team_is_an_error() -> None:
    gone = rota("t", shift("ana", "2026-11-10T08:00Z", "2026-11-10T16:00Z"),
                shift("zed", "2026-11-11T08:00Z", "2026-11-11T16:00Z"))
    kept, notes = checked_history(gone, team(), "--history nov.json")  # type: ignore[arg-type]
    assert [s.engineer for s in kept.shifts] == ["ana"]
    assert notes == ["--history nov.json: zed not in the scenario; their on-call time is left out"]
    with pytest.raises(RotaInvalid) as caught:
        checked_history(rota("other", *gone.shifts), team(), "--history nov.json")  # type: ignore[arg-type]
    assert str(caught.value.errors[0]).startswith("--history nov.json: team: rota is for 'other'")


def test_carried_out_is_carried_in_plus_added_per_40_hours_of_capacity() -> None:
    nov = with_horizon(rota("t", shift("bo", "2026-11-10T08:00Z", "2026-11-10T18:00Z")), "2026-11-07", 30)
    s = team()
    history = carried_in(s, [("nov", nov)])  # type: ignore[arg-type]
    from rota.burden import burdens
    from rota.oncall import rota_on_call
    from rota.team import horizon_range, team_time

    lo, hi = horizon_range(s)  # type: ignore[arg-type]
    dec = rota("t", shift("bo", "2026-12-08T08:00Z", "2026-12-08T13:00Z"))
    added = burdens(team_time(s, lo, hi), rota_on_call(dec, lo, hi))  # type: ignore[arg-type]
    got = carried_json(s, history, added)  # type: ignore[arg-type]
    bo = next(e for e in got["engineers"] if e["engineer"] == "bo")
    assert (bo["carried_in"]["on_call_hours"], bo["added"]["on_call_hours"],
            bo["carried_out"]["on_call_hours"]) == (10, 5, 15)
    assert bo["carried_out"]["on_call_hours_per_40h"] == 30  # bo's capacity is 20 h a week
    assert got["carried_out_spread"]["on_call_hours_per_40h"]["spread"] == 30
    assert got["sources"] == ["nov"] and got["lookback_days"] == 30
