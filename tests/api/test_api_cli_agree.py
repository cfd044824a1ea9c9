"""The CLI's `--format json` and the API give the same `now` and `gaps` answer to the same
question, inside the horizon, across its edges and outside it (DESIGN.md, "Time")."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from apikit import HERE, bearer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rota.cli import app as cli

FILES = [str(HERE / "tiny-team.yaml"), str(HERE / "tiny-rota.json")]


def _cli(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("at", ["2026-12-07T12:00:00Z", "2026-12-09T12:00:00Z", "2026-12-13T23:59:00Z",
                                "2026-11-01T00:00:00Z", "2026-12-14T00:00:00Z"],
                         ids=["covered", "gap", "last-minute", "before", "at-end"])
def test_now_is_the_same_from_cli_and_api(client: TestClient, team: str, tokens: dict[str, str],
                                          at: str) -> None:
    for narrow in ({}, {"region": "eu", "severity": "P2"}):
        api = client.get(f"/v1/teams/{team}/now?{urlencode({'at': at, **narrow})}",
                         headers=bearer(tokens["read"]))
        assert api.status_code == 200
        options = [word for name, value in narrow.items() for word in (f"--{name}", value)]
        assert _cli("now", *FILES, "--at", at, "--format", "json", *options) == api.json()


@pytest.mark.parametrize("window", [("2027-02-01T00:00:00Z", "2027-02-08T00:00:00Z"),
                                    ("2026-12-01T00:00:00Z", "2026-12-09T00:00:00Z"),
                                    ("2026-12-08T00:00:00Z", "2026-12-10T00:00:00Z")],
                         ids=["outside", "clipped", "inside"])
def test_gaps_are_the_same_from_cli_and_api(client: TestClient, team: str, tokens: dict[str, str],
                                            window: tuple[str, str]) -> None:
    api = client.get(f"/v1/teams/{team}/gaps?from={window[0]}&to={window[1]}",
                     headers=bearer(tokens["read"]))
    assert api.status_code == 200
    assert _cli("gaps", *FILES, "--from", window[0], "--to", window[1], "--format", "json") == api.json()
