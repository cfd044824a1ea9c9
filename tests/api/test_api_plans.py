"""Plans: 202 and an id, progress while running, done with rota and report, failed with a reason,
publish as the next version, and `failed: interrupted` after a restart."""

from __future__ import annotations

import pytest
from apikit import SCENARIO_YAML, FakePlanner, bearer, store_of, wait_for_plans
from fastapi.testclient import TestClient

from rota.errors import PlanningError
from rota_api.app import create_app
from rota_api.settings import Settings


def _start(client: TestClient, tokens: dict[str, str], **body: object) -> str:
    got = client.post("/v1/teams/tiny/plans", json=body, headers=bearer(tokens["plan"]))
    assert got.status_code == 202, got.text
    assert got.headers["location"] == f"/v1/teams/tiny/plans/{got.json()['id']}"
    assert got.json()["status"] == "queued"
    return str(got.json()["id"])


def _plan(client: TestClient, tokens: dict[str, str], plan_id: str) -> dict:  # type: ignore[type-arg]
    got = client.get(f"/v1/teams/tiny/plans/{plan_id}", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    return got.json()  # type: ignore[no-any-return]


def test_plan_lifecycle_running_done_published(client: TestClient, team: str,
                                               tokens: dict[str, str],
                                               planner: FakePlanner) -> None:
    planner.hold = True
    plan_id = _start(client, tokens, time_limit_seconds=3, previous=1)
    assert planner.reported.wait(10)
    running = _plan(client, tokens, plan_id)
    assert running["status"] == "running"
    assert running["progress"] == {"stage": None, "solutions": 1, "objective": 42.0, "bound": 7.0,
                                   "elapsed_seconds": 0.5}
    assert "rota" not in running
    planner.release.set()
    wait_for_plans(client)
    done = _plan(client, tokens, plan_id)
    assert done["status"] == "done"
    assert done["rota"]["shifts"] and done["report"]["gaps"]
    assert done["options"] == {"time_limit_seconds": 3, "previous": 1}
    [request] = planner.requests
    assert request.time_limit_seconds == 3 and request.previous is not None
    published = client.post(f"/v1/teams/tiny/plans/{plan_id}/publish",
                            headers={**bearer(tokens["plan"]), "If-Match": '"1"'})
    assert published.status_code == 201
    assert published.json()["version"] == 2
    rota = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"]))
    assert rota.json()["version"] == 2
    versions = client.get("/v1/teams/tiny/rota/versions", headers=bearer(tokens["read"])).json()
    assert versions["versions"][-1]["source"] == f"plan:{plan_id}"
    assert _plan(client, tokens, plan_id)["published_version"] == 2


def test_a_plan_is_published_once(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    url = f"/v1/teams/tiny/plans/{plan_id}/publish"
    assert client.post(url, headers=bearer(tokens["plan"])).status_code == 201
    again = client.post(url, headers=bearer(tokens["plan"]))
    assert again.status_code == 409


def test_publishing_a_plan_on_a_stale_version_is_412(client: TestClient, team: str,
                                                     tokens: dict[str, str]) -> None:
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    got = client.post(f"/v1/teams/tiny/plans/{plan_id}/publish",
                      headers={**bearer(tokens["plan"]), "If-Match": '"7"'})
    assert got.status_code == 412


def test_planner_error_fails_the_plan_with_its_reason(client: TestClient, team: str,
                                                      tokens: dict[str, str],
                                                      planner: FakePlanner) -> None:
    planner.fail_with = PlanningError("pins[0] breaks min_rest_hours")
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    failed = _plan(client, tokens, plan_id)
    assert (failed["status"], failed["reason"]) == ("failed", "pins[0] breaks min_rest_hours")
    got = client.post(f"/v1/teams/tiny/plans/{plan_id}/publish", headers=bearer(tokens["plan"]))
    assert got.status_code == 409
    assert "failed" in got.json()["detail"]


def test_planner_bug_fails_the_plan_without_details(client: TestClient, team: str,
                                                    tokens: dict[str, str],
                                                    planner: FakePlanner) -> None:
    planner.fail_with = ZeroDivisionError("internals")
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    assert _plan(client, tokens, plan_id)["reason"] == "internal error: ZeroDivisionError"


def test_no_feasible_rota_fails_the_plan(client: TestClient, team: str, tokens: dict[str, str],
                                      planner: FakePlanner) -> None:
    planner.no_rota = True
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    failed = _plan(client, tokens, plan_id)
    assert (failed["status"], failed["reason"]) == ("failed",
                                                    "no feasible rota (solver status INFEASIBLE)")


def test_scenario_past_the_planner_limits_is_refused_before_queueing(
        client: TestClient, tokens: dict[str, str], planner: FakePlanner) -> None:
    too_long = SCENARIO_YAML.replace("days: 7}", "days: 366}")
    client.put("/v1/teams/tiny", content=too_long,
               headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    got = client.post("/v1/teams/tiny/plans", json={}, headers=bearer(tokens["plan"]))
    assert got.status_code == 413
    assert got.json()["detail"].startswith("the planner plans at most")
    assert planner.requests == []


def test_unknown_plan_is_404(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.get("/v1/teams/tiny/plans/nope", headers=bearer(tokens["read"]))
    assert got.status_code == 404


def test_plan_for_unknown_team_is_404(client: TestClient, tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/nope/plans", json={}, headers=bearer(tokens["plan"]))
    assert got.status_code == 404


def test_plan_without_a_body_uses_the_default_limit(client: TestClient, team: str,
                                                    tokens: dict[str, str],
                                                    planner: FakePlanner,
                                                    settings: Settings) -> None:
    got = client.post("/v1/teams/tiny/plans", headers=bearer(tokens["plan"]))
    assert got.status_code == 202
    wait_for_plans(client)
    assert planner.requests[0].time_limit_seconds == settings.plan_default_seconds


def test_unfinished_plans_are_failed_interrupted_after_a_restart(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner,
        settings: Settings) -> None:
    planner.hold = True
    plan_id = _start(client, tokens)
    assert planner.reported.wait(10)
    with TestClient(create_app(settings, planner=FakePlanner())) as restarted:
        got = restarted.get(f"/v1/teams/tiny/plans/{plan_id}", headers=bearer(tokens["read"]))
    planner.release.set()
    wait_for_plans(client)
    assert (got.json()["status"], got.json()["reason"]) == ("failed", "interrupted")
    assert _plan(client, tokens, plan_id)["status"] == "failed"


@pytest.mark.slow
def test_real_planner_plans_and_publishes_the_tiny_team(settings: Settings) -> None:
    with TestClient(create_app(settings)) as real:
        admin = bearer(store_of(real).tokens.create("admin")[0])
        real.put("/v1/teams/tiny", content=SCENARIO_YAML,
                 headers={**admin, "Content-Type": "application/yaml"})
        started = real.post("/v1/teams/tiny/plans", json={"time_limit_seconds": 3}, headers=admin)
        wait_for_plans(real)
        done = real.get(f"/v1/teams/tiny/plans/{started.json()['id']}", headers=admin).json()
        assert done["status"] == "done", done["reason"]
        assert done["solver_status"] in ("OPTIMAL", "FEASIBLE")
        assert done["progress"]["solutions"] >= 1
        assert done["rota"]["shifts"]
        published = real.post(f"/v1/teams/tiny/plans/{done['id']}/publish", headers=admin)
        assert published.json()["version"] == 1
        now = real.get("/v1/teams/tiny/now?at=2026-12-08T19:00:00Z", headers=admin)
        assert now.status_code == 200


def test_a_second_process_on_the_store_leaves_live_plans_alone(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner,
        settings: Settings) -> None:
    """Another API process (here: a live child process's pid as the owner) still solving."""
    import socket
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        other = f"{socket.gethostname()}:{child.pid}:other"
        record = store_of(client).plans.create("tiny", {}, owner=other)
        with TestClient(create_app(settings, planner=FakePlanner())) as second:
            got = second.get(f"/v1/teams/tiny/plans/{record.id}", headers=bearer(tokens["read"]))
        assert got.json()["status"] == "queued"
    finally:
        child.kill()
        child.wait()


def test_the_plan_report_names_demand_no_rota_can_meet(client: TestClient, team: str,
                                                       tokens: dict[str, str]) -> None:
    short_handed = SCENARIO_YAML.replace("peak: {severity: P0, responders: 1}\n    off_peak",
                                         "peak: {severity: P0, responders: 5}\n    off_peak", 1)
    assert short_handed != SCENARIO_YAML
    put = client.put("/v1/teams/tiny", content=short_handed,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert put.status_code == 200, put.text
    plan_id = _start(client, tokens)
    wait_for_plans(client)
    warnings = _plan(client, tokens, plan_id)["report"]["warnings"]
    assert [w for w in warnings if w.startswith("regions[0].peak.responders: 5 required, but only 3")]
