"""Suite-wide rules. In CI (`.ci/run`) PostgreSQL and Chromium are installed, and a test marked
`postgres` or `browser` that skips there is a failure, not a quiet pass."""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

_REQUIRED = {"postgres": "ROTA_TEST_REQUIRE_POSTGRES", "browser": "ROTA_TEST_REQUIRE_BROWSER"}


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
