"""Handoffs and on-call entries: who comes on and goes off, and the levels behind them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import at, rota, scenario, shift
from rota.errors import InvalidInput, NotFound
from rota.handoffs import handoff_report
from rota.now import NowIndex
from rota.oncall_entries import EntryIndex, entry_indexes, fastest_key, region_entries
from rota.spans import iso_z, to_ts

# Berlin peak 19-23 (P0, 15 min); off-peak P2 (120 min). Raj (Kolkata) sleeps 23:00-07:00 local,
# i.e. 17:30-01:30 UTC: asleep, he qualifies off-peak (60 <= 120) but not in Berlin's peak.
TEAM = scenario(
    regions=[{"id": "eu", "timezone": "Europe/Berlin",
              "peak_windows": [{"start": "19:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": 1},
              "off_peak": {"severity": "P2", "responders": 1}}],
    engineers=[{"id": "ana", "name": "Ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
               {"id": "raj", "name": "Raj", "timezone": "Asia/Kolkata", "regions": ["eu"],
                "unavailable": [{"start": "2026-12-09T00:00:00Z", "end": "2026-12-09T02:00:00Z"}]}],
)
ROTA = rota("t",
            shift("ana", "2026-12-07T08:00Z", "2026-12-07T18:30Z"),
            shift("raj", "2026-12-07T16:00Z", "2026-12-08T02:00Z"),
            shift("raj", "2026-12-08T20:00Z", "2026-12-09T04:00Z"))


def changes(answer: dict, region: str = "eu") -> list[tuple[str, list[str], list[str], list[str]]]:
    [found] = [r for r in answer["regions"] if r["region"] == region]
    return [(h["at"], [p["engineer"] for p in h["on"]], [p["engineer"] for p in h["off"]],
             h["responders"]) for h in found["handoffs"]]


def test_handoffs_follow_shifts_targets_and_leave() -> None:
    answer = handoff_report(TEAM, ROTA, to_ts(at("2026-12-07T00:00Z")), to_ts(at("2026-12-09T12:00Z")))
    assert changes(answer) == [
        ("2026-12-07T08:00:00Z", ["ana"], [], ["ana"]),
        ("2026-12-07T16:00:00Z", ["raj"], [], ["ana", "raj"]),
        # Berlin's peak starts at 18:00 UTC: Raj is asleep (60 min > 15), Ana still qualifies.
        ("2026-12-07T18:00:00Z", [], ["raj"], ["ana"]),
        ("2026-12-07T18:30:00Z", [], ["ana"], []),
        # peak over at 22:00 UTC: asleep Raj answers within P2's 120 minutes again
        ("2026-12-07T22:00:00Z", ["raj"], [], ["raj"]),
        ("2026-12-08T02:00:00Z", [], ["raj"], []),
        ("2026-12-08T22:00:00Z", ["raj"], [], ["raj"]),
        ("2026-12-09T00:00:00Z", [], ["raj"], []),  # on leave
        ("2026-12-09T02:00:00Z", ["raj"], [], ["raj"]),
        ("2026-12-09T04:00:00Z", [], ["raj"], []),
    ]
    first = answer["regions"][0]["handoffs"][0]
    assert first["local_time"] == "2026-12-07T09:00+01:00"
    assert first["on"] == [{"engineer": "ana", "name": "Ana", "timezone": "Europe/Berlin",
                            "local_time": "2026-12-07T09:00+01:00"}]


def test_a_window_edge_is_not_a_handoff() -> None:
    # Ana is on call across the window's start: nobody comes on at the start.
    answer = handoff_report(TEAM, ROTA, to_ts(at("2026-12-07T12:00Z")), to_ts(at("2026-12-07T17:00Z")))
    assert changes(answer) == [("2026-12-07T16:00:00Z", ["raj"], [], ["ana", "raj"])]


@pytest.mark.parametrize(("lo", "hi", "region", "error"), [
    ("2026-12-08T00:00Z", "2026-12-07T00:00Z", None, InvalidInput),
    ("2026-12-07T00:00Z", "2028-12-07T00:00Z", None, InvalidInput),
    ("2026-12-07T00:00Z", "2026-12-08T00:00Z", "mars", NotFound),
], ids=["inverted", "too-long", "unknown-region"])
def test_bad_windows_and_regions_are_refused(lo: str, hi: str, region: str | None,
                                             error: type[Exception]) -> None:
    with pytest.raises(error):
        handoff_report(TEAM, ROTA, to_ts(at(lo)), to_ts(at(hi)), region)


INDEX = NowIndex(TEAM, ROTA)
ENTRIES = EntryIndex(region_entries(INDEX.team, INDEX.on_call, TEAM.regions[0]))
HORIZON = (to_ts(at("2026-12-07T00:00Z")), to_ts(at("2026-12-14T00:00Z")))


@settings(max_examples=150, deadline=None)
@given(st.integers(HORIZON[0], HORIZON[1] - 1))  # `now` knows nothing outside the horizon
def test_levels_agree_with_now_at_every_instant(ts: int) -> None:
    """Level 1 is exactly `now`'s responders meeting the target; level 2 the other ones on call."""
    [eu] = INDEX.query(at(iso_z(ts)), "eu")["regions"]
    expected = {(p["engineer"], 1 if p["meets_target"] else 2) for p in eu["responders"]}
    assert {(e.engineer, e.level) for e in ENTRIES.overlapping(ts, ts)} == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(*HORIZON), st.integers(0, 3 * 86400))
def test_overlapping_finds_exactly_the_entries_that_overlap(since: int, length: int) -> None:
    until = since + length
    expected = [e for e in ENTRIES.entries
                if (e.start < until and e.end > since) or (length == 0 and e.start <= since < e.end)]
    assert ENTRIES.overlapping(since, until) == expected


def test_entries_are_maximal() -> None:
    entries = sorted(ENTRIES.entries, key=lambda e: (e.engineer, e.start))
    for a, b in zip(entries, entries[1:], strict=False):
        if a.engineer == b.engineer:
            assert a.end < b.start or a.level != b.level


STEADY = entry_indexes(INDEX.team, INDEX.on_call)["eu"]


def on_call_in_order(ts: int) -> list[tuple[object, ...]]:
    """What an "on call at ts" answer is made of: the entries and the order `now` gives them."""
    return sorted((e.level, fastest_key(INDEX.team, e.engineer, ts), e) for e in STEADY.overlapping(ts, ts))


@settings(max_examples=150, deadline=None)
@given(st.integers(HORIZON[0] - 86400, HORIZON[1] + 86400), st.floats(0, 1))
def test_answers_at_an_instant_hold_over_its_steady_span(ts: int, where: float) -> None:
    """Between two changes, the on-call entries and their order (bands: Raj asleep; leave;
    Berlin's peak moving Raj between levels) are those of the span's first instant."""
    lo, hi = STEADY.steady(ts)
    assert (lo is None or lo <= ts) and (hi is None or ts < hi)
    first = lo if lo is not None else HORIZON[0] - 2 * 86400
    last = hi - 1 if hi is not None else HORIZON[1] + 2 * 86400
    other = first + int((last - first) * where)
    assert on_call_in_order(other) == on_call_in_order(ts)


def test_steady_spans_end_where_raj_falls_asleep_and_his_leave_starts() -> None:
    # 2026-12-08 20:00Z Raj comes on call (asleep: 01:30 local); he sleeps from 17:30Z, so the
    # span holding 20:30Z starts at 20:00Z; Berlin's peak ends at 22:00Z (he becomes level 1).
    assert STEADY.steady(to_ts(at("2026-12-08T20:30Z"))) == (to_ts(at("2026-12-08T20:00Z")),
                                                                to_ts(at("2026-12-08T22:00Z")))
    assert STEADY.steady(to_ts(at("2026-12-08T23:59Z")))[1] == to_ts(at("2026-12-09T00:00Z"))
    # on call since 16:00Z, Raj falls asleep at 17:30Z: same entries, slower, so another order
    assert STEADY.steady(to_ts(at("2026-12-07T17:45Z"))) == (to_ts(at("2026-12-07T17:30Z")),
                                                                to_ts(at("2026-12-07T18:00Z")))
