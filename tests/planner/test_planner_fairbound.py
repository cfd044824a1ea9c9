"""Spread bounds: with coverage held, the least night + weekend burden the most burdened could
carry, the most the least burdened could take on, and the least spread; a night only one engineer
can answer stays theirs."""

from __future__ import annotations

from domain import rota, scenario, shift
from rota.planner import spread_bounds

EU = {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "23:00", "end": "03:00"}],
      "peak": {"severity": "P0", "responders": 1}}


def test_a_night_two_could_answer_can_be_shared_one_only_one_can_cannot() -> None:
    # ana and bo (Berlin) are asleep at the 23:00-03:00 peak, too slow for P0; night-shift
    # engineers answer it: ana works nights, bo works nights too -> the nights can be shared
    night = {"timezone": "Europe/Berlin", "regions": ["eu"],
             "working_hours": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                               "start": "22:00", "end": "06:00"},
             "sleep": {"start": "09:00", "end": "17:00"}}
    s = scenario(horizon={"start": "2026-12-07", "days": 2}, regions=[EU],
                 engineers=[{"id": "ana", **night}, {"id": "bo", **night}])
    r = rota("t", shift("ana", "2026-12-07T21:00Z", "2026-12-08T03:00Z"),
             shift("ana", "2026-12-08T21:00Z", "2026-12-09T03:00Z"))
    got = {b.question: b for b in spread_bounds(s, r, seconds=10, workers=1)}
    assert got["least_top"].engineer == "ana" and got["least_top"].rota_value > 0
    assert got["least_spread"].found is not None
    assert got["least_spread"].found < got["least_top"].rota_value  # one night each
    assert got["most_bottom"].found is not None and got["most_bottom"].found > 0

    alone = scenario(horizon={"start": "2026-12-07", "days": 2}, regions=[EU],
                     engineers=[{"id": "ana", **night}, {"id": "bo", "timezone": "Europe/Berlin",
                                                        "regions": ["eu"]}])
    got = {b.question: b for b in spread_bounds(alone, r, seconds=10, workers=1)}
    # only ana is fast enough at the peak: its night hours stay hers; only what her 6-hour
    # shifts hold beyond the peaks could go (the least shifts covering them hold 6 h of night)
    assert (got["least_top"].found, got["least_top"].bound) == (6.0, 6.0)
    assert got["least_top"].rota_value == 9.0
