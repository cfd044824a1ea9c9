"""Burden nobody else can take: on call where no one else serving the region could answer, named
with what would let it be shared (another engineer given the region, or a hire)."""

from __future__ import annotations

from typing import Any

from domain import rota, scenario, shift
from rota.forced import forced_burden
from rota.history import History, lookback_window, rota_carried_json
from rota.oncall import rota_on_call
from rota.render.html_carried import carried_section
from rota.report import gap_report
from rota.scenario import Scenario
from rota.team import horizon_range, team_time

EU = {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
      "peak": {"severity": "P0", "responders": 1}}
NA = {"id": "na", "timezone": "America/New_York", "peak_windows": [{"start": "19:00", "end": "23:00"}],
      "peak": {"severity": "P0", "responders": 1}}
ANA = {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]}
TOK = {"id": "tok", "timezone": "Asia/Tokyo", "regions": ["eu"]}  # asleep at the eu peak (03-07)


def team(*engineers: dict[str, Any]) -> Scenario:
    return scenario(horizon={"start": "2026-12-07", "days": 2}, engineers=list(engineers),
                    regions=[EU, NA])


def forced(s: Scenario) -> list[Any]:
    lo, hi = horizon_range(s)
    r = rota("t", shift("ana", "2026-12-07T18:00Z", "2026-12-07T22:00Z"))
    return forced_burden(team_time(s, lo, hi), rota_on_call(r, lo, hi))


def test_the_only_engineer_awake_for_a_peak_carries_it_and_a_colleague_could_share_it() -> None:
    s = team(ANA, TOK, {"id": "ben", "timezone": "Europe/London", "regions": ["na"]})
    [got] = forced(s)
    assert (got.engineer, got.seconds, got.by_region) == ("ana", 4 * 3600, {"eu": 4 * 3600})
    assert got.night_seconds == 3600  # 22:00-23:00 Berlin
    assert [(x.region, x.engineer, x.seconds) for x in got.shares] == [("eu", "ben", 4 * 3600)]
    assert "ana: 4 h on call that nobody else can take (eu 4 h; 1 h at night" in got.sentence()
    assert "ben if given eu (4 h)" in got.sentence()


def test_when_nobody_on_the_team_could_answer_it_takes_a_hire() -> None:
    [got] = forced(team(ANA, TOK))
    assert [(x.engineer, x.seconds) for x in got.shares] == [(None, 4 * 3600)]
    assert "a hire for eu (4 h nobody on the team could answer)" in got.sentence()


def test_nothing_is_forced_where_someone_else_could_answer() -> None:
    assert forced(team(ANA, {"id": "lou", "timezone": "Europe/London", "regions": ["eu"]})) == []


def test_the_report_and_its_page_name_it() -> None:
    s = team(ANA, TOK)
    r = rota("t", shift("ana", "2026-12-07T18:00Z", "2026-12-07T22:00Z"))
    report = gap_report(s, r)
    carried = rota_carried_json(s, r, History(*lookback_window(s), 90), report.engineers)
    assert [f["engineer"] for f in carried["forced"]] == ["ana"]
    assert carried["forced"][0]["hours_by_region"] == {"eu": 4.0}
    page = carried_section(carried)
    assert "Burden nobody else can take" in page and "a hire for eu" in page
