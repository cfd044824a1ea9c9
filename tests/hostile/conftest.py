"""Fixtures for the hostile-input corpus: the tiny team of the API tests, stored with its rota as
version 1, over a fresh store (SQLite, and PostgreSQL when `ROTA_TEST_POSTGRES_URL` is set)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "api"))  # the API tests' vocabulary: apikit

from apikit import ROTA_JSON, SCENARIO_YAML, SLACK_SECRET, FakePlanner, bearer, store_of  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from rota_api.app import create_app  # noqa: E402
from rota_api.settings import Settings  # noqa: E402


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, slack_signing_secret=SLACK_SECRET,
                        plan_max_seconds=60, token_cache_seconds=0,
                        plan_queue="embedded")  # the procrastinate queue: tests/jobs
    with TestClient(create_app(settings, planner=FakePlanner())) as test_client:
        yield test_client


@pytest.fixture
def tokens(client: TestClient) -> dict[str, str]:
    store = store_of(client)
    return {scope: store.tokens.create(scope, label=f"{scope}-user")[0]
            for scope in ("read", "plan", "admin")}


@pytest.fixture
def team(client: TestClient, tokens: dict[str, str]) -> str:
    put = client.put("/v1/teams/tiny", content=SCENARIO_YAML,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert put.status_code == 201, put.text
    upload = client.put("/v1/teams/tiny/rota", json=ROTA_JSON, headers=bearer(tokens["plan"]))
    assert upload.status_code == 201, upload.text
    return "tiny"
