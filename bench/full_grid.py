"""Check the planner's grid against the full grid: does thinning cost any coverage?

    python bench/full_grid.py                 # M benchmark team, 400 s for the full grid
    python bench/full_grid.py --size S --time-limit 60

Plans the same seeded team twice, each in its own subprocess: once as `rota plan` does (a thinned
grid, plus every shift the rules allow at tight spots and for the peak proof), once offering every
shift the rules allow everywhere (every start step, lengths in whole steps: about 170,000 candidates
on M). The full grid run lifts the memory guard on CP-SAT workers (8 workers on M peak near 8 GB),
so it is a check, not a way to plan. When both runs prove their coverage stages optimal, equal
values mean the thinned grid lost nothing. Prints one row per run; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from solver import make_team  # noqa: E402


def run(size: str, grid: str, limit: float, workers: int) -> dict[str, Any]:
    import rota.planner as planner
    import rota.planner.gathering as gathering
    from rota.planner import PlanOptions, plan
    from rota.planner.candidates import FULL_GRID
    from rota.validation import parse_scenario

    if grid == "full":
        gathering.candidate_policy = lambda scenario: FULL_GRID  # type: ignore[assignment]
        planner.PLANNER_CANDIDATE_WORKERS = 10**9  # type: ignore[misc]
    result = plan(parse_scenario(make_team(size)), PlanOptions(time_limit_seconds=limit, workers=workers))
    stages = {s["term"]: s for s in result.report["stages"]}
    return {
        "size": size, "grid": grid, "candidates": result.report["model"]["candidates"],
        "peak": _stage(stages.get("peak_uncovered")), "uncovered": _stage(stages.get("uncovered")),
        "uncovered_minutes": result.report["uncovered_minutes"],
        "structural_minutes": result.report["structural_minutes"],
        "seconds": result.report["seconds"],
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _stage(stage: dict[str, Any] | None) -> str:
    if stage is None:
        return "-"
    return f"{stage['value']:g} ({stage['status']}, bound {stage['bound']:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--time-limit", type=float, default=400.0, help="for the full grid")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--child", nargs=2, metavar=("GRID", "LIMIT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        grid, limit = args.child
        print(json.dumps(run(args.size, grid, float(limit), args.workers)))
        return
    print("| grid | candidates | peak_uncovered | uncovered | uncovered min | structural min | s | peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for grid, limit in (("planner", 60.0), ("full", args.time_limit)):
        done = subprocess.run(
            [sys.executable, __file__, "--size", args.size, "--workers", str(args.workers),
             "--child", grid, str(limit)], capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {row['grid']} | {row['candidates']} | {row['peak']} | {row['uncovered']} | "
              f"{row['uncovered_minutes']} | {row['structural_minutes']} | {row['seconds']} | "
              f"{row['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
