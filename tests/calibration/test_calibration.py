"""Response minutes learned from acknowledgements: placement in bands, recovery, pooling, patch,
test pages, and bad input named by line."""

from __future__ import annotations

import math
import random
import statistics
from typing import Any

import pytest

from domain import rota, shift
from rota.calibration import band_at, calibrate
from rota.calibration_patch import apply_patch, patch_changes
from rota.calibration_records import read_acks
from rota.errors import InvalidInput
from rota.oncall import rota_on_call
from rota.scenario import Band, Scenario
from rota.spans import from_ts, iso_z, to_ts
from rota.validation import parse_scenario

HEADER = "engineer,triggered_at,acknowledged_at,severity\n"


def team() -> Scenario:
    return parse_scenario({
        "team": "t", "horizon": {"start": "2026-12-07", "days": 7},
        "regions": [{"id": "eu", "timezone": "Europe/London",
                     "peak_windows": [{"start": "00:00", "end": "24:00"}],
                     "peak": {"severity": "P0", "responders": 1}}],
        "engineers": [
            {"id": "ana", "name": "Ana Souza", "timezone": "Europe/London", "regions": ["eu"],
             "contact": {"email": "ana@example.com"}},
            {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},
            {"id": "li", "timezone": "Asia/Shanghai", "regions": ["eu"], "response_minutes": {"asleep": 90}},
        ]})


def generated(scenario: Scenario, truth: dict[tuple[str, Band], float], counts: dict[tuple[str, Band], int],
              sigma: float, seed: int) -> str:
    """Records drawn from a known model: minutes answered 90% of the time, log-normal noise."""
    rng = random.Random(seed)
    z = statistics.NormalDist().inv_cdf(0.9)
    hi = to_ts(scenario.horizon.start_at)
    rows = []
    for (engineer, band), n in counts.items():
        mu = math.log(truth[(engineer, band)]) - z * sigma
        while n:
            at = rng.randrange(hi - 60 * 86400, hi, 60)
            if band_at(scenario.engineer_by_id[engineer], at) == band:
                ack = at + round(math.exp(rng.gauss(mu, sigma)) * 60)
                rows.append(f"{engineer},{iso_z(at)},{iso_z(ack)},P1\n")
                n -= 1
    return HEADER + "".join(rows)


def estimate(result: Any, engineer: str, band: str) -> Any:
    return next(e for e in result.estimates if (e.engineer, e.band) == (engineer, band))


def test_a_known_model_is_recovered_within_ten_percent() -> None:
    scenario = team()
    truth = {("ana", "working"): 4.0, ("ana", "awake"): 12.0, ("ana", "asleep"): 45.0,
             ("raj", "working"): 6.0, ("raj", "awake"): 20.0, ("raj", "asleep"): 90.0}
    counts = dict.fromkeys(truth, 60)
    result = calibrate(scenario, read_acks(generated(scenario, truth, counts, 0.15, 7), scenario))
    for (engineer, band), minutes in truth.items():
        got = estimate(result, engineer, band)
        assert got.samples == 60
        assert abs(got.minutes - minutes) / minutes <= 0.10, (engineer, band, got.minutes)
        assert got.patched == math.ceil(got.minutes)


@pytest.mark.parametrize(("sigmas", "pooled"), [((0.3, 0.3, 0.3, 0.3), True), ((0.1, 0.3, 0.6, 0.9), False)],
                         ids=["alike-spreads-pool", "different-spreads-stay-own"])
def test_an_engineers_spread_borrows_the_teams_as_far_as_the_spreads_are_alike(
        sigmas: tuple[float, ...], pooled: bool) -> None:
    """The team's spread counts as `k` samples next to each engineer's own; `k` is every sample
    the team has when sampling explains how the engineers' spreads differ, few when it does not."""
    from rota.calibration import PRIOR_DOF, _variance_prior_dof

    rng = random.Random(5)
    groups = [[rng.gauss(2.0, sigma) for _ in range(30)] for sigma in sigmas]
    everything = [x for xs in groups for x in xs]
    sigma2 = statistics.mean(statistics.variance(xs) for xs in groups)
    k = _variance_prior_dof(groups, sigma2)
    if pooled:
        assert k == len(everything) - len(groups)
    else:
        assert PRIOR_DOF <= k < 10


def test_each_page_counts_in_the_band_of_its_trigger_instant() -> None:
    scenario = team()
    text = HEADER + ("ana,2026-11-30T03:00:00Z,2026-11-30T03:40:00Z,P0\n"   # Monday 03:00 London: asleep
                     "ana,2026-11-30T10:00:00Z,2026-11-30T10:04:00Z,P0\n"   # Monday 10:00: working
                     "ana,2026-11-28T10:00:00Z,2026-11-28T10:12:00Z,P0\n")  # Saturday 10:00: awake
    result = calibrate(scenario, read_acks(text, scenario), min_samples=1)
    assert [(b, estimate(result, "ana", b).samples) for b in ("working", "awake", "asleep")] == [
        ("working", 1), ("awake", 1), ("asleep", 1)]


def test_few_samples_are_pooled_with_the_team_and_not_patched() -> None:
    scenario = team()
    truth = {("ana", "awake"): 10.0, ("raj", "awake"): 30.0, ("li", "awake"): 30.0}
    counts = {("ana", "awake"): 2, ("raj", "awake"): 40, ("li", "awake"): 40}
    result = calibrate(scenario, read_acks(generated(scenario, truth, counts, 0.2, 3), scenario), min_samples=5)
    ana = estimate(result, "ana", "awake")
    own = calibrate(scenario, read_acks(generated(scenario, {("ana", "awake"): 10.0},
                                                  {("ana", "awake"): 2}, 0.2, 3), scenario), min_samples=1)
    team_minutes = result.team["awake"][1]
    assert ana.samples == 2 and ana.patched is None and ana.source == "pooled"
    assert estimate(own, "ana", "awake").minutes < ana.minutes < team_minutes  # pulled toward the team
    assert [e["id"] for e in result.patch()["engineers"]] == ["raj", "li"]
    assert estimate(result, "ana", "working").minutes is None  # nobody was paged at work


def test_missing_bands_name_whom_to_test_page_and_when() -> None:
    scenario = team()
    text = generated(scenario, {("ana", "working"): 5.0}, {("ana", "working"): 10}, 0.2, 1)
    result = calibrate(scenario, read_acks(text, scenario))
    pages = {(p.engineer, p.band): p for p in result.test_pages}
    assert ("ana", "working") not in pages
    raj = pages[("raj", "asleep")]
    assert raj.reason == "no one on the team was ever paged asleep"
    assert raj.local_time == "Tue 08 Dec 01:00 Asia/Kolkata"  # two hours into her first whole night
    assert band_at(scenario.engineer_by_id["raj"], raj.at) == "asleep"


def test_the_patch_changes_the_gaps_of_the_rota() -> None:
    scenario = team()
    # li on call at night in Shanghai, assumed 90 min asleep: too slow for P0 15. She answers in ~8.
    plan = rota("t", shift("li", "2026-12-07T16:00Z", "2026-12-07T22:00Z"))
    text = generated(scenario, {("li", "asleep"): 8.0}, {("li", "asleep"): 30}, 0.1, 5)
    result = calibrate(scenario, read_acks(text, scenario))
    assert result.patch() == {"engineers": [{"id": "li", "response_minutes": {"asleep": 9}}]}
    patched = apply_patch(scenario, result.patch())
    assert patched.response_minutes_of(patched.engineer_by_id["li"])["asleep"] == 9
    changes = patch_changes(scenario, result, plan)
    assert [(g["start"], g["end"], g["minutes"], g["cause"]) for g in changes["closes"]] == [
        ("2026-12-07T16:00:00Z", "2026-12-07T22:00:00Z", 360, "too_slow")]
    assert changes["opens"] == []


def test_pages_outside_every_shift_are_left_out_with_their_line() -> None:
    scenario = team()
    plan = rota("t", shift("ana", "2026-12-07T08:00Z", "2026-12-07T16:00Z"))
    text = HEADER + ("ana,2026-12-07T09:00:00Z,2026-12-07T09:03:00Z,P0\n"
                     "ana,2026-12-07T20:00:00Z,2026-12-07T20:09:00Z,P0\n")
    result = calibrate(scenario, read_acks(text, scenario), on_call=rota_on_call(plan, -2**40, 2**40))
    assert result.used == 1
    assert [str(n) for n in result.notes] == [
        "line 3: ana was not on call at 2026-12-07T20:00:00Z (outside every shift of the rota): left out"]


def test_unknown_engineers_and_duplicates_are_noted_by_line() -> None:
    scenario = team()
    text = HEADER + ("ana@example.com,2026-12-01T09:00:00Z,2026-12-01T09:03:00Z,P0\n"
                     "Ana Souza,2026-12-01T09:00:00Z,2026-12-01T09:03:00Z,P0\n"
                     "bob,2026-12-01T09:00:00Z,2026-12-01T09:03:00Z,P0\n")
    result = read_acks(text, scenario)
    assert len(result.records) == 1
    assert [str(n) for n in result.notes] == ["line 3: duplicates line 2 (used once)",
                                              "line 4: 'bob' matches no engineer"]


def test_malformed_rows_are_all_named_and_nothing_is_used() -> None:
    scenario = team()
    text = HEADER + ("ana,2026-12-01T09:00:00Z,,P0\n"
                     "ana,2026-12-01T09:00:00Z,2026-12-01T08:00:00Z,P0\n"
                     "ana,2026-12-01 09:00,2026-12-01T09:05:00Z,P0\n"
                     "ana,2026-12-01T10:00:00Z,2026-12-01T10:05:00Z,P9\n")
    with pytest.raises(InvalidInput) as caught:
        read_acks(text, scenario)
    assert [str(e) for e in caught.value.errors] == [
        "line 2.acknowledged_at: is missing",
        "line 3: acknowledged before it was triggered",
        "line 4.triggered_at: '2026-12-01 09:00' has no offset; write it in UTC with a Z",
        "line 5.severity: 'P9' is not one of P0, P1, P2, P3"]
    with pytest.raises(InvalidInput) as header:
        read_acks("who,when\nana,2026\n", scenario)
    assert "the header lacks engineer or email, triggered_at, acknowledged_at" in str(header.value.errors[0])


def test_pagerduty_incident_export_is_read_by_its_columns() -> None:
    scenario = team()
    text = ("id,incident_number,created_at,seconds_to_first_ack,acknowledged_by_user_emails,"
            "assigned_user_names,priority_name,urgency\n"
            "Q1,101,2026-11-30T10:00:00Z,240,ana@example.com,Ana Souza,P1,high\n"
            "Q2,102,2026-11-30T11:00:00Z,,,Ana Souza,,low\n"
            "Q3,103,2026-11-30T12:00:00Z,600,,\"Ana Souza, raj\",P4,high\n")
    result = read_acks(text, scenario)
    assert result.kind == "pagerduty"
    assert [(r.line, r.engineer, r.minutes, r.severity) for r in result.records] == [
        (2, "ana", 4.0, "P1"), (4, "ana", 10.0, None)]
    assert [str(n) for n in result.notes] == ["line 3: was never acknowledged (no seconds_to_first_ack)"]


def test_records_are_placed_in_local_time_across_dst() -> None:
    scenario = team()
    ana = scenario.engineer_by_id["ana"]
    # 08:30 UTC on Monday 30 March 2026 is 09:30 BST (working); a week earlier, 08:30 GMT (awake).
    assert band_at(ana, to_ts(from_ts(0).replace(year=2026, month=3, day=30, hour=8, minute=30))) == "working"
    assert band_at(ana, to_ts(from_ts(0).replace(year=2026, month=3, day=23, hour=8, minute=30))) == "awake"


def test_a_band_never_paged_follows_the_engineers_other_bands() -> None:
    """Engineers slow at work and awake are slow asleep too: the one never paged asleep gets the
    team's asleep estimate moved their way, not the team's alone."""
    engineers = [{"id": f"e{i}", "timezone": "Europe/London", "regions": ["eu"]} for i in range(8)]
    scenario = parse_scenario({**team().model_dump(mode="json", exclude_none=True), "engineers": engineers})
    factor = {f"e{i}": 0.6 if i % 2 else 1.6 for i in range(8)}  # odd fast, even slow, in every band
    centres = {"working": 5.0, "awake": 14.0, "asleep": 60.0}
    truth = {(e, b): centres[b] * f for e, f in factor.items() for b in centres}
    counts = {key: 0 if key in (("e0", "asleep"), ("e1", "asleep")) else 25 for key in truth}
    result = calibrate(scenario, read_acks(generated(scenario, truth, counts, 0.2, 11), scenario))
    team_asleep = result.team["asleep"][1]
    slow, fast = estimate(result, "e0", "asleep"), estimate(result, "e1", "asleep")
    assert slow.samples == fast.samples == 0 and slow.patched is None and slow.source == "team"
    assert slow.minutes > 1.3 * team_asleep and fast.minutes < 0.75 * team_asleep
    for e in ("e2", "e3"):  # with their own samples, still near the truth
        assert abs(estimate(result, e, "asleep").minutes - truth[(e, "asleep")]) / truth[(e, "asleep")] < 0.15


def test_the_shift_is_the_normal_posterior_and_one_band_shrinkage_without_a_shared_effect() -> None:
    """`_shift` (closed form) against the posterior mean computed directly: residual = engineer
    effect (variance A) + band-own effect (tau2 - A) + sampling error (sigma2 / n)."""
    import numpy as np

    from rota.calibration import _BandFit, _shift

    groups = {"working": [0.1, 0.5, 0.3], "awake": [2.9, 3.3], "asleep": []}
    fits = {b: _BandFit({"x": xs}, mean, sigma2, tau2, 5.0) for b, xs, mean, sigma2, tau2 in (
        ("working", groups["working"], 0.1, 0.09, 0.2), ("awake", groups["awake"], 2.6, 0.04, 0.3),
        ("asleep", [4.0], 4.0, 0.16, 0.25))}
    fits["asleep"].groups["x"] = []
    for shared in (0.0, 0.05, 0.15):
        seen = ["working", "awake"]
        r = np.array([statistics.mean(groups[b]) - fits[b].team_mean for b in seen])
        cov = shared + np.diag([fits[b].tau2 - shared + fits[b].sigma2 / len(groups[b]) for b in seen])
        for band in ("working", "awake", "asleep"):
            c = np.array([shared + (fits[band].tau2 - shared if b == band else 0.0) for b in seen])
            assert _shift(fits, band, "x", shared) == pytest.approx(float(c @ np.linalg.solve(cov, r)))  # type: ignore[arg-type]
    r_working = statistics.mean(groups["working"]) - 0.1
    assert _shift(fits, "working", "x", 0.0) == pytest.approx(0.2 / (0.2 + 0.09 / 3) * r_working)  # type: ignore[arg-type]
    assert _shift(fits, "asleep", "x", 0.0) == 0.0  # type: ignore[arg-type]
