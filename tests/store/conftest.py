"""A fresh store per test, on SQLite and (marked `postgres`) on `ROTA_TEST_POSTGRES_URL`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rota.rotafile import Rota, read_rota_json
from rota.scenario import Scenario
from rota.store import Store
from rota.validation import load_scenario

TINY = Path(__file__).parent.parent / "api"


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
