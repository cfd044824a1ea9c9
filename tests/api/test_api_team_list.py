"""`GET /v1/teams`: the teams a token may see, with their current rota version and horizon; and
tokens that expire (401 from then on)."""

from __future__ import annotations

import datetime as dt

import pytest
from apikit import SCENARIO_YAML, bearer, store_of
from fastapi.testclient import TestClient

import rota.store.tokens as token_store
from rota.store.engine import utc_now


@pytest.fixture
def two_teams(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    """`tiny` with rota version 1 (7 days from 2026-12-07); `other` with a scenario only."""
    other = SCENARIO_YAML.replace("team: tiny", "team: other").replace(
        "horizon: {start: 2026-12-07, days: 7}", "horizon: {start: 2027-01-04, days: 14}")
    put = client.put("/v1/teams/other", content=other,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert put.status_code == 201, put.text


TINY = {"team": "tiny", "rota_version": 1,
        "horizon": {"start": "2026-12-07", "days": 7, "end": "2026-12-14T00:00:00Z"}}
OTHER = {"team": "other", "rota_version": None,
         "horizon": {"start": "2027-01-04", "days": 14, "end": "2027-01-18T00:00:00Z"}}


@pytest.mark.parametrize(("who", "expected"), [
    ("read", [OTHER, TINY]),
    ("admin", [OTHER, TINY]),
    ("read_other_team", [OTHER]),
    ("admin_tiny", [TINY]),
], ids=["read-all", "admin-all", "limited-to-other", "limited-to-tiny"])
def test_the_list_shows_the_teams_the_token_may_see(client: TestClient, tokens: dict[str, str],
                                                    two_teams: None, who: str,
                                                    expected: list[dict[str, object]]) -> None:
    got = client.get("/v1/teams", headers=bearer(tokens[who]))
    assert got.status_code == 200, got.text
    teams = got.json()["teams"]
    assert [{k: t[k] for k in ("team", "rota_version", "horizon")} for t in teams] == expected


def test_the_list_follows_a_new_rota_version(client: TestClient, tokens: dict[str, str],
                                             two_teams: None) -> None:
    store = store_of(client)
    store.teams.publish(store.teams.rota("tiny"), "test")
    (tiny,) = [t for t in client.get("/v1/teams", headers=bearer(tokens["read"])).json()["teams"]
               if t["team"] == "tiny"]
    assert tiny["rota_version"] == 2


def test_the_list_needs_a_token(client: TestClient) -> None:
    got = client.get("/v1/teams")
    assert got.status_code == 401
    assert got.headers["content-type"].startswith("application/problem+json")


def test_an_expired_token_is_refused_with_401(client: TestClient, team: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ends = utc_now() + dt.timedelta(minutes=5)
    secret, _ = store_of(client).tokens.create("read", None, "short", ends)
    assert client.get("/v1/teams/tiny/now", headers=bearer(secret)).status_code == 200
    monkeypatch.setattr(token_store, "utc_now", lambda: ends + dt.timedelta(seconds=1))
    for path in ("/v1/teams", "/v1/teams/tiny/now"):
        got = client.get(path, headers=bearer(secret))
        assert got.status_code == 401
        assert "expired" in got.json()["detail"]
