"""Fixtures for the API tests: an app over a fresh store (SQLite, and PostgreSQL when
`ROTA_TEST_POSTGRES_URL` is set), tokens of every scope, a stored team, and a fake planner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apikit import ROTA_JSON, SCENARIO_YAML, SLACK_SECRET, FakePlanner, bearer, store_of
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings


@pytest.fixture
def planner() -> FakePlanner:
    return FakePlanner()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, slack_signing_secret=SLACK_SECRET,
                    max_body_bytes=64 * 1024, plan_max_seconds=60, token_cache_seconds=0,
                    plan_queue="embedded")  # the procrastinate queue: tests/jobs


@pytest.fixture
def client(settings: Settings, planner: FakePlanner) -> Iterator[TestClient]:
    with TestClient(create_app(settings, planner=planner)) as test_client:
        yield test_client


@pytest.fixture
def tokens(client: TestClient) -> dict[str, str]:
    store = store_of(client)
    made = {scope: store.tokens.create(scope, label=f"{scope}-user")[0]
            for scope in ("read", "plan", "admin")}
    made["read_other_team"] = store.tokens.create("read", ["other"])[0]
    made["admin_tiny"] = store.tokens.create("admin", ["tiny"])[0]
    return made


@pytest.fixture
def team(client: TestClient, tokens: dict[str, str]) -> str:
    """The tiny team stored with its rota published as version 1."""
    put = client.put("/v1/teams/tiny", content=SCENARIO_YAML,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert put.status_code == 201, put.text
    upload = client.put("/v1/teams/tiny/rota", json=ROTA_JSON, headers=bearer(tokens["plan"]))
    assert upload.status_code == 201, upload.text
    return "tiny"
