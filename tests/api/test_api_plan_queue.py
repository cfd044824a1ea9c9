"""The plan queue over HTTP (embedded pool, SQLite and PostgreSQL): one plan per team and horizon
(409 naming the first), per-team and overall bounds (429 with `Retry-After`), queued plans that
hold a scenario revision and read the scenario when they start, and `DELETE` cancelling a queued
plan at once and a running one with its best rota."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apikit import ROTA_JSON, SCENARIO_YAML, FakePlanner, bearer, store_of, wait_for_plans
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings


def _put_team(client: TestClient, tokens: dict[str, str], team: str, start: str = "2026-12-07",
              note: str = "") -> None:
    text = (SCENARIO_YAML.replace("team: tiny", f"team: {team}")
            .replace("start: 2026-12-07", f"start: {start}")
            .replace("name: Tiny team", f"name: Tiny team{note}"))
    got = client.put(f"/v1/teams/{team}", content=text,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code in (200, 201), got.text


def _post(client: TestClient, tokens: dict[str, str], team: str = "tiny",
          limit: float = 5) -> tuple[int, dict, dict[str, str]]:  # type: ignore[type-arg]
    got = client.post(f"/v1/teams/{team}/plans", json={"time_limit_seconds": limit},
                      headers=bearer(tokens["plan"]))
    return got.status_code, got.json(), dict(got.headers)


@pytest.fixture
def bounded(settings: Settings, planner: FakePlanner) -> Iterator[TestClient]:
    tight = settings.model_copy(update={"plan_queue_per_team": 2, "plan_queue_max": 3})
    with TestClient(create_app(tight, planner=planner)) as test_client:
        yield test_client


def test_a_second_plan_for_the_same_horizon_is_409_naming_the_first(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner) -> None:
    planner.hold = True
    status, first, _ = _post(client, tokens)
    assert status == 202
    status, second, headers = _post(client, tokens)
    assert status == 409
    assert second["plan"] == first["id"]
    assert headers["location"] == f"/v1/teams/tiny/plans/{first['id']}"
    assert headers["content-type"] == "application/problem+json"
    planner.release.set()
    wait_for_plans(client)
    status, third, _ = _post(client, tokens)
    assert status == 202 and third["id"] != first["id"]


def test_per_team_bound_is_429_with_retry_after(bounded: TestClient, planner: FakePlanner) -> None:
    tokens = _tokens(bounded)
    planner.hold = True
    _put_team(bounded, tokens, "tiny")
    assert _post(bounded, tokens, limit=7)[0] == 202
    _put_team(bounded, tokens, "tiny", start="2026-12-14")  # another horizon: a plan of its own
    assert _post(bounded, tokens, limit=9)[0] == 202
    _put_team(bounded, tokens, "tiny", start="2026-12-21")
    status, body, headers = _post(bounded, tokens)
    assert status == 429, body
    assert headers["retry-after"] == "7"
    assert "team 'tiny' has 2 plans queued or running" in body["detail"]
    planner.release.set()


def test_overall_bound_is_429_and_nothing_is_stored(bounded: TestClient, planner: FakePlanner) -> None:
    tokens = _tokens(bounded)
    planner.hold = True
    for team in ("t1", "t2", "t3", "t4"):
        _put_team(bounded, tokens, team)
    assert [_post(bounded, tokens, team)[0] for team in ("t1", "t2", "t3")] == [202, 202, 202]
    status, body, headers = _post(bounded, tokens, "t4")
    assert status == 429
    assert int(headers["retry-after"]) >= 1
    assert "3 plans are queued or running" in body["detail"]
    assert store_of(bounded).plans.counts() == {"queued": 2, "running": 1}
    planner.release.set()


def test_a_queued_plan_reads_its_scenario_when_it_starts(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner) -> None:
    """Queued plans keep the scenario's revision, not the scenario: an edit made while a plan
    waits is what it plans."""
    planner.hold = True
    _put_team(client, tokens, "other")
    assert _post(client, tokens, "tiny")[0] == 202  # runs (held): the pool has one worker
    status, queued, _ = _post(client, tokens, "other")
    assert status == 202
    record = store_of(client).plans.get("other", queued["id"])
    assert record.scenario_revision == 1 and "scenario" not in record.options
    _put_team(client, tokens, "other", note=" (edited)")
    planner.release.set()
    wait_for_plans(client)
    assert planner.requests[-1].scenario.name == "Tiny team (edited)"


def test_cancelling_a_queued_plan_ends_it_before_it_runs(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner) -> None:
    planner.hold = True
    _put_team(client, tokens, "other")
    _post(client, tokens, "tiny")
    _, queued, _ = _post(client, tokens, "other")
    got = client.delete(f"/v1/teams/other/plans/{queued['id']}", headers=bearer(tokens["plan"]))
    assert got.status_code == 202
    assert (got.json()["status"], got.json()["reason"]) == ("cancelled", "cancelled")
    planner.release.set()
    wait_for_plans(client)
    assert [r.scenario.team for r in planner.requests] == ["tiny"]
    again = client.delete(f"/v1/teams/other/plans/{queued['id']}", headers=bearer(tokens["plan"]))
    assert again.status_code == 409
    assert _post(client, tokens, "other")[0] == 202  # the horizon is free again


def test_cancelling_a_running_plan_stops_it_with_its_best_rota(
        client: TestClient, team: str, tokens: dict[str, str], planner: FakePlanner) -> None:
    planner.hold = True  # the fake planner returns its rota once `stop` is set
    _, running, _ = _post(client, tokens)
    assert planner.reported.wait(10)
    got = client.delete(f"/v1/teams/tiny/plans/{running['id']}", headers=bearer(tokens["plan"]))
    assert got.status_code == 202
    assert (got.json()["status"], got.json()["cancel_requested"]) == ("running", True)
    wait_for_plans(client)
    plan = client.get(f"/v1/teams/tiny/plans/{running['id']}", headers=bearer(tokens["read"])).json()
    assert (plan["status"], plan["reason"]) == ("cancelled", "cancelled")
    assert plan["rota"]["shifts"] == ROTA_JSON["shifts"]
    assert [e["event"] for e in plan["events"]] == ["queued", "started", "cancel requested",
                                                     "cancelled"]
    published = client.post(f"/v1/teams/tiny/plans/{running['id']}/publish",
                            headers=bearer(tokens["plan"]))
    assert published.status_code == 201


def test_cancel_needs_the_plan_scope_and_a_known_plan(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    _, plan, _ = _post(client, tokens)
    wait_for_plans(client)
    url = f"/v1/teams/tiny/plans/{plan['id']}"
    assert client.delete(url, headers=bearer(tokens["read"])).status_code == 403
    assert client.delete(url + "x", headers=bearer(tokens["plan"])).status_code == 404
    done = client.delete(url, headers=bearer(tokens["plan"]))
    assert done.status_code == 409 and "is done" in done.json()["detail"]


def _tokens(client: TestClient) -> dict[str, str]:
    store = store_of(client)
    return {scope: store.tokens.create(scope)[0] for scope in ("read", "plan", "admin")}
