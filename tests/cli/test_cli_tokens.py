"""`rota token create|list|revoke` and what a bad `ROTA_DATABASE_URL` says (one line, no traceback)."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rota.cli import app
from rota.cli.access import expiry
from rota.store import Store

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}


def test_create_without_the_setting_says_which_store_it_wrote_to(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["token", "create", "--scope", "read"],
                                env={"ROTA_DATABASE_URL": None})
    assert result.exit_code == 0, result.output
    assert (f"stored in sqlite:///./rota.db ({tmp_path / 'rota.db'}; set ROTA_DATABASE_URL to use "
            "another store)") in result.stderr
    store = Store.open(f"sqlite:///{tmp_path / 'rota.db'}")
    try:
        assert store.tokens.verify(result.stdout.strip()) is not None
    finally:
        store.close()


def test_list_shows_every_token_and_revoke_ends_one(env: dict[str, str]) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["token", "create", "--scope", "admin", "--label", "ops",
                               "--expires-in", "30d"], env=env)
    other = runner.invoke(app, ["token", "create", "--scope", "read", "--team", "tiny"], env=env)
    assert made.exit_code == other.exit_code == 0
    token_id = made.stderr.split()[1].rstrip(":")
    listed = runner.invoke(app, ["token", "list"], env=env)
    assert listed.exit_code == 0
    rows = [line for line in listed.stdout.splitlines() if token_id in line]
    assert len(rows) == 1 and "admin" in rows[0] and "ops" in rows[0] and "active" in rows[0]
    assert "tiny" in listed.stdout
    assert made.stdout.strip() not in listed.stdout and other.stdout.strip() not in listed.stdout
    assert runner.invoke(app, ["token", "revoke", token_id], env=env).exit_code == 0
    after = runner.invoke(app, ["token", "list"], env=env).stdout
    assert "revoked" in next(line for line in after.splitlines() if token_id in line)
    again = runner.invoke(app, ["token", "revoke", token_id], env=env)
    assert again.exit_code == 2
    assert again.stderr == f"error: no active token '{token_id}'\n"


@pytest.mark.parametrize(("expires_in", "expires", "ends"), [
    ("90m", None, NOW + dt.timedelta(minutes=90)),
    ("12h", None, NOW + dt.timedelta(hours=12)),
    ("30d", None, NOW + dt.timedelta(days=30)),
    ("2w", None, NOW + dt.timedelta(weeks=2)),
    (None, "2027-01-01", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
    (None, "2027-01-01T10:00+02:00", dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)),
    (None, None, None),
], ids=["minutes", "hours", "days", "weeks", "date", "instant", "never"])
def test_expiry_options(expires_in: str | None, expires: str | None, ends: dt.datetime | None) -> None:
    assert expiry(expires_in, expires, NOW) == ends


@pytest.mark.parametrize(("args", "message"), [
    (["--expires-in", "30"], "--expires-in: '30' is not a duration like 90m, 12h, 30d or 2w"),
    (["--expires-in", "0d"], "--expires-in: '0d' is not a duration like 90m, 12h, 30d or 2w"),
    (["--expires", "2020-01-01"], "--expires: '2020-01-01' is not in the future"),
    (["--expires-in", "1d", "--expires", "2099-01-01"], "give --expires-in or --expires, not both"),
], ids=["no-unit", "zero", "past", "both"])
def test_bad_expiry_exits_2_naming_the_option(env: dict[str, str], args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["token", "create", "--scope", "read", *args], env=env)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(("url", "command", "code", "message"), [
    ("sqlite:////nonexistent/dir/x.db", ["token", "create", "--scope", "read"], 2,
     "error: ROTA_DATABASE_URL: sqlite:////nonexistent/dir/x.db: the folder '/nonexistent/dir' for "
     "the SQLite file does not exist"),
    ("sqlite:////nonexistent/dir/x.db", ["serve", "--port", "free"], 2, "the folder '/nonexistent/dir'"),
    ("postgres://x", ["token", "create", "--scope", "read"], 2,
     "error: ROTA_DATABASE_URL: postgres://x: 'postgres' is no database scheme rota can use; use "
     "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"),
    ("postgres://x", ["token", "list"], 2, "'postgres' is no database scheme"),
    ("not a url", ["token", "list"], 2, "error: ROTA_DATABASE_URL: 'not a url' is not a database URL"),
    ("postgresql+psycopg://rota:hunter2@127.0.0.1:1/x", ["token", "list"], 1,
     "error: ROTA_DATABASE_URL: cannot open the database postgresql+psycopg://rota:***@127.0.0.1:1/x: "),
], ids=["sqlite-folder", "serve-sqlite-folder", "postgres-scheme", "list-postgres-scheme", "not-a-url",
        "unreachable"])
def test_a_bad_database_url_is_one_line(url: str, command: list[str], code: int, message: str) -> None:
    if "free" in command:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = str(probe.getsockname()[1])
        command = [port if arg == "free" else arg for arg in command]
    result = CliRunner().invoke(app, command, env={"ROTA_DATABASE_URL": url})
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and "hunter2" not in result.output


def test_create_names_a_set_store_without_its_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(app, ["token", "create", "--scope", "read"], env={"ROTA_DATABASE_URL": url})
    assert result.exit_code == 0
    assert result.stderr.endswith(f"; stored in {url}\n")
