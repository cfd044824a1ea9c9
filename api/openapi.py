"""The OpenAPI document at `/openapi.json`: a contract a typed client can be generated from.

FastAPI builds it from the routes; each route names its answer's model (`rota_api.schemas`, through
`answer`) and its error statuses (`rota_api.problems.responses`). Here the document is finished:
the `Problem` schema joins the components, and any 422 FastAPI would still document as its own
`HTTPValidationError` (a route that forgot to list its errors) is documented as the problem answer
the service really sends, so the document never names a shape the service does not send. Every
operation under `/v1/teams/{team}` authenticates and looks the team up, so it can answer 401, 403,
404, 422 and 503 (and 413 when it takes a body) whether or not its route lists them. The vendor
compatibility routes document their own errors in their vendor's shape (`rota_api.compat.*_models`),
with their auth schemes (`PagerDutyToken`, `GenieKey`). Links between operations (`rota_api.links`)
let a client, or schemathesis' stateful tests, chain calls: queue a plan, read it, publish it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from rota_api.compat import opsgenie_models, pagerduty_models
from rota_api.links import install_links
from rota_api.problems import PROBLEM_JSON, PROBLEM_SCHEMA, READ_ERRORS, responses
from rota_api.schemas import Problem

_FASTAPI_ONLY = ("HTTPValidationError", "ValidationError")


def answer(model: type[BaseModel], status: int = 200, description: str = "the answer",
           media_type: str = "application/json") -> dict[int | str, dict[str, Any]]:
    """The `responses` entry of a route's success answer (use with `response_model=None`)."""
    if media_type == "application/json":
        return {status: {"model": model, "description": description}}
    return {status: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}}


def install(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = finish(get_openapi(
                title=app.title, version=app.version, summary=app.summary,
                description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def finish(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _, defs = models_json_schema([(Problem, "serialization")],
                                 ref_template="#/components/schemas/{model}")
    schemas.update(defs.get("$defs", {}))
    document["components"].setdefault("securitySchemes", {}).update(
        {**pagerduty_models.SECURITY, **opsgenie_models.SECURITY})
    for name, path in document.get("paths", {}).items():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if name.startswith("/v1/teams/{team}"):
                statuses = (*READ_ERRORS, 413) if "requestBody" in operation else READ_ERRORS
                for status, entry in responses(*statuses).items():
                    operation["responses"].setdefault(str(status), entry)
            found = operation["responses"].get("422")
            if found and _names_fastapi_error(found):
                operation["responses"]["422"] = responses(422)[422]
            for entry in operation["responses"].values():
                _problem_content_only(entry)
    for name in _FASTAPI_ONLY:
        schemas.pop(name, None)
    install_links(document)
    return document


def _names_fastapi_error(entry: dict[str, Any]) -> bool:
    return "HTTPValidationError" in str(entry.get("content", {}))


def _problem_content_only(entry: dict[str, Any]) -> None:
    """An error entry documents `application/problem+json` alone (FastAPI may add JSON too)."""
    content = entry.get("content", {})
    if PROBLEM_JSON in content and content[PROBLEM_JSON].get("schema") == PROBLEM_SCHEMA:
        entry["content"] = {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}
