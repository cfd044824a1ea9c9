"""Benchmark: a plan's memory limit (`rota.jobs.memory`) on real solves.

Run: `python bench/memory.py [--size S] [--limits 0,64,128] [--threads 1] [--seconds 10]`.

For each limit (MiB; 0 = none), in a fresh process: a seeded team of bench/solver.py's size in a
fresh SQLite store, one plan run as a worker runs it (`rota.jobs.solve.PlanRun` with rota's
planner and that memory limit). Prints how the plan ended, the process' resident memory when
the plan started, its peak (VmHWM) and the peak's growth over the start (what the limit bounds),
how far past the limit that went, and the wall time. A benchmark, not a test: figures depend on
the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(size: str, limit: float, threads: int, seconds: float) -> dict[str, object]:
    import solver as solver_bench

    import rota.planner  # noqa: F401  (imported before the baseline, as in a worker that has planned before)
    from rota.jobs.solve import PlanRun, door_planner
    from rota.store import Store
    from rota.validation import parse_scenario

    work = Path(tempfile.mkdtemp(prefix="rota-memory-"))
    store = Store.open(f"sqlite:///{work / 'store.db'}")
    scenario = parse_scenario(solver_bench.make_team(size))
    store.teams.put_scenario(scenario)
    record = store.plans.create(scenario.team, {"time_limit_seconds": seconds})
    start_mb = _status_mb("VmRSS")
    began = time.monotonic()
    PlanRun(store, door_planner, threads, memory_limit_mb=limit)(record.id)
    ended = store.plans.by_id(record.id)
    assert ended is not None
    peak_mb = _status_mb("VmHWM")
    store.close()
    return {"limit": limit, "status": ended.status, "reason": ended.reason,
            "kept_rota": ended.result is not None, "start_mb": start_mb, "peak_mb": peak_mb,
            "growth_mb": peak_mb - start_mb, "seconds": time.monotonic() - began}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="S", choices=["S", "M", "L"])
    parser.add_argument("--limits", default="0,64,128", help="MiB, comma-separated; 0: no limit")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="the plan's time limit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.size, float(args.child), args.threads, args.seconds)))
        return
    print(f"size {args.size}, {args.threads} solver thread(s), time limit {args.seconds:g} s; "
          f"load average {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"{'limit MiB':>9} {'status':>9} {'rota kept':>9} {'start MiB':>9} {'peak MiB':>8} "
          f"{'growth MiB':>10} {'past limit':>10} {'wall s':>7}  reason")
    for limit in [float(x) for x in args.limits.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--size", args.size, "--threads",
                              str(args.threads), "--seconds", str(args.seconds), "--child", str(limit)],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        past = f"{row['growth_mb'] - limit:+.0f}" if limit else "-"
        print(f"{limit:9g} {row['status']:>9} {str(row['kept_rota']):>9} {row['start_mb']:9.0f} "
              f"{row['peak_mb']:8.0f} {row['growth_mb']:10.0f} {past:>10} {row['seconds']:7.1f}  "
              f"{row['reason'] or ''}")


if __name__ == "__main__":
    main()
