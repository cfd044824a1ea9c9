"""Concurrent clients over HTTP, on both stores: creating one team, publishing one plan, blind and
conditional rota uploads, all at once. Never a 500; the outcomes the README promises."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
from apikit import ROTA_JSON, SCENARIO_YAML, bearer, wait_for_plans
from fastapi.testclient import TestClient

CLIENTS = 8


def _at_once(call: Callable[[], httpx.Response]) -> list[httpx.Response]:
    start = threading.Barrier(CLIENTS)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def run() -> None:
        start.wait()
        got = call()
        with lock:
            answers.append(got)

    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == CLIENTS
    return answers


def test_creating_one_team_from_many_clients_is_one_201_and_200s(
        client: TestClient, tokens: dict[str, str]) -> None:
    answers = _at_once(lambda: client.put(
        "/v1/teams/tiny", content=SCENARIO_YAML,
        headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"}))
    assert sorted(a.status_code for a in answers) == [200] * (CLIENTS - 1) + [201], [a.text for a in answers]
    assert sorted(a.json()["revision"] for a in answers) == list(range(1, CLIENTS + 1))


def test_publishing_one_plan_from_many_clients_is_one_201_and_409s(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    plan = client.post("/v1/teams/tiny/plans", json={}, headers=bearer(tokens["plan"]))
    assert plan.status_code == 202, plan.text
    wait_for_plans(client)
    url = f"/v1/teams/tiny/plans/{plan.json()['id']}/publish"
    answers = _at_once(lambda: client.post(url, headers=bearer(tokens["plan"])))
    assert sorted(a.status_code for a in answers) == [201] + [409] * (CLIENTS - 1), \
        [a.text for a in answers]
    versions = client.get("/v1/teams/tiny/rota/versions", headers=bearer(tokens["read"])).json()
    assert [v["version"] for v in versions["versions"]] == [1, 2]


def test_blind_uploads_all_win_in_turn(client: TestClient, tokens: dict[str, str],
                                       team: str) -> None:
    answers = _at_once(lambda: client.put("/v1/teams/tiny/rota", json=ROTA_JSON,
                                          headers=bearer(tokens["plan"])))
    assert [a.status_code for a in answers] == [201] * CLIENTS, [a.text for a in answers]
    assert sorted(a.json()["version"] for a in answers) == list(range(2, CLIENTS + 2))


def test_uploads_with_one_if_match_have_one_winner(client: TestClient, tokens: dict[str, str],
                                                   team: str) -> None:
    answers = _at_once(lambda: client.put(
        "/v1/teams/tiny/rota", json=ROTA_JSON,
        headers={**bearer(tokens["plan"]), "If-Match": '"1"'}))
    assert sorted(a.status_code for a in answers) == [201] + [412] * (CLIENTS - 1)
