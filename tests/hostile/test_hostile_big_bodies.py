"""Big uploads (issue 11, finding 9): bodies of hundreds of kilobytes, read in the upload process
(`rota_api.uploads`), answered as a small one would be, and nothing stored when refused; a body
is never read for a caller without a valid token. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import yaml
from apikit import SCENARIO_YAML, bearer, store_of
from fastapi.testclient import TestClient
from hostilekit import answered_in_time, stored_state

from rota_api.app import create_app
from rota_api.routes.teams import YAML_BODY_BYTES
from rota_api.settings import Settings
from rota_api.uploads import PROCESS_BYTES


def big_scenario(extra: int = 1400, **changes: Any) -> dict[str, Any]:
    """The tiny team with `extra` more engineers, each with a week of leave notes: past
    `PROCESS_BYTES` as YAML."""
    data = yaml.safe_load(SCENARIO_YAML)
    data["engineers"] += [
        {"id": f"e{i:04d}", "name": f"Engineer {i}", "timezone": "Europe/Berlin",
         "regions": ["eu"], "contact": {"email": f"e{i}@example.com"},
         "unavailable": [{"start": "2026-12-09", "end": "2026-12-10", "reason": "dentist"}]}
        for i in range(extra)]
    data.update(changes)
    return data


def as_yaml(data: dict[str, Any]) -> bytes:
    body = yaml.safe_dump(data, sort_keys=False).encode()
    assert len(body) >= PROCESS_BYTES, "the body must be big enough for the upload process"
    return body


def csv_rows(rows: int, *extra: str) -> bytes:
    lines = ["engineer,start,end"]
    for i in range(rows):
        who = ("ana", "bo")[i % 2]
        day = 7 + i % 6
        lines.append(f"{who},2026-12-{day:02d}T09:00:00Z,2026-12-{day:02d}T17:00:00Z")
    body = "\n".join([*lines, *extra]).encode()
    assert len(body) >= PROCESS_BYTES
    return body


def put_scenario(client: TestClient, tokens: dict[str, str], body: bytes,
                 **headers: str) -> Any:
    return answered_in_time(lambda: client.put(
        "/v1/teams/tiny", content=body,
        headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml", **headers}))


def put_rota(client: TestClient, tokens: dict[str, str], body: bytes, kind: str) -> Any:
    return answered_in_time(lambda: client.put(
        "/v1/teams/tiny/rota", content=body,
        headers={**bearer(tokens["plan"]), "Content-Type": kind}))


def test_a_big_scenario_is_stored_by_the_upload_process(client: TestClient, team: str,
                                                        tokens: dict[str, str]) -> None:
    got = put_scenario(client, tokens, as_yaml(big_scenario()))
    assert got.status_code == 200, got.text
    assert got.json() == {"team": "tiny", "revision": 2}
    assert client.app.state.services.uploads.processes == 1  # type: ignore[attr-defined]
    assert client.app.state.services.uploads._pool is not None  # type: ignore[attr-defined]
    stored = client.get("/v1/teams/tiny", headers=bearer(tokens["read"]))
    assert stored.headers["ETag"] == '"2"'
    assert len(stored.json()["engineers"]) == 1403
    now = client.get("/v1/teams/tiny/now?at=2026-12-07T10:00:00Z", headers=bearer(tokens["read"]))
    assert now.status_code == 200, now.text


def _unknown_region() -> tuple[bytes, dict[str, str], int, str]:
    data = big_scenario()
    data["engineers"][650]["regions"] = ["mars"]
    return as_yaml(data), {}, 422, "engineers[650].regions[0]"


def _other_team() -> tuple[bytes, dict[str, str], int, str]:
    return as_yaml(big_scenario(team="other")), {}, 422, "team"


def _broken_yaml_at_the_end() -> tuple[bytes, dict[str, str], int, str]:
    return as_yaml(big_scenario()) + b"pins: [unclosed\n", {}, 422, "line "


def _stale_if_match() -> tuple[bytes, dict[str, str], int, str]:
    return as_yaml(big_scenario()), {"If-Match": '"7"'}, 412, ""


def _overlapping_leave() -> tuple[bytes, dict[str, str], int, str]:
    data = big_scenario()
    data["engineers"][400]["unavailable"].append(
        {"start": "2026-12-09T12:00:00Z", "end": "2026-12-11T00:00:00Z"})
    return as_yaml(data), {}, 422, "engineers[400].unavailable[1]"


@pytest.mark.parametrize("case", [_unknown_region, _other_team, _broken_yaml_at_the_end,
                                  _stale_if_match, _overlapping_leave],
                         ids=lambda case: case.__name__.strip("_"))
def test_a_refused_big_scenario_changes_nothing(client: TestClient, team: str,
                                                tokens: dict[str, str], case: Any) -> None:
    body, headers, status, path = case()
    before = stored_state(client)
    got = put_scenario(client, tokens, body, **headers)
    assert got.status_code == status, got.text
    assert got.headers["content-type"].startswith("application/problem+json")
    if path:
        assert any(e["path"].startswith(path) for e in got.json()["errors"]), got.text
    assert stored_state(client) == before


def test_a_big_csv_rota_is_published_with_its_unmatched_rows(client: TestClient, team: str,
                                                             tokens: dict[str, str]) -> None:
    got = put_rota(client, tokens, csv_rows(7000, "nobody,2026-12-08T00:00:00Z,2026-12-08T01:00:00Z"),
                   "text/csv")
    assert got.status_code == 201, got.text
    answer = got.json()
    assert (answer["team"], answer["version"], answer["shifts"]) == ("tiny", 2, 6)
    assert answer["unmatched"] == [{"where": "line 7002", "text": "nobody",
                                    "reason": "matches no engineer", "occurrences": 1}]
    assert got.headers["ETag"].startswith('"2.')
    stored = store_of(client).teams.rota("tiny")
    assert stored.version == 2 and len(stored.shifts) == 6


@pytest.mark.parametrize(("body", "kind", "path"), [
    (csv_rows(7000, "ana,2026-12-08T25:00:00Z,2026-12-08T26:00:00Z"), "text/csv", "line 7002.start"),
    (csv_rows(7000, "bo,2026-12-08T10:00:00Z,2026-12-08T09:00:00Z"), "text/csv", "line 7002.end"),
    (json.dumps({"team": "tiny", "horizon": {"start": "2026-12-07", "days": 7}, "shifts": [
        {"engineer": ("ana", "bo", "chen")[q % 3],
         "start": f"2026-12-{7 + q // 96:02d}T{q // 4 % 24:02d}:{q % 4 * 15:02d}:00Z",
         "end": f"2026-12-{7 + (q + 1) // 96:02d}T{(q + 1) // 4 % 24:02d}:{(q + 1) % 4 * 15:02d}:00Z"}
        for q in range(600)]
        + [{"engineer": "ana", "start": "2027-06-01T00:00:00Z", "end": "2027-06-01T01:00:00Z"}]
    }, indent=200).encode(), "application/json", "shifts[600]"),
], ids=["csv-bad-time", "csv-inverted", "json-beyond-horizon"])
def test_a_refused_big_rota_changes_nothing(client: TestClient, team: str, tokens: dict[str, str],
                                            body: bytes, kind: str, path: str) -> None:
    assert len(body) >= PROCESS_BYTES
    before = stored_state(client)
    got = put_rota(client, tokens, body, kind)
    assert got.status_code == 422, got.text
    assert any(e["path"].startswith(path) for e in got.json()["errors"]), got.text
    assert stored_state(client) == before


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic YWxhZGRpbjpz"])
def test_a_body_is_not_read_without_a_valid_token(database_url: str,
                                                  authorization: str | None) -> None:
    """The server answers 401 before it receives a single byte of the body."""
    app = create_app(Settings(database_url=database_url, token_cache_seconds=0,
                              plan_queue="embedded", upload_processes=0))
    received: list[Any] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"content-type", b"application/yaml"), (b"content-length", b"8000000")]
    if authorization is not None:
        headers.append((b"authorization", authorization.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "PUT",
             "scheme": "http", "path": "/v1/teams/tiny", "raw_path": b"/v1/teams/tiny",
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    app.state.services.store.close()
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 401
    assert (b"connection", b"close") in start["headers"]
    assert received == []


def test_a_yaml_scenario_past_its_limit_is_413_and_the_same_as_json_is_stored(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    data = big_scenario(1900)
    for engineer in data["engineers"][3:]:
        engineer["unavailable"] = [{"start": f"2027-01-{k + 1:02d}", "end": f"2027-01-{k + 2:02d}"}
                                   for k in range(25)]
    body = as_yaml(data)
    assert len(body) > YAML_BODY_BYTES
    before = stored_state(client)
    got = put_scenario(client, tokens, body)
    assert got.status_code == 413, got.text
    assert "send it as JSON" in got.json()["detail"]
    assert stored_state(client) == before
    as_json = put_scenario(client, tokens, json.dumps(data, default=str).encode(),
                           **{"Content-Type": "application/json"})
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["revision"] == 2
