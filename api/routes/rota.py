"""`PUT /v1/teams/{team}/rota` (plan) publishes an uploaded rota; `GET` reads a version (read).

Uploads are JSON (the rota file), `text/calendar` or `text/csv` (read by `rota.imports`). Every
upload is checked against the team's scenario and becomes the next immutable version. Shifts must
lie within the scenario's horizon widened by `MARGIN` either side (so one stray date cannot make
the "now" index span centuries).

`ETag` is `"<version>.<state revision>"` (`rota_api.deps.rota_etag`): it changes with a new version
and with every override added or removed. An `If-Match` with such a tag (or a bare `"<version>"`)
gets 412 when the version, or anything else of the team, changed since. Publishing a version
keeps the team's overrides: they belong to the team, not to a version (`rota.store`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from rota.errors import FieldError, NotFound, RotaInvalid
from rota.imports import parse_import
from rota.rotafile import Rota, parse_rota
from rota.scenario import Scenario
from rota.store import StaleWrite
from rota_api.deadline import call_with_deadline
from rota_api.deps import (
    PlanAccess,
    ReadAccess,
    Services,
    ServicesDep,
    expected_rota,
    rota_etag,
)
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, responses
from rota_api.routes.body import body_text, decode_json, raw_body_doc, require_media
from rota_api.schemas import RotaPublished, Versions

router = APIRouter(prefix="/v1/teams", tags=["rota"])

MARGIN = dt.timedelta(days=31)
READ_SECONDS = 2.0
READ_SECONDS_PER_EVENT = 0.001
"""Uploads are read off the event loop; an iCal one within 2 s plus 1 ms per event, else 413."""
IMPORT_KINDS: dict[str, Literal["ics", "csv"]] = {"text/calendar": "ics", "text/csv": "csv"}


@router.put("/{team}/rota", status_code=201, response_model=None,
            responses={**answer(RotaPublished, 201, "published as the next version"),
                       **responses(401, 403, 404, 412, 413, 415, 422, 503)},
            openapi_extra=raw_body_doc("application/json", "text/calendar", "text/csv"))
async def put_rota(team: str, request: Request, response: Response, services: ServicesDep,
                   token: PlanAccess,
                   if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Publish an uploaded rota as the team's next version."""
    kind = require_media(request, ("application/json", *IMPORT_KINDS))
    expected, revision = expected_rota(if_match)
    scenario, _ = await run_in_threadpool(services.store.teams.scenario, team)
    text = await body_text(request, "rota")
    if kind == "text/calendar":  # the one format whose work is not bounded by its size
        seconds = READ_SECONDS + text.count("BEGIN:VEVENT") * READ_SECONDS_PER_EVENT
        rota, unmatched = await run_in_threadpool(call_with_deadline, seconds, _read_rota, text,
                                                  kind, scenario)
    else:
        rota, unmatched = await run_in_threadpool(_read_rota, text, kind, scenario)
    version = await run_in_threadpool(publish_checked, services, rota, f"upload:{kind or 'json'}",
                                      token.label or token.id, expected, revision)
    services.current.forget(team)
    response.headers["ETag"] = await run_in_threadpool(current_etag, services, team)
    return {"team": team, "version": version, "shifts": len(rota.shifts), "unmatched": unmatched}


def publish_checked(services: Services, rota: Rota, source: str, by: str | None,
                    version: int | None, revision: int | None,
                    plan_id: str | None = None) -> int:
    """Publish when the team is still at the version (checked in the store's transaction) and the
    state revision (checked just before) an `If-Match` named."""
    if revision is not None:
        now_at = services.store.teams.state_revision(rota.team)
        if now_at != revision:
            raise StaleWrite(f"team {rota.team!r} changed since that read (state {now_at}, "
                             f"not {revision})")
    return services.store.teams.publish(rota, source, by, version, plan_id=plan_id)


def current_etag(services: Services, team: str) -> str:
    state = services.store.teams.state(team)
    return rota_etag(state.rota.version if state.rota else 0, state.state_revision)


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


@router.get("/{team}/rota", response_model=None,
            responses={**answer(Rota, description="the rota version with its overrides"),
                       **responses(*READ_ERRORS)})
def get_rota(team: str, response: Response, services: ServicesDep, _token: ReadAccess,
             version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> dict[str, Any]:
    """The current rota version with its overrides (`?version=N` for an older one)."""
    state = services.store.teams.state(team)
    rota = state.rota if version is None else services.store.teams.rota(team, version)
    if rota is None:
        raise NotFound(f"team {team!r} has no rota yet")
    response.headers["ETag"] = rota_etag(state.rota.version if state.rota else 0,
                                         state.state_revision)
    return rota.to_json()


@router.get("/{team}/rota/versions", response_model=None,
            responses={**answer(Versions, description="every published version"),
                       **responses(*READ_ERRORS)})
def list_versions(team: str, services: ServicesDep, _token: ReadAccess) -> dict[str, Any]:
    """Every published version: when, by whom, from what."""
    services.store.teams.current_version(team)
    return {"team": team, "versions": [
        {"version": v.version, "published_at": v.published_at.isoformat().replace("+00:00", "Z"),
         "published_by": v.published_by, "source": v.source}
        for v in services.store.teams.versions(team)]}
