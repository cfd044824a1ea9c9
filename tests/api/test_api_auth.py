"""Every auth case: no token, a wrong one, a revoked one, too low a scope, another team's token."""

from __future__ import annotations

import pytest
from apikit import ROTA_JSON, SCENARIO_YAML, bearer, store_of
from fastapi.testclient import TestClient

# (method, path, least scope needed, json body)
ENDPOINTS = [
    ("GET", "/v1/teams/tiny", "read", None),
    ("GET", "/v1/teams/tiny/rota", "read", None),
    ("GET", "/v1/teams/tiny/now", "read", None),
    ("GET", "/v1/teams/tiny/gaps", "read", None),
    ("GET", "/v1/teams/tiny/plans/abc", "read", None),
    ("PUT", "/v1/teams/tiny/rota", "plan", ROTA_JSON),
    ("POST", "/v1/teams/tiny/plans", "plan", {}),
    ("POST", "/v1/teams/tiny/plans/abc/publish", "plan", None),
    ("POST", "/v1/teams/tiny/overrides", "plan",
     {"engineer": "chen", "start": "2026-12-07T10:00:00Z", "end": "2026-12-07T11:00:00Z"}),
    ("DELETE", "/v1/teams/tiny/overrides/abc", "plan", None),
    ("PUT", "/v1/teams/tiny", "admin", None),
]
IDS = [f"{m} {p.removeprefix('/v1/teams/tiny')or '/'}" for m, p, _, _ in ENDPOINTS]
BELOW = {"read": [], "plan": ["read"], "admin": ["read", "plan"]}


def _call(client: TestClient, method: str, path: str, body: object,
          headers: dict[str, str]) -> int:
    if method == "PUT" and path == "/v1/teams/tiny":
        headers = {**headers, "Content-Type": "application/yaml"}
        return client.request(method, path, content=SCENARIO_YAML, headers=headers).status_code
    return client.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("header", ["", "Bearer rota_not-a-token", "Basic dXNlcjpwdw==", "Bearer "],
                         ids=["none", "unknown", "basic", "empty"])
def test_no_or_wrong_token_is_401(client: TestClient, team: str, method: str, path: str,
                                  scope: str, body: object, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    got = client.request(method, path, json=body, headers=headers)
    assert got.status_code == 401
    assert got.headers["content-type"] == "application/problem+json"
    assert got.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS, ids=IDS)
def test_lower_scope_is_403_and_touches_nothing(client: TestClient, team: str,
                                                tokens: dict[str, str], method: str, path: str,
                                                scope: str, body: object) -> None:
    before = store_of(client).teams.state_revision("tiny")
    for lower in BELOW[scope]:
        assert _call(client, method, path, body, bearer(tokens[lower])) == 403
    assert store_of(client).teams.state_revision("tiny") == before


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS, ids=IDS)
def test_token_of_another_team_is_403(client: TestClient, team: str, tokens: dict[str, str],
                                      method: str, path: str, scope: str, body: object) -> None:
    other_admin = store_of(client).tokens.create("admin", ["other"])[0]
    assert _call(client, method, path, body, bearer(other_admin)) == 403


@pytest.mark.parametrize(("method", "path", "scope", "body"), ENDPOINTS, ids=IDS)
def test_enough_scope_passes_auth(client: TestClient, team: str, tokens: dict[str, str],
                                  method: str, path: str, scope: str, body: object) -> None:
    """Admin implies plan implies read; a team-limited token works for its team."""
    for token in ("admin", "admin_tiny", scope):
        assert _call(client, method, path, body, bearer(tokens[token])) not in (401, 403)


def test_revoked_token_is_401(client: TestClient, team: str) -> None:
    store = store_of(client)
    secret, token = store.tokens.create("read")
    assert client.get("/v1/teams/tiny", headers=bearer(secret)).status_code == 200
    store.tokens.revoke(token.id)
    assert client.get("/v1/teams/tiny", headers=bearer(secret)).status_code == 401


def test_without_any_token_no_team_data_is_served(client: TestClient) -> None:
    assert store_of(client).tokens.count_active() == 0
    assert client.get("/v1/teams/tiny/now").status_code == 401
    assert client.get("/healthz").status_code == 200


def test_tokens_are_stored_only_as_hashes(client: TestClient, tokens: dict[str, str]) -> None:
    import sqlalchemy as sa

    with store_of(client).engine.connect() as db:
        stored = " ".join(str(v) for row in db.execute(sa.text("SELECT * FROM tokens"))
                          for v in row)
    assert all(secret not in stored for secret in tokens.values())
