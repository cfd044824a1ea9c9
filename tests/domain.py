"""The tests' small domain vocabulary: build scenarios and rotas tersely, assert in domain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rota.report import GapReport
from rota.rotafile import Override, Rota, Shift
from rota.scenario import Scenario
from rota.validation import parse_scenario


def at(text: str) -> dt.datetime:
    """`2026-03-08T07:30Z` -> aware UTC datetime."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def scenario(**overrides: Any) -> Scenario:
    """A small valid scenario: one region `eu` (Berlin, 19-23 every day, P0 x1) and whatever you add."""
    base: dict[str, Any] = {
        "team": "t",
        "horizon": {"start": "2026-12-07", "days": 7},
        "regions": [
            {"id": "eu", "timezone": "Europe/Berlin",
             "peak_windows": [{"start": "19:00", "end": "23:00"}],
             "peak": {"severity": "P0", "responders": 1}},
        ],
        "engineers": [
            {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
        ],
    }
    base.update(overrides)
    return parse_scenario(base)


def shift(engineer: str, start: str, end: str) -> Shift:
    return Shift(engineer=engineer, start=at(start), end=at(end))


def rota(team: str, *shifts: Shift, overrides: tuple[Override, ...] = ()) -> Rota:
    return Rota(team=team, version=1, shifts=shifts, overrides=overrides)


def gaps_of(report: GapReport, region: str | None = None) -> list[tuple[str, str, str]]:
    """(start, end, cause) of each gap, UTC, `2026-12-07T18:00Z` style."""
    from rota.spans import from_ts

    def z(ts: int) -> str:
        return from_ts(ts).strftime("%Y-%m-%dT%H:%MZ")

    return [(z(g.start), z(g.end), g.cause) for g in report.gaps
            if region is None or g.region == region]


def assert_on_call(answer: dict[str, Any], region: str, *engineers: str) -> None:
    """The `now` answer lists exactly these engineers on call for the region, fastest first."""
    entry = next(r for r in answer["regions"] if r["region"] == region)
    assert [p["engineer"] for p in entry["responders"]] == list(engineers)
