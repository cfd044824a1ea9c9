"""Anytime benchmark: what `rota plan` returns at short and long limits, on a quiet and a busy machine.

    python bench/anytime.py                                   # the issue's full run (slow)
    python bench/anytime.py --sizes example,M --limits 2,5,10,60 --runs 1 --loads quiet,busy
    git archive main | tar -x -C /tmp/main-copy                # another version of the code ...
    python bench/anytime.py --compare /tmp/main-copy --compare-limits 10,60   # ... side by side
    python bench/anytime.py --deterministic --limits 5,10,20   # more time never worse, strictly

Each run is `rota plan SCENARIO -o ROTA --time-limit S` in its own process (sizes: the bundled
example, and bench/solver.py's seeded M and L teams); "busy" runs it while one spinning process of
our own keeps a core busy (it is stopped after the run). Per run it prints the shifts, P0 peak and
all-demand uncovered minutes (the core's gap analysis of the written rota), the structural bound,
the best known all-demand figure, the weekly and office-hours baselines, the hard-rule violations
(`rota.violations`, which shares no code with the planner's model) and what the plan says it
achieved. It then checks the issue's targets and prints which hold. It asserts nothing.

`--compare DIR` also plans each run with the code in DIR (a source tree of another version,
imported through PYTHONPATH), right after this version's run under the same load, and prints
both side by side; the targets are checked on this version's runs. `--deterministic` passes
`--deterministic` to every plan and checks that a longer limit is never worse.

Best known figures are recorded ones, with the command that made them (`BEST_KNOWN`), lowered to
the best rota of this run when one does better.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from solver import make_team  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example" / "streaming-sre.yaml"
ROTA = [str(Path(sys.executable).parent / "rota")]  # the CLI of this environment
LIMITS = "2,5,10,20,60"
L_LIMITS = (20.0, 60.0)
# All-demand uncovered minutes of the best rota known, and the command that made it.
BEST_KNOWN: dict[str, tuple[int, str]] = {
    "example": (20580, "rota plan data/example/streaming-sre.yaml -o rota.json (60 s, README)"),
    "M": (6060, "python bench/solver.py --sizes M (60 s; both coverage stages proved optimal)"),
    "L": (1260, "python bench/solver.py --sizes L (300 s; equal to the structural bound)"),
}


def scenario_file(size: str, folder: Path) -> Path:
    if size == "example":
        return EXAMPLE
    path = folder / f"bench-{size}.json"
    path.write_text(json.dumps(make_team(size)), encoding="utf-8")
    return path


def figures(scenario_path: Path, rota_path: Path | None, kind: str = "plan") -> dict[str, Any]:
    """Coverage and rule figures of a rota file, or of a baseline (`kind`) when `rota_path` is None."""
    from rota.planner.baselines import office_hours_rota, weekly_rota
    from rota.report import report_from
    from rota.rotaio import read_rota
    from rota.team import horizon_range, team_time
    from rota.validation import load_scenario
    from rota.violations import rota_violations

    scenario = load_scenario(scenario_path)
    if rota_path is not None:
        rota = read_rota(rota_path, scenario)
    else:
        rota = weekly_rota(scenario) if kind == "weekly" else office_hours_rota(scenario)
    team = team_time(scenario, *horizon_range(scenario))
    core = report_from(team, rota)
    p0 = sum(d.end - d.start for ds in team.demand.values() for d in ds
             if d.peak and d.severity == "P0" and d.responders > 0) // 60
    return {
        "shifts": len(rota.shifts),
        "p0_peak_required": p0,
        "p0_peak_uncovered": sum(g.seconds for g in core.gaps if g.peak and g.severity == "P0") // 60,
        "uncovered": sum(g.seconds for g in core.gaps) // 60,
        "violations": len(rota_violations(scenario, rota)),
        "solver": rota.solver.model_dump() if rota.solver is not None else None,
    }


def structural(scenario_path: Path) -> dict[str, int]:
    """Structural minutes (all demand, and P0 peak): what no rota can cover."""
    from rota.report import report_from
    from rota.rotafile import Rota
    from rota.team import horizon_range, team_time
    from rota.validation import load_scenario

    scenario = load_scenario(scenario_path)
    team = team_time(scenario, *horizon_range(scenario))
    core = report_from(team, Rota(team=scenario.team, horizon=scenario.horizon))
    return {"all": sum(g.seconds for g in core.gaps if g.structural) // 60,
            "p0_peak": sum(g.seconds for g in core.gaps
                           if g.structural and g.peak and g.severity == "P0") // 60}


def spinner() -> subprocess.Popen[bytes]:
    """One process of ours spinning on a core, for the busy runs."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def cli(code: Path | None) -> tuple[list[str], dict[str, str] | None]:
    """The `rota` command of this environment, or of the source tree `code` (and its env)."""
    if code is None:
        return ROTA, None
    env = {**os.environ, "PYTHONPATH": str(code)}
    # -P: no working directory on the path, which would otherwise win over PYTHONPATH
    return [sys.executable, "-P", "-c", "from rota.cli import main; main()"], env


def run_plan(scenario_path: Path, limit: float, workers: int, busy: bool,
             folder: Path, code: Path | None = None, deterministic: bool = False) -> dict[str, Any]:
    out = folder / "rota.json"
    report = folder / "report.json"
    out.unlink(missing_ok=True)
    command, env = cli(code)
    spin = spinner() if busy else None
    try:
        started = time.monotonic()
        done = subprocess.run([*command, "plan", str(scenario_path), "-o", str(out), "--time-limit",
                               f"{limit:g}", "--workers", str(workers), "--report", str(report),
                               *(["--deterministic"] if deterministic else [])],
                              capture_output=True, text=True, check=False, env=env)
        wall = time.monotonic() - started
    finally:
        if spin is not None:
            os.kill(spin.pid, signal.SIGTERM)
            spin.wait()
    row: dict[str, Any] = {"exit": done.returncode, "wall": round(wall, 1)}
    if done.returncode != 0 or not out.exists():
        row.update(shifts=0, error=done.stderr.strip()[-300:])
        return row
    row.update(figures(scenario_path, out))
    plan_report = json.loads(report.read_text())
    row.update(achieved=plan_report.get("achieved"), gap_stage=plan_report.get("gap_stage"),
               gap=plan_report.get("gap"), planning_s=plan_report.get("seconds"))
    return row


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="example,M,L", help="example, M, L (comma-separated)")
    parser.add_argument("--limits", default=LIMITS, help="seconds, comma-separated (L: 20,60 only)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size, limit and load (L: 1)")
    parser.add_argument("--loads", default="quiet,busy", help="quiet, busy (one core kept busy)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--compare", type=Path, help="a source tree of another version to run beside")
    parser.add_argument("--compare-limits", help="limits at which to run --compare (default: all)")
    parser.add_argument("--deterministic", action="store_true", help="plan with --deterministic")
    args = parser.parse_args()
    limits = [float(x) for x in args.limits.split(",")]
    compare_limits = ([float(x) for x in args.compare_limits.split(",")]
                      if args.compare_limits else limits)
    codes: list[tuple[str, Path | None]] = [("this", None)]
    if args.compare is not None:
        codes.append((args.compare.name, args.compare.resolve()))
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes.split(","):
            path = scenario_file(size, folder)
            bound = structural(path)
            base = {k: figures(path, None, k) for k in ("weekly", "office-hours")}
            sizes_limits = [x for x in limits if x in L_LIMITS] if size == "L" else limits
            runs = 1 if size == "L" else args.runs
            loads = ["quiet"] if size == "L" else args.loads.split(",")
            for limit in sizes_limits:
                for load in loads:
                    for n in range(runs):
                        for name, code in codes:
                            if code is not None and limit not in compare_limits:
                                continue
                            row = {"size": size, "limit": limit, "load": load, "run": n + 1,
                                   "code": name, "loadavg": load_average(), "structural": bound,
                                   "baselines": base}
                            row.update(run_plan(path, limit, args.workers, load == "busy", folder,
                                                code, args.deterministic))
                            rows.append(row)
                            print(json.dumps({k: v for k, v in row.items() if k != "baselines"}),
                                  file=sys.stderr, flush=True)
    mine = [r for r in rows if r["code"] == "this"]
    print_table(rows, args.workers, args.deterministic)
    if len(codes) > 1:
        print_comparison(rows, codes[1][0])
    print_targets(mine)
    if args.deterministic:
        print_monotone(mine)


def best_known(rows: list[dict[str, Any]], size: str) -> tuple[int, str]:
    recorded, command = BEST_KNOWN[size]
    ran = [r["uncovered"] for r in rows if r["size"] == size and r.get("violations") == 0
           and r.get("shifts") and r.get("code", "this") == "this"]
    if ran and min(ran) < recorded:
        return min(ran), "the best rota of this benchmark run"
    return recorded, command


def print_table(rows: list[dict[str, Any]], workers: int, deterministic: bool = False) -> None:
    flags = " --deterministic" if deterministic else ""
    print(f"\nrota plan --workers {workers}{flags}; minutes; violations by rota.violations; "
          "planning s is the plan's own `seconds` (the limit covers it), wall s the whole command; "
          "loadavg is the machine's 1/5/15-minute load average before the run")
    print("| size | limit s | load | run | code | shifts | P0 peak unc | all unc | structural "
          "(P0 peak / all) | best known | all / best | violations | achieved | planning s | wall s "
          "| loadavg |")
    print("|" + "---|" * 16)
    for r in rows:
        best, _ = best_known(rows, r["size"])
        ratio = f"{r['uncovered'] / best:.2f}" if r.get("shifts") and best else ""
        achieved = r.get("achieved") or r.get("error", "")
        if r.get("gap_stage"):
            achieved += f" ({r['gap_stage']} gap {r['gap']:.1%})" if r.get("gap") is not None \
                else f" ({r['gap_stage']})"
        print(f"| {r['size']} | {r['limit']:g} | {r['load']} | {r['run']} | {r['code']} | "
              f"{r.get('shifts', 0)} | {r.get('p0_peak_uncovered', '')} | {r.get('uncovered', '')} | "
              f"{r['structural']['p0_peak']} / {r['structural']['all']} | {best} | {ratio} | "
              f"{r.get('violations', '')} | {achieved} | {r.get('planning_s', '')} | {r['wall']} | "
              f"{r['loadavg']} |")
    print("\nbaselines (the same for every run of a size):")
    seen = set()
    for r in rows:
        if r["size"] in seen:
            continue
        seen.add(r["size"])
        for kind, b in r["baselines"].items():
            print(f"  {r['size']} {kind}: {b['shifts']} shifts, P0 peak uncovered "
                  f"{b['p0_peak_uncovered']} of {b['p0_peak_required']}, all uncovered "
                  f"{b['uncovered']}, {b['violations']} violations")
        best, command = best_known(rows, r["size"])
        print(f"  {r['size']} best known all-demand uncovered: {best} ({command})")


def print_comparison(rows: list[dict[str, Any]], other: str) -> None:
    """Median P0 peak and all-demand uncovered minutes of both versions, per size, limit, load."""
    print(f"\nthis version against {other} (medians over runs; minutes uncovered, P0 peak / all):")
    print(f"| size | limit s | load | runs | this | {other} |")
    print("|---|---|---|---|---|---|")
    keys = dict.fromkeys((r["size"], r["limit"], r["load"]) for r in rows if r["code"] == other)
    for size, limit, load in keys:
        cells = []
        for code in ("this", other):
            mine = [r for r in rows if (r["size"], r["limit"], r["load"], r["code"]) ==
                    (size, limit, load, code) and r.get("shifts")]
            cells.append(f"{statistics.median(r['p0_peak_uncovered'] for r in mine):g} / "
                         f"{statistics.median(r['uncovered'] for r in mine):g}" if mine else "-")
        runs = len([r for r in rows if (r["size"], r["limit"], r["load"], r["code"]) ==
                    (size, limit, load, other)])
        print(f"| {size} | {limit:g} | {load} | {runs} | {cells[0]} | {cells[1]} |")


def print_monotone(rows: list[dict[str, Any]]) -> None:
    """With --deterministic: per size, load and run, a longer limit never gives a worse rota."""
    ok = True
    for key in dict.fromkeys((r["size"], r["load"], r["run"]) for r in rows):
        mine = sorted((r for r in rows if (r["size"], r["load"], r["run"]) == key and r.get("shifts")),
                      key=lambda r: r["limit"])
        for a, b in zip(mine, mine[1:], strict=False):
            if (b["p0_peak_uncovered"], b["uncovered"]) > (a["p0_peak_uncovered"], a["uncovered"]):
                ok = False
                print(f"- {key[0]} {key[1]} run {key[2]}: {b['limit']:g} s worse than {a['limit']:g} s")
    print(f"- with --deterministic, more time never worse: {'met' if ok else 'NOT met'}")


def print_targets(rows: list[dict[str, Any]]) -> None:
    """The issue's targets, each with whether this run meets it."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print("\ntargets:")
    planned = [r for r in rows if r.get("shifts")]
    print(f"- never a rota with no shifts: {verdict(len(planned) == len(rows))}")
    print(f"- never a rule violation: {verdict(all(r.get('violations') == 0 for r in planned))}")
    for size in dict.fromkeys(r["size"] for r in rows):
        mine = [r for r in planned if r["size"] == size]
        if not mine:
            continue
        base = mine[0]["baselines"]
        abiding = [b["p0_peak_uncovered"] for b in base.values() if b["violations"] == 0]
        from5 = [r for r in mine if r["limit"] >= 5]
        if abiding and from5:
            ok = all(r["p0_peak_uncovered"] <= min(abiding) for r in from5)
            print(f"- {size}, from 5 s: P0 peak at least the best rule-abiding baseline's: {verdict(ok)}")
        elif from5:
            print(f"- {size}, from 5 s: no baseline keeps the rules (both break them); nothing to compare")
        at10 = [r for r in mine if r["limit"] == 10]
        if at10 and size in ("example", "M"):
            cap = at10[0]["structural"]["p0_peak"] + 0.02 * at10[0]["p0_peak_required"]
            worst = max(r["p0_peak_uncovered"] for r in at10)
            print(f"- {size}, 10 s: P0 peak uncovered <= structural + 2% of required ({cap:.0f}): "
                  f"worst {worst}: {verdict(worst <= cap)}")
        best, _ = best_known(rows, size)
        busy60 = [r for r in mine if r["limit"] == 60 and r["load"] == "busy"]
        if busy60 and size == "example":
            worst = max(r["uncovered"] for r in busy60)
            print(f"- {size}, 60 s busy: all-demand uncovered <= 1.25 x best known ({1.25 * best:.0f}):"
                  f" worst {worst}: {verdict(worst <= 1.25 * best)}")
        for load in ("quiet", "busy"):
            at60 = [r["uncovered"] for r in mine if r["limit"] == 60 and r["load"] == load]
            if len(at60) > 1:
                spread = (max(at60) - min(at60)) / best
                print(f"- {size}, 60 s {load}: spread across runs {spread:.1%} of best known "
                      f"(<= 15%): {verdict(spread <= 0.15)}; median {statistics.median(at60):g}")


if __name__ == "__main__":
    main()
