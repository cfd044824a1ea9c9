"""Planner benchmark: seeded realistic teams, the planner against the rotas teams draw by hand.

    python bench/solver.py                      # sizes S and M
    python bench/solver.py --sizes S,M,L        # add L (150 engineers, 12 regions, 28 days)
    python bench/solver.py --sizes M --workers 2

Each (size, method) runs in its own subprocess so its peak memory (ru_maxrss) is its own. Prints a
table; it asserts nothing (speed is measured here, never in tests). Methods: `plan` (rota plan),
`weekly` and `office-hours` (rota baseline ...), and for M and L `replan`: one engineer removed for
the second week, re-planned against the plan with minimal change.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SIZES = {"S": (10, 3, 7), "M": (40, 7, 28), "L": (150, 12, 28)}
TIME_LIMITS = {"S": 10.0, "M": 60.0, "L": 300.0}
REPLAN_LIMIT = 15.0

# id, zone, users at peak (thousands), revenue per user-hour
REGIONS = [
    ("eu", "Europe/Berlin", 120, 1.5), ("in", "Asia/Kolkata", 300, 0.2),
    ("us-east", "America/New_York", 150, 2.0), ("sea", "Asia/Jakarta", 200, 0.4),
    ("br", "America/Sao_Paulo", 90, 0.6), ("jp", "Asia/Tokyo", 80, 2.2),
    ("au", "Australia/Sydney", 40, 2.0), ("uk", "Europe/London", 70, 1.8),
    ("us-west", "America/Los_Angeles", 110, 2.0), ("mena", "Asia/Dubai", 60, 1.0),
    ("mx", "America/Mexico_City", 70, 0.5), ("kr", "Asia/Seoul", 50, 1.7),
]
# zone, holiday country
OFFICES = [
    ("Europe/Berlin", "DE"), ("Asia/Kolkata", "IN"), ("America/New_York", "US"),
    ("Asia/Singapore", "SG"), ("America/Sao_Paulo", "BR"), ("Australia/Sydney", "AU"),
    ("Europe/London", "GB"), ("America/Los_Angeles", "US"), ("Asia/Tokyo", "JP"),
]
OFFICES_BY_SIZE = {"S": 3, "M": 6, "L": 9}


def make_team(size: str, seed: int = 1) -> dict[str, Any]:
    """A realistic team: offices over real zones (incl. +05:30), peaks in the regions' evenings."""
    rng = random.Random(f"{size}-{seed}")
    engineers_n, regions_n, days = SIZES[size]
    regions = [_region(rng, *spec) for spec in REGIONS[:regions_n]]
    offices = OFFICES[:OFFICES_BY_SIZE[size]]
    engineers = []
    for i in range(engineers_n):
        zone_name, country = offices[i % len(offices)]
        serves = rng.sample([r["id"] for r in regions], k=min(len(regions), rng.randint(2, 4)))
        engineer: dict[str, Any] = {"id": f"e{i:03d}", "timezone": zone_name, "regions": serves,
                                    "holiday_country": country}
        if rng.random() < 0.15:
            first = rng.randint(0, max(days - 5, 0))
            engineer["unavailable"] = [{"start": _date(first), "end": _date(first + rng.randint(2, 5))}]
        if rng.random() < 0.1:
            engineer["max_hours_per_week"] = 20
        engineers.append(engineer)
    return {"team": f"bench-{size.lower()}", "horizon": {"start": _date(0), "days": days},
            "regions": regions, "engineers": engineers}


def _region(rng: random.Random, rid: str, zone_name: str, users: int, revenue: float) -> dict[str, Any]:
    return {
        "id": rid, "timezone": zone_name,
        "peak_windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "19:00", "end": "23:00"},
                         {"days": ["sat", "sun"], "start": "12:00", "end": "24:00"}],
        "peak": {"severity": "P0", "responders": rng.choice([1, 2, 2])},
        "off_peak": {"severity": "P2", "responders": 1},
        "users_at_peak": users * 1000, "users_off_peak": users * 200, "revenue_per_user_hour": revenue,
    }


def _date(offset: int) -> str:
    import datetime as dt

    return (dt.date(2026, 12, 7) + dt.timedelta(days=offset)).isoformat()


def run_child(size: str, method: str, workers: int, limit: float) -> dict[str, Any]:
    from rota.planner import PlanOptions, plan
    from rota.planner.baselines import office_hours_rota, weekly_rota
    from rota.planner.explain import structural_bound
    from rota.planner.summary import fairness_figures
    from rota.report import report_from
    from rota.team import horizon_range, team_time
    from rota.validation import parse_scenario

    scenario = parse_scenario(make_team(size))
    row: dict[str, Any] = {"size": size, "method": method}
    started = time.monotonic()
    if method in ("plan", "replan"):
        result = plan(scenario, PlanOptions(time_limit_seconds=limit, workers=workers))
        row.update(seconds=result.report["seconds"], wall_seconds=round(time.monotonic() - started, 1),
                   status=result.status,
                   gap=result.report["optimality_gap"],
                   coverage_gap=result.report.get("coverage_optimality_gap"),
                   non_structural_p0=result.report["coverage"]["p0_peak_non_structural_uncovered_minutes"],
                   candidates=result.report["model"]["candidates"], rows=result.report["model"]["coverage_rows"],
                   stages=[(s["term"], s["status"], s["seconds"]) for s in result.report["stages"]])
        rota = result.rota
        if method == "replan":
            scenario, rota, extra = _replan(scenario, rota, workers)
            row.update(extra)
    else:
        rota = weekly_rota(scenario) if method == "weekly" else office_hours_rota(scenario)
        row.update(seconds=round(time.monotonic() - started, 3), status="-", gap=None)
    lo, hi = horizon_range(scenario)
    team = team_time(scenario, lo, hi)
    core = report_from(team, rota)
    p0 = sum(d.end - d.start for ds in team.demand.values() for d in ds if d.peak and d.severity == "P0")
    missed = sum(g.seconds for g in core.gaps if g.peak and g.severity == "P0")
    row.update(
        p0_peak_coverage=round(1 - missed / p0, 4) if p0 else 1.0,
        uncovered_minutes=sum(g.seconds for g in core.gaps) // 60,
        structural_minutes=sum(v["minutes"] for v in structural_bound(team).values()),
        asleep_hours=round(sum(b.seconds_by_band["asleep"] for b in core.engineers) / 3600, 1),
        fairness_spread=fairness_figures(scenario, core)["off_hours_hours_per_40h"]["spread"],
        peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return row


def _replan(scenario: Any, rota: Any, workers: int) -> tuple[Any, Any, dict[str, Any]]:
    """Remove one engineer for the second week and re-plan with minimal change."""
    from rota.planner import PlanOptions, plan
    from rota.scenario import Leave

    sick_id = max({s.engineer for s in rota.shifts}, key=lambda e: sum(s.engineer == e for s in rota.shifts))
    engineers = tuple(
        e.model_copy(update={"unavailable": (*e.unavailable, Leave(start=_day(7), end=_day(14)))})
        if e.id == sick_id else e for e in scenario.engineers)
    changed = scenario.model_copy(update={"engineers": engineers})
    result = plan(changed, PlanOptions(time_limit_seconds=REPLAN_LIMIT, workers=workers, previous=rota))
    week = (_instant(7), _instant(14))
    outside = [s for s in rota.shifts if s.end <= week[0] or s.start >= week[1]]
    new = set(result.rota.shifts)
    lost = sum((s.end - s.start).total_seconds() for s in outside if s not in new) / 3600
    hours = sum((s.end - s.start).total_seconds() for s in outside) / 3600
    return changed, result.rota, {
        "replan_seconds": result.report["seconds"], "replan_status": result.status,
        "changed_outside_week_pct": round(100 * lost / hours, 2) if hours else 0.0,
    }


def _day(offset: int) -> Any:
    import datetime as dt

    return dt.date(2026, 12, 7) + dt.timedelta(days=offset)


def _instant(offset: int) -> Any:
    import datetime as dt

    return dt.datetime.combine(_day(offset), dt.time(), tzinfo=dt.UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--methods", default="plan,weekly,office-hours,replan")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=None, help="Override per-size limits.")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        size, method = args.child
        print(json.dumps(run_child(size, method, args.workers, args.time_limit or TIME_LIMITS[size])))
        return
    rows = []
    for size in args.sizes.split(","):
        for method in args.methods.split(","):
            if method == "replan" and size == "S":
                continue
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", size, method,
                   "--workers", str(args.workers)]
            if args.time_limit:
                cmd += ["--time-limit", str(args.time_limit)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print_table(rows, args.workers)


COLUMNS = [("size", "size"), ("method", "method"), ("p0_peak_coverage", "P0 peak cov"),
           ("uncovered_minutes", "uncovered min"), ("structural_minutes", "structural min"),
           ("non_structural_p0", "non-struct P0 min"), ("asleep_hours", "asleep h"),
           ("fairness_spread", "fairness spread"), ("seconds", "solve s"), ("wall_seconds", "end-to-end s"),
           ("status", "status"),
           ("gap", "peak gap"), ("coverage_gap", "coverage gap"), ("peak_mb", "peak MB")]


def print_table(rows: list[dict[str, Any]], workers: int) -> None:
    print(f"\nworkers={workers}; fairness spread = max-min off-hours on-call hours per 40 h capacity")
    print("| " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            value = row.get(key)
            if key in ("p0_peak_coverage", "gap", "coverage_gap") and value is not None:
                value = f"{value:.2%}"
            cells.append("" if value is None else str(value))
        print("| " + " | ".join(cells) + " |")
    for row in rows:
        if row["method"] == "replan":
            print(f"re-plan {row['size']} (one engineer out for week 2): {row['replan_seconds']} s, "
                  f"{row['replan_status']}, {row['changed_outside_week_pct']}% of shift-hours outside "
                  "that week changed")


if __name__ == "__main__":
    main()
