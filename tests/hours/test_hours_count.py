"""`rota.hours` against an independent minute-by-minute count.

The count below shares nothing with the code under test but the `holidays` package and the tz
database: for every minute of the window it asks who is on call (shifts, then overrides applied in
order, minute by minute), reads each engineer's local wall clock and classifies the minute. The
window crosses London's and New York's autumn DST changes, a local month boundary in three zones
(+05:30 among them) and US Veterans Day.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest

from rota.hours import hours_report
from rota.rotafile import Override, Rota, Shift
from rota.scenario import Scenario
from rota.validation import parse_scenario

LO = dt.datetime(2026, 10, 24, tzinfo=dt.UTC)
HI = dt.datetime(2026, 11, 13, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
RATES = {"standard": 2.5, "working": 0.0, "night": 4.25, "weekend": 5.0, "public_holiday": 10.0}


def _scenario() -> Scenario:
    return parse_scenario({
        "team": "t", "horizon": {"start": "2026-10-20", "days": 30},
        "regions": [{"id": "eu", "timezone": "Europe/London",
                     "peak_windows": [{"start": "19:00", "end": "23:00"}]}],
        "engineers": [
            {"id": "ana", "timezone": "Europe/London", "regions": ["eu"], "holiday_country": "GB"},
            {"id": "bo", "timezone": "America/New_York", "regions": ["eu"], "holiday_country": "US",
             "working_hours": {"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "17:30"}},
            {"id": "chen", "timezone": "Asia/Kolkata", "regions": ["eu"], "holiday_country": "IN",
             "sleep": {"start": "00:30", "end": "08:15"}},
        ],
        "pay": {"currency": "EUR", "rates": RATES,
                "overrides": [{"timezone": "Asia/Kolkata", "currency": "INR",
                               "rates": {"standard": 150, "night": 225.5}}]},
    })


def _rota(seed: int) -> Rota:
    """Random shifts on a 15-minute grid, overlapping ones of one engineer included, plus replace
    and add overrides."""
    rng = random.Random(seed)
    shifts = []
    for engineer in ("ana", "bo", "chen"):
        at = LO - dt.timedelta(hours=rng.randint(0, 10))
        while at < HI:
            length = dt.timedelta(minutes=15 * rng.randint(8, 56))
            shifts.append(Shift(engineer=engineer, start=at, end=at + length))
            at += length + dt.timedelta(minutes=15 * rng.randint(-4, 60))
    overrides = []
    for i in range(12):
        start = LO + dt.timedelta(minutes=15 * rng.randint(0, 4 * 24 * 19))
        end = start + dt.timedelta(minutes=15 * rng.randint(1, 80))
        engineer, replaced = rng.sample(["ana", "bo", "chen"], 2)
        overrides.append(Override(id=str(i), engineer=engineer, start=start, end=end,
                                  replaces=replaced if i % 3 else None))
    return Rota(team="t", shifts=tuple(shifts), overrides=tuple(overrides))


def _on_call_by_minute(rota: Rota) -> dict[dt.datetime, set[str]]:
    out: dict[dt.datetime, set[str]] = {}
    t = LO - MINUTE
    while t < HI:
        out[t] = set()
        t += MINUTE
    for s in rota.shifts:
        t = s.start
        while t < s.end:
            if t in out:
                out[t].add(s.engineer)
            t += MINUTE
    for o in rota.overrides:
        t = o.start
        while t < o.end:
            who = out.get(t)
            if who is not None and (o.replaces is None or o.replaces in who):
                who.discard(o.replaces or "")
                who.add(o.engineer)
            t += MINUTE
    return out


@functools.cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, years=[year]))


def _clock(local: dt.datetime) -> int:
    return local.hour * 60 + local.minute


def _inside(minute: int, start: str, end: str) -> tuple[bool, bool]:
    """(inside a window starting today, inside one carried from yesterday)."""
    s = int(start[:2]) * 60 + int(start[3:])
    e = int(end[:2]) * 60 + int(end[3:])
    if e > s:
        return s <= minute < e, False
    return minute >= s, minute < e


def _classify(engineer: Any, t: dt.datetime) -> dict[str, Any]:
    local = t.astimezone(ZoneInfo(engineer.timezone))
    day = local.date()
    holiday = day in _holidays(engineer.holiday_country, day.year)
    minute = _clock(local)
    days = engineer.working_hours.weekdays
    today, _ = _inside(minute, engineer.working_hours.start, engineer.working_hours.end)
    working = today and local.weekday() in days and not holiday
    sleep_today, sleep_carried = _inside(minute, engineer.sleep.start, engineer.sleep.end)
    asleep = (sleep_today or sleep_carried) and not working
    night = minute >= 22 * 60 or minute < 6 * 60
    weekend = local.weekday() >= 5
    category = ("public_holiday" if holiday else "weekend" if weekend else "night" if night
                else "working" if working else "standard")
    return {"month": f"{local:%Y-%m}", "band": "working" if working else "asleep" if asleep else "awake",
            "night": night, "weekend": weekend, "public_holiday": holiday, "category": category}


def _count(scenario: Scenario, rota: Rota) -> dict[tuple[str, str], dict[str, Any]]:
    minutes = _on_call_by_minute(rota)
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    t = LO
    while t < HI:
        now, before = minutes[t], minutes[t - MINUTE]
        for engineer in scenario.engineers:
            e = engineer.id
            kind = _classify(engineer, t)
            tally = out[(e, kind["month"])]
            if e in now:
                tally["on_call"] += 60
                tally[kind["band"]] += 60
                tally["cat_" + kind["category"]] += 60
                for flag in ("night", "weekend", "public_holiday"):
                    tally[flag] += 60 if kind[flag] else 0
                if e not in before or t == LO:
                    tally["shifts"] += 1
            went_on = e in now and e not in before
            went_off = e in before and e not in now
            others_on = any(x in now and x not in before for x in minutes[t] | before if x != e)
            others_off = any(x in before and x not in now for x in minutes[t] | before if x != e)
            if t > LO and ((went_on and others_off) or (went_off and others_on)):
                tally["handovers"] += 1
        t += MINUTE
    return out


@pytest.mark.parametrize("seed", [1, 2, 3], ids=lambda s: f"seed{s}")
def test_hours_match_an_independent_minute_count(seed: int) -> None:
    scenario, rota = _scenario(), _rota(seed)
    report = hours_report(scenario, rota, LO, HI)
    expected = _count(scenario, rota)
    seen = set()
    for entry in report.engineers:
        for month in entry.months:
            key = (entry.engineer.id, month.month)
            seen.add(key)
            want = expected[key]
            tally = month.tally
            assert tally.on_call == want["on_call"], key
            assert tally.by_band == {b: want[b] for b in ("working", "awake", "asleep")}, key
            assert (tally.night, tally.weekend, tally.public_holiday) == (
                want["night"], want["weekend"], want["public_holiday"]), key
            assert tally.by_category == {c: want["cat_" + c] for c in RATES}, key
            assert (tally.shifts, tally.handovers) == (want["shifts"], want["handovers"]), key
            assert month.pay is not None
            table = RATES if entry.engineer.id != "chen" else {
                **dict.fromkeys(RATES, 150), "night": 225.5}
            for category, seconds in tally.by_category.items():
                exact = Decimal(seconds) * Decimal(str(table[category])) / 3600
                assert month.pay.amounts[category] == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert seen == set(expected)
    total_minutes = sum(v["on_call"] for v in expected.values())
    assert sum(e.total.on_call for e in report.engineers) == total_minutes > 0


def test_the_window_crosses_the_edges_it_claims() -> None:
    """Guard for the test above: the window really holds a DST change, a month edge and a holiday."""
    scenario, rota = _scenario(), _rota(1)
    report = hours_report(scenario, rota, LO, HI)
    months = {(e.engineer.id, m.month) for e in report.engineers for m in e.months}
    assert months == {(e, m) for e in ("ana", "bo", "chen") for m in ("2026-10", "2026-11")}
    bo = next(e for e in report.engineers if e.engineer.id == "bo")
    assert bo.total.public_holiday > 0  # Veterans Day, 11 November
    assert ZoneInfo("Europe/London").utcoffset(LO.replace(tzinfo=None)) != \
        ZoneInfo("Europe/London").utcoffset(HI.replace(tzinfo=None))
