"""`rota report-link TEAM`: a signed link the API opens when both share `ROTA_LINK_SECRET`; without
the key, for an unknown team or past the longest lifetime, exit 2 and no link."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rota.cli import app
from rota.reportlink import link_signature, report_path
from rota.rotafile import parse_rota
from rota.store import Store
from rota.validation import load_scenario
from rota_api.app import create_app
from rota_api.settings import Settings

API = Path(__file__).resolve().parents[1] / "api"


@pytest.fixture
def stored(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    import json

    scenario = load_scenario(API / "tiny-team.yaml")
    store = Store.open(database_url)
    store.teams.put_scenario(scenario)
    store.teams.publish(parse_rota(json.loads((API / "tiny-rota.json").read_text()), scenario),
                        "test")
    store.close()
    monkeypatch.setenv("ROTA_DATABASE_URL", database_url)
    monkeypatch.setenv("ROTA_LINK_SECRET", "shared-key")
    return database_url


def test_a_printed_link_opens_the_page_of_an_api_with_the_same_key(stored: str) -> None:
    got = CliRunner().invoke(app, ["report-link", "tiny", "--expires-in", "2h",
                                   "--base-url", "https://rota.example.com/"])
    assert got.exit_code == 0, got.output
    url = urlsplit(got.stdout.strip())
    assert (url.scheme, url.netloc, url.path) == ("https", "rota.example.com", "/v1/teams/tiny/report")
    expires = int(parse_qs(url.query)["expires"][0])
    assert abs(expires - (time.time() + 7200)) < 60
    settings = Settings(database_url=stored, link_secret="shared-key", plan_queue="embedded",
                        upload_processes=0)
    with TestClient(create_app(settings)) as client:
        assert client.get(f"{url.path}?{url.query}").status_code == 200
    other = Settings(database_url=stored, link_secret="another-key", plan_queue="embedded",
                     upload_processes=0)
    with TestClient(create_app(other)) as client:
        assert client.get(f"{url.path}?{url.query}").status_code == 403


@pytest.mark.parametrize(("args", "unset", "says"), [
    (["report-link", "tiny"], True, "ROTA_LINK_SECRET"),
    (["report-link", "nope"], False, "nope"),
    (["report-link", "tiny", "--expires-in", "2d"], False, "--expires-in"),
    (["report-link", "tiny", "--expires-in", "soon"], False, "--expires-in"),
])
def test_no_link_without_the_key_a_team_or_a_lifetime_within_bounds(
        stored: str, monkeypatch: pytest.MonkeyPatch, args: list[str], unset: bool,
        says: str) -> None:
    if unset:
        monkeypatch.delenv("ROTA_LINK_SECRET")
    got = CliRunner().invoke(app, args)
    assert got.exit_code == 2, got.output
    assert got.stdout == "" or "http" not in got.stdout
    assert says in got.output
    assert "Traceback" not in got.output


def test_the_api_refuses_a_signed_link_past_its_longest_lifetime(stored: str) -> None:
    expires = int(time.time()) + 3 * 86400
    signature = link_signature(b"shared-key", "tiny", report_path("tiny"), expires)
    settings = Settings(database_url=stored, link_secret="shared-key", plan_queue="embedded",
                        upload_processes=0)
    with TestClient(create_app(settings)) as client:
        got = client.get(f"/v1/teams/tiny/report?expires={expires}&signature={signature}")
    assert got.status_code == 403
    assert "longer than" in got.json()["detail"]
