"""`assert_documented`: an answer is exactly what `/openapi.json` says of it, unknown fields refused."""

from __future__ import annotations

import copy
from typing import Any

from jsonschema import Draft202012Validator


def _strict(document: dict[str, Any]) -> dict[str, Any]:
    """The document's schemas with unknown fields refused, so an undocumented field fails."""
    schemas = copy.deepcopy(document["components"]["schemas"])
    for schema in schemas.values():
        if "properties" in schema:
            schema["additionalProperties"] = False
    return {"components": {"schemas": schemas}}


def assert_documented(document: dict[str, Any], path: str, method: str, status: int,
                      body: Any, media_type: str | None = None) -> None:
    """`body` is exactly what the document says `method path` answers with `status` (and, when
    given, in that one media type)."""
    entry = document["paths"][path][method]["responses"][str(status)]
    [(media, content)] = entry["content"].items()
    if media_type is not None:
        assert media == media_type, (path, status, media)
    schema = {**_strict(document), **content["schema"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
