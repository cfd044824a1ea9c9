"""`PUT /v1/teams/{team}/rota` (plan) publishes an uploaded rota; `GET` reads a version (read).

Uploads are JSON (the rota file), `text/calendar` or `text/csv` (read by `rota.imports`). Every
upload is checked against the team's scenario and becomes the next immutable version. Shifts must
lie within the scenario's horizon widened by `rota_api.uploads.MARGIN` either side (so one stray
date cannot make the "now" index span centuries). JSON and CSV uploads of 256 KiB or more are read
and published in a child process (`rota_api.uploads`).

`ETag` is `"<version>.<state revision>"` (`rota_api.deps.rota_etag`): it changes with a new version
and with every override added or removed. An `If-Match` with such a tag (or a bare `"<version>"`)
gets 412 when the version, or anything else of the team, changed since. Publishing a version
keeps the team's overrides: they belong to the team, not to a version (`rota.store`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from rota.errors import NotFound
from rota.gcpause import without_gc
from rota.rotafile import Rota
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
from rota_api.routes.body import body_text, raw_body_doc, require_media
from rota_api.schemas import RotaPublished, Versions
from rota_api.uploads import IMPORT_KINDS, publish_if_current, published, read_rota, store_rota

router = APIRouter(prefix="/v1/teams", tags=["rota"])

READ_SECONDS = 1.5
READ_SECONDS_PER_EVENT = 0.001
"""Uploads are read off the event loop; an iCal one within 1.5 s plus 1 ms per event, else 413
(so a calendar is accepted or refused in under 2 s)."""


@router.put("/{team}/rota", status_code=201, response_model=None,
            responses={**answer(RotaPublished, 201, "published as the next version"),
                       **responses(401, 403, 404, 412, 413, 415, 422, 503)},
            openapi_extra=raw_body_doc("application/json", "text/calendar", "text/csv"))
async def put_rota(team: str, request: Request, services: ServicesDep, token: PlanAccess,
                   if_match: Annotated[str | None, Header()] = None) -> Response:
    """Publish an uploaded rota as the team's next version."""
    kind = require_media(request, ("application/json", *IMPORT_KINDS))
    expected, revision = expected_rota(if_match)
    await run_in_threadpool(services.store.teams.state_revision, team)  # 404 before the body
    text = await body_text(request, "rota")
    by = token.label or token.id
    if kind == "text/calendar":  # the one format whose work is not bounded by its size
        scenario, _ = await run_in_threadpool(services.store.teams.scenario, team)
        seconds = READ_SECONDS + text.count("BEGIN:VEVENT") * READ_SECONDS_PER_EVENT
        rota, unmatched = await run_in_threadpool(call_with_deadline, seconds, without_gc,
                                                  read_rota, text, kind, scenario)
        async with services.current.writing_async(team):
            version = await run_in_threadpool(publish_if_current, services.store, rota,
                                              "upload:text/calendar", by, expected, revision)
        body = await run_in_threadpool(published, team, version, len(rota.shifts), unmatched)
    else:
        async with services.current.writing_async(team):
            body = await services.uploads.run(len(text), store_rota, team, text, kind, expected,
                                              revision, by)
    tag = await run_in_threadpool(current_etag, services, team)
    return Response(body, 201, {"ETag": tag}, media_type="application/json")


def publish_checked(services: Services, rota: Rota, source: str, by: str | None,
                    version: int | None, revision: int | None,
                    plan_id: str | None = None) -> int:
    """`rota_api.uploads.publish_if_current` with the service's store."""
    return publish_if_current(services.store, rota, source, by, version, revision, plan_id)


def current_etag(services: Services, team: str) -> str:
    return rota_etag(*services.store.teams.state_tag(team))


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
