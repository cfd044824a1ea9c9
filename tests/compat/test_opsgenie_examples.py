"""Opsgenie's Who-is-on-call API as its documentation's request examples call it, over plain HTTP
against a running server (Opsgenie's Python SDK has no schedule calls)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from servekit import Server, Stored

PEAK = "2026-12-08T19:00:00Z"


@pytest.fixture
def opsgenie(tls_server: Server, stored: Stored) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{tls_server.base_url}/opsgenie", verify=tls_server.verify,
                      headers={"Authorization": f"GenieKey {stored.read}"}) as client:
        yield client


def envelope(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["took"], float) and len(body["requestId"]) == 36
    return body["data"]


def test_on_calls_by_name_flat_as_documented(opsgenie: httpx.Client) -> None:
    # The documentation's sample: ?scheduleIdentifierType=name&flat=true, here with a date.
    data = envelope(opsgenie.get("/v2/schedules/follow_eu/on-calls",
                                 params={"scheduleIdentifierType": "name", "flat": "true", "date": PEAK}))
    assert data == {"_parent": {"id": "follow.eu", "name": "follow_eu", "enabled": True},
                    "onCallRecipients": ["bo@example.com", "ana@example.com", "chen"]}


def test_on_calls_by_id_with_participants(opsgenie: httpx.Client) -> None:
    # `date` in the documented form with an offset, its '+' unescaped as the docs warn it may be
    data = envelope(opsgenie.get("/v2/schedules/follow.eu/on-calls?date=2026-12-08T20:00:00+01:00"))
    assert data["onCallParticipants"] == [
        {"id": "follow.bo", "name": "bo@example.com", "type": "user"},
        {"id": "follow.ana", "name": "ana@example.com", "type": "user"},
        {"id": "follow.chen", "name": "chen", "type": "user"},
    ]


def test_next_on_calls(opsgenie: httpx.Client) -> None:
    # At 13:00 only Ana is on call; Bo comes on at 14:00.
    data = envelope(opsgenie.get("/v2/schedules/follow.eu/next-on-calls",
                                 params={"date": "2026-12-08T13:00:00Z"}))
    assert [p["id"] for p in data["nextOnCallRecipients"]] == ["follow.ana", "follow.bo"]  # both working: 5 min
    assert [p["id"] for p in data["exactNextOnCallRecipients"]] == ["follow.bo"]
    flat = envelope(opsgenie.get("/v2/schedules/follow.eu/next-on-calls",
                                 params={"date": "2026-12-08T13:00:00Z", "flat": "true"}))
    assert flat["exactNextOnCallRecipients"] == ["bo@example.com"]


def test_list_schedules(opsgenie: httpx.Client) -> None:
    data = envelope(opsgenie.get("/v2/schedules"))
    assert [(s["id"], s["name"], s["timezone"], s["enabled"]) for s in data] == [
        ("follow.eu", "follow_eu", "Europe/London", True),
        ("follow.apac", "follow_apac", "Asia/Shanghai", True),
    ]


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/v2/schedules/follow.mars/on-calls", None, 404),
    ("/v2/schedules/follow_eu/on-calls", None, 404),  # a name, looked up as an id
    ("/v2/schedules/follow.eu/on-calls?scheduleIdentifierType=email", None, 422),
    ("/v2/schedules/follow.eu/on-calls?date=tomorrow", None, 422),
    ("/v2/schedules/follow.eu/on-calls?flat=maybe", None, 422),
    ("/v2/schedules/follow.eu/on-calls", {"Authorization": "GenieKey wrong"}, 401),
    ("/v2/schedules", {"Authorization": ""}, 401),
    ("/v2/alerts", None, 404),
], ids=["unknown-region", "name-as-id", "bad-identifier-type", "bad-date", "bad-flat",
        "unknown-key", "no-key", "not-in-subset"])
def test_errors_in_opsgenies_shape(opsgenie: httpx.Client, path: str, headers: dict | None,
                                   status: int) -> None:
    got = opsgenie.get(path, headers=headers)
    assert got.status_code == status
    body = got.json()
    assert set(body) >= {"message", "took", "requestId"} and isinstance(body["message"], str)


def test_a_key_for_another_team_sees_nothing_of_this_one(tls_server: Server, stored: Stored) -> None:
    with httpx.Client(base_url=f"{tls_server.base_url}/opsgenie", verify=tls_server.verify,
                      headers={"Authorization": f"GenieKey {stored.other_team}"}) as client:
        assert client.get("/v2/schedules/follow.eu/on-calls").status_code == 404
        assert client.get("/v2/schedules").json()["data"] == []
