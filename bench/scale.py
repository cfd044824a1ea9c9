"""Benchmark: plans through procrastinate while `now` is driven at 200 req/s, with a worker SIGKILLed.

Run: `python bench/scale.py --database-url postgresql+psycopg://rota:rota@127.0.0.1/DB`
(the database is emptied first) `[--teams 20] [--plans-per-team 2] [--limit 10] [--idle-seconds 20]`.

1. Stores 20 S-size teams (`bench/solver.py`'s seeded teams: 10 engineers, 3 regions, 7 days) and
   the `now` team of `bench/api.py` with its rota published.
2. Starts `rota serve --workers 2` (two API processes on one port) and, from another process,
   drives `GET /now` at 200 req/s for `--idle-seconds` with no plan running: the idle figures.
3. Starts two `rota worker`s (one solver thread each, nice 10, heartbeats every 2 s, a worker lost
   after 6 s, checked every 2 s) and drives `now` again for the whole run while 40 plans are queued:
   each team's first plan at once, its second when the first has ended (one per team and horizon).
4. When half the plans have ended it SIGKILLs the worker that is solving, and keeps going.

Prints plans done, failed and retried, the drain time (first POST to last plan ended), `now`
p50/p99 and errors idle and while plans run, and the workers' peak memory. Targets (issue 13): 0
lost plans, 0 errors, `now` p99 < 20 ms while plans run and within 2x its idle p99. A benchmark, not
a test: figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import solver as solver_bench  # noqa: E402  (bench/solver.py: seeded S-size teams)

import api as now_bench  # noqa: E402  (bench/api.py: the `now` team, the HTTP client)

RATE = 200.0


# --- the `now` driver (its own process) ----------------------------------------------------------

async def _drive(port: int, path: str, token: str, stop_file: Path, seconds: float) -> dict[str, Any]:
    request = now_bench._request(path, token)
    pool = [await now_bench._open(port) for _ in range(8)]
    free: asyncio.Queue[Any] = asyncio.Queue()
    for conn in pool:
        free.put_nowait(conn)
    latencies: list[float] = []
    errors = 0

    async def one(due: float) -> None:
        nonlocal errors
        reader, writer = await free.get()
        try:
            if await now_bench._get(reader, writer, request) != 200:
                errors += 1
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
            reader, writer = await now_bench._open(port)
        latencies.append((time.perf_counter() - due) * 1000)
        free.put_nowait((reader, writer))

    start = time.perf_counter()
    tasks = []
    i = 0
    while time.perf_counter() - start < seconds and not stop_file.exists():
        due = start + i / RATE
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
        i += 1
    await asyncio.gather(*tasks)
    return {"latencies": latencies, "errors": errors}


def drive(config: dict[str, Any]) -> None:
    result = asyncio.run(_drive(config["port"], config["path"], config["token"],
                                Path(config["stop_file"]), config["seconds"]))
    Path(config["out"]).write_text(json.dumps(result))


# --- orchestration -------------------------------------------------------------------------------

def _http(method: str, url: str, token: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _figures(result: dict[str, Any]) -> str:
    lat = sorted(result["latencies"])
    if not lat:
        return "no requests"
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    return (f"{len(lat)} requests, p50 {statistics.median(lat):.2f} ms, p99 {p99:.2f} ms, "
            f"errors {result['errors']}")


class Scale:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="rota-scale-"))
        self.env = {**os.environ, "ROTA_DATABASE_URL": args.database_url,
                    "PYTHONPATH": str(ROOT), "ROTA_REVISION_CHECK_SECONDS": "0"}
        self.port = now_bench.free_port()
        self.processes: list[subprocess.Popen[bytes]] = []

    def prepare(self) -> tuple[str, list[str]]:
        import sqlalchemy as sa

        from rota.rotafile import parse_rota
        from rota.store import Store
        from rota.validation import parse_scenario

        engine = sa.create_engine(self.args.database_url)
        with engine.begin() as db:
            db.execute(sa.text("DROP SCHEMA public CASCADE"))
            db.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        store = Store.open(self.args.database_url)
        teams = []
        for i in range(self.args.teams):
            team = solver_bench.make_team("S", seed=i + 1)
            team["team"] = f"scale-{i:02d}"
            store.teams.put_scenario(parse_scenario(team))
            teams.append(team["team"])
        today = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
        scenario = parse_scenario(now_bench.make_scenario(today))
        store.teams.put_scenario(scenario)
        store.teams.publish(parse_rota(now_bench.make_rota(now_bench.make_scenario(today)), scenario),
                            "bench")
        token, _ = store.tokens.create("admin", None, "scale bench")
        store.close()
        return token, teams

    def start(self, *command: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-c", "from rota.cli import main; main()",
                                    *command], env=self.env, cwd=self.work,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def driver(self, token: str, seconds: float, name: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
        out, stop = self.work / f"{name}.json", self.work / f"{name}.stop"
        config = {"port": self.port, "path": "/v1/teams/bench/now?region=eu", "token": token,
                  "stop_file": str(stop), "seconds": seconds, "out": str(out)}
        process = subprocess.Popen([sys.executable, __file__, "--drive", json.dumps(config)])
        return process, out, stop

    def run(self) -> None:
        token, teams = self.prepare()
        self.start("serve", "--port", str(self.port), "--workers", "2")
        now_bench.wait_ready(f"http://127.0.0.1:{self.port}/healthz")
        base = f"http://127.0.0.1:{self.port}/v1/teams"
        for _ in range(50):  # warm both processes' `now` index
            _http("GET", f"{base}/bench/now?region=eu", token)
        idle, idle_out, _ = self.driver(token, self.args.idle_seconds, "idle")
        idle.wait()
        worker_args = ["worker", "--solver-threads", "1", "--heartbeat-seconds", "2",
                       "--stalled-seconds", "6", "--check-seconds", "2"]
        workers = [self.start(*worker_args), self.start(*worker_args)]
        busy, busy_out, busy_stop = self.driver(token, 3600, "busy")
        began = time.monotonic()
        ended, killed, peaks = self.queue_plans(base, token, teams, workers)
        drain = time.monotonic() - began
        busy_stop.touch()
        busy.wait()
        self.report(ended, drain, killed, peaks, json.loads(idle_out.read_text()),
                    json.loads(busy_out.read_text()))

    def queue_plans(self, base: str, token: str, teams: list[str],
                    workers: list[subprocess.Popen[bytes]]) -> tuple[dict[str, Any], int | None, list[float]]:
        """Each team's plans in turn; SIGKILL the solving worker when half have ended."""
        left = {team: self.args.plans_per_team for team in teams}
        active: dict[str, str] = {}
        ended: dict[str, Any] = {}
        total = len(teams) * self.args.plans_per_team
        killed: int | None = None
        peaks: list[float] = []
        while len(ended) < total:
            for team in teams:
                if team not in active and left[team]:
                    status, body = _http("POST", f"{base}/{team}/plans", token,
                                         {"time_limit_seconds": self.args.limit})
                    if status != 202:
                        raise SystemExit(f"POST plan for {team}: {status} {body}")
                    active[team], left[team] = body["id"], left[team] - 1
            for team, plan_id in list(active.items()):
                _, plan = _http("GET", f"{base}/{team}/plans/{plan_id}", token)
                if plan["status"] not in ("queued", "running"):
                    ended[plan_id] = plan
                    del active[team]
                elif killed is None and len(ended) >= total // 2 and plan["status"] == "running":
                    victim = next(w for w in workers if w.pid == _worker_pid(plan))
                    peaks.append(_vm_hwm_mb(victim.pid))
                    victim.send_signal(signal.SIGKILL)
                    killed = victim.pid
                    print(f"SIGKILLed worker {victim.pid} solving plan {plan_id} of {team} "
                          f"after {len(ended)} plans ended", flush=True)
            time.sleep(0.5)
        peaks += [_vm_hwm_mb(w.pid) for w in workers if w.poll() is None]
        return ended, killed, peaks

    def report(self, ended: dict[str, Any], drain: float, killed: int | None, peaks: list[float],
               idle: dict[str, Any], busy: dict[str, Any]) -> None:
        statuses = [p["status"] for p in ended.values()]
        retried = [p for p in ended.values() if p["retried"]]
        print(f"plans: {len(ended)} ended: {statuses.count('done')} done, "
              f"{statuses.count('failed')} failed, {len(retried)} retried "
              f"(worker {killed} SIGKILLed midway); reasons of failures: "
              f"{sorted({p['reason'] for p in ended.values() if p['status'] == 'failed'})}")
        solve = [p["progress"]["elapsed_seconds"] for p in ended.values() if p.get("progress")]
        print(f"queue drain: {drain:.1f} s for {len(ended)} plans ({self.args.limit:g} s limits, "
              f"median solve {statistics.median(solve) if solve else 0:.1f} s), 2 workers x 1 thread")
        print(f"now idle      (2 API processes, no plans): {_figures(idle)}")
        print(f"now with plans running:                    {_figures(busy)}")
        print(f"workers' peak memory (VmHWM): {', '.join(f'{p:.0f} MB' for p in peaks)}")

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def _worker_pid(plan: dict[str, Any]) -> int:
    starts = [e for e in plan["events"] if e["event"].startswith(("started", "retried"))]
    return int(starts[-1]["by"].rsplit(":", 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("ROTA_TEST_POSTGRES_URL"))
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--plans-per-team", type=int, default=2)
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(json.loads(args.drive))
        return
    if not args.database_url or not args.database_url.startswith("postgresql"):
        raise SystemExit("give --database-url postgresql+psycopg://... (it is emptied first)")
    scale = Scale(args)
    try:
        scale.run()
    finally:
        scale.close()


if __name__ == "__main__":
    main()
