"""Load benchmark: `now` at a fixed rate from several client processes while versions are published
and overrides added, against a real `rota serve`.

Run: `python bench/load.py [--database-url URL] [--rate 200] [--seconds 20] [--clients 4]
[--publish-every 1.0] [--override-every 1.0]` (default store: a fresh SQLite file; for PostgreSQL
pass `postgresql+psycopg://...` of an empty database you can spare: its schema is dropped first).

1. Stores the 40-engineer team of `bench/api.py` and its rota as version 1; makes tokens.
2. Starts `rota serve` on that store (a subprocess).
3. `--clients` processes each ask `GET /v1/teams/bench/now?at=T` at `rate / clients` requests per
   second (one keep-alive connection each; latency measured from each request's scheduled time,
   so a slow answer also delays the ones after it), for `--seconds`.
4. Meanwhile this process publishes a rota every `--publish-every` seconds, alternating two
   variants that put different engineers on call at T, and adds an override every
   `--override-every` seconds (days away from T, so it cannot change the answer at T).
5. Checks every answer against the variant published as the version it names: an answer whose
   responders are not that version's is inconsistent (a torn or mixed read).

Prints throughput, p50/p99/max latency, errors (target 0) and inconsistent answers (target 0).
Targets: p99 < 20 ms at 200 req/s with a publish every second. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
_spec = importlib.util.spec_from_file_location("bench_api", HERE / "api.py")
assert _spec is not None and _spec.loader is not None
bench_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_api)  # bench/api.py: the team, its rota, ports, readiness
free_port, make_rota = bench_api.free_port, bench_api.make_rota
make_scenario, wait_ready = bench_api.make_scenario, bench_api.wait_ready


def _shifted(rota: dict[str, Any], hours: int) -> dict[str, Any]:
    """The same rota with every shift moved by `hours` (so other engineers are on call at T)."""
    def move(stamp: str) -> str:
        at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) + dt.timedelta(hours=hours)
        return at.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {**rota, "shifts": [{**s, "start": move(s["start"]), "end": move(s["end"])}
                               for s in rota["shifts"]]}


def _prepare(url: str, scenario: dict[str, Any], rota: dict[str, Any]) -> dict[str, str]:
    import sqlalchemy as sa

    from rota.rotafile import parse_rota
    from rota.store import Store
    from rota.validation import parse_scenario

    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as db:
            db.execute(sa.text("DROP SCHEMA public CASCADE"))
            db.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    store = Store.open(url)
    parsed = parse_scenario(scenario)
    store.teams.put_scenario(parsed)
    store.teams.publish(parse_rota(rota, parsed), "bench")
    tokens = {scope: store.tokens.create(scope, ["bench"], label=f"load-{scope}")[0]
              for scope in ("read", "plan")}
    store.close()
    return tokens


def _client(url: str, token: str, rate: float, seconds: float, at: str, start: float,
            results: Any) -> None:
    """One client process: paced `now` requests; sends back latencies, errors, versions seen."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    seen: Counter[tuple[int, str]] = Counter()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
        n = 0
        while True:
            due = start + n / rate
            if due - start >= seconds:
                break
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                got = client.get("/v1/teams/bench/now", params={"at": at})
                latencies.append((time.time() - due) * 1000)
                if got.status_code != 200:
                    errors[f"HTTP {got.status_code}"] += 1
                else:
                    answer = got.json()
                    who = json.dumps([[r["engineer"] for r in region["responders"]]
                                      for region in answer["regions"]])
                    seen[(answer["rota_version"], who)] += 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
            n += 1
    results.put((latencies, dict(errors), dict(seen)))


def _writer(url: str, token: str, rota_a: dict[str, Any], rota_b: dict[str, Any],
            publish_every: float, override_every: float, until: float, far: dt.datetime,
            published: dict[int, str], counts: Counter[str]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    next_publish = next_override = time.time()
    n = 0
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        while time.time() < until:
            now = time.time()
            if now >= next_publish:
                variant = "B" if counts["publishes"] % 2 == 0 else "A"
                got = client.put("/v1/teams/bench/rota",
                                 json=rota_b if variant == "B" else rota_a)
                if got.status_code == 201:
                    published[got.json()["version"]] = variant
                    counts["publishes"] += 1
                else:
                    counts[f"publish HTTP {got.status_code}"] += 1
                next_publish += publish_every
            if now >= next_override:
                start = far + dt.timedelta(minutes=15 * n)
                got = client.post("/v1/teams/bench/overrides", json={
                    "engineer": "eng-00", "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "end": (start + dt.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "reason": f"load {n}"})
                counts["overrides" if got.status_code == 201
                       else f"override HTTP {got.status_code}"] += 1
                n += 1
                next_override += override_every
            time.sleep(max(0.0, min(next_publish, next_override, until) - time.time()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--publish-every", type=float, default=1.0)
    parser.add_argument("--override-every", type=float, default=1.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="rota-load-"))
    url = args.database_url or f"sqlite:///{workdir / 'load.db'}"
    today = dt.datetime.now(dt.UTC).date()
    scenario = make_scenario(today - dt.timedelta(days=today.weekday()))
    rota_a = make_rota(scenario)
    rota_b = _shifted(rota_a, 4)
    monday = dt.date.fromisoformat(scenario["horizon"]["start"])
    at = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(12), dt.UTC)
    tokens = _prepare(url, scenario, rota_a)

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "rota"), "serve", "--port",
                               str(port)], env={**os.environ, "ROTA_DATABASE_URL": url},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/healthz")
        httpx.get(base + "/v1/teams/bench/now", params={"at": at.isoformat()},
                  headers={"Authorization": f"Bearer {tokens['read']}"}, timeout=30)
        published: dict[int, str] = {1: "A"}
        counts: Counter[str] = Counter()
        start = time.time() + 1.0
        results: Any = multiprocessing.Queue()
        clients = [multiprocessing.Process(target=_client, args=(
            base, tokens["read"], args.rate / args.clients, args.seconds,
            at.strftime("%Y-%m-%dT%H:%M:%SZ"), start, results)) for _ in range(args.clients)]
        for process in clients:
            process.start()
        writer = threading.Thread(target=_writer, args=(
            base, tokens["plan"], rota_a, rota_b, args.publish_every, args.override_every,
            start + args.seconds, at + dt.timedelta(days=3), published, counts))
        time.sleep(max(0.0, start - time.time()))
        writer.start()
        gathered = [results.get(timeout=args.seconds + 120) for _ in clients]
        for process in clients:
            process.join()
        writer.join()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    _report(args, url, gathered, published, counts)


def _report(args: argparse.Namespace, url: str, gathered: list[Any], published: dict[int, str],
            counts: Counter[str]) -> None:
    latencies = sorted(x for lat, _, _ in gathered for x in lat)
    errors: Counter[str] = Counter()
    seen: Counter[tuple[int, str]] = Counter()
    for _, err, saw in gathered:
        errors.update(err)
        seen.update(saw)
    by_variant: dict[str, Counter[str]] = {"A": Counter(), "B": Counter()}
    inconsistent = 0
    for (version, who), n in seen.items():
        if version in published:
            by_variant[published[version]][who] += n
        else:
            inconsistent += n  # a version nobody published
    # each variant's answer is the one most answers gave; any other answer is a torn read
    expected = {v: c.most_common(1)[0][0] for v, c in by_variant.items() if c}
    inconsistent += sum(n for v, c in by_variant.items() for who, n in c.items()
                        if who != expected[v])
    if len(expected) == 2 and expected["A"] == expected["B"]:
        print("warning: the two variants give the same answer; the consistency check is vacuous")
    total = len(latencies)
    store = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"store: {store}; {args.clients} client processes, {args.rate:g} req/s for "
          f"{args.seconds:g} s; a publish every {args.publish_every:g} s, an override every "
          f"{args.override_every:g} s")
    print(f"now requests: {total} answered, {total / args.seconds:.1f} req/s")
    if latencies:
        p50 = statistics.quantiles(latencies, n=100)[49]
        p99 = statistics.quantiles(latencies, n=100)[98]
        print(f"latency from schedule: p50 {p50:.2f} ms, p99 {p99:.2f} ms, max "
              f"{latencies[-1]:.1f} ms (target p99 < 20 ms)")
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}".rstrip())
    print(f"answers inconsistent with any published version: {inconsistent}")
    versions = sorted(published)
    print(f"publishes: {counts['publishes']} (versions {versions[0]}-{versions[-1]}), "
          f"overrides: {counts['overrides']}, versions seen in answers: "
          f"{len({v for v, _ in seen})}")
    failures = {k: v for k, v in counts.items() if "HTTP" in k}
    if failures:
        print(f"write failures: {failures}")


if __name__ == "__main__":
    main()
