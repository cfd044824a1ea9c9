"""Query parameters of the vendor APIs, checked the one way: a bad value raises `InvalidInput`
naming the parameter, which each vendor module answers in its own error shape. `query` and
`documented` write what `/openapi.json` says of a vendor route: its parameters, answer and errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from rota.errors import FieldError, InvalidInput
from rota.zones import check_zone
from rota_api.deps import parse_instant


def query(name: str, schema: dict[str, Any], description: str = "",
          explode: bool = False) -> dict[str, Any]:
    """An optional query parameter as OpenAPI documents it (`explode`: an array sent as `a[]=x&a[]=y`)."""
    found: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        found["description"] = description
    if explode:
        found |= {"style": "form", "explode": True}
    return found


def documented(model: type[BaseModel], description: str, error: type[BaseModel],
               errors: dict[int, str], parameters: list[dict[str, Any]],
               security_scheme: str) -> dict[str, Any]:
    """The route decorator's `responses` and `openapi_extra`: the answer, each error status with the
    vendor's error model (all `application/json`), the parameters and the auth scheme."""
    responses: dict[int | str, dict[str, Any]] = {200: {"model": model, "description": description}}
    responses |= {status: {"model": error, "description": text} for status, text in errors.items()}
    return {"responses": responses, "response_model": None,
            "openapi_extra": {"parameters": parameters, "security": [{security_scheme: []}]}}


def invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput([FieldError(name, message)], "query")


def instant(query: Mapping[str, str], name: str) -> dt.datetime | None:
    return parse_instant(query.get(name), name)


def boolean(query: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = query.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise invalid(name, f"{value!r} is not true or false")


def integer(query: Mapping[str, str], name: str, default: int, lo: int, hi: int | None = None,
            most: int | None = None) -> int:
    """An integer of at least `lo`; cut to `hi`; refused over `most`."""
    value = query.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise invalid(name, f"{value!r} is not an integer") from None
    if number < lo:
        raise invalid(name, f"must be at least {lo}")
    if most is not None and number > most:
        raise invalid(name, f"must be at most {most}")
    return number if hi is None else min(number, hi)


def time_zone(query: Mapping[str, str], name: str = "time_zone") -> str | None:
    value = query.get(name)
    if value is None:
        return None
    try:
        return check_zone(value)
    except ValueError as exc:
        raise invalid(name, str(exc)) from None
