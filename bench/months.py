"""Month-to-month benchmarks: fairness across six monthly plans; response times recovered from
acknowledgement records.

Fairness across periods: six consecutive monthly plans of the example team (calendar months from
January 2027, each horizon right after the last), with leave spread over the half year (each
engineer a one- or two-week holiday and a few single days, drawn with a fixed seed), planned twice:
with history (each plan gets the months before it as `--history` would give them, with the
scenario's look-back set to `LOOKBACK_DAYS`, so that June still sees January: a team that wants
fairness over half a year says so in `fairness.lookback_days`) and without (each month balanced
alone). After each month it prints the spread (max - min across engineers) of cumulative night
hours, weekend hours and their sum, per 40 h of weekly capacity; then the largest such spread
inside one office group ("twins"), the fairness swaps and burden moves made (`fairness_swaps`:
twins plus across groups; with history the plans also run the fairness stage,
`rota/planner/fairstage.py`, from a limit of about 65 s, and fairness neighbourhoods,
`rota/planner/fairsteps.py`) and how many shifts the two plans of the month differ by; at the
end, the largest night + weekend time some engineer carried that nobody else could have taken
(`rota.forced`), the part no planner can move. Target: with history, the spread after six
months is no larger than after the first month. Plans are `--deterministic` (deterministic time
limit), so both runs share their first month and a rerun repeats the figures whatever else
loads the machine.

Bounds (`bounds`): the first month's plan as above, then how much of its night + weekend spread
coverage forces: CP-SAT over the plan's candidates and rules with peak and all-demand coverage held
at the plan's (`rota.planner.spread_bounds`): the least its most burdened engineer could carry,
the most its least burdened could take on, the least spread; and the part nobody else could take
(`rota.forced`).

Calibration recovery (`bench/months_calibration.py`): a known response model for every engineer of
the example team and every band (the minutes within which they answer 90% of pages), drawn alone
per engineer-band (`independent`) or with an engineer effect shared by their bands (`shared`);
acknowledgement records drawn from it with log-normal noise at random trigger instants in the 90
days before the horizon while the engineer is in that band, 5 to 60 per band (none asleep for
some), as real pages do. `rota calibrate`'s estimator fits them; the figure is the share of
estimates within 10% of the model per sample-size group (target: within 10% for 20 or more
samples), next to the best any estimator could do.

    python bench/months.py fairness [--months 6] [--time-limit 20] [--seed 7] [--keep DIR]
    python bench/months.py bounds [--time-limit 20] [--seed 7] [--bound-seconds 150]
    python bench/months.py calibration [--seeds 1-20] [--sigmas 0.1,0.2,0.3] [--models independent,shared]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from months_calibration import calibration_recovery

from rota.burden import Burden, burdens
from rota.scenario import Scenario
from rota.validation import load_scenario, parse_scenario

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example" / "streaming-sre.yaml"


FIRST_MONTH = dt.date(2027, 1, 1)


def month_starts(months: int) -> list[dt.date]:
    out = [FIRST_MONTH]
    while len(out) <= months:
        d = out[-1]
        out.append(dt.date(d.year + d.month // 12, d.month % 12 + 1, 1))
    return out


def spread_leave(scenario: Scenario, lo: dt.date, hi: dt.date,
                 rng: random.Random) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Per engineer: one holiday of 7 or 14 days and three single days off in [lo, hi)."""
    span = (hi - lo).days
    leave: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for e in scenario.engineers:
        length = rng.choice([7, 14])
        start = lo + dt.timedelta(days=rng.randrange(0, span - length))
        mine = [(start, start + dt.timedelta(days=length))]
        while len(mine) < 4:
            day = lo + dt.timedelta(days=rng.randrange(0, span))
            if all(not (a <= day < b) for a, b in mine):
                mine.append((day, day + dt.timedelta(days=1)))
        leave[e.id] = sorted(mine)
    return leave


LOOKBACK_DAYS = 190  # six months of history before July


def month_scenario(base: Scenario, start: dt.date, end: dt.date,
                   leave: dict[str, list[tuple[dt.date, dt.date]]]) -> Scenario:
    """The example over [start, end) with the leave that touches it (a day's margin each side)."""
    data = base.model_dump(mode="json", exclude_none=True)
    data["horizon"] = {"start": start.isoformat(), "days": (end - start).days}
    data["fairness"] = {"lookback_days": LOOKBACK_DAYS}
    data.pop("pins", None)
    for e in data["engineers"]:
        e["unavailable"] = [{"start": a.isoformat(), "end": b.isoformat(), "reason": "leave"}
                            for a, b in leave[e["id"]]
                            if b > start - dt.timedelta(days=1) and a < end + dt.timedelta(days=1)]
    return parse_scenario(data)


def per_40h(scenario: Scenario, cumulative: dict[str, Burden]) -> dict[str, tuple[float, float]]:
    out = {}
    for e in scenario.engineers:
        b = cumulative[e.id]
        per = 40 / scenario.weekly_hours_cap(e) / 3600
        out[e.id] = (b.night_seconds * per, b.weekend_seconds * per)
    return out


def twin_spread(scenario: Scenario, figures: dict[str, tuple[float, float]]) -> float:
    """The largest night+weekend spread inside one office group (engineers alike in zone, hours,
    sleep and holidays): the part of the spread shifts can move without changing coverage."""
    groups: dict[tuple[object, ...], list[float]] = {}
    for e in scenario.engineers:
        key = (e.timezone, e.working_hours, e.sleep, e.holiday_country)
        groups.setdefault(key, []).append(sum(figures[e.id]))
    return max((spread(v) for v in groups.values() if len(v) > 1), default=0.0)


def spread(values: list[float]) -> float:
    return max(values) - min(values)


def fairness_months(months: int, time_limit: float, seed: int, keep: Path | None = None) -> None:
    from rota.history import add, carried_in, zero
    from rota.oncall import rota_on_call
    from rota.planner import PlanOptions, plan
    from rota.rotafile import write_rota_json
    from rota.team import horizon_range, team_time

    base = load_scenario(EXAMPLE)
    starts = month_starts(months)
    leave = spread_leave(base, starts[0], starts[-1], random.Random(seed))
    scenarios = [month_scenario(base, a, b, leave) for a, b in zip(starts, starts[1:], strict=False)]
    print(f"fairness across periods: {months} monthly plans of the example team "
          f"({len(base.engineers)} engineers), {starts[0]} to {starts[-1]}, --deterministic "
          f"--time-limit {time_limit:g} each, leave seed {seed}")
    print("cumulative hours per 40 h of weekly capacity, spread (max - min) across engineers")
    print(f"{'month':>8} | {'with history: night':>20} {'weekend':>8} {'sum':>7} | "
          f"{'without: night':>15} {'weekend':>8} {'sum':>7} | twins: with without | swaps | differ "
          f"| seconds with, without")
    rotas: dict[bool, list[tuple[str, object]]] = {True: [], False: []}
    cumulative: dict[bool, dict[str, Burden]] = {
        mode: {e.id: zero(e.id) for e in base.engineers} for mode in (True, False)}
    first_month: dict[bool, tuple[float, float, float]] = {}
    row: dict[bool, tuple[float, float, float]] = {}
    twins: dict[bool, float] = {}
    swaps: dict[bool, int] = {}
    shifts: dict[bool, set[tuple[str, object]]] = {}
    forced: dict[bool, dict[str, float]] = {True: {}, False: {}}
    for k, scenario in enumerate(scenarios):
        seconds = {}
        for mode in (True, False):
            if k == 0 and not mode:  # the first month has no history: both runs share its plan
                cumulative[False] = dict(cumulative[True])
                rotas[False] = list(rotas[True])
                seconds[False] = seconds[True]
                row[False] = row[True]
                twins[False], swaps[False], shifts[False] = twins[True], swaps[True], shifts[True]
                forced[False] = dict(forced[True])
                continue
            history = carried_in(scenario, rotas[mode]) if mode else None  # type: ignore[arg-type]
            began = time.perf_counter()
            result = plan(scenario, PlanOptions(time_limit_seconds=time_limit, deterministic=True,
                                                seed=0, history=history))
            seconds[mode] = time.perf_counter() - began
            rotas[mode].append((f"month {k + 1}", result.rota))
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                write_rota_json(result.rota, keep / f"{scenario.horizon.start:%Y-%m}-"
                                f"{'with' if mode else 'without'}.json")
            lo, hi = horizon_range(scenario)
            added = burdens(team_time(scenario, lo, hi), rota_on_call(result.rota, lo, hi))
            for b in added:
                cumulative[mode][b.engineer] = add(cumulative[mode][b.engineer], b)
            figures = per_40h(base, cumulative[mode])
            nights = [n for n, _ in figures.values()]
            weekends = [w for _, w in figures.values()]
            sums = [n + w for n, w in figures.values()]
            row[mode] = (spread(nights), spread(weekends), spread(sums))
            twins[mode] = twin_spread(base, figures)
            moves = result.report["fairness_swaps"]
            swaps[mode] = int(moves["moved"]) + int(moves.get("across_groups", 0))
            for line in result.report["carried"]["forced"]:
                per = 40 / base.weekly_hours_cap(base.engineer_by_id[line["engineer"]])
                forced[mode][line["engineer"]] = forced[mode].get(line["engineer"], 0.0) + per * (
                    line["night_hours"] + line["weekend_hours"])
            shifts[mode] = {(s.engineer, s.start) for s in result.rota.shifts}
        if k == 0:
            first_month = dict(row)
        w, wo = row[True], row[False]
        print(f"{scenario.horizon.start.isoformat()[:7]:>8} | {w[0]:20.1f} {w[1]:8.1f} {w[2]:7.1f} | "
              f"{wo[0]:15.1f} {wo[1]:8.1f} {wo[2]:7.1f} | {twins[True]:6.1f} {twins[False]:6.1f} | "
              f"{swaps[True]:3d} {swaps[False]:3d} | {len(shifts[True] ^ shifts[False]) // 2:4d} | "
              f"{seconds[True]:.0f}, {seconds[False]:.0f}", flush=True)
    most = max(forced[True].items(), key=lambda kv: kv[1], default=("nobody", 0.0))
    print(f"forced (on call where nobody else serving the region could answer, `rota.forced`), "
          f"night + weekend per 40 h over {months} months with history: most {most[1]:.1f} "
          f"({most[0]}); {len(forced[True])} engineers have some")
    met = row[True][2] <= first_month[True][2]
    print(f"after {months} months: with history the night+weekend spread is {row[True][2]:.1f} h per 40 h "
          f"against {first_month[True][2]:.1f} after the first month (target: no larger): "
          f"{'met' if met else 'NOT met'}; without history it is {row[False][2]:.1f} "
          f"({row[False][2] / first_month[False][2]:.2f}x the first month's)")


def seed_list(text: str) -> list[int]:
    if "-" in text:
        first, last = (int(x) for x in text.split("-", 1))
        return list(range(first, last + 1))
    return [int(x) for x in text.split(",")]


def fairness_bounds(time_limit: float, seed: int, seconds: float) -> None:
    """The first month's plan (as `fairness` plans it), then how much of its night + weekend spread
    coverage forces (`rota.planner.spread_bounds`) and the part nobody else could take."""
    from rota.planner import PlanOptions, plan, spread_bounds

    base = load_scenario(EXAMPLE)
    starts = month_starts(1)
    leave = spread_leave(base, starts[0], month_starts(6)[-1], random.Random(seed))
    scenario = month_scenario(base, starts[0], starts[1], leave)
    result = plan(scenario, PlanOptions(time_limit_seconds=time_limit, deterministic=True, seed=0))
    print(f"bounds on {starts[0]:%B %Y}'s plan (--deterministic --time-limit {time_limit:g}), "
          f"coverage held at the plan's (P0 peak, then all demand), comfort not held, "
          f"{seconds:g} s of CP-SAT each; night + weekend hours per 40 h of weekly capacity")
    for b in spread_bounds(scenario, result.rota, seconds):
        who = f" ({b.engineer})" if b.engineer else ""
        print(f"  {b.question}{who}: the plan {b.rota_value:g}, found {b.found}, bound {b.bound} "
              f"({b.status})")
    for line in result.report["carried"]["forced"][:3]:
        print(f"  forced: {line['sentence']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", nargs="?", choices=["fairness", "bounds", "calibration", "all"],
                        default="all")
    parser.add_argument("--bound-seconds", type=float, default=150.0,
                        help="bounds: CP-SAT seconds for each of the three questions")
    parser.add_argument("--seeds", default="1-20",
                        help="calibration: seeds, comma-separated or a range FIRST-LAST (a row each up to 5)")
    parser.add_argument("--sigmas", default="0.1,0.2,0.3",
                        help="calibration: comma-separated noise levels (sd of log minutes)")
    parser.add_argument("--models", default="independent,shared",
                        help="calibration: generating models (independent: each engineer-band alone; "
                             "shared: an engineer effect across bands)")
    parser.add_argument("--months", type=int, default=6, help="fairness: monthly plans")
    parser.add_argument("--time-limit", type=float, default=20.0,
                        help="fairness: deterministic time limit of each plan")
    parser.add_argument("--seed", type=int, default=7, help="fairness: seed of the leave drawn")
    parser.add_argument("--keep", type=Path, default=None,
                        help="fairness: a folder to write each month's rotas to (MONTH-with.json, "
                             "MONTH-without.json; the first month's plan is shared), to look at who carries what")
    args = parser.parse_args()
    if args.part in ("fairness", "all"):
        fairness_months(args.months, args.time_limit, args.seed, args.keep)
    if args.part == "bounds":
        fairness_bounds(args.time_limit, args.seed, args.bound_seconds)
    if args.part in ("calibration", "all"):
        calibration_recovery(load_scenario(EXAMPLE), seed_list(args.seeds),
                             [float(x) for x in args.sigmas.split(",")], args.models.split(","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
