"""PagerDuty routes answer bad input as PagerDuty does: its status and `{"error": {...}}`, never 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from servekit import Stored

PEAK = "2026-12-08T19:00:00Z"


def token(value: str) -> dict[str, str]:
    return {"Authorization": f"Token token={value}"}


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/pagerduty/oncalls?since=yesterday", 400, 2001),
    (f"/pagerduty/oncalls?since={PEAK}&until=2026-12-08T18:00:00Z", 400, 2001),
    ("/pagerduty/oncalls?until=2199-01-01T00:00:00Z", 400, 2001),  # more than 90 days ahead
    ("/pagerduty/oncalls?limit=many", 400, 2001),
    ("/pagerduty/oncalls?limit=0", 400, 2001),
    ("/pagerduty/oncalls?offset=-1", 400, 2001),
    # an offset past 64 bits answered 500 (the answer echoes it; found by the stateful fuzz)
    ("/pagerduty/oncalls?offset=144136191590682566730016882688", 400, 2001),
    ("/pagerduty/escalation_policies?offset=144136191590682566730016882688&limit=3468", 400, 2001),
    ("/pagerduty/users?offset=10001", 400, 2001),
    ("/pagerduty/oncalls?include[]=services", 400, 2001),
    ("/pagerduty/oncalls?time_zone=Mars/Olympus", 400, 2001),
    ("/pagerduty/oncalls?earliest=perhaps", 400, 2001),
    ("/pagerduty/schedules/follow.mars", 404, 2100),
    ("/pagerduty/schedules/nodot", 404, 2100),
    ("/pagerduty/schedules/ghost.eu", 404, 2100),
    ("/pagerduty/schedules/follow.eu?since=2026-12-09T00:00:00Z&until=2026-12-08T00:00:00Z", 400, 2001),
    ("/pagerduty/schedules/follow.eu?since=2026-01-01T00:00:00Z&until=2028-01-01T00:00:00Z", 400, 2001),
    ("/pagerduty/users/follow.nobody", 404, 2100),
    ("/pagerduty/escalation_policies/follow.mars", 404, 2100),
    ("/pagerduty/incidents", 404, 2100),
], ids=lambda v: str(v))
def test_bad_input_answers_in_pagerdutys_shape(client: TestClient, stored: Stored, path: str,
                                                status: int, code: int) -> None:
    got = client.get(path, headers=token(stored.read))
    assert got.status_code == status, got.text
    error = got.json()["error"]
    assert error["code"] == code and isinstance(error["message"], str)


def test_auth_errors(client: TestClient, stored: Stored) -> None:
    missing = client.get("/pagerduty/oncalls")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == 2006
    wrong = client.get("/pagerduty/oncalls", headers=token("not-a-token"))
    assert wrong.status_code == 401
    bearer = client.get("/pagerduty/users", headers={"Authorization": f"Bearer {stored.read}"})
    assert bearer.status_code == 200 and len(bearer.json()["users"]) == 3
    # a token limited to another team does not see this one, as PagerDuty hides what you may not read
    other = client.get("/pagerduty/schedules/follow.eu", headers=token(stored.other_team))
    assert other.status_code == 404
    assert client.get("/pagerduty/users", headers=token(stored.other_team)).json()["users"] == []


def test_limits_pagination_and_time_zone(client: TestClient, stored: Stored) -> None:
    window = "since=2026-12-08T00:00:00Z&until=2026-12-10T12:00:00Z"
    big = client.get(f"/pagerduty/oncalls?{window}&limit=500&total=true", headers=token(stored.read)).json()
    assert big["limit"] == 100 and big["more"] is False and big["total"] == len(big["oncalls"])
    page = client.get(f"/pagerduty/oncalls?{window}&limit=2&offset=2", headers=token(stored.read)).json()
    assert page["oncalls"] == big["oncalls"][2:4] and page["more"] is True and page["total"] is None
    local = client.get(f"/pagerduty/oncalls?since={PEAK}&until={PEAK}&time_zone=America/New_York"
                       "&escalation_policy_ids[]=follow.eu&include[]=users", headers=token(stored.read)).json()
    bo = local["oncalls"][0]
    assert (bo["start"], bo["user"]["type"], bo["user"]["email"]) == (
        "2026-12-08T09:00:00-05:00", "user", "bo@example.com")


def test_earliest_and_user_filter(client: TestClient, stored: Stored) -> None:
    window = "since=2026-12-08T00:00:00Z&until=2026-12-10T12:00:00Z"
    got = client.get(f"/pagerduty/oncalls?{window}&user_ids[]=follow.chen&earliest=true",
                     headers=token(stored.read)).json()["oncalls"]
    assert [(o["schedule"]["id"], o["escalation_level"], o["start"]) for o in got] == [
        ("follow.eu", 1, "2026-12-08T16:00:00Z"),
        ("follow.eu", 2, "2026-12-08T18:00:00Z"),
        ("follow.apac", 1, "2026-12-08T23:00:00Z"),
        ("follow.apac", 2, "2026-12-08T16:00:00Z"),
    ]


@pytest.mark.parametrize("ids", ["ghost.eu", "nodot", "follow.", ".eu", "follow.mars"])
def test_filters_naming_nothing_match_nothing(client: TestClient, stored: Stored, ids: str) -> None:
    got = client.get(f"/pagerduty/oncalls?since={PEAK}&until={PEAK}&escalation_policy_ids[]={ids}",
                     headers=token(stored.read))
    assert got.status_code == 200 and got.json()["oncalls"] == []


@pytest.mark.parametrize(("path", "vendor"), [
    ("/pagerduty/incidents", "pagerduty"), ("/opsgenie/v2/alerts", "opsgenie"), ("/v1/teams/follow/overrides", None)])
def test_a_body_over_the_limit_is_413_in_the_vendors_shape(client: TestClient, stored: Stored, path: str,
                                                           vendor: str | None) -> None:
    """Refused from its Content-Length before any route (`rota_api.bodylimit`), as the vendor answers
    errors under its prefix; our own routes keep problem+json."""
    from rota_api.bodylimit import SMALL_BODY_BYTES

    got = client.post(path, content=b"x" * (SMALL_BODY_BYTES + 1),
                      headers={**token(stored.read), "Content-Type": "application/json"})
    assert got.status_code == 413 and got.headers["connection"] == "close"
    detail = f"request bodies are limited to {SMALL_BODY_BYTES} bytes"
    if vendor == "pagerduty":
        assert got.headers["content-type"] == "application/json"
        assert got.json() == {"error": {"message": "Request Entity Too Large", "code": 2001, "errors": [detail]}}
    elif vendor == "opsgenie":
        body = got.json()
        assert got.headers["content-type"] == "application/json"
        assert body["message"] == detail and {"took", "requestId"} <= set(body)
    else:
        assert got.headers["content-type"] == "application/problem+json"
        assert got.json()["detail"] == detail
