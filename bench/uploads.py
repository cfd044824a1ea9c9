"""Benchmark: hostile and huge uploads against a real `rota serve`, and `/healthz` meanwhile.

Run: `python bench/uploads.py [--database-url URL]` (default: a fresh SQLite file).

Stores the 40-engineer team of `bench/api.py` with its rota, starts `rota serve`, and uploads, one
after the other: the recurrence bombs of issue 11 (a 291-byte `FREQ=HOURLY` from year 1; `DAILY`
with every hour, minute and second; a rule whose filter never matches), a 7 MiB YAML scenario and
an 8 MiB CSV rota. During each upload a second client asks `/healthz` every 20 ms.

Prints per upload: status, seconds to the answer, the server's resident memory after it and its
peak so far (from /proc), and the slowest `/healthz` answer meanwhile. Targets (issue 11): every
calendar answered in under 2 s and 200 MB, `/healthz` within 100 ms throughout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
_spec = importlib.util.spec_from_file_location("bench_api", HERE / "api.py")
assert _spec is not None and _spec.loader is not None
bench_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_api)  # bench/api.py: the team, its rota, ports, readiness


def _calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "BEGIN:VEVENT",
            "UID:bomb@example.com", *lines, "SUMMARY:Engineer 1", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


def _uploads(scenario: dict[str, Any]) -> list[tuple[str, str, str, bytes]]:
    every = ",".join
    big = dict(scenario)
    big["engineers"] = [
        {**e, "id": f"e{i:04d}", "name": f"Engineer {i}", "unavailable": [
            {"start": f"2026-{1 + d // 28:02d}-{1 + d % 28:02d}",
             "end": f"2026-{1 + d // 28:02d}-{1 + d % 28:02d}T12:00:00Z",
             "reason": "leave"} for d in range(0, 300, 6)]}
        for i, e in enumerate(scenario["engineers"] * 50)]
    start = dt.datetime.fromisoformat(scenario["horizon"]["start"])
    rows = ["engineer,start,end"]
    while len(rows) * 60 < 8 * 1024 * 1024 - 4096:
        at = start + dt.timedelta(minutes=15 * (len(rows) % 2600))
        rows.append(f"eng-{len(rows) % 40:02d},{at:%Y-%m-%dT%H:%M:%SZ},"
                    f"{at + dt.timedelta(minutes=15):%Y-%m-%dT%H:%M:%SZ}")
    return [
        ("iCal FREQ=HOURLY from year 1 (291 bytes)", "PUT", "/v1/teams/bench/rota",
         _calendar("DTSTART:00010101T000000Z", "DTEND:00010101T003000Z", "RRULE:FREQ=HOURLY")),
        ("iCal DAILY, every hour, minute and second", "PUT", "/v1/teams/bench/rota",
         _calendar("DTSTART:00010101T000000Z", "DTEND:00010101T000001Z",
                   "RRULE:FREQ=DAILY;BYHOUR=" + every(map(str, range(24))) + ";BYMINUTE="
                   + every(map(str, range(60))) + ";BYSECOND=" + every(map(str, range(60))))),
        ("iCal filter that never matches", "PUT", "/v1/teams/bench/rota",
         _calendar("DTSTART:20260101T000000Z", "DTEND:20260101T003000Z",
                   "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30")),
        ("YAML scenario, 2,000 engineers", "PUT", "/v1/teams/bench",
         yaml.safe_dump(big).encode()),
        ("CSV rota, 8 MiB", "PUT", "/v1/teams/bench/rota", "\n".join(rows).encode()),
    ]


def _media(path: str, body: bytes) -> str:
    if path.endswith("/bench"):
        return "application/yaml"
    return "text/calendar" if body.startswith(b"BEGIN:VCALENDAR") else "text/csv"


def _memory_mb(pid: int) -> tuple[float, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the uploads whose label holds TEXT (repeatable)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rota-uploads-"))
    url = args.database_url or f"sqlite:///{workdir / 'uploads.db'}"
    today = dt.datetime.now(dt.UTC).date()
    scenario = bench_api.make_scenario(today - dt.timedelta(days=today.weekday()))
    rota = bench_api.make_rota(scenario)

    from rota.rotafile import parse_rota
    from rota.store import Store
    from rota.validation import parse_scenario

    store = Store.open(url)
    parsed = parse_scenario(scenario)
    store.teams.put_scenario(parsed)
    store.teams.publish(parse_rota(rota, parsed), "bench")
    token = store.tokens.create("admin", ["bench"], label="uploads")[0]
    store.close()

    port = bench_api.free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "rota"), "serve", "--port",
                               str(port)], env={**os.environ, "ROTA_DATABASE_URL": url},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        bench_api.wait_ready(base + "/healthz")
        print(f"{'upload':45} {'status':>6} {'seconds':>8} {'RSS MB':>7} {'peak MB':>8} "
              f"{'healthz max ms':>15}")
        rss, peak = _memory_mb(server.pid)
        print(f"{'(before)':45} {'':>6} {'':>8} {rss:7.0f} {peak:8.0f}")
        for label, method, path, body in _uploads(scenario):
            if args.only and not any(text.lower() in label.lower() for text in args.only):
                continue
            slowest = [0.0]
            done = threading.Event()

            def probe(slowest: list[float] = slowest, done: threading.Event = done) -> None:
                with httpx.Client(base_url=base, timeout=30) as client:
                    while not done.is_set():
                        began = time.perf_counter()
                        client.get("/healthz")
                        slowest[0] = max(slowest[0], (time.perf_counter() - began) * 1000)
                        time.sleep(0.02)

            prober = threading.Thread(target=probe)
            prober.start()
            began = time.perf_counter()
            got = httpx.request(method, base + path, content=body, timeout=300,
                                headers={**headers, "Content-Type": _media(path, body)})
            seconds = time.perf_counter() - began
            done.set()
            prober.join()
            rss, peak = _memory_mb(server.pid)
            print(f"{label:45} {got.status_code:>6} {seconds:8.2f} {rss:7.0f} {peak:8.0f} "
                  f"{slowest[0]:15.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
