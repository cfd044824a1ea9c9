"""`/openapi.json` is a contract: every answer is documented field for field, every error as the
problem+json the service sends, and a client generated from the document reads `now` and `gaps`."""

from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from apikit import bearer
from contract import assert_documented
from fastapi.testclient import TestClient

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _document(client: TestClient) -> dict[str, Any]:
    got = client.get("/openapi.json")
    assert got.status_code == 200
    return got.json()  # type: ignore[no-any-return]


def test_every_error_is_documented_as_problem_json(client: TestClient) -> None:
    document = _document(client)
    assert "HTTPValidationError" not in json.dumps(document)
    for path, operations in document["paths"].items():
        if path.startswith(("/pagerduty", "/opsgenie")):
            continue  # errors in the vendors' shapes
        for method, operation in operations.items():
            for status, entry in operation["responses"].items():
                if status.startswith("4") or (status == "503" and path != "/healthz"):
                    assert entry["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                        method, path, status)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "errors" in problem["properties"]


def test_bearer_routes_document_401_403_and_404(client: TestClient) -> None:
    document = _document(client)
    for path in ("/v1/teams/{team}/now", "/v1/teams/{team}/gaps", "/v1/teams/{team}/rota"):
        assert {"401", "403", "404", "422"} <= set(document["paths"][path]["get"]["responses"])
    put_rota = document["paths"]["/v1/teams/{team}/rota"]["put"]["responses"]
    assert {"412", "413", "415", "422"} <= set(put_rota)
    publish = document["paths"]["/v1/teams/{team}/plans/{plan_id}/publish"]["post"]["responses"]
    assert {"409", "412"} <= set(publish)


def test_now_and_gaps_name_their_models(client: TestClient) -> None:
    paths = _document(client)["paths"]
    for path, model in (("/v1/teams/{team}/now", "NowAnswer"), ("/v1/teams/{team}/gaps", "GapsAnswer")):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{model}"}


@pytest.mark.parametrize("query", [
    "at=2026-12-07T12:00:00Z", "at=2026-12-09T12:00:00Z&region=eu&severity=P2",
    "at=2027-06-01T00:00:00Z"], ids=["covered", "gap-with-fallback", "outside-horizon"])
def test_now_answers_are_exactly_documented(client: TestClient, team: str,
                                            tokens: dict[str, str], query: str) -> None:
    got = client.get(f"/v1/teams/{team}/now?{query}", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    assert_documented(_document(client), "/v1/teams/{team}/now", "get", 200, got.json())


@pytest.mark.parametrize("query", [
    "", "from=2026-12-10T00:00:00Z&to=2027-01-10T00:00:00Z", "from=2027-02-01T00:00:00Z&to=2027-02-08T00:00:00Z"],
    ids=["horizon", "clipped", "outside-horizon"])
def test_gaps_answers_are_exactly_documented(client: TestClient, team: str,
                                             tokens: dict[str, str], query: str) -> None:
    got = client.get(f"/v1/teams/{team}/gaps?{query}", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    assert_documented(_document(client), "/v1/teams/{team}/gaps", "get", 200, got.json())


def test_write_answers_and_problems_are_exactly_documented(client: TestClient, team: str,
                                                           tokens: dict[str, str]) -> None:
    document = _document(client)
    added = client.post(f"/v1/teams/{team}/overrides", headers=bearer(tokens["plan"]),
                        json={"engineer": "chen", "replaces": "bo", "start": "2026-12-07T12:00:00Z",
                              "end": "2026-12-07T13:00:00Z"})
    assert added.status_code == 201
    assert_documented(document, "/v1/teams/{team}/overrides", "post", 201, added.json())
    rota = client.get(f"/v1/teams/{team}/rota", headers=bearer(tokens["read"]))
    assert_documented(document, "/v1/teams/{team}/rota", "get", 200, rota.json())
    scenario = client.get(f"/v1/teams/{team}", headers=bearer(tokens["read"]))
    assert_documented(document, "/v1/teams/{team}", "get", 200, scenario.json())
    refused = client.get(f"/v1/teams/{team}/now?at=yesterday", headers=bearer(tokens["read"]))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert_documented(document, "/v1/teams/{team}/now", "get", 422, refused.json())
    unknown = client.get(f"/v1/teams/{team}/gaps", headers=bearer("rota_nonsense"))
    assert unknown.status_code == 401
    assert_documented(document, "/v1/teams/{team}/gaps", "get", 401, unknown.json())


def _generated_client_models(document: dict[str, Any], folder: Path) -> Any:
    """Pydantic models generated from the document by datamodel-code-generator, unknown fields
    forbidden: what a client team would generate and use."""
    import datamodel_code_generator as codegen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = codegen.generate(
            json.dumps(document), input_file_type=codegen.InputFileType.OpenAPI,
            output_model_type=codegen.DataModelType.PydanticV2BaseModel, extra_fields="forbid")
    assert isinstance(source, str)
    path = folder / "rota_client_models.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("rota_client_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["rota_client_models"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["rota_client_models"]
    return module


def test_a_client_generated_from_the_document_reads_now_and_gaps(
        client: TestClient, team: str, tokens: dict[str, str], tmp_path: Path) -> None:
    models = _generated_client_models(_document(client), tmp_path)
    now = models.NowAnswer.model_validate(client.get(
        f"/v1/teams/{team}/now?at=2026-12-09T12:00:00Z&region=eu", headers=bearer(tokens["read"])).json())
    [eu] = now.regions
    assert (eu.region, eu.covered, eu.gap.cause.value) == ("eu", False, "no_responder")
    assert [p.engineer for p in eu.fallback] and eu.fallback[0].contact is not None
    outside = models.NowAnswer.model_validate(client.get(
        f"/v1/teams/{team}/now?at=2027-06-01T00:00:00Z", headers=bearer(tokens["read"])).json())
    assert (outside.outside_horizon, outside.horizon.end) == (True, "2026-12-14T00:00:00Z")
    gaps = models.GapsAnswer.model_validate(client.get(
        f"/v1/teams/{team}/gaps", headers=bearer(tokens["read"])).json())
    assert gaps.gaps and gaps.summary is not None
    assert {g.cause.value for g in gaps.gaps} <= {"no_responder", "unavailable", "too_slow", "short_handed"}
    problem = models.Problem.model_validate(client.get(
        f"/v1/teams/{team}/now?region=mars", headers=bearer(tokens["read"])).json())
    assert (problem.status, problem.title) == (404, "Not found")


def test_links_name_real_operations_and_their_parameters(client: TestClient) -> None:
    document = _document(client)
    operations = {op["operationId"]: op for ops in document["paths"].values() for op in ops.values()}
    links = [(path, status, name, link) for path, ops in document["paths"].items()
             for op in ops.values() for status, answer in op["responses"].items()
             for name, link in answer.get("links", {}).items()]
    assert len(links) >= 20
    for path, status, name, link in links:
        target = operations[link["operationId"]]
        names = {p["name"] for p in target.get("parameters", [])}
        assert set(link["parameters"]) <= names, (path, status, name)
        assert all(v.startswith(("$request.path.", "$response.body#/")) for v in link["parameters"].values())
    plans = document["paths"]["/v1/teams/{team}/plans"]["post"]["responses"]["202"]["links"]
    assert plans["GetPlan"]["parameters"] == {"team": "$request.path.team", "plan_id": "$response.body#/id"}
