"""Plans through procrastinate on PostgreSQL with real `rota worker` processes: the API only enqueues;
the queueing lock; the bounds; cancelling a queued and a running plan; a worker SIGKILLed mid-solve
whose plan another worker finishes; SIGTERM keeping the best rota; a plan over its memory limit
failing while its worker lives on."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from jobkit import store_of, wait_for
from procrastinate import exceptions

pytestmark = pytest.mark.postgres

Workers = Callable[..., "subprocess.Popen[str]"]


def _post(api: TestClient, headers: dict[str, str], team: str = "tiny", limit: float = 30) -> Any:
    return api.post(f"/v1/teams/{team}/plans", json={"time_limit_seconds": limit}, headers=headers)


def _plan(api: TestClient, headers: dict[str, str], plan_id: str, team: str = "tiny") -> Any:
    got = api.get(f"/v1/teams/{team}/plans/{plan_id}", headers=headers)
    assert got.status_code == 200
    return got.json()


def _job(api: TestClient, job_id: int) -> Any:
    with store_of(api).engine.connect() as db:
        return db.execute(sa.text("SELECT status, queueing_lock, lock, attempts FROM procrastinate_jobs "
                                  "WHERE id = :id"), {"id": job_id}).one()


def _worker_of(plan: dict[str, Any]) -> int:
    started = [e for e in plan["events"] if e["event"] in ("started", "retried: its worker was lost")]
    return int(started[-1]["by"].rsplit(":", 1)[1])


def test_the_api_enqueues_and_a_worker_runs_the_plan(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    posted = _post(api, headers, limit=1)
    assert posted.status_code == 202
    record = store_of(api).plans.get("tiny", posted.json()["id"])
    assert record.status == "queued" and record.job_id is not None
    job = _job(api, record.job_id)
    assert (job.status, job.queueing_lock, job.lock) == ("todo", "rota-plan:tiny:2026-12-07+7d",
                                                         "rota-plan:tiny:2026-12-07+7d")
    worker = workers()
    done = wait_for(lambda: (p := _plan(api, headers, record.id))["status"] == "done" and p)
    assert done["rota"]["shifts"] and done["progress"]["solutions"] == 1
    assert (done["attempts"], done["retried"]) == (1, False)
    assert _worker_of(done) == worker.pid


def test_one_plan_per_horizon_and_procrastinate_queueing_lock(
        api: TestClient, headers: dict[str, str], put_team: Any) -> None:
    first = _post(api, headers)
    second = _post(api, headers)
    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json()["plan"] == first.json()["id"]
    queue = api.app.state.services.jobs  # type: ignore[attr-defined]
    with pytest.raises(exceptions.AlreadyEnqueued):  # procrastinate's own lock holds as well
        queue.app.configure_task("rota.plan", queueing_lock="rota-plan:tiny:2026-12-07+7d").defer(
            plan_id="other")


def test_the_overall_bound_is_429_on_the_queue(
        api: TestClient, headers: dict[str, str], put_team: Callable[[str], None]) -> None:
    for team in ("t2", "t3", "t4"):
        put_team(team)
    assert [_post(api, headers, team).status_code for team in ("tiny", "t2", "t3")] == [202] * 3
    refused = _post(api, headers, "t4")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "30"


def test_cancelling_a_queued_plan_cancels_its_job(
        api: TestClient, headers: dict[str, str], put_team: Any) -> None:
    plan_id = _post(api, headers).json()["id"]
    got = api.delete(f"/v1/teams/tiny/plans/{plan_id}", headers=headers)
    assert (got.status_code, got.json()["status"]) == (202, "cancelled")
    job_id = store_of(api).plans.get("tiny", plan_id).job_id
    assert job_id is not None and _job(api, job_id).status == "cancelled"


def test_cancelling_a_running_plan_stops_it_within_seconds_with_its_rota(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    workers()
    plan_id = _post(api, headers, limit=100).json()["id"]
    wait_for(lambda: _plan(api, headers, plan_id)["status"] == "running")
    asked = time.monotonic()
    assert api.delete(f"/v1/teams/tiny/plans/{plan_id}", headers=headers).status_code == 202
    ended = wait_for(lambda: (p := _plan(api, headers, plan_id))["status"] == "cancelled" and p)
    assert time.monotonic() - asked < 3
    assert ended["rota"]["shifts"]
    job_id = store_of(api).plans.get("tiny", plan_id).job_id
    assert job_id is not None
    assert wait_for(lambda: _job(api, job_id).status == "aborted")


def test_a_worker_killed_mid_solve_has_its_plan_finished_by_another(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    first, second = workers(), workers()
    plan_id = _post(api, headers, limit=4).json()["id"]
    running = wait_for(lambda: (p := _plan(api, headers, plan_id))["status"] == "running" and p)
    victim = first if _worker_of(running) == first.pid else second
    survivor = second if victim is first else first
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    done = wait_for(lambda: (p := _plan(api, headers, plan_id))["status"] == "done" and p, 40)
    assert (done["attempts"], done["retried"]) == (2, True)
    assert _worker_of(done) == survivor.pid
    assert "retried: its worker was lost" in [e["event"] for e in done["events"]]


def test_a_plan_whose_workers_keep_dying_fails_saying_so(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    plan_id = _post(api, headers, limit=100).json()["id"]
    for attempt in (1, 2, 3):
        worker = workers()
        wait_for(lambda attempt=attempt, pid=worker.pid:  # type: ignore[misc]
                 (p := _plan(api, headers, plan_id))["attempts"] == attempt and _worker_of(p) == pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    workers()  # the survivor runs the periodic check that gives up
    failed = wait_for(lambda: (p := _plan(api, headers, plan_id))["status"] == "failed" and p)
    assert (failed["reason"], failed["attempts"]) == ("its worker was lost 3 times", 3)


def test_sigterm_stops_the_solve_and_keeps_its_best_rota(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    worker = workers()
    plan_id = _post(api, headers, limit=100).json()["id"]
    wait_for(lambda: _plan(api, headers, plan_id)["status"] == "running")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0
    done = _plan(api, headers, plan_id)
    assert done["status"] == "done" and done["rota"]["shifts"]
    assert done["events"][-1]["event"] == "done, stopped early: the worker is shutting down"


def test_serve_with_two_api_processes_enqueues_for_workers(
        pg_url: str, api: TestClient, headers: dict[str, str], put_team: Any,
        workers: Workers) -> None:
    """`rota serve --workers 2`: two API processes on one port, a plan posted to either is run by a
    `rota worker`, and a publish through one shows in `now` from every process."""
    import os
    import socket
    import sys
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ROTA_DATABASE_URL": pg_url}
    server = subprocess.Popen([sys.executable, "-c", "from rota.cli import main; main()", "serve",
                               "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def call(method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(base + path, data=body, method=method,
                                         headers={**headers, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                import json
                return answer.status, json.loads(answer.read())
        except OSError:
            return 0, None

    try:
        wait_for(lambda: call("GET", "/healthz")[0] == 200)
        wait_for(lambda: len(_children(server.pid)) >= 2)  # uvicorn's two worker processes
        status, posted = call("POST", "/v1/teams/tiny/plans", b'{"time_limit_seconds": 1}')
        assert status == 202
        workers()
        done = wait_for(lambda: (p := call("GET", f"/v1/teams/tiny/plans/{posted['id']}")[1])
                        and p["status"] == "done" and p)
        status, published = call("POST", f"/v1/teams/tiny/plans/{done['id']}/publish", b"{}")
        assert status == 201
        versions = {call("GET", "/v1/teams/tiny/now?at=2026-12-08T19:00:00Z")[1]["rota_version"]
                    for _ in range(20)}
        assert versions == {published["version"]}
    finally:
        server.terminate()
        server.wait(timeout=20)


def _children(pid: int) -> list[int]:
    from pathlib import Path

    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_a_plan_over_its_memory_limit_fails_naming_it_and_the_worker_lives_on(
        api: TestClient, headers: dict[str, str], put_team: Any, workers: Workers) -> None:
    worker = workers("--planner", "slowplanner:hungry", "--memory-limit-mb", "16")

    def ended(plan_id: str) -> Any:
        return wait_for(lambda: (p := _plan(api, headers, plan_id))["status"] not in
                        ("queued", "running") and p)

    first = ended(_post(api, headers, limit=60).json()["id"])
    assert first["status"] == "failed"
    assert first["reason"].startswith("stopped over the plan memory limit of 16 MiB")
    assert first["rota"]["shifts"]  # its best rota is kept, to look at (never published)
    assert api.post(f"/v1/teams/tiny/plans/{first['id']}/publish", headers=headers).status_code == 409
    assert worker.poll() is None
    second = ended(_post(api, headers, limit=60).json()["id"])  # the same worker takes the next
    assert second["status"] == "failed" and "16 MiB" in second["reason"]
    assert _worker_of(second) == worker.pid


def test_an_app_without_its_lifespan_opens_no_queue_pool(pg_url: str) -> None:
    """Made and dropped without being served (a script, a test): no procrastinate pool, no pool
    threads left running; the pool opens with the first plan."""
    import threading

    from rota_api.app import create_app
    from rota_api.settings import Settings

    before = {t.name for t in threading.enumerate()}
    app = create_app(Settings(database_url=pg_url, plan_queue="procrastinate"))
    try:
        assert {t.name for t in threading.enumerate()} == before
        queue = app.state.services.jobs
        assert queue.kind == "procrastinate" and queue._app is None
    finally:
        app.state.services.store.close()
