"""`now` around writes (`rota_api.current`): a write answers only once its new state is in place,
so its client's next `now` shows it and no reader loads after a write; while a team's newer state
is being written or loaded, its `now` requests are answered from the previous state at once, on
the event loop (no wait, no thread hop); a write by another process shows at the next request."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from apikit import bearer, store_of
from fastapi.testclient import TestClient

from rota.rotafile import Override
from rota_api.current import CurrentCache

AT = "2026-12-07T18:30:00Z"  # ana is on call for eu in the tiny team's version 1
CHEN_FOR_ANA = {"engineer": "chen", "replaces": "ana", "start": "2026-12-07T18:00:00Z",
                "end": "2026-12-07T19:00:00Z"}


def responders(client: TestClient, token: str) -> list[str]:
    got = client.get(f"/v1/teams/tiny/now?at={AT}&region=eu", headers=bearer(token))
    assert got.status_code == 200, got.text
    return [r["engineer"] for r in got.json()["regions"][0]["responders"]]


def cache_of(client: TestClient) -> CurrentCache:
    cache: CurrentCache = client.app.state.services.current  # type: ignore[attr-defined]
    return cache


def no_loading(monkeypatch: pytest.MonkeyPatch, client: TestClient) -> None:
    """From here on, reading a team's state from the store, or a `now` request leaving the event
    loop for the cache's blocking path, fails the request."""
    def refuse(*_args: Any) -> Any:
        raise AssertionError("a reader loaded the team's state")

    monkeypatch.setattr(store_of(client).teams, "state", refuse)
    monkeypatch.setattr(cache_of(client), "get", refuse)


@pytest.mark.parametrize("write", ["override", "publish"])
def test_a_write_answers_with_its_state_in_place_so_no_reader_loads(
        client: TestClient, team: str, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        write: str) -> None:
    assert responders(client, tokens["read"]) == ["ana"]
    if write == "override":
        got = client.post("/v1/teams/tiny/overrides", json=CHEN_FOR_ANA,
                          headers=bearer(tokens["plan"]))
    else:
        rota = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).json()
        shifts = [{**s, "engineer": "chen"} if s["engineer"] == "ana" else s
                  for s in rota["shifts"]]
        got = client.put("/v1/teams/tiny/rota", json={"team": "tiny", "shifts": shifts},
                         headers=bearer(tokens["plan"]))
    assert got.status_code == 201, got.text
    no_loading(monkeypatch, client)
    assert responders(client, tokens["read"]) == ["chen"]


def test_while_a_write_is_under_way_now_answers_from_the_previous_state(
        client: TestClient, team: str, tokens: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert responders(client, tokens["read"]) == ["ana"]
    cache, store = cache_of(client), store_of(client)
    with cache.writing("tiny"):
        store.teams.add_override("tiny", Override.model_validate(CHEN_FOR_ANA), "test")
        with monkeypatch.context() as inside:
            no_loading(inside, client)
            assert responders(client, tokens["read"]) == ["ana"]  # committed, not yet in place
    no_loading(monkeypatch, client)
    assert responders(client, tokens["read"]) == ["chen"]


def test_while_another_request_loads_a_newer_state_now_answers_from_the_previous_one(
        client: TestClient, team: str, tokens: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert responders(client, tokens["read"]) == ["ana"]
    cache, store = cache_of(client), store_of(client)
    store.teams.add_override("tiny", Override.model_validate(CHEN_FOR_ANA), "another process")
    loading, release = threading.Event(), threading.Event()
    load = store.teams.state

    def slow_state(team_id: str) -> Any:
        loading.set()
        assert release.wait(10)
        return load(team_id)

    monkeypatch.setattr(store.teams, "state", slow_state)
    loader = threading.Thread(target=cache.get, args=("tiny",))
    loader.start()
    try:
        assert loading.wait(10)
        monkeypatch.setattr(cache, "get", lambda *_: pytest.fail("a reader left the loop"))
        assert responders(client, tokens["read"]) == ["ana"]
    finally:
        release.set()
        loader.join(10)
    monkeypatch.undo()
    no_loading(monkeypatch, client)
    assert responders(client, tokens["read"]) == ["chen"]


def test_a_write_by_another_process_shows_at_the_next_request(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    assert responders(client, tokens["read"]) == ["ana"]
    store_of(client).teams.add_override("tiny", Override.model_validate(CHEN_FOR_ANA),
                                        "another process")
    assert responders(client, tokens["read"]) == ["chen"]


def test_a_failed_write_leaves_the_state_as_it_was(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    assert responders(client, tokens["read"]) == ["ana"]
    stale = client.put("/v1/teams/tiny/rota", json={"team": "tiny", "shifts": []},
                       headers={**bearer(tokens["plan"]), "If-Match": '"1.1"'})
    assert stale.status_code == 412, stale.text
    assert not cache_of(client).busy("tiny")
    assert responders(client, tokens["read"]) == ["ana"]
