"""`rota --version`, the bundled example moved to this week, and `rota demo`'s checks before work.

The wheel itself (the example shipped inside it, no generic top-level names) is checked by
`.ci/wheel-demo`, which installs it into a fresh venv and runs `rota demo --no-serve`.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from domain import at
from rota.availability import band_profile
from rota.bundled import example_scenario, example_text, moved_to_week
from rota.cli import app
from rota.spans import to_ts
from rota.store import Store
from rota.zones import to_utc


def test_version_is_the_installed_one() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"rota {version('rota')}\n"


def test_the_example_is_read_from_the_package() -> None:
    assert example_text().startswith("#")
    assert example_scenario().team == "streaming-sre"
    assert '"team": "streaming-sre"' in example_text("handdrawn-weekly.json")


@pytest.mark.parametrize("today", ["2026-12-02", "2027-01-26", "2027-07-04", "2026-11-30", "2026-12-06"])
def test_the_example_moves_by_whole_weeks_to_the_week_of_today(today: str) -> None:
    original = example_scenario()
    day = dt.date.fromisoformat(today)
    moved = moved_to_week(original, day)
    assert moved.horizon.start == day - dt.timedelta(days=day.weekday())  # that week's Monday
    assert moved.horizon.start_at <= at(f"{today}T12:00Z") < moved.horizon.end_at
    shift = moved.horizon.start - original.horizon.start
    assert shift.days % 7 == 0 and moved.horizon.days == original.horizon.days
    for before, after in zip(original.engineers, moved.engineers, strict=True):
        assert [(leave.start + shift, leave.end + shift) for leave in before.unavailable] == \
            [(leave.start, leave.end) for leave in after.unavailable]
    assert moved.engineer_by_id.keys() == original.engineer_by_id.keys()


def test_public_holidays_are_those_of_the_moved_dates() -> None:
    """Australia Day, Tuesday 26 January 2027, is in the example only once it is moved there."""
    moved = moved_to_week(example_scenario(), dt.date(2027, 1, 26))
    sydney = next(e for e in moved.engineers if e.holiday_country == "AU-NSW")
    lo, hi = to_ts(moved.horizon.start_at), to_ts(moved.horizon.end_at)
    profile = band_profile(sydney.timezone, sydney.working_hours, sydney.sleep,
                           sydney.holiday_country, lo, hi)

    def band(day: int) -> str:
        return profile.band_at(to_ts(to_utc(dt.datetime(2027, 1, day, 11), sydney.timezone, "start")))

    assert band(26) == "awake"      # a holiday: not at work
    assert band(19) == "working"    # the Tuesday before


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_demo_checks_its_port_before_planning(taken_port: int, tmp_path: Path) -> None:
    env = {"ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    result = CliRunner().invoke(app, ["demo", "--port", str(taken_port)], env=env)
    assert result.exit_code == 2
    assert f"--port: 127.0.0.1:{taken_port} is already in use; use another with --port, e.g. --port " \
        in result.stderr
    assert "planning" not in result.output
    assert not (tmp_path / "demo.db").exists()


def test_serve_checks_its_port(taken_port: int, tmp_path: Path) -> None:
    env = {"ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    result = CliRunner().invoke(app, ["serve", "--port", str(taken_port)], env=env)
    assert result.exit_code == 2
    assert "is already in use" in result.stderr


@pytest.mark.slow
def test_demo_plans_the_example_over_this_week(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--time-limit", "1"],
                                env={"ROTA_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    store = Store.open(url)
    scenario, _ = store.teams.scenario("streaming-sre")
    store.close()
    now = dt.datetime.now(dt.UTC)
    assert scenario.horizon.start_at <= now < scenario.horizon.end_at
    assert scenario.horizon.start.weekday() == 0
    sample = next(line for line in result.stdout.splitlines() if "who responds at T" in line)
    instant = dt.datetime.fromisoformat(sample.split("now?at=")[1].rstrip("'"))
    assert now < instant <= now + dt.timedelta(days=1)
