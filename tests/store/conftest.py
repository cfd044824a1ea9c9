"""A fresh store per test, on SQLite and (marked `postgres`) on `ROTA_TEST_POSTGRES_URL`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from rota.rotafile import Rota, read_rota_json
from rota.scenario import Scenario
from rota.store import Store
from rota.validation import load_scenario

TINY = Path(__file__).parent.parent / "api"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get("ROTA_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("ROTA_TEST_POSTGRES_URL is not set")
    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.execute(sa.text("DROP SCHEMA public CASCADE"))
        db.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def scenario() -> Scenario:
    return load_scenario(TINY / "tiny-team.yaml")


@pytest.fixture
def rota(scenario: Scenario) -> Rota:
    return read_rota_json(TINY / "tiny-rota.json", scenario)
