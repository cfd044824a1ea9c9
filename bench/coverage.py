"""Benchmark: the year-long gap report and `now` queries on a 500-engineer team.

A seeded generator builds a team of 500 engineers in 12 offices (including +05:30, +05:45 and
southern-hemisphere DST zones), 20 user regions with evening and weekend peaks, and a 365-day rota
in which every office runs two eight-hour shifts a day (08:00-16:00 and 16:00-24:00 local) with
three engineers each, plus a few hundred overrides: some 26,000 shifts. Everything is built in
memory, then timed:

- the full gap report over the horizon (`rota.report.gap_report`): the first, cold run and the
  median of the warm runs after it (band profiles and holiday calendars are cached by then);
- `rota.now.NowIndex`: its build, then 10,000 queries at seeded random instants of the year for
  random regions (mean, median, p99 and max microseconds per query), twice: the second pass
  shows the cost once the per-zone local-time and timestamp caches are warm. The CPU time per
  query is printed beside the wall time, since other work on a shared machine inflates the latter.

Targets on the project's 2-core machine: report < 2 s, mean `now` query < 50 us.

    python bench/coverage.py [--seed 7] [--engineers 500] [--days 365] [--runs 3] [--queries 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

from rota.now import NowIndex
from rota.report import gap_report
from rota.rotafile import Override, Rota, Shift
from rota.scenario import Scenario
from rota.validation import parse_scenario
from rota.zones import to_utc

START = dt.date(2026, 1, 5)  # a Monday; the year crosses every DST change of both hemispheres
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEKEND = ["sat", "sun"]


@dataclass(frozen=True)
class Office:
    zone: str
    holidays: str


OFFICES = [
    Office("Asia/Shanghai", "CN"),
    Office("Asia/Singapore", "SG"),
    Office("Asia/Tokyo", "JP"),
    Office("Asia/Kolkata", "IN-KA"),  # +05:30
    Office("Asia/Kathmandu", "NP"),  # +05:45
    Office("Australia/Sydney", "AU-NSW"),  # southern-hemisphere DST
    Office("Europe/Berlin", "DE-BE"),
    Office("Europe/London", "GB-ENG"),
    Office("Africa/Johannesburg", "ZA"),
    Office("America/Sao_Paulo", "BR-SP"),
    Office("America/New_York", "US-NY"),
    Office("America/Los_Angeles", "US-CA"),
]

REGION_ZONES = [
    "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Asia/Jakarta", "Asia/Manila", "Asia/Kolkata",
    "Asia/Karachi", "Asia/Dubai", "Asia/Riyadh", "Europe/Istanbul", "Europe/Moscow",
    "Europe/Berlin", "Europe/London", "Africa/Lagos", "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires", "America/Mexico_City", "America/New_York",
    "America/Los_Angeles", "Australia/Sydney",
]

SHIFTS_LOCAL = [(8, 16), (16, 24)]  # local hours; two shifts a day per office
PER_SHIFT = 3  # engineers on each shift


def make_scenario(rng: random.Random, engineers: int, days: int) -> dict[str, Any]:
    regions = [_region(i, zone, rng) for i, zone in enumerate(REGION_ZONES)]
    region_ids = [r["id"] for r in regions]
    people = [_engineer(i, OFFICES[i % len(OFFICES)], region_ids, rng) for i in range(engineers)]
    return {
        "team": "bench",
        "name": "Benchmark team",
        "horizon": {"start": START.isoformat(), "days": days},
        "regions": regions,
        "engineers": people,
    }


def _region(i: int, zone: str, rng: random.Random) -> dict[str, Any]:
    evening = rng.choice([18, 19, 20])
    return {
        "id": f"r{i:02d}",
        "timezone": zone,
        "peak_windows": [
            {"days": WEEKDAYS, "start": f"{evening:02d}:00", "end": f"{evening + 4:02d}:00"},
            {"days": WEEKEND, "start": "12:00", "end": "24:00"},
        ],
        "peak": {"severity": "P0", "responders": 2},
        "off_peak": {"severity": "P2", "responders": 1},
        "users_at_peak": rng.randrange(100_000, 2_000_000, 1000),
        "users_off_peak": rng.randrange(20_000, 400_000, 1000),
        "revenue_per_user_hour": round(rng.uniform(0.01, 0.15), 3),
        "currency": "USD",
    }


def _engineer(i: int, office: Office, region_ids: list[str], rng: random.Random) -> dict[str, Any]:
    start = rng.choice(["08:00", "09:00", "10:00"])
    end = {"08:00": "17:00", "09:00": "18:00", "10:00": "19:00"}[start]
    person: dict[str, Any] = {
        "id": f"e{i:03d}",
        "timezone": office.zone,
        "regions": rng.sample(region_ids, rng.randint(2, 5)),
        "holiday_country": office.holidays,
        "working_hours": {"days": WEEKDAYS, "start": start, "end": end},
        "sleep": {"start": rng.choice(["22:00", "23:00", "00:00"]), "end": "07:00"},
    }
    if rng.random() < 0.6:
        first = START + dt.timedelta(days=rng.randrange(0, 340))
        person["unavailable"] = [
            {"start": first.isoformat(), "end": (first + dt.timedelta(days=rng.randint(3, 14))).isoformat(),
             "reason": "vacation"},
        ]
    if rng.random() < 0.05:
        person["response_minutes"] = {"asleep": 30}
    return person


def make_rota(scenario: Scenario, rng: random.Random, overrides: int = 300) -> Rota:
    """Per office and day, PER_SHIFT engineers on each local shift, taken round-robin."""
    by_office: dict[str, list[str]] = {}
    for e in scenario.engineers:
        by_office.setdefault(e.timezone, []).append(e.id)
    shifts: list[Shift] = []
    for zone_name, ids in by_office.items():
        slot = 0
        for d in range(scenario.horizon.days):
            day = dt.datetime.combine(START + dt.timedelta(days=d), dt.time())
            for first, last in SHIFTS_LOCAL:
                start = to_utc(day + dt.timedelta(hours=first), zone_name, "start")
                end = to_utc(day + dt.timedelta(hours=last), zone_name, "end")
                for _ in range(PER_SHIFT):
                    shifts.append(Shift(engineer=ids[slot % len(ids)], start=start, end=end))
                    slot += 1
    everyone = [e.id for e in scenario.engineers]
    edits = []
    for k in range(overrides):
        shift = rng.choice(shifts)
        taker = rng.choice(everyone)
        if taker != shift.engineer:
            edits.append(Override(id=f"o{k}", engineer=taker, replaces=shift.engineer,
                                  start=shift.start, end=shift.end, reason="swap"))
    return Rota(team=scenario.team, version=1, horizon=scenario.horizon, shifts=tuple(shifts),
                overrides=tuple(edits))


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def bench_report(scenario: Scenario, rota: Rota, runs: int) -> None:
    first, report = timed(gap_report, scenario, rota)
    warm, cpu = [], []
    for _ in range(runs):
        c0 = time.process_time()
        warm.append(timed(gap_report, scenario, rota)[0])
        cpu.append(time.process_time() - c0)
    print(f"gap report, first run:        {first:8.3f} s  ({len(report.gaps)} gaps, "
          f"{len(report.violations)} rule violations)")
    print(f"gap report, median of {runs} warm: {statistics.median(warm):8.3f} s  "
          f"(runs: {', '.join(f'{w:.3f}' for w in warm)}; CPU median {statistics.median(cpu):.3f} s)"
          "  target < 2 s")
    answer, text = timed(lambda: report.to_json())
    print(f"its JSON answer (with coverage within the rules): {answer:.3f} s")


def bench_now(scenario: Scenario, rota: Rota, rng: random.Random, queries: int) -> None:
    build, index = timed(NowIndex, scenario, rota)
    print(f"NowIndex build:               {build:8.3f} s")
    lo = scenario.horizon.start_at
    seconds = scenario.horizon.days * 86400
    asks = [
        (lo + dt.timedelta(seconds=rng.randrange(seconds)), rng.choice(scenario.regions).id)
        for _ in range(queries)
    ]
    for label in ("first pass", "second pass"):
        costs = []
        cpu0 = time.process_time()
        for at, region in asks:
            t0 = time.perf_counter_ns()
            index.query(at, region=region)
            costs.append((time.perf_counter_ns() - t0) / 1000)
        cpu = (time.process_time() - cpu0) / queries * 1e6
        costs.sort()
        print(f"now query, {label:11} ({queries} x): mean {statistics.fmean(costs):6.1f} us wall, "
              f"{cpu:6.1f} us CPU; median {statistics.median(costs):.1f}, "
              f"p99 {costs[int(0.99 * len(costs)) - 1]:.1f}, max {costs[-1]:.0f} us   target mean < 50 us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engineers", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    data = make_scenario(rng, args.engineers, args.days)
    took, scenario = timed(parse_scenario, data)
    print(f"scenario: {len(scenario.engineers)} engineers, {len(scenario.regions)} regions, "
          f"{args.days} days; parsed in {took:.3f} s")
    took, rota = timed(make_rota, scenario, rng)
    print(f"rota: {len(rota.shifts)} shifts, {len(rota.overrides)} overrides; built in {took:.3f} s")
    bench_report(scenario, rota, args.runs)
    bench_now(scenario, rota, rng, args.queries)


if __name__ == "__main__":
    main()
