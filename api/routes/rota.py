"""`PUT /v1/teams/{team}/rota` (plan) publishes an uploaded rota; `GET` reads a version (read).

Uploads are JSON (the rota file), `text/calendar` or `text/csv` (read by `rota.imports`). Every
upload is checked against the team's scenario and becomes the next immutable version. Shifts must
lie within the scenario's horizon widened by `MARGIN` either side (so one stray date cannot make
the "now" index span centuries). `ETag` is the
current version number (`"0"` before the first); a stale `If-Match` gets 412.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from rota.errors import FieldError, RotaInvalid
from rota.imports import parse_import
from rota.rotafile import Rota, parse_rota
from rota.scenario import Scenario
from rota_api.deps import PlanAccess, ReadAccess, ServicesDep, etag, expected_revision
from rota_api.routes.body import body_text, decode_json, raw_body_doc, require_media

router = APIRouter(prefix="/v1/teams", tags=["rota"])

MARGIN = dt.timedelta(days=31)
IMPORT_KINDS: dict[str, Literal["ics", "csv"]] = {"text/calendar": "ics", "text/csv": "csv"}


@router.put("/{team}/rota", status_code=201,
            openapi_extra=raw_body_doc("application/json", "text/calendar", "text/csv"))
async def put_rota(team: str, request: Request, response: Response, services: ServicesDep,
                   token: PlanAccess,
                   if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Publish an uploaded rota as the team's next version."""
    kind = require_media(request, ("application/json", *IMPORT_KINDS))
    expected = expected_revision(if_match)
    scenario, _ = await run_in_threadpool(services.store.teams.scenario, team)
    text = await body_text(request, "rota")
    rota, unmatched = _read_rota(text, kind, scenario)
    version = await run_in_threadpool(services.store.teams.publish, rota, f"upload:{kind or 'json'}",
                                      token.label or token.id, expected)
    services.current.forget(team)
    response.headers["ETag"] = etag(version)
    return {"team": team, "version": version, "shifts": len(rota.shifts), "unmatched": unmatched}


def _read_rota(text: str, kind: str, scenario: Scenario) -> tuple[Rota, list[dict[str, Any]]]:
    """The rota, and the imported entries that matched no engineer (reported, not dropped)."""
    unmatched: list[dict[str, Any]] = []
    if kind in IMPORT_KINDS:
        imported = parse_import(text, IMPORT_KINDS[kind], scenario)
        rota = imported.rota
        unmatched = [entry.to_json() for entry in imported.unmatched]
    else:
        data = decode_json(text, "rota")
        if isinstance(data, dict):
            data = {**data, "version": 1}
        rota = parse_rota(data, scenario)
    check_bounds(rota, scenario)
    return rota, unmatched


def check_bounds(rota: Rota, scenario: Scenario) -> None:
    lo, hi = scenario.horizon.start_at - MARGIN, scenario.horizon.end_at + MARGIN
    errors = [FieldError(f"shifts[{i}]", f"lies outside the horizon by more than {MARGIN.days} days")
              for i, shift in enumerate(rota.shifts) if shift.start < lo or shift.end > hi]
    errors += [FieldError(f"overrides[{i}]",
                          f"lies outside the horizon by more than {MARGIN.days} days")
               for i, o in enumerate(rota.overrides) if o.start < lo or o.end > hi]
    if errors:
        raise RotaInvalid(errors[:100])


@router.get("/{team}/rota")
def get_rota(team: str, response: Response, services: ServicesDep, _token: ReadAccess,
             version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> dict[str, Any]:
    """The current rota version with its overrides (`?version=N` for an older one)."""
    current = services.store.teams.current_version(team)
    rota = services.store.teams.rota(team, version)
    response.headers["ETag"] = etag(current)
    return rota.to_json()


@router.get("/{team}/rota/versions")
def list_versions(team: str, services: ServicesDep, _token: ReadAccess) -> dict[str, Any]:
    """Every published version: when, by whom, from what."""
    services.store.teams.current_version(team)
    return {"team": team, "versions": [
        {"version": v.version, "published_at": v.published_at.isoformat().replace("+00:00", "Z"),
         "published_by": v.published_by, "source": v.source}
        for v in services.store.teams.versions(team)]}
