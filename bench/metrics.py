"""Benchmark: `GET /metrics` of 50 teams of 40 engineers (target: under 50 ms a scrape once warm).

Run: `python bench/metrics.py [--teams N] [--scrapes N] [--database-url URL]`.

Stores N teams (each 40 engineers in 8 zones, 4 regions with an evening P0 peak and a P2
off-peak, 28 days containing today, each engineer on call 09:00-17:00 local on weekdays) in a
fresh SQLite file (or the PostgreSQL database given, emptied first), starts `rota serve` on it and
scrapes `/metrics` over 127.0.0.1 with a read token: the first scrape (which builds every team's
index and look-ahead), then `--scrapes` more, one every `--interval` seconds (Prometheus' default
is 15 s; 1 s crosses several minute boundaries, where the figures move to the minute computed
ahead). Prints the cold scrape, the warm median, p95 and maximum, and the size of the answer.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ZONES = ["Asia/Shanghai", "Asia/Kolkata", "Europe/Berlin", "Europe/London", "America/New_York",
         "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney"]
REGIONS = [("apac", "Asia/Singapore"), ("eu", "Europe/London"), ("us", "America/New_York"),
           ("latam", "America/Sao_Paulo")]


def make_scenario(team: str, start: dt.date) -> dict:
    engineers = [{"id": f"eng-{i:02d}", "timezone": ZONES[i % len(ZONES)],
                  "regions": [REGIONS[(i + k) % len(REGIONS)][0] for k in range(3)]}
                 for i in range(40)]
    regions = [{"id": rid, "timezone": zone, "peak_windows": [{"start": "19:00", "end": "23:00"}],
                "peak": {"severity": "P0", "responders": 2},
                "off_peak": {"severity": "P2", "responders": 1}} for rid, zone in REGIONS]
    return {"team": team, "horizon": {"start": start.isoformat(), "days": 28},
            "regions": regions, "engineers": engineers}


def scrape(url: str, token: str) -> tuple[float, int]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        body = answer.read()
    return (time.perf_counter() - began) * 1000, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--scrapes", type=int, default=150)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between scrapes")
    parser.add_argument("--database-url", help="default: a fresh SQLite file; PostgreSQL is emptied first")
    args = parser.parse_args()

    from bench.api import free_port, make_rota, wait_ready
    from rota.rotafile import parse_rota
    from rota.store import Store
    from rota.validation import parse_scenario

    work = Path(tempfile.mkdtemp(prefix="rota-bench-metrics-"))
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    if url.startswith("postgresql"):
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.begin() as db:
            db.execute(sa.text("DROP SCHEMA public CASCADE"))
            db.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)
    store = Store.open(url)
    for n in range(args.teams):
        raw = make_scenario(f"team-{n:02d}", start)
        scenario = parse_scenario(raw)
        store.teams.put_scenario(scenario)
        store.teams.publish(parse_rota(make_rota(raw), scenario), "bench")
    token, _ = store.tokens.create("read")
    store.close()

    port = free_port()
    env = {**os.environ, "ROTA_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", "from rota.cli import main; main()", "serve",
                               "--port", str(port)], env=env, cwd=work,
                              stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz")
        target = f"http://127.0.0.1:{port}/metrics"
        cold, size = scrape(target, token)
        time.sleep(args.interval)
        warm = []
        for _ in range(args.scrapes):
            warm.append(scrape(target, token)[0])
            time.sleep(args.interval)
        warm.sort()
    finally:
        server.terminate()
        server.wait(10)
    p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))]
    print(f"{args.teams} teams x 40 engineers, 4 regions, 28 days; {url.split(':', 1)[0]} store")
    print(f"/metrics answer: {size:,} bytes")
    print(f"first scrape (builds every index and look-ahead): {cold:.0f} ms")
    print(f"warm, {len(warm)} scrapes {args.interval:g} s apart: median {statistics.median(warm):.1f} ms, "
          f"p95 {p95:.1f} ms, max {warm[-1]:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
