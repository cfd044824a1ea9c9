"""`rota calibrate` and `POST /v1/teams/{team}/calibration` (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings

TEAM = """\
team: t
horizon: {start: 2026-12-07, days: 2}
regions:
  - {id: eu, timezone: Europe/London, peak_windows: [{start: "00:00", end: "24:00"}],
     peak: {severity: P0, responders: 1}}
engineers:
  - {id: li, timezone: Asia/Shanghai, regions: [eu], contact: {email: li@example.com}}
  - {id: ana, timezone: Europe/London, regions: [eu]}
"""
ROTA = {"team": "t", "version": 1, "shifts": [
    {"engineer": "li", "start": "2026-11-30T16:00:00Z", "end": "2026-11-30T22:00:00Z"},
    {"engineer": "li", "start": "2026-12-07T16:00:00Z", "end": "2026-12-07T22:00:00Z"}]}
# Li answers within 5-8 minutes at night in Shanghai (the scenario assumes 60 asleep).
NIGHT = dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)
ACKS = "engineer,triggered_at,acknowledged_at,severity\n" + "".join(
    f"li@example.com,{NIGHT + dt.timedelta(minutes=12 * i):%Y-%m-%dT%H:%M:%SZ},"
    f"{NIGHT + dt.timedelta(minutes=12 * i + 5 + i % 4):%Y-%m-%dT%H:%M:%SZ},P0\n" for i in range(24))


def rota_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_cli_writes_the_patch_and_shows_the_gaps_it_closes(tmp_path: Path) -> None:
    scenario, rota, acks, patch = (tmp_path / n for n in ("t.yaml", "rota.json", "acks.csv", "patch.yaml"))
    scenario.write_text(TEAM)
    rota.write_text(json.dumps(ROTA))
    acks.write_text(ACKS)
    done = rota_cli("calibrate", str(scenario), str(acks), "--rota", str(rota), "-o", str(patch))
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("│ li ") and "asleep" in line)
    assert [c.strip() for c in row.strip("│").split("│")][2:5] == ["24", "8.1", "60"]  # samples, estimate, assumed
    assert "applying the patch closes 1 gaps (360 min)" in done.stdout
    assert ("ana working at Mon 07 Dec 11:00 Europe/London (2026-12-07T11:00:00Z): "
            "no one on the team was ever paged working") in done.stdout
    written = yaml.safe_load(patch.read_text())
    [li] = written["engineers"]
    assert li["id"] == "li" and 8 <= li["response_minutes"]["asleep"] <= 11
    as_json = json.loads(rota_cli("calibrate", str(scenario), str(acks), "--rota", str(rota),
                                  "--format", "json").stdout)
    assert as_json["patch"] == written
    assert [g["cause"] for g in as_json["closes"]] == ["too_slow"]


def test_cli_bad_rows_exit_2_naming_lines(tmp_path: Path) -> None:
    scenario, acks = tmp_path / "t.yaml", tmp_path / "acks.csv"
    scenario.write_text(TEAM)
    acks.write_text("engineer,triggered_at,acknowledged_at\nli,2026-11-30T16:00:00Z,2026-11-30T15:00:00Z\n")
    done = rota_cli("calibrate", str(scenario), str(acks))
    assert done.returncode == 2
    assert "line 2: acknowledged before it was triggered" in done.stderr


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url, token_cache_seconds=0))) as test_client:
        yield test_client


@pytest.fixture
def read_headers(client: TestClient) -> dict[str, str]:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    admin = {"Authorization": f"Bearer {store.tokens.create('admin')[0]}"}
    assert client.put("/v1/teams/t", content=TEAM,
                      headers={**admin, "Content-Type": "application/yaml"}).status_code == 201
    assert client.put("/v1/teams/t/rota", json=ROTA, headers=admin).status_code == 201
    return {"Authorization": f"Bearer {store.tokens.create('read', ['t'])[0]}"}


def test_api_calibration_answers_the_patch_and_its_effect(client: TestClient, read_headers: dict[str, str]) -> None:
    got = client.post("/v1/teams/t/calibration?quantile=0.9", content=ACKS,
                      headers={**read_headers, "Content-Type": "text/csv"})
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["rota_version"], body["records_used"], body["format"]) == (1, 24, "generic")
    assert [e["id"] for e in body["patch"]["engineers"]] == ["li"]
    assert [(g["start"], g["cause"]) for g in body["closes"]] == [("2026-12-07T16:00:00Z", "too_slow")]
    assert {(p["engineer"], p["band"]) for p in body["test_pages"]} >= {("ana", "asleep"), ("li", "working")}
    stored = client.get("/v1/teams/t", headers=read_headers).json()
    assert "response_minutes" not in stored["engineers"][0] or stored["engineers"][0]["response_minutes"] == {}


def test_api_calibration_errors_are_problems(client: TestClient, read_headers: dict[str, str]) -> None:
    bad = client.post("/v1/teams/t/calibration", content="engineer,triggered_at,acknowledged_at\nli,x,y\n",
                      headers={**read_headers, "Content-Type": "text/csv"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert [e["path"] for e in bad.json()["errors"]] == ["line 2.triggered_at", "line 2.acknowledged_at"]
    assert client.post("/v1/teams/t/calibration?quantile=2", content=ACKS,
                       headers={**read_headers, "Content-Type": "text/csv"}).status_code == 422
