"""The small team the fairness tests share: five engineers in four zones serving one region whose
every hour is needed, and one of them carrying nights in from November."""

from __future__ import annotations

import datetime as dt

from domain import at, scenario
from rota.history import History, carried_in
from rota.planner.candidates import Candidate
from rota.planner.constructive import Greedy, constructive_start
from rota.planner.gathering import gather_candidates
from rota.rotafile import Rota, Shift
from rota.scenario import Horizon, Scenario
from rota.team import TeamTime, horizon_range, team_time

EU = {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
      "peak": {"severity": "P0", "responders": 1},
      "off_peak": {"severity": "P2", "responders": 1}}  # every hour is needed: nothing is dropped


def team() -> Scenario:
    return scenario(horizon={"start": "2026-12-07", "days": 7}, regions=[EU], engineers=[
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "bo", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "cy", "timezone": "Europe/London", "regions": ["eu"]},
        {"id": "dee", "timezone": "America/New_York", "regions": ["eu"]},
        {"id": "eli", "timezone": "Asia/Kolkata", "regions": ["eu"]},
    ])


def carried(s: Scenario, engineer: str, nights: int) -> History:
    """`engineer` on call every night (21:00-05:00 UTC) of `nights` November nights."""
    return november(s, engineer, range(8, 8 + nights), 21, 8)


def november(s: Scenario, engineer: str, days: range, hour: int, hours: int) -> History:
    """History of `engineer` on call from `hour` UTC for `hours` on each November day of `days`."""
    return novembers(s, [(engineer, days, hour, hours)])


def novembers(s: Scenario, spans: list[tuple[str, range, int, int]]) -> History:
    """History of several engineers: `november`'s (engineer, days, hour, hours), each."""
    shifts = tuple(Shift(engineer=engineer, start=at(f"2026-11-{d:02d}T{hour:02d}:00Z"),
                         end=at(f"2026-11-{d:02d}T{hour:02d}:00Z") + dt.timedelta(hours=hours))
                   for engineer, days, hour, hours in spans for d in days)
    earlier = Rota(team="t", version=1, shifts=tuple(sorted(shifts, key=lambda x: x.start)),
                   horizon=Horizon.model_validate({"start": "2026-11-07", "days": 30}))
    return carried_in(s, [("nov", earlier)])


def start(s: Scenario) -> tuple[TeamTime, list[Candidate], set[int]]:
    """The team's time, its candidate shifts and the constructive start's rota."""
    t = team_time(s, *horizon_range(s))
    cands = gather_candidates(s, t, [], [], None)
    return t, cands, set(constructive_start(s, t, cands, [], Greedy(s, t, cands)))
