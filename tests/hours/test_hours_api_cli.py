"""`GET /v1/teams/{team}/hours` (SQLite and PostgreSQL) and `rota hours` agree, in every format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings

SCENARIO = """\
team: tiny
horizon: {start: 2026-12-07, days: 7}
regions:
  - {id: eu, timezone: Europe/London, peak_windows: [{start: "18:00", end: "22:00"}]}
engineers:
  - {id: ana, name: Ana Souza, timezone: Europe/London, regions: [eu], contact: {email: ana@example.com}}
  - {id: bo, timezone: America/New_York, regions: [eu]}
pay:
  currency: GBP
  rates: {standard: 2, working: 0, night: 3.5, weekend: 4}
  overrides: [{timezone: America/New_York, currency: USD, rates: {standard: 3}}]
"""
ROTA = {"team": "tiny", "version": 1, "shifts": [
    {"engineer": "ana", "start": "2026-12-07T09:00:00Z", "end": "2026-12-07T19:00:00Z"},
    {"engineer": "bo", "start": "2026-12-07T19:00:00Z", "end": "2026-12-08T05:00:00Z"},
    {"engineer": "ana", "start": "2026-12-12T20:00:00Z", "end": "2026-12-13T02:00:00Z"},
], "overrides": [{"engineer": "bo", "replaces": "ana", "start": "2026-12-07T17:00:00Z",
                  "end": "2026-12-07T19:00:00Z", "reason": "swap"}]}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, token_cache_seconds=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def read_token(client: TestClient) -> str:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    admin = store.tokens.create("admin")[0]
    headers = {"Authorization": f"Bearer {admin}"}
    assert client.put("/v1/teams/tiny", content=SCENARIO,
                      headers={**headers, "Content-Type": "application/yaml"}).status_code == 201
    assert client.put("/v1/teams/tiny/rota", json=ROTA, headers=headers).status_code == 201
    token: str = store.tokens.create("read", ["tiny"])[0]
    return token


def rota_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    scenario, rota = tmp_path / "team.yaml", tmp_path / "rota.json"
    scenario.write_text(SCENARIO)
    rota.write_text(json.dumps(ROTA))
    return scenario, rota


def test_api_hours_apply_overrides_and_pay_per_currency(client: TestClient, read_token: str) -> None:
    got = client.get("/v1/teams/tiny/hours", headers={"Authorization": f"Bearer {read_token}"})
    assert got.status_code == 200, got.text
    body = got.json()
    ana, bo = body["engineers"]
    assert ana["total"]["on_call_hours"] == 14  # 8 h Monday (2 h handed to bo) + 6 h Saturday night
    assert ana["total"]["hours_by_band"] == {"working": 8, "awake": 3, "asleep": 3}
    assert (ana["total"]["shifts"], ana["total"]["handovers"]) == (2, 1)
    assert ana["total"]["pay"]["amount"] == "24.00"  # 8 h working at 0, 6 h weekend at 4
    assert bo["total"]["on_call_hours"] == 12 and bo["total"]["pay"]["currency"] == "USD"
    assert body["totals"]["on_call_seconds"] == 26 * 3600
    assert body["totals"]["pay"] == [{"currency": "GBP", "amount": "24.00"},
                                     {"currency": "USD", "amount": "36.00"}]


def test_api_hours_csv_and_window(client: TestClient, read_token: str) -> None:
    headers = {"Authorization": f"Bearer {read_token}"}
    got = client.get("/v1/teams/tiny/hours?format=csv&from=2026-12-12T00:00:00Z", headers=headers)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [(r["engineer"], r["category"], r["hours"], r["amount"]) for r in rows] == [
        ("ana", "weekend", "6.00", "24.00")]


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-12-10&to=2026-12-09", "to"), ("from=yesterday", "from"), ("to=2025-01-01&from=2023-01-01", "to"),
], ids=["inverted", "not-an-instant", "too-long"])
def test_api_hours_bad_window_is_422_naming_the_field(client: TestClient, read_token: str,
                                                      query: str, field: str) -> None:
    got = client.get(f"/v1/teams/tiny/hours?{query}", headers={"Authorization": f"Bearer {read_token}"})
    assert got.status_code == 422, got.text
    assert got.headers["content-type"].startswith("application/problem+json")
    assert [e["path"] for e in got.json()["errors"]] == [field]


def test_cli_json_is_the_api_answer_and_csv_is_payroll(files: tuple[Path, Path], client: TestClient,
                                                      read_token: str) -> None:
    scenario, rota = files
    done = rota_cli("hours", str(scenario), str(rota), "--format", "json")
    assert done.returncode == 0, done.stderr
    api = client.get("/v1/teams/tiny/hours", headers={"Authorization": f"Bearer {read_token}"}).json()
    assert json.loads(done.stdout) == api
    table = rota_cli("hours", str(scenario), str(rota))
    assert table.returncode == 0 and "ana" in table.stdout and "pay (USD)" in table.stdout
    assert "24.00 GBP" in table.stdout


def test_cli_bad_window_exits_2(files: tuple[Path, Path]) -> None:
    scenario, rota = files
    done = rota_cli("hours", str(scenario), str(rota), "--from", "2026-12-10", "--to", "2026-12-09")
    assert done.returncode == 2
    assert "to: the window ends before it starts" in done.stderr
