"""The request dependencies, in one place: services, access by scope, instants, ETags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from rota.errors import FieldError, InvalidInput
from rota.jobs import PlanQueue
from rota.limits import MAX_HORIZON_DAYS
from rota.scenario import Horizon
from rota.store import Scope, StaleWrite, Store, Token
from rota_api.auth import TokenCheck
from rota_api.current import CurrentCache
from rota_api.reportlinks import LinkSigner
from rota_api.settings import Settings
from rota_api.uploads import Uploads


@dataclass
class Services:
    settings: Settings
    store: Store
    current: CurrentCache
    tokens: TokenCheck
    jobs: PlanQueue
    uploads: Uploads
    links: LinkSigner


def services_of(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def services(request: Request) -> Services:
    """A dependency (async, so resolving it costs no thread-pool hop)."""
    return services_of(request)


ServicesDep = Annotated[Services, Depends(services)]

_bearer = HTTPBearer(auto_error=False, description="An API token: `rota token create`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _access(scope: Scope) -> object:
    async def check(request: Request, team: str, _credentials: Credentials) -> Token:
        header = request.headers.get("authorization")
        return await services_of(request).tokens.authorize(header, scope, team)

    return check


ReadAccess = Annotated[Token, Depends(_access("read"))]
PlanAccess = Annotated[Token, Depends(_access("plan"))]
AdminAccess = Annotated[Token, Depends(_access("admin"))]


EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
MAX_WINDOW = dt.timedelta(days=MAX_HORIZON_DAYS)


def parse_instant(value: str | None, name: str) -> dt.datetime | None:
    """An ISO 8601 instant in [1970, 2200); a date means UTC midnight, no offset means UTC."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise InvalidInput([FieldError(name, f"not an ISO 8601 date-time: {value!r}")],
                           "query") from None
    if not EARLIEST <= parsed < LATEST:
        raise InvalidInput([FieldError(name, f"{value!r} is not between 1970 and 2199")], "query")
    return parsed


def parse_window(start: str | None, end: str | None,
                 horizon: Horizon) -> tuple[dt.datetime, dt.datetime]:
    """`from` and `to` of a report (default: the horizon's); at most `MAX_HORIZON_DAYS` days."""
    lo = parse_instant(start, "from") or horizon.start_at
    hi = parse_instant(end, "to") or horizon.end_at
    if hi - lo > MAX_WINDOW:
        raise InvalidInput([FieldError("to", f"a window spans at most {MAX_HORIZON_DAYS} days")],
                           "query")
    return lo, hi


def expected_revision(if_match: str | None) -> int | None:
    """The revision an `If-Match` header names; None when absent or `*` (the write is blind).

    Writes without `If-Match` are accepted (last writer wins); a client that wants protection
    sends the `ETag` it read, and a stale one is refused with 412.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise StaleWrite(f"If-Match {if_match!r} names no revision of this resource")
    return int(tag)


def etag(revision: int) -> str:
    return f'"{revision}"'


def rota_etag(version: int, state_revision: int) -> str:
    """A rota's ETag: its version and the team's state revision, which every write bumps (an
    override added or removed included), so it changes with everything a reader of it would see."""
    return f'"{version}.{state_revision}"'


def expected_rota(if_match: str | None) -> tuple[int | None, int | None]:
    """(version, state revision) an `If-Match` on a rota names; a bare `"N"` names a version only.

    None for both when absent or `*` (the write is blind, and the last writer wins).
    """
    if if_match is None or if_match.strip() == "*":
        return None, None
    tag = if_match.strip().removeprefix("W/").strip('"')
    version, _, revision = tag.partition(".")
    if not version.isdigit() or not (revision.isdigit() or revision == ""):
        raise StaleWrite(f"If-Match {if_match!r} names no state of this rota")
    return int(version), int(revision) if revision else None
