"""`/healthz` and the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rota.store import Store
from rota.store.engine import make_engine

DESIGN_PATHS = {
    ("put", "/v1/teams/{team}"), ("get", "/v1/teams/{team}"),
    ("post", "/v1/teams/{team}/plans"), ("get", "/v1/teams/{team}/plans/{plan_id}"),
    ("post", "/v1/teams/{team}/plans/{plan_id}/publish"),
    ("put", "/v1/teams/{team}/rota"), ("get", "/v1/teams/{team}/rota"),
    ("post", "/v1/teams/{team}/overrides"), ("delete", "/v1/teams/{team}/overrides/{override_id}"),
    ("get", "/v1/teams/{team}/now"), ("get", "/v1/teams/{team}/gaps"),
    ("get", "/v1/teams/{team}/calendars/{engineer}.ics"), ("get", "/v1/teams/{team}/report"),
    ("post", "/v1/slack/commands"), ("get", "/healthz"),
}


def test_healthz_reports_the_store(client: TestClient) -> None:
    got = client.get("/healthz")
    assert (got.status_code, got.json()) == (200, {"status": "ok", "store": "ok"})


def test_healthz_is_503_when_the_store_is_unreachable(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    working = services.store
    services.store = Store(make_engine("postgresql+psycopg://nobody:x@127.0.0.1:1/none"))
    try:
        got = client.get("/healthz")
    finally:
        services.store.close()
        services.store = working
    assert (got.status_code, got.json()) == (503, {"status": "degraded", "store": "unreachable"})


def test_openapi_lists_every_designed_path(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    found = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert found >= DESIGN_PATHS


@pytest.mark.parametrize("path", ["/v1/teams/tiny", "/v1/teams/tiny/now?region=eu"])
def test_a_store_that_does_not_answer_is_503_not_500(client: TestClient, team: str,
                                                     tokens: dict[str, str], path: str) -> None:
    # `now` is served by its fast path ahead of the router: it answers 503 the same way.
    assert client.get(path, headers={"Authorization": f"Bearer {tokens['read']}"}).status_code == 200
    services = client.app.state.services  # type: ignore[attr-defined]
    working = services.store
    services.store = Store(make_engine("postgresql+psycopg://nobody:x@127.0.0.1:1/none"))
    services.tokens.store = services.store
    try:
        got = client.get(path, headers={"Authorization": f"Bearer {tokens['read']}"})
    finally:
        services.store.close()
        services.store = services.tokens.store = working
    assert got.status_code == 503
    assert got.json()["title"] == "Store unavailable"
