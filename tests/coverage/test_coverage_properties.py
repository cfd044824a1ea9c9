"""Properties of the coverage sweep, checked by hypothesis against a minute-by-minute oracle.

The oracle ticks every minute and decides everything from local clock readings, independently of
the sweep; zones without DST keep the oracle's arithmetic simple (DST is tested in tests/zones).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rota.coverage import CAUSES
from rota.report import gap_report, window_gaps
from rota.rotafile import Override, Rota, Shift
from rota.spans import from_ts, to_ts
from rota.validation import parse_scenario
from rota.zones import zone

ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "Asia/Shanghai", "UTC", "America/Sao_Paulo"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
START = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
HORIZON_DAYS = 2

quarter = st.integers(0, 95).map(lambda q: f"{q // 4:02d}:{q % 4 * 15:02d}")


def _week_slots(window: dict[str, Any]) -> set[int]:
    """The quarter hours of the week a window covers (one ending at or before its start runs past
    midnight; start == end is a whole day)."""
    start, end = (int(window[k][:2]) * 4 + int(window[k][3:]) // 15 for k in ("start", "end"))
    length = (end - start) % 96 or 96
    return {(DAYS.index(day) * 96 + start + k) % (7 * 96) for day in window["days"] for k in range(length)}


@st.composite
def teams(draw: Any) -> dict[str, Any]:
    regions = []
    for r in range(draw(st.integers(1, 2))):
        windows: list[dict[str, Any]] = []
        taken: set[int] = set()
        for _ in range(draw(st.integers(0, 2))):
            window = {"days": draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)),
                      "start": draw(quarter), "end": draw(quarter)}
            slots = _week_slots(window)
            if not slots & taken:  # a region's peak windows may not overlap (validation refuses it)
                windows.append(window)
                taken |= slots
        region: dict[str, Any] = {
            "id": f"r{r}", "timezone": draw(st.sampled_from(ZONES)), "peak_windows": windows,
            "peak": {"severity": draw(st.sampled_from(["P0", "P1"])), "responders": draw(st.integers(1, 3))},
        }
        if draw(st.booleans()):
            region["off_peak"] = {"severity": "P2", "responders": draw(st.integers(1, 2))}
        regions.append(region)
    engineers = []
    for e in range(draw(st.integers(0, 4))):
        eng: dict[str, Any] = {
            "id": f"e{e}", "timezone": draw(st.sampled_from(ZONES)),
            "regions": draw(st.lists(st.sampled_from([r["id"] for r in regions]), min_size=1, unique=True)),
            "working_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": draw(quarter),
                              "end": draw(quarter)},
            "sleep": {"start": draw(quarter), "end": draw(quarter)},
        }
        if draw(st.booleans()):
            s = draw(st.integers(0, HORIZON_DAYS * 96 - 1)) * 900
            eng["unavailable"] = [{"start": _z(s), "end": _z(s + draw(st.integers(1, 40)) * 900)}]
        engineers.append(eng)
    return {"team": "t", "horizon": {"start": "2026-12-07", "days": HORIZON_DAYS},
            "regions": regions, "engineers": engineers}


def _z(offset_seconds: int) -> str:
    return (START + dt.timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def rotas(draw: Any, team: dict[str, Any]) -> Rota:
    ids = [e["id"] for e in team["engineers"]]
    shifts: list[Shift] = []
    overrides: list[Override] = []
    if not ids:
        return Rota(team="t")
    for engineer in ids:
        cursor = draw(st.integers(-8, 20)) * 900
        for _ in range(draw(st.integers(0, 3))):
            length = draw(st.integers(1, 48)) * 900
            shifts.append(Shift(engineer=engineer, start=START + dt.timedelta(seconds=cursor),
                                end=START + dt.timedelta(seconds=cursor + length)))
            cursor += length + draw(st.integers(1, 40)) * 900
    for _ in range(draw(st.integers(0, 2))):
        s = draw(st.integers(0, HORIZON_DAYS * 96 - 1)) * 900
        overrides.append(Override(
            engineer=draw(st.sampled_from(ids)),
            replaces=draw(st.one_of(st.none(), st.sampled_from(ids))),
            start=START + dt.timedelta(seconds=s),
            end=START + dt.timedelta(seconds=s + draw(st.integers(1, 24)) * 900),
        ))
    overrides = [o for o in overrides if o.replaces != o.engineer]
    return Rota(team="t", shifts=tuple(shifts), overrides=tuple(overrides))


def _in_window(local: dt.datetime, start: str, end: str, days: list[str] | None) -> bool:
    """Whether a local time is inside a window that belongs to the day it starts on."""
    s = int(start[:2]) * 60 + int(start[3:])
    e = int(end[:2]) * 60 + int(end[3:])
    minute = local.hour * 60 + local.minute
    today, yesterday = DAYS[local.weekday()], DAYS[(local.weekday() - 1) % 7]
    if e > s:
        return (days is None or today in days) and s <= minute < e
    return ((days is None or today in days) and minute >= s) or (
        (days is None or yesterday in days) and minute < e)


def oracle_uncovered_minutes(team: dict[str, Any], rota: Rota) -> dict[str, tuple[int, int]]:
    """Per region: (required minutes, uncovered minutes), minute by minute."""
    targets = {"P0": 15, "P1": 30, "P2": 120}
    out = {}
    for region in team["regions"]:
        required_total = uncovered = 0
        for minute in range(HORIZON_DAYS * 1440):
            t = START + dt.timedelta(minutes=minute)
            local = t.astimezone(zone(region["timezone"]))
            peak = any(_in_window(local, w["start"], w["end"], w["days"]) for w in region["peak_windows"])
            req = region["peak"] if peak else region.get("off_peak")
            if req is None:
                continue
            required_total += 1
            qualified = sum(
                1 for e in team["engineers"]
                if region["id"] in e["regions"] and _on_call(rota, e["id"], t)
                and not _on_leave(e, t) and _response(e, t) <= targets[req["severity"]]
            )
            uncovered += qualified < req["responders"]
        out[region["id"]] = (required_total, uncovered)
    return out


def _on_call(rota: Rota, engineer: str, t: dt.datetime) -> bool:
    on = {s.engineer for s in rota.shifts if s.start <= t < s.end}
    for o in rota.overrides:
        if o.start <= t < o.end:
            if o.replaces is None:
                on.add(o.engineer)
            elif o.replaces in on:
                on.discard(o.replaces)
                on.add(o.engineer)
    return engineer in on


def _on_leave(engineer: dict[str, Any], t: dt.datetime) -> bool:
    return any(dt.datetime.fromisoformat(u["start"]) <= t < dt.datetime.fromisoformat(u["end"])
               for u in engineer.get("unavailable", []))


def _response(engineer: dict[str, Any], t: dt.datetime) -> int:
    local = t.astimezone(zone(engineer["timezone"]))
    wh = engineer["working_hours"]
    if _in_window(local, wh["start"], wh["end"], wh["days"]):
        return 5
    if _in_window(local, engineer["sleep"]["start"], engineer["sleep"]["end"], None):
        return 60
    return 15


@st.composite
def team_and_rota(draw: Any) -> tuple[dict[str, Any], Rota]:
    team = draw(teams())
    return team, draw(rotas(team))


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(team_and_rota())
def test_sweep_agrees_with_a_minute_by_minute_oracle(case):
    team, rota = case
    report = gap_report(parse_scenario(team), rota)
    oracle = oracle_uncovered_minutes(team, rota)
    for region in report.regions:
        required, uncovered = oracle[region.region]
        assert region.required_seconds == required * 60
        assert region.required_seconds - region.covered_seconds == uncovered * 60


@PROPERTY
@given(team_and_rota())
def test_gaps_are_sorted_disjoint_maximal_and_add_up(case):
    team, rota = case
    report = gap_report(parse_scenario(team), rota)
    for region in report.regions:
        gaps = [g for g in report.gaps if g.region == region.region]
        assert all(a.end <= b.start for a, b in zip(gaps, gaps[1:], strict=False))
        assert all(g.start < g.end and g.cause in CAUSES for g in gaps)
        assert sum(g.seconds for g in gaps) == region.required_seconds - region.covered_seconds
        for a, b in zip(gaps, gaps[1:], strict=False):
            if a.end == b.start:  # touching gaps must differ in requirement, cause or structure
                assert (a.severity, a.required, a.peak, a.cause, a.structural) != (
                    b.severity, b.required, b.peak, b.cause, b.structural)
        structural = sum(g.seconds for g in gaps if g.structural)
        # The region's figure is the scenario's bound: the structural gaps of this rota, plus
        # structural time it covers by breaking a rule (holiday work); the same for every rota.
        assert structural <= region.structural_gap_seconds
    empty = gap_report(parse_scenario(team), Rota(team=rota.team))
    assert [r.structural_gap_seconds for r in empty.regions] == [
        r.structural_gap_seconds for r in report.regions]


@PROPERTY
@given(teams())
def test_empty_rota_leaves_every_required_window_uncovered(team):
    s = parse_scenario(team)
    report = gap_report(s, Rota(team="t"))
    for region in report.regions:
        assert region.covered_seconds == 0
        gaps = [g for g in report.gaps if g.region == region.region]
        assert sum(g.seconds for g in gaps) == region.required_seconds
        assert all(g.cause == "no_responder" and g.qualified == 0 for g in gaps)


@PROPERTY
@given(team_and_rota())
def test_adding_a_responder_never_opens_a_gap(case):
    team, rota = case
    if not team["engineers"]:
        return
    s = parse_scenario(team)
    before = gap_report(s, rota)
    extra = Override(engineer=team["engineers"][0]["id"], start=START,
                     end=START + dt.timedelta(days=HORIZON_DAYS))
    after = gap_report(s, rota.with_overrides((*rota.overrides, extra)))
    for b, a in zip(before.regions, after.regions, strict=False):
        assert a.covered_seconds >= b.covered_seconds


def test_window_outside_horizon_says_so_instead_of_counting_gaps():
    team = {"team": "t", "horizon": {"start": "2026-12-07", "days": 1},
            "regions": [{"id": "r", "timezone": "UTC", "peak_windows": [{"start": "10:00", "end": "12:00"}],
                         "users_at_peak": 1000, "revenue_per_user_hour": 1.0}]}
    s = parse_scenario(team)
    lo = START + dt.timedelta(days=3)
    report = gap_report(s, Rota(team="t"), lo, lo + dt.timedelta(days=1))
    answer = report.to_json()
    assert report.gaps == [] and report.regions == [] and report.engineers == []
    assert answer["outside_horizon"] is True and answer["summary"] is None
    assert answer["horizon"] == {"start": "2026-12-07T00:00:00Z", "end": "2026-12-08T00:00:00Z"}
    assert (answer["from"], answer["to"]) == ("2026-12-10T00:00:00Z", "2026-12-11T00:00:00Z")


def test_window_reaching_past_the_horizon_is_clipped_to_it():
    team = {"team": "t", "horizon": {"start": "2026-12-07", "days": 1},
            "regions": [{"id": "r", "timezone": "UTC", "peak_windows": [{"start": "10:00", "end": "12:00"}]}]}
    s = parse_scenario(team)
    report = gap_report(s, Rota(team="t"), START - dt.timedelta(days=2), START + dt.timedelta(days=5))
    answer = report.to_json()
    assert [(from_ts(g.start), from_ts(g.end)) for g in report.gaps] == [
        (START + dt.timedelta(hours=10), START + dt.timedelta(hours=12))]
    assert (answer["outside_horizon"], answer["clipped"]) == (False, True)
    assert (answer["from"], answer["to"]) == ("2026-12-07T00:00:00Z", "2026-12-08T00:00:00Z")
    assert answer["requested"] == {"from": "2026-12-05T00:00:00Z", "to": "2026-12-12T00:00:00Z"}
    assert answer["regions"][0]["required_minutes"] == 120
    assert to_ts(START) == report.start


@PROPERTY
@given(team_and_rota(), st.integers(0, HORIZON_DAYS * 96 - 1), st.integers(1, 96))
def test_replacing_someone_by_an_identical_twin_changes_no_coverage(case, first, quarters):
    team, rota = case
    if not team["engineers"]:
        return
    original = team["engineers"][0]
    twin = {**original, "id": "twin"}
    team = {**team, "engineers": [*team["engineers"], twin]}
    s = parse_scenario(team)
    swap = Override(engineer="twin", replaces=original["id"],
                    start=START + dt.timedelta(minutes=15 * first),
                    end=START + dt.timedelta(minutes=15 * (first + quarters)))
    before = gap_report(s, rota)
    after = gap_report(s, rota.with_overrides((*rota.overrides, swap)))
    assert [r.covered_seconds for r in after.regions] == [r.covered_seconds for r in before.regions]


@PROPERTY
@given(team_and_rota(), st.integers(-2 * 96, (HORIZON_DAYS + 1) * 96), st.integers(1, 4 * 96))
def test_window_gaps_are_the_reports_gaps(case, first, quarters):
    """What an override or leave opens and closes is found from `window_gaps`, the report's gaps
    computed alone: the same gaps for any window, inside, across or outside the horizon."""
    team, rota = case
    s = parse_scenario(team)
    lo = START + dt.timedelta(minutes=15 * first)
    hi = lo + dt.timedelta(minutes=15 * quarters)
    assert window_gaps(s, rota, lo, hi) == gap_report(s, rota, lo, hi).gaps
