"""`/oncall` over Slack: signatures made by Slack's own SDK, stale and forged requests refused,
answers in Slack's message format."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

import pytest
from apikit import SCENARIO_YAML, SLACK_SECRET, bearer
from fastapi.testclient import TestClient
from slack_sdk.signature import SignatureVerifier

from rota_api.app import create_app
from rota_api.settings import Settings

SLACK = SignatureVerifier(SLACK_SECRET)


def _signed(text: str, *, age: int = 0, secret: str = SLACK_SECRET) -> tuple[bytes, dict[str, str]]:
    body = urlencode({"command": "/oncall", "text": text, "user_id": "U1",
                      "team_id": "T1"}).encode()
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
               "Content-Type": "application/x-www-form-urlencoded"}
    assert SLACK.is_valid(body, timestamp, signature) == (secret == SLACK_SECRET and age < 300)
    return body, headers


def _command(client: TestClient, text: str, **kwargs: int) -> dict:  # type: ignore[type-arg]
    body, headers = _signed(text, **kwargs)
    got = client.post("/v1/slack/commands", content=body, headers=headers)
    assert got.status_code == 200, got.text
    return got.json()  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def inside_the_horizon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands ask about 2026-12-09 12:00Z: inside the tiny horizon, after its last shift."""
    from rota_api.routes import slack

    monkeypatch.setattr(slack, "utc_now", lambda: dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC))


def test_outside_the_horizon_says_so(client: TestClient, team: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from rota_api.routes import slack

    monkeypatch.setattr(slack, "utc_now", lambda: dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    answer = _command(client, "eu")
    assert answer["text"] == ("Outside the rota's horizon (2026-12-07T00:00:00Z to "
                              "2026-12-14T00:00:00Z): nothing is known at this instant.")


def test_signed_command_answers_in_slack_format(client: TestClient, team: str) -> None:
    answer = _command(client, "tiny eu P0")
    assert answer["response_type"] == "in_channel"
    assert answer["blocks"][0]["type"] == "header"
    section = answer["blocks"][1]["text"]["text"]
    assert section.startswith("*eu* (P0, target 15 min, 1 needed): ")
    assert answer["text"].startswith("*eu* (P0")


def test_the_only_team_is_the_default(client: TestClient, team: str) -> None:
    answer = _command(client, "us")
    assert [b["text"]["text"].split(" ")[0] for b in answer["blocks"][1:-1]] == ["*us*"]


def test_gap_shows_the_fallback_with_contacts(client: TestClient, team: str) -> None:
    # The tiny rota has nobody on call after 2026-12-08T05:00Z: every region is a gap now.
    answer = _command(client, "eu P2")
    text = answer["blocks"][1]["text"]["text"]
    assert "*GAP* (no responder)" in text
    assert "Fallback (not on call, fastest first):" in text


def test_unknown_word_gets_private_usage_help(client: TestClient, team: str) -> None:
    answer = _command(client, "tiny mars")
    assert answer["response_type"] == "ephemeral"
    assert "`mars` is neither a region of tiny (eu, us) nor a severity" in answer["text"]


def test_with_two_teams_the_configured_one_is_the_default(
        settings: Settings, client: TestClient, team: str, tokens: dict[str, str]) -> None:
    second = SCENARIO_YAML.replace("team: tiny", "team: second")
    client.put("/v1/teams/second", content=second,
               headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    ambiguous = _command(client, "eu")
    assert ambiguous["response_type"] == "ephemeral"
    assert ambiguous["text"].startswith("Which team? Known teams: second, tiny.")
    configured = settings.model_copy(update={"slack_team": "tiny"})
    with TestClient(create_app(configured)) as app_client:
        answer = _command(app_client, "eu")
    assert answer["response_type"] == "in_channel"
    assert answer["blocks"][0]["text"]["text"].startswith("On call for tiny")


@pytest.mark.parametrize(("kwargs", "detail"), [
    ({"age": 301}, "the Slack request is older than five minutes"),
    ({"age": 3600}, "the Slack request is older than five minutes"),
    ({"secret": "not-the-secret"}, "the Slack signature does not match"),
], ids=["just-stale", "an-hour-old", "wrong-secret"])
def test_stale_or_forged_requests_are_401(client: TestClient, team: str, kwargs: dict,  # type: ignore[type-arg]
                                          detail: str) -> None:
    body, headers = _signed("eu", **kwargs)
    got = client.post("/v1/slack/commands", content=body, headers=headers)
    assert got.status_code == 401
    assert got.json()["detail"] == detail


def test_tampered_body_is_401(client: TestClient, team: str) -> None:
    body, headers = _signed("eu")
    got = client.post("/v1/slack/commands", content=body.replace(b"eu", b"us"), headers=headers)
    assert got.status_code == 401


@pytest.mark.parametrize("drop", ["X-Slack-Signature", "X-Slack-Request-Timestamp"])
def test_unsigned_request_is_401(client: TestClient, team: str, drop: str) -> None:
    body, headers = _signed("eu")
    del headers[drop]
    assert client.post("/v1/slack/commands", content=body, headers=headers).status_code == 401


def test_slack_without_a_signing_secret_is_503(settings: Settings) -> None:
    bare = settings.model_copy(update={"slack_signing_secret": None})
    with TestClient(create_app(bare)) as client:
        body, headers = _signed("eu")
        got = client.post("/v1/slack/commands", content=body, headers=headers)
    assert got.status_code == 503
