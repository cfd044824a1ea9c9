"""Who responds now: responders fastest first, the gap around the instant, and fallbacks."""

from __future__ import annotations

import pytest

from domain import assert_on_call, at, rota, scenario, shift
from rota.errors import NotFound
from rota.now import NowIndex, who_responds

TEAM = dict(
    horizon={"start": "2026-12-07", "days": 2},
    regions=[
        {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
         "peak": {"severity": "P0", "responders": 2}, "off_peak": {"severity": "P2", "responders": 1}},
        {"id": "in", "timezone": "Asia/Kolkata", "peak_windows": [{"start": "20:00", "end": "24:00"}],
         "peak": {"severity": "P0", "responders": 1}},
    ],
    engineers=[
        {"id": "ana", "name": "Ana Souza", "timezone": "America/Sao_Paulo", "regions": ["eu"],
         "contact": {"email": "ana@example.com", "phone": "+5511999999999"}},
        {"id": "ben", "timezone": "Europe/Berlin", "regions": ["eu", "in"],
         "working_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "14:00", "end": "22:00"}},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu", "in"]},
        {"id": "eva", "timezone": "Europe/Berlin", "regions": ["eu"],
         "unavailable": [{"start": "2026-12-07", "end": "2026-12-08"}]},
    ],
)
# Monday 2026-12-07 19:30Z: Berlin 20:30 (peak), Sao Paulo 16:30 (working), Kolkata 01:00 (asleep)
ROTA = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T21:00Z"),
            shift("ben", "2026-12-07T18:00Z", "2026-12-07T22:00Z"),
            shift("raj", "2026-12-07T19:00Z", "2026-12-08T01:00Z"))


@pytest.fixture(scope="module")
def index() -> NowIndex:
    return NowIndex(scenario(**TEAM), ROTA)


def test_responders_come_fastest_first_with_local_times(index):
    answer = index.query(at("2026-12-07T19:30Z"), region="eu")
    assert_on_call(answer, "eu", "ana", "ben", "raj")
    eu = answer["regions"][0]
    ana, ben, raj = eu["responders"]
    assert (ana["band"], ana["response_minutes"], ana["local_time"]) == ("working", 5, "2026-12-07T16:30-03:00")
    assert (ben["band"], ben["local_time"]) == ("working", "2026-12-07T20:30+01:00")
    assert (raj["band"], raj["response_minutes"], raj["meets_target"]) == ("asleep", 60, False)
    assert ana["contact"] == {"email": "ana@example.com", "phone": "+5511999999999"}
    assert ana["on_call_until"] == "2026-12-07T21:00:00Z"
    assert (eu["severity"], eu["target_minutes"], eu["required"], eu["covered"]) == ("P0", 15, 2, True)
    assert eu["gap"] is None


def test_gap_and_fallback_when_not_covered(index):
    answer = index.query(at("2026-12-07T21:30Z"), region="eu")  # ana gone, ben till 22:00, raj asleep
    eu = answer["regions"][0]
    assert eu["covered"] is False
    assert eu["gap"] == {"start": "2026-12-07T21:00:00Z", "end": "2026-12-07T22:00:00Z",
                         "cause": "short_handed"}
    # ana is off call but awake (18:30 in Sao Paulo); eva is on leave all day, so not a fallback
    assert [p["engineer"] for p in eu["fallback"]] == ["ana"]
    assert eu["fallback"][0]["on_call_until"] is None


def test_severity_asked_changes_the_target(index):
    answer = index.query(at("2026-12-07T19:30Z"), region="in", severity="P3")
    region = answer["regions"][0]
    assert (region["severity"], region["target_minutes"]) == ("P3", 240)
    assert [p["meets_target"] for p in region["responders"]] == [True, True]


def test_all_regions_when_none_named(index):
    answer = index.query(at("2026-12-07T19:30Z"))
    assert [r["region"] for r in answer["regions"]] == ["eu", "in"]
    assert answer["at"] == "2026-12-07T19:30:00Z" and answer["rota_version"] == 1


def test_nothing_required_off_peak_without_requirement(index):
    region = index.query(at("2026-12-07T10:00Z"), region="in")["regions"][0]
    assert (region["required"], region["covered"], region["gap"]) == (0, True, None)


def test_unknown_region_is_not_found(index):
    with pytest.raises(NotFound):
        index.query(at("2026-12-07T19:30Z"), region="mars")


def test_index_and_one_shot_agree_also_outside_the_horizon(index):
    for instant in ("2026-12-07T19:30Z", "2026-12-07T21:59Z", "2026-12-20T12:00Z"):
        assert index.query(at(instant)) == who_responds(scenario(**TEAM), ROTA, at(instant))


def test_fallback_ranks_everyone_free_when_no_one_qualifies(index):
    # 02:00Z on the 8th: nobody on call; raj is awake in Kolkata (07:30), ana, ben and eva asleep.
    eu = index.query(at("2026-12-08T02:00Z"), region="eu", severity="P0")["regions"][0]
    assert (eu["covered"], eu["responders"]) == (False, [])
    assert [(p["engineer"], p["band"], p["response_minutes"], p["meets_target"]) for p in eu["fallback"]] == [
        ("raj", "awake", 15, True), ("ana", "asleep", 60, False), ("ben", "asleep", 60, False),
        ("eva", "asleep", 60, False)]


def test_fallback_puts_the_asleep_last_even_when_faster():
    team = dict(TEAM, engineers=[
        {"id": "owl", "timezone": "Europe/Berlin", "regions": ["eu"], "response_minutes": {"asleep": 10}},
        {"id": "ana", "timezone": "America/Sao_Paulo", "regions": ["eu"]}])
    # 01:00Z: owl asleep in Berlin (answers in 10), ana awake in Sao Paulo (22:00, answers in 15)
    eu = who_responds(scenario(**team), rota("t"), at("2026-12-08T01:00Z"), "eu")["regions"][0]
    assert [(p["engineer"], p["band"]) for p in eu["fallback"]] == [("ana", "awake"), ("owl", "asleep")]


def test_fallback_is_capped_and_leaves_out_those_on_leave_and_on_call(index):
    eu = index.query(at("2026-12-07T21:30Z"), region="eu")["regions"][0]
    names = [p["engineer"] for p in eu["fallback"]]
    assert "eva" not in names and not {"ben", "raj"} & set(names) and len(names) <= 5


def test_outside_the_horizon_nothing_is_invented(index):
    for instant in ("2026-12-06T23:59Z", "2026-12-09T00:00Z", "2027-03-01T00:00Z"):
        answer = index.query(at(instant), region="eu")
        assert (answer["outside_horizon"], answer["regions"]) == (True, [])
        assert answer["horizon"] == {"start": "2026-12-07T00:00:00Z", "end": "2026-12-09T00:00:00Z"}
