"""`GET /v1/teams/{team}/handoffs`: the same JSON as `rota handoffs --format json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from apikit import HERE, bearer
from fastapi.testclient import TestClient


def test_handoffs_answer_equals_the_cli_json(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/handoffs?from=2026-12-07T00:00:00Z&to=2026-12-08T12:00:00Z",
                     headers=bearer(tokens["read"]))
    assert got.status_code == 200, got.text
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("rota")), "handoffs", str(HERE / "tiny-team.yaml"),
         str(HERE / "tiny-rota.json"), "--from", "2026-12-07T00:00:00Z", "--to", "2026-12-08T12:00:00Z",
         "--format", "json"], capture_output=True, text=True, check=True)
    assert got.json() == json.loads(cli.stdout)
    [eu, us] = got.json()["regions"]
    assert [(h["at"], [p["engineer"] for p in h["on"]], [p["engineer"] for p in h["off"]])
            for h in us["handoffs"]] == [
        ("2026-12-07T09:00:00Z", ["ana"], []),
        ("2026-12-07T19:00:00Z", ["bo"], ["ana"]),
        ("2026-12-08T04:00:00Z", [], ["bo"]),  # 23:00 in New York: Bo falls asleep
    ]
    assert us["handoffs"][1]["local_time"] == "2026-12-07T14:00-05:00"


def test_handoffs_bad_input_is_a_problem(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    read = bearer(tokens["read"])
    inverted = client.get(f"/v1/teams/{team}/handoffs?from=2026-12-08T00:00:00Z&to=2026-12-07T00:00:00Z",
                          headers=read)
    assert inverted.status_code == 422 and inverted.json()["errors"][0]["path"] == "to"
    bad = client.get(f"/v1/teams/{team}/handoffs?from=yesterday", headers=read)
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "from"
    assert client.get(f"/v1/teams/{team}/handoffs?region=mars", headers=read).status_code == 404
    assert client.get(f"/v1/teams/{team}/handoffs").status_code == 401
    assert client.get(f"/v1/teams/{team}/handoffs", headers=bearer(tokens["read_other_team"])).status_code == 403
