"""Every error is problem+json; one test per mapping of the core's error types to a status."""

from __future__ import annotations

import pytest
from apikit import SCENARIO_YAML, bearer
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rota.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PlanningError,
    RotaError,
    RotaInvalid,
    ScenarioInvalid,
)
from rota.store import StaleWrite, StoreUnavailable
from rota.store.plans import QueueFull
from rota_api.problems import STATUS, Forbidden, Unauthenticated, Unavailable, UnsupportedMedia, install

MAPPING = [
    (InvalidInput([FieldError("a.b", "bad")]), 422),
    (ScenarioInvalid([FieldError("engineers[0].timezone", "unknown")]), 422),
    (RotaInvalid([FieldError("shifts[1].end", "ends before it starts")]), 422),
    (NotFound("no team 'x'"), 404),
    (StaleWrite("stale"), 412),
    (Conflict("busy"), 409),
    (QueueFull("too many plans", 7.2), 429),
    (LimitExceeded("too big"), 413),
    (PlanningError("pin breaks a rule"), 422),
    (Unauthenticated("who?"), 401),
    (Forbidden("no"), 403),
    (UnsupportedMedia("pdf"), 415),
    (Unavailable("off"), 503),
    (StoreUnavailable("down"), 503),
    (RotaError("other"), 400),
]


@pytest.mark.parametrize(("error", "status"), MAPPING, ids=[type(e).__name__ for e, _ in MAPPING])
def test_each_core_error_maps_to_its_status(error: RotaError, status: int) -> None:
    app = FastAPI()
    install(app)

    @app.get("/boom")
    def boom() -> None:
        raise error

    got = TestClient(app).get("/boom")
    assert got.status_code == status
    assert got.headers["content-type"] == "application/problem+json"
    body = got.json()
    assert (body["status"], body["title"]) == (status, error.title)
    assert body["type"].startswith("/problems/")
    if isinstance(error, InvalidInput):
        assert body["errors"] == [{"path": e.path, "message": e.message} for e in error.errors]


def test_every_mapped_type_is_tested() -> None:
    assert {cls for cls, _, _ in STATUS} <= {type(e) for e, _ in MAPPING}


def test_unexpected_exception_is_a_problem_500_without_the_message() -> None:
    app = FastAPI()
    install(app)

    @app.get("/bug")
    def bug() -> None:
        raise KeyError("secret internals")

    got = TestClient(app, raise_server_exceptions=False).get("/bug")
    assert got.status_code == 500
    assert got.headers["content-type"] == "application/problem+json"
    assert "secret" not in got.text


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/v1/nowhere", 404),
    ("GET", "/", 404),
    ("DELETE", "/v1/teams/tiny", 405),
    ("PATCH", "/v1/teams/tiny/now", 405),
], ids=["unknown-path", "root", "delete-team", "patch-now"])
def test_routing_errors_are_problems(client: TestClient, method: str, path: str,
                                     status: int) -> None:
    got = client.request(method, path)
    assert got.status_code == status
    assert got.headers["content-type"] == "application/problem+json"
    assert got.json()["status"] == status


def test_body_over_the_limit_is_413_by_content_length(client: TestClient, team: str,
                                                      tokens: dict[str, str]) -> None:
    big = SCENARIO_YAML + "#" * (70 * 1024)
    got = client.put("/v1/teams/tiny", content=big,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code == 413
    assert got.headers["content-type"] == "application/problem+json"
    assert got.json()["detail"] == "request bodies are limited to 65536 bytes"


def test_streamed_body_over_the_limit_is_413(client: TestClient, team: str,
                                             tokens: dict[str, str]) -> None:
    def chunks():  # no Content-Length: the body arrives chunked
        for _ in range(80):
            yield b"#" * 1024

    got = client.put("/v1/teams/tiny", content=chunks(),
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code == 413


MALFORMED = [
    ("PUT", "/v1/teams/tiny", "application/yaml", b"team: [unclosed"),
    ("PUT", "/v1/teams/tiny", "application/json", b'{"team": '),
    ("PUT", "/v1/teams/tiny", "application/yaml", b"\xff\xfe\x00bad"),
    ("PUT", "/v1/teams/tiny", "application/yaml", b"- just\n- a list\n"),
    ("PUT", "/v1/teams/tiny", "application/yaml", b""),
    ("PUT", "/v1/teams/tiny/rota", "application/json", b"[1, 2]"),
    ("PUT", "/v1/teams/tiny/rota", "application/json", b'{"team": "tiny", "shifts": "x"}'),
    ("PUT", "/v1/teams/tiny/rota", "application/json", b"nope"),
    ("POST", "/v1/teams/tiny/overrides", "application/json", b'{"engineer": 5}'),
    ("POST", "/v1/teams/tiny/overrides", "application/json", b"not json"),
    ("POST", "/v1/teams/tiny/plans", "application/json", b'{"time_limit_seconds": -1}'),
    ("POST", "/v1/teams/tiny/plans", "application/json", b'{"time_limit_seconds": 1e9}'),
    ("POST", "/v1/teams/tiny/plans", "application/json", b"[]"),
]


@pytest.mark.parametrize(("method", "path", "kind", "body"), MALFORMED,
                         ids=[f"{m}-{p.rsplit('/', 1)[-1]}-{i}" for i, (m, p, _, _) in enumerate(MALFORMED)])
def test_malformed_input_is_a_4xx_problem(client: TestClient, team: str, tokens: dict[str, str],
                                          method: str, path: str, kind: str, body: bytes) -> None:
    got = client.request(method, path, content=body,
                         headers={**bearer(tokens["admin"]), "Content-Type": kind})
    assert got.status_code in (400, 422), got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert got.json()["errors"]


EDGES = [
    ("GET", "/v1/teams/tiny/now?at=9999-12-31T23:00:00Z", None, 422),
    ("GET", "/v1/teams/tiny/now?at=0001-01-01", None, 422),
    ("GET", "/v1/teams/tiny/now?at=2026-13-45", None, 422),
    ("GET", "/v1/teams/tiny/gaps?from=0001-01-01&to=9999-01-01", None, 422),
    ("GET", "/v1/teams/tiny/gaps?from=1970-01-01", None, 422),
    ("GET", "/v1/teams/tiny/rota?version=99999999999999999999", None, 422),
    ("POST", "/v1/teams/tiny/overrides",
     {"engineer": "ana", "start": "0001-01-01T00:00:00Z", "end": "0001-01-02T00:00:00Z"}, 422),
    ("POST", "/v1/teams/tiny/overrides",
     {"engineer": "ana", "start": "2026-12-07T00:00:00Z", "end": "2027-12-07T00:00:00Z"}, 422),
    ("PUT", "/v1/teams/tiny/rota", {"team": "tiny", "shifts": [
        {"engineer": "ana", "start": "0001-01-01T00:00:00Z", "end": "0001-01-01T08:00:00Z"}]}, 422),
    ("POST", "/v1/teams/tiny/plans", {"previous": 99999999999999999999}, 422),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), EDGES,
                         ids=[f"{m}-{i}" for i, (m, _, _, _) in enumerate(EDGES)])
def test_extreme_values_are_refused_not_crashed_on(client: TestClient, team: str,
                                                   tokens: dict[str, str], method: str, path: str,
                                                   body: object, status: int) -> None:
    got = client.request(method, path, json=body, headers=bearer(tokens["admin"]))
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["/v1/teams/tiny", "/v1/teams/tiny/rota"], ids=["scenario", "rota"])
def test_json_nested_too_deeply_is_a_422_not_a_500(client: TestClient, team: str,
                                                   tokens: dict[str, str], path: str) -> None:
    body = "[" * 5_000 + "]" * 5_000
    got = client.put(path, content=body,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/json"})
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert "nested too deeply" in got.text
