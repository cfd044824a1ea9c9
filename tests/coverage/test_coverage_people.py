"""Each gap names whom a reader would ask: who serving the region was on call, and who on leave."""

from __future__ import annotations

from domain import rota, scenario, shift
from rota.report import gap_report

TEAM = dict(
    horizon={"start": "2026-12-07", "days": 1},
    regions=[{"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": 2}}],
    engineers=[
        {"id": "ben", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},
        {"id": "eva", "timezone": "Europe/Berlin", "regions": ["eu"],
         "unavailable": [{"start": "2026-12-07T20:00:00Z", "end": "2026-12-07T21:00:00Z"}]},
        {"id": "far", "timezone": "Asia/Tokyo", "regions": ["us"]},
    ],
)
TEAM["regions"].append({"id": "us", "timezone": "America/New_York",  # type: ignore[attr-defined]
                        "peak_windows": [{"start": "19:00", "end": "20:00"}]})


def test_gap_names_who_was_on_call_and_who_was_on_leave():
    # Berlin peak 18:00-22:00Z, two needed: ben (awake) alone until 20:00, then raj (asleep) joins.
    report = gap_report(scenario(**TEAM), rota("t", shift("ben", "2026-12-07T18:00Z", "2026-12-07T20:00Z"),
                                               shift("raj", "2026-12-07T19:00Z", "2026-12-07T22:00Z")))
    eu = [(g["start"][11:16], g["end"][11:16], g["cause"], g["on_call"], g["on_leave"])
          for g in report.to_json()["gaps"] if g["region"] == "eu"]
    assert eu == [
        ("18:00", "20:00", "short_handed", ["ben", "raj"], []),
        ("20:00", "21:00", "too_slow", ["raj"], ["eva"]),
        ("21:00", "22:00", "too_slow", ["raj"], []),
    ]


def test_people_of_other_regions_are_not_named():
    report = gap_report(scenario(**TEAM), rota("t", shift("far", "2026-12-07T00:00Z", "2026-12-08T00:00Z")))
    eu = [g for g in report.to_json()["gaps"] if g["region"] == "eu"]
    assert eu and all(g["on_call"] == [] and "far" not in g["on_leave"] for g in eu)
