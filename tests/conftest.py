"""Suite-wide fixtures and rules. `database_url` gives each store or API test a fresh store: a SQLite
file, and (marked `postgres`) the emptied database at `ROTA_TEST_POSTGRES_URL`. In CI (`.ci/run`)
PostgreSQL, Chromium and promtool are installed, and a test marked `postgres`, `browser` or
`promtool` that skips there is a failure, not a quiet pass."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest
import sqlalchemy as sa

_REQUIRED = {"postgres": "ROTA_TEST_REQUIRE_POSTGRES", "browser": "ROTA_TEST_REQUIRE_BROWSER",
             "promtool": "ROTA_TEST_REQUIRE_PROMTOOL"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped:
        for marker, variable in _REQUIRED.items():
            if item.get_closest_marker(marker) and os.environ.get(variable):
                report.outcome = "failed"
                report.longrepr = f"{marker} test skipped although {variable} is set: {report.longrepr}"
    return report


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
