"""The DST policy with real transitions: exact instants, as GoAlert's tests state handoffs."""

from __future__ import annotations

import bisect
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain import at
from rota.spans import from_ts, to_ts
from rota.windows import expand_window
from rota.zones import check_zone, format_local, format_local_ts, to_utc
from rota.zones import zone as zone_of

# zone, local wall time, expected UTC as start, expected UTC as end
CASES = [
    ("America/New_York", "2026-03-08T02:30", "2026-03-08T07:00Z", "2026-03-08T07:00Z"),
    ("America/New_York", "2026-03-08T02:00", "2026-03-08T07:00Z", "2026-03-08T07:00Z"),
    ("America/New_York", "2026-03-08T03:00", "2026-03-08T07:00Z", "2026-03-08T07:00Z"),
    ("America/New_York", "2026-03-08T01:59", "2026-03-08T06:59Z", "2026-03-08T06:59Z"),
    ("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30Z", "2026-11-01T06:30Z"),
    ("America/New_York", "2026-11-01T01:00", "2026-11-01T05:00Z", "2026-11-01T06:00Z"),
    ("America/New_York", "2026-11-01T02:00", "2026-11-01T07:00Z", "2026-11-01T07:00Z"),
    ("Europe/London", "2026-03-29T01:30", "2026-03-29T01:00Z", "2026-03-29T01:00Z"),
    ("Europe/London", "2026-10-25T01:30", "2026-10-25T00:30Z", "2026-10-25T01:30Z"),
    ("Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30Z", "2026-04-04T16:30Z"),
    ("Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:00Z", "2026-10-03T16:00Z"),
    ("Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:30Z", "2026-10-03T15:30Z"),
    ("Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45Z", "2026-04-04T15:15Z"),
    ("Asia/Kolkata", "2026-12-08T19:00", "2026-12-08T13:30Z", "2026-12-08T13:30Z"),
    ("Asia/Kathmandu", "2026-12-08T19:00", "2026-12-08T13:15Z", "2026-12-08T13:15Z"),
]


@pytest.mark.parametrize(("zone", "local", "as_start", "as_end"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_local_time_maps_to_utc_under_the_dst_policy(zone, local, as_start, as_end):
    wall = dt.datetime.fromisoformat(local)
    assert to_utc(wall, zone, "start") == at(as_start)
    assert to_utc(wall, zone, "end") == at(as_end)


# zone, window start, end, days (ISO weekday numbers), range start, range end, expected spans
WINDOWS = [
    ("new-york evening is 4h across spring-forward", "America/New_York", "19:00", "23:00",
     range(7), "2026-03-07T00:00Z", "2026-03-10T00:00Z",
     [("2026-03-07T00:00Z", "2026-03-07T04:00Z"), ("2026-03-08T00:00Z", "2026-03-08T04:00Z"),
      ("2026-03-08T23:00Z", "2026-03-09T03:00Z"), ("2026-03-09T23:00Z", "2026-03-10T00:00Z")]),
    ("new-york window over the skipped hour shrinks to what exists", "America/New_York",
     "01:00", "03:00", {6}, "2026-03-08T00:00Z", "2026-03-09T00:00Z",
     [("2026-03-08T06:00Z", "2026-03-08T07:00Z")]),
    ("new-york window inside the skipped hour exists nowhere", "America/New_York",
     "02:00", "02:30", {6}, "2026-03-08T00:00Z", "2026-03-09T00:00Z", []),
    ("new-york fall-back window never shrinks", "America/New_York", "00:30", "01:30", {6},
     "2026-11-01T00:00Z", "2026-11-02T00:00Z", [("2026-11-01T04:30Z", "2026-11-01T06:30Z")]),
    ("london sleep across the fall-back night is 9h", "Europe/London", "23:00", "07:00", {5},
     "2026-10-24T00:00Z", "2026-10-26T00:00Z", [("2026-10-24T22:00Z", "2026-10-25T07:00Z")]),
    ("kolkata 24:00 ends at local midnight", "Asia/Kolkata", "20:00", "24:00", {1},
     "2026-12-08T00:00Z", "2026-12-09T00:00Z", [("2026-12-08T14:30Z", "2026-12-08T18:30Z")]),
    ("kathmandu quarter-hour offset", "Asia/Kathmandu", "19:00", "23:00", {1},
     "2026-12-08T00:00Z", "2026-12-09T00:00Z", [("2026-12-08T13:15Z", "2026-12-08T17:15Z")]),
    ("sydney weekend peak in southern summer (+11)", "Australia/Sydney", "12:00", "24:00", {5},
     "2026-12-11T00:00Z", "2026-12-13T00:00Z", [("2026-12-12T01:00Z", "2026-12-12T13:00Z")]),
    ("lord howe 30-minute spring-forward shortens the night by 30 min", "Australia/Lord_Howe",
     "23:00", "07:00", {5}, "2026-10-03T00:00Z", "2026-10-05T00:00Z",
     [("2026-10-03T12:30Z", "2026-10-03T20:00Z")]),
    ("window crossing midnight is cut to the range and carried from the day before",
     "Europe/Berlin", "22:00", "06:00", range(7), "2026-12-08T00:00Z", "2026-12-08T12:00Z",
     [("2026-12-08T00:00Z", "2026-12-08T05:00Z")]),
]


@pytest.mark.parametrize(("zone", "start", "end", "days", "lo", "hi", "expected"),
                         [w[1:] for w in WINDOWS], ids=[w[0] for w in WINDOWS])
def test_window_expands_to_exact_utc_spans(zone, start, end, days, lo, hi, expected):
    spans = expand_window(start, end, set(days), zone, to_ts(at(lo)), to_ts(at(hi)))
    assert [(from_ts(s), from_ts(e)) for s, e in spans] == [(at(s), at(e)) for s, e in expected]


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney",
                                  "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu"])
def test_daily_window_changes_only_at_its_edges_through_a_year(zone):
    """Sweep every 15 minutes of 2026: inside the window exactly when local time says so,
    except within three hours of a DST transition, where the policy (tested above) decides."""
    lo, hi = to_ts(at("2026-01-01T00:00Z")), to_ts(at("2027-01-01T00:00Z"))
    spans = expand_window("19:00", "02:30", set(range(7)), zone, lo, hi)
    starts = [s for s, _ in spans]
    local_zone = zone_of(zone)
    for ts in range(lo, hi, 900):
        if offset(ts - 10800, local_zone) != offset(ts + 10800, local_zone):
            continue
        local = from_ts(ts).astimezone(local_zone)
        minutes = local.hour * 60 + local.minute
        expected = minutes >= 19 * 60 or minutes < 150
        i = bisect.bisect_right(starts, ts) - 1
        inside = i >= 0 and spans[i][0] <= ts < spans[i][1]
        assert inside == expected, f"{zone} at {from_ts(ts)} (local {local})"


def offset(ts: int, tz: dt.tzinfo) -> dt.timedelta | None:
    return from_ts(ts).astimezone(tz).utcoffset()


def test_unknown_zone_names_a_close_match():
    with pytest.raises(ValueError, match="did you mean 'Asia/Shanghai'"):
        check_zone("Asia/Shangai")


ROUND_TRIP_ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe",
                    "Asia/Kolkata", "Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Chatham"]


@settings(max_examples=300, deadline=None)
@given(zone_name=st.sampled_from(ROUND_TRIP_ZONES),
       local=st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)),
       role=st.sampled_from(["start", "end"]))
def test_local_to_utc_to_local_round_trips_outside_transitions(zone_name, local, role):
    local = local.replace(second=0, microsecond=0)
    tz = zone_of(zone_name)
    before = local.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)
    after = local.replace(tzinfo=tz, fold=1).astimezone(dt.UTC)
    assume(before == after)  # neither skipped nor repeated
    assert to_utc(local, zone_name, role).astimezone(tz).replace(tzinfo=None) == local


@settings(max_examples=300, deadline=None)
@given(zone_name=st.sampled_from([*ROUND_TRIP_ZONES, "Asia/Kolkata", "Pacific/Kiritimati", "America/St_Johns"]),
       ts=st.integers(0, 2**31))
def test_fast_local_formatting_equals_the_plain_one(zone_name, ts):
    assert format_local_ts(ts, zone_name) == format_local(from_ts(ts), zone_name)
