"""Heatmap cells are local hours: DST transitions and odd offsets, judged by the worst instant."""

from __future__ import annotations

import pytest

from domain import scenario
from rota.coverage import sweep_region
from rota.render.cells import Cell, RegionGrid, region_grid
from rota.render.svg_heatmap import cell_title
from rota.spans import iso_z
from rota.team import horizon_range, team_time


def grid(zone_name: str, start: str, days: int, on_call: dict[str, list[tuple[int, int]]]
         | None = None) -> RegionGrid:
    team_scenario = scenario(
        horizon={"start": start, "days": days},
        regions=[{"id": "r", "timezone": zone_name,
                  "peak_windows": [{"start": "19:00", "end": "23:00"}],
                  "peak": {"severity": "P0", "responders": 1},
                  "off_peak": {"severity": "P2", "responders": 1}}],
        engineers=[{"id": "ana", "timezone": zone_name, "regions": ["r"]}],
    )
    lo, hi = horizon_range(team_scenario)
    team = team_time(team_scenario, lo, hi)
    region = team_scenario.regions[0]
    sweep = sweep_region(team, region, on_call or {})
    return region_grid(sweep, lo, hi, max_days=31)


def cell_at(g: RegionGrid, day: str, hour: int) -> Cell:
    return next(c for c in g.cells if c.day.isoformat() == day and c.hour == hour)


def span(c: Cell) -> str:
    return f"{iso_z(c.start)}/{iso_z(c.end)}"


@pytest.mark.parametrize(
    ("zone_name", "start", "day", "hour", "expected", "state"),
    [
        ("Europe/London", "2026-03-28", "2026-03-29", 0,
         "2026-03-29T00:00:00Z/2026-03-29T01:00:00Z", "uncovered"),
        ("Europe/London", "2026-03-28", "2026-03-29", 1,  # 01:00-02:00 does not exist
         "2026-03-29T01:00:00Z/2026-03-29T01:00:00Z", "outside"),
        ("Europe/London", "2026-03-28", "2026-03-29", 2,
         "2026-03-29T01:00:00Z/2026-03-29T02:00:00Z", "uncovered"),
        ("Europe/London", "2026-10-24", "2026-10-25", 1,  # 01:00-02:00 happens twice
         "2026-10-25T00:00:00Z/2026-10-25T02:00:00Z", "uncovered"),
        ("Asia/Kathmandu", "2026-12-07", "2026-12-07", 5,  # the window opens at 05:45 local
         "2026-12-07T00:00:00Z/2026-12-07T00:15:00Z", "uncovered"),
        ("Asia/Kathmandu", "2026-12-07", "2026-12-07", 4,
         "2026-12-06T22:15:00Z/2026-12-06T23:15:00Z", "outside"),
    ],
    ids=["London before spring-forward", "London skipped hour", "London after spring-forward",
         "London repeated hour", "Kathmandu first partial hour", "Kathmandu before the window"],
)
def test_cells_follow_the_local_clock(zone_name: str, start: str, day: str, hour: int,
                                      expected: str, state: str) -> None:
    cell = cell_at(grid(zone_name, start, 2), day, hour)
    assert (span(cell), cell.state) == (expected, state)


def test_every_local_day_has_24_cells_even_on_dst_days() -> None:
    g = grid("Europe/London", "2026-03-28", 2)  # ends 2026-03-30T00:00Z = 01:00 BST
    assert [d.isoformat() for d in g.days] == ["2026-03-28", "2026-03-29", "2026-03-30"]
    assert len(g.cells) == 72
    assert [c.state for c in g.row(2)][:2] == ["uncovered", "outside"]


def test_a_cell_shows_its_worst_instant_and_says_how_much() -> None:
    # on call 18:30-22:00Z Berlin: the 19:00-20:00 local hour (18-19Z) is half uncovered
    g = grid("Europe/Berlin", "2026-12-07", 1, {"ana": [(1796668200, 1796680800)]})
    cell = cell_at(g, "2026-12-07", 19)
    assert cell.state == "uncovered" and cell.peak
    assert cell_title(cell, "Europe/Berlin") == (
        "Mon 07 Dec 19:00-20:00 Europe/Berlin (UTC+01:00) = Mon 07 Dec 18:00-19:00 UTC: "
        "uncovered; peak P0 needs 1, 0 qualified; uncovered 30 min, covered 30 min; "
        "cause: no_responder 30 min")
