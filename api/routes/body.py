"""Reading raw request bodies (scenarios and rotas come as JSON, YAML, iCal or CSV text)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from rota.errors import FieldError, InvalidInput
from rota_api.problems import UnsupportedMedia


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def body_text(request: Request, what: str) -> str:
    raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput([FieldError("", f"not UTF-8 text (byte {exc.start})")], what) from None


def require_media(request: Request, allowed: tuple[str, ...]) -> str:
    kind = media_type(request)
    if kind and kind not in allowed:
        raise UnsupportedMedia(f"Content-Type {kind!r} is not accepted here; use one of "
                               f"{', '.join(allowed)}")
    return kind


def decode_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput([FieldError(where, f"invalid JSON: {exc.msg}")], what) from None
    except RecursionError:
        raise InvalidInput([FieldError("", "invalid JSON: nested too deeply")], what) from None


def raw_body_doc(*types: str) -> dict[str, Any]:
    """OpenAPI for a route that reads its body itself."""
    return {"requestBody": {"required": True,
                            "content": {t: {"schema": {"type": "object" if "json" in t
                                                       else "string"}} for t in types}}}
