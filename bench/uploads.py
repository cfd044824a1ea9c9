"""Benchmark: hostile and huge uploads against a real `rota serve`, and `/healthz` meanwhile.

Run: `python bench/uploads.py [--database-url URL]` (default: a fresh SQLite file).

Stores the 40-engineer team of `bench/api.py` with its rota, starts `rota serve`, and uploads, one
after the other: the recurrence bombs of issue 11 (a 291-byte `FREQ=HOURLY` from year 1; `DAILY`
with every hour, minute and second; a rule whose filter never matches), a 7 MiB YAML scenario of
2,000 engineers (past the YAML limit: 413), a 2 MiB YAML one of 520 engineers, the 2,000-engineer
one as JSON (7.5 MiB), an 8 MiB CSV rota (140,000 rows) and a JSON rota of 92,160 shifts (7.7 MiB).
During each upload a second client asks `/healthz` every 20 ms; first, for comparison, it does so
for 5 s with nothing else to do.

Prints per upload: its size, status, seconds to the answer, CPU seconds the server and its upload
process used meanwhile (steadier than the seconds on a shared machine), the server's resident
memory after it and its peak so far (from /proc), and the slowest `/healthz` answer meanwhile; and
the load average before and after. Targets (issue 11): every upload within the limits answered
in under 2 s (calendars also within 200 MB), `/healthz` within 100 ms throughout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
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

    def team_of(size: int) -> dict[str, Any]:
        """`size` engineers (the first 40 those of the rota), each with 50 half-days of leave."""
        return {**scenario, "engineers": [
            {**e, **({} if i < 40 else {"id": f"e{i:04d}", "name": f"Engineer {i}"}),
             "unavailable": [
                 {"start": f"2026-{1 + d // 28:02d}-{1 + d % 28:02d}",
                  "end": f"2026-{1 + d // 28:02d}-{1 + d % 28:02d}T12:00:00Z",
                  "reason": "leave"} for d in range(0, 300, 6)]}
            for i, e in enumerate(scenario["engineers"] * (size // 40))]}

    start = dt.datetime.fromisoformat(scenario["horizon"]["start"])
    rows = ["engineer,start,end"]
    while len(rows) * 60 < 8 * 1024 * 1024 - 4096:
        at = start + dt.timedelta(minutes=15 * (len(rows) % 2600))
        rows.append(f"eng-{len(rows) % 40:02d},{at:%Y-%m-%dT%H:%M:%SZ},"
                    f"{at + dt.timedelta(minutes=15):%Y-%m-%dT%H:%M:%SZ}")
    shifts = [{"engineer": f"eng-{i % 40:02d}",
               "start": f"{start + dt.timedelta(minutes=15 * (i // 40)):%Y-%m-%dT%H:%M:%SZ}",
               "end": f"{start + dt.timedelta(minutes=15 * (i // 40 + 1)):%Y-%m-%dT%H:%M:%SZ}"}
              for i in range(40 * 4 * 24 * 24)]
    big = team_of(2000)
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
        ("YAML scenario, 520 engineers", "PUT", "/v1/teams/bench",
         yaml.safe_dump(team_of(520)).encode()),
        ("JSON scenario, 2,000 engineers", "PUT", "/v1/teams/bench",
         json.dumps(big).encode()),
        ("CSV rota, 140,000 rows", "PUT", "/v1/teams/bench/rota", "\n".join(rows).encode()),
        ("JSON rota, 92,160 shifts", "PUT", "/v1/teams/bench/rota",
         json.dumps({"team": "bench", "horizon": scenario["horizon"], "shifts": shifts}).encode()),
    ]


def _media(path: str, body: bytes) -> str:
    if body.startswith(b"{"):
        return "application/json"
    if path.endswith("/bench"):
        return "application/yaml"
    return "text/calendar" if body.startswith(b"BEGIN:VCALENDAR") else "text/csv"


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used by the process `pid` and its live children (the upload process)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


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
        time.sleep(3)  # the upload process starts with the server
        print(f"load average at start: {os.getloadavg()[0]:.2f}")
        print(f"{'upload':42} {'MiB':>5} {'status':>6} {'seconds':>8} {'CPU s':>6} {'RSS MB':>7} "
              f"{'peak MB':>8} {'healthz max ms':>15}")
        rss, peak = _memory_mb(server.pid)
        print(f"{'(before)':42} {'':>5} {'':>6} {'':>8} {'':>6} {rss:7.0f} {peak:8.0f}")
        for label, method, path, body in [("(idle: /healthz alone for 5 s)", "", "", b""),
                                          *_uploads(scenario)]:
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
            began, cpu = time.perf_counter(), _cpu_seconds(server.pid)
            if method:
                status = str(httpx.request(method, base + path, content=body, timeout=300,
                                           headers={**headers,
                                                    "Content-Type": _media(path, body)}).status_code)
            else:
                time.sleep(5)
                status = ""
            seconds = time.perf_counter() - began
            cpu = _cpu_seconds(server.pid) - cpu
            done.set()
            prober.join()
            rss, peak = _memory_mb(server.pid)
            print(f"{label:42} {len(body) / 2**20:5.2f} {status:>6} {seconds:8.2f} {cpu:6.2f} "
                  f"{rss:7.0f} {peak:8.0f} {slowest[0]:15.1f}")
        print(f"load average at end: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
