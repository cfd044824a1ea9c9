"""`rota token create`, `rota feed create` and `rota demo --no-serve` against a store file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rota.cli import app
from rota.store import Store
from rota.validation import load_scenario

HERE = Path(__file__).parent


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_token_create_prints_a_token_the_store_accepts(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["token", "create", "--scope", "plan", "--team", "tiny"],
                                env=env)
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("rota_")
    store = Store.open(env["ROTA_DATABASE_URL"])
    token = store.tokens.verify(secret)
    store.close()
    assert token is not None and (token.scope, token.teams) == ("plan", ("tiny",))


def test_token_create_with_unknown_scope_exits_2(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["token", "create", "--scope", "root"], env=env)
    assert result.exit_code == 2
    assert "'root' is not one of read, plan, admin" in result.stderr


@pytest.mark.slow
def test_demo_plans_publishes_and_prints_the_urls(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["demo", "--scenario", str(HERE / "tiny-team.yaml"),
                                      "--time-limit", "3", "--no-serve", "--port", "8123"],
                                env=env)
    assert result.exit_code == 0, result.output
    lines = dict(line.strip().split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["API docs"] == "http://127.0.0.1:8123/docs"
    assert lines["who responds now"].startswith("curl -H 'Authorization: Bearer rota_")
    store = Store.open(env["ROTA_DATABASE_URL"])
    assert store.teams.rota("tiny").version == 1
    admin = lines["admin token"]
    token = store.tokens.verify(admin)
    store.close()
    assert token is not None and token.scope == "admin"


def test_feed_create_prints_a_working_url(env: dict[str, str]) -> None:
    store = Store.open(env["ROTA_DATABASE_URL"])
    store.teams.put_scenario(load_scenario(HERE / "tiny-team.yaml"))
    result = CliRunner().invoke(app, ["feed", "create", "tiny", "ana"], env=env)
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith("http://127.0.0.1:8000/v1/teams/tiny/calendars/ana.ics?token=")
    assert store.tokens.verify_feed("tiny", "ana", url.split("token=")[1])
    missing = CliRunner().invoke(app, ["feed", "create", "tiny", "zed"], env=env)
    store.close()
    assert missing.exit_code == 2  # an argument naming nothing stored is invalid input
