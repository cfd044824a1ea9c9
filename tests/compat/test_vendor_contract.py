"""`/openapi.json` documents the vendor routes as they answer: every answer and every error (in the
vendor's shape, as `application/json`), their parameters and their auth; the errors the service
finds before a route runs (a control character, the store not answering) come in the same shapes."""

from __future__ import annotations

from typing import Any

import pytest
from contract import assert_documented
from fastapi.testclient import TestClient
from servekit import Stored

from rota.store import StoreUnavailable
from rota_api.compat.directory import Directory

PEAK = "2026-12-08T19:00:00Z"
WINDOW = f"since={PEAK}&until=2026-12-09T03:00:00Z"
VENDORS = {"/pagerduty": ("PagerDutyError", "PagerDutyToken", "Token token={}"),
           "/opsgenie": ("OpsgenieError", "GenieKey", "GenieKey {}")}


def _vendor(path: str) -> str:
    return next(prefix for prefix in VENDORS if path.startswith(prefix))


def _auth(path: str, token: str) -> dict[str, str]:
    return {"Authorization": VENDORS[_vendor(path)][2].format(token)}


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/openapi.json").json()
    return found


def test_every_vendor_operation_documents_its_answer_errors_parameters_and_auth(
        document: dict[str, Any]) -> None:
    vendor_paths = [p for p in document["paths"] if p.startswith(tuple(VENDORS))]
    assert len(vendor_paths) == 11
    for path in vendor_paths:
        error, scheme, _ = VENDORS[_vendor(path)]
        operation = document["paths"][path]["get"]
        answers = operation["responses"]
        assert answers["200"]["content"]["application/json"]["schema"]["$ref"].startswith(
            "#/components/schemas/"), path
        assert {"401", "403", "503"} <= set(answers) and ({"400"} <= set(answers)) == (
            error == "PagerDutyError"), path
        for status, entry in answers.items():
            if status != "200":
                assert entry["content"] == {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{error}"}}}, (path, status)
        assert operation["security"] == [{scheme: []}]
        documented = {(p["name"], p["in"]) for p in operation.get("parameters", [])}
        for name in (part[1:-1] for part in path.split("/") if part.startswith("{")):
            assert (name, "path") in documented, (path, name)
    schemes = document["components"]["securitySchemes"]
    assert schemes["PagerDutyToken"]["name"] == schemes["GenieKey"]["name"] == "Authorization"


ANSWERS = [
    ("/pagerduty/oncalls", f"?{WINDOW}&total=true"),
    ("/pagerduty/oncalls", f"?{WINDOW}&include[]=users&include[]=schedules"
                           "&include[]=escalation_policies&time_zone=Asia/Tokyo&earliest=true"),
    ("/pagerduty/schedules", "?limit=1&total=true"),
    ("/pagerduty/schedules/{schedule_id}", f"?{WINDOW}&overflow=true"),
    ("/pagerduty/schedules/{schedule_id}", ""),
    ("/pagerduty/schedules/{schedule_id}/users", f"?{WINDOW}"),
    ("/pagerduty/escalation_policies", "?user_ids[]=follow.ana"),
    ("/pagerduty/escalation_policies/{policy_id}", ""),
    ("/pagerduty/users", "?include[]=contact_methods"),
    ("/pagerduty/users", "?query=ana"),
    ("/pagerduty/users/{user_id}", "?include[]=contact_methods"),
    ("/opsgenie/v2/schedules", ""),
    ("/opsgenie/v2/schedules/{identifier}/on-calls", f"?date={PEAK}"),
    ("/opsgenie/v2/schedules/{identifier}/on-calls", f"?date={PEAK}&flat=true"),
    ("/opsgenie/v2/schedules/{identifier}/next-on-calls", f"?date={PEAK}"),
    ("/opsgenie/v2/schedules/{identifier}/next-on-calls", f"?date={PEAK}&flat=true"),
]
IDS = {"{schedule_id}": "follow.eu", "{policy_id}": "follow.eu", "{user_id}": "follow.ana",
       "{identifier}": "follow.eu"}


def _url(path: str, query: str) -> str:
    for name, value in IDS.items():
        path = path.replace(name, value)
    return path + query


def test_answers_are_exactly_documented(client: TestClient, stored: Stored,
                                        document: dict[str, Any]) -> None:
    for path, query in ANSWERS:
        got = client.get(_url(path, query), headers=_auth(path, stored.read))
        assert got.status_code == 200, (path, query, got.text)
        assert_documented(document, path, "get", 200, got.json(), got.headers["content-type"])


ERRORS = [
    ("/pagerduty/oncalls", "?since=yesterday", "read", 400),
    ("/pagerduty/users/{user_id}", "", "none", 401),
    ("/pagerduty/schedules/{schedule_id}", "", "other_team", 404),
    ("/opsgenie/v2/schedules/{identifier}/on-calls", "?date=yesterday", "read", 422),
    ("/opsgenie/v2/schedules", "", "none", 401),
    ("/opsgenie/v2/schedules/{identifier}/next-on-calls", "", "other_team", 404),
]


def test_errors_are_exactly_documented(client: TestClient, stored: Stored,
                                       document: dict[str, Any]) -> None:
    for path, query, who, status in ERRORS:
        headers = {} if who == "none" else _auth(path, getattr(stored, who))
        got = client.get(_url(path, query), headers=headers)
        assert got.status_code == status, (path, query, got.text)
        assert_documented(document, path, "get", status, got.json(), got.headers["content-type"])


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/pagerduty/oncalls?time_zone=UTC%00", 400, "code"),
    ("/pagerduty/users/follow.a%01na", 404, "code"),
    ("/opsgenie/v2/schedules/follow.eu/on-calls?date=%0A", 422, "errors"),
    ("/opsgenie/v2/schedules/follow%00eu/on-calls", 404, "message"),
], ids=["pagerduty-query", "pagerduty-path", "opsgenie-query", "opsgenie-path"])
def test_control_characters_are_refused_in_the_vendors_shape(
        client: TestClient, stored: Stored, document: dict[str, Any], url: str, status: int,
        field: str) -> None:
    got = client.get(url, headers=_auth(url, stored.read))
    assert (got.status_code, got.headers["content-type"]) == (status, "application/json"), got.text
    body = got.json()
    assert field in body.get("error", body)
    assert "type" not in body  # not problem+json


@pytest.mark.parametrize("path", ["/pagerduty/schedules", "/pagerduty/oncalls", "/opsgenie/v2/schedules"])
def test_a_store_that_does_not_answer_is_503_in_the_vendors_shape(
        client: TestClient, stored: Stored, document: dict[str, Any], path: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def down(_self: Directory) -> list[str]:
        raise StoreUnavailable("the store did not answer: OperationalError")

    monkeypatch.setattr(Directory, "team_ids", down)
    got = client.get(path, headers=_auth(path, stored.read))
    assert got.status_code == 503, got.text
    assert_documented(document, path, "get", 503, got.json(), got.headers["content-type"])
