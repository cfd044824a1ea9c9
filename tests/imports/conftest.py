"""Fixtures for the import and export tests: the small team and calendar-building helpers."""

from __future__ import annotations

import pytest
from icsbuild import FIXTURES

from rota.scenario import Scenario
from rota.validation import load_scenario


@pytest.fixture(scope="session")
def team() -> Scenario:
    return load_scenario(FIXTURES / "team.yaml")
