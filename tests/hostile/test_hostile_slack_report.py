"""Slack and the report page under hostile input: nothing echoed into Slack can ping a channel or
forge a link, and the report page takes only read tokens in its URL and is never cached."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any
from urllib.parse import urlencode

import yaml
from apikit import SCENARIO_YAML, SLACK_SECRET, bearer
from fastapi.testclient import TestClient
from slack_sdk.signature import SignatureVerifier

from rota_api import slack


def _command(client: TestClient, text: str) -> dict[str, Any]:
    body = urlencode({"command": "/oncall", "text": text}).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SLACK_SECRET).generate_signature(timestamp=timestamp, body=body)
    got = client.post("/v1/slack/commands", content=body,
                      headers={"X-Slack-Request-Timestamp": timestamp,
                               "X-Slack-Signature": signature or "",
                               "Content-Type": "application/x-www-form-urlencoded"})
    assert got.status_code == 200, got.text
    answer: dict[str, Any] = got.json()
    return answer


def _everything_said(answer: dict[str, Any]) -> str:
    return json.dumps(answer)


def test_a_hostile_name_is_escaped_in_the_channel_message(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    """`/oncall` answers for the present, so the team's horizon is moved to hold today."""
    today = dt.datetime.now(dt.UTC).date()
    data = yaml.safe_load(SCENARIO_YAML)
    data["engineers"][0]["name"] = "<!channel> & <https://evil.example|click>"
    data["horizon"] = {"start": str(today - dt.timedelta(days=1)), "days": 3}
    put = client.put("/v1/teams/tiny", content=json.dumps(data),
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/json"})
    assert put.status_code == 200, put.text
    on_call = {"team": "tiny", "shifts": [
        {"engineer": "ana", "start": f"{today - dt.timedelta(days=1)}T00:00:00Z",
         "end": f"{today + dt.timedelta(days=2)}T00:00:00Z"}]}
    upload = client.put("/v1/teams/tiny/rota", json=on_call, headers=bearer(tokens["plan"]))
    assert upload.status_code == 201, upload.text
    said = _everything_said(_command(client, "tiny eu"))
    assert "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" in said
    assert "<!channel>" not in said and "<https://evil" not in said


def test_typed_words_are_escaped_in_the_usage_help(client: TestClient, team: str) -> None:
    answer = _command(client, "tiny <!here>")
    assert answer["response_type"] == "ephemeral"
    assert "&lt;!here&gt;" in answer["text"] and "<!here>" not in answer["text"]


def test_only_a_member_id_becomes_a_mention() -> None:
    """A scenario stored before Slack ids were validated may hold anything there."""
    person = {"name": "Ana", "local_time": "t", "timezone": "Europe/London", "band": "awake",
              "response_minutes": 15, "meets_target": True, "on_call_until": None,
              "contact": {"slack": "<!channel> U0ANA", "email": "a@example.com"}}
    answer = {"team": "tiny", "at": "t", "rota_version": 1, "regions": [
        {"region": "eu", "severity": "P0", "target_minutes": 15, "required": 1, "covered": True,
         "gap": None, "responders": [person, {**person, "contact": {"slack": "U0ANA"}}],
         "fallback": []}]}
    text = slack.message(answer)["blocks"][1]["text"]["text"]
    assert "&lt;!channel&gt; U0ANA" in text and "<@U0ANA>" in text
    assert "<!channel>" not in text


def test_the_report_link_takes_only_read_tokens(client: TestClient, tokens: dict[str, str],
                                                team: str) -> None:
    for scope in ("plan", "admin"):
        refused = client.get(f"/v1/teams/tiny/report?access_token={tokens[scope]}")
        assert refused.status_code == 403, scope
        assert "scope 'read'" in refused.json()["detail"]
    page = client.get(f"/v1/teams/tiny/report?access_token={tokens['read']}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    header = client.get("/v1/teams/tiny/report", headers=bearer(tokens["admin"]))
    assert header.status_code == 200  # a header token of any scope that grants read is fine
